//! `lumbar plan` in words: each day on three lines (what, its routines, why), the week's
//! numbers and what the plan assumes; the `--json` document; and the `.ics` calendar (RFC
//! 5545, one all-day event a day). Every distance in the display units of the call.

use chrono::{DateTime, FixedOffset, NaiveDate, Weekday};
use serde::Serialize;

use crate::model::Units;
use crate::output::decision::{
    cap_sentence, glyphs, reason_sentence, step_sentence, stop_if_short, tone, walk_run_sentence,
};
use crate::output::flags::distance;
use crate::output::text::wrap_lines;
use crate::output::{Output, Tone};
use crate::plan::{Bound, Day, Effort, Kind, Plan, Source, WeekLimit, Why};
use crate::rules::decision::{Light, WalkRunStep};
use crate::rules::thresholds as th;

/// "Wed 2026-11-25".
pub fn day_label(d: NaiveDate) -> String {
    d.format("%a %Y-%m-%d").to_string()
}

/// "Sunday".
pub fn weekday_name(w: Weekday) -> &'static str {
    crate::model::when::day_name(w)
}

fn short_weekday(w: Weekday) -> &'static str {
    &weekday_name(w)[..3]
}

fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
}

/// What the day holds, in a few words: "Easy run 8.0 km", "Rest".
pub fn headline(day: &Day, u: Units) -> String {
    match day.kind {
        Kind::Run if day.first_runs => "Run 20–30 minutes easy, walk breaks welcome".into(),
        Kind::Run => {
            let what = if day.effort == Some(Effort::Long) {
                "Long run"
            } else {
                "Easy run"
            };
            format!("{what} {}", distance(u, day.distance_m.unwrap_or_default()))
        }
        Kind::WalkRun => {
            let step = day.walk_run.map(|w| walk_run_sentence(&w)).unwrap_or_default();
            format!(
                "{}, up to {}",
                capitalised(&step),
                distance(u, day.distance_m.unwrap_or_default())
            )
        }
        Kind::CrossTraining => "Cross-training, low impact".into(),
        Kind::Rest => "Rest".into(),
    }
}

/// The week's brake, as a clause.
fn week_clause(w: &WeekLimit, u: Units) -> String {
    format!(
        "at most {} in any 7 days, {} over your mean week ({}; general practice, a brake and not a promise)",
        distance(u, w.limit_m),
        pct(crate::plan::week::WEEK_GROWTH),
        distance(u, w.mean_m)
    )
}

fn pct(x: f64) -> String {
    format!("{:.0} %", x * 100.0)
}

/// What set a run's distance, as a clause.
fn bound_clause(day: &Day, b: &Bound, u: Units) -> String {
    match b {
        Bound::Usual { median_m } => format!(
            "your usual distance ({}, the median run of the last 4 weeks)",
            distance(u, *median_m)
        ),
        Bound::Session { estimate_m } => format!("the session at your pace, about {}", distance(u, *estimate_m)),
        Bound::FirstRuns => "counted as about 3 km for the days after".into(),
        Bound::Cap { limit_m } => match day.decision.caps.first() {
            Some(c) => format!("up to {}: {}", distance(u, *limit_m), cap_sentence(c, u)),
            None => format!("up to {}", distance(u, *limit_m)),
        },
        Bound::Spike { longest_m } => format!(
            "no more than {} over your longest run of the {} days before ({})",
            pct(th::LONG_RUN_JUMP),
            th::LONG_RUN_BASE_DAYS,
            distance(u, *longest_m)
        ),
        Bound::Week(w) => format!("the weekly brake: {}", week_clause(w, u)),
    }
}

/// The decision's light and leading reason: "go, nothing in your pain …".
fn light_clause(day: &Day, u: Units) -> String {
    format!(
        "{}, {}",
        day.decision.light.as_str(),
        reason_sentence(day.decision.reason(), u)
    )
}

/// Why the day is what it is, in one sentence.
pub fn why(plan: &Plan, day: &Day, u: Units) -> String {
    let d = &day.decision;
    let hold_note = || {
        if d.light == Light::Hold {
            format!("; {}", light_clause(day, u))
        } else {
            String::new()
        }
    };
    let text = match (day.kind, day.why) {
        (Kind::Rest, Why::Decision) if d.red_flag_rest() => {
            format!(
                "{}; once a clinician has seen it, `lumbar redflags --seen`",
                light_clause(day, u)
            )
        }
        (Kind::Rest, Why::Decision) => {
            let gentle = if d.cross_training.is_empty() {
                String::new()
            } else {
                format!(", and {} if comfortable", join_or(&d.cross_training))
            };
            format!("{}; no run: the relief routine{gentle}", light_clause(day, u))
        }
        (_, Why::Decision) => {
            let mut s = light_clause(day, u);
            if let Some(b) = &day.bound {
                s.push_str(&format!("; {}", bound_clause(day, b, u)));
            }
            if let (Some(w), Some(check)) = (day.walk_run, day.check_on) {
                s.push_str(&format!(
                    "; step {} of {}: check your back on {} before the next step",
                    w.step + 1,
                    w.steps(),
                    day_label(check)
                ));
            }
            s
        }
        (_, Why::OffDay) => {
            let days: Vec<String> = plan.pattern.iter().map(|w| short_weekday(*w).to_string()).collect();
            format!(
                "a day off running (the week's run days: {}){}",
                join_and(&days),
                hold_note()
            )
        }
        (_, Why::CheckDay { walk_run_on }) => format!(
            "the morning after the walk-run of {}: log how your back is (`lumbar pain add N --when next-day --run \
             last`); back at the level before it, the next step follows; if not, repeat the step, and go back one \
             if it rose 2 points or more",
            day_label(walk_run_on)
        ),
        (_, Why::DayBetween { ran_on }) => format!(
            "the day after the run of {}: while you are starting out or coming back, a day off between runs \
             (general practice){}",
            day_label(ran_on),
            hold_note()
        ),
        (_, Why::Streak { days, limit }) if days + 1 == limit => format!(
            "{days} days in a row with runs: one more would make {limit} (config no-rest-days){}",
            hold_note()
        ),
        (_, Why::Streak { days, limit }) => format!(
            "{days} days in a row with runs, at or past {limit} (config no-rest-days): a day off{}",
            hold_note()
        ),
        (_, Why::WeekRuns { runs, per_week }) => format!(
            "the last 7 days hold {runs} run{}, your {per_week} a week{}",
            if runs == 1 { "" } else { "s" },
            hold_note()
        ),
        (_, Why::KeepForLong { long_on }) => {
            format!("kept free for the long run on {}{}", day_label(long_on), hold_note())
        }
        (_, Why::TooLittle { allowed_m, bound }) => {
            let what = match bound {
                Bound::Week(w) => format!("the weekly brake ({})", week_clause(&w, u)),
                Bound::Spike { longest_m } => format!(
                    "{} over your longest of the 30 days before ({})",
                    pct(th::LONG_RUN_JUMP),
                    distance(u, longest_m)
                ),
                _ => "what the coach allows".into(),
            };
            format!(
                "{what} leaves {}, too little for a run{}",
                distance(u, allowed_m),
                hold_note()
            )
        }
    };
    format!("{}.", capitalised(&text))
}

fn join_or(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [a, b] => format!("{a} or {b}"),
        [rest @ .., last] => format!("{}, or {last}", rest.join(", ")),
    }
}

/// The routines of a day in words: "warmup before, stretch after, strength".
pub fn routines_line(day: &Day) -> String {
    if day.routines.is_empty() {
        return if day.decision.red_flag_rest() {
            "none: only what the red-flag check says".into()
        } else {
            "none".into()
        };
    }
    let d = &day.decision;
    let mut parts = Vec::new();
    let mut rest: Vec<&str> = day.routines.clone();
    if day.kind.is_run() {
        let before: Vec<&str> = d.before.iter().copied().filter(|r| rest.contains(r)).collect();
        let after: Vec<&str> = d.after.iter().copied().filter(|r| rest.contains(r)).collect();
        rest.retain(|r| !before.contains(r) && !after.contains(r));
        if !before.is_empty() {
            parts.push(format!("{} before", before.join(" and ")));
        }
        if !after.is_empty() {
            parts.push(format!("{} after", after.join(" and ")));
        }
    }
    parts.extend(rest.iter().map(|r| r.to_string()));
    parts.join(", ")
}

/// "3 runs a week (your last 4 weeks)".
fn per_week_phrase(plan: &Plan) -> String {
    let n = plan.runs_per_week;
    let from = match plan.runs_per_week_from {
        Source::Given => "as asked",
        Source::History => "from your last 4 weeks",
        Source::Default => "to start with",
    };
    format!("{n} run{} a week ({from})", if n == 1 { "" } else { "s" })
}

fn long_day_phrase(plan: &Plan) -> String {
    let from = match plan.long_day_from {
        Source::Given => "as asked",
        Source::History => "your usual day of the last 8 weeks",
        Source::Default => "no usual day yet",
    };
    format!("the long run on {} ({from})", weekday_name(plan.long_day))
}

/// What the plan rests on, in one paragraph.
pub fn assumes(plan: &Plan) -> String {
    let pain = match plan.assumed {
        Some(a) => format!(
            "your pain stays at {}/10, as last logged ({})",
            a.level,
            a.logged_at.format("%Y-%m-%d %H:%M")
        ),
        None => "no new pain entries, as none is logged in the last 14 days".into(),
    };
    let walk = if plan.has_walk_run() {
        " Each walk-run step assumes the next-day pain of the one before is back at the level before it; \
         the plan names the morning to check."
    } else {
        ""
    };
    let first = if plan.ran_today {
        "Day 1 is tomorrow, as a run is logged today. "
    } else {
        ""
    };
    format!(
        "{first}From day 2 on the plan assumes every planned run is done as planned and {pain}.{walk} Nothing is \
         stored: `lumbar plan` works it out again from your history each time, so it changes as you log runs and \
         pain, and `lumbar coach` on the day has the last word."
    )
}

/// The plan for a terminal.
pub fn render(out: &Output, plan: &Plan, u: Units) -> String {
    let mut lines = Vec::new();
    let (Some(first), Some(last)) = (plan.days.first(), plan.days.last()) else {
        return String::new();
    };
    lines.push(out.wrap(
        &format!(
            "Plan for {} day{}, {} to {}: {}, {}.",
            plan.days.len(),
            if plan.days.len() == 1 { "" } else { "s" },
            day_label(first.date),
            day_label(last.date),
            per_week_phrase(plan),
            long_day_phrase(plan)
        ),
        "",
        "",
    ));
    lines.push(String::new());
    for day in &plan.days {
        // The headline beside the date, wrapped under itself on a narrow terminal and painted
        // line by line (a colour never spans a line break).
        let label = format!("{}  ", day_label(day.date));
        let pad = " ".repeat(label.chars().count());
        let width = out.prose_width().saturating_sub(pad.len()).max(20);
        for (i, part) in wrap_lines(&headline(day, u), width, "", "").iter().enumerate() {
            let lead = if i == 0 { &label } else { &pad };
            lines.push(format!("{lead}{}", out.paint(day_tone(day), part)));
        }
        lines.push(out.wrap(&routines_line(day), "  Routines:", "    "));
        lines.push(out.wrap(&why(plan, day, u), "  Why:", "    "));
    }
    lines.push(String::new());
    // Summed from 0.0: an empty f64 sum is -0.0, which would print as "-0.0 km".
    let planned = plan
        .days
        .iter()
        .take(7)
        .filter_map(|d| d.counted_m)
        .fold(0.0, |a, m| a + m);
    let runs = plan.days.iter().take(7).filter(|d| d.kind.is_run()).count();
    let shown = plan.days.len().min(7);
    let mut week = format!(
        "The first {}: {runs} run{}, {}",
        if shown == 1 {
            "day".to_string()
        } else {
            format!("{shown} days")
        },
        if runs == 1 { "" } else { "s" },
        distance(u, planned)
    );
    match &plan.week {
        Some(w) => week.push_str(&format!("; the weekly brake: {}.", week_clause(w, u))),
        None => week.push_str(
            "; no weekly brake yet (no week of running since your first run or your return to compare with): \
             the coach's caps per run govern.",
        ),
    }
    lines.push(out.wrap(&week, "", ""));
    if plan.has_walk_run() {
        lines.push(out.wrap(
            "Walk-run: move up a step only after a walk-run whose next-day pain is back at the level before it. \
             If it is not, repeat the step; if it rose 2 points or more, go back one step (general practice, not \
             a trial).",
            "",
            "",
        ));
    }
    let stop = plan
        .days
        .iter()
        .find(|d| d.kind.is_run() && !d.decision.stop_if.is_empty())
        .map(|d| stop_if_short(&d.decision.stop_if));
    if let Some(s) = stop {
        lines.push(out.wrap(&s, "", ""));
    }
    lines.push(out.wrap(&assumes(plan), "", ""));
    lines.push(out.wrap(
        "Each routine: `lumbar routine NAME`. lumbar is not a diagnostic tool: see a clinician for pain that \
         persists.",
        "",
        "",
    ));
    let text = lines.join("\n");
    glyphs(out, &text)
}

fn day_tone(day: &Day) -> Tone {
    match day.kind {
        Kind::Rest if day.decision.light == Light::Rest => tone(Light::Rest),
        Kind::Run | Kind::WalkRun => tone(day.decision.light),
        _ => Tone::Dim,
    }
}

/// One day in `--json`.
#[derive(Debug, Serialize)]
pub struct DayView {
    pub date: String,
    /// The coach's light as of that day.
    pub light: Light,
    pub kind: Kind,
    pub effort: Option<Effort>,
    pub distance_m: Option<f64>,
    /// The longest run the decision allows that day (`null` at rest).
    pub max_distance_m: Option<f64>,
    pub steps: Option<Vec<WalkRunStep>>,
    pub routines: Vec<&'static str>,
    pub why: String,
    /// A walk-run day: the day to log next-day pain before the next step.
    pub check_pain_on: Option<String>,
}

/// Where a choice came from, in `--json`.
#[derive(Debug, Serialize)]
pub struct Chosen<T: Serialize> {
    pub value: T,
    pub from: Source,
}

/// `lumbar plan --json`.
#[derive(Debug, Serialize)]
pub struct PlanView {
    pub days: Vec<DayView>,
    pub assumes: String,
    pub runs_per_week: Chosen<u32>,
    pub long_day: Chosen<String>,
    /// The weekly brake on the first 7 days, or `null` with none yet.
    pub week_limit_m: Option<f64>,
}

impl PlanView {
    pub fn new(plan: &Plan, u: Units) -> PlanView {
        let metres = |m: f64| crate::output::views::round(m, 0);
        PlanView {
            days: plan
                .days
                .iter()
                .map(|d| DayView {
                    date: d.date.format("%Y-%m-%d").to_string(),
                    light: d.decision.light,
                    kind: d.kind,
                    effort: d.effort,
                    distance_m: d.distance_m.map(metres),
                    max_distance_m: d.decision.max_distance_m.map(metres),
                    steps: d
                        .walk_run
                        .filter(|_| d.kind == Kind::WalkRun)
                        .map(|w| vec![w.session()]),
                    routines: d.routines.clone(),
                    why: why(plan, d, u),
                    check_pain_on: d.check_on.map(|c| c.format("%Y-%m-%d").to_string()),
                })
                .collect(),
            assumes: assumes(plan),
            runs_per_week: Chosen {
                value: plan.runs_per_week,
                from: plan.runs_per_week_from,
            },
            long_day: Chosen {
                value: weekday_name(plan.long_day).to_lowercase(),
                from: plan.long_day_from,
            },
            week_limit_m: plan.week.map(|w| metres(w.limit_m)),
        }
    }
}

/// The plan as an RFC 5545 calendar: one all-day event a day (DTSTART and the next day's DTEND
/// as dates), its summary the day's headline, its description the routines, the why and the
/// assumptions. UIDs are the dates, so importing a newer plan updates the same days.
pub fn ics(plan: &Plan, u: Units, now: DateTime<FixedOffset>) -> String {
    use icalendar::{Calendar, Component, EventLike, Property};
    let mut cal = Calendar::empty();
    for (k, v) in [
        ("VERSION", "2.0"),
        ("PRODID", "-//lumbar//plan//EN"),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", "PUBLISH"),
        ("X-WR-CALNAME", "lumbar plan"),
    ] {
        cal.append_property(Property::new(k, v));
    }
    let stamp = now.with_timezone(&chrono::Utc);
    let assumed = assumes(plan);
    for day in &plan.days {
        let mut description = format!("Routines: {}\nWhy: {}", routines_line(day), why(plan, day, u));
        if let Some(w) = day.walk_run.filter(|_| day.kind == Kind::WalkRun) {
            description.push_str(&format!("\nSession: {}", step_sentence(w.session())));
        }
        description.push_str(&format!("\n{assumed}\nlumbar is not a diagnostic tool."));
        let mut e = icalendar::Event::new();
        e.uid(&format!("plan-{}@lumbar", day.date.format("%Y%m%d")))
            .timestamp(stamp)
            .starts(day.date)
            .ends(day.date.succ_opt().unwrap_or(day.date))
            .summary(&format!("{} (lumbar)", headline(day, u)))
            .description(&description)
            .add_property("TRANSP", "TRANSPARENT")
            .add_property("CATEGORIES", day.kind.as_str());
        cal.push(e.done());
    }
    cal.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekdays_and_lists_read_as_english() {
        assert_eq!(weekday_name(Weekday::Sun), "Sunday");
        assert_eq!(short_weekday(Weekday::Wed), "Wed");
        let l = |xs: &[&str]| join_and(&xs.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(l(&["Tue"]), "Tue");
        assert_eq!(l(&["Tue", "Fri", "Sun"]), "Tue, Fri and Sun");
        assert_eq!(
            day_label(NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()),
            "Wed 2026-11-25"
        );
    }
}
