//! The coach's flags in words: what each rule saw and why it matters, its evidence, and the
//! short form printed after `run add` and `pain add`, all in the display units of this call.
//!
//! The rules give facts in SI units ([`crate::rules::Evidence`]); every word, unit and rounding
//! is here. Every piece of advice goes through [`advice_line`] or [`advice_title`], which read
//! their words from `data/advice.json`.

use serde::Serialize;
use serde_json::Value;

use crate::model::Units;
use crate::output::text::escape;
use crate::output::views::round;
use crate::output::{Output, Tone};
use crate::rules::habits::Wear;
use crate::rules::load::LoadMeasure;
use crate::rules::pain::RedFlag;
use crate::rules::thresholds as th;
use crate::rules::{Evidence, Flag, RuleId, Severity};

/// Said after all health advice: the one text of the whole program.
pub use crate::content::NOT_A_DIAGNOSIS;

pub fn severity_tone(s: Severity) -> Tone {
    match s {
        Severity::Urgent => Tone::Urgent,
        Severity::Warn => Tone::Warn,
        Severity::Info => Tone::Info,
    }
}

/// One piece of advice, by id, as a line of text.
pub fn advice_line(id: &str) -> String {
    let Some(a) = crate::content::advice_by_id(id) else {
        return id.to_string();
    };
    match &a.routine {
        Some(r) => format!("{}: {} (lumbar routine {r})", a.title, a.text),
        None => format!("{}: {}", a.title, a.text),
    }
}

/// One piece of advice by its title alone, for the one-line summaries after `run add`.
pub fn advice_title(id: &str) -> String {
    match crate::content::advice_by_id(id) {
        Some(a) => match &a.routine {
            Some(r) => format!("{} (lumbar routine {r})", a.title),
            None => a.title.clone(),
        },
        None => id.to_string(),
    }
}

/// "12.3 km": a distance in the display units, as flags show it.
pub fn distance(u: Units, m: f64) -> String {
    // `+ 0.0`: never "-0.0 km" from an empty sum.
    format!("{:.1} {}", m / u.metres() + 0.0, u.label())
}

/// "30 %": a share or an increase.
fn pct(x: f64) -> String {
    format!("{:.0} %", x * 100.0)
}

fn day(t: chrono::DateTime<chrono::FixedOffset>) -> String {
    t.format("%Y-%m-%d").to_string()
}

fn minute(t: chrono::DateTime<chrono::FixedOffset>) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

fn list<T: std::fmt::Display>(items: &[T]) -> String {
    items.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(", ")
}

/// A flag in words: what was seen, which the short form after an entry shows, and why it
/// matters, which the full review adds.
#[derive(Clone, Debug, PartialEq)]
pub struct Words {
    pub seen: String,
    pub why: Option<String>,
}

fn words_of(seen: String, why: &str) -> Words {
    Words {
        seen,
        why: Some(why.to_string()),
    }
}

/// What a flag says, in `u`.
pub fn words(f: &Flag, u: Units) -> Words {
    match &f.evidence {
        Evidence::RedFlag(e) => red_flag_words(e),
        Evidence::PainSevere(e) => Words {
            seen: format!(
                "you logged severe pain ({}/10 on {}): check it with `lumbar redflags`, and see a clinician if it \
                 persists or gets worse",
                e.level,
                day(e.pain_at)
            ),
            why: None,
        },
        Evidence::PainRising(e) => words_of(
            format!(
                "your mean pain rose from {:.1} to {:.1} over the last {d} days against the {d} before: a change of \
                 {} points or more is one people notice",
                e.previous_mean,
                e.recent_mean,
                e.threshold,
                d = e.days
            ),
            "ease off and watch it",
        ),
        Evidence::PainAfterRuns(e) => words_of(
            format!(
                "pain of {}/10 or more came during or within a day after {} of your last {} runs",
                e.threshold, e.painful_runs, e.of_runs
            ),
            "that is an early signal worth heeding before it becomes an injury",
        ),
        Evidence::LongRunJump(e) if e.more_than_double => words_of(
            format!(
                "your run of {} ({}) was more than double your longest of the {} days before ({})",
                day(e.run_at),
                distance(u, e.distance_m),
                e.days,
                distance(u, e.longest_before_m)
            ),
            "a jump this size is the load change most tied to running injuries: build back up in smaller steps",
        ),
        Evidence::LongRunJump(e) => words_of(
            format!(
                "your run of {} ({}) was {} longer than your longest of the {} days before ({})",
                day(e.run_at),
                distance(u, e.distance_m),
                pct(e.increase),
                e.days,
                distance(u, e.longest_before_m)
            ),
            &format!(
                "in a large study of runners, single runs more than {} over that mark went with more injuries",
                pct(e.threshold)
            ),
        ),
        Evidence::NoRest(e) => words_of(
            format!(
                "you have run {} days in a row ({} to {})",
                e.days, e.first_day, e.last_day
            ),
            "rest days between runs let the back recover from the pounding",
        ),
        Evidence::LoadSpike(e) => {
            let mut said = Vec::new();
            if let Some(r) = e.acute_chronic_ratio.filter(|_| e.ratio_high) {
                said.push(format!(
                    "the last {} days ({}) were {r:.2} times your weekly mean of the last {} days",
                    th::ACUTE_DAYS,
                    distance(u, e.acute_7d_m),
                    th::CHRONIC_DAYS
                ));
            }
            if let (Some(c), Some(m)) = (e.week_change.filter(|_| e.week_high), e.previous_4wk_mean_m) {
                said.push(format!(
                    "{} more than the mean of the {} weeks before ({} a week)",
                    pct(c),
                    th::WEEK_JUMP_BASE_WEEKS,
                    distance(u, m)
                ));
            }
            words_of(
                said.join(", and "),
                "sudden rises in load are linked with injury in some sports, though the link is contested for runners",
            )
        }
        Evidence::Monotony(e) => {
            let shown = e
                .monotony
                .map_or("unbounded: the same load every day".to_string(), |v| format!("{v:.1}"));
            words_of(
                format!(
                    "your training load barely varied over the last {} days (monotony {shown}, above {})",
                    e.days, e.threshold
                ),
                "mixing hard, easy and rest days spreads the strain",
            )
        }
        Evidence::WarmupSkipped(e) => match (e.skipped, e.known_runs) {
            (Some(skipped), Some(n)) => words_of(
                format!("you skipped the warm-up before {skipped} of your last {n} runs with an answer"),
                "in a study of 800 marathon runners, too little warm-up went with 2.6 times the odds of low back pain \
                 (an association, not proof)",
            ),
            _ => {
                let run = match (e.run_at, e.distance_m) {
                    (Some(at), Some(m)) => format!("the run of {} ({})", day(at), distance(u, m)),
                    _ => "your latest run".to_string(),
                };
                words_of(
                    format!("no warm-up before {run}"),
                    "a few minutes of dynamic warm-up readies the back for the impact",
                )
            }
        },
        Evidence::StretchSkipped(e) => words_of(
            format!(
                "no stretch after {} of your last {} runs with an answer",
                e.skipped, e.known_runs
            ),
            "static stretches after running help keep the lower back from stiffening",
        ),
        Evidence::ShoeWorn(e) => {
            let wording = match e.status {
                Wear::Nearing => "is nearing its limit",
                Wear::Replace => "has reached its limit: time to replace it",
            };
            words_of(
                format!(
                    "{} {wording} ({} of {}, {})",
                    e.name,
                    distance(u, e.distance_m),
                    distance(u, e.limit_m),
                    pct(e.share)
                ),
                "cushioning wears down with distance",
            )
        }
        Evidence::ShoeRotation(e) => words_of(
            format!(
                "every run of the last {} weeks was in {}",
                e.weeks,
                e.name.as_deref().unwrap_or("one pair")
            ),
            "in a cohort study, runners who rotated two or more pairs had fewer injuries (hazard ratio 0.61)",
        ),
        Evidence::HardSurface(e) => words_of(
            format!(
                "{} of your last {} days' distance was on concrete or asphalt",
                pct(e.share),
                e.days
            ),
            "softer ground such as grass or dirt paths may be kinder to the back, though the research on surfaces \
             is weak",
        ),
    }
}

/// The red-flag flag speaks with the triage's voice: the level of what was logged, read
/// together, its action inline and when it was logged; once a clinician has seen it,
/// information only.
fn red_flag_words(e: &RedFlag) -> Words {
    let what = format!("{}, logged {}", e.symptoms.join(", "), day(e.last_at));
    match e.seen_at {
        Some(seen) => words_of(
            format!(
                "a clinician saw the red flags you logged ({what}, {}) on {}: information only",
                e.level,
                day(seen)
            ),
            "a new or worse symptom needs checking again: run `lumbar redflags`",
        ),
        None => {
            let running = e.level.running().trim_end_matches('.');
            let mut c = running.chars();
            let running: String = c.next().map_or(String::new(), |f| f.to_lowercase().chain(c).collect());
            words_of(
                format!("{what}, triages as {}: {}", e.level, e.level.guide().action),
                &format!("{running}; once a clinician has seen it, record it with `lumbar redflags --seen`"),
            )
        }
    }
}

/// A flag in one short line (the plain `coach`): what was seen, with its numbers, in `u`.
pub fn headline(f: &Flag, u: Units) -> String {
    match &f.evidence {
        Evidence::RedFlag(e) => match e.seen_at {
            Some(seen) => format!(
                "{} ({}), seen by a clinician on {}",
                e.symptoms.join(", "),
                e.level,
                day(seen)
            ),
            None => format!(
                "{}: {} ({})",
                e.level.as_str().to_uppercase(),
                e.level.guide().action,
                e.symptoms.join(", ")
            ),
        },
        Evidence::PainSevere(e) => format!("{}/10 on {}: check it with `lumbar redflags`", e.level, day(e.pain_at)),
        Evidence::PainRising(e) => format!(
            "mean pain {:.1}/10 over {} days, up from {:.1}",
            e.recent_mean, e.days, e.previous_mean
        ),
        Evidence::PainAfterRuns(e) => format!(
            "pain of {}/10 or more after {} of your last {} runs",
            e.threshold, e.painful_runs, e.of_runs
        ),
        Evidence::LongRunJump(e) => format!(
            "a {} run, {} over your {}-day longest ({})",
            distance(u, e.distance_m),
            pct(e.increase),
            e.days,
            distance(u, e.longest_before_m)
        ),
        Evidence::NoRest(e) => format!("{} days in a row with runs", e.days),
        Evidence::LoadSpike(e) => match (e.ratio_high, e.acute_chronic_ratio, e.week_change) {
            (true, Some(r), _) => format!(
                "the last 7 days ({}) at {r:.2} × your weekly mean",
                distance(u, e.acute_7d_m)
            ),
            (_, _, Some(c)) => format!(
                "the last 7 days ({}) {} over the 4 weeks before",
                distance(u, e.acute_7d_m),
                pct(c)
            ),
            _ => format!("the last 7 days: {}", distance(u, e.acute_7d_m)),
        },
        Evidence::Monotony(e) => format!("much the same load every day for {} days", e.days),
        Evidence::WarmupSkipped(e) => match (e.skipped, e.known_runs) {
            (Some(s), Some(n)) => format!("no warm-up before {s} of your last {n} runs"),
            _ => match e.run_at {
                Some(t) => format!("no warm-up before the run of {}", day(t)),
                None => "no warm-up before your latest run".into(),
            },
        },
        Evidence::StretchSkipped(e) => format!("no stretch after {} of your last {} runs", e.skipped, e.known_runs),
        Evidence::ShoeWorn(e) => format!(
            "{} at {} of its limit ({})",
            e.name,
            pct(e.share),
            distance(u, e.distance_m)
        ),
        Evidence::ShoeRotation(e) => format!(
            "every run of {} weeks in {}",
            e.weeks,
            e.name.as_deref().unwrap_or("one pair")
        ),
        Evidence::HardSurface(e) => format!("{} of {} days' distance on concrete or asphalt", pct(e.share), e.days),
    }
}

/// Entries logged on one side only, for the pain flags that carry the count.
fn one_sided(f: &Flag) -> Option<usize> {
    match &f.evidence {
        Evidence::PainSevere(e) => e.one_sided_entries,
        Evidence::PainRising(e) => e.one_sided_entries,
        Evidence::PainAfterRuns(e) => e.one_sided_entries,
        _ => None,
    }
}

/// The whole message: what was seen; why it matters; and, with one-sided pain, where that can
/// come from.
pub fn message(f: &Flag, u: Units) -> String {
    let w = words(f, u);
    let mut text = w.seen;
    if let Some(why) = w.why {
        text.push_str("; ");
        text.push_str(&why);
    }
    if one_sided(f).is_some() {
        text.push_str("; pain on one side can come from uneven form or muscle imbalance");
    }
    text
}

/// The numbers behind a flag as "label value · label value", distances in `u`, shares as
/// percentages; thresholds are left to `--explain`.
pub fn evidence_line(f: &Flag, u: Units) -> String {
    let mut parts: Vec<(&str, String)> = match &f.evidence {
        Evidence::RedFlag(e) => vec![
            ("level", e.level.to_string()),
            ("symptoms", e.symptoms.join(", ")),
            ("pain entries", list(&e.pain_ids)),
            ("last", minute(e.last_at)),
            (
                "seen",
                match (e.seen_at, e.open_days) {
                    (Some(t), _) => minute(t),
                    (None, Some(d)) => format!("not yet (open {d} days)"),
                    (None, None) => "not yet (open until seen)".into(),
                },
            ),
        ],
        Evidence::PainSevere(e) => vec![
            ("level", format!("{}/10", e.level)),
            ("pain entry", e.pain_id.to_string()),
            ("at", minute(e.pain_at)),
            ("severe entries", e.entries.to_string()),
            ("window", format!("{} days", e.days)),
        ],
        Evidence::PainRising(e) => vec![
            (
                "recent mean",
                format!("{:.1} ({} entries)", e.recent_mean, e.recent_entries),
            ),
            (
                "previous mean",
                format!("{:.1} ({} entries)", e.previous_mean, e.previous_entries),
            ),
            ("rise", format!("{:.1}", e.rise)),
            ("window", format!("{} days each", e.days)),
        ],
        Evidence::PainAfterRuns(e) => vec![
            ("painful runs", format!("{} of {}", e.painful_runs, e.of_runs)),
            ("runs", list(&e.run_ids)),
            ("levels", list(&e.levels)),
        ],
        Evidence::LongRunJump(e) => vec![
            ("run", e.run_id.to_string()),
            ("date", day(e.run_at)),
            ("distance", distance(u, e.distance_m)),
            ("longest before", distance(u, e.longest_before_m)),
            ("increase", pct(e.increase)),
            ("window", format!("{} days", e.days)),
        ],
        Evidence::NoRest(e) => vec![
            ("days", e.days.to_string()),
            ("from", e.first_day.to_string()),
            ("to", e.last_day.to_string()),
        ],
        Evidence::LoadSpike(e) => vec![
            ("last 7 days", distance(u, e.acute_7d_m)),
            ("weekly mean of 28 days", distance(u, e.chronic_weekly_m)),
            ("ratio", e.acute_chronic_ratio.map_or("-".into(), |r| format!("{r:.2}"))),
            (
                "4 weeks before",
                e.previous_4wk_mean_m
                    .map_or("-".into(), |m| format!("{} a week", distance(u, m))),
            ),
            ("change", e.week_change.map_or("-".into(), pct)),
        ],
        Evidence::Monotony(e) => {
            let (unit, daily): (String, Vec<String>) = match e.load {
                LoadMeasure::Distance => (
                    format!("{} a day", u.label()),
                    e.daily_load.iter().map(|m| format!("{:.1}", m / u.metres())).collect(),
                ),
                LoadMeasure::RpeMinutes => (
                    "RPE × minutes a day".into(),
                    e.daily_load.iter().map(|x| format!("{x:.0}")).collect(),
                ),
            };
            vec![
                ("load", unit),
                ("daily", daily.join(", ")),
                ("monotony", e.monotony.map_or("unbounded".into(), |v| format!("{v:.2}"))),
            ]
        }
        Evidence::WarmupSkipped(e) => match (e.skipped, e.known_runs, e.share) {
            (Some(s), Some(n), Some(share)) => vec![
                ("skipped", format!("{s} of {n}")),
                ("share", pct(share)),
                ("runs", list(&e.run_ids)),
            ],
            _ => {
                let mut v = vec![("run", list(&e.run_ids))];
                v.extend(e.run_at.map(|t| ("date", day(t))));
                v.extend(e.distance_m.map(|m| ("distance", distance(u, m))));
                v
            }
        },
        Evidence::StretchSkipped(e) => vec![
            ("skipped", format!("{} of {}", e.skipped, e.known_runs)),
            ("share", pct(e.share)),
        ],
        Evidence::ShoeWorn(e) => vec![
            ("pair", e.shoe_id.to_string()),
            ("distance", distance(u, e.distance_m)),
            ("limit", distance(u, e.limit_m)),
            ("wear", pct(e.share)),
            (
                "status",
                match e.status {
                    Wear::Nearing => "nearing".into(),
                    Wear::Replace => "replace".into(),
                },
            ),
        ],
        Evidence::ShoeRotation(e) => vec![
            ("pair", e.shoe_id.to_string()),
            ("weeks", e.weeks.to_string()),
            ("runs a week, newest first", list(&e.runs_per_week)),
        ],
        Evidence::HardSurface(e) => vec![
            ("hard", distance(u, e.hard_m)),
            ("with a known surface", distance(u, e.known_surface_m)),
            ("share", pct(e.share)),
            ("window", format!("{} days", e.days)),
        ],
    };
    if let Some(n) = one_sided(f) {
        parts.push(("one-sided entries", n.to_string()));
    }
    parts
        .into_iter()
        .map(|(label, value)| format!("{label} {value}"))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// FLAG in `--json`: the CLI.md shape, the message in the call's units, the evidence as the
/// rule's struct.
#[derive(Debug, Serialize)]
pub struct FlagView<'a> {
    pub id: RuleId,
    pub severity: Severity,
    pub message: String,
    pub evidence: Value,
    pub advice: &'a [&'static str],
}

impl<'a> FlagView<'a> {
    pub fn new(f: &'a Flag, u: Units) -> FlagView<'a> {
        FlagView {
            id: f.id(),
            severity: f.severity,
            message: message(f, u),
            evidence: evidence_json(&f.evidence),
            advice: &f.advice,
        }
    }
}

/// Every flag as FLAG.
pub fn flag_views(flags: &[Flag], u: Units) -> Vec<FlagView<'_>> {
    flags.iter().map(|f| FlagView::new(f, u)).collect()
}

/// The evidence as JSON: the rule's struct, with floating-point noise rounded off at 3
/// decimals (a millimetre, a tenth of a per cent).
pub fn evidence_json(e: &Evidence) -> Value {
    let mut v = serde_json::to_value(e).unwrap_or(Value::Null);
    tidy(&mut v);
    v
}

/// Rounds floating-point noise off at 3 decimals, everywhere in a JSON value.
pub fn tidy(v: &mut Value) {
    match v {
        Value::Number(n) if n.is_f64() => {
            if let Some(x) = n.as_f64() {
                *v = serde_json::json!(round(x, 3));
            }
        }
        Value::Array(items) => items.iter_mut().for_each(tidy),
        Value::Object(map) => map.values_mut().for_each(tidy),
        _ => {}
    }
}

/// The short form printed after `run add` and `pain add`: per flag, a line with what was seen
/// and a line with the first advice to look at.
pub fn brief_flags(out: &Output, u: Units, flags: &[Flag]) -> String {
    let mut lines = Vec::new();
    for f in flags {
        let tag = format!("[{}]", f.severity.as_str());
        let line = format!("{tag} {}: {}", f.id(), escape(&words(f, u).seen));
        // Wrapped before the tag is painted, so colour codes do not count as columns.
        let text = out.wrap_on_terminal(&line, "  ", "      ");
        lines.push(text.replacen(&tag, &out.paint(severity_tone(f.severity), &tag), 1));
        if let Some(a) = f.advice.first() {
            lines.push(out.wrap_on_terminal(&advice_title(a), "      → ", "        "));
        }
    }
    if !flags.is_empty() {
        lines.push(out.paint(
            Tone::Dim,
            &out.wrap_on_terminal(
                "see `lumbar coach` for the numbers and what to do (lumbar is not a diagnosis)",
                "  ",
                "  ",
            ),
        ));
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;

    use super::*;
    use crate::rules::{habits, load, pain};

    fn at(s: &str) -> chrono::DateTime<chrono::FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn jump(km: f64, base_km: f64) -> Flag {
        let increase = km / base_km - 1.0;
        Flag::new(
            Severity::Warn,
            load::LongRunJump {
                run_id: 7,
                run_at: at("2026-11-22T07:00:00+01:00"),
                distance_m: km * 1000.0,
                longest_before_m: base_km * 1000.0,
                increase,
                more_than_double: increase > 1.0,
                threshold: 0.1,
                days: 30,
            },
        )
    }

    #[test]
    fn brief_flags_take_two_lines_each_and_say_only_what_was_seen() {
        let f = Flag::new(
            Severity::Warn,
            load::NoRest {
                days: 9,
                first_day: at("2026-11-14T07:00:00Z").date_naive(),
                last_day: at("2026-11-22T07:00:00Z").date_naive(),
                threshold: 7,
            },
        );
        let text = brief_flags(&Output::plain(Units::Km), Units::Km, &[f]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "  [warn] no-rest: you have run 9 days in a row (2026-11-14 to 2026-11-22)"
        );
        let title = &crate::content::advice_by_id("recovery-rest")
            .expect("in data/advice.json")
            .title;
        assert!(lines[1].starts_with(&format!("      → {title}")), "{}", lines[1]);
        assert_eq!(lines.len(), 3, "two lines and the closing note");
        assert!(brief_flags(&Output::plain(Units::Km), Units::Km, &[]).is_empty());
    }

    #[test]
    fn messages_and_evidence_follow_the_display_units() {
        let f = jump(16.09344, 8.04672);
        let km = message(&f, Units::Km);
        let mi = message(&f, Units::Mi);
        assert!(km.contains("(16.1 km)") && km.contains("(8.0 km)"), "{km}");
        assert!(mi.contains("(10.0 mi)") && mi.contains("(5.0 mi)"), "{mi}");
        assert!(!mi.contains("km"), "{mi}");
        assert!(
            mi.contains("was 100 % longer"),
            "exactly double is not more than double: {mi}"
        );
        let line = evidence_line(&f, Units::Mi);
        assert!(
            line.contains("distance 10.0 mi") && line.contains("longest before 5.0 mi"),
            "{line}"
        );
        assert!(line.contains("increase 100 %"), "{line}");
        assert!(!line.contains("threshold"), "{line}");
        let strong = message(&jump(20.5, 10.0), Units::Km);
        assert!(strong.contains("more than double"), "{strong}");
        // The short form is the part before the why, whatever the words contain.
        let w = words(&f, Units::Mi);
        assert!(mi.starts_with(&w.seen) && mi.ends_with(w.why.as_deref().unwrap()));
    }

    #[test]
    fn every_rule_has_words_and_an_evidence_line_in_either_unit() {
        let t = at("2026-11-22T07:00:00Z");
        let mut skipped = crate::model::Run::new(t, 5000.0, 1500);
        skipped.id = 3;
        skipped.warmup = Some(false);
        let evidence: Vec<Evidence> = vec![
            pain::RedFlag {
                level: crate::redflags::Level::Emergency,
                symptoms: vec!["fever".into(), "leg-weakness".into()],
                pain_ids: vec![4],
                last_at: t,
                seen_at: None,
                open_days: None,
            }
            .into(),
            pain::PainSevere {
                level: 8,
                pain_id: 4,
                pain_at: t,
                entries: 2,
                days: 7,
                threshold: 7,
                one_sided_entries: Some(3),
            }
            .into(),
            pain::PainRising {
                recent_mean: 4.5,
                recent_entries: 2,
                previous_mean: 2.5,
                previous_entries: 2,
                rise: 2.0,
                days: 14,
                threshold: 2.0,
                one_sided_entries: None,
            }
            .into(),
            pain::PainAfterRuns {
                painful_runs: 2,
                of_runs: 5,
                run_ids: vec![5, 3],
                levels: vec![6, 4],
                threshold: 4,
                one_sided_entries: None,
            }
            .into(),
            load::LoadSpike {
                acute_7d_m: 90_000.0,
                chronic_weekly_m: 60_000.0,
                acute_chronic_ratio: Some(1.5),
                ratio_threshold: 1.5,
                ratio_high: true,
                previous_4wk_mean_m: Some(50_000.0),
                week_change: Some(0.8),
                week_change_threshold: 0.3,
                week_high: true,
            }
            .into(),
            load::Monotony {
                days: 7,
                load: load::LoadMeasure::Distance,
                daily_load: vec![5000.0; 7],
                mean: 5000.0,
                sd: 0.0,
                monotony: None,
                threshold: 2.0,
            }
            .into(),
            habits::StretchSkipped {
                skipped: 5,
                known_runs: 10,
                share: 0.5,
                threshold: 0.5,
            }
            .into(),
            habits::ShoeWorn {
                shoe_id: 2,
                name: "Ghost\u{1b}[31m".into(),
                distance_m: 482_803.2,
                limit_m: 482_803.2,
                share: 1.0,
                status: Wear::Replace,
            }
            .into(),
            habits::ShoeRotation {
                shoe_id: 2,
                name: None,
                weeks: 4,
                runs_per_week: vec![3, 4, 3, 3],
            }
            .into(),
            habits::HardSurface {
                hard_m: 8046.72,
                known_surface_m: 16_093.44,
                share: 0.5,
                days: 28,
                threshold: 0.5,
            }
            .into(),
        ];
        let mut flags: Vec<Flag> = evidence.into_iter().map(|e| Flag::new(Severity::Info, e)).collect();
        flags.push(habits::skipped_this_run(&skipped));
        flags.push(jump(11.5, 10.0));
        for f in &flags {
            for u in [Units::Km, Units::Mi] {
                let w = words(f, u);
                assert!(!w.seen.is_empty() && !w.seen.contains(';'), "{}: {}", f.id(), w.seen);
                assert!(!evidence_line(f, u).is_empty(), "{}", f.id());
                // Plain `coach` gives a flag one line of 80 columns (a red flag may take two).
                let line = format!("[warn] {}: {}", f.id(), headline(f, u));
                if f.id() != RuleId::RedFlag {
                    assert!(line.chars().count() <= 80, "{line}");
                }
                assert!(!headline(f, u).is_empty(), "{line}");
                assert!(u == Units::Km || !line.contains(" km"), "{line}");
            }
            let other = if message(f, Units::Mi).contains(" km") {
                "km"
            } else {
                ""
            };
            assert_eq!(other, "", "{} speaks km in miles", f.id());
        }
        let said = |id: RuleId, u: Units| {
            let f = flags.iter().find(|f| f.id() == id).unwrap();
            (message(f, u), evidence_line(f, u))
        };
        let (red, red_evidence) = said(RuleId::RedFlag, Units::Km);
        assert!(
            red.starts_with(
                "fever, leg-weakness, logged 2026-11-22, triages as emergency: go to an emergency department or call \
                 emergency services now"
            ),
            "{red}"
        );
        assert!(red.contains("`lumbar redflags --seen`"), "{red}");
        assert!(
            red_evidence.contains("level emergency") && red_evidence.contains("seen not yet"),
            "{red_evidence}"
        );
        let (m, e) = said(RuleId::PainSevere, Units::Km);
        assert!(
            m.contains("8/10 on 2026-11-22") && m.ends_with("muscle imbalance"),
            "{m}"
        );
        assert!(e.contains("one-sided entries 3"), "{e}");
        assert!(
            said(RuleId::HardSurface, Units::Mi)
                .1
                .contains("hard 5.0 mi · with a known surface 10.0 mi")
        );
        assert!(
            said(RuleId::ShoeWorn, Units::Mi)
                .0
                .contains("(300.0 mi of 300.0 mi, 100 %)")
        );
        assert!(
            said(RuleId::Monotony, Units::Mi).1.contains("daily 3.1, 3.1"),
            "metres shown in miles"
        );
        assert!(said(RuleId::Monotony, Units::Km).0.contains("unbounded"));
        let spike = said(RuleId::LoadSpike, Units::Km).0;
        assert!(
            spike.contains("(90.0 km) were 1.50 times") && spike.contains("80 % more than the mean"),
            "{spike}"
        );
        assert!(said(RuleId::ShoeRotation, Units::Km).0.contains("was in one pair"));
        let warm = said(RuleId::WarmupSkipped, Units::Mi).0;
        assert!(
            warm.starts_with("no warm-up before the run of 2026-11-22 (3.1 mi)"),
            "{warm}"
        );
        // A name from outside is shown escaped on a terminal, as typed in JSON.
        let worn = flags.iter().find(|f| f.id() == RuleId::ShoeWorn).unwrap();
        let brief = brief_flags(&Output::plain(Units::Km), Units::Km, std::slice::from_ref(worn));
        assert!(!brief.contains('\u{1b}'), "{brief}");
        assert!(FlagView::new(worn, Units::Km).message.contains('\u{1b}'));
    }

    #[test]
    fn json_flags_keep_the_contract_shape_and_the_rule_struct_as_evidence() {
        let f = jump(11.5, 10.0);
        let v = serde_json::to_value(FlagView::new(&f, Units::Mi)).unwrap();
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["advice", "evidence", "id", "message", "severity"]);
        assert_eq!(v["id"], "long-run-jump");
        assert_eq!(v["severity"], "warn");
        assert!(v["message"].as_str().unwrap().contains("7.1 mi"), "{}", v["message"]);
        assert_eq!(
            v["evidence"],
            serde_json::json!({
                "run_id": 7,
                "run_at": "2026-11-22T07:00:00+01:00",
                "distance_m": 11500.0,
                "longest_before_m": 10000.0,
                "increase": 0.15,
                "more_than_double": false,
                "threshold": 0.1,
                "days": 30,
            })
        );
        assert_eq!(v["advice"], serde_json::json!(["load-build-gradually"]));
        let mut r = crate::model::Run::new(at("2026-11-22T07:00:00Z"), 5000.0, 1500);
        r.warmup = Some(false);
        let e = serde_json::to_value(FlagView::new(&habits::skipped_this_run(&r), Units::Km)).unwrap();
        for key in ["skipped", "known_runs", "share", "threshold"] {
            assert_eq!(e["evidence"][key], Value::Null, "{key} is present as null");
        }
    }
}
