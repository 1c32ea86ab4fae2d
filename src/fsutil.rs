//! File-system steps shared by the store and every command that writes a file (`export --output`,
//! `report --output`, `plan --ics`, `man --dir`):
//! - [`create_private_temp`]: a new owner-only file with an unpredictable name, never through a
//!   symlink planted at that name;
//! - [`write_new_file`]: writes a file atomically, never replacing the store, its backups, its lock
//!   or anything that is not a regular file ([`Keep`] names what must be kept);
//! - [`open_regular`]: opens a file for reading without hanging on a FIFO or reading a device;
//! - [`time_zone_problem`]: the `TZ` check made before chrono reads the file it names.
//!
//! Unix only, like the rest of the store.

use std::ffi::OsStr;
use std::fs::{self, File, Metadata, OpenOptions};
use std::io::{ErrorKind, Write};
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt};
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result};

use crate::error::UsageError;
use crate::output::text::escape;

/// A file's identity: device and inode. Two paths with the same identity are the same file,
/// whatever their names (`..`, symlinks, hard links).
pub type FileId = (u64, u64);

pub fn file_id(meta: &Metadata) -> FileId {
    (meta.dev(), meta.ino())
}

/// What kind of thing a path is, in words, for "is a FIFO, not a regular file".
pub fn kind(meta: &Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_file() {
        "a regular file"
    } else if t.is_dir() {
        "a folder"
    } else if t.is_symlink() {
        "a symbolic link"
    } else if t.is_fifo() {
        "a FIFO (named pipe)"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

/// Creates a new, owner-only (0600) file named `{prefix}{16 random hex digits}` in `dir`.
/// `O_EXCL|O_NOFOLLOW`: it never opens an existing file, nor follows a symlink planted at the
/// name, and the name cannot be guessed ahead. Same folder as the target, so the final rename is
/// atomic.
pub fn create_private_temp(dir: &Path, prefix: &str) -> Result<(PathBuf, File)> {
    let mut last_err = None;
    for _ in 0..8 {
        let p = dir.join(format!("{prefix}{:016x}", fastrand::u64(..)));
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW)
            .open(&p)
        {
            Ok(f) => return Ok((p, f)),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => last_err = Some(e),
            Err(e) => {
                return Err(e).with_context(|| {
                    format!(
                        "cannot create a file in {} (does the folder exist? is it writable?)",
                        escape(&dir.display().to_string())
                    )
                });
            }
        }
    }
    Err(last_err.expect("eight attempts")).context("cannot find a free temp file name")
}

/// Makes a rename in `dir` durable.
pub fn sync_dir(dir: &Path) -> Result<()> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .with_context(|| format!("cannot sync the folder {}", shown(dir)))
}

/// Opens `path` for reading only if it is a regular file no larger than `limit` bytes. The open
/// is non-blocking, so a FIFO cannot hang it, and the type is checked on the opened handle, so
/// what is read is what was checked. `Ok(None)` when there is no such file; a file that is not
/// regular is `InvalidInput`, one over the limit `FileTooLarge`.
pub fn open_regular(path: &Path, limit: u64, follow: bool) -> std::io::Result<Option<(File, Metadata)>> {
    let mut flags = libc::O_NONBLOCK | libc::O_NOCTTY;
    if !follow {
        flags |= libc::O_NOFOLLOW;
    }
    let file = match OpenOptions::new().read(true).custom_flags(flags).open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
            return Err(std::io::Error::new(
                ErrorKind::InvalidInput,
                "it is a symbolic link, where a regular file was expected",
            ));
        }
        Err(e) => return Err(e),
    };
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::new(
            ErrorKind::InvalidInput,
            format!("it is {}, not a regular file", kind(&meta)),
        ));
    }
    if meta.len() > limit {
        return Err(std::io::Error::new(
            ErrorKind::FileTooLarge,
            format!(
                "it is {} bytes, more than the {} MiB lumbar reads",
                meta.len(),
                limit >> 20
            ),
        ));
    }
    Ok(Some((file, meta)))
}

/// This process's effective user id.
pub fn euid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// Why `meta` (a folder or file lumbar keeps health data in) is unsafe to use: writable by other
/// users, or owned by another user (root excepted). `None` when it is fine.
pub fn shared_with_others(meta: &Metadata) -> Option<String> {
    let mode = meta.mode() & 0o7777;
    if meta.uid() != euid() && meta.uid() != 0 {
        return Some(format!("belongs to another user (uid {})", meta.uid()));
    }
    if mode & 0o022 != 0 {
        let who = if mode & 0o002 != 0 { "every user" } else { "its group" };
        return Some(format!("can be written by {who} (mode {mode:04o})"));
    }
    None
}

/// The files, folders and names a written file must never replace, each with what it is
/// ("the lumbar store"). Compared by file identity and by resolved path, never by the name typed.
#[derive(Debug, Default)]
pub struct Keep {
    files: Vec<(PathBuf, Option<FileId>, String)>,
    folders: Vec<(PathBuf, String)>,
    prefixes: Vec<(PathBuf, String, String)>,
}

impl Keep {
    /// `path` itself (and any other name for the same file).
    pub fn file(&mut self, path: &Path, what: &str) {
        let id = fs::metadata(path).ok().map(|m| file_id(&m));
        self.files.push((resolve(path), id, what.to_string()));
    }

    /// Everything inside `dir`.
    pub fn folder(&mut self, dir: &Path, what: &str) {
        self.folders.push((resolve(dir), what.to_string()));
    }

    /// Every name in `dir` that starts with `prefix`.
    pub fn names(&mut self, dir: &Path, prefix: &str, what: &str) {
        self.prefixes.push((resolve(dir), prefix.to_string(), what.to_string()));
    }

    /// What `resolved` (a path from [`resolve`], with the identity of the file there if any) is,
    /// when it is something to keep.
    fn kept(&self, resolved: &Path, id: Option<FileId>) -> Option<&str> {
        for (p, fid, what) in &self.files {
            if p == resolved || (id.is_some() && *fid == id) {
                return Some(what);
            }
        }
        for (dir, what) in &self.folders {
            if resolved.starts_with(dir) {
                return Some(what);
            }
        }
        let (parent, name) = (resolved.parent()?, resolved.file_name()?.to_string_lossy());
        self.prefixes
            .iter()
            .find(|(dir, prefix, _)| dir == parent && name.starts_with(prefix.as_str()))
            .map(|(_, _, what)| what.as_str())
    }
}

/// `path` made absolute with every symlink and `..` resolved as far as the path exists, so two
/// spellings of one place compare equal even when the file is not there yet.
pub fn resolve(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    if let Ok(real) = fs::canonicalize(&abs) {
        return real;
    }
    match (abs.parent(), abs.file_name()) {
        (Some(parent), Some(name)) if parent != abs => resolve(parent).join(name),
        _ => normalise(&abs),
    }
}

/// `a/./b/../c` as `a/c`, without touching the file system.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// A path for a message: control characters shown as escapes.
pub fn shown(path: &Path) -> String {
    escape(&path.display().to_string()).into_owned()
}

/// The flag a file to write was named with, for the words of a refusal: which flag to change,
/// and what to do instead of naming a file that cannot be written.
#[derive(Clone, Copy, Debug)]
pub struct OutputFlag {
    pub name: &'static str,
    pub instead: &'static str,
}

impl OutputFlag {
    /// `--output FILE` (export, report; and man --dir's pages, which say it too).
    pub const OUTPUT: OutputFlag = OutputFlag {
        name: "--output",
        instead: "leave out --output to write to stdout",
    };
    /// `plan --ics FILE`.
    pub const ICS: OutputFlag = OutputFlag {
        name: "--ics",
        instead: "--ics - prints the calendar",
    };
}

/// Writes `bytes` to `path` atomically (a temp file beside it, fsynced, then moved into place)
/// and returns where it went. Refuses, with exit 2 and nothing written:
/// - anything `keep` names (the store, its backups, its lock), by identity and resolved path;
/// - anything that is not a regular file (folder, FIFO, device, socket), `--force` or not;
/// - an existing file without `force`. Without `force` the final step is a hard link, which
///   fails if the name was taken meanwhile, so nothing is ever replaced behind the runner's back.
///
/// A symlink is written through: the new file replaces the link's target, with the temp file
/// beside the target so the rename stays atomic, and the link stays a link.
pub fn write_new_file(path: &Path, bytes: &[u8], force: bool, keep: &Keep, flag: OutputFlag) -> Result<PathBuf> {
    let target = output_target(path, force, keep, flag)?;
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target.file_name().map(OsStr::to_string_lossy).unwrap_or_default();
    let (tmp_path, mut tmp) = create_private_temp(&dir, &format!(".{name}.tmp-"))?;
    let written = tmp
        .write_all(bytes)
        .and_then(|_| tmp.sync_all())
        .with_context(|| format!("cannot write {} (is the disk full or read-only?)", shown(&tmp_path)));
    drop(tmp);
    let placed = written.and_then(|_| place(&tmp_path, &target, path, force, keep, flag));
    let _ = fs::remove_file(&tmp_path);
    placed?;
    // Make the new name durable too.
    sync_dir(&dir)?;
    Ok(target)
}

/// The checks of [`write_new_file`] alone, to refuse before doing the work that makes the bytes.
pub fn check_new_file(path: &Path, force: bool, keep: &Keep, flag: OutputFlag) -> Result<()> {
    output_target(path, force, keep, flag).map(drop)
}

/// Where `path` really points, once it has passed every check of [`write_new_file`].
fn output_target(path: &Path, force: bool, keep: &Keep, flag: OutputFlag) -> Result<PathBuf> {
    let typed = shown(path);
    let target = match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => match fs::canonicalize(path) {
            Ok(t) => t,
            Err(_) => {
                let to = fs::read_link(path).map(|t| shown(&t)).unwrap_or_default();
                return Err(UsageError(format!(
                    "{typed} is a symbolic link to {to}, which does not exist; \
                     lumbar writes through a link only to an existing file: choose another {}",
                    flag.name
                ))
                .into());
            }
        },
        Ok(_) => path.to_path_buf(),
        Err(e) if e.kind() == ErrorKind::NotFound => path.to_path_buf(),
        Err(e) => return Err(e).with_context(|| format!("cannot look at {typed}")),
    };
    let existing = match fs::symlink_metadata(&target) {
        Ok(m) => Some(m),
        Err(e) if e.kind() == ErrorKind::NotFound => None,
        Err(e) => return Err(e).with_context(|| format!("cannot look at {typed}")),
    };
    if let Some(what) = keep.kept(&resolve(&target), existing.as_ref().map(file_id)) {
        return Err(UsageError(format!(
            "{typed} is {what}; lumbar never writes over it: choose another {}",
            flag.name
        ))
        .into());
    }
    match &existing {
        Some(m) if m.is_dir() => Err(UsageError(format!("{} {typed} is a folder; give a file name", flag.name)).into()),
        Some(m) if !m.is_file() => Err(UsageError(format!(
            "{typed} is {}, not a regular file; lumbar only writes regular files ({})",
            kind(m),
            flag.instead
        ))
        .into()),
        Some(_) if !force => Err(already_exists(&typed, flag)),
        _ => Ok(target),
    }
}

fn already_exists(typed: &str, flag: OutputFlag) -> anyhow::Error {
    UsageError(format!(
        "{typed} already exists; pass --force to replace it, or choose another {}",
        flag.name
    ))
    .into()
}

/// Moves the finished temp file to `target`. With `force`, the target is checked once more just
/// before the rename, so what is replaced is still the regular file that was checked.
fn place(tmp: &Path, target: &Path, typed: &Path, force: bool, keep: &Keep, flag: OutputFlag) -> Result<()> {
    let cannot = || format!("cannot write {}", shown(target));
    if force {
        if fs::symlink_metadata(target).is_ok() {
            output_target(target, force, keep, flag)?;
        }
        return fs::rename(tmp, target).with_context(cannot);
    }
    match fs::hard_link(tmp, target) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Err(already_exists(&shown(typed), flag)),
        // Some file systems (FAT, a few network mounts) have no hard links: check, then rename.
        Err(_) if fs::symlink_metadata(target).is_err() => fs::rename(tmp, target).with_context(cannot),
        Err(e) => Err(e).with_context(cannot),
    }
}

/// The largest file `TZ` may name: real TZif files are a few KiB.
const MAX_TZ_FILE: u64 = 1 << 20;

/// Where chrono looks for a zone name that is not a path.
const ZONE_INFO_DIRECTORIES: [&str; 4] = [
    "/usr/share/zoneinfo",
    "/share/zoneinfo",
    "/etc/zoneinfo",
    "/usr/share/lib/zoneinfo",
];

/// chrono reads the whole file that `TZ` names (`TZ=:/dev/zero` never ends). Returns why the
/// file chrono would read for this `TZ` value (or `/etc/localtime` when unset) is unfit: not a
/// regular file, or larger than any time-zone file. `None` when it is fine.
pub fn time_zone_problem(tz: Option<&str>) -> Option<String> {
    let name = match tz {
        None | Some("localtime") => "/etc/localtime",
        Some("") => return None,
        Some(t) => t.strip_prefix(':').unwrap_or(t),
    };
    let path = Path::new(name);
    let candidates: Vec<PathBuf> = if path.is_absolute() {
        vec![path.to_path_buf()]
    } else {
        ZONE_INFO_DIRECTORIES.iter().map(|d| Path::new(d).join(path)).collect()
    };
    // chrono opens the first that exists.
    let (file, meta) = candidates
        .into_iter()
        .find_map(|p| fs::metadata(&p).ok().map(|m| (p, m)))?;
    let why = if !meta.is_file() {
        kind(&meta).to_string()
    } else if meta.len() > MAX_TZ_FILE {
        format!("{} bytes, too large for a time-zone file", meta.len())
    } else {
        return None;
    };
    let var = tz.map_or("unset, so /etc/localtime".to_string(), |t| format!("TZ={t}"));
    Some(format!(
        "the time zone ({}) names {}, which is {why}; using UTC",
        escape(&var),
        shown(&file)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_names_are_unpredictable_and_never_follow_a_planted_link() {
        let dir = tempfile::tempdir().unwrap();
        let (a, _) = create_private_temp(dir.path(), ".x-").unwrap();
        let (b, _) = create_private_temp(dir.path(), ".x-").unwrap();
        assert_ne!(a, b);
        let name = a.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(name.len(), ".x-".len() + 16, "{name}");
        assert!(u64::from_str_radix(&name[3..], 16).is_ok(), "{name}");
    }

    #[test]
    fn resolve_sees_through_dots_and_links() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        fs::create_dir(&data).unwrap();
        fs::write(data.join("f"), b"x").unwrap();
        std::os::unix::fs::symlink(data.join("f"), dir.path().join("link")).unwrap();
        let real = resolve(&data.join("f"));
        assert_eq!(resolve(&data.join("../data/./f")), real);
        assert_eq!(resolve(&dir.path().join("link")), real);
        assert_eq!(resolve(&data.join("new/../g")), resolve(&data).join("g"));
    }

    #[test]
    fn keep_matches_by_identity_path_folder_and_prefix() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("lumbar.json");
        fs::write(&store, b"{}").unwrap();
        fs::hard_link(&store, dir.path().join("other-name")).unwrap();
        let mut keep = Keep::default();
        keep.file(&store, "the store");
        keep.folder(&dir.path().join("backups"), "a backup");
        keep.names(dir.path(), ".lumbar.json.tmp-", "a temp file");
        let id = |p: &Path| fs::metadata(p).ok().map(|m| file_id(&m));
        let other = dir.path().join("other-name");
        assert_eq!(keep.kept(&resolve(&other), id(&other)), Some("the store"));
        assert_eq!(
            keep.kept(&resolve(&dir.path().join("./lumbar.json")), None),
            Some("the store")
        );
        assert_eq!(
            keep.kept(&resolve(&dir.path().join("backups/x.bak")), None),
            Some("a backup")
        );
        assert_eq!(
            keep.kept(&resolve(&dir.path().join(".lumbar.json.tmp-1")), None),
            Some("a temp file")
        );
        assert_eq!(keep.kept(&resolve(&dir.path().join("export.json")), None), None);
    }

    #[test]
    fn the_time_zone_file_must_be_a_small_regular_file() {
        assert!(
            time_zone_problem(Some(":/dev/zero"))
                .unwrap()
                .contains("character device")
        );
        assert!(time_zone_problem(Some("/dev/zero")).is_some());
        assert!(time_zone_problem(Some("../../../../dev/zero")).is_some());
        assert_eq!(time_zone_problem(Some("UTC0")), None, "a POSIX rule, not a file");
        assert_eq!(time_zone_problem(Some("")), None);
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big");
        fs::File::create(&big).unwrap().set_len(MAX_TZ_FILE + 1).unwrap();
        let why = time_zone_problem(Some(&format!(":{}", big.display()))).unwrap();
        assert!(why.contains("too large"), "{why}");
        let small = dir.path().join("small");
        fs::write(&small, b"TZif").unwrap();
        assert_eq!(time_zone_problem(Some(small.to_str().unwrap())), None);
    }
}
