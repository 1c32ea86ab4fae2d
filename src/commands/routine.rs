//! `lumbar routine [NAME] [--timer]`: list the routines, print one, or guide a session.
//! No store access: routines are compiled-in content.

use anyhow::Result;
use serde_json::json;

use super::Ctx;
use crate::cli::RoutineArgs;
use crate::content::{self, NOT_A_DIAGNOSIS, Routine};
use crate::error::UsageError;
use crate::output::text::wrap_lines;
use crate::output::{Output, Tone};
use crate::timer;

/// The widest we print prose, so every screen fits 80 columns.
const WIDTH: usize = 80;

pub fn run(ctx: &mut Ctx, a: RoutineArgs) -> Result<()> {
    let Some(name) = a.name else {
        return list(ctx);
    };
    let routine = content::parse_routine(&name)?;
    if a.timer {
        return guided(ctx, routine);
    }
    if ctx.out.json {
        return ctx.out.json(&json!({ "routine": routine }));
    }
    ctx.out.print(&show(&ctx.out, routine))
}

fn list(ctx: &Ctx) -> Result<()> {
    let routines = content::routines();
    if ctx.out.json {
        return ctx.out.json(&json!({ "routines": routines }));
    }
    let mut table = ctx.out.table(&["NAME", "ROUTINE", "WHEN"]);
    Output::keep_width(&mut table, &[0, 2]);
    for r in routines {
        table.add_row(vec![r.id.as_str(), r.title.as_str(), r.when.as_str()]);
    }
    ctx.out.print(&format!(
        "{table}\n\nShow one: lumbar routine NAME · guided: lumbar routine NAME --timer"
    ))
}

/// The human page for one routine.
fn show(out: &Output, r: &Routine) -> String {
    let mut lines = vec![
        out.paint(Tone::Bold, &format!("{} ({})", r.title, r.id)),
        format!("When: {}", r.when),
    ];
    lines.extend(wrap(&r.summary, WIDTH));
    for (i, step) in r.steps.iter().enumerate() {
        lines.push(String::new());
        let mut head = format!("{:>2}. {} · {}", i + 1, step.name, step.dose_text());
        if step.is_general_practice() {
            head.push_str(&out.paint(Tone::Dim, " · general practice"));
        }
        lines.push(head);
        lines.extend(indented(&step.how, ""));
        if let Some(why) = &step.why {
            lines.extend(indented(why, "Why: "));
        }
        if let Some(ours) = &step.general_practice {
            lines.extend(indented(&format!("{ours}."), "General practice, not the article: "));
        }
    }
    if !r.notes.is_empty() {
        lines.push(String::new());
        lines.push("Also:".into());
        for note in &r.notes {
            lines.extend(wrap(note, WIDTH - 4).into_iter().enumerate().map(|(i, l)| {
                let bullet = if i == 0 { "  - " } else { "    " };
                format!("{bullet}{l}")
            }));
        }
    }
    lines.push(String::new());
    lines.extend(wrap(&format!("Sources: {}.", r.sources.join("; ")), WIDTH));
    lines.push(format!("Guided session: lumbar routine {} --timer", r.id));
    lines.push(String::new());
    lines.extend(closing(out, r));
    lines.join("\n")
}

fn indented(text: &str, lead: &str) -> Vec<String> {
    wrap(&format!("{lead}{text}"), WIDTH - 4)
        .into_iter()
        .map(|l| format!("    {l}"))
        .collect()
}

/// The last lines of any routine: for home care the symptoms that need a doctor, and always the
/// not-a-diagnosis line.
fn closing(out: &Output, r: &Routine) -> Vec<String> {
    let mut lines = Vec::new();
    if r.advice.iter().any(|a| a == "see-doctor")
        && let Some(doctor) = content::advice_by_id("see-doctor")
    {
        lines.push(out.paint(Tone::Warn, &format!("{}:", doctor.title)));
        lines.extend(wrap(&doctor.text, WIDTH));
    }
    lines.extend(wrap(NOT_A_DIAGNOSIS, WIDTH));
    lines
}

/// `--timer`: a guided session, only on a real terminal.
fn guided(ctx: &Ctx, r: &Routine) -> Result<()> {
    if ctx.out.json {
        return Err(UsageError("--timer is an interactive session and cannot be combined with --json".into()).into());
    }
    if !(ctx.settings.term.stdin && ctx.settings.term.stdout) {
        return Err(UsageError(format!(
            "the timer needs a terminal: it counts down on screen and reads Enter, s and q from the keyboard. \
             Run it in a terminal, or print the steps with `lumbar routine {}`",
            r.id
        ))
        .into());
    }
    let summary = timer::run_on_terminal(r, ctx.out.utf8)?;
    let mut lines = summary.lines();
    lines.push(String::new());
    lines.extend(closing(&ctx.out, r));
    ctx.out.print(&lines.join("\n"))
}

/// Prose wrapped to `width` columns (nothing for empty text).
fn wrap(text: &str, width: usize) -> Vec<String> {
    if text.trim().is_empty() {
        return Vec::new();
    }
    wrap_lines(text, width, "", "")
}
