//! The XML reader (#12) through the library: records flattened into rows by their path, values
//! inherited from enclosing elements, the line and column of each record, what does not flatten
//! (a located `HO-SRC-005` problem on the row), every bound and refusal (a located error), and
//! encodings.
use std::path::Path;
use std::sync::Arc;

use handover::source::xml::{MAX_COLUMNS, MAX_DEPTH, MAX_NAME, MAX_RECORD, MAX_TEXT, XmlLayout};
use handover::source::{self, Cell, Row, SourceError, SourceSpec};

fn path(s: &str) -> Vec<String> {
    s.split('/').map(str::to_string).collect()
}

/// The layout of the 903 episodes: EPISODE records, CHILD from the HEADER's CHILDID.
fn episodes() -> XmlLayout {
    XmlLayout {
        record: path("R/CHILD/EPISODE"),
        inherit: vec![("CHILD".into(), path("R/CHILD/HEADER/CHILDID"))],
        declared: vec!["DECOM".into(), "DEC".into()],
        skip: Vec::new(),
    }
}

fn spec(dir: &Path, bytes: &[u8], layout: XmlLayout) -> SourceSpec {
    let p = dir.join("in.xml");
    std::fs::write(&p, bytes).expect("write");
    SourceSpec {
        path: p,
        display: "in.xml".into(),
        sheet: None,
        header_row: 1,
        delimiter: None,
        encoding: None,
        xml: Some(Arc::new(layout)),
    }
}

/// (headers, rows as (line, cells as text, problem messages)) or the error.
type Read = (Vec<String>, Vec<(u64, Vec<String>, Vec<String>)>);

fn read(bytes: &[u8], layout: XmlLayout) -> Result<Read, SourceError> {
    let dir = tempfile::tempdir().expect("tmp");
    let mut reader = source::open(&spec(dir.path(), bytes, layout))?;
    let headers = reader.headers().to_vec();
    let mut rows = Vec::new();
    let mut row = Row::default();
    while reader.read_row(&mut row)? {
        let cells = row
            .cells
            .iter()
            .map(|c| match c {
                Cell::Text(t) => t.clone(),
                Cell::Empty => String::new(),
                other => format!("{other:?}"),
            })
            .collect();
        let problems = row
            .problems
            .iter()
            .map(|p| format!("{} {:?}: {}", p.rule.code(), p.column, p.message))
            .collect();
        // The line of the record's start tag (its number is checked in `places`).
        let line = row.place.map_or(row.line, |p| p.line);
        rows.push((line, cells, problems));
    }
    Ok((headers, rows))
}

fn error(bytes: &[u8], layout: XmlLayout) -> String {
    match read(bytes, layout) {
        Ok(r) => panic!("read without error: {r:?}"),
        Err(e) => e.to_string(),
    }
}

const TWO_CHILDREN: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<R>
  <CHILD>
    <HEADER><CHILDID>C1</CHILDID><SEX>1</SEX></HEADER>
    <EPISODE>
      <DECOM>01/05/2015</DECOM>
      <RNE>S</RNE>
      <DEC/>
    </EPISODE>
    <EPISODE><DECOM>10/10/2016</DECOM><RNE>P</RNE></EPISODE>
  </CHILD>
  <!-- a comment, passed over -->
  <CHILD>
    <HEADER><CHILDID>C2 &amp; &#65;</CHILDID></HEADER>
    <EPISODE><RNE>L</RNE><PL_POST>ZZ99&#x20;1AA</PL_POST></EPISODE>
  </CHILD>
</R>
"#;

#[test]
fn records_become_rows_with_the_inherited_child_and_the_line_of_their_start_tag() {
    let (headers, rows) = read(TWO_CHILDREN.as_bytes(), episodes()).expect("read");
    assert_eq!(
        headers,
        ["CHILD", "DECOM", "RNE", "DEC", "PL_POST"],
        "inherited first, then as seen, then declared"
    );
    let cells = |r: &[&str]| r.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        rows,
        vec![
            (5, cells(&["C1", "01/05/2015", "S", "", ""]), vec![]),
            (10, cells(&["C1", "10/10/2016", "P", "", ""]), vec![]),
            (15, cells(&["C2 & A", "", "L", "", "ZZ99 1AA"]), vec![]),
        ]
    );
}

/// (number, (line, col) of its start) of every row read from `path` through `spec`.
fn places(spec: &SourceSpec) -> Vec<(u64, Option<(u64, u64)>)> {
    let mut reader = source::open(spec).expect("open");
    let (mut row, mut out) = (Row::default(), Vec::new());
    while reader.read_row(&mut row).expect("a row") {
        out.push((row.line, row.place.map(|p| (p.line, p.col))));
    }
    out
}

#[test]
fn rows_carry_the_column_of_their_start_tag_in_characters_and_csv_rows_none() {
    let dir = tempfile::tempdir().expect("tmp");
    let xml = "<R><CHILD><HEADER><CHILDID>Zoë</CHILDID></HEADER><EPISODE><RNE>S</RNE></EPISODE>\n\
               <!-- né --> <EPISODE><RNE>P</RNE></EPISODE></CHILD>\n</R>\n";
    let got = places(&spec(dir.path(), xml.as_bytes(), episodes()));
    // Line 1: `<EPISODE>` after 49 characters (50 bytes: `ë`); line 2 after the comment.
    let first = xml.lines().next().unwrap();
    assert_eq!(first.find("<EPISODE>"), Some(50));
    assert_eq!(got, [(1, Some((1, 50))), (2, Some((2, 13)))]);
    // The same file in Windows-1252 (declared on line 1, before the records): columns count
    // characters, whatever the bytes (`ë` is one byte here).
    let decl = r#"<?xml version="1.0" encoding="windows-1252"?>"#;
    let latin: Vec<u8> = format!("{decl}{xml}")
        .chars()
        .map(|c| u8::try_from(u32::from(c)).expect("Latin-1"))
        .collect();
    let got = places(&spec(dir.path(), &latin, episodes()));
    assert_eq!(
        got,
        [(1, Some((1, decl.len() as u64 + 50))), (2, Some((2, 13)))]
    );
    // A CSV row is a whole line: its number is its line, and it has no other place.
    let csv = dir.path().join("in.csv");
    std::fs::write(&csv, "CHILD,RNE\nC1,S\n").expect("write");
    let csv = SourceSpec {
        path: csv,
        display: "in.csv".into(),
        xml: None,
        ..spec(dir.path(), b"<R/>", episodes())
    };
    assert_eq!(places(&csv), [(2, None)]);
}

#[test]
fn records_on_one_line_are_numbered_and_placed_by_their_columns() {
    let dir = tempfile::tempdir().expect("tmp");
    let xml = "<R><CHILD><HEADER><CHILDID>C1</CHILDID></HEADER><EPISODE><RNE>S</RNE></EPISODE><EPISODE><RNE>P</RNE></EPISODE></CHILD><CHILD><HEADER><CHILDID>C2</CHILDID></HEADER><EPISODE><RNE>L</RNE></EPISODE></CHILD></R>";
    let got = places(&spec(dir.path(), xml.as_bytes(), episodes()));
    let cols: Vec<u64> = xml
        .match_indices("<EPISODE>")
        .map(|(i, _)| i as u64 + 1)
        .collect();
    assert_eq!(
        got,
        [
            (1, Some((1, cols[0]))),
            (2, Some((1, cols[1]))),
            (3, Some((1, cols[2])))
        ]
    );
    let (_, rows) = read(xml.as_bytes(), episodes()).expect("read");
    let children: Vec<&str> = rows.iter().map(|r| r.1[0].as_str()).collect();
    assert_eq!(
        children,
        ["C1", "C1", "C2"],
        "each record inherits its own CHILD"
    );
}

#[test]
fn declared_columns_are_headers_even_when_no_record_holds_them() {
    let xml = b"<R><CHILD><HEADER><CHILDID>C1</CHILDID></HEADER></CHILD></R>";
    let (headers, rows) = read(xml, episodes()).expect("read");
    assert_eq!(headers, ["CHILD", "DECOM", "DEC"]);
    assert!(rows.is_empty());
}

#[test]
fn an_inherited_value_is_reset_by_its_enclosing_element() {
    let xml = b"<R>\n<CHILD><HEADER><CHILDID>C1</CHILDID></HEADER></CHILD>\n<CHILD><EPISODE><RNE>S</RNE></EPISODE></CHILD>\n</R>";
    let (_, rows) = read(xml, episodes()).expect("read");
    assert_eq!(rows[0].0, 3);
    assert_eq!(rows[0].1[0], "", "the second CHILD has no CHILDID: not C1");
}

#[test]
fn attributes_are_columns_and_can_be_inherited() {
    let layout = XmlLayout {
        record: path("Message/Children/Child/CINdetails"),
        inherit: vec![("child".into(), path("Message/Children/Child/@id"))],
        ..XmlLayout::default()
    };
    let xml = br#"<Message xmlns="urn:x"><Children><Child id="A1">
<CINdetails kind="r"><CINreferralDate code="x">2017-01-01</CINreferralDate></CINdetails>
</Child></Children></Message>"#;
    let (headers, rows) = read(xml, layout).expect("read");
    assert_eq!(
        headers,
        ["child", "@kind", "CINreferralDate", "CINreferralDate/@code"]
    );
    assert_eq!(rows[0].1, ["A1", "r", "2017-01-01", "x"]);
    assert_eq!(rows[0].0, 2);
}

#[test]
fn what_does_not_flatten_into_one_row_is_a_located_problem() {
    let xml = b"<R><CHILD><HEADER><CHILDID>C1</CHILDID></HEADER>
<EPISODE>
  <RNE>S</RNE>
  <RNE>P</RNE>
</EPISODE>
<EPISODE><PLACE><CODE>U1</CODE></PLACE></EPISODE>
<EPISODE><RNE>S</RNE>stray</EPISODE>
</CHILD></R>";
    let (_, rows) = read(xml, episodes()).expect("read");
    let lines: Vec<u64> = rows.iter().map(|r| r.0).collect();
    assert_eq!(lines, [2, 6, 7]);
    let [repeated, nested, stray] = [&rows[0].2, &rows[1].2, &rows[2].2];
    assert_eq!(repeated.len(), 1, "{repeated:?}");
    assert!(
        repeated[0].starts_with("HO-SRC-005 Some(\"RNE\")")
            && repeated[0].contains("`R/CHILD/EPISODE/RNE` is repeated")
            && repeated[0].contains("lines 3 and 4"),
        "{repeated:?}"
    );
    assert!(
        nested[0].starts_with("HO-SRC-005 Some(\"PLACE\")")
            && nested[0].contains("`R/CHILD/EPISODE/PLACE` holds nested markup")
            && nested[0].contains("`CODE` at line 6"),
        "{nested:?}"
    );
    assert!(
        stray[0].contains("holds text outside its child elements (line 7)"),
        "{stray:?}"
    );
    assert!(
        !stray[0].contains("stray"),
        "messages never quote values: {stray:?}"
    );
}

#[test]
fn an_inherited_value_given_twice_is_a_problem_of_every_record_it_would_feed() {
    let xml = b"<R><CHILD>\n<HEADER><CHILDID>C1</CHILDID></HEADER>\n<HEADER><CHILDID>C2</CHILDID></HEADER>\n<EPISODE><RNE>S</RNE></EPISODE></CHILD></R>";
    let (_, rows) = read(xml, episodes()).expect("read");
    assert!(
        rows[0].2[0].contains("`R/CHILD` holds it twice (line 3)"),
        "{:?}",
        rows[0].2
    );
}

#[test]
fn an_ignored_element_is_passed_over_whole() {
    let mut layout = episodes();
    layout.skip = vec!["NOTES".into()];
    let xml =
        b"<R><CHILD><EPISODE><NOTES><P>a</P><P>b</P></NOTES><RNE>S</RNE></EPISODE></CHILD></R>";
    let (headers, rows) = read(xml, layout).expect("read");
    assert_eq!(headers, ["CHILD", "NOTES", "RNE", "DECOM", "DEC"]);
    assert_eq!(rows[0].1, ["", "", "S", "", ""]);
    assert!(rows[0].2.is_empty(), "{:?}", rows[0].2);
}

#[test]
fn a_record_with_nothing_in_it_is_skipped_as_a_blank_line_is() {
    let xml =
        b"<R><CHILD><EPISODE/><EPISODE><RNE/></EPISODE><EPISODE><RNE>S</RNE></EPISODE></CHILD></R>";
    let (_, rows) = read(xml, episodes()).expect("read");
    assert_eq!(rows.len(), 1);
}

#[test]
fn a_doctype_and_declared_entities_are_refused() {
    let bomb = b"<?xml version=\"1.0\"?>\n<!DOCTYPE R [<!ENTITY a \"aaaa\">]>\n<R>&a;</R>";
    let e = error(bomb, episodes());
    assert!(
        e.starts_with("in.xml:2:1: malformed XML: a DOCTYPE declaration is refused"),
        "{e}"
    );
    let e = error(b"<R>\n<CHILD>&a;</CHILD></R>", episodes());
    assert!(
        e.starts_with("in.xml:2:8: malformed XML: entity `&a;` is not one of XML's five"),
        "{e}"
    );
    // Inside an element no record or inherited value needs, which is skipped unread, too.
    let e = error(
        b"<R><CHILD>\n<REVIEW><X>&a;</X></REVIEW></CHILD></R>",
        episodes(),
    );
    assert!(
        e.starts_with("in.xml:2:12: malformed XML: entity `&a;`"),
        "{e}"
    );
}

#[test]
fn malformed_xml_stops_with_the_file_and_line() {
    let e = error(b"<R>\n<CHILD>\n</CHLD></R>", episodes());
    assert!(e.starts_with("in.xml:3:"), "{e}");
    assert!(e.contains("malformed XML"), "{e}");
    let e = error(b"<R>\n<CHILD>\n", episodes());
    assert!(e.contains("the file ends inside `<CHILD>`"), "{e}");
    let e = error(b"", episodes());
    assert!(e.contains("the file holds no element"), "{e}");
    let e = error(b"<R/><R/>", episodes());
    assert!(e.contains("a second root element"), "{e}");
}

#[test]
fn every_bound_is_a_located_error() {
    let deep = format!(
        "<R>\n{}{}",
        "<a>".repeat(MAX_DEPTH),
        "</a>".repeat(MAX_DEPTH)
    );
    let e = error(deep.as_bytes(), episodes());
    assert!(
        e.contains("in.xml:2:") && e.contains("the depth of elements passes the limit of 64"),
        "{e}"
    );
    let long = format!(
        "<R><CHILD><EPISODE>\n<RNE>{}</RNE></EPISODE></CHILD></R>",
        "x".repeat(MAX_TEXT as usize + 1)
    );
    let e = error(long.as_bytes(), episodes());
    assert!(
        e.starts_with("in.xml:2:") && e.contains("passes the limit of 1048576"),
        "{e}"
    );
    let split = format!(
        "<R><CHILD><EPISODE>\n<RNE>{0}&amp;{0}</RNE></EPISODE></CHILD></R>",
        "x".repeat(MAX_TEXT as usize / 2 + 1)
    );
    let e = error(split.as_bytes(), episodes());
    assert!(
        e.contains("the text of one element passes the limit"),
        "{e}"
    );
    let fields: String = (0..20)
        .map(|i| format!("<F{i}>{}</F{i}>", "x".repeat(MAX_RECORD as usize / 19)))
        .collect();
    let big = format!("<R><CHILD>\n<EPISODE>{fields}</EPISODE></CHILD></R>");
    let e = error(big.as_bytes(), episodes());
    assert!(
        e.starts_with("in.xml:2:1:") && e.contains("a record passes the limit of 16777216"),
        "{e}"
    );
    let wide: String = (0..=MAX_COLUMNS).map(|i| format!("<c{i}/>")).collect();
    let wide = format!("<R><CHILD><EPISODE>{wide}</EPISODE></CHILD></R>");
    let e = error(wide.as_bytes(), episodes());
    assert!(
        e.contains("the number of fields of one record passes the limit of 4096"),
        "{e}"
    );
    let record = |from: usize| -> String {
        let names: String = (from..from + 3000)
            .map(|i| format!("<c{i}>v</c{i}>"))
            .collect();
        format!("<EPISODE>{names}</EPISODE>\n")
    };
    let many = format!("<R><CHILD>\n{}{}</CHILD></R>", record(0), record(3000));
    let e = error(many.as_bytes(), episodes());
    assert!(
        e.starts_with("in.xml:3:") && e.contains("the columns of the file pass the limit of 4096"),
        "{e}"
    );
    let name = format!("<R>\n<{}/></R>", "n".repeat(MAX_NAME + 1));
    let e = error(name.as_bytes(), episodes());
    assert!(
        e.contains("in.xml:2:1:") && e.contains("the length of an element's name"),
        "{e}"
    );
}

fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend(if big_endian {
            [0xFE, 0xFF]
        } else {
            [0xFF, 0xFE]
        });
    }
    for unit in text.encode_utf16() {
        out.extend(if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        });
    }
    out
}

#[test]
fn declared_encodings_are_decoded() {
    let doc = |enc: &str| {
        format!(
            "<?xml version=\"1.0\" encoding=\"{enc}\"?>\n<R><CHILD><HEADER><CHILDID>Zoë</CHILDID></HEADER>\n<EPISODE><RNE>€</RNE></EPISODE></CHILD></R>"
        )
    };
    let expect = |bytes: &[u8]| {
        let (_, rows) = read(bytes, episodes()).expect("read");
        assert_eq!(rows[0].1[..2], ["Zoë", "€"]);
        assert_eq!(rows[0].0, 3);
    };
    expect(doc("UTF-8").as_bytes());
    expect(&[b"\xEF\xBB\xBF", doc("utf-8").as_bytes()].concat());
    expect(&utf16(&doc("UTF-16"), false, true));
    expect(&utf16(&doc("UTF-16"), true, true));
    expect(&utf16(&doc("UTF-16"), false, false));
    let cp1252 = doc("windows-1252");
    expect(&encoding_rs::WINDOWS_1252.encode(&cp1252).0);
    let latin1 = doc("ISO-8859-1");
    expect(&encoding_rs::WINDOWS_1252.encode(&latin1).0);
}

#[test]
fn other_encodings_and_bad_bytes_are_refused_with_the_name_and_line() {
    let e = error(
        b"<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><R/>",
        episodes(),
    );
    assert!(
        e.starts_with("in.xml: cannot read the XML file: its declared encoding `shift_jis`"),
        "{e}"
    );
    let e = error(
        b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<R>\n<CHILD>Zo\xeb</CHILD></R>",
        episodes(),
    );
    assert!(
        e.starts_with("in.xml:3: bytes that are not in the XML file's encoding"),
        "{e}"
    );
}

#[test]
fn an_xml_file_needs_a_record_path() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut s = spec(dir.path(), b"<R/>", XmlLayout::default());
    s.xml = None;
    let e = source::open(&s).err().expect("an error").to_string();
    assert!(
        e.contains("give the mapping's `[source]` a `record` path"),
        "{e}"
    );
}
