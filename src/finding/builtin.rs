//! The built-in rules: the checks handover makes for every company, whatever its schema folder
//! declares. Every other rule code (orphans of a reference, row, unallocated, existence and
//! agreement rules) comes from the company's schema folder. docs/rules.md explains each built-in
//! rule and how to fix the data; a test keeps the two in step.
use super::Kind;

/// A built-in rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Builtin {
    /// A council code has no entry in the field's crosswalk.
    UncrosswalkedCode,
    /// A value is not a code of the company's code list in force.
    NotInCodeList,
    /// A control total differs from what transferred.
    ControlTotal,
    /// Two rows share a natural key.
    DuplicateKey,
    /// A reference row collected from an export is repeated with other values.
    ConflictingRepeat,
    /// A required value is blank.
    MissingValue,
    /// A value does not parse as its type in the accepted formats.
    UnparsableValue,
    /// A value breaks a bound of the company schema (range, length, pattern, date bound).
    OutOfBounds,
    /// The run has no as-at date, and figures need one.
    NoAsAtDate,
    /// A column of an export is neither read by the mapping nor declared ignored.
    ColumnNotCarried,
    /// A file in the input folder that no mapping reads and no `[[ignore]]` names (a warning).
    UnreadFile,
    /// A sheet of a workbook read that no mapping reads and no `[[ignore]]` names (a warning).
    UnreadSheet,
    /// A quoted CSV field spans lines that look like whole records.
    SwallowedRecords,
    /// Bytes that are not UTF-8 in a file read as UTF-8.
    MixedEncoding,
    /// A workbook cell with a value in a column the header row does not name.
    CellOutsideHeader,
    /// A workbook formula cell with no cached value.
    UncachedFormula,
    /// An XML record that does not flatten into one row.
    XmlStructure,
}

impl Builtin {
    /// Every built-in rule, in code order.
    pub const ALL: [Builtin; 17] = [
        Builtin::UncrosswalkedCode,
        Builtin::NotInCodeList,
        Builtin::ControlTotal,
        Builtin::DuplicateKey,
        Builtin::ConflictingRepeat,
        Builtin::MissingValue,
        Builtin::UnparsableValue,
        Builtin::OutOfBounds,
        Builtin::NoAsAtDate,
        Builtin::ColumnNotCarried,
        Builtin::UnreadFile,
        Builtin::UnreadSheet,
        Builtin::SwallowedRecords,
        Builtin::MixedEncoding,
        Builtin::CellOutsideHeader,
        Builtin::UncachedFormula,
        Builtin::XmlStructure,
    ];

    /// The stable code findings carry.
    pub fn code(self) -> &'static str {
        match self {
            Builtin::UncrosswalkedCode => "HO-COD-001",
            Builtin::NotInCodeList => "HO-COD-002",
            Builtin::ControlTotal => "HO-CTL-001",
            Builtin::DuplicateKey => "HO-DUP-001",
            Builtin::ConflictingRepeat => "HO-DUP-002",
            Builtin::MissingValue => "HO-MIS-001",
            Builtin::UnparsableValue => "HO-VAL-001",
            Builtin::OutOfBounds => "HO-VAL-002",
            Builtin::NoAsAtDate => "HO-CFG-001",
            Builtin::ColumnNotCarried => "HO-COL-001",
            Builtin::UnreadFile => "HO-INP-001",
            Builtin::UnreadSheet => "HO-INP-002",
            Builtin::SwallowedRecords => "HO-SRC-001",
            Builtin::MixedEncoding => "HO-SRC-002",
            Builtin::CellOutsideHeader => "HO-SRC-003",
            Builtin::UncachedFormula => "HO-SRC-004",
            Builtin::XmlStructure => "HO-SRC-005",
        }
    }

    /// The kind of finding it raises.
    pub fn kind(self) -> Kind {
        match self {
            Builtin::UncrosswalkedCode | Builtin::NotInCodeList => Kind::InvalidCode,
            Builtin::ControlTotal => Kind::Control,
            Builtin::DuplicateKey | Builtin::ConflictingRepeat => Kind::Duplicate,
            Builtin::MissingValue => Kind::MissingValue,
            Builtin::UnparsableValue | Builtin::OutOfBounds => Kind::InvalidValue,
            Builtin::NoAsAtDate | Builtin::ColumnNotCarried => Kind::Configuration,
            Builtin::UnreadFile | Builtin::UnreadSheet => Kind::Unread,
            Builtin::SwallowedRecords
            | Builtin::MixedEncoding
            | Builtin::CellOutsideHeader
            | Builtin::UncachedFormula
            | Builtin::XmlStructure => Kind::Malformed,
        }
    }

    /// What it means, in one line.
    pub fn title(self) -> &'static str {
        match self {
            Builtin::UncrosswalkedCode => "a council code has no entry in the field's crosswalk",
            Builtin::NotInCodeList => "a value is not a code of the company's code list",
            Builtin::ControlTotal => "a control total differs from what transferred",
            Builtin::DuplicateKey => "two rows share a natural key",
            Builtin::ConflictingRepeat => {
                "a reference row collected from an export is repeated with other values"
            }
            Builtin::MissingValue => "a required value is blank",
            Builtin::UnparsableValue => {
                "a value does not parse as its type in the accepted formats"
            }
            Builtin::OutOfBounds => {
                "a value breaks a bound of the company schema (such as FTE above 1)"
            }
            Builtin::NoAsAtDate => "the run has no as-at date, and figures or rules need one",
            Builtin::ColumnNotCarried => {
                "a column of an export is neither mapped nor declared ignored: its data stays behind"
            }
            Builtin::UnreadFile => "a file in the input folder is read by no mapping",
            Builtin::UnreadSheet => "a sheet of a workbook read is read by no mapping",
            Builtin::SwallowedRecords => "a quoted CSV field spans lines that look like records",
            Builtin::MixedEncoding => "bytes that are not UTF-8 in a UTF-8 file",
            Builtin::CellOutsideHeader => "a cell holds a value in a column with no header",
            Builtin::UncachedFormula => "a formula cell has no cached value",
            Builtin::XmlStructure => {
                "an XML record does not flatten into one row (a repeated or nested element)"
            }
        }
    }

    /// How serious its findings are: the input ledger's are warnings (nothing was lost yet, but
    /// nothing was read either), every other built-in rule's are errors.
    pub fn severity(self) -> super::Severity {
        match self {
            Builtin::UnreadFile
            | Builtin::UnreadSheet
            | Builtin::NoAsAtDate
            | Builtin::ColumnNotCarried => super::Severity::Warning,
            _ => super::Severity::Error,
        }
    }

    /// The built-in rule with `code`.
    pub fn from_code(code: &str) -> Option<Builtin> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docs_catalogue_every_builtin_rule() {
        let docs =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md")).unwrap();
        for r in Builtin::ALL {
            assert!(
                docs.contains(&format!("`{}`", r.code())),
                "docs/rules.md lacks {}",
                r.code()
            );
            assert_eq!(Builtin::from_code(r.code()), Some(r));
        }
    }
}
