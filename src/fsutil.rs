//! The two file-system steps every atomic write needs, shared by the store and `export`.

use std::fs::{File, OpenOptions};
use std::io::ErrorKind;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// Creates a new, owner-only (0600) file named `{prefix}{pid}-{nanos}-{n}` in `dir`, never
/// reusing an existing name. Same folder as the target, so the final rename is atomic.
pub fn create_private_temp(dir: &Path, prefix: &str) -> Result<(PathBuf, File)> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let mut last_err = None;
    for attempt in 0..8 {
        let p = dir.join(format!("{prefix}{}-{nanos}-{attempt}", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).mode(0o600).open(&p) {
            Ok(f) => return Ok((p, f)),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => last_err = Some(e),
            Err(e) => {
                return Err(e).with_context(|| {
                    format!(
                        "cannot create a file in {} (does the folder exist? is it writable?)",
                        dir.display()
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
        .with_context(|| format!("cannot sync the folder {}", dir.display()))
}
