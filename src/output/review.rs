//! The `coach` review in words: the flags in full, the insights' sentences and the next-run
//! guidance, for a terminal and as the `--json` document, in the display units of this call.

use serde::Serialize;

use crate::model::Units;
use crate::output::flags::{FlagView, NOT_A_DIAGNOSIS, advice_line, advice_title, distance, evidence_line, message};
use crate::output::text::{escape, wrap};
use crate::output::views::round;
use crate::output::{Output, Tone};
use crate::rules::insights::{Factor, Insight};
use crate::rules::next::{Activity, Next, Reason};
use crate::rules::thresholds as th;
use crate::rules::{Flag, Review};

/// How a factor reads in an insight: the runs with it, the runs without it.
fn factor_labels(f: Factor) -> (&'static str, &'static str) {
    match f {
        Factor::NoWarmup => ("without a warm-up", "with one"),
        Factor::NoStretch => ("not followed by a stretch", "followed by one"),
        Factor::HardSurface => ("on concrete or asphalt", "on other surfaces"),
        Factor::WornShoes => ("in shoes at 80 % of their limit or more", "in fresher shoes"),
    }
}

/// "after runs without a warm-up your mean pain was 4.1/10 (21 runs); with one 2.2/10 (59 runs)".
pub fn insight_sentence(i: &Insight) -> String {
    let (with, without) = factor_labels(i.factor);
    format!(
        "after runs {with} your mean pain was {:.1}/10 ({} runs); {without} {:.1}/10 ({} runs)",
        i.with.mean_pain, i.with.runs, i.without.mean_pain, i.without.runs
    )
}

/// One reason for the next day, as a sentence.
pub fn reason_sentence(r: Reason) -> &'static str {
    match r {
        Reason::RedFlagOpen => "a red-flag symptom is open: get it checked before running again",
        Reason::SeverePain => "severe pain this week: rest and look after it at home until it settles",
        Reason::NoRestDay => "no rest day lately: take one; an easy swim or ride is fine if you want to move",
        Reason::PainAfterRuns => "pain after recent runs: swap the next run for low-impact cross-training",
        Reason::LoadRose => "load rose quickly: keep the next run easy and no longer than the limit below",
        Reason::SameEveryDay => "every day looked alike: make the next run easier or harder than usual, not the same",
        Reason::NoFlags => "no flags: an ordinary run is fine; keep building gradually",
    }
}

/// One side of an insight in `--json`.
#[derive(Debug, Serialize)]
pub struct GroupView {
    pub runs: usize,
    pub mean_pain: f64,
}

/// INSIGHT in `--json`.
#[derive(Debug, Serialize)]
pub struct InsightView {
    pub factor: Factor,
    pub with: GroupView,
    pub without: GroupView,
    pub difference: f64,
    pub message: String,
}

impl InsightView {
    pub fn new(i: &Insight) -> InsightView {
        let group = |g: &crate::rules::insights::Group| GroupView {
            runs: g.runs,
            mean_pain: round(g.mean_pain, 2),
        };
        InsightView {
            factor: i.factor,
            with: group(&i.with),
            without: group(&i.without),
            difference: round(i.difference, 2),
            message: insight_sentence(i),
        }
    }
}

/// NEXT in `--json`: distances in metres, the reasons as sentences.
#[derive(Debug, Serialize)]
pub struct NextView<'a> {
    pub activity: Activity,
    pub reasons: Vec<&'static str>,
    pub cross_training: &'a [&'static str],
    pub longest_30d_m: Option<f64>,
    pub max_distance_m: Option<f64>,
    pub before: &'a [&'static str],
    pub after: &'a [&'static str],
    pub routine_today: Option<&'static str>,
}

impl<'a> NextView<'a> {
    pub fn new(n: &'a Next) -> NextView<'a> {
        NextView {
            activity: n.activity,
            reasons: n.reasons.iter().map(|r| reason_sentence(*r)).collect(),
            cross_training: &n.cross_training,
            longest_30d_m: n.longest_30d_m.map(|m| round(m, 1)),
            // A cap is given in whole metres.
            max_distance_m: n.max_distance_m.map(|m| round(m, 0)),
            before: &n.before,
            after: &n.after,
            routine_today: n.routine_today,
        }
    }
}

/// The `coach --json` document: `{"flags": [FLAG], "insights": [INSIGHT], "next": NEXT}`.
#[derive(Debug, Serialize)]
pub struct ReviewView<'a> {
    pub flags: Vec<FlagView<'a>>,
    pub insights: Vec<InsightView>,
    pub next: NextView<'a>,
}

impl<'a> ReviewView<'a> {
    pub fn new(r: &'a Review, u: Units) -> ReviewView<'a> {
        ReviewView {
            flags: r.flags.iter().map(|f| FlagView::new(f, u)).collect(),
            insights: r.insights.iter().map(InsightView::new).collect(),
            next: NextView::new(&r.next),
        }
    }
}

/// One flag in full: the severity and id, the message, the evidence, and the advice not
/// already given for a flag above it.
fn flag_block(out: &Output, u: Units, f: &Flag, given: &mut Vec<(&'static str, bool)>) -> String {
    let head = format!(
        "{} {}",
        out.paint(
            super::flags::severity_tone(f.severity),
            &f.severity.as_str().to_uppercase()
        ),
        out.paint(Tone::Bold, f.id().as_str())
    );
    let mut lines = vec![head, wrap(&escape(&message(f, u)), "  ", "  ")];
    lines.push(out.paint(Tone::Dim, &wrap(&escape(&evidence_line(f, u)), "  evidence:", "    ")));
    // The first advice in full (once in the whole review); the others by title, once each.
    for (i, a) in f.advice.iter().enumerate() {
        let full = i == 0 && !given.contains(&(a, true));
        if !full && given.iter().any(|(g, _)| g == a) {
            continue;
        }
        given.push((a, full));
        let text = if full { advice_line(a) } else { advice_title(a) };
        lines.push(wrap(&text, "  →", "    "));
    }
    lines.join("\n")
}

fn next_block(out: &Output, u: Units, n: &Next) -> String {
    let day = match n.activity {
        Activity::SeeClinician => "Before your next run: have the red-flag symptom checked by a clinician.".to_string(),
        Activity::Rest => "Next day: rest.".to_string(),
        Activity::CrossTrain => format!(
            "Next day: cross-train instead of running ({}).",
            n.cross_training.join(", ")
        ),
        Activity::Run => "Next day: a run is fine.".to_string(),
    };
    let mut lines = vec![out.paint(Tone::Bold, "Next"), wrap(&day, "  ", "  ")];
    for r in &n.reasons {
        lines.push(wrap(reason_sentence(*r), "  -", "    "));
    }
    if n.activity == Activity::SeeClinician {
        return lines.join("\n");
    }
    match (n.max_distance_m, n.longest_30d_m) {
        (Some(max), Some(longest)) => lines.push(wrap(
            &format!(
                "Longest next run: {} (within {:.0} % of your longest in {} days, {}).",
                distance(u, max),
                th::LONG_RUN_JUMP * 100.0,
                th::LONG_RUN_BASE_DAYS,
                distance(u, longest)
            ),
            "  ",
            "  ",
        )),
        _ => lines.push(format!(
            "  No run in the last {} days: start short and easy.",
            th::LONG_RUN_BASE_DAYS
        )),
    }
    if let Some(r) = n.routine_today {
        lines.push(format!("  Today: lumbar routine {r}"));
    }
    let routines = |ids: &[&str]| {
        ids.iter()
            .map(|r| format!("lumbar routine {r}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    lines.push(wrap(&format!("Before: {}.", routines(&n.before)), "  ", "  "));
    lines.push(wrap(&format!("After: {}.", routines(&n.after)), "  ", "  "));
    lines.join("\n")
}

/// The whole `coach` review for a terminal, in `u`. `scope` says what was reviewed.
pub fn render_review(out: &Output, u: Units, review: &Review, scope: &str) -> String {
    let mut blocks = vec![out.paint(Tone::Bold, scope)];
    if review.flags.is_empty() {
        blocks.push(wrap(
            "No flags: nothing in your history crosses a threshold. Keep warming up, stretching and building gradually.",
            "",
            "",
        ));
    }
    let mut given = Vec::new();
    for f in &review.flags {
        blocks.push(flag_block(out, u, f, &mut given));
    }
    if !review.insights.is_empty() {
        let mut lines = vec![out.paint(Tone::Bold, "Insights (associations in your own log, not causes)")];
        for i in &review.insights {
            lines.push(wrap(&insight_sentence(i), "  -", "    "));
        }
        blocks.push(lines.join("\n"));
    }
    blocks.push(next_block(out, u, &review.next));
    blocks.push(out.paint(Tone::Dim, &wrap(NOT_A_DIAGNOSIS, "", "")));
    blocks.join("\n\n")
}

/// What `coach` says with nothing logged.
pub fn how_to_start() -> String {
    [
        "Nothing logged yet, so there is nothing to review. To start:",
        "  lumbar shoes add 'Pegasus 41' --default     the pair you run in",
        "  lumbar run add 5k 28:30 --warmup --stretch  after each run",
        "  lumbar pain add 3 --run last                when your back hurts",
        "then run `lumbar coach` again. To see a review first, try a demo store:",
        "  lumbar --data-dir /tmp/lumbar-demo demo && lumbar --data-dir /tmp/lumbar-demo coach",
    ]
    .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::insights::Group;

    fn next(max: Option<f64>) -> Next {
        Next {
            activity: Activity::Run,
            reasons: vec![Reason::LoadRose],
            cross_training: vec![],
            longest_30d_m: max.map(|m| m / 1.1),
            max_distance_m: max,
            before: vec!["warmup"],
            after: vec!["stretch"],
            routine_today: None,
        }
    }

    #[test]
    fn the_next_run_reads_in_the_display_units_and_its_json_in_metres() {
        let n = next(Some(16_093.44 * 1.1));
        let out = Output::plain(Units::Mi);
        let text = next_block(&out, Units::Mi, &n);
        assert!(
            text.contains("Longest next run: 11.0 mi (within 10 % of your longest in 30 days, 10.0 mi)."),
            "{text}"
        );
        assert!(text.contains("load rose quickly"), "{text}");
        let v = serde_json::to_value(NextView::new(&n)).unwrap();
        assert_eq!(v["max_distance_m"], 17_703.0);
        assert_eq!(v["longest_30d_m"], 16_093.4);
        assert_eq!(v["activity"], "run");
        assert_eq!(v["reasons"][0], reason_sentence(Reason::LoadRose));
        let none = next_block(&out, Units::Mi, &next(None));
        assert!(none.contains("No run in the last 30 days"), "{none}");
    }

    #[test]
    fn insights_are_worded_here_from_the_two_groups() {
        let i = Insight {
            factor: Factor::HardSurface,
            with: Group {
                runs: 4,
                mean_pain: 3.875,
            },
            without: Group {
                runs: 3,
                mean_pain: 5.0 / 3.0,
            },
            difference: 3.875 - 5.0 / 3.0,
        };
        assert_eq!(
            insight_sentence(&i),
            "after runs on concrete or asphalt your mean pain was 3.9/10 (4 runs); on other surfaces 1.7/10 (3 runs)"
        );
        let v = serde_json::to_value(InsightView::new(&i)).unwrap();
        assert_eq!(v["factor"], "hard-surface");
        assert_eq!(
            (v["with"]["mean_pain"].as_f64(), v["without"]["mean_pain"].as_f64()),
            (Some(3.88), Some(1.67))
        );
        assert_eq!(v["difference"], 2.21);
    }
}
