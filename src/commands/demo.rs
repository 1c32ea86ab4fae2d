//! `lumbar demo`: fill a data folder with an example history.
//!
//! A folder that already holds data is only replaced with `--yes` (or a yes on a terminal), and
//! what it held is kept as a dated copy in the backups folder that lumbar never removes.

use anyhow::Result;
use serde_json::json;

use super::Ctx;
use crate::cli::DemoArgs;
use crate::error::UsageError;
use crate::fsutil::shown;
use crate::model::Data;

/// The label of the copy kept when the demo replaces real data.
const COPY_LABEL: &str = "before-demo";

pub fn run(ctx: &mut Ctx, a: DemoArgs) -> Result<()> {
    let existing = ctx.load()?;
    let mut confirmed = a.yes;
    if !existing.is_empty() && !confirmed {
        if !ctx.settings.interactive() {
            return Err(refusal(ctx, &existing).into());
        }
        let question = format!(
            "{} holds {}. Replace it with an example history? (it is kept as a dated copy in {})",
            shown(&ctx.store.path()),
            holds(&existing),
            shown(&ctx.store.backup_dir())
        );
        if ctx.ask_yes_no(&question)? != Some(true) {
            ctx.out.note("kept it; nothing was changed");
            return Ok(());
        }
        confirmed = true;
    }
    let mut demo = crate::demo::generate(a.weeks, a.seed, ctx.settings.now);
    let (runs, pain, shoes) = (demo.runs.len(), demo.pain.len(), demo.shoes.len());
    let (replaced, copy) = ctx.store.update_keeping_copy(COPY_LABEL, |d| {
        // Checked again under the lock: data may have arrived since.
        if !d.is_empty() && !confirmed {
            return Err(refusal(ctx, d).into());
        }
        let replaced = (!d.is_empty()).then(|| holds(d));
        demo.config = d.config.clone();
        *d = demo;
        let keep_copy = replaced.is_some();
        Ok((replaced, keep_copy))
    })?;
    if ctx.out.json {
        return ctx.out.json(&json!({
            "path": ctx.store.path(),
            "runs": runs,
            "pain": pain,
            "shoes": shoes,
            "kept": copy,
        }));
    }
    ctx.out.done(&format!(
        "Wrote a {}-week example history to {}: {} runs, {} pain entries, {} shoes.\nTry: lumbar --data-dir {} coach",
        a.weeks,
        shown(&ctx.store.path()),
        runs,
        pain,
        shoes,
        shell_quote(&shown(ctx.store.dir())),
    ));
    if let (Some(what), Some(copy)) = (replaced, copy) {
        ctx.out.note(&format!(
            "the store it replaced ({what}) is kept as {}; to go back: cp {} {}",
            shown(&copy),
            shell_quote(&shown(&copy)),
            shell_quote(&shown(&ctx.store.path()))
        ));
    }
    Ok(())
}

fn refusal(ctx: &Ctx, existing: &Data) -> UsageError {
    UsageError(format!(
        "{} already holds {}; the demo only fills an empty store.\n  \
         use another --data-dir, or pass --yes to replace it (what it holds is kept as a dated copy in {})",
        shown(&ctx.store.path()),
        holds(existing),
        shown(&ctx.store.backup_dir())
    ))
}

/// "86 runs, 81 pain entries and 2 shoes".
fn holds(d: &Data) -> String {
    format!(
        "{}, {} and {}",
        count(d.runs.len(), "run", "runs"),
        count(d.pain.len(), "pain entry", "pain entries"),
        count(d.shoes.len(), "shoe", "shoes"),
    )
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn shell_quote(s: &str) -> String {
    if s.chars().all(|c| c.is_ascii_alphanumeric() || "/._-".contains(c)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}
