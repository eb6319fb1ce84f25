//! GitHub Actions workflow commands: `::error file=F,line=L,col=C::message`, which GitHub turns
//! into annotations on the pull request's diff. Escaping follows the runner's rules (actions/toolkit
//! `command.ts`): in the message `%`, `\r` and `\n`; in properties also `:` and `,`.
use std::fmt::Write;

use super::super::Report;
use super::level_word;
use crate::mapping::Diagnostic;

/// Renders `report` as one workflow command per diagnostic.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let _ = writeln!(out, "{}", command(d));
    }
    out
}

/// The workflow command of one diagnostic (line and column left out when unknown).
pub fn command(d: &Diagnostic) -> String {
    let mut props = format!("file={}", escape_property(&d.file));
    if d.line > 0 {
        let _ = write!(props, ",line={}", d.line);
        if d.col > 0 {
            let _ = write!(props, ",col={}", d.col);
        }
    }
    let _ = write!(
        props,
        ",title={}",
        escape_property(&format!("handover {}", d.check))
    );
    format!(
        "::{} {props}::{}",
        level_word(d.level),
        escape_data(&d.message)
    )
}

/// Escapes a message.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_the_runner() {
        assert_eq!(escape_data("50% a\r\nb"), "50%25 a%0D%0Ab");
        assert_eq!(escape_property("C:\\a,b%"), "C%3A\\a%2Cb%25");
    }
}
