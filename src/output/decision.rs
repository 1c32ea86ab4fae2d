//! The next-run decision in words ([`crate::rules::decision`]): the light and its reason, the
//! longest run allowed, walk-run, when to stop, the routines, and what the coach asks or
//! advises; every distance in the display units of the call. Also NEXT of `--json`.
//!
//! At `rest` for an open `emergency` or `urgent` red flag the coach says only the triage's
//! action and what it says about running (`data/redflags.json`), nothing else.

use serde::Serialize;
use serde_json::Value;

use crate::model::Units;
use crate::output::flags::{distance, tidy};
use crate::output::text::escape;
use crate::output::{Output, Tone};
use crate::redflags::Level;
use crate::rules::decision::walkrun::{Move, WalkRunWhy};
use crate::rules::decision::{
    Ask, Cap, CapKind, Decision, Light, Phase, Reason, SoonReview, StopSign, WalkRun, WalkRunStep,
};
use crate::rules::thresholds as th;

pub fn tone(l: Light) -> Tone {
    match l {
        Light::Go => Tone::Good,
        Light::Hold => Tone::Warn,
        Light::Rest => Tone::Urgent,
    }
}

fn day(t: chrono::DateTime<chrono::FixedOffset>) -> String {
    t.format("%Y-%m-%d").to_string()
}

fn minute(t: chrono::DateTime<chrono::FixedOffset>) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

fn pct(x: f64) -> String {
    format!("{:.0} %", x * 100.0)
}

/// One reason, as a clause (no capital, no full stop), in `u`.
pub fn reason_sentence(r: &Reason, u: Units) -> String {
    match r {
        Reason::RedFlag {
            level,
            symptoms,
            last_at,
        } => format!(
            "{} (logged {}) triages as {level}: {}",
            symptoms.join(", "),
            day(*last_at),
            level.guide().action
        ),
        Reason::PainAfterLastRun { entry, .. } => format!(
            "{}/10 for your last run ({}), not settled yet",
            entry.level,
            day(entry.at)
        ),
        Reason::PainLast48h { entry, hours } => {
            format!("{}/10 in the last {hours} hours ({})", entry.level, minute(entry.at))
        }
        Reason::SeverePainThisWeek { entry, days } => format!(
            "{}/10 on {}: {}/10 or more rests {days} days",
            entry.level,
            day(entry.at),
            th::PAIN_SEVERE_LEVEL
        ),
        Reason::NotSettled { entry } => format!(
            "{}/10 on {} has not settled (an entry of {}/10 or less, {} h or more later, settles it)",
            entry.level,
            day(entry.at),
            th::SETTLED_LEVEL,
            th::SETTLE_AFTER_HOURS
        ),
        Reason::Unstuck {
            entry, hours, worst, ..
        } => format!(
            "{}/10 on {} is easing but not settled ({hours} hours at {worst}/10 or less): easy walk-run",
            entry.level,
            day(entry.at)
        ),
        Reason::Settled { entry, settled_by } => format!(
            "{}/10 on {} settled ({}/10 on {}): one easy run before building again",
            entry.level,
            day(entry.at),
            settled_by.level,
            day(settled_by.at)
        ),
        Reason::ModeratePainAfterLastRun { entry, .. } => {
            format!("{}/10 for your last run ({})", entry.level, day(entry.at))
        }
        Reason::NextDayAbovePreRun { next_day, pre_run, .. } => match pre_run {
            Some(p) => format!(
                "next-day pain of {}/10 after your last run, above the {}/10 before it",
                next_day.level, p.level
            ),
            None => format!(
                "next-day pain of {}/10 after your last run (no entry before it to compare with)",
                next_day.level
            ),
        },
        Reason::ModeratePainLast48h { entry, hours } => {
            format!("{}/10 in the last {hours} hours ({})", entry.level, minute(entry.at))
        }
        Reason::NoEntryAfterLastRun { entry, days, .. } => format!(
            "no pain entry for your last run, and {}/10 in the last {days} days",
            entry.level
        ),
        Reason::PainRising {
            recent_mean,
            previous_mean,
            days,
        } => format!("pain rising: a mean of {recent_mean:.1}/10 over {days} days, up from {previous_mean:.1}"),
        Reason::RedFlagSoon { symptoms, last_at } => format!(
            "{} (logged {}) triages as soon: {}",
            symptoms.join(", "),
            day(*last_at),
            Level::Soon.guide().action
        ),
        Reason::LastRunSpike {
            distance_m,
            longest_before_m,
            ..
        } => format!(
            "your last run ({}) was over {} longer than your longest of the {} days before ({})",
            distance(u, *distance_m),
            pct(th::LONG_RUN_JUMP),
            th::LONG_RUN_BASE_DAYS,
            distance(u, *longest_before_m)
        ),
        Reason::FirstRuns => "no run logged yet: start with 20–30 minutes easy, walk breaks welcome".into(),
        Reason::ComingBack { gap_days, runs_since } if *runs_since == 0 => {
            format!("{gap_days} days without a run: the first run back is a short one")
        }
        Reason::ComingBack { gap_days, runs_since } => format!(
            "coming back after {gap_days} days without a run ({runs_since} run{} since): add at most {} a run",
            if *runs_since == 1 { "" } else { "s" },
            pct(th::COMING_BACK_STEP)
        ),
        Reason::LearningBaseline { runs_30d, needed } => format!(
            "still learning your baseline ({runs_30d} run{} in the last {} days; {needed} are needed to judge a jump): \
             build gently",
            if *runs_30d == 1 { "" } else { "s" },
            th::LONG_RUN_BASE_DAYS
        ),
        Reason::Clear => "nothing in your pain or your load says hold back".into(),
    }
}

/// Where a cap comes from, as a clause, in `u`.
pub fn cap_sentence(c: &Cap, u: Units) -> String {
    let base = distance(u, c.base_m);
    match c.kind {
        CapKind::L30 => format!(
            "{} over your longest of the last {} days ({base})",
            pct(c.factor - 1.0),
            th::LONG_RUN_BASE_DAYS
        ),
        CapKind::L30Minus7 => format!(
            "{} over your longest of the 30 days to a week ago ({base})",
            pct(c.factor - 1.0)
        ),
        CapKind::HoldLimit => format!("no longer than your longest recent run ({base})"),
        CapKind::FirstRunBack => format!("half your longest of the month before the gap ({base})"),
        CapKind::ComingBack => format!("{} over your longest since the return ({base})", pct(c.factor - 1.0)),
        CapKind::PreGap => format!("never more than your cap before the gap ({base} + 10 %)"),
    }
}

/// "10 × (1 min run, 1 min walk)".
pub fn step_sentence(s: WalkRunStep) -> String {
    let min = |secs: u32| {
        if secs.is_multiple_of(60) {
            format!("{} min", secs / 60)
        } else {
            format!("{secs} s")
        }
    };
    format!("{} × ({} run, {} walk)", s.repeats, min(s.run_s), min(s.walk_s))
}

/// "walk-run, step 1 of 6: 10 × (1 min run, 1 min walk)".
pub fn walk_run_sentence(w: &WalkRun) -> String {
    format!(
        "walk-run, step {} of {}: {}",
        w.step + 1,
        w.steps(),
        step_sentence(w.session())
    )
}

/// How the ladder moves, for the full review.
fn walk_run_rule(w: &WalkRun) -> String {
    let why = match w.why {
        WalkRunWhy::PainfulGap => "the break followed pain of 6/10 or more or a serious red flag",
        WalkRunWhy::Unstuck => "the pain has eased but not settled",
    };
    let moved = match w.last_move {
        Some(Move::Up) => " Your last run moved you up a step.",
        Some(Move::Back) => " Next-day pain rose after your last run, so you are back a step.",
        Some(Move::Stay) => " Next-day pain was a little above the pre-run level, so you stay on this step.",
        Some(Move::NoNextDay) => {
            " Your last run has no next-day entry: log one (`lumbar pain add N --when next-day --run last`) to move up."
        }
        None => "",
    };
    format!(
        "Walk-run because {why}. You move up a step after a run whose next-day pain is back at the level before \
         it, and back a step if it rose 2 points or more; after the last step you run continuously (general \
         practice, not a trial).{moved}"
    )
}

/// One stop sign, as a phrase.
fn stop_phrase(s: StopSign) -> &'static str {
    match s {
        StopSign::PainAboveFive => "the pain passes 5/10",
        StopSign::PainKeepsRising => "the pain keeps rising as you go",
        StopSign::Limp => "you start to limp or change your stride",
        StopSign::LegNerveSigns => "a leg gets new numbness, tingling or weakness",
        StopSign::ChestPain => "chest pain",
        StopSign::Faint => "feeling faint",
        StopSign::SaddleNumbness => "numbness around the genitals or back passage",
        StopSign::BladderBowel => "new trouble controlling the bladder or bowels",
    }
}

fn join_or(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [a, b] => format!("{a} or {b}"),
        [rest @ .., last] => format!("{}, or {last}", rest.join(", ")),
    }
}

/// The when-to-stop list as one sentence; empty when there is none.
pub fn stop_if_sentence(signs: &[StopSign]) -> String {
    let walk: Vec<&str> = signs
        .iter()
        .filter(|s| !s.is_emergency())
        .map(|s| stop_phrase(*s))
        .collect();
    let call: Vec<&str> = signs
        .iter()
        .filter(|s| s.is_emergency())
        .map(|s| stop_phrase(*s))
        .collect();
    let mut parts = Vec::new();
    if !walk.is_empty() {
        parts.push(format!("stop and walk home if {}", join_or(&walk)));
    }
    if !call.is_empty() {
        parts.push(format!("call emergency services for {}", join_or(&call)));
    }
    let text = parts.join("; ");
    let mut c = text.chars();
    match c.next() {
        Some(f) => format!("{}{}.", f.to_uppercase(), c.as_str()),
        None => text,
    }
}

/// Each stop sign, for `--json`.
pub fn stop_if_items(signs: &[StopSign]) -> Vec<String> {
    signs
        .iter()
        .map(|s| {
            if s.is_emergency() {
                format!("call emergency services for {}", stop_phrase(*s))
            } else {
                format!("stop and walk home if {}", stop_phrase(*s))
            }
        })
        .collect()
}

/// The when-to-stop list in a few words, for plain `coach` (`--full` and `--json` have it whole).
pub fn stop_if_short(signs: &[StopSign]) -> String {
    if signs.is_empty() {
        return String::new();
    }
    "Stop if: pain over 5/10 or rising, a limp, leg numbness or weakness (walk home); chest pain, fainting, \
     genital numbness, bladder or bowel trouble (call emergency services)."
        .into()
}

/// What the coach asks, in a few words, for plain `coach`.
pub fn ask_short(a: &Ask) -> String {
    match a {
        Ask::PainAfterRun { .. } => {
            "Your last run has no pain entry: `lumbar pain add N --run last` (0 for none).".into()
        }
        Ask::HowIsYourBack { hours } => {
            format!("Nothing logged for {hours} h: how is your back? `lumbar pain add N` (0 for none).")
        }
    }
}

/// The `soon` review in a few words, for plain `coach`.
pub fn review_short(r: &SoonReview) -> String {
    let action = Level::Soon.guide().action.as_str();
    let mut c = action.chars();
    let action = c.next().map_or(String::new(), |f| f.to_uppercase().chain(c).collect());
    match r {
        SoonReview::NotSettling { rest_since, .. } => format!(
            "{action}: no {}/10 or less in the {} days since the rest of {}.",
            th::SETTLED_LEVEL,
            th::REVIEW_NOT_SETTLED_DAYS,
            day(*rest_since)
        ),
        SoonReview::NoGo { days } => format!("{action}: no clear day for {days} days."),
    }
}

pub fn ask_sentence(a: &Ask) -> String {
    match a {
        Ask::PainAfterRun { .. } => "How is your back after your last run? Log it, even if it is fine: \
                                     `lumbar pain add N --run last` (`lumbar pain add 0 --run last` for no pain)."
            .into(),
        Ask::HowIsYourBack { hours } => format!(
            "Nothing logged for {hours} hours: how is your back? `lumbar pain add N` (0 for no pain) tells the coach."
        ),
    }
}

pub fn review_sentence(r: &SoonReview) -> String {
    let action = Level::Soon.guide().action.as_str();
    match r {
        SoonReview::NotSettling { rest_since, .. } => format!(
            "Your pain has not come down to {}/10 or less within {} days of the rest that began on {}: {action}.",
            th::SETTLED_LEVEL,
            th::REVIEW_NOT_SETTLED_DAYS,
            day(*rest_since)
        ),
        SoonReview::NoGo { days } => format!("No clear day for {days} days in a row: {action}."),
    }
}

/// The first line of the answer: the light and what it allows, in `u`.
pub fn headline(d: &Decision, u: Units) -> String {
    let upto = |verb: &str| match d.max_distance_m {
        Some(m) => format!("{verb} of up to {}", distance(u, m)),
        None => verb.to_string(),
    };
    match (d.light, d.red_flag_rest(), &d.walk_run) {
        (Light::Rest, true, _) => format!("REST: {}", red_flag_level(d).guide().running.trim_end_matches('.')),
        (Light::Rest, false, _) => "REST: no run today".into(),
        (light, _, Some(w)) => format!(
            "{}: {}, up to {}",
            light.as_str().to_uppercase(),
            walk_run_sentence(w),
            d.max_distance_m.map_or("-".into(), |m| distance(u, m))
        ),
        (Light::Hold, _, None) => format!("HOLD: {}, no increase (or cross-train)", upto("an easy run")),
        (Light::Go, _, None) if d.max_distance_m.is_none() => "GO: 20–30 minutes easy".into(),
        (Light::Go, _, None) => format!("GO: {}", upto("a run")),
    }
}

fn red_flag_level(d: &Decision) -> Level {
    match d.reason() {
        Reason::RedFlag { level, .. } => *level,
        _ => Level::Urgent,
    }
}

fn routine_list(ids: &[&str]) -> String {
    ids.iter()
        .map(|r| format!("lumbar routine {r}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The line printed after `run add` and `pain add` (and by `coach --check`): light, cap,
/// reason.
pub fn decision_line(out: &Output, d: &Decision, u: Units) -> String {
    glyphs(
        out,
        &format!("Next run · {} · {}", headline(d, u), reason_sentence(d.reason(), u)),
    )
}

/// lumbar's own glyphs in these words (·, ×, –, …) as ASCII when the locale is not UTF-8.
pub fn glyphs(out: &Output, text: &str) -> String {
    if out.utf8 {
        return text.to_string();
    }
    text.replace('·', "-")
        .replace('×', "x")
        .replace('–', "-")
        .replace('…', "...")
}

/// The decision for a terminal: `full` adds every reason, the caps, the walk-run rule, the
/// gentle alternatives and the baseline note.
pub fn decision_lines(out: &Output, d: &Decision, u: Units, full: bool) -> Vec<String> {
    answer_lines(out, d, u, full).iter().map(|l| glyphs(out, l)).collect()
}

fn answer_lines(out: &Output, d: &Decision, u: Units, full: bool) -> Vec<String> {
    let head = headline(d, u);
    let why = format!("{}.", escape(&reason_sentence(d.reason(), u)));
    let mut lines = Vec::new();
    // Plain `coach` puts the reason beside the light when the two fit on one line.
    let together = format!("{head}. {}{}", why[..1].to_uppercase(), &why[1..]);
    if !full && together.chars().count() <= out.prose_width() {
        lines.push(together.replacen(&head, &out.paint(tone(d.light), &head), 1));
    } else {
        lines.push(out.paint(tone(d.light), &head));
        lines.push(out.wrap(&why, "  Why:", "    "));
    }
    if full {
        for r in &d.reasons[1..] {
            lines.push(out.wrap(&format!("{}.", escape(&reason_sentence(r, u))), "  Also:", "    "));
        }
    }
    if d.red_flag_rest() {
        lines.push(out.wrap(
            "Once a clinician has seen it, record it with `lumbar redflags --seen`.",
            "  ",
            "  ",
        ));
        return lines;
    }
    if full {
        for c in &d.caps {
            lines.push(out.wrap(
                &format!("{}: {}.", distance(u, c.limit_m), cap_sentence(c, u)),
                "  Cap:",
                "    ",
            ));
        }
        if let Some(w) = &d.walk_run {
            lines.push(out.wrap(&walk_run_rule(w), "  ", "  "));
        }
    }
    if let Some(r) = d.today {
        let also = if d.cross_training.is_empty() {
            String::new()
        } else {
            format!("; {} if comfortable", join_or(&d.cross_training))
        };
        lines.push(out.wrap(&format!("lumbar routine {r}{also}."), "  Today:", "    "));
    } else if !d.before.is_empty() {
        lines.push(out.wrap(
            &format!("{} · after: {}.", routine_list(&d.before), routine_list(&d.after)),
            "  Before:",
            "    ",
        ));
    }
    if full && d.light == Light::Hold && !d.cross_training.is_empty() {
        lines.push(out.wrap(
            &format!(
                "Instead of a run: {} (lumbar routine cross-training).",
                join_or(&d.cross_training)
            ),
            "  ",
            "  ",
        ));
    }
    if !d.stop_if.is_empty() {
        let text = if full {
            stop_if_sentence(&d.stop_if)
        } else {
            stop_if_short(&d.stop_if)
        };
        lines.push(out.wrap(&text, "  ", "  "));
    }
    if let Some(r) = &d.review {
        let text = if full { review_sentence(r) } else { review_short(r) };
        lines.push(out.wrap(&text, "  ", "  "));
    }
    if let Some(a) = &d.ask {
        let text = if full { ask_sentence(a) } else { ask_short(a) };
        lines.push(out.wrap(&text, "  ", "  "));
    }
    if full && d.baseline.learning {
        lines.push(out.wrap(
            &format!(
                "Still learning your baseline: {} run{} in the last {} days; `long-run-jump` needs {} (the caps apply \
                 meanwhile).",
                d.baseline.runs_30d,
                if d.baseline.runs_30d == 1 { "" } else { "s" },
                th::LONG_RUN_BASE_DAYS,
                d.baseline.needed
            ),
            "  ",
            "  ",
        ));
    }
    lines
}

/// One reason in `--json`: its id, the light it holds, its words, and its numbers.
#[derive(Debug, Serialize)]
pub struct ReasonView {
    pub id: Value,
    pub light: Light,
    pub message: String,
    pub evidence: Value,
}

impl ReasonView {
    fn new(r: &Reason, u: Units) -> ReasonView {
        let mut v = serde_json::to_value(r).unwrap_or(Value::Null);
        let id = v.as_object_mut().and_then(|o| o.remove("id")).unwrap_or(Value::Null);
        tidy(&mut v);
        ReasonView {
            id,
            light: r.light(),
            message: reason_sentence(r, u),
            evidence: v,
        }
    }
}

/// One cap in `--json`.
#[derive(Debug, Serialize)]
pub struct CapView {
    pub id: CapKind,
    pub limit_m: f64,
    pub base_m: f64,
    pub factor: f64,
    pub message: String,
}

/// Where the walk-run ladder is.
#[derive(Debug, Serialize)]
pub struct WalkRunStage {
    /// 1 is the first step.
    pub step: usize,
    pub of: usize,
    pub why: WalkRunWhy,
    pub runs_done: usize,
    pub last_move: Option<Move>,
    pub message: String,
}

/// The `soon` review in `--json`.
#[derive(Debug, Serialize)]
pub struct SoonReviewView {
    pub level: Level,
    pub message: String,
    pub evidence: Value,
}

/// NEXT in `--json`: the decision, distances in metres (caps in whole metres), words in the
/// units of the call.
#[derive(Debug, Serialize)]
pub struct NextView<'a> {
    pub light: Light,
    /// The leading reason, as the text says it.
    pub reason: String,
    pub reasons: Vec<ReasonView>,
    /// `null` at rest and with no run logged.
    pub max_distance_m: Option<f64>,
    pub caps: Vec<CapView>,
    /// The walk-run session (its steps), or `null`.
    pub walk_run: Option<Vec<WalkRunStep>>,
    pub walk_run_stage: Option<WalkRunStage>,
    /// When to stop a run; empty when it is not shown.
    pub stop_if: Vec<String>,
    pub before: &'a [&'static str],
    pub after: &'a [&'static str],
    pub routine_today: Option<&'static str>,
    pub cross_training: &'a [&'static str],
    pub ask: Option<String>,
    pub review: Option<SoonReviewView>,
    pub baseline: crate::rules::decision::Baseline,
    pub phase: &'a Phase,
    pub longest_30d_m: Option<f64>,
    #[serde(serialize_with = "crate::model::when::serialize_rfc3339")]
    pub at: chrono::DateTime<chrono::FixedOffset>,
}

impl<'a> NextView<'a> {
    pub fn new(d: &'a Decision, u: Units) -> NextView<'a> {
        let metres = |m: f64| crate::output::views::round(m, 0);
        NextView {
            light: d.light,
            reason: reason_sentence(d.reason(), u),
            reasons: d.reasons.iter().map(|r| ReasonView::new(r, u)).collect(),
            max_distance_m: d.max_distance_m.map(metres),
            caps: d
                .caps
                .iter()
                .map(|c| CapView {
                    id: c.kind,
                    limit_m: metres(c.limit_m),
                    base_m: crate::output::views::round(c.base_m, 1),
                    factor: c.factor,
                    message: cap_sentence(c, u),
                })
                .collect(),
            walk_run: d.walk_run.map(|w| vec![w.session()]),
            walk_run_stage: d.walk_run.map(|w| WalkRunStage {
                step: w.step + 1,
                of: w.steps(),
                why: w.why,
                runs_done: w.runs_done,
                last_move: w.last_move,
                message: walk_run_sentence(&w),
            }),
            stop_if: stop_if_items(&d.stop_if),
            before: &d.before,
            after: &d.after,
            routine_today: d.today,
            cross_training: &d.cross_training,
            ask: d.ask.as_ref().map(ask_sentence),
            review: d.review.as_ref().map(|r| SoonReviewView {
                level: Level::Soon,
                message: review_sentence(r),
                evidence: evidence_json_of(r),
            }),
            baseline: d.baseline,
            phase: &d.phase,
            longest_30d_m: d.longest_30d_m.map(|m| crate::output::views::round(m, 1)),
            at: d.at,
        }
    }
}

fn evidence_json_of<T: Serialize>(x: &T) -> Value {
    let mut v = serde_json::to_value(x).unwrap_or(Value::Null);
    if let Some(o) = v.as_object_mut() {
        o.remove("id");
    }
    tidy(&mut v);
    v
}
