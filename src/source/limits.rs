//! Bounds on workbooks, checked before calamine opens one and while its parts are inflated, so
//! that any xlsx, xlsm, xlsb or ods, however crafted, ends in a located error under the memory
//! budget (docs/limits.md) instead of an abort (#9). calamine cannot be bounded from outside: it
//! reserves what a workbook declares (`<sst uniqueCount>` for xlsx, a sheet's dimensions for
//! xls), holds the shared strings and an ods sheet whole, and inflates zip parts without a cap.
//! So every zip part is inflated here first, streaming, and measured: its size against the
//! limit for its kind, the longest run of bytes without markup (one cell's text, which the XML
//! reader buffers whole), the shared strings' declared count against what its bytes can hold,
//! and for ods the cells its repeat attributes expand to. An xls is a compound file, not a zip:
//! its size is bounded, and each sheet's DIMENSIONS record is read (through the cfb crate) and
//! checked before calamine reserves room for what it declares.
use std::io::Read;
use std::path::Path;

use super::SourceError;

/// The memory the limits below keep a workbook read within (docs/limits.md).
pub const MEMORY_BUDGET_MB: u64 = 512;
/// Parts in one zip container.
pub const MAX_PARTS: usize = 10_000;
/// A part calamine holds whole (shared strings, styles, the workbook, an ods sheet), inflated.
pub const MAX_WHOLE_PART: u64 = 128 * 1024 * 1024;
/// A worksheet part calamine streams, inflated (about 40 million cells of XML).
pub const MAX_STREAMED_PART: u64 = 4 * 1024 * 1024 * 1024;
/// One cell's text, or any run of bytes between markup, inflated.
pub const MAX_RUN: u64 = 32 * 1024 * 1024;
/// Shared strings a workbook may declare.
pub const MAX_SHARED_STRINGS: u64 = 16 * 1024 * 1024;
/// Cells an ods sheet may expand to (calamine holds an ods sheet whole, about 60 bytes a cell).
pub const MAX_ODS_CELLS: u64 = 4 * 1024 * 1024;
/// An xls file (calamine reads the whole workbook stream into memory, then a sheet whole).
pub const MAX_XLS_BYTES: u64 = 64 * 1024 * 1024;
/// Cells an xls sheet's DIMENSIONS record may declare: the format's own maximum, 65,536 rows by
/// 256 columns (calamine reserves room for them all before reading one).
pub const MAX_XLS_CELLS: u64 = 65_536 * 256;

/// Checks the workbook at `path` (`display` names it in errors) against every limit for its
/// format (`ext`: `xlsx`, `xlsm`, `xlsb`, `ods` or `xls`). A file that is not a zip container is
/// left to calamine, which says why it cannot open it.
pub fn check(path: &Path, display: &str, ext: &str) -> Result<(), SourceError> {
    let io = |source| SourceError::Io {
        file: display.to_string(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    // A workbook is opened once per sheet read and once to list its sheets: checked once.
    let stamp = Stamp::of(path, &file);
    if stamp.as_ref().is_some_and(Stamp::seen) {
        return Ok(());
    }
    check_file(file, display, ext)?;
    if let Some(stamp) = stamp {
        stamp.remember();
    }
    Ok(())
}

/// A file as it was checked: its path, size and modification time.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Stamp(std::path::PathBuf, u64, std::time::SystemTime);

static CHECKED: std::sync::Mutex<std::collections::BTreeSet<Stamp>> =
    std::sync::Mutex::new(std::collections::BTreeSet::new());

impl Stamp {
    fn of(path: &Path, file: &std::fs::File) -> Option<Stamp> {
        let meta = file.metadata().ok()?;
        Some(Stamp(path.to_path_buf(), meta.len(), meta.modified().ok()?))
    }

    fn seen(&self) -> bool {
        CHECKED.lock().is_ok_and(|set| set.contains(self))
    }

    fn remember(self) {
        if let Ok(mut set) = CHECKED.lock() {
            set.insert(self);
        }
    }
}

fn check_file(file: std::fs::File, display: &str, ext: &str) -> Result<(), SourceError> {
    let io = |source| SourceError::Io {
        file: display.to_string(),
        source,
    };
    if ext == "xls" {
        let size = file.metadata().map_err(io)?.len();
        within(display, "the file", size, MAX_XLS_BYTES)?;
        return check_xls(file, display);
    }
    let Ok(mut zip) = zip::ZipArchive::new(std::io::BufReader::new(file)) else {
        return Ok(());
    };
    if zip.len() > MAX_PARTS {
        return Err(too_big(
            display,
            "the number of parts",
            zip.len() as u64,
            MAX_PARTS as u64,
        ));
    }
    for i in 0..zip.len() {
        let Ok(mut part) = zip.by_index(i) else {
            continue; // calamine reports a part it cannot read, if it needs it
        };
        let name = part.name().map(|n| n.into_owned()).unwrap_or_default();
        let kind = Kind::of(&name, ext);
        let what = format!("part `{name}`");
        within(display, &what, part.size(), kind.limit())?;
        let mut m = measure(&mut part, kind, display, &what)?;
        drop(part);
        if kind == Kind::OdsContent
            && let Ok(part) = zip.by_index(i)
        {
            // Its runs are bounded now, so the XML reader's buffer is too.
            m.ods_cells = ods_cells(std::io::BufReader::new(part));
        }
        kind.check(display, &what, &m)?;
    }
    Ok(())
}

/// The cells calamine would expand an ods document's rows to (its caps of 1,048,576 rows and
/// 16,384 columns included), counting up to a little past [`MAX_ODS_CELLS`].
fn ods_cells(part: impl std::io::BufRead) -> u64 {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(part);
    let mut buf = Vec::new();
    let (mut total, mut rows) = (0u64, 0u64);
    let (mut row_repeat, mut row_cells, mut pending) = (1u64, 0u64, 0u64);
    while total <= MAX_ODS_CELLS {
        let (e, empty) = match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => (e.into_owned(), false),
            Ok(Event::Empty(e)) => (e.into_owned(), true),
            Ok(Event::End(e)) if e.name().as_ref() == "table:table-row" => {
                total += row_repeat * row_cells.min(16_384);
                buf.clear();
                continue;
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {
                buf.clear();
                continue;
            }
        };
        buf.clear();
        let repeat = |key: &str| -> u64 {
            e.attributes()
                .flatten()
                .find(|a| a.key.as_ref() == key)
                .and_then(|a| a.value.trim().parse().ok())
                .unwrap_or(1)
        };
        match e.name().as_ref() {
            "table:table-row" => {
                row_repeat =
                    repeat("table:number-rows-repeated").min(1_048_576 - rows.min(1_048_576));
                rows += row_repeat;
                (row_cells, pending) = (0, 0);
            }
            "table:table-cell" | "table:covered-table-cell" => {
                let n = repeat("table:number-columns-repeated");
                let has_value = !empty
                    || e.attributes()
                        .flatten()
                        .any(|a| a.key.as_ref() == "office:value-type");
                if has_value {
                    row_cells = row_cells.saturating_add(pending.saturating_add(n));
                    pending = 0;
                } else {
                    pending = pending.saturating_add(n);
                }
            }
            _ => {}
        }
    }
    total
}

/// Reads the xls workbook stream's records (BIFF) and checks every sheet's DIMENSIONS record the
/// way calamine will read it. A file that is not a compound file is left to calamine.
fn check_xls(file: std::fs::File, display: &str) -> Result<(), SourceError> {
    let Ok(mut cfb) = cfb::CompoundFile::open(file) else {
        return Ok(());
    };
    let Some(name) = ["/Workbook", "/Book"].into_iter().find(|n| cfb.exists(n)) else {
        return Ok(());
    };
    let Ok(stream) = cfb.open_stream(name) else {
        return Ok(());
    };
    let mut stream = std::io::BufReader::new(stream);
    let mut header = [0u8; 4];
    let mut record = Vec::new();
    while stream.read_exact(&mut header).is_ok() {
        let typ = u16::from_le_bytes([header[0], header[1]]);
        let len = usize::from(u16::from_le_bytes([header[2], header[3]]));
        record.resize(len, 0);
        if stream.read_exact(&mut record).is_err() {
            break;
        }
        if typ == 0x0200
            && let Some(cells) = xls_dimension_cells(&record)
        {
            within(
                display,
                "the cells a sheet's dimensions declare",
                cells,
                MAX_XLS_CELLS,
            )?;
        }
    }
    Ok(())
}

/// The cells an xls DIMENSIONS record makes calamine reserve (its arithmetic, wrapping included).
fn xls_dimension_cells(r: &[u8]) -> Option<u64> {
    let u16_at = |i: usize| u32::from(u16::from_le_bytes([r[i], r[i + 1]]));
    let u32_at = |i: usize| u32::from_le_bytes([r[i], r[i + 1], r[i + 2], r[i + 3]]);
    let (rf, rl, mut cf, cl) = match r.len() {
        10 => (u16_at(0), u16_at(2), u16_at(4), u16_at(6)),
        14 | 16 => (u32_at(0), u32_at(4), u16_at(8), u16_at(10)),
        _ => return None,
    };
    if 0xFF < cf || cl < cf {
        cf = 0;
    }
    if rl == 0 || cl == 0 {
        return Some(1);
    }
    let rows = (rl - 1).wrapping_sub(rf).wrapping_add(1);
    let cols = (cl - 1).wrapping_sub(cf).wrapping_add(1);
    Some(u64::from(rows).saturating_mul(u64::from(cols)))
}

/// How calamine treats a part.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A worksheet, streamed cell by cell.
    Streamed,
    /// The shared strings, held whole and reserved by their declared count.
    SharedStrings,
    /// An ods document, whose sheets are held whole.
    OdsContent,
    /// Anything else calamine reads whole (styles, the workbook, relationships).
    Whole,
}

impl Kind {
    fn of(name: &str, ext: &str) -> Kind {
        let lower = name.to_ascii_lowercase();
        if ext == "ods" && lower == "content.xml" {
            Kind::OdsContent
        } else if lower.starts_with("xl/worksheets/") && !lower.contains("/_rels/") {
            Kind::Streamed
        } else if lower == "xl/sharedstrings.xml" {
            Kind::SharedStrings
        } else {
            Kind::Whole
        }
    }

    fn limit(self) -> u64 {
        match self {
            Kind::Streamed => MAX_STREAMED_PART,
            _ => MAX_WHOLE_PART,
        }
    }

    fn check(self, file: &str, what: &str, m: &Measured) -> Result<(), SourceError> {
        match self {
            Kind::SharedStrings => {
                // An entry is at least `<si/>`: five bytes.
                let can_hold = m.size / 5 + 1;
                let declared = m.declared_count.unwrap_or(0);
                if declared > can_hold.min(MAX_SHARED_STRINGS) {
                    return Err(SourceError::Limit {
                        file: file.to_string(),
                        what: format!(
                            "{what} declares {declared} strings, but its {} bytes hold at most {can_hold} (and the limit is {MAX_SHARED_STRINGS})",
                            m.size
                        ),
                    });
                }
                Ok(())
            }
            Kind::OdsContent => within(
                file,
                &format!("the cells of {what}"),
                m.ods_cells,
                MAX_ODS_CELLS,
            ),
            Kind::Streamed | Kind::Whole => Ok(()),
        }
    }
}

/// What inflating one part found.
#[derive(Default)]
struct Measured {
    size: u64,
    /// For shared strings: the `uniqueCount` (else `count`) the `<sst>` element declares.
    declared_count: Option<u64>,
    /// For ods: cells the rows and their repeats expand to (counted after the sizes are checked).
    ods_cells: u64,
}

/// Inflates `part` in blocks, stopping as soon as a limit is passed.
fn measure(
    part: &mut impl Read,
    kind: Kind,
    file: &str,
    what: &str,
) -> Result<Measured, SourceError> {
    let mut m = Measured::default();
    let mut buf = vec![0u8; 64 * 1024];
    let mut run = 0u64;
    let mut head = Vec::new();
    loop {
        let n = match part.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            // A corrupt part: calamine reports it, located, if it needs the part.
            Err(_) => return Ok(m),
        };
        m.size += n as u64;
        within(file, &format!("{what}, inflated"), m.size, kind.limit())?;
        for &b in &buf[..n] {
            run = if b == b'<' || b == b'>' { 0 } else { run + 1 };
            if run > MAX_RUN {
                return Err(too_big(
                    file,
                    &format!("a run of text in {what}"),
                    run,
                    MAX_RUN,
                ));
            }
        }
        if kind == Kind::SharedStrings && head.len() < 4096 {
            head.extend_from_slice(&buf[..n.min(4096)]);
        }
    }
    m.declared_count = declared_count(&head);
    Ok(m)
}

/// The `uniqueCount` (else `count`) attribute of the `<sst>` element at the start of `head`.
fn declared_count(head: &[u8]) -> Option<u64> {
    let mut reader = quick_xml::Reader::from_reader(head);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e))
                if e.local_name().as_ref() == "sst" =>
            {
                let attr = |key: &str| {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.local_name().as_ref() == key)
                        .and_then(|a| a.value.trim().parse().ok())
                };
                return attr("uniqueCount").or_else(|| attr("count"));
            }
            Ok(quick_xml::events::Event::Eof) | Err(_) => return None,
            _ => buf.clear(),
        }
    }
}

fn within(file: &str, what: &str, value: u64, limit: u64) -> Result<(), SourceError> {
    if value > limit {
        Err(too_big(file, what, value, limit))
    } else {
        Ok(())
    }
}

fn too_big(file: &str, what: &str, value: u64, limit: u64) -> SourceError {
    SourceError::Limit {
        file: file.to_string(),
        what: format!("{what} is {value}, above the limit of {limit}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xls_dimensions_count_as_calamine_reserves_them() {
        let biff8 = |rf: u32, rl: u32, cf: u16, cl: u16| {
            let mut r = Vec::new();
            r.extend_from_slice(&rf.to_le_bytes());
            r.extend_from_slice(&rl.to_le_bytes());
            r.extend_from_slice(&cf.to_le_bytes());
            r.extend_from_slice(&cl.to_le_bytes());
            r.extend_from_slice(&[0, 0]);
            r
        };
        assert_eq!(xls_dimension_cells(&biff8(0, 10, 0, 3)), Some(30));
        assert_eq!(
            xls_dimension_cells(&biff8(0, 65_536, 0, 256)),
            Some(MAX_XLS_CELLS)
        );
        assert!(xls_dimension_cells(&biff8(0, u32::MAX, 0, 255)).unwrap() > MAX_XLS_CELLS);
        // A first row after the last: calamine's subtraction wraps to billions.
        assert!(xls_dimension_cells(&biff8(9, 5, 0, 3)).unwrap() > MAX_XLS_CELLS);
        assert_eq!(xls_dimension_cells(&[0; 3]), None);
    }

    #[test]
    fn reads_the_declared_shared_string_count() {
        let head = br#"<?xml version="1.0"?><sst xmlns="x" count="9" uniqueCount="4000000000">"#;
        assert_eq!(declared_count(head), Some(4_000_000_000));
        assert_eq!(declared_count(b"<sst count=\"7\"/>"), Some(7));
        assert_eq!(declared_count(b"<other/>"), None);
    }
}
