//! Verifying that a company database was produced from exactly the files in an input folder:
//! every input file the run recorded is hashed again and its SHA-256 compared.
use std::path::Path;

use rusqlite::Connection;

use crate::source::fingerprint::digest;

/// One recorded input file that does not match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mismatch {
    /// The file is not in the folder (or cannot be read).
    Missing {
        /// Path relative to the input folder.
        path: String,
    },
    /// The file's bytes differ from what the run read.
    Differs {
        /// Path relative to the input folder.
        path: String,
        /// SHA-256 recorded by the run.
        recorded: String,
        /// SHA-256 of the file now.
        actual: String,
    },
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Mismatch::Missing { path } => write!(f, "{path}: missing"),
            Mismatch::Differs {
                path,
                recorded,
                actual,
            } => {
                write!(
                    f,
                    "{path}: differs (recorded SHA-256 {recorded}, now {actual})"
                )
            }
        }
    }
}

/// The outcome of a verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// Files recorded by the run.
    pub checked: usize,
    /// Files that are missing or differ, in path order.
    pub mismatches: Vec<Mismatch>,
}

/// Fingerprints every input file the run in `conn` recorded, under `input_dir`.
pub fn verify(conn: &Connection, input_dir: &Path) -> anyhow::Result<Verification> {
    let files = crate::audit::inputs::all(conn)
        .map_err(|e| anyhow::anyhow!("the database holds no handover run ({e})"))?;
    let mut mismatches = Vec::new();
    for crate::audit::inputs::InputInfo {
        path,
        sha256: recorded,
        ..
    } in &files
    {
        let full = input_dir.join(path);
        if !full.is_file() {
            mismatches.push(Mismatch::Missing { path: path.clone() });
            continue;
        }
        let (_, actual) = digest(&full, path)?;
        if &actual != recorded {
            mismatches.push(Mismatch::Differs {
                path: path.clone(),
                recorded: recorded.clone(),
                actual,
            });
        }
    }
    Ok(Verification {
        checked: files.len(),
        mismatches,
    })
}
