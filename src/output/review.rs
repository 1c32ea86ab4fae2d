//! The `coach` review in words, in the display units of this call: the short answer of plain
//! `coach` (the decision, at most three flags in one line each, a pointer to `--full`), the
//! whole review of `coach --full` (the decision, the flags in full, the insights), and the
//! `--json` document.

use serde::Serialize;

use crate::model::Units;
use crate::output::decision::{NextView, decision_lines, glyphs};
use crate::output::flags::{FlagView, NOT_A_DIAGNOSIS, advice_line, advice_title, evidence_line, headline, message};
use crate::output::text::escape;
use crate::output::views::round;
use crate::output::{Output, Tone};
use crate::rules::insights::{Factor, Insight};
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
            next: NextView::new(&r.next, u),
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
    let mut lines = vec![head, out.wrap(&escape(&message(f, u)), "  ", "  ")];
    lines.push(out.paint(
        Tone::Dim,
        &out.wrap(&escape(&evidence_line(f, u)), "  evidence:", "    "),
    ));
    // The first advice in full (once in the whole review); the others by title, once each.
    for (i, a) in f.advice.iter().enumerate() {
        let full = i == 0 && !given.contains(&(a, true));
        if !full && given.iter().any(|(g, _)| g == a) {
            continue;
        }
        given.push((a, full));
        let text = if full { advice_line(a) } else { advice_title(a) };
        lines.push(out.wrap(&text, "  →", "    "));
    }
    lines.join("\n")
}

/// How many flags plain `coach` shows.
pub const SHORT_FLAGS: usize = 3;

/// Plain `coach`: the decision first, then at most three flags in one line each (most
/// important first), a pointer to `coach --full`, and the not-a-diagnosis line. Fits in 15
/// lines at 80 columns on the demo store.
pub fn render_short(out: &Output, u: Units, review: &Review) -> String {
    let mut lines = decision_lines(out, &review.next, u, false);
    for f in review.flags.iter().take(SHORT_FLAGS) {
        let tag = format!("[{}]", f.severity.as_str());
        let line = format!("{tag} {}: {}", f.id(), escape(&headline(f, u)));
        // Wrapped, never cut: on a narrow terminal a flag takes a second line rather than lose
        // its numbers (or a red flag its action).
        let text = out.wrap(&line, "", "    ");
        // The tag is painted after wrapping, so colour codes do not count as columns.
        let text = glyphs(out, &text);
        let painted = text.replacen(&tag, &out.paint(super::flags::severity_tone(f.severity), &tag), 1);
        lines.push(painted);
    }
    let n = review.flags.len();
    let more = match (n, review.insights.len()) {
        (0, 0) => "No flags. Every rule and its numbers: `lumbar coach --full`".to_string(),
        (0, _) => "No flags. The insights from your log: `lumbar coach --full`".to_string(),
        (n, _) if n <= SHORT_FLAGS => "Their evidence and advice, and the insights: `lumbar coach --full`".to_string(),
        (n, _) => format!("All {n} flags, their evidence and advice, the insights: `lumbar coach --full`"),
    };
    lines.push(out.paint(Tone::Dim, &out.wrap(&more, "", "")));
    lines.push(out.paint(Tone::Dim, &out.wrap(NOT_A_DIAGNOSIS, "", "")));
    lines.join("\n")
}

/// `coach --full`: the decision, every flag in full, the insights, in `u`. `scope` says what
/// was reviewed.
pub fn render_review(out: &Output, u: Units, review: &Review, scope: &str) -> String {
    let mut next = vec![out.paint(Tone::Bold, "Next run")];
    next.extend(decision_lines(out, &review.next, u, true));
    let mut blocks = vec![out.paint(Tone::Bold, &out.wrap(scope, "", "  ")), next.join("\n")];
    if review.flags.is_empty() {
        blocks.push(out.wrap(
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
        let mut lines = vec![out.paint(
            Tone::Bold,
            &out.wrap("Insights (associations in your own log, not causes)", "", "  "),
        )];
        for i in &review.insights {
            lines.push(out.wrap(&insight_sentence(i), "  -", "    "));
        }
        blocks.push(lines.join("\n"));
    }
    blocks.push(out.paint(Tone::Dim, &out.wrap(NOT_A_DIAGNOSIS, "", "")));
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
    use crate::rules::{History, RuleId, Thresholds};

    /// Issue 12: plain `coach` on the demo store (12 weeks, seed 42, as `lumbar demo` makes it)
    /// fits in 15 lines at 80 columns, whatever the day and hour it is run, in either unit.
    #[test]
    fn plain_coach_fits_in_15_lines_on_the_demo_every_day_of_the_week() {
        let monday = chrono::DateTime::parse_from_rfc3339("2026-11-30T00:00:00+00:00").unwrap();
        for day in 0..7 {
            for hour in [6, 9, 13, 18, 23] {
                let now = monday + chrono::Duration::days(day) + chrono::Duration::hours(hour);
                let data = crate::demo::generate(12, 42, now);
                let h = History::new(&data, None, now, Thresholds::default());
                let review = crate::rules::review(&h);
                for u in [Units::Km, Units::Mi] {
                    let text = render_short(&Output::plain(u), u, &review);
                    let lines: Vec<&str> = text.lines().collect();
                    assert!(lines.len() <= 15, "{now}: {} lines\n{text}", lines.len());
                    for l in &lines {
                        assert!(l.chars().count() <= 80, "{now}: wider than 80: {l}");
                    }
                    assert!(lines.len() >= 6, "{now}: the decision, flags and pointer\n{text}");
                    assert!(
                        text.contains("lumbar coach --full")
                            && text.contains(NOT_A_DIAGNOSIS.split('.').next().unwrap())
                    );
                    let flag_lines = lines.iter().filter(|l| l.starts_with('[')).count();
                    assert!(
                        review.flags.iter().all(|f| f.id() != RuleId::RedFlag),
                        "no red flag in the demo"
                    );
                    assert_eq!(flag_lines, review.flags.len().min(SHORT_FLAGS), "{text}");
                }
            }
        }
    }

    use crate::rules::insights::Group;

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
