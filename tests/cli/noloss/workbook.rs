//! Workbooks crafted part by part: values outside the header's columns, a formula with no cached
//! value, a repeated row number, and bombs (a shared-strings count of four billion, a part that
//! inflates past its limit) run under a memory cap. Each ends in a located finding or a located
//! exit 2, with the ledger balancing.
// See: #9
use std::io::Write;
use std::path::Path;

use predicates::str::contains;

use crate::common::{assert_balanced, bin, copy_fixture, dry_run_json, findings, ledger};

const HEADER: [&str; 7] = [
    "placement_id",
    "child_id",
    "code",
    "legal",
    "provider",
    "start",
    "end",
];

/// An inline-string cell.
fn cell(at: &str, text: &str) -> String {
    format!(r#"<c r="{at}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

/// A row: `cells` is the XML of its cells.
fn row(r: u32, cells: &[String]) -> String {
    format!(r#"<row r="{r}">{}</row>"#, cells.concat())
}

/// Row 1 is the header; `data` follows as given.
fn sheet(data: &[String]) -> String {
    let header: Vec<String> = HEADER
        .iter()
        .enumerate()
        .map(|(i, h)| cell(&format!("{}1", (b'A' + i as u8) as char), h))
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{}{}</sheetData></worksheet>"#,
        row(1, &header),
        data.concat()
    )
}

/// A placement row's cells, A to G, at row `r`.
fn placement(r: u32, id: &str) -> Vec<String> {
    let values = [id, "C1", "FOS", "FCO", "PRV1", "01/01/2016", ""];
    values
        .iter()
        .enumerate()
        .filter(|(_, v)| !v.is_empty())
        .map(|(i, v)| cell(&format!("{}{r}", (b'A' + i as u8) as char), v))
        .collect()
}

/// A minimal xlsx: one sheet "Placements", and optional extra parts (name, bytes).
fn xlsx(sheet_xml: &str, extra: &[(&str, &[u8])]) -> Vec<u8> {
    let mut parts: Vec<(&str, Vec<u8>)> = vec![
        ("[Content_Types].xml", br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_vec()),
        ("_rels/.rels", br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_vec()),
        ("xl/workbook.xml", br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Placements" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_vec()),
        ("xl/_rels/workbook.xml.rels", br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#.to_vec()),
        ("xl/worksheets/sheet1.xml", sheet_xml.as_bytes().to_vec()),
    ];
    for (name, bytes) in extra {
        parts.push((name, bytes.to_vec()));
    }
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    for (name, bytes) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(&bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// The mini mapping set reading placements from `placements.xlsx`, and the clean extract with
/// that workbook in place of placements.csv.
fn extract(workbook: &[u8]) -> (tempfile::TempDir, tempfile::TempDir) {
    extract_as("placements.xlsx", workbook)
}

/// [`extract`], with the workbook under `name`.
fn extract_as(name: &str, workbook: &[u8]) -> (tempfile::TempDir, tempfile::TempDir) {
    let maps = copy_fixture("fixtures/mini_mappings");
    let input = copy_fixture("fixtures/clean_small");
    let toml = maps.path().join("placements.toml");
    let text = std::fs::read_to_string(&toml)
        .unwrap()
        .replace("placements.csv", name);
    std::fs::write(&toml, text).unwrap();
    std::fs::remove_file(input.path().join("placements.csv")).unwrap();
    std::fs::write(input.path().join(name), workbook).unwrap();
    (maps, input)
}

/// `(rule, line)` of every finding on placements.xlsx.
fn on_workbook(json: &serde_json::Value) -> Vec<(String, i64)> {
    findings(json)
        .into_iter()
        .filter(|f| f.2 == "placements.xlsx")
        .map(|f| (f.0, f.3))
        .collect()
}

#[test]
fn issue_9_a_clean_crafted_workbook_transfers() {
    let (maps, input) = extract(&xlsx(&sheet(&[row(2, &placement(2, "P1"))]), &[]));
    let (code, json) = dry_run_json(maps.path(), input.path());
    assert_eq!(code, 0, "{:?}", findings(&json));
    assert_eq!(ledger(&json, "placement"), [1, 1, 0, 0]);
}

#[test]
fn issue_9_a_value_right_of_the_last_header_is_a_finding_and_its_row_is_counted() {
    let mut beyond = placement(2, "P1");
    beyond.push(cell("J2", "a note"));
    let only_beyond = vec![cell("K3", "a row with nothing under a header")];
    let (maps, input) = extract(&xlsx(&sheet(&[row(2, &beyond), row(3, &only_beyond)]), &[]));
    let (code, json) = dry_run_json(maps.path(), input.path());
    assert_eq!(code, 1);
    assert_balanced(&json);
    assert_eq!(
        on_workbook(&json),
        [("HO-SRC-003".to_string(), 2), ("HO-SRC-003".to_string(), 3)]
    );
    // Both data rows of the sheet are in the ledger, rejected.
    assert_eq!(ledger(&json, "placement"), [2, 0, 0, 2]);
    let message = json["findings"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("cell J2") && !message.contains("a note"),
        "{message}"
    );
}

#[test]
fn issue_9_a_formula_with_no_cached_value_is_a_finding_not_a_blank() {
    let mut cells = placement(2, "P1");
    // F2, the start date: a formula and no `<v>`.
    cells[5] = r#"<c r="F2"><f>DATE(2016,1,1)</f></c>"#.to_string();
    let (maps, input) = extract(&xlsx(&sheet(&[row(2, &cells)]), &[]));
    let (code, json) = dry_run_json(maps.path(), input.path());
    assert_eq!(code, 1);
    assert_balanced(&json);
    assert_eq!(on_workbook(&json), [("HO-SRC-004".to_string(), 2)]);
    assert_eq!(json["findings"][0]["column"], "start");
    assert_eq!(ledger(&json, "placement"), [1, 0, 0, 1]);
}

#[test]
fn issue_9_a_repeated_row_number_stops_the_run_naming_the_cells() {
    // The second row's cells claim row 2 again: read on, it would merge into the first.
    let (maps, input) = extract(&xlsx(
        &sheet(&[row(2, &placement(2, "P1")), row(2, &placement(2, "P2"))]),
        &[],
    ));
    crate::common::migrate(maps.path(), input.path())
        .arg("--dry-run")
        .assert()
        .code(2)
        .stderr(contains(
            "placements.xlsx (sheet `Placements`): cell A2 comes after cell F2",
        ));
}

/// Runs `handover migrate --dry-run` with its address space capped at `mb` MiB.
fn migrate_capped(maps: &Path, input: &Path, mb: u64) -> std::process::Output {
    let exe = bin().get_program().to_owned();
    std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {}; exec \"$@\"", mb * 1024))
        .arg("sh")
        .arg(exe)
        .args(["-q", "migrate", "--dry-run", "--mappings"])
        .arg(maps)
        .arg("--input")
        .arg(input)
        .output()
        .expect("run handover under a memory cap")
}

#[test]
fn issue_9_the_cap_leaves_room_for_a_normal_workbook() {
    let (maps, input) = extract(&xlsx(&sheet(&[row(2, &placement(2, "P1"))]), &[]));
    let out = migrate_capped(maps.path(), input.path(), 1024);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn issue_9_a_shared_strings_count_of_four_billion_is_refused_under_a_memory_cap() {
    let sst = br#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4000000000" uniqueCount="4000000000"><si><t>x</t></si></sst>"#;
    let workbook = xlsx(
        &sheet(&[row(2, &placement(2, "P1"))]),
        &[("xl/sharedStrings.xml", sst)],
    );
    let (maps, input) = extract(&workbook);
    let out = migrate_capped(maps.path(), input.path(), 1024);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("placements.xlsx: the workbook is refused: part `xl/sharedStrings.xml` declares 4000000000 strings"),
        "{stderr}"
    );
}

#[test]
fn issue_9_a_zip_bomb_is_refused_under_a_memory_cap() {
    // 256 MiB of one repeated cell text inflates from a few hundred kB: one "cell" of 256 MiB.
    let mut bomb = b"<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" uniqueCount=\"1\"><si><t>".to_vec();
    bomb.resize(bomb.len() + 256 * 1024 * 1024, b'a');
    bomb.extend_from_slice(b"</t></si></sst>");
    let workbook = xlsx(
        &sheet(&[row(2, &placement(2, "P1"))]),
        &[("xl/sharedStrings.xml", &bomb)],
    );
    drop(bomb);
    assert!(workbook.len() < 2 * 1024 * 1024, "{} bytes", workbook.len());
    let (maps, input) = extract(&workbook);
    let out = migrate_capped(maps.path(), input.path(), 1024);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("placements.xlsx: the workbook is refused:")
            && stderr.contains("xl/sharedStrings.xml"),
        "{stderr}"
    );
}

#[test]
fn issue_9_a_sheet_broken_midway_names_the_sheet_and_the_last_cell_read() {
    let xml = sheet(&[row(2, &placement(2, "P1"))]);
    // Cut in the middle of the third row: the XML never closes.
    let broken = xml.replace(
        "</sheetData></worksheet>",
        r#"<row r="3"><c r="A3" t="inlineStr"><is><t>P2"#,
    );
    let (maps, input) = extract(&xlsx(&broken, &[]));
    crate::common::migrate(maps.path(), input.path())
        .arg("--dry-run")
        .assert()
        .code(2)
        .stderr(contains(
            "placements.xlsx (sheet `Placements`, after cell F2): cannot read the sheet",
        ));
}

#[test]
fn issue_9_an_xls_declaring_billions_of_cells_is_refused_under_a_memory_cap() {
    // A compound file whose workbook stream holds a BOF and a DIMENSIONS record of
    // 4,294,967,295 rows by 256 columns: calamine would reserve room for them all.
    let mut stream = Vec::new();
    let record = |typ: u16, data: &[u8], out: &mut Vec<u8>| {
        out.extend_from_slice(&typ.to_le_bytes());
        out.extend_from_slice(&(data.len() as u16).to_le_bytes());
        out.extend_from_slice(data);
    };
    record(
        0x0809,
        &[0, 6, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        &mut stream,
    );
    let mut dims = Vec::new();
    dims.extend_from_slice(&0u32.to_le_bytes());
    dims.extend_from_slice(&u32::MAX.to_le_bytes());
    dims.extend_from_slice(&0u16.to_le_bytes());
    dims.extend_from_slice(&256u16.to_le_bytes());
    dims.extend_from_slice(&[0, 0]);
    record(0x0200, &dims, &mut stream);
    record(0x000A, &[], &mut stream);
    let mut cfb = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    cfb.create_stream("/Workbook")
        .unwrap()
        .write_all(&stream)
        .unwrap();
    let bytes = cfb.into_inner().into_inner();
    let (maps, input) = extract_as("placements.xls", &bytes);
    let out = migrate_capped(maps.path(), input.path(), 1024);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "placements.xls: the workbook is refused: the cells a sheet's dimensions declare"
        ),
        "{stderr}"
    );
}
