//! Backup generations, in `backups/` beside the store.
//!
//! Before a change replaces the store, the version it replaces is kept as
//! `backups/lumbar.json.<UTC date and time>.bak` (`lumbar.json.2026-12-01T091500Z.bak`; a second
//! change in the same second gets `…Z-2.bak`). The newest [`GENERATIONS`] are kept and older
//! ones removed. A copy made for a reason, such as `demo` replacing real data, carries the reason
//! in its name (`lumbar.json.2026-12-01T091500Z.before-demo.bak`) and is never removed by lumbar.
//! `lumbar.json.bak` beside the store, from earlier versions of lumbar, is left alone.
//!
//! A backup is a hard link to the file about to be replaced, made before the rename: it costs no
//! copy and is never half-written. `link` fails when the name exists, so a planted file or link
//! is never followed or overwritten. Where hard links are not supported, the file is copied.

use std::fs::{self, DirBuilder};
use std::io::ErrorKind;
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};

use crate::fsutil::{self, file_id, shown};

pub const BACKUP_DIR: &str = "backups";
/// How many backup generations are kept.
pub const GENERATIONS: usize = 5;
const PREFIX: &str = "lumbar.json.";
const SUFFIX: &str = ".bak";

/// One backup file.
#[derive(Clone, Debug, PartialEq)]
pub struct Backup {
    pub path: PathBuf,
    /// `before-demo` for a labelled copy; `None` for a generation.
    pub label: Option<String>,
    stamp: String,
    n: u32,
}

/// The backups folder of the store in `dir`.
pub fn folder(dir: &Path) -> PathBuf {
    dir.join(BACKUP_DIR)
}

/// `(stamp, n, label)` of a backup's file name.
fn parse_name(name: &str) -> Option<(String, u32, Option<String>)> {
    let middle = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    let (stamp_n, label) = match middle.split_once('.') {
        Some((s, l)) if !l.is_empty() => (s, Some(l.to_string())),
        Some(_) => return None,
        None => (middle, None),
    };
    let (stamp, n) = match stamp_n.split_once("Z-") {
        Some((s, n)) => (format!("{s}Z"), n.parse().ok().filter(|&n| n > 1)?),
        None => (stamp_n.to_string(), 1),
    };
    let ok = stamp.len() == 18 && stamp.ends_with('Z') && stamp.as_bytes()[10] == b'T';
    ok.then_some((stamp, n, label))
}

fn make_name(stamp: &str, n: u32, label: Option<&str>) -> String {
    let n = if n > 1 { format!("-{n}") } else { String::new() };
    let stamp = stamp.strip_suffix('Z').unwrap_or(stamp);
    match label {
        Some(l) => format!("{PREFIX}{stamp}Z{n}.{l}{SUFFIX}"),
        None => format!("{PREFIX}{stamp}Z{n}{SUFFIX}"),
    }
}

/// Every backup, newest first.
pub fn list(dir: &Path) -> Vec<Backup> {
    let folder = folder(dir);
    let mut out: Vec<Backup> = fs::read_dir(&folder)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            // Only regular files: a link or anything else planted there is not a backup.
            if !e.file_type().is_ok_and(|t| t.is_file()) {
                return None;
            }
            let name = e.file_name().into_string().ok()?;
            let (stamp, n, label) = parse_name(&name)?;
            Some(Backup {
                path: folder.join(&name),
                label,
                stamp,
                n,
            })
        })
        .collect();
    out.sort_by(|a, b| (&b.stamp, b.n).cmp(&(&a.stamp, a.n)));
    out
}

/// Creates the backups folder, or checks the one there: a folder of this user's that others
/// cannot write to.
fn ensure_folder(dir: &Path) -> Result<PathBuf> {
    let folder = folder(dir);
    match DirBuilder::new().mode(0o700).create(&folder) {
        Ok(()) => return Ok(folder),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e).with_context(|| format!("cannot create the backups folder {}", shown(&folder))),
    }
    let meta = fs::symlink_metadata(&folder)?;
    if !meta.is_dir() {
        bail!(
            "cannot back up the store: {} is {}, where lumbar keeps its backups in a folder; move it away",
            shown(&folder),
            fsutil::kind(&meta)
        );
    }
    if let Some(why) = fsutil::shared_with_others(&meta) {
        bail!(
            "cannot back up the store: the backups folder {} {why}; fix it with: chmod 700 {}",
            shown(&folder),
            shown(&folder)
        );
    }
    Ok(folder)
}

/// Keeps `store`, the file about to be replaced, as a new generation (or, with `label`, as a
/// copy lumbar never removes). Returns the backup's path.
pub fn keep(dir: &Path, store: &Path, label: Option<&str>, now: DateTime<Utc>) -> Result<PathBuf> {
    let folder = ensure_folder(dir)?;
    let current = fs::symlink_metadata(store).with_context(|| format!("cannot back up {}", shown(store)))?;
    if label.is_none() {
        // A writer killed between this step and its rename leaves the store already kept.
        if let Some(newest) = list(dir).into_iter().find(|b| b.label.is_none())
            && fs::symlink_metadata(&newest.path).is_ok_and(|m| file_id(&m) == file_id(&current))
        {
            return Ok(newest.path);
        }
    }
    let stamp = now.format("%Y-%m-%dT%H%M%SZ").to_string();
    // Numbered past every backup of the same second, so names keep the order they were made in
    // even after older ones of that second were pruned.
    let first = list(dir)
        .iter()
        .filter(|b| b.stamp == stamp)
        .map(|b| b.n + 1)
        .max()
        .unwrap_or(1);
    for n in first..first + 1000 {
        let path = folder.join(make_name(&stamp, n, label));
        match fs::hard_link(store, &path) {
            Ok(()) => return Ok(path),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            // No hard links on this file system (FAT, some network mounts): copy instead.
            Err(_) => return copy(store, &folder, &path),
        }
    }
    bail!(
        "cannot back up the store: too many backups named {stamp} in {}",
        shown(&folder)
    )
}

/// The copy fallback: a private temp file in the backups folder, fsynced, then renamed to a
/// name that was free.
fn copy(store: &Path, folder: &Path, to: &Path) -> Result<PathBuf> {
    let cannot = || format!("cannot back up {} to {}", shown(store), shown(to));
    let (mut from, _) = fsutil::open_regular(store, u64::MAX, false)
        .with_context(cannot)?
        .with_context(cannot)?;
    let (tmp_path, mut tmp) = fsutil::create_private_temp(folder, ".tmp-")?;
    let done = std::io::copy(&mut from, &mut tmp)
        .and_then(|_| tmp.sync_all())
        .map_err(anyhow::Error::from)
        .and_then(|_| match fs::symlink_metadata(to) {
            Err(e) if e.kind() == ErrorKind::NotFound => fs::rename(&tmp_path, to).map_err(anyhow::Error::from),
            _ => bail!("{} appeared meanwhile", shown(to)),
        })
        .with_context(cannot);
    if done.is_err() {
        let _ = fs::remove_file(&tmp_path);
    }
    done.map(|_| to.to_path_buf())
}

/// Removes the generations beyond the newest [`GENERATIONS`], never `just_made` (so a clock set
/// back cannot remove the newest backup). Labelled copies are never removed.
pub fn prune(dir: &Path, just_made: &Path) {
    let generations = list(dir)
        .into_iter()
        .filter(|b| b.label.is_none() && b.path != just_made);
    for old in generations.skip(GENERATIONS - 1) {
        let _ = fs::remove_file(&old.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_back_and_sort_newest_first() {
        assert_eq!(
            parse_name("lumbar.json.2026-12-01T091500Z.bak"),
            Some(("2026-12-01T091500Z".into(), 1, None))
        );
        assert_eq!(
            parse_name("lumbar.json.2026-12-01T091500Z-3.bak"),
            Some(("2026-12-01T091500Z".into(), 3, None))
        );
        assert_eq!(
            parse_name("lumbar.json.2026-12-01T091500Z.before-demo.bak"),
            Some(("2026-12-01T091500Z".into(), 1, Some("before-demo".into())))
        );
        for other in [
            "lumbar.json.bak",
            "lumbar.json.x.bak",
            "lumbar.json.2026-12-01T091500Z-1.bak",
            "notes.txt",
        ] {
            assert_eq!(parse_name(other), None, "{other}");
        }
        for (stamp, n, label) in [
            ("2026-12-01T091500Z", 1, None),
            ("2026-12-01T091500Z", 2, Some("before-demo")),
        ] {
            let name = make_name(stamp, n, label);
            assert_eq!(
                parse_name(&name),
                Some((stamp.to_string(), n, label.map(String::from))),
                "{name}"
            );
        }
    }

    #[test]
    fn keeps_the_newest_generations_and_every_labelled_copy() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("lumbar.json");
        let t0 = DateTime::parse_from_rfc3339("2026-12-01T09:15:00Z").unwrap().to_utc();
        let mut made = Vec::new();
        for i in 0..8 {
            // Each version is a new file put in place by a rename, as the store does it.
            let next = dir.path().join("next");
            fs::write(&next, format!("version {i}")).unwrap();
            fs::rename(&next, &store).unwrap();
            let label = (i == 2).then_some("before-demo");
            // Two in the same second get distinct names.
            let at = t0 + chrono::Duration::seconds(i / 2);
            let b = keep(dir.path(), &store, label, at).unwrap();
            prune(dir.path(), &b);
            made.push(b);
        }
        let left = list(dir.path());
        let generations: Vec<_> = left.iter().filter(|b| b.label.is_none()).collect();
        assert_eq!(generations.len(), GENERATIONS);
        assert_eq!(generations[0].path, made[7], "newest first");
        assert_eq!(fs::read_to_string(&generations[0].path).unwrap(), "version 7");
        assert!(left.iter().any(|b| b.path == made[2]), "the labelled copy stays");
        assert_eq!(fs::read_to_string(&made[2]).unwrap(), "version 2");
        assert!(
            made[1].to_string_lossy().ends_with("T091500Z-2.bak"),
            "{}",
            made[1].display()
        );
    }

    #[test]
    fn many_in_one_second_keep_their_order_after_pruning() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("lumbar.json");
        let now = Utc::now();
        for i in 0..12 {
            let next = dir.path().join("next");
            fs::write(&next, format!("{i}")).unwrap();
            fs::rename(&next, &store).unwrap();
            let b = keep(dir.path(), &store, None, now).unwrap();
            prune(dir.path(), &b);
        }
        let kept: Vec<String> = list(dir.path())
            .iter()
            .map(|b| fs::read_to_string(&b.path).unwrap())
            .collect();
        assert_eq!(kept, ["11", "10", "9", "8", "7"], "newest first");
    }

    #[test]
    fn a_store_already_kept_is_not_kept_twice() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("lumbar.json");
        fs::write(&store, "v").unwrap();
        let now = Utc::now();
        let a = keep(dir.path(), &store, None, now).unwrap();
        let b = keep(dir.path(), &store, None, now + chrono::Duration::seconds(5)).unwrap();
        assert_eq!(a, b);
        assert_eq!(list(dir.path()).len(), 1);
    }

    #[test]
    fn a_planted_name_is_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("lumbar.json");
        fs::write(&store, "mine").unwrap();
        let victim = dir.path().join("victim");
        fs::write(&victim, "precious").unwrap();
        let now = DateTime::parse_from_rfc3339("2026-12-01T09:15:00Z").unwrap().to_utc();
        fs::create_dir(folder(dir.path())).unwrap();
        let planted = folder(dir.path()).join(make_name("2026-12-01T091500Z", 1, None));
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        let b = keep(dir.path(), &store, None, now).unwrap();
        assert_ne!(b, planted);
        assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
        assert_eq!(fs::read_to_string(&b).unwrap(), "mine");
    }
}
