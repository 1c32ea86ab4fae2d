//! `lumbar demo`: fill an empty data folder with an example history.

use anyhow::Result;
use serde_json::json;

use super::Ctx;
use crate::cli::DemoArgs;
use crate::error::UsageError;

pub fn run(ctx: &mut Ctx, a: DemoArgs) -> Result<()> {
    let existing = ctx.load()?;
    if !existing.is_empty() && !a.force {
        return Err(UsageError(format!(
            "{} already holds {}, {} and {}; the demo only fills an empty store.\n  \
             use another --data-dir, or pass --force to replace it (the current file is kept as {})",
            ctx.store.path().display(),
            count(existing.runs.len(), "run", "runs"),
            count(existing.pain.len(), "pain entry", "pain entries"),
            count(existing.shoes.len(), "shoe", "shoes"),
            ctx.store.backup_path().display()
        ))
        .into());
    }
    let mut data = crate::demo::generate(a.weeks, a.seed, ctx.settings.now);
    data.config = existing.config;
    ctx.store.replace(&data)?;
    if ctx.out.json {
        return ctx.out.json(&json!({
            "path": ctx.store.path(),
            "runs": data.runs.len(),
            "pain": data.pain.len(),
            "shoes": data.shoes.len(),
        }));
    }
    ctx.out.done(&format!(
        "Wrote a {}-week example history to {}: {} runs, {} pain entries, {} shoes.\nTry: lumbar --data-dir {} coach",
        a.weeks,
        ctx.store.path().display(),
        data.runs.len(),
        data.pain.len(),
        data.shoes.len(),
        shell_quote(&ctx.store.dir().display().to_string()),
    ));
    Ok(())
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
