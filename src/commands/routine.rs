//! `lumbar routine [NAME] [--timer]`: list the routines, print one, or guide a session.
//! No store access: routines are compiled-in content.

use anyhow::Result;
use serde::Serialize;
use serde_json::json;

use super::Ctx;
use crate::cli::RoutineArgs;
use crate::content::{self, NOT_A_DIAGNOSIS, Routine};
use crate::error::UsageError;
use crate::output::text::wrap_lines;
use crate::output::{Column, Output, Table, Tone};
use crate::timer;

pub fn run(ctx: &mut Ctx, a: RoutineArgs) -> Result<()> {
    let Some(name) = a.name else {
        return list(ctx);
    };
    let routine = content::parse_routine(&name)?;
    if a.timer {
        return guided(ctx, routine);
    }
    if ctx.out.json {
        return ctx.out.json(&json!({ "routine": RoutineView::new(routine) }));
    }
    ctx.out.print(&show(&ctx.out, routine))
}

fn list(ctx: &Ctx) -> Result<()> {
    let routines = content::routines();
    if ctx.out.json {
        let views: Vec<RoutineView> = routines.iter().map(RoutineView::new).collect();
        return ctx.out.json(&json!({ "routines": views }));
    }
    // The name is what is typed next, so it always stays; the title and when wrap at words.
    let mut table = Table::new(vec![
        Column::new("name"),
        Column::new("routine").wrap().priority(2),
        Column::new("when").wrap().priority(1),
    ]);
    for r in routines {
        table.row([r.id.as_str(), r.title.as_str(), r.when.as_str()]);
    }
    let hint = wrap(
        "Show one: `lumbar routine NAME` · guided: `lumbar routine NAME --timer`",
        ctx.out.prose_width(),
    );
    ctx.out
        .print(&format!("{}\n\n{}", ctx.out.render(&table), hint.join("\n")))
}

/// ROUTINE in `--json`: every field present, `null` where a step has none.
#[derive(Debug, Serialize)]
struct RoutineView<'a> {
    id: &'a str,
    title: &'a str,
    when: &'a str,
    summary: &'a str,
    steps: Vec<StepView<'a>>,
    notes: &'a [String],
    sources: &'a [String],
    advice: &'a [String],
}

#[derive(Debug, Serialize)]
struct StepView<'a> {
    name: &'a str,
    how: &'a str,
    /// A timed step's seconds per set (and per side); `null` for a counted one.
    seconds: Option<u32>,
    /// A counted step's repetitions per set (and per side); `null` for a timed one.
    reps: Option<u32>,
    sets: Option<u32>,
    each_side: bool,
    why: Option<&'a str>,
    source: &'a str,
    general_practice: Option<&'a str>,
}

impl<'a> RoutineView<'a> {
    fn new(r: &'a Routine) -> RoutineView<'a> {
        RoutineView {
            id: &r.id,
            title: &r.title,
            when: &r.when,
            summary: &r.summary,
            steps: r
                .steps
                .iter()
                .map(|s| StepView {
                    name: &s.name,
                    how: &s.how,
                    seconds: s.seconds,
                    reps: s.reps,
                    sets: s.sets,
                    each_side: s.each_side,
                    why: s.why.as_deref(),
                    source: &s.source,
                    general_practice: s.general_practice.as_deref(),
                })
                .collect(),
            notes: &r.notes,
            sources: &r.sources,
            advice: &r.advice,
        }
    }
}

/// The human page for one routine.
fn show(out: &Output, r: &Routine) -> String {
    let width = out.prose_width();
    let mut lines = vec![
        out.paint(Tone::Bold, &format!("{} ({})", r.title, r.id)),
        format!("When: {}", r.when),
    ];
    lines.extend(wrap(&r.summary, width));
    for (i, step) in r.steps.iter().enumerate() {
        lines.push(String::new());
        let mut head = format!("{} · {}", step.name, step.dose_text());
        if step.is_general_practice() {
            head.push_str(" · general practice");
        }
        // The head wraps too, with the tag dimmed wherever it lands.
        for line in wrap_lines(&head, width, &format!("{:>2}.", i + 1), "    ") {
            lines.push(match line.split_once(" · general practice") {
                Some((before, after)) => format!("{before}{}{after}", out.paint(Tone::Dim, " · general practice")),
                None => line,
            });
        }
        lines.extend(indented(&step.how, "", width));
        if let Some(why) = &step.why {
            lines.extend(indented(why, "Why: ", width));
        }
        if let Some(ours) = &step.general_practice {
            lines.extend(indented(
                &format!("{ours}."),
                "General practice, not the article: ",
                width,
            ));
        }
    }
    if !r.notes.is_empty() {
        lines.push(String::new());
        lines.push("Also:".into());
        for note in &r.notes {
            lines.extend(wrap(note, width - 4).into_iter().enumerate().map(|(i, l)| {
                let bullet = if i == 0 { "  - " } else { "    " };
                format!("{bullet}{l}")
            }));
        }
    }
    lines.push(String::new());
    lines.extend(wrap(&format!("Sources: {}.", r.sources.join("; ")), width));
    lines.extend(wrap(
        &format!("Guided session: `lumbar routine {} --timer`", r.id),
        width,
    ));
    lines.push(String::new());
    lines.extend(closing(out, r));
    lines.join("\n")
}

fn indented(text: &str, lead: &str, width: usize) -> Vec<String> {
    wrap(&format!("{lead}{text}"), width - 4)
        .into_iter()
        .map(|l| format!("    {l}"))
        .collect()
}

/// The last lines of any routine: for home care the symptoms that need a doctor, and always the
/// not-a-diagnosis line.
fn closing(out: &Output, r: &Routine) -> Vec<String> {
    let width = out.prose_width();
    let mut lines = Vec::new();
    if r.advice.iter().any(|a| a == "see-doctor")
        && let Some(doctor) = content::advice_by_id("see-doctor")
    {
        lines.push(out.paint(Tone::Warn, &format!("{}:", doctor.title)));
        lines.extend(wrap(&doctor.text, width));
    }
    lines.extend(wrap(NOT_A_DIAGNOSIS, width));
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
