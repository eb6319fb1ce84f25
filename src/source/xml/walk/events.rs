//! quick-xml's events as the walker takes them: owned, comments, processing instructions and the
//! declaration passed over, a DOCTYPE and any entity but XML's five refused, character references
//! resolved, the depth and name bounds checked; and the errors that stop a walk, located.
use std::io::Read;

use quick_xml::events::Event;

use super::super::input::Stop;
use super::super::{MAX_DEPTH, MAX_NAME, MAX_TEXT};
use super::Walker;
use crate::source::SourceError;

const DOCTYPE: &str = "a DOCTYPE declaration is refused (handover does not expand entities)";

/// An event, owned.
pub(super) enum Ev {
    Start(String, Vec<(String, String)>, bool),
    End,
    Text(String),
    /// Text not wanted that is not white space.
    Stray,
    Eof,
}

impl<R: Read> Walker<R> {
    /// The next event, owned; comments, processing instructions and the declaration passed over.
    pub(super) fn next(&mut self) -> Result<Ev, SourceError> {
        loop {
            self.mark();
            let event = match self.reader.read_event_into(&mut self.buf) {
                Ok(e) => e,
                Err(e) => return Err(self.quick(e)),
            };
            let ev = match event {
                Event::Start(e) => start(&e, false),
                Event::Empty(e) => start(&e, true),
                Event::End(_) => Ok(Ev::End),
                Event::Text(t) if self.keep_text => Ok(Ev::Text(t.xml10_content().into_owned())),
                Event::CData(t) if self.keep_text => Ok(Ev::Text(t.xml10_content().into_owned())),
                Event::Text(t) if t.trim().is_empty() => continue,
                Event::CData(t) if t.xml10_content().trim().is_empty() => continue,
                Event::Text(_) | Event::CData(_) => Ok(Ev::Stray),
                Event::GeneralRef(r) => reference(&r),
                Event::DocType(_) => Err(DOCTYPE.to_string()),
                Event::Eof => Ok(Ev::Eof),
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) => continue,
            };
            let ev = ev.map_err(|m| self.xml(&m))?;
            if let Ev::Start(name, ..) = &ev {
                if self.stack.len() >= MAX_DEPTH {
                    return Err(self.limit("the depth of elements", MAX_DEPTH as u64));
                }
                if name.len() > MAX_NAME {
                    return Err(self.limit("the length of an element's name", MAX_NAME as u64));
                }
            }
            return Ok(ev);
        }
    }

    /// Empties the event buffer and notes where the next event starts: its errors and bounds
    /// are placed there, and its length is counted from there.
    fn mark(&mut self) {
        self.buf.clear();
        let input = self.reader.get_mut();
        input.mark();
        self.at = (input.line, input.col + 1, input.consumed);
    }

    fn quick(&self, e: quick_xml::Error) -> SourceError {
        let input = self.reader.get_ref();
        match input.stop {
            Some(Stop::TooLong) => self.limit("one text, tag or comment", MAX_TEXT),
            Some(Stop::Malformed(line)) => SourceError::XmlDecode {
                file: self.file.clone(),
                line,
            },
            None => match e {
                quick_xml::Error::Io(io) => SourceError::Io {
                    file: self.file.clone(),
                    source: std::io::Error::new(io.kind(), io.to_string()),
                },
                quick_xml::Error::Encoding(_) => SourceError::XmlDecode {
                    file: self.file.clone(),
                    line: input.line,
                },
                other => self.xml(&other.to_string()),
            },
        }
    }

    /// Skips the element just opened (and pushed), with everything in it, without copying it:
    /// the bounds, and the refusal of a DOCTYPE and of entities, hold inside it too.
    pub(super) fn skip(&mut self) -> Result<(), SourceError> {
        let mut depth = 1usize;
        while depth > 0 {
            self.mark();
            let event = match self.reader.read_event_into(&mut self.buf) {
                Ok(e) => e,
                Err(e) => return Err(self.quick(e)),
            };
            match event {
                Event::Start(e) => {
                    depth += 1;
                    let long = e.name().as_ref().len() > MAX_NAME;
                    if self.stack.len() + depth > MAX_DEPTH + 1 {
                        return Err(self.limit("the depth of elements", MAX_DEPTH as u64));
                    }
                    if long {
                        return Err(self.limit("the length of an element's name", MAX_NAME as u64));
                    }
                }
                Event::End(_) => depth -= 1,
                Event::GeneralRef(r) => {
                    reference(&r).map_err(|m| self.xml(&m))?;
                }
                Event::DocType(_) => return Err(self.xml(DOCTYPE)),
                Event::Eof => return self.end(),
                _ => {}
            }
        }
        self.stack.pop();
        Ok(())
    }

    pub(super) fn xml(&self, message: &str) -> SourceError {
        SourceError::Xml {
            file: self.file.clone(),
            line: self.at.0,
            col: self.at.1,
            message: message.to_string(),
        }
    }

    pub(super) fn limit(&self, what: &str, limit: u64) -> SourceError {
        self.limit_at(what, limit, self.at.0, self.at.1)
    }

    pub(super) fn limit_at(&self, what: &str, limit: u64, line: u64, col: u64) -> SourceError {
        SourceError::XmlLimit {
            file: self.file.clone(),
            line,
            col,
            what: format!("{what} passes the limit of {limit}"),
        }
    }
}

fn start(e: &quick_xml::events::BytesStart<'_>, empty: bool) -> Result<Ev, String> {
    let name = e.name().as_ref().to_string();
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|e| e.to_string())?;
        let key = a.key.as_ref().to_string();
        if key == "xmlns" || key.starts_with("xmlns:") {
            continue; // namespace declarations are markup, not data
        }
        let value = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| e.to_string())?;
        attrs.push((key, value.into_owned()));
    }
    Ok(Ev::Start(name, attrs, empty))
}

/// A character reference or one of the five predefined entities; any other entity is refused.
fn reference(r: &quick_xml::events::BytesRef<'_>) -> Result<Ev, String> {
    if r.is_char_ref() {
        return match r.resolve_char_ref() {
            Ok(Some(c)) => Ok(Ev::Text(c.to_string())),
            _ => Err("a character reference that is not a character".to_string()),
        };
    }
    let text = match &**r {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        other => {
            return Err(format!(
                "entity `&{other};` is not one of XML's five (handover does not expand declared entities)"
            ));
        }
    };
    Ok(Ev::Text(text.to_string()))
}
