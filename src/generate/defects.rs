//! The defects of the January snapshot (contract "Snapshots and defects"), in one place: which rows
//! carry them and how they are recorded. They are injected only into block 0 of snapshots dated
//! before 1 March 2017, so their number does not grow with `--scale`; the March world has none.
use serde::Serialize;

/// Staff posts (block 0) whose Line Manager points at a leaver in January.
pub const LINE_MANAGER_ORPHANS: [u32; 2] = [596, 597];
/// The leaver they point at.
pub const ORPHAN_MANAGER: u32 = 920;
/// The staff post exported twice in January.
pub const DUPLICATE_STAFF: u32 = 598;
/// The staff post whose Start Date reads `31/02/2015` in January.
pub const BAD_START_STAFF: u32 = 599;
/// Open CIN children (index within the CIN segment) left unallocated; even ones blank, odd `-1`.
pub const UNALLOCATED_CIN: u32 = 6;
/// Open CP children (index within the CP segment) left unallocated.
pub const UNALLOCATED_CP: u32 = 3;
/// Open CIN children (index within the CIN segment from `UNALLOCATED_CIN`) allocated to leavers.
pub const ORPHAN_CIN: u32 = 3;
/// The open EH child (index within the EH segment) whose Date of Birth reads `2009-13-01`.
pub const BAD_DOB_EH: u32 = 0;
/// Care leavers (index within the CL segment) whose first placement carries an invalid local code.
pub const BAD_CODE_CL: [(u32, &str); 3] = [(0, "FOS-EMERG"), (1, "FOS-EMERG"), (2, "RES-OOA")];
/// The care leaver whose first placement has a blank Start Date.
pub const NO_START_CL: u32 = 3;
/// Orphan placements are written after the placements of these children (local index) of block 0.
pub const ORPHAN_PLACEMENTS_AFTER: [u32; 2] = [40, 2000];

/// One injected defect, as listed in expected.json.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Defect {
    /// `orphan`, `duplicate`, `unallocated`, `invalid_code`, `invalid_value`, `missing_value`.
    pub kind: &'static str,
    /// `staff`, `child` or `placement`.
    pub entity: &'static str,
    /// The file, relative to the output folder.
    pub file: &'static str,
    /// The sheet for xlsx files; null for CSV files.
    pub sheet: Option<&'static str>,
    /// The CSV line (header is line 1) or the Excel row number.
    pub line: u64,
}

impl Defect {
    /// A defect on a CSV line.
    pub fn csv(kind: &'static str, entity: &'static str, file: &'static str, line: u64) -> Defect {
        Defect {
            kind,
            entity,
            file,
            sheet: None,
            line,
        }
    }
}

/// expected.json lists defects sorted by file, line, kind.
impl Ord for Defect {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.file, self.line, self.kind, self.entity, self.sheet).cmp(&(
            other.file,
            other.line,
            other.kind,
            other.entity,
            other.sheet,
        ))
    }
}

impl PartialOrd for Defect {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
