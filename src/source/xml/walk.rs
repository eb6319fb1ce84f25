//! One pass over an XML file: quick-xml's events turned into records. The walker keeps the path
//! of open elements, the values inherited from enclosing elements (each reset when its scope
//! element, the deepest element the inherited path shares with the record path, starts again),
//! and flattens each element at the record path into a [`Record`]: its attributes (`@name`) and
//! child elements (name, text), with a [`RowProblem`] for what does not flatten into one row.
//! Everything outside records and inherited paths is passed over (docs/mapping.md).
use std::io::Read;

mod events;

use events::Ev;

use super::input::Input;
use super::{MAX_COLUMNS, MAX_RECORD, MAX_TEXT, XmlLayout};
use crate::finding::Builtin;
use crate::source::{RowProblem, SourceError};

/// One child element (or attribute) of a record.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Field {
    /// The column: the element's name, `@attribute`, or `element/@attribute`.
    pub name: String,
    /// Its text, entities resolved, line ends normalised to `\n`.
    pub text: String,
    /// 1-based line of its start tag.
    pub line: u64,
    /// 1-based column (in characters) of its start tag's `<`.
    pub col: u64,
}

/// One record: where its start tag is, its fields, and what does not flatten.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    /// 1-based line of the start tag.
    pub line: u64,
    /// 1-based column (in characters) of the start tag's `<`.
    pub col: u64,
    /// Inherited columns first, then attributes and child elements in document order.
    pub fields: Vec<Field>,
    /// What does not flatten into one row.
    pub problems: Vec<RowProblem>,
}

/// One inherited column's state.
struct Inherit {
    column: String,
    element: Vec<String>,
    attr: Option<String>,
    /// Length of the scope element's path.
    scope: usize,
    /// The value, and the line and column where it was read.
    value: Option<(String, u64, u64)>,
    /// Line of a second value in the same scope, or of nested markup.
    trouble: Option<(u64, &'static str)>,
}

/// A walk over one XML stream.
pub struct Walker<R: Read> {
    reader: quick_xml::Reader<Input<R>>,
    buf: Vec<u8>,
    file: String,
    record: Vec<String>,
    skip: Vec<String>,
    stack: Vec<String>,
    inherit: Vec<Inherit>,
    /// The inherited columns being read from the element open at this depth, and its text.
    capture: Option<(usize, String)>,
    seen_root: bool,
    /// Whether the next text is wanted (in a field or an inherited element): other text is not
    /// copied, only told apart as white space (skipped) or not ([`Ev::Stray`]).
    keep_text: bool,
    /// Line, column and offset where the current event starts.
    at: (u64, u64, u64),
}

impl<R: Read> Walker<R> {
    /// A walk over `input` (named `file` in errors) for `layout`.
    pub fn new(input: Input<R>, file: &str, layout: &XmlLayout) -> Self {
        let inherit = layout
            .inherit
            .iter()
            .map(|(column, path)| {
                let (element, attr) = match path.last() {
                    Some(last) if last.starts_with('@') => {
                        (path[..path.len() - 1].to_vec(), Some(last[1..].to_string()))
                    }
                    _ => (path.clone(), None),
                };
                let scope = common(&element, &layout.record);
                Inherit {
                    column: column.clone(),
                    element,
                    attr,
                    scope,
                    value: None,
                    trouble: None,
                }
            })
            .collect();
        Walker {
            reader: quick_xml::Reader::from_reader(input),
            buf: Vec::new(),
            file: file.to_string(),
            record: layout.record.clone(),
            skip: layout.skip.clone(),
            stack: Vec::new(),
            inherit,
            capture: None,
            seen_root: false,
            keep_text: false,
            at: (1, 1, 0),
        }
    }

    /// Bytes (of UTF-8) read so far.
    pub fn position(&self) -> u64 {
        self.reader.get_ref().consumed
    }

    /// Reads the next record into `rec`; `Ok(false)` at the end of the file.
    pub fn next_record(&mut self, rec: &mut Record) -> Result<bool, SourceError> {
        loop {
            self.keep_text = self.capture.is_some();
            match self.next()? {
                Ev::Eof => return self.end().map(|()| false),
                Ev::Stray => {}
                Ev::Start(name, attrs, empty) => {
                    if self.stack.is_empty() && self.seen_root {
                        return Err(self.xml("a second root element: an XML file has one"));
                    }
                    self.seen_root = true;
                    self.stack.push(name);
                    if self.stack == self.record {
                        self.read_record(rec, attrs, empty)?;
                        return Ok(true);
                    }
                    if !empty && self.capture.is_none() && !self.on_a_path() {
                        self.skip()?;
                        continue;
                    }
                    self.enter(&attrs);
                    if empty {
                        self.leave();
                    }
                }
                Ev::End => self.leave(),
                Ev::Text(t) => self.captured(&t)?,
            }
        }
    }

    fn end(&self) -> Result<(), SourceError> {
        if let Some(open) = self.stack.last() {
            return Err(self.xml(&format!("the file ends inside `<{open}>`")));
        }
        if !self.seen_root {
            return Err(self.xml("the file holds no element"));
        }
        Ok(())
    }

    /// True when the element open now leads to records or inherited values (its path begins
    /// the record path or an inherited one); any other element is skipped whole.
    fn on_a_path(&self) -> bool {
        let leads = |path: &[String]| path.starts_with(&self.stack);
        leads(&self.record) || self.inherit.iter().any(|i| leads(&i.element))
    }

    /// An element outside records opens: inherited values reset or read.
    fn enter(&mut self, attrs: &[(String, String)]) {
        let (line, col) = (self.at.0, self.at.1);
        for (i, inh) in self.inherit.iter_mut().enumerate() {
            if self.stack.len() == inh.scope && self.stack[..] == inh.element[..inh.scope] {
                inh.value = None;
                inh.trouble = None;
            }
            if self.stack != inh.element {
                continue;
            }
            match &inh.attr {
                Some(a) => {
                    if let Some((_, v)) = attrs.iter().find(|(k, _)| k == a) {
                        inh.value = Some((v.clone(), line, col));
                    }
                }
                None if inh.value.is_some() => inh.trouble = Some((line, "holds it twice")),
                None if self.capture.is_none() => self.capture = Some((i, String::new())),
                None => {}
            }
        }
        if let Some((i, _)) = &self.capture
            && self.stack.len() > self.inherit[*i].element.len()
        {
            self.inherit[*i].trouble = Some((line, "holds nested markup in it"));
        }
    }

    /// An element outside records closes: an inherited value read in it is kept.
    fn leave(&mut self) {
        if let Some((i, _)) = &self.capture
            && self.stack.len() == self.inherit[*i].element.len()
            && let Some((i, text)) = self.capture.take()
        {
            let (line, col) = (self.at.0, self.at.1);
            let element = self.inherit[i].element.clone();
            for inh in self.inherit.iter_mut() {
                if inh.element == element && inh.attr.is_none() && inh.value.is_none() {
                    inh.value = Some((text.clone(), line, col));
                }
            }
        }
        self.stack.pop();
    }

    fn captured(&mut self, text: &str) -> Result<(), SourceError> {
        if let Some((_, buf)) = &mut self.capture {
            if buf.len() + text.len() > MAX_TEXT as usize {
                return Err(self.limit("the text of an inherited element", MAX_TEXT));
            }
            buf.push_str(text);
        }
        Ok(())
    }

    /// Reads the record whose start tag was just read.
    fn read_record(
        &mut self,
        rec: &mut Record,
        attrs: Vec<(String, String)>,
        empty: bool,
    ) -> Result<(), SourceError> {
        rec.fields.clear();
        rec.problems.clear();
        (rec.line, rec.col) = (self.at.0, self.at.1);
        let start = self.at.2;
        self.inherited(rec);
        for (k, v) in attrs {
            self.push(rec, format!("@{k}"), v)?;
        }
        if empty {
            self.stack.pop();
            return Ok(());
        }
        let depth = self.stack.len();
        let mut current: Option<usize> = None;
        let mut skipping: Option<usize> = None;
        loop {
            if self.reader.get_ref().consumed - start > MAX_RECORD {
                return Err(self.limit_at("a record", MAX_RECORD, rec.line, rec.col));
            }
            self.keep_text = skipping.is_none() && current.is_some();
            match self.next()? {
                Ev::Eof => return self.end(),
                Ev::Stray if skipping.is_none() => self.stray_text(rec),
                Ev::Stray => {}
                Ev::Start(name, attrs, empty) => {
                    self.stack.push(name.clone());
                    let level = self.stack.len();
                    if skipping.is_none() {
                        if level == depth + 1 {
                            current = self.field(rec, name, attrs, &mut skipping)?;
                        } else {
                            self.problem(rec, "holds nested markup: an element in it", level);
                            skipping = Some(level);
                        }
                    }
                    if empty {
                        self.close(level, depth, &mut current, &mut skipping);
                    }
                }
                Ev::End => {
                    let level = self.stack.len();
                    if level == depth {
                        self.stack.pop();
                        return Ok(());
                    }
                    self.close(level, depth, &mut current, &mut skipping);
                }
                Ev::Text(t) if skipping.is_some() => drop(t),
                Ev::Text(t) => match current {
                    Some(i) => {
                        let text = &mut rec.fields[i].text;
                        if text.len() + t.len() > MAX_TEXT as usize {
                            return Err(self.limit("the text of one element", MAX_TEXT));
                        }
                        text.push_str(&t);
                    }
                    None if t.trim().is_empty() => {}
                    None => self.stray_text(rec),
                },
            }
        }
    }

    fn close(
        &mut self,
        level: usize,
        depth: usize,
        current: &mut Option<usize>,
        skipping: &mut Option<usize>,
    ) {
        self.stack.pop();
        if *skipping == Some(level) {
            *skipping = None;
        }
        if level == depth + 1 {
            *current = None;
        }
    }

    /// A child element of the record opens: a field, unless the mapping ignores it (its content
    /// is then skipped whole) or the record already holds one of that name.
    fn field(
        &mut self,
        rec: &mut Record,
        name: String,
        attrs: Vec<(String, String)>,
        skipping: &mut Option<usize>,
    ) -> Result<Option<usize>, SourceError> {
        let level = self.stack.len();
        if self.skip.contains(&name) {
            *skipping = Some(level);
            self.push(rec, name, String::new())?;
            return Ok(None);
        }
        if let Some(first) = rec.fields.iter().find(|f| f.name == name) {
            let (first, line) = (first.line, self.at.0);
            rec.problems.push(RowProblem {
                rule: Builtin::XmlStructure,
                column: Some(name.clone()),
                message: format!(
                    "element `{}` is repeated in the record at line {} (lines {first} and {line}): a row holds one value per column",
                    self.path(),
                    rec.line
                ),
            });
        }
        let index = rec.fields.len();
        self.push(rec, name.clone(), String::new())?;
        for (k, v) in attrs {
            self.push(rec, format!("{name}/@{k}"), v)?;
        }
        Ok(Some(index))
    }

    fn push(&self, rec: &mut Record, name: String, text: String) -> Result<(), SourceError> {
        if rec.fields.len() >= MAX_COLUMNS {
            return Err(self.limit("the number of fields of one record", MAX_COLUMNS as u64));
        }
        rec.fields.push(Field {
            name,
            text,
            line: self.at.0,
            col: self.at.1,
        });
        Ok(())
    }

    /// The inherited columns of a record, first.
    fn inherited(&self, rec: &mut Record) {
        for inh in &self.inherit {
            let (text, line, col) =
                (inh.value.clone()).unwrap_or((String::new(), self.at.0, self.at.1));
            rec.fields.push(Field {
                name: inh.column.clone(),
                text,
                line,
                col,
            });
            if let Some((at, what)) = inh.trouble {
                rec.problems.push(RowProblem {
                    rule: Builtin::XmlStructure,
                    column: Some(inh.column.clone()),
                    message: format!(
                        "column `{}` is inherited from `{}`, but its enclosing `{}` {what} (line {at}): the record cannot tell which value is its own",
                        inh.column,
                        inh.element.join("/"),
                        inh.element[..inh.scope].join("/"),
                    ),
                });
            }
        }
    }

    fn problem(&self, rec: &mut Record, what: &str, level: usize) {
        let field = self.stack.get(level - 2).cloned().unwrap_or_default();
        rec.problems.push(RowProblem {
            rule: Builtin::XmlStructure,
            column: Some(field),
            message: format!(
                "element `{}` {what} (`{}` at line {}): a column holds text only",
                self.stack[..level - 1].join("/"),
                self.stack[level - 1],
                self.at.0
            ),
        });
    }

    fn stray_text(&self, rec: &mut Record) {
        if rec.problems.iter().any(|p| p.column.is_none()) {
            return;
        }
        rec.problems.push(RowProblem {
            rule: Builtin::XmlStructure,
            column: None,
            message: format!(
                "the record `{}` at line {} holds text outside its child elements (line {}): it belongs to no column",
                self.path(),
                rec.line,
                self.at.0
            ),
        });
    }

    /// The path of the element open now.
    fn path(&self) -> String {
        self.stack.join("/")
    }
}

/// How many leading steps two paths share.
fn common(a: &[String], b: &[String]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}
