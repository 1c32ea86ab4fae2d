//! `lumbar report [--output FILE [--force]] [--weeks N] [--open]`: one self-contained HTML page
//! for the runner and their clinician (stdout without `--output`), or with `--json` the figures
//! the page shows.
//!
//! A file is written by `fsutil::write_new_file` with the store's keep list, exactly as `export`
//! writes: owner-only (0600), atomically, never over the store, its backups or its lock, nor
//! over anything that is not a regular file, and without `--force` never over an existing file.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Result, anyhow};
use chrono::Local;

use super::Ctx;
use crate::cli::ReportArgs;
use crate::error::UsageError;
use crate::fsutil::{self, shown};
use crate::report::{self, Inputs};

pub fn run(ctx: &mut Ctx, a: ReportArgs) -> Result<()> {
    // `--output -` is stdout, as for export.
    let target: Option<PathBuf> = a.output.clone().filter(|p| p != Path::new("-"));
    if a.open && target.is_none() {
        return Err(UsageError("--open opens the written file: add --output FILE".into()).into());
    }
    let keep = ctx.store.keep();
    if let Some(path) = &target {
        // Refuse before any work; the write checks again.
        fsutil::check_new_file(path, a.force, &keep, fsutil::OutputFlag::OUTPUT)?;
    }
    let data = ctx.load()?;
    if data.runs.is_empty() && data.pain.is_empty() {
        return Err(anyhow!(
            "nothing to report yet: no runs or pain entries logged, no page written\n\
             Log a run (`lumbar run add 5k 28:30`) or your back (`lumbar pain add 3`) first,\n\
             or try it on the example history: `lumbar --data-dir /tmp/lumbar-demo demo`."
        ));
    }
    let units = ctx.units(&data.config);
    let figures = report::build(&Inputs {
        data: &data,
        tz: &Local,
        now: ctx.settings.now,
        weeks: a.weeks,
        units,
    });
    let Some(path) = target else {
        if ctx.out.json {
            return ctx.out.json(&figures);
        }
        if ctx.out.term.stdout {
            ctx.out.note(
                "this is an HTML page: `lumbar report --output report.html --open` writes it to a file and opens it",
            );
        }
        let mut out = std::io::stdout().lock();
        out.write_all(report::render(&figures).as_bytes())?;
        return Ok(out.flush()?);
    };
    let page = report::render(&figures);
    let written = fsutil::write_new_file(&path, page.as_bytes(), a.force, &keep, fsutil::OutputFlag::OUTPUT)?;
    if ctx.out.json {
        ctx.out.json(&figures)?;
    }
    ctx.out.done(&format!(
        "Wrote the report of {} week{} ({} KB) to {}",
        a.weeks,
        if a.weeks == 1 { "" } else { "s" },
        page.len().div_ceil(1024),
        shown(&path)
    ));
    if a.open {
        open(ctx, &written);
    }
    Ok(())
}

/// The system's opener for a file.
fn opener() -> &'static str {
    if cfg!(target_os = "macos") { "open" } else { "xdg-open" }
}

/// Opens the written file with the system's opener. The report is written whatever happens
/// here, so a missing or failing opener is a warning, not an error. The path is passed whole
/// and absolute, as one argument (no shell), so no name can be read as an option.
fn open(ctx: &Ctx, path: &Path) {
    let path = fsutil::resolve(path);
    let opener = opener();
    let child = Command::new(opener)
        .arg(&path)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => {
            ctx.out.warn(&format!(
                "could not start {opener} ({e}); open {} in a browser",
                shown(&path)
            ));
            return;
        }
    };
    // Most openers hand the file to a browser and return at once; some wait for the browser to
    // close, and those are left to run.
    for _ in 0..20 {
        match child.try_wait() {
            Ok(Some(status)) if !status.success() => {
                ctx.out.warn(&format!(
                    "{opener} could not open it ({status}); open {} in a browser",
                    shown(&path)
                ));
                return;
            }
            Ok(Some(_)) | Err(_) => return,
            Ok(None) => std::thread::sleep(std::time::Duration::from_millis(100)),
        }
    }
}
