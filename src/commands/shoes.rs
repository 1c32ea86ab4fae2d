//! `lumbar shoes [list] [--all]`, `add`, `retire`, `default`, `rename`, `rm`.
//!
//! `rm` of a pair with runs (after `--yes`) keeps it as a hidden tombstone, so its runs keep
//! naming it and nothing is lost; a pair with no runs is removed outright.

use anyhow::Result;
use serde_json::json;

use super::Ctx;
use crate::cli::{ShoesArgs, ShoesCommand};
use crate::error::{InputError, UsageError};
use crate::model::units::MAX_SHOE_DISTANCE_M;
use crate::model::{Data, Distance, DistanceInput, Shoe, Units};
use crate::output::text::escape;
use crate::output::views::ShoeView;
use crate::output::{Cell, Column, Output, Table, Tone};
use crate::settings::Settings;
use crate::shoes::{self, ShoeStatus, ShoeSummary};

/// Cells in the wear bar.
const BAR_CELLS: usize = 6;

pub fn run(ctx: &mut Ctx, a: ShoesArgs) -> Result<()> {
    match a.command {
        None => list(ctx, a.all),
        Some(ShoesCommand::List { all }) => list(ctx, all || a.all),
        Some(ShoesCommand::Add {
            name,
            limit,
            start,
            default,
        }) => add(ctx, &name, limit, start, default),
        Some(ShoesCommand::Retire { shoe }) => retire(ctx, &shoe),
        Some(ShoesCommand::Default { shoe }) => make_default(ctx, &shoe),
        Some(ShoesCommand::Rename { shoe, new_name }) => rename(ctx, &shoe, &new_name),
        Some(ShoesCommand::Rm { shoe, yes }) => rm(ctx, &shoe, yes),
    }
}

fn list(ctx: &mut Ctx, all: bool) -> Result<()> {
    let data = ctx.load()?;
    let today = ctx.settings.now.date_naive();
    let summaries = shoes::summaries(&data, today);
    let shown: Vec<&ShoeSummary> = summaries.iter().filter(|s| all || !s.shoe.retired).collect();
    if ctx.out.json {
        let views: Vec<ShoeView> = shown.iter().map(|s| ShoeView::new(s)).collect();
        return ctx.out.json(&json!({ "shoes": views }));
    }
    let hidden = summaries.len() - shown.len();
    if shown.is_empty() {
        ctx.out.note(&if hidden > 0 {
            format!("no pairs in use; `lumbar shoes --all` shows {hidden} retired")
        } else {
            "no shoes yet: add a pair with `lumbar shoes add 'Pegasus 41' --default`".to_string()
        });
        return Ok(());
    }
    ctx.out
        .print(&table(&ctx.out, ctx.units(&data.config), today, &shown))?;
    if !ctx.out.quiet {
        let mut foot = Vec::new();
        if shown.iter().any(|s| s.shoe.default) {
            foot.push("* default".to_string());
        }
        if hidden > 0 {
            foot.push(format!("{hidden} retired hidden (--all)"));
        }
        foot.push("at limit: at the pace of the last 8 weeks".into());
        let mut text = foot.join(" · ");
        if let Some(width) = ctx.out.width().filter(|w| text.chars().count() > *w) {
            text = foot
                .iter()
                .flat_map(|f| crate::output::text::wrap_lines(f, width, "", "  "))
                .collect::<Vec<_>>()
                .join("\n");
        }
        ctx.out.print(&ctx.out.paint(Tone::Dim, &text))?;
    }
    Ok(())
}

/// The pairs as a table. The name, distance and status always stay; on a narrow terminal the
/// day the limit is reached goes first, then the run count, the limit, the wear bar and the
/// last run. The status is coloured by what it asks of the runner.
fn table(out: &Output, u: Units, today: chrono::NaiveDate, shown: &[&ShoeSummary]) -> String {
    let mut t = Table::new(vec![
        Column::new("name").wrap(),
        Column::new(u.label()).right(),
        Column::new("limit").right().priority(3),
        Column::new("wear").priority(4),
        Column::new("status"),
        Column::new("runs").right().priority(2),
        Column::new("last run").right().priority(5),
        Column::new("at limit").priority(1),
    ]);
    for s in shown {
        let name = escape(&s.shoe.name);
        let name = if s.shoe.default {
            format!("{name} *")
        } else {
            name.into_owned()
        };
        let at_limit = match (s.status, s.reaches_limit_on) {
            (ShoeStatus::Replace, _) => "now".to_string(),
            (_, Some(d)) => d.to_string(),
            _ => "-".to_string(),
        };
        t.row([
            Cell::from(name),
            format!("{:.1}", Distance(s.distance_m).in_units(u)).into(),
            format!("{:.0}", Distance(s.limit_m).in_units(u)).into(),
            format!("{} {:>3.0}%", bar(s.share(), out.utf8), s.share() * 100.0).into(),
            Cell::painted(s.status.as_str(), status_tone(s.status.as_str())),
            s.runs.to_string().into(),
            s.last_run.map_or("-".into(), |t| ago(t.date_naive(), today)).into(),
            at_limit.into(),
        ]);
    }
    out.render(&t)
}

/// How long ago a day was, in at most six characters: "today", "3d ago", "5w ago", "2y ago".
pub fn ago(day: chrono::NaiveDate, today: chrono::NaiveDate) -> String {
    let days = (today - day).num_days();
    match days {
        i64::MIN..=0 => "today".into(),
        1..=13 => format!("{days}d ago"),
        14..=104 => format!("{}w ago", days / 7),
        105..=729 => format!("{}m ago", days / 30),
        _ => format!("{}y ago", days / 365),
    }
}

/// A bar of the share of the limit, full at the limit.
pub fn bar(share: f64, utf8: bool) -> String {
    let share = if share.is_finite() { share.clamp(0.0, 1.0) } else { 0.0 };
    if !utf8 {
        let full = (share * BAR_CELLS as f64).round() as usize;
        return format!("{}{}", "#".repeat(full), ".".repeat(BAR_CELLS - full));
    }
    const PARTS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
    let eighths = (share * (BAR_CELLS * 8) as f64).round() as usize;
    let (full, part) = (eighths / 8, eighths % 8);
    let mut s = "█".repeat(full);
    if full < BAR_CELLS {
        s.push(if part == 0 { '░' } else { PARTS[part] });
        s.push_str(&"░".repeat(BAR_CELLS - full - 1));
    }
    s
}

fn status_tone(status: &str) -> Option<Tone> {
    match status {
        "ok" => Some(Tone::Good),
        "nearing" => Some(Tone::Warn),
        "replace" => Some(Tone::Urgent),
        "retired" => Some(Tone::Dim),
        _ => None,
    }
}

/// A pair's limit or starting distance; bare numbers are in the configured units.
fn shoe_distance(d: DistanceInput, units: Units, field: &'static str, zero_ok: bool) -> Result<f64, InputError> {
    if zero_ok && matches!(d, DistanceInput::Metres(m) | DistanceInput::Bare(m) if m == 0.0) {
        return Ok(0.0);
    }
    Ok(d.resolve_within(units, field, MAX_SHOE_DISTANCE_M)?.metres())
}

fn add(
    ctx: &mut Ctx,
    name: &str,
    limit: Option<DistanceInput>,
    start: Option<DistanceInput>,
    default: bool,
) -> Result<()> {
    let settings = ctx.settings;
    let (shown, first) = ctx.store.update(|data| {
        let units = data.config.units;
        let limit_m = limit.map(|l| shoe_distance(l, units, "limit", false)).transpose()?;
        let start_m = start
            .map(|s| shoe_distance(s, units, "start", true))
            .transpose()?
            .unwrap_or(0.0);
        let name = shoes::check_name(data, name, None)?;
        // The first pair in use becomes the default, so `run add` counts runs on it at once.
        let first = data.default_shoe().is_none() && !data.shoes.iter().any(|s| !s.retired && !s.removed);
        let make_default = default || first;
        if make_default {
            clear_default(data);
        }
        let id = data.add_shoe(Shoe {
            id: 0,
            name,
            start_m,
            limit_m,
            default: make_default,
            retired: false,
            added: Some(settings.now),
            removed: false,
        });
        Ok((Shown::of(data, id, &settings), first && !default))
    })?;
    if ctx.out.quiet && !ctx.out.json {
        // `-q`: the new id alone, for scripts (`id=$(lumbar -q shoes add ...)`).
        return ctx.out.print(&shown.id.to_string());
    }
    print_shoe(ctx, &shown, &format!("Added shoe {}", shown.line()))?;
    if first && !ctx.out.json {
        ctx.out
            .note("it is your only pair, so it is the default for `lumbar run add`");
    }
    Ok(())
}

fn clear_default(data: &mut Data) {
    for s in &mut data.shoes {
        s.default = false;
    }
}

/// What a shoe command prints about the pair it changed, worked out inside the store update,
/// so the store is read once and never copied.
struct Shown {
    id: u64,
    /// The pair's name as a sentence shows it ([`quoted`]).
    name: String,
    /// "120.0 of 482.8 km (25 %) · ok · default".
    details: String,
    /// `SHOE` for `--json`.
    json: serde_json::Value,
}

impl Shown {
    fn of(data: &Data, id: u64, settings: &Settings) -> Shown {
        let Some(shoe) = data.shoe(id) else {
            return Shown {
                id,
                name: id.to_string(),
                details: String::new(),
                json: serde_json::Value::Null,
            };
        };
        let s = shoes::summarize(data, shoe, settings.now.date_naive());
        let u = settings.units(&data.config);
        let mut parts = vec![
            format!(
                "{:.1} of {:.1} {} ({:.0} %)",
                Distance(s.distance_m).in_units(u),
                Distance(s.limit_m).in_units(u),
                u.label(),
                s.share() * 100.0
            ),
            s.status.as_str().to_string(),
        ];
        if shoe.default {
            parts.push("default".into());
        }
        Shown {
            id,
            name: quoted(&shoe.name),
            details: parts.join(" · "),
            json: json!(ShoeView::new(&s)),
        }
    }

    /// "'Pegasus 41' (id 3): 120.0 of 482.8 km (25 %) · ok".
    fn line(&self) -> String {
        format!("{} (id {}): {}", self.name, self.id, self.details)
    }
}

/// Words a shoe name could be mistaken for in the sentences that name it.
const SENTENCE_WORDS: &[&str] = &[
    "a", "and", "as", "default", "is", "now", "of", "retired", "shoe", "the", "to",
];

/// A shoe name as a sentence shows it: escaped, and in quotes when it has spaces or
/// punctuation, is a number (it would read as an id) or is one of the sentence's own words.
pub fn quoted(name: &str) -> String {
    let shown = escape(name);
    let plain = !shown.is_empty()
        && shown
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '+'))
        && !shown.chars().all(|c| c.is_ascii_digit())
        && !SENTENCE_WORDS.contains(&shown.to_lowercase().as_str());
    if plain {
        shown.into_owned()
    } else if shown.contains('\'') {
        format!("\"{shown}\"")
    } else {
        format!("'{shown}'")
    }
}

/// The confirmation in human mode, `{"shoe": SHOE}` under --json.
fn print_shoe(ctx: &Ctx, shown: &Shown, text: &str) -> Result<()> {
    if ctx.out.json {
        return ctx.out.json(&json!({ "shoe": shown.json }));
    }
    ctx.out.done(text);
    Ok(())
}

fn retire(ctx: &mut Ctx, typed: &str) -> Result<()> {
    let settings = ctx.settings;
    let (shown, was_retired, was_default) = ctx.store.update(|data| {
        let id = shoes::resolve(data, typed)?;
        let shoe = data.shoes.iter_mut().find(|s| s.id == id).expect("resolved");
        let was = (shoe.retired, shoe.default);
        shoe.retired = true;
        shoe.default = false;
        Ok((Shown::of(data, id, &settings), was.0, was.1))
    })?;
    let text = if was_retired {
        format!("Already retired: shoe {}", shown.line())
    } else {
        format!("Retired shoe {}; its runs stay", shown.line())
    };
    print_shoe(ctx, &shown, &text)?;
    if was_default && !ctx.out.json {
        ctx.out
            .note("you have no default pair now; choose one with `lumbar shoes default NAME`");
    }
    Ok(())
}

fn make_default(ctx: &mut Ctx, typed: &str) -> Result<()> {
    let settings = ctx.settings;
    let shown = ctx.store.update(|data| {
        let id = shoes::resolve(data, typed)?;
        if data.shoe(id).is_some_and(|s| s.retired) {
            return Err(UsageError(format!(
                "shoe {} is retired, so it cannot be the default; add a new pair with `lumbar shoes add NAME --default`",
                quoted(typed)
            ))
            .into());
        }
        clear_default(data);
        if let Some(s) = data.shoes.iter_mut().find(|s| s.id == id) {
            s.default = true;
        }
        Ok(Shown::of(data, id, &settings))
    })?;
    print_shoe(ctx, &shown, &format!("Default shoe now {}", shown.line()))
}

fn rename(ctx: &mut Ctx, typed: &str, new_name: &str) -> Result<()> {
    let settings = ctx.settings;
    let (shown, old) = ctx.store.update(|data| {
        let id = shoes::resolve(data, typed)?;
        let name = shoes::check_name(data, new_name, Some(id))?;
        let shoe = data.shoes.iter_mut().find(|s| s.id == id).expect("resolved");
        let old = std::mem::replace(&mut shoe.name, name);
        Ok((Shown::of(data, id, &settings), old))
    })?;
    print_shoe(ctx, &shown, &format!("Renamed shoe {} to {}", quoted(&old), shown.name))
}

fn rm(ctx: &mut Ctx, typed: &str, yes: bool) -> Result<()> {
    let data = ctx.load()?;
    let id = shoes::resolve(&data, typed)?;
    let shoe = data.shoe(id).expect("resolved");
    let runs = data.runs.iter().filter(|r| r.shoe_id == Some(id)).count();
    let what = format!(
        "shoe {} ({}, {} run{} logged in it)",
        shoe.id,
        escape(&shoe.name),
        runs,
        if runs == 1 { "" } else { "s" }
    );
    // A pair with no runs goes without asking: nothing else refers to it.
    if runs > 0 && !ctx.confirm_removal(&what, yes)? {
        ctx.out.note("kept it");
        return Ok(());
    }
    let kept = ctx.store.update(|data| {
        let id = shoes::resolve(data, typed)?;
        let runs = data.runs.iter().filter(|r| r.shoe_id == Some(id)).count();
        if runs == 0 {
            data.shoes.retain(|s| s.id != id);
        } else if let Some(s) = data.shoes.iter_mut().find(|s| s.id == id) {
            s.removed = true;
            s.retired = true;
            s.default = false;
        }
        Ok(runs)
    })?;
    if ctx.out.json {
        return ctx
            .out
            .json(&json!({ "removed": { "shoe_id": id, "runs_kept": kept } }));
    }
    let tail = if kept > 0 {
        format!(
            "; its {kept} run{} keep their record and still name it",
            if kept == 1 { "" } else { "s" }
        )
    } else {
        String::new()
    };
    ctx.out
        .done(&format!("Removed shoe {} ({}){tail}", id, escape(&shoe.name)));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{ago, bar, quoted};

    #[test]
    fn names_are_quoted_when_a_sentence_would_swallow_them() {
        assert_eq!(quoted("Cloudmonster"), "Cloudmonster");
        assert_eq!(quoted("Pegasus-41"), "Pegasus-41");
        assert_eq!(quoted("Cloudmonster 2"), "'Cloudmonster 2'");
        assert_eq!(quoted("to"), "'to'");
        assert_eq!(quoted("2"), "'2'");
        assert_eq!(quoted("Bob's"), "\"Bob's\"");
        assert_eq!(quoted("a\u{1b}[31m"), "'a\\u{1b}[31m'");
    }
    use chrono::NaiveDate;

    #[test]
    fn the_bar_is_full_at_the_limit_and_never_longer() {
        assert_eq!(bar(0.0, false), "......");
        assert_eq!(bar(0.5, false), "###...");
        assert_eq!(bar(1.0, false), "######");
        assert_eq!(bar(2.5, false), "######");
        assert_eq!(bar(0.5, true), "███░░░");
        assert_eq!(bar(1.0, true), "██████");
        assert_eq!(bar(1.0 / 12.0, true), "▌░░░░░");
        assert_eq!(bar(f64::NAN, true).chars().count(), 6);
    }

    #[test]
    fn ago_fits_six_characters() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let back = |d: i64| ago(today - chrono::Duration::days(d), today);
        assert_eq!(back(0), "today");
        assert_eq!(back(-1), "today");
        assert_eq!(back(1), "1d ago");
        assert_eq!(back(13), "13d ago");
        assert_eq!(back(14), "2w ago");
        assert_eq!(back(104), "14w ago");
        assert_eq!(back(105), "3m ago");
        assert_eq!(back(730), "2y ago");
        for d in 0..5000 {
            assert!(back(d).chars().count() <= 7, "{}", back(d));
        }
    }
}
