//! The return in the XML layout councils' case systems write for the DfE (`dfe-xml/ssda903.xml`,
//! `<EXPSSDA903>`, the layout fixtures/ssda903/csv_to_dfe_xml.py writes and
//! mappings/ssda903-dfexml reads): one `<CHILD>` per header row, its `<HEADER>` holding the
//! child's items, the UASC, OC3 and AD1 items, and its reviews, missing episodes, previous
//! permanence, OC2 and placements for adoption; then its `<EPISODE>`s. One element per line,
//! two-space indent, an empty value an empty element. The layout holds less than the CSV files:
//! [`absent`] says which defects it cannot carry and why.
use std::path::Path;

use super::child::{Group, Record};
use super::defects::{Break, SPECS};
use super::tables::Table;
use super::write::XmlFile;
use crate::source::Place;

/// The file, relative to the output folder.
pub const FILE: &str = "dfe-xml/ssda903.xml";

const OC3: [&str; 3] = ["IN_TOUCH", "ACTIV", "ACCOM"];
const AD1: [&str; 6] = [
    "DATE_INT",
    "DATE_MATCH",
    "FOSTER_CARE",
    "NB_ADOPTR",
    "SEX_ADOPTR",
    "LS_ADOPTR",
];
const REVIEW: [&str; 2] = ["REVIEW", "REVIEW_CODE"];
const MISSING: [&str; 3] = ["MISSING", "MIS_START", "MIS_END"];
const PERMANENCE: [&str; 3] = ["PREV_PERM", "LA_PERM", "DATE_PERM"];
const OC2: [&str; 10] = [
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
];
const AD_PLACED: [&str; 3] = ["DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"];
/// The episode's elements: the placement type (PLACE in the CSV file) is `<PL>`.
const EPISODE: [&str; 12] = [
    "DECOM",
    "RNE",
    "LS",
    "CIN",
    "PL",
    "PL_POST",
    "HOME_POST",
    "URN",
    "PLACE_PROVIDER",
    "DEC",
    "REC",
    "REASON_PLACE_CHANGE",
];

/// The element path of a table's records in the DfE layout (the HEADER itself for the UASC, OC3
/// and AD1 items), or `None` for a table it has no element for.
pub fn path(t: Table) -> Option<&'static str> {
    Some(match t {
        Table::Header | Table::Uasc | Table::Oc3 | Table::Ad1 => "EXPSSDA903/CHILD/HEADER",
        Table::Episodes => "EXPSSDA903/CHILD/EPISODE",
        Table::Reviews => "EXPSSDA903/CHILD/HEADER/AREVIEW",
        Table::Missing => "EXPSSDA903/CHILD/HEADER/AMISSING",
        Table::Oc2 => "EXPSSDA903/CHILD/HEADER/OC2",
        Table::PlacedForAdoption => "EXPSSDA903/CHILD/HEADER/AD_PLACED",
        Table::PreviousPermanence => "EXPSSDA903/CHILD/HEADER/PERMANENCE",
        Table::SwEpisodes => return None,
    })
}

/// Why the DfE layout cannot carry defect `spec`, or `None` when it does.
pub fn absent(spec: usize) -> Option<&'static str> {
    let s = SPECS[spec];
    if s.table == Table::SwEpisodes {
        return Some("the DfE layout has no element for social-worker episodes");
    }
    match s.does {
        Break::Orphan => Some(
            "every record of the DfE layout sits inside a CHILD whose HEADER is the child's header row: a child the header does not hold cannot be written, so its records are left out",
        ),
        Break::DobDiffers | Break::SexDiffers => Some(
            "the DfE layout holds the child's DOB and SEX once, in the HEADER, and every other table takes them from there: the two cannot differ",
        ),
        Break::Twice if matches!(s.table, Table::Uasc | Table::Oc3 | Table::Ad1) => Some(
            "the table's items are elements of the child's HEADER, which holds each once: a second record cannot be written",
        ),
        Break::Twice | Break::NoEpisode => None,
    }
}

/// The open file, its lines so far and the records written per table.
pub struct Writer {
    xml: XmlFile,
    /// Records written per table (a UASC, OC3 or AD1 record: the items of one HEADER).
    pub rows: [u64; 11],
}

impl Writer {
    /// Creates `dfe-xml/` under `dir` and writes the declaration and the root's start tag.
    pub fn create(dir: &Path) -> anyhow::Result<Writer> {
        let mut w = Writer {
            xml: XmlFile::create(dir.join(FILE))?,
            rows: [0; 11],
        };
        w.xml
            .line(0, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
        w.xml.line(0, "<EXPSSDA903>")?;
        Ok(w)
    }

    /// Writes one child (nothing for a child without a header row: [`absent`]) and pushes
    /// `(spec, the record's start tag)` for each defect it carries onto `marks`.
    pub fn child(&mut self, g: &Group, marks: &mut Vec<(usize, Place)>) -> anyhow::Result<()> {
        let Some(h) = g.of(Table::Header).first() else {
            return Ok(());
        };
        self.xml.line(1, "<CHILD>")?;
        self.xml.line(2, "<HEADER>")?;
        let start = self.xml.at();
        self.count(Table::Header, h, start, marks);
        self.xml.element(3, "CHILDID", &g.child.to_string())?;
        for c in ["UPN", "SEX", "DOB", "ETHNIC"] {
            self.xml.element(3, c, get(Table::Header, h, c))?;
        }
        let uasc = g.of(Table::Uasc).first();
        // 0 or 1, never blank: the DfE validator's rule 105 refuses a blank UASC in XML.
        self.xml
            .element(3, "UASC", if uasc.is_some() { "1" } else { "0" })?;
        if let Some(u) = uasc {
            self.xml.element(3, "DUC", get(Table::Uasc, u, "DUC"))?;
            self.count(Table::Uasc, u, start, marks);
        }
        self.items(g, Table::Oc3, &OC3, start, marks)?;
        self.items(g, Table::Ad1, &AD1, start, marks)?;
        self.blocks(g, Table::Reviews, "AREVIEW", &REVIEW, marks)?;
        self.blocks(g, Table::Missing, "AMISSING", &MISSING, marks)?;
        self.xml
            .element(3, "MOTHER", get(Table::Header, h, "MOTHER"))?;
        self.xml
            .element(3, "MC_DOB", get(Table::Header, h, "MC_DOB"))?;
        self.blocks(
            g,
            Table::PreviousPermanence,
            "PERMANENCE",
            &PERMANENCE,
            marks,
        )?;
        self.blocks(g, Table::Oc2, "OC2", &OC2, marks)?;
        self.blocks(g, Table::PlacedForAdoption, "AD_PLACED", &AD_PLACED, marks)?;
        self.xml.line(2, "</HEADER>")?;
        self.blocks(g, Table::Episodes, "EPISODE", &EPISODE, marks)?;
        self.xml.line(1, "</CHILD>")
    }

    /// Closes the root, flushes, and returns the lines written.
    pub fn finish(mut self) -> anyhow::Result<u64> {
        self.xml.line(0, "</EXPSSDA903>")?;
        self.xml.finish()
    }

    /// The first record of a once-per-child table as HEADER items (a second cannot be written).
    fn items(
        &mut self,
        g: &Group,
        t: Table,
        columns: &[&str],
        header: Place,
        marks: &mut Vec<(usize, Place)>,
    ) -> anyhow::Result<()> {
        if let Some(r) = g.of(t).first() {
            for c in columns {
                self.xml.element(3, c, get(t, r, c))?;
            }
            self.count(t, r, header, marks);
        }
        Ok(())
    }

    /// One element per record of `t`: in the HEADER, or beside it for episodes.
    fn blocks(
        &mut self,
        g: &Group,
        t: Table,
        name: &str,
        columns: &[&str],
        marks: &mut Vec<(usize, Place)>,
    ) -> anyhow::Result<()> {
        let depth = if t == Table::Episodes { 2 } else { 3 };
        for r in g.of(t) {
            self.xml.line(depth, &format!("<{name}>"))?;
            let start = self.xml.at();
            for c in columns {
                let column = if *c == "PL" { "PLACE" } else { c };
                self.xml.element(depth + 1, c, get(t, r, column))?;
            }
            self.xml.line(depth, &format!("</{name}>"))?;
            self.count(t, r, start, marks);
        }
        Ok(())
    }

    /// Counts a record written at `at` and marks its defect when the layout carries it.
    fn count(&mut self, t: Table, r: &Record, at: Place, marks: &mut Vec<(usize, Place)>) {
        self.rows[t.index()] += 1;
        if let Some(spec) = r.defect
            && absent(spec).is_none()
        {
            marks.push((spec, at));
        }
    }
}

/// The value of `column` in record `r` of table `t` ("" when the table has no such column).
fn get<'a>(t: Table, r: &'a Record, column: &str) -> &'a str {
    t.position(column)
        .and_then(|i| r.values.get(i))
        .map_or("", String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_defect_the_layout_carries_has_an_element_path() {
        for (i, s) in SPECS.iter().enumerate() {
            if absent(i).is_none() {
                assert!(path(s.table).is_some(), "{}", s.rule);
            }
        }
        let carried: Vec<_> = (0..SPECS.len()).filter(|i| absent(*i).is_none()).collect();
        let validators: Vec<_> = carried.iter().filter_map(|i| SPECS[*i].validator).collect();
        assert_eq!(validators, ["INT32", "INT33", "INT35", "EPI"]);
    }
}
