//! Exit codes, the same for every subcommand (docs/exit-codes.md):
//! 0 clean, 1 the run completed but found error findings or failed controls,
//! 2 a usage, configuration or input error.

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Success with no error findings.
    Clean = 0,
    /// The command completed, and found errors in the data or the mappings.
    Findings = 1,
    /// Usage, configuration or input error: nothing was done.
    Error = 2,
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
