//! Exit codes, the same for every subcommand (docs/rules.md, "Exit codes"):
//! 0 clean, 1 the run completed but found error findings or failed controls,
//! 2 a usage, configuration or input error, 3 an internal error (a bug in handover).

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Success with no error findings.
    Clean = 0,
    /// The command completed, and found errors in the data or the mappings.
    Findings = 1,
    /// Usage, configuration or input error: nothing was done.
    Error = 2,
    /// An internal error: handover broke one of its own invariants (a ledger that does not
    /// balance, a dangling key after the orphan checks, a panic). Nothing was written.
    Bug = 3,
}

/// An internal error: a broken invariant of handover itself, never a problem of the data or the
/// mappings. It ends the command with [`Exit::Bug`] and says that it is a bug (#9).
#[derive(Debug, thiserror::Error)]
#[error("internal error: {0}; this is a bug in handover, please report it")]
pub struct Bug(pub String);

/// An [`anyhow::Error`] holding a [`Bug`].
pub fn bug(what: impl Into<String>) -> anyhow::Error {
    Bug(what.into()).into()
}

/// The exit code an error ends the command with: [`Exit::Bug`] when any cause is a [`Bug`], else
/// [`Exit::Error`].
pub fn code_of(err: &anyhow::Error) -> Exit {
    if err.chain().any(|c| c.downcast_ref::<Bug>().is_some()) {
        Exit::Bug
    } else {
        Exit::Error
    }
}

impl From<Exit> for std::process::ExitCode {
    fn from(e: Exit) -> Self {
        std::process::ExitCode::from(e as u8)
    }
}

/// True when the error chain holds a broken pipe on stdout (for example `handover report db | head`),
/// which ends the command quietly with exit 0, as ripgrep does.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Runs `write` on a locked, buffered stdout and flushes it. A broken pipe (the reader went away,
/// as in `handover verify ... | head`) is not an error: the command has already done its work and
/// decided its exit status, which a closed pipe must not change (#9).
pub fn to_stdout(
    write: impl FnOnce(&mut dyn std::io::Write) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let result = write(&mut out).and_then(|()| std::io::Write::flush(&mut out).map_err(Into::into));
    match result {
        Err(e) if is_broken_pipe(&e) => Ok(()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bug_anywhere_in_the_chain_exits_3_and_says_it_is_a_bug() {
        let err = bug("the ledger does not balance").context("failed to run");
        assert_eq!(code_of(&err), Exit::Bug);
        assert!(
            format!("{err:#}")
                .contains("internal error: the ledger does not balance; this is a bug in handover")
        );
        assert_eq!(code_of(&anyhow::anyhow!("no such folder")), Exit::Error);
        assert_eq!(
            std::process::ExitCode::from(Exit::Bug),
            std::process::ExitCode::from(3)
        );
    }
}
