//! The writers' lock: `lumbar.lock` beside the store, held with `flock` for one load-modify-save.
//!
//! The holder writes its pid into the file, so a writer that has to wait can say who it waits
//! for. It waits a few seconds (longer while the lock keeps changing hands, as when many
//! commands start at once), then stops with exit 1 and what to do. It never waits forever.

use std::fs::{File, OpenOptions, TryLockError};
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::fsutil::{kind, shown};

pub const LOCK_FILE: &str = "lumbar.lock";

/// How long one holder may keep the lock before a waiter gives up.
pub const WAIT: Duration = Duration::from_secs(5);
/// However often the lock changes hands, no wait is longer than this.
const LONGEST_WAIT: Duration = Duration::from_secs(60);
const POLL: Duration = Duration::from_millis(25);

/// Held until dropped (closing the file releases the lock).
pub struct Lock {
    _file: File,
}

/// Takes the lock of the store in `dir`; `store` is only for messages.
pub fn acquire(dir: &Path, store: &Path) -> Result<Lock> {
    let path = dir.join(LOCK_FILE);
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(&path)
        .map_err(|e| match e.raw_os_error() {
            Some(libc::ELOOP) => anyhow::anyhow!(
                "the lock file {} is a symbolic link; lumbar never follows one there: remove it (rm {}) and try again",
                shown(&path),
                shown(&path)
            ),
            _ => anyhow::Error::from(e).context(format!("cannot open the lock file {}", shown(&path))),
        })?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        bail!(
            "the lock file {} is {}, not a regular file: remove it and try again",
            shown(&path),
            kind(&meta)
        );
    }
    let started = Instant::now();
    let mut deadline = started + WAIT;
    let mut holder: Option<Option<u32>> = None;
    loop {
        match file.try_lock() {
            Ok(()) => break,
            Err(TryLockError::WouldBlock) => {}
            Err(TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("cannot lock {}", shown(&path)));
            }
        }
        let now = Instant::now();
        let pid = holder_pid(&file);
        match holder {
            None => {
                // Written here, not through `Output`: finished the same way (see `output::glyphs`).
                let text = format!("waiting for {} to finish writing {} ...", who(pid), shown(store));
                let ascii = !crate::settings::locale_is_utf8();
                eprintln!("{}", crate::output::glyphs::finish(&text, ascii));
            }
            // Another writer got it meanwhile: the queue moves, so keep waiting.
            Some(before) if before != pid => deadline = (now + WAIT).min(started + LONGEST_WAIT),
            Some(_) => {}
        }
        holder = Some(pid);
        if now >= deadline {
            return Err(stuck(pid, &path, store));
        }
        std::thread::sleep(POLL);
    }
    // Say who holds it, for the next waiter. Best effort: the lock itself is what matters.
    let _ = file.set_len(0);
    let _ = file.write_all_at(format!("{}\n", std::process::id()).as_bytes(), 0);
    Ok(Lock { _file: file })
}

/// The pid the holder wrote, if it wrote one.
fn holder_pid(file: &File) -> Option<u32> {
    let mut buf = [0u8; 32];
    let n = file.read_at(&mut buf, 0).ok()?;
    std::str::from_utf8(&buf[..n])
        .ok()?
        .trim()
        .parse()
        .ok()
        .filter(|&p| p > 0)
}

fn who(pid: Option<u32>) -> String {
    match pid {
        Some(p) => format!("another lumbar (pid {p})"),
        None => "another process".to_string(),
    }
}

/// Whether the process is stopped (Ctrl-Z, SIGSTOP), from `/proc` where there is one.
fn stopped(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            s.rsplit_once(") ")
                .map(|(_, rest)| rest.starts_with('T') || rest.starts_with('t'))
        })
        .unwrap_or(false)
}

fn stuck(pid: Option<u32>, lock: &Path, store: &Path) -> anyhow::Error {
    let secs = WAIT.as_secs();
    let store = shown(store);
    let lock = shown(lock);
    match pid {
        Some(p) if stopped(p) => anyhow::anyhow!(
            "{} holds the lock on {store} and is stopped; gave up after waiting {secs} seconds, nothing was changed.\n  \
             resume it (`fg` in its terminal, or `kill -CONT {p}`) or end it (`kill {p}`), then run this command again",
            who(pid)
        ),
        Some(p) => anyhow::anyhow!(
            "{} has held the lock on {store} for more than {secs} seconds; gave up waiting, nothing was changed.\n  \
             let it finish (it may be waiting for an answer in another terminal) or end it (`kill {p}`), then run this command again",
            who(pid)
        ),
        None => anyhow::anyhow!(
            "another process holds the lock {lock} on {store}; gave up after waiting {secs} seconds, nothing was changed.\n  \
             find it with `fuser -v {lock}` and let it finish or end it, then run this command again"
        ),
    }
}
