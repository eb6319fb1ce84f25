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
