//! The small CSV files of schema and mapping folders (code lists, crosswalks), read from memory
//! with a header row. `csv::Reader` builds its parser's transition table anew for every file,
//! which costs more than reading such a file (issue #11: `handover validate` reads six of them on
//! every run); here one parser is built per process and reset for each file. Records, their
//! positions and the error messages are those `csv::Reader` gives with its default settings: a
//! test compares the two on thousands of inputs.
use std::sync::Mutex;

use csv_core::ReadRecordResult;

/// A CSV file's problem, worded as `csv::Error` words it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CsvError(String);

/// Where a record starts: its number (the header is record 0), line and byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// Records read before it.
    pub record: u64,
    /// 1-based line.
    pub line: u64,
    /// Byte offset.
    pub byte: u64,
}

/// One record: its fields and where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The fields, unquoted.
    pub fields: Vec<String>,
    /// Where the record starts.
    pub position: Position,
}

impl Record {
    /// Field `i`, if the record has one.
    pub fn get(&self, i: usize) -> Option<&str> {
        self.fields.get(i).map(String::as_str)
    }
}

/// A reader over the bytes of one CSV file whose first record is its header.
pub struct CsvFile<'a> {
    core: csv_core::Reader,
    input: &'a [u8],
    at: Position,
    first_len: Option<usize>,
    eof: bool,
    /// A record's unquoted bytes and its fields' ends, reused from record to record.
    output: Vec<u8>,
    ends: Vec<usize>,
}

/// A built parser that no file is reading.
static SPARE: Mutex<Option<csv_core::Reader>> = Mutex::new(None);

impl Drop for CsvFile<'_> {
    fn drop(&mut self) {
        if let Ok(mut spare) = SPARE.lock() {
            let mut core = std::mem::take(&mut self.core);
            core.reset();
            *spare = Some(core);
        }
    }
}

impl<'a> CsvFile<'a> {
    /// A reader of `input`, with `csv`'s default dialect (comma, double quote, any line end).
    pub fn new(input: &'a [u8]) -> Self {
        // A built parser cannot be cloned (csv_core copies only part of its table) and
        // `Reader::default()` is not built, but a built one can be reset: one is taken from here
        // and given back when the file is done.
        let core = SPARE
            .lock()
            .ok()
            .and_then(|mut spare| spare.take())
            .unwrap_or_else(|| csv_core::ReaderBuilder::new().build());
        CsvFile {
            core,
            input,
            at: Position {
                record: 0,
                line: 1,
                byte: 0,
            },
            first_len: None,
            eof: false,
            output: vec![0; 1024],
            ends: vec![0; 32],
        }
    }

    /// The header record; call it first.
    pub fn headers(&mut self) -> Result<Vec<String>, CsvError> {
        Ok(self
            .next_record()
            .transpose()?
            .map_or_else(Vec::new, |r| r.fields))
    }

    /// The next record, `None` after the last.
    pub fn next_record(&mut self) -> Option<Result<Record, CsvError>> {
        let position = self.at;
        let fields = match self.read_fields(position) {
            Ok(Some(fields)) => fields,
            Ok(None) => return None,
            Err(e) => return Some(Err(e)),
        };
        let mut out = Vec::with_capacity(fields.len());
        for (i, field) in fields.into_iter().enumerate() {
            match String::from_utf8(field) {
                Ok(text) => out.push(text),
                Err(e) => {
                    return Some(Err(CsvError(format!(
                        "CSV parse error: record {} (line {}, field: {i}, byte: {}): invalid utf-8: invalid UTF-8 in field {i} near byte index {}",
                        position.record,
                        position.line,
                        position.byte,
                        e.utf8_error().valid_up_to()
                    ))));
                }
            }
        }
        Some(Ok(Record {
            fields: out,
            position,
        }))
    }

    /// The raw fields of the next record, checked for the header's number of fields.
    fn read_fields(&mut self, start: Position) -> Result<Option<Vec<Vec<u8>>>, CsvError> {
        if self.eof {
            return Ok(None);
        }
        let (mut outlen, mut endlen) = (0, 0);
        loop {
            let (res, nin, nout, nend) = self.core.read_record(
                self.input,
                &mut self.output[outlen..],
                &mut self.ends[endlen..],
            );
            self.input = &self.input[nin..];
            self.at.byte += nin as u64;
            self.at.line = self.core.line();
            outlen += nout;
            endlen += nend;
            match res {
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => self.output.resize(self.output.len() * 2, 0),
                ReadRecordResult::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                ReadRecordResult::Record => break,
                ReadRecordResult::End => {
                    self.eof = true;
                    return Ok(None);
                }
            }
        }
        self.at.record += 1;
        let len = *self.first_len.get_or_insert(endlen);
        if endlen != len {
            return Err(CsvError(format!(
                "CSV error: record {} (line: {}, byte: {}): found record with {endlen} fields, but the previous record has {len} fields",
                start.record, start.line, start.byte
            )));
        }
        let mut from = 0;
        let fields = self.ends[..endlen]
            .iter()
            .map(|&end| {
                let field = self.output[from..end].to_vec();
                from = end;
                field
            })
            .collect();
        Ok(Some(fields))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Everything `csv::Reader` makes of `input`: the header, then each record with its line, up
    /// to the first error.
    fn with_csv(input: &[u8]) -> Vec<Result<(Vec<String>, u64), String>> {
        let mut reader = csv::Reader::from_reader(input);
        let mut out = vec![match reader.headers() {
            Ok(h) => Ok((h.iter().map(str::to_string).collect(), 1)),
            Err(e) => Err(e.to_string()),
        }];
        if out[0].is_err() {
            return out;
        }
        for record in reader.records() {
            match record {
                Ok(r) => out.push(Ok((
                    r.iter().map(str::to_string).collect(),
                    r.position().map_or(0, |p| p.line()),
                ))),
                Err(e) => {
                    out.push(Err(e.to_string()));
                    break;
                }
            }
        }
        out
    }

    /// The same from [`CsvFile`].
    fn with_csvfile(input: &[u8]) -> Vec<Result<(Vec<String>, u64), String>> {
        let mut reader = CsvFile::new(input);
        let mut out = vec![reader.headers().map(|h| (h, 1)).map_err(|e| e.to_string())];
        if out[0].is_err() {
            return out;
        }
        while let Some(record) = reader.next_record() {
            match record {
                Ok(r) => out.push(Ok((r.fields, r.position.line))),
                Err(e) => {
                    out.push(Err(e.to_string()));
                    break;
                }
            }
        }
        out
    }

    #[test]
    fn records_lines_and_errors_are_those_of_the_csv_crate() {
        let fixed: &[&[u8]] = &[
            b"",
            b"code,label\n",
            b"code,label\nA,Alpha\nB,\"Be, ta\"\r\n\r\nC,\"say \"\"hi\"\"\"\n",
            b"code,label\nA\n",
            b"code\nA,B\n",
            b"\xef\xbb\xbfcode,label\nA,x\n",
            b"code,label\nA,caf\xc3\xa9\nB,\xff\n",
            b"co\xffde\nA\n",
            b"code,label\n\"unterminated,x\n",
            b"a,b\rc,d\re,f",
        ];
        for input in fixed {
            assert_eq!(with_csvfile(input), with_csv(input), "{input:?}");
        }
        let alphabet: &[&[u8]] = &[
            b"a",
            b"bc",
            b",",
            b"\"",
            b"\n",
            b"\r",
            b"\r\n",
            b" ",
            b"\xc3\xa9",
            b"\xff",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..5000 {
            let mut input = Vec::new();
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            for _ in 0..(seed >> 58) {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                input.extend_from_slice(alphabet[(seed >> 33) as usize % alphabet.len()]);
            }
            assert_eq!(with_csvfile(&input), with_csv(&input), "{input:?}");
        }
    }

    #[test]
    fn a_long_record_grows_the_buffers() {
        let header: Vec<String> = (0..100).map(|i| format!("c{i:0>20}")).collect();
        let input = format!("{}\n{}\n", header.join(","), header.join(","));
        assert_eq!(with_csvfile(input.as_bytes()), with_csv(input.as_bytes()));
    }
}
