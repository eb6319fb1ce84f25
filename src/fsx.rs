//! Files and folders: writing files atomically and readable by their owner only, naming the path
//! in every error; reading a folder only from inside it (no symbolic link out); a file's bytes as
//! text.
use std::io::Write;
use std::path::Path;

use anyhow::Context;

use crate::diagnostic::FolderError;

/// True when `rel`, a path a mapping or schema file names, is absolute or climbs out of its
/// folder with `..`.
pub fn escapes_folder(rel: &str) -> bool {
    rel.starts_with(['/', '\\'])
        || rel.get(1..2) == Some(":")
        || rel.split(['/', '\\']).any(|part| part == "..")
}

/// Writes `bytes` to `path` through a temporary file in the same folder, renamed into place when
/// complete, with mode 0600 on Unix.
pub fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("failed to create a temporary file in `{}`", dir.display()))?;
    tmp.write_all(bytes)
        .with_context(|| format!("failed to write `{}`", path.display()))?;
    set_private(tmp.path())?;
    tmp.persist(path)
        .with_context(|| format!("failed to write `{}`", path.display()))?;
    Ok(())
}

/// Makes a file readable and writable by its owner only (0600); a no-op off Unix.
pub fn set_private(path: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .with_context(|| format!("failed to set permissions on `{}`", path.display()))?;
    }
    Ok(())
}

/// A file's bytes as text, each invalid UTF-8 sequence replaced by U+FFFD. Valid bytes, the usual
/// case, become the text without a copy or a second pass (`handover validate` reads every
/// mapping and schema file on every run, #11).
pub fn into_text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Checks that nothing under `root` leads outside it: every symbolic link in the tree must resolve
/// to a path inside `root` (#9: inputs, mappings and schemas are read only from inside their
/// folders). Symbolic links to folders are not followed further (what they lead to inside `root`
/// is visited anyway). The error names the link and where it leads.
pub fn check_confined(root: &Path, what: &'static str) -> Result<(), FolderError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| FolderError::Io { path, source }
    };
    // Where `root` really is, found when a link needs it (most folders hold none: resolving it
    // is a system call per part of the path, #11).
    let mut canonical = None;
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).map_err(io(&dir))? {
            let entry = entry.map_err(io(&dir))?;
            let path = entry.path();
            // The type the folder listing gives (no `stat` per entry), not following links.
            let ty = entry.file_type().map_err(io(&path))?;
            if ty.is_symlink() {
                let real = match &canonical {
                    Some(real) => real,
                    None => canonical.insert(root.canonicalize().map_err(io(root))?),
                };
                check_link(&path, real, what)?;
            } else if ty.is_dir() {
                stack.push(path);
            }
        }
    }
    Ok(())
}

/// True when the folder entry is a file, following a symbolic link as [`Path::is_file`] does. The
/// type comes from the folder listing, so a plain file costs no `stat` (`handover validate` lists
/// its folders on every run).
pub fn is_file(entry: &std::fs::DirEntry) -> bool {
    match entry.file_type() {
        Ok(ty) if ty.is_symlink() => entry.path().is_file(),
        Ok(ty) => ty.is_file(),
        Err(_) => false,
    }
}

fn check_link(link: &Path, root: &Path, what: &'static str) -> Result<(), FolderError> {
    let target = link
        .canonicalize()
        .map_err(|source| FolderError::Dangling {
            link: link.to_path_buf(),
            source,
        })?;
    if !target.starts_with(root) {
        return Err(FolderError::Escapes {
            what,
            link: link.to_path_buf(),
            target,
            root: root.to_path_buf(),
        });
    }
    Ok(())
}

/// The prefix of a final run's temporary database (`.handover-<pid>-XXXXXX.db.partial`).
pub const PARTIAL_PREFIX: &str = ".handover-";
/// The suffix of a final run's temporary database.
pub const PARTIAL_SUFFIX: &str = ".db.partial";

/// Removes the temporary databases that killed runs left in `dir` (mode 0600, and they may hold
/// personal data, #9): every `.handover-<pid>-*.db.partial` whose process is gone, and any older
/// one without a pid. A file of a run still going is left alone. Returns the files removed.
pub fn remove_leftovers(dir: &Path) -> anyhow::Result<Vec<std::path::PathBuf>> {
    let mut removed = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(removed);
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(middle) = name
            .strip_prefix(PARTIAL_PREFIX)
            .and_then(|n| n.strip_suffix(PARTIAL_SUFFIX))
        else {
            continue;
        };
        let pid = middle
            .split_once('-')
            .and_then(|(p, _)| p.parse::<u32>().ok());
        if pid.is_some_and(is_alive) {
            continue;
        }
        let path = entry.path();
        std::fs::remove_file(&path)
            .with_context(|| format!("failed to remove the leftover `{}`", path.display()))?;
        removed.push(path);
    }
    removed.sort();
    Ok(removed)
}

/// True when process `pid` is running (always true where that cannot be told, so that nothing
/// of a live run is ever removed).
fn is_alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.join("self").exists() || proc.join(pid.to_string()).exists()
}

/// The temporary file a final run is writing, removed if the run is interrupted (SIGINT, SIGTERM
/// or SIGHUP) so that no partial database, possibly holding personal data, stays behind (#9).
static IN_PROGRESS: std::sync::Mutex<Option<std::path::PathBuf>> = std::sync::Mutex::new(None);

/// Creates a temporary file with `create` and registers it as the file to remove on
/// interruption, as one step: the handler is installed first, and it waits for the registration,
/// so an interruption at any moment removes the file.
pub fn create_removed_on_interrupt(
    create: impl FnOnce() -> anyhow::Result<tempfile::NamedTempFile>,
) -> anyhow::Result<tempfile::NamedTempFile> {
    install_handler()?;
    let mut guard = IN_PROGRESS
        .lock()
        .map_err(|_| anyhow::anyhow!("internal error: the interrupt handler's lock is poisoned"))?;
    let tmp = create()?;
    *guard = Some(tmp.path().to_path_buf());
    Ok(tmp)
}

/// Runs `f` (opening the registered file, say) while no interruption can remove that file: an
/// interruption that came first has already removed it and is ending the process, and then this
/// waits for the end, so `f` never creates the file again behind it (#9).
pub fn holding_registration<T>(f: impl FnOnce() -> T) -> T {
    let _guard = IN_PROGRESS.lock();
    f()
}

/// Registers `path` as the file to remove on interruption (`None` once it is persisted or gone),
/// installing the signal handler on first use.
pub fn remove_on_interrupt(path: Option<&Path>) -> anyhow::Result<()> {
    install_handler()?;
    if let Ok(mut guard) = IN_PROGRESS.lock() {
        *guard = path.map(Path::to_path_buf);
    }
    Ok(())
}

/// Installs the handler that removes the registered file and exits 130 (once).
fn install_handler() -> anyhow::Result<()> {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    let mut result = Ok(());
    INSTALLED.call_once(|| {
        result = ctrlc::set_handler(|| {
            // The lock is held until the process has exited, so that nothing registered can be
            // created again after it is removed ([`holding_registration`]).
            let guard = IN_PROGRESS.lock();
            if let Ok(guard) = &guard
                && let Some(path) = guard.as_ref()
            {
                let _ = std::fs::remove_file(path);
                eprintln!("interrupted: removed `{}`", path.display());
            }
            std::process::exit(130);
        });
    });
    result.context("failed to install the interrupt handler")
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// A folder entry is a file as `Path::is_file` says: a link to a file is one, a folder or a
    /// link to a folder is not; `check_confined` still sees the links themselves.
    #[test]
    fn entries_are_classified_from_the_listing_as_path_is_file_would() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::write(root.join("a.toml"), "").unwrap();
        std::fs::create_dir(root.join("sub.toml")).unwrap();
        std::os::unix::fs::symlink(root.join("a.toml"), root.join("link.toml")).unwrap();
        std::os::unix::fs::symlink(root.join("sub.toml"), root.join("dirlink.toml")).unwrap();
        let mut files: Vec<String> = std::fs::read_dir(root)
            .unwrap()
            .map(Result::unwrap)
            .filter(is_file)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        assert_eq!(files, ["a.toml", "link.toml"]);
        assert!(check_confined(root, "mapping folder").is_ok());
        let outside = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("sub.toml/out")).unwrap();
        let err = check_confined(root, "mapping folder").unwrap_err();
        assert!(matches!(err, FolderError::Escapes { .. }), "{err}");
    }
}
