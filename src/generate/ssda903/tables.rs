//! The eleven files of the SSDA903 return as the DfE specifies them: each table's CSV file name,
//! its columns (the names mappings/ssda903 reads, in the DfE's order) and the element that holds
//! one of its records in the XML form (`<EXPSSDA903><CHILD><EPISODE>...`).

/// A table of the return, in the order the files are listed and a CHILD's records are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Table {
    /// header.csv: one row per child.
    Header,
    /// episodes.csv: one row per episode of care.
    Episodes,
    /// reviews.csv.
    Reviews,
    /// uasc.csv: once per child.
    Uasc,
    /// oc2.csv: once per child.
    Oc2,
    /// oc3.csv: once per child.
    Oc3,
    /// ad1.csv: once per child.
    Ad1,
    /// placed_for_adoption.csv.
    PlacedForAdoption,
    /// previous_permanence.csv: once per child.
    PreviousPermanence,
    /// missing.csv.
    Missing,
    /// sw_episodes.csv.
    SwEpisodes,
}

/// Every table, in file order.
pub const TABLES: [Table; 11] = [
    Table::Header,
    Table::Episodes,
    Table::Reviews,
    Table::Uasc,
    Table::Oc2,
    Table::Oc3,
    Table::Ad1,
    Table::PlacedForAdoption,
    Table::PreviousPermanence,
    Table::Missing,
    Table::SwEpisodes,
];

impl Table {
    /// Position in [`TABLES`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The table's name in the 903 schema (mappings/companies/ssda903).
    pub fn name(self) -> &'static str {
        match self {
            Table::Header => "header",
            Table::Episodes => "episodes",
            Table::Reviews => "reviews",
            Table::Uasc => "uasc",
            Table::Oc2 => "oc2",
            Table::Oc3 => "oc3",
            Table::Ad1 => "ad1",
            Table::PlacedForAdoption => "placed_for_adoption",
            Table::PreviousPermanence => "previous_permanence",
            Table::Missing => "missing",
            Table::SwEpisodes => "sw_episodes",
        }
    }

    /// The CSV file, relative to the output folder.
    pub fn csv_file(self) -> String {
        format!("csv/{}.csv", self.name())
    }

    /// The element holding one record in the XML form.
    pub fn element(self) -> &'static str {
        match self {
            Table::Header => "HEADER",
            Table::Episodes => "EPISODE",
            Table::Reviews => "REVIEW",
            Table::Uasc => "UASC",
            Table::Oc2 => "OC2",
            Table::Oc3 => "OC3",
            Table::Ad1 => "AD1",
            Table::PlacedForAdoption => "PLACED_ADOPTION",
            Table::PreviousPermanence => "PREV_PERM",
            Table::Missing => "MISSING",
            Table::SwEpisodes => "SW_EPISODE",
        }
    }

    /// The DfE's columns after CHILD (which every file starts with).
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Table::Header => &["SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"],
            Table::Episodes => &[
                "DECOM",
                "RNE",
                "LS",
                "CIN",
                "PLACE",
                "PLACE_PROVIDER",
                "DEC",
                "REC",
                "REASON_PLACE_CHANGE",
                "HOME_POST",
                "PL_POST",
                "URN",
            ],
            Table::Reviews => &["DOB", "REVIEW", "REVIEW_CODE"],
            Table::Uasc => &["SEX", "DOB", "DUC"],
            Table::Oc2 => &[
                "DOB",
                "SDQ_SCORE",
                "SDQ_REASON",
                "CONVICTED",
                "HEALTH_CHECK",
                "IMMUNISATIONS",
                "TEETH_CHECK",
                "HEALTH_ASSESSMENT",
                "SUBSTANCE_MISUSE",
                "INTERVENTION_RECEIVED",
                "INTERVENTION_OFFERED",
            ],
            Table::Oc3 => &["DOB", "IN_TOUCH", "ACTIV", "ACCOM"],
            Table::Ad1 => &[
                "DOB",
                "DATE_INT",
                "DATE_MATCH",
                "FOSTER_CARE",
                "NB_ADOPTR",
                "SEX_ADOPTR",
                "LS_ADOPTR",
            ],
            Table::PlacedForAdoption => &[
                "DOB",
                "DATE_PLACED",
                "DATE_PLACED_CEASED",
                "REASON_PLACED_CEASED",
            ],
            Table::PreviousPermanence => &["DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"],
            Table::Missing => &["DOB", "MISSING", "MIS_START", "MIS_END"],
            Table::SwEpisodes => &["DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"],
        }
    }

    /// The position of `column` in [`Table::columns`].
    pub fn position(self, column: &str) -> Option<usize> {
        self.columns().iter().position(|c| *c == column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_in_index_order_and_every_file_but_the_header_repeats_dob() {
        for (i, t) in TABLES.iter().enumerate() {
            assert_eq!(t.index(), i);
            let repeats = t.position("DOB").is_some();
            assert_eq!(repeats, !matches!(t, Table::Episodes), "{t:?}");
        }
    }
}
