//! The store: one JSON document per runner, and the only code that touches it on disk.
//!
//! Guarantees, in order of how much they matter to a runner (the README's "How it keeps your
//! data safe" names the test behind each):
//! - nothing is lost: every change is a load-modify-save under an exclusive lock (`lumbar.lock`),
//!   so concurrent `lumbar` processes queue instead of overwriting each other; a writer waits a
//!   few seconds for a holder that does not finish, saying which process it is, then stops;
//! - a crash at any moment leaves either the old or the new file: the new content goes to a temp
//!   file in the same folder, is fsynced, renamed over the store, and the folder is fsynced;
//! - the versions before the last few changes are kept in `backups/` (see `backups`);
//! - a file that is damaged, from a newer lumbar, or holds anything no command could have
//!   written (see `check`) is never rewritten: the error names the file, the line and column,
//!   the fix, and how to restore a backup;
//! - a symlinked store is read and written through the link: temp files, backups and the lock
//!   sit beside the link's target, so the rename stays atomic and the link stays a link;
//! - the store is a regular file read with a size limit, in a folder only its owner can write
//!   to; temp and backup files are created `O_EXCL|O_NOFOLLOW` under unpredictable names;
//! - the folder is created 0700 and the files 0600: this is health data.

mod backups;
pub mod check;
mod lines;
mod locate;
mod lock;
mod migrate;

use std::fs::{self, DirBuilder};
use std::io::{BufReader, ErrorKind, Read, Seek, Write};
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use serde::Deserialize;

pub use backups::{BACKUP_DIR, Backup, GENERATIONS};
pub use check::{Problem, Step};
pub use lock::LOCK_FILE;

use crate::fsutil::{self, Keep, shown};
use crate::model::{Data, FORMAT_NAME, FORMAT_VERSION};
use crate::output::text::escape;

pub const STORE_FILE: &str = "lumbar.json";
/// The one backup lumbar kept before backup generations. Left alone, never written.
pub const OLD_BACKUP_FILE: &str = "lumbar.json.bak";
const TEMP_PREFIX: &str = ".lumbar.json.tmp-";
/// The largest store lumbar reads: a 25-year history is about 3 MB.
pub const MAX_STORE_BYTES: u64 = 64 << 20;

/// Where a runner's data lives.
#[derive(Clone, Debug)]
pub struct Store {
    dir: PathBuf,
}

/// Where the store file really is: `lumbar.json` in the data folder, or the target of that name
/// when it is a symlink. Temp files, backups and the lock live beside the real file.
#[derive(Clone, Debug, PartialEq)]
struct Place {
    dir: PathBuf,
    file: PathBuf,
}

/// A store file that exists but cannot be used. Never "fixed" by overwriting.
#[derive(Debug)]
pub struct UnreadableStore {
    pub path: PathBuf,
    pub detail: String,
    /// How to fix it by hand, when we can say.
    pub fix: Option<String>,
    /// Backups, newest first.
    pub backups: Vec<Backup>,
    /// `lumbar.json.bak` from an earlier lumbar, when there is one.
    pub old_backup: Option<PathBuf>,
}

impl std::fmt::Display for UnreadableStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let path = shown(&self.path);
        write!(f, "cannot read the store {path}: {}", escape(&self.detail))?;
        if let Some(fix) = &self.fix {
            write!(f, "\n  to fix it: {}", escape(fix))?;
        }
        write!(f, "\n  the file was left exactly as it is.")?;
        let restore = |f: &mut std::fmt::Formatter<'_>, from: &Path| {
            write!(
                f,
                "\n  to restore it: cp {} {}\n  (copy {path} somewhere first if you want to keep it)",
                shell_word(&shown(from)),
                shell_word(&path)
            )
        };
        if let Some(newest) = self.backups.first() {
            let folder = newest.path.parent().unwrap_or(Path::new("."));
            write!(
                f,
                "\n  backups in {}, newest first (the first is the store before its last change):",
                shown(folder)
            )?;
            for b in &self.backups {
                let name = b.path.file_name().unwrap_or_default().to_string_lossy();
                match b.label.as_deref() {
                    Some("before-demo") => write!(
                        f,
                        "\n    {} (kept when `lumbar demo` replaced the store)",
                        escape(&name)
                    )?,
                    Some(_) => write!(f, "\n    {} (kept, never removed)", escape(&name))?,
                    None => write!(f, "\n    {}", escape(&name))?,
                }
            }
            restore(f, &newest.path)
        } else if let Some(old) = &self.old_backup {
            write!(f, "\n  the backup an earlier lumbar kept is {}.", shown(old))?;
            restore(f, old)
        } else {
            write!(
                f,
                "\n  there is no backup (none in {}); fix the file by hand, or move it away to start afresh",
                shown(&self.path.with_file_name(BACKUP_DIR))
            )
        }
    }
}

impl std::error::Error for UnreadableStore {}

/// A path as one shell word, for a line to copy.
fn shell_word(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "/._-+:@%,=".contains(c)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// Why bytes are not a store we can use, and how to fix it.
#[derive(Debug, PartialEq)]
struct Refusal {
    detail: String,
    fix: Option<String>,
}

impl Refusal {
    fn new(detail: impl Into<String>, fix: Option<&str>) -> Refusal {
        Refusal {
            detail: detail.into(),
            fix: fix.map(str::to_string),
        }
    }
}

#[derive(Deserialize)]
struct Header {
    format: Option<String>,
    version: Option<u32>,
}

impl Store {
    pub fn at(dir: impl Into<PathBuf>) -> Store {
        Store { dir: dir.into() }
    }

    /// `--data-dir`, else `LUMBAR_DATA_DIR` (both via clap), else the platform data folder.
    pub fn locate(explicit: Option<&Path>) -> Result<Store> {
        let dir = match explicit {
            Some(p) => std::path::absolute(p).with_context(|| format!("cannot resolve data dir {}", shown(p)))?,
            None => directories::ProjectDirs::from("", "", "lumbar")
                .map(|d| d.data_dir().to_path_buf())
                .ok_or_else(|| {
                    anyhow!("cannot find a home folder for the data; pass --data-dir DIR or set LUMBAR_DATA_DIR")
                })?,
        };
        Ok(Store::at(dir))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// `lumbar.json` in the data folder (which may be a symlink to the real file).
    pub fn path(&self) -> PathBuf {
        self.dir.join(STORE_FILE)
    }

    pub fn exists(&self) -> bool {
        self.path().exists()
    }

    /// The backups folder: beside the real store file.
    pub fn backup_dir(&self) -> PathBuf {
        backups::folder(&self.real_dir())
    }

    /// Every backup, newest first.
    pub fn backups(&self) -> Vec<Backup> {
        backups::list(&self.real_dir())
    }

    fn real_dir(&self) -> PathBuf {
        self.place().map_or_else(|_| self.dir.clone(), |p| p.dir)
    }

    /// What a file lumbar writes (`export --output`, ...) must never replace: the store (by any
    /// name), its backups, its lock, its temp files, and the backup of earlier versions.
    pub fn keep(&self) -> Keep {
        let mut keep = Keep::default();
        keep.file(&self.path(), "the lumbar store");
        let mut dirs = vec![self.dir.clone()];
        if let Ok(place) = self.place() {
            keep.file(&place.file, "the lumbar store (the file its link points to)");
            if place.dir != self.dir {
                dirs.push(place.dir);
            }
        }
        for dir in dirs {
            keep.file(&dir.join(LOCK_FILE), "the store's lock file");
            keep.file(&dir.join(OLD_BACKUP_FILE), "a backup of the store");
            keep.folder(&backups::folder(&dir), "inside the store's backups folder");
            keep.names(&dir, TEMP_PREFIX, "a temp file of the store");
        }
        keep
    }

    /// Reads the store; a missing file is an empty store (nothing is created by reading).
    pub fn load(&self) -> Result<Data> {
        let place = self.place()?;
        self.check_folders(&place)?;
        Ok(self.read(&place)?.map(|(data, _)| data).unwrap_or_default())
    }

    /// Load, change, save: the one way anything is written. Runs under the lock, writes only
    /// when the content changed, and writes nothing if `change` fails.
    pub fn update<T>(&self, change: impl FnOnce(&mut Data) -> Result<T>) -> Result<T> {
        self.update_with("", |d| Ok((change(d)?, false)))
            .map(|(value, _)| value)
    }

    /// [`update`](Self::update) where `change` also says whether the store it replaces should be
    /// kept as a dated copy named after `label` (`before-demo`), which lumbar never removes.
    /// Returns the copy's path when one was made.
    pub fn update_keeping_copy<T>(
        &self,
        label: &str,
        change: impl FnOnce(&mut Data) -> Result<(T, bool)>,
    ) -> Result<(T, Option<PathBuf>)> {
        self.update_with(label, change)
    }

    /// Replaces the whole store under the same guarantees.
    pub fn replace(&self, data: &Data) -> Result<()> {
        self.update(|d| {
            *d = data.clone();
            Ok(())
        })
    }

    fn update_with<T>(
        &self,
        label: &str,
        change: impl FnOnce(&mut Data) -> Result<(T, bool)>,
    ) -> Result<(T, Option<PathBuf>)> {
        let place = self.place()?;
        self.check_folders(&place)?;
        // A FIFO, a device or a huge file where the store should be is refused before anything
        // is created beside it.
        if let Ok(meta) = fs::symlink_metadata(&place.file) {
            if !meta.is_file() {
                return Err(self.unreadable(&place, not_regular(&meta)));
            }
            if meta.len() > MAX_STORE_BYTES {
                let e = std::io::Error::other(format!(
                    "it is {} bytes, more than the {} MiB lumbar reads",
                    meta.len(),
                    MAX_STORE_BYTES >> 20
                ));
                return Err(self.unreadable(&place, too_large(&e)));
            }
        }
        if place.dir == self.dir {
            self.create_dir()?;
        }
        let _lock = lock::acquire(&place.dir, &self.path())?;
        if self.place()? != place {
            bail!(
                "the store {} was moved or relinked while this command waited for the lock; nothing was changed, run it again",
                shown(&self.path())
            );
        }
        // Keep only a fingerprint of the old bytes, and stream the new content straight into
        // the temp file: a write never holds two copies of a large store in memory.
        let (mut data, before) = match self.read(&place)? {
            Some((data, print)) => (data, Some(print)),
            None => (Data::default(), None),
        };
        let (value, keep_copy) = change(&mut data)?;
        // What we write we must be able to read back. A change that fails the checks comes from
        // what was typed (a date in 1850), so it is bad input: exit 2, nothing written.
        if let Some(p) = check::problems(&data).into_iter().next() {
            return Err(crate::error::UsageError(format!(
                "not saved: {}; the store {} is as it was",
                escape(&p.what),
                shown(&self.path())
            ))
            .into());
        }
        let copy = self.write_atomically(&place, &data, before, keep_copy.then_some(label))?;
        Ok((value, copy))
    }

    /// Where the store file really is. A dangling symlink is an error, not an empty store.
    fn place(&self) -> Result<Place> {
        let path = self.path();
        let here = Place {
            dir: self.dir.clone(),
            file: path.clone(),
        };
        match fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => match fs::canonicalize(&path) {
                Ok(real) => Ok(Place {
                    dir: real.parent().map_or_else(|| PathBuf::from("/"), Path::to_path_buf),
                    file: real,
                }),
                Err(e) if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory) => {
                    let to = fs::read_link(&path).map(|t| shown(&t)).unwrap_or_default();
                    Err(self.unreadable(
                        &here,
                        Refusal::new(
                            format!("it is a symbolic link to {to}, which does not exist"),
                            Some("bring back the file it points to (is a synced folder not mounted?), or remove the link to start a new store"),
                        ),
                    ))
                }
                Err(e) => Err(e).with_context(|| format!("cannot follow the link {}", shown(&path))),
            },
            Ok(_) => Ok(here),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(here),
            Err(e) if e.kind() == ErrorKind::NotADirectory => Err(self.not_a_folder()),
            Err(e) => Err(e).with_context(|| format!("cannot read the store {}", shown(&path))),
        }
    }

    fn not_a_folder(&self) -> anyhow::Error {
        anyhow!(
            "the data folder {} is not a folder; pass --data-dir DIR with a folder (or a name that does not exist yet)",
            shown(&self.dir)
        )
    }

    /// The data folder (and the folder of a link's target) must be folders only their owner can
    /// write to: anyone else could swap the store, plant links at the names lumbar writes, or
    /// read the health data written there.
    fn check_folders(&self, place: &Place) -> Result<()> {
        let mut dirs = vec![&self.dir];
        if place.dir != self.dir {
            dirs.push(&place.dir);
        }
        for dir in dirs {
            let meta = match fs::metadata(dir) {
                Ok(m) => m,
                Err(e) if e.kind() == ErrorKind::NotFound => continue,
                Err(e) if e.kind() == ErrorKind::NotADirectory => return Err(self.not_a_folder()),
                Err(e) => return Err(e).with_context(|| format!("cannot open the data folder {}", shown(dir))),
            };
            if !meta.is_dir() {
                return Err(self.not_a_folder());
            }
            if let Some(why) = fsutil::shared_with_others(&meta) {
                let fix = if why.starts_with("belongs") {
                    "use a folder of your own (--data-dir DIR or LUMBAR_DATA_DIR)".to_string()
                } else {
                    format!("chmod 700 {}", shell_word(&shown(dir)))
                };
                bail!(
                    "the data folder {} {why}, so other users could replace or read what lumbar keeps there; lumbar will not use it.\n  to fix it: {fix}",
                    shown(dir)
                );
            }
        }
        Ok(())
    }

    fn create_dir(&self) -> Result<()> {
        DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&self.dir)
            .with_context(|| format!("cannot create the data folder {}", shown(&self.dir)))
    }

    fn unreadable(&self, place: &Place, why: Refusal) -> anyhow::Error {
        let old = self.dir.join(OLD_BACKUP_FILE);
        UnreadableStore {
            path: self.path(),
            detail: why.detail,
            fix: why.fix,
            backups: backups::list(&place.dir),
            old_backup: fs::symlink_metadata(&old).is_ok().then_some(old),
        }
        .into()
    }

    /// Reads the file and returns the data with the fingerprint of the bytes it came from.
    /// The usual layout is read line by line (see `lines`); anything else, including damage and
    /// values that fail the checks, goes through the whole-file parser, which migrates older
    /// versions and says where the problem is.
    fn read(&self, place: &Place) -> Result<Option<(Data, (usize, u128))>> {
        let path = self.path();
        let (mut file, meta) = match fsutil::open_regular(&place.file, MAX_STORE_BYTES, false) {
            Ok(Some(opened)) => opened,
            Ok(None) => return Ok(None),
            Err(e) if e.kind() == ErrorKind::NotADirectory => return Err(self.not_a_folder()),
            Err(e) if e.kind() == ErrorKind::FileTooLarge => return Err(self.unreadable(place, too_large(&e))),
            Err(e) if e.kind() == ErrorKind::InvalidInput => {
                return Err(self.unreadable(
                    place,
                    Refusal::new(
                        e.to_string(),
                        Some("lumbar keeps the store in a regular file: move this away and restore a backup"),
                    ),
                ));
            }
            Err(e) => return Err(e).with_context(|| format!("cannot read the store {}", shown(&path))),
        };
        if let Some(why) = fsutil::shared_with_others(&meta) {
            bail!(
                "the store {} {why}, so other users could change your records; lumbar will not use it.\n  to fix it: chmod 600 {}",
                shown(&path),
                shell_word(&shown(&path))
            );
        }
        let mut reader = BufReader::with_capacity(1 << 16, Fingerprinting::new((&file).take(MAX_STORE_BYTES + 1)));
        let by_lines = lines::parse(&mut reader).with_context(|| format!("cannot read the store {}", shown(&path)))?;
        let print = reader.into_inner().finish();
        if let Some(data) = by_lines
            && check::problems(&data).is_empty()
        {
            return Ok(Some((data, print)));
        }
        file.rewind()?;
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        (&file)
            .take(MAX_STORE_BYTES + 1)
            .read_to_end(&mut bytes)
            .with_context(|| format!("cannot read the store {}", shown(&path)))?;
        if bytes.len() as u64 > MAX_STORE_BYTES {
            return Err(self.unreadable(place, too_large(&std::io::Error::other("it grew past the limit"))));
        }
        let data = parse_checked(&bytes).map_err(|why| self.unreadable(place, why))?;
        Ok(Some((data, fingerprint(&bytes))))
    }

    /// Writes `data` to a temp file, and puts it in place unless it is byte-for-byte what was
    /// there (`before`; `None` means there was no file). The version it replaces becomes a
    /// backup generation first, and with `label` also a labelled copy, whose path is returned.
    fn write_atomically(
        &self,
        place: &Place,
        data: &Data,
        before: Option<(usize, u128)>,
        label: Option<&str>,
    ) -> Result<Option<PathBuf>> {
        let path = &place.file;
        remove_stale_temps(&place.dir);
        let (tmp_path, tmp) = fsutil::create_private_temp(&place.dir, TEMP_PREFIX)?;
        // Fingerprinted under the buffer, so the hash sees 64 KiB blocks, not serde's small writes.
        let mut out = std::io::BufWriter::with_capacity(1 << 16, Fingerprinting::new(tmp));
        let written = write_to(data, &mut out)
            .and_then(|_| out.flush().map_err(anyhow::Error::from))
            .and_then(|_| out.get_ref().inner.sync_all().map_err(anyhow::Error::from))
            .with_context(|| format!("cannot write {} (is the disk full or read-only?)", shown(&tmp_path)));
        let after = out.get_ref().finish();
        drop(out);
        if let Err(e) = written {
            let _ = fs::remove_file(&tmp_path);
            return Err(e.context(format!("the store {} was not changed", shown(&self.path()))));
        }
        if before == Some(after) {
            // Nothing changed: leave the store and its backups as they are.
            let _ = fs::remove_file(&tmp_path);
            return Ok(None);
        }
        let mut generation = None;
        let mut copy = None;
        if before.is_some() {
            let now = chrono::Utc::now();
            let kept = backups::keep(&place.dir, path, None, now).and_then(|g| {
                generation = Some(g);
                if let Some(label) = label {
                    copy = Some(backups::keep(&place.dir, path, Some(label), now)?);
                }
                Ok(())
            });
            // The backup's name is made durable before the store changes, so a crash can never
            // leave the new store without the version it replaced.
            let kept = kept.and_then(|_| fsutil::sync_dir(&backups::folder(&place.dir)));
            if let Err(e) = kept {
                let _ = fs::remove_file(&tmp_path);
                return Err(e.context(format!("the store {} was not changed", shown(&self.path()))));
            }
        }
        if let Err(e) = fs::rename(&tmp_path, path) {
            let _ = fs::remove_file(&tmp_path);
            return Err(e).with_context(|| format!("cannot replace {}; it was not changed", shown(path)));
        }
        // Make the rename itself durable.
        fsutil::sync_dir(&place.dir)?;
        if let Some(g) = generation {
            backups::prune(&place.dir, &g);
        }
        Ok(copy)
    }
}

fn not_regular(meta: &fs::Metadata) -> Refusal {
    Refusal::new(
        format!("it is {}, not a regular file", fsutil::kind(meta)),
        Some("lumbar keeps the store in a regular file: move this away and restore a backup"),
    )
}

fn too_large(e: &std::io::Error) -> Refusal {
    Refusal::new(
        e.to_string(),
        Some(
            "no lumbar writes a store this large (25 years of runs is about 3 MB): check what this file is, and restore a backup",
        ),
    )
}

/// Temp files left by a writer that was killed. Safe to remove: we hold the lock. The names are
/// collected first and removed after, so the listing never runs while entries disappear.
fn remove_stale_temps(dir: &Path) {
    for (folder, prefix) in [(dir.to_path_buf(), TEMP_PREFIX), (backups::folder(dir), ".tmp-")] {
        let stale: Vec<PathBuf> = fs::read_dir(&folder)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(prefix))
            .map(|e| e.path())
            .collect();
        for p in stale {
            let _ = fs::remove_file(p);
        }
    }
}

/// Length and hash of the file's bytes, to tell whether a change changed anything. XXH3-128:
/// chunking does not change it (tested below), a chance collision is out of reach (a missed
/// write would need one), and it costs a small fraction of SipHash on a multi-megabyte store.
fn fingerprint(bytes: &[u8]) -> (usize, u128) {
    (bytes.len(), xxhash_rust::xxh3::xxh3_128(bytes))
}

/// A reader or writer that fingerprints what passes through it, giving the same answer as
/// [`fingerprint`] on the whole.
struct Fingerprinting<W> {
    inner: W,
    hasher: xxhash_rust::xxh3::Xxh3,
    len: usize,
}

impl<W> Fingerprinting<W> {
    fn new(inner: W) -> Self {
        Fingerprinting {
            inner,
            hasher: xxhash_rust::xxh3::Xxh3::new(),
            len: 0,
        }
    }

    fn finish(&self) -> (usize, u128) {
        (self.len, self.hasher.digest128())
    }
}

impl<R: std::io::Read> std::io::Read for Fingerprinting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.len += n;
        Ok(n)
    }
}

impl<W: Write> Write for Fingerprinting<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.len += n;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// The on-disk form: pretty at the top level, one entry per line in the lists. A runner can
/// still read and edit it, a diff shows one line per changed entry, and it is about 40 % smaller
/// and quicker to read than fully indented JSON, which matters for a 25-year history.
pub fn serialize(data: &Data) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(160 * (data.runs.len() + data.pain.len()) + 1024);
    write_to(data, &mut out)?;
    Ok(out)
}

/// Writes the on-disk form of `data` to `out`.
pub fn write_to(data: &Data, out: &mut impl Write) -> Result<()> {
    // Every field of `Data`, in order. A field left out here fails to load in the round-trip
    // tests, since none of them has a default.
    let Data {
        format,
        version,
        next_id,
        config,
        red_flags_seen,
        flags_shown,
        shoes,
        runs,
        pain,
    } = data;
    out.write_all(b"{\n")?;
    scalar(out, "format", format, ",")?;
    scalar(out, "version", version, ",")?;
    scalar(out, "next_id", next_id, ",")?;
    scalar(out, "config", config, ",")?;
    list(out, "red_flags_seen", red_flags_seen, ",")?;
    list(out, "flags_shown", flags_shown, ",")?;
    list(out, "shoes", shoes, ",")?;
    list(out, "runs", runs, ",")?;
    list(out, "pain", pain, "")?;
    out.write_all(b"}\n")?;
    Ok(())
}

fn scalar<T: serde::Serialize>(out: &mut impl Write, key: &str, value: &T, sep: &str) -> Result<()> {
    write!(out, "  \"{key}\": ")?;
    serde_json::to_writer(&mut *out, value).context("cannot serialise the store")?;
    writeln!(out, "{sep}")?;
    Ok(())
}

fn list<T: serde::Serialize>(out: &mut impl Write, key: &str, items: &[T], sep: &str) -> Result<()> {
    write!(out, "  \"{key}\": [")?;
    for (i, item) in items.iter().enumerate() {
        out.write_all(if i == 0 { b"\n    " } else { b",\n    " })?;
        serde_json::to_writer(&mut *out, item).context("cannot serialise the store")?;
    }
    if items.is_empty() {
        writeln!(out, "]{sep}")?;
    } else {
        writeln!(out, "\n  ]{sep}")?;
    }
    Ok(())
}

/// The line-by-line reader on bytes in memory (for tests and fuzzing): `None` when the bytes are
/// not in the layout `write_to` produces, or hold something the checks refuse.
pub fn parse_lines(bytes: &[u8]) -> Option<Data> {
    lines::parse(&mut std::io::Cursor::new(bytes))
        .ok()
        .flatten()
        .filter(|d| check::problems(d).is_empty())
}

/// Parses and checks store bytes, migrating older layouts. The error says where (line and
/// column) and, on a second line, how to fix it.
pub fn parse(bytes: &[u8]) -> Result<Data, String> {
    parse_checked(bytes).map_err(|r| match r.fix {
        Some(fix) => format!("{}\n  to fix it: {fix}", r.detail),
        None => r.detail,
    })
}

/// Everything no command could have written, as found by the checks (for tests and tools).
pub fn problems(data: &Data) -> Vec<Problem> {
    check::problems(data)
}

fn parse_checked(bytes: &[u8]) -> Result<Data, Refusal> {
    let data = parse_layout(bytes)?;
    let problems = check::problems(&data);
    let Some(first) = problems.first() else {
        return Ok(data);
    };
    let at = |path: &[Step]| locate::offset(bytes, path).map(|o| locate::line_col(bytes, o));
    let mut detail = match at(&first.at) {
        Some((line, column)) => format!("line {line}, column {column}: {}", first.what),
        None => first.what.clone(),
    };
    if let Some((line, _)) = first.also.as_deref().and_then(at) {
        detail.push_str(&format!(" (the other is on line {line})"));
    }
    match problems.len() {
        1 => {}
        2 => detail.push_str(" (and 1 more problem after it)"),
        n => detail.push_str(&format!(" (and {} more problems after it)", n - 1)),
    }
    Err(Refusal {
        detail,
        fix: Some(first.fix.clone()),
    })
}

/// The layout: UTF-8 JSON in the current form, or an older one migrated.
fn parse_layout(bytes: &[u8]) -> Result<Data, Refusal> {
    // Validating UTF-8 once up front lets serde_json skip it for every string.
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = locate::line_col(bytes, e.valid_up_to());
        Refusal::new(
            format!("line {line}, column {column}: the file is not UTF-8 text"),
            Some("restore a backup, or save the file as UTF-8"),
        )
    })?;
    match serde_json::from_str::<Data>(text) {
        Ok(data) if data.format == FORMAT_NAME && data.version == FORMAT_VERSION => Ok(data),
        Ok(data) => {
            // It reads as the current layout but says it is another version: refuse a newer
            // one, and still migrate an older one, so what we write back is the current version.
            check_header(data.format.as_str(), Some(data.version))?;
            migrate_from(bytes, data.version)
        }
        Err(first) => {
            // Not the current layout: find out whether it is an older one, a newer one, or damaged.
            let header: Header = match serde_json::from_slice(bytes) {
                Ok(h) => h,
                Err(_) => return Err(describe(&first)),
            };
            match header.version {
                Some(v) if v < FORMAT_VERSION && header.format.as_deref() == Some(FORMAT_NAME) => {
                    migrate_from(bytes, v)
                }
                _ => {
                    check_header(header.format.as_deref().unwrap_or(""), header.version)?;
                    Err(describe(&first))
                }
            }
        }
    }
}

/// Migrates an older layout. Its errors come from the migrated document, which has no
/// positions; a field the error names is found in the original text instead.
fn migrate_from(bytes: &[u8], version: u32) -> Result<Data, Refusal> {
    migrate::from_older(bytes, version).map_err(|e| {
        let mut r = explain(&e);
        let position = quoted(&e)
            .and_then(|field| locate::key_offset(bytes, field))
            .map(|o| locate::line_col(bytes, o));
        r.detail = match position {
            Some((line, column)) => format!(
                "line {line}, column {column}: {} (migrating from version {version})",
                r.detail
            ),
            None => format!("cannot migrate from version {version}: {}", r.detail),
        };
        r
    })
}

fn check_header(format: &str, version: Option<u32>) -> Result<(), Refusal> {
    if format != FORMAT_NAME {
        return Err(Refusal::new(
            format!("it is not a lumbar store (format is {format:?}, expected \"{FORMAT_NAME}\")"),
            Some("point --data-dir at a lumbar data folder, or move this file away"),
        ));
    }
    match version {
        Some(v) if v > FORMAT_VERSION => Err(Refusal::new(
            format!("it was written by a newer lumbar (store version {v}; this lumbar reads up to {FORMAT_VERSION})"),
            Some("upgrade lumbar"),
        )),
        Some(_) => Ok(()),
        None => Err(Refusal::new(
            "it has no \"version\" field",
            Some("add \"version\": 3 after \"format\", or restore a backup"),
        )),
    }
}

fn describe(e: &serde_json::Error) -> Refusal {
    let what = e.to_string();
    // serde_json appends " at line L column C"; lead with the position instead.
    let reason = what.split(" at line ").next().unwrap_or(&what);
    let mut r = explain(reason);
    r.detail = format!("line {}, column {}: {}", e.line(), e.column(), r.detail);
    r
}

/// The first `quoted` name in a serde message.
fn quoted(message: &str) -> Option<&str> {
    message.split('`').nth(1)
}

/// A serde message in our words, with the fix. An unknown field is most often a typo, so the
/// known field closest to it is suggested; lumbar stops rather than drop what it does not know.
fn explain(reason: &str) -> Refusal {
    if let Some(rest) = reason.strip_prefix("unknown field ") {
        let field = quoted(reason).unwrap_or_default();
        let known: Vec<&str> = rest.split('`').skip(3).step_by(2).collect();
        let fix = match crate::error::closest(field, &known).filter(|c| *c != field) {
            Some(c) => format!(
                "rename \"{field}\" to \"{c}\" (names are case-sensitive), or remove it; lumbar stops rather than drop a field it does not know"
            ),
            None => format!(
                "remove \"{field}\" or move what it says into \"notes\"; lumbar stops rather than drop a field it does not know"
            ),
        };
        return Refusal {
            detail: format!("unknown field \"{field}\""),
            fix: Some(fix),
        };
    }
    if reason.starts_with("duplicate field") {
        let field = quoted(reason).unwrap_or_default();
        return Refusal {
            detail: format!("the field \"{field}\" appears twice in one record"),
            fix: Some(format!("keep one \"{field}\" and remove the other")),
        };
    }
    if reason.starts_with("missing field") {
        let field = quoted(reason).unwrap_or_default();
        return Refusal {
            detail: format!("a record has no \"{field}\" field"),
            fix: Some(format!("add \"{field}\" back, or restore a backup")),
        };
    }
    if reason.starts_with("invalid type") || reason.starts_with("invalid value") {
        return Refusal::new(
            reason,
            Some(
                "write the value in the form the other entries use (a whole number, a quoted name, ...), or restore a backup",
            ),
        );
    }
    Refusal::new(reason, Some("correct the file by hand, or restore a backup"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Run, Surface};

    fn sample_run(start: &str) -> Run {
        Run {
            surface: Some(Surface::Trail),
            warmup: Some(true),
            notes: Some("easy".into()),
            ..Run::new(chrono::DateTime::parse_from_rfc3339(start).unwrap(), 8000.0, 2400)
        }
    }

    #[test]
    fn save_then_load_is_the_same_data() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path().join("d"));
        store
            .update(|d| {
                d.add_run(sample_run("2026-11-20T07:00:00+01:00"));
                d.add_run(sample_run("2026-11-19T07:00:00+01:00"));
                Ok(())
            })
            .unwrap();
        let data = store.load().unwrap();
        assert_eq!(data.runs.len(), 2);
        assert_eq!(data.runs[0].id, 2, "runs are kept in time order");
        assert_eq!(parse(&serialize(&data).unwrap()).unwrap(), data);
    }

    #[test]
    fn files_are_private_and_backed_up() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path().join("d"));
        store
            .update(|d| Ok(d.add_run(sample_run("2026-11-20T07:00:00Z"))))
            .unwrap();
        let first = fs::read(store.path()).unwrap();
        store
            .update(|d| Ok(d.add_run(sample_run("2026-11-21T07:00:00Z"))))
            .unwrap();
        let backups = store.backups();
        assert_eq!(backups.len(), 1);
        assert_eq!(fs::read(&backups[0].path).unwrap(), first);
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&store.path()), 0o600);
        assert_eq!(mode(store.dir()), 0o700);
    }

    #[test]
    fn failed_change_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path());
        store
            .update(|d| Ok(d.add_run(sample_run("2026-11-20T07:00:00Z"))))
            .unwrap();
        let before = fs::read(store.path()).unwrap();
        let r: Result<()> = store.update(|d| {
            d.runs.clear();
            anyhow::bail!("no")
        });
        assert!(r.is_err());
        assert_eq!(fs::read(store.path()).unwrap(), before);
    }

    #[test]
    fn fingerprints_do_not_depend_on_chunking() {
        let bytes: Vec<u8> = (0..10_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let mut w = Fingerprinting::new(Vec::new());
        for chunk in bytes.chunks(333) {
            w.write_all(chunk).unwrap();
        }
        assert_eq!(w.finish(), fingerprint(&bytes));
        assert_eq!(w.inner, bytes);
    }

    #[test]
    fn a_change_that_changes_nothing_leaves_the_files_alone() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path());
        store
            .update(|d| Ok(d.add_run(sample_run("2026-11-20T07:00:00Z"))))
            .unwrap();
        store
            .update(|d| Ok(d.add_run(sample_run("2026-11-21T07:00:00Z"))))
            .unwrap();
        let newest = || fs::read(&store.backups()[0].path).unwrap();
        let (file, backup) = (fs::read(store.path()).unwrap(), newest());
        store
            .update(|d| {
                d.config.units = crate::model::Units::Km;
                Ok(())
            })
            .unwrap();
        assert_eq!(fs::read(store.path()).unwrap(), file);
        assert_eq!(newest(), backup, "the backup still holds the version before");
        let temps = fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(TEMP_PREFIX))
            .count();
        assert_eq!(temps, 0);
    }

    /// Found by the `store` fuzz target: a file in the current layout but labelled version 1
    /// was kept as version 1 and its counters were not checked.
    #[test]
    fn an_older_version_in_the_current_layout_is_migrated_and_keeps_its_counters() {
        let mut data = Data::default();
        data.add_run(sample_run("2026-11-20T07:00:00Z"));
        data.next_id.run = 50;
        let text = String::from_utf8(serialize(&data).unwrap())
            .unwrap()
            .replace("\"version\": 3", "\"version\": 1");
        let loaded = parse(text.as_bytes()).unwrap();
        assert_eq!(loaded.version, FORMAT_VERSION);
        assert_eq!(
            loaded.next_id.run, 50,
            "a counter above the largest id is kept, so no id is reused"
        );
        assert_eq!(parse_lines(&serialize(&loaded).unwrap()), Some(loaded));
    }

    #[test]
    fn damaged_and_newer_files_are_refused_with_a_position() {
        let err = parse(b"{\n  \"format\": \"lumbar\",\n  \"version\": 3,\n  \"runs\": [").unwrap_err();
        assert!(err.starts_with("line 4, column"), "{err}");
        let err = parse(br#"{"format":"lumbar","version":99}"#).unwrap_err();
        assert!(err.contains("newer lumbar"), "{err}");
        let err = parse(br#"{"format":"zoxide","version":2}"#).unwrap_err();
        assert!(err.contains("not a lumbar store"), "{err}");
    }
}
