//! An independent auditor for `handover generate`: it reads the written files (csv + encoding_rs
//! for the CSVs, calamine for the spreadsheets), recounts the headline figures and finds the
//! defects by the contract's rules alone, without calling any generator code.
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use calamine::{Data, DataType, Reader};

/// The contract's Local Placement Code table.
const CODES: &[(&str, &str)] = &[
    ("FOS-REL-LT", "U1"),
    ("FOS-REL-FFA", "U2"),
    ("FOS-REL", "U3"),
    ("FOS-LT", "U4"),
    ("FOS-FFA", "U5"),
    ("FOS", "U6"),
    ("ADOPT-CONSENT-FC", "A3"),
    ("ADOPT-CONSENT", "A4"),
    ("ADOPT-PO-FC", "A5"),
    ("ADOPT-PO", "A6"),
    ("SEMI-IND", "H5"),
    ("SECURE", "K1"),
    ("RES-HOME", "K2"),
    ("PARENT", "P1"),
    ("INDEP", "P2"),
    ("RES-EMPLOY", "P3"),
    ("RES-CARE", "R1"),
    ("NHS", "R2"),
    ("FAMILY-CENTRE", "R3"),
    ("YOI", "R5"),
    ("RES-SCHOOL", "S1"),
    ("TEMP", "T0"),
    ("HOSPITAL", "T1"),
    ("HOLIDAY-CHILD", "T2"),
    ("HOLIDAY-CARER", "T3"),
    ("TEMP-7", "T4"),
    ("OTHER", "Z1"),
];

/// One defect found: (file, line, kind, entity, sheet).
pub type Found = (String, u64, String, String, Option<String>);

/// What the auditor counted.
#[derive(Debug, Default)]
pub struct Audit {
    pub figures: BTreeMap<String, u64>,
    pub controls: BTreeMap<String, u64>,
    pub defects: Vec<Found>,
    /// Rows that contradict themselves or the as-at date (dates out of order, open LAC children
    /// without exactly one current placement, ...): always expected to be empty.
    pub inconsistencies: Vec<String>,
}

/// Parses a strict `dd/mm/yyyy` calendar date.
pub fn parse_dmy(text: &str) -> Option<jiff::civil::Date> {
    let b = text.as_bytes();
    if b.len() != 10 || b[2] != b'/' || b[5] != b'/' {
        return None;
    }
    let d: i8 = text[0..2].parse().ok()?;
    let m: i8 = text[3..5].parse().ok()?;
    let y: i16 = text[6..10].parse().ok()?;
    jiff::civil::Date::new(y, m, d).ok()
}

fn csv_rows(bytes: &[u8]) -> Vec<(u64, BTreeMap<String, String>)> {
    let mut r = csv::ReaderBuilder::new().from_reader(bytes);
    let headers = r.headers().expect("header").clone();
    // No field holds a line break, so record i (0-based) sits on physical line i + 2.
    r.records()
        .enumerate()
        .map(|(i, rec)| {
            let rec = rec.expect("csv record");
            assert!(rec.iter().all(|f| !f.contains('\n')));
            let line = i as u64 + 2;
            let row = headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect();
            (line, row)
        })
        .collect()
}

fn found(file: &str, line: u64, kind: &str, entity: &str, sheet: Option<&str>) -> Found {
    (
        file.into(),
        line,
        kind.into(),
        entity.into(),
        sheet.map(String::from),
    )
}

struct Staff {
    in_scope: BTreeSet<String>,
    accepted: BTreeSet<String>,
}

fn audit_staff(dir: &Path, a: &mut Audit) -> Staff {
    let raw = std::fs::read(dir.join("hr/staff.csv")).expect("staff.csv");
    let (text, _, bad) = encoding_rs::WINDOWS_1252.decode(&raw);
    assert!(!bad);
    let rows = csv_rows(text.as_bytes());
    let flags: BTreeMap<&str, &str> = rows
        .iter()
        .rev()
        .map(|(_, r)| (r["Employee No"].as_str(), r["Transfer Flag"].as_str()))
        .collect();
    let mut seen = BTreeSet::new();
    let mut staff = Staff {
        in_scope: BTreeSet::new(),
        accepted: BTreeSet::new(),
    };
    for (line, r) in &rows {
        let emp = r["Employee No"].clone();
        let y = r["Transfer Flag"] == "Y";
        let mut ok = true;
        if !seen.insert(emp.clone()) {
            a.defects
                .push(found("hr/staff.csv", *line, "duplicate", "staff", None));
            ok = false;
        }
        let manager = r["Line Manager"].as_str();
        if y && !manager.is_empty() && flags.get(manager) != Some(&"Y") {
            a.defects
                .push(found("hr/staff.csv", *line, "orphan", "staff", None));
            ok = false;
        }
        let dates = ["Date of Birth", "Start Date", "Continuous Service Date"];
        if dates.iter().any(|c| parse_dmy(&r[*c]).is_none()) {
            a.defects
                .push(found("hr/staff.csv", *line, "invalid_value", "staff", None));
            ok = false;
        }
        if y {
            staff.in_scope.insert(emp.clone());
            if ok {
                staff.accepted.insert(emp);
            }
        }
    }
    staff
}

/// Open cases by child id: (type).
struct Cases {
    ids: BTreeSet<String>,
    dob: BTreeMap<String, jiff::civil::Date>,
    open_lac: BTreeSet<String>,
}

fn audit_cases(dir: &Path, as_at: jiff::civil::Date, staff: &Staff, a: &mut Audit) -> Cases {
    let raw = std::fs::read(dir.join("cases/cases.csv")).expect("cases.csv");
    let rows = csv_rows(&raw);
    let due = working_days_before(as_at, 10);
    let mut c = Cases {
        ids: BTreeSet::new(),
        dob: BTreeMap::new(),
        open_lac: BTreeSet::new(),
    };
    let (mut lac, mut cp, mut cp_seen, mut cl, mut cl_plan, mut unalloc, mut held) =
        (0, 0, 0, 0, 0, 0, 0);
    let mut holders = BTreeSet::new();
    for (line, r) in &rows {
        c.ids.insert(r["Child ID"].clone());
        let kind = r["Involvement Type"].as_str();
        let open = r["Status"] == "Open";
        let worker = r["Allocated Worker"].as_str();
        let no_worker = worker.is_empty() || worker == "-1";
        match parse_dmy(&r["Date of Birth"]) {
            None => a.defects.push(found(
                "cases/cases.csv",
                *line,
                "invalid_value",
                "child",
                None,
            )),
            Some(dob) => {
                c.dob.insert(r["Child ID"].clone(), dob);
                let start = parse_dmy(&r["Start Date"]);
                let end = parse_dmy(&r["End Date"]).unwrap_or(as_at);
                let visit = parse_dmy(&r["Last Statutory Visit"]).unwrap_or(as_at);
                let plan = parse_dmy(&r["CP Plan Start"]).unwrap_or(dob);
                let ordered = |s: jiff::civil::Date| {
                    dob <= s
                        && s <= end
                        && end <= as_at
                        && dob <= plan
                        && plan <= visit
                        && visit <= as_at
                };
                if !start.is_some_and(ordered) {
                    a.inconsistencies
                        .push(format!("cases.csv line {line}: dates out of order"));
                }
            }
        }
        if !no_worker && kind != "ASC" && !staff.in_scope.contains(worker) {
            a.defects
                .push(found("cases/cases.csv", *line, "orphan", "child", None));
        }
        if !open {
            continue;
        }
        if ["CIN", "CP", "LAC", "CL"].contains(&kind) && no_worker {
            unalloc += 1;
            a.defects.push(found(
                "cases/cases.csv",
                *line,
                "unallocated",
                "child",
                None,
            ));
        }
        if ["CIN", "CP", "LAC"].contains(&kind) {
            held += 1;
            if staff.accepted.contains(worker) {
                holders.insert(worker.to_string());
            }
        }
        match kind {
            "LAC" => {
                lac += 1;
                c.open_lac.insert(r["Child ID"].clone());
            }
            "CP" => {
                cp += 1;
                let visit = parse_dmy(&r["Last Statutory Visit"]).expect("visit date");
                cp_seen += u64::from(visit >= due && visit <= as_at);
            }
            "CL" => {
                cl += 1;
                cl_plan += u64::from(!r["Pathway Plan Date"].is_empty());
            }
            _ => {}
        }
    }
    let f = &mut a.figures;
    f.insert("looked_after".into(), lac);
    f.insert("cp_plans".into(), cp);
    f.insert("care_leavers".into(), cl);
    f.insert("unallocated_cases".into(), unalloc);
    f.insert(
        "average_caseload".into(),
        ratio(held, holders.len() as u64, 1),
    );
    f.insert(
        "cp_visit_within_10_working_days_pct".into(),
        ratio(cp_seen, cp, 100),
    );
    f.insert(
        "care_leavers_with_pathway_plan_pct".into(),
        ratio(cl_plan, cl, 100),
    );
    c
}

/// `round(scale * num / den)` with f64 rounding, as a person with a spreadsheet would do it.
fn ratio(num: u64, den: u64, scale: u64) -> u64 {
    ((scale * num) as f64 / den as f64).round() as u64
}

fn working_days_before(day: jiff::civil::Date, n: u32) -> jiff::civil::Date {
    use jiff::civil::Weekday;
    let mut d = day;
    let mut left = n;
    while left > 0 {
        d = d.yesterday().expect("date");
        if !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday) {
            left -= 1;
        }
    }
    d
}

fn cell_text(c: Option<&Data>) -> String {
    match c {
        None | Some(Data::Empty) => String::new(),
        Some(Data::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// The Excel 1900-system serial of a date.
fn excel_serial(d: jiff::civil::Date) -> i64 {
    let base = jiff::civil::date(1899, 12, 30);
    i64::from((d - base).get_days())
}

fn audit_placements(dir: &Path, as_at: jiff::civil::Date, cases: &Cases, a: &mut Audit) {
    let mut wb = calamine::open_workbook_auto(dir.join("placements/placements.xlsx"))
        .expect("placements.xlsx");
    let range = wb.worksheet_range("Placements").expect("Placements sheet");
    let start_row = range.start().expect("non-empty").0;
    let mut current: BTreeMap<String, u32> = BTreeMap::new();
    for (i, row) in range.rows().enumerate() {
        let excel_row = u64::from(start_row) + i as u64 + 1;
        if excel_row < 5 {
            continue;
        }
        let file = "placements/placements.xlsx";
        let child = cell_text(row.get(1));
        let place = cell_text(row.get(2));
        let code = cell_text(row.get(3));
        if !cases.ids.contains(&child) {
            a.defects.push(found(
                file,
                excel_row,
                "orphan",
                "placement",
                Some("Placements"),
            ));
        }
        match CODES.iter().find(|(c, _)| *c == code) {
            None => a.defects.push(found(
                file,
                excel_row,
                "invalid_code",
                "placement",
                Some("Placements"),
            )),
            Some((_, p)) => {
                assert_eq!(*p, place, "row {excel_row}: 903 type disagrees with {code}")
            }
        }
        if matches!(row.get(6), None | Some(Data::Empty)) {
            a.defects.push(found(
                file,
                excel_row,
                "missing_value",
                "placement",
                Some("Placements"),
            ));
        }
        let date = |c: Option<&Data>| c.and_then(DataType::as_f64).map(|f| f as i64);
        let (start, end) = (date(row.get(6)), date(row.get(7)));
        let dob = cases.dob.get(&child).map(|d| excel_serial(*d));
        let as_at_serial = excel_serial(as_at);
        if start.zip(end).is_some_and(|(s, e)| s > e)
            || start.zip(dob).is_some_and(|(s, d)| s < d)
            || end.is_some_and(|e| e > as_at_serial)
            || start.is_some_and(|s| s > as_at_serial)
        {
            a.inconsistencies
                .push(format!("placements row {excel_row}: dates out of order"));
        }
        if matches!(row.get(7), None | Some(Data::Empty)) {
            *current.entry(child).or_default() += 1;
        }
    }
    for child in &cases.open_lac {
        if current.get(child) != Some(&1) {
            a.inconsistencies.push(format!(
                "open LAC {child} has {:?} current placements",
                current.get(child)
            ));
        }
    }
    for child in current.keys().filter(|c| !cases.open_lac.contains(*c)) {
        a.inconsistencies.push(format!(
            "{child} is not open LAC but has a current placement"
        ));
    }
}

fn count_rows(dir: &Path, file: &str, sheet: &str) -> u64 {
    let mut wb = calamine::open_workbook_auto(dir.join(file)).expect("xlsx");
    let range = wb.worksheet_range(sheet).expect("sheet");
    range
        .rows()
        .skip(1)
        .filter(|r| r.iter().any(|c| *c != Data::Empty))
        .count() as u64
}

/// Audits the folder written for `as_at`.
pub fn audit(dir: &Path, as_at: jiff::civil::Date) -> Audit {
    let mut a = Audit::default();
    let staff = audit_staff(dir, &mut a);
    let cases = audit_cases(dir, as_at, &staff, &mut a);
    audit_placements(dir, as_at, &cases, &mut a);
    a.figures
        .insert("staff_in_scope".into(), staff.accepted.len() as u64);
    a.figures.insert(
        "agency_workers".into(),
        count_rows(dir, "hr/agency_workers.xlsx", "Agency Workers"),
    );
    a.controls
        .insert("staff_in_scope".into(), staff.in_scope.len() as u64);
    for k in ["looked_after", "cp_plans", "care_leavers"] {
        a.controls.insert(k.into(), a.figures[k]);
    }
    a.defects.sort();
    a
}
