//! `coach --explain`: every rule as a runner reads it, with its threshold (as configured), what
//! it reads, its source and the advice that answers it.

use serde::Serialize;
use serde_json::json;

use crate::output::flags::NOT_A_DIAGNOSIS;
use crate::output::text::wrap;
use crate::output::{Output, Tone};
use crate::rules::RuleId;
use crate::rules::catalog::advice_for;
use crate::rules::insights::Factor;
use crate::rules::thresholds::{self as th, Thresholds};

/// One rule as `coach --explain` shows it.
#[derive(Clone, Debug, Serialize)]
pub struct RuleInfo {
    pub id: RuleId,
    pub severity: &'static str,
    pub threshold: String,
    pub reads: &'static str,
    pub source: &'static str,
    pub advice: &'static [&'static str],
}

fn pct(x: f64) -> String {
    format!("{:.0} %", x * 100.0)
}

/// Every rule with its threshold (as configured), what it reads and its source, in listing
/// order.
pub fn rules(t: &Thresholds) -> Vec<RuleInfo> {
    let rule = |id: RuleId, severity, threshold: String, reads, source| RuleInfo {
        id,
        severity,
        threshold,
        reads,
        source,
        advice: advice_for(id),
    };
    vec![
        rule(
            RuleId::RedFlag,
            "urgent, always listed first",
            format!(
                "a red-flag symptom (`lumbar redflags --list`) logged in the last {} days",
                t.red_flag_days
            ),
            "the symptoms of pain entries",
            "EVIDENCE.md section 2: IFOMPT red-flag framework (Finucane 2020), NICE CKS, BASS/SBNS 2018; run `lumbar redflags` for the level",
        ),
        rule(
            RuleId::PainSevere,
            "warn",
            format!(
                "any pain of {}/10 or more in the last {} days",
                t.pain_severe_level,
                th::PAIN_SEVERE_DAYS
            ),
            "pain levels",
            "the severe band of the 0–10 scale (Palos 2006; Serlin 1995); check `lumbar redflags`, see a clinician if it persists",
        ),
        rule(
            RuleId::PainRising,
            "warn",
            format!(
                "mean pain of the last {d} days at least {p} points above the {d} days before (each span needs an entry)",
                d = th::PAIN_RISING_DAYS,
                p = t.pain_rising_points
            ),
            "pain levels and times",
            "a change of 2 points is meaningful on the 0–10 scale (Farrar 2001; Ostelo 2008)",
        ),
        rule(
            RuleId::PainAfterRuns,
            "warn",
            format!(
                "pain of {}/10 or more during or within {} h after {} of the last {} runs",
                t.pain_after_level,
                th::PAIN_AFTER_HOURS,
                t.pain_after_min_runs,
                t.pain_after_window_runs
            ),
            "runs, and pain entries linked to them (--run) or timed during or up to 24 h after them",
            "the article: heed early warning signs before they become injuries",
        ),
        rule(
            RuleId::LongRunJump,
            "warn; stronger wording above +100 %",
            format!(
                "a run of the last {} days more than {} longer than the longest run of the {} days before it",
                th::REVIEW_DAYS,
                pct(t.long_run_jump),
                t.long_run_base_days
            ),
            "run distances and dates",
            "Frandsen et al. 2025 (BJSM, 5,205 runners): single-run jumps were the load change most tied to injury",
        ),
        rule(
            RuleId::NoRest,
            "warn",
            format!(
                "{} or more days in a row with runs, up to today or yesterday (config no-rest-days)",
                t.no_rest_days
            ),
            "run dates",
            "the article: rest days between runs guard against overuse",
        ),
        rule(
            RuleId::LoadSpike,
            "info",
            format!(
                "distance of the last {a} days ÷ the weekly mean of the last {c} (rolling) at or above {r}, once {c} days of history exist; or the last {a} days more than {w} above the mean of the {n} weeks before",
                a = th::ACUTE_DAYS,
                c = th::CHRONIC_DAYS,
                r = t.acwr_limit,
                w = pct(t.week_jump),
                n = th::WEEK_JUMP_BASE_WEEKS
            ),
            "run distances and dates",
            "Gabbett 2016 (acute:chronic ratio). Contested: Impellizzeri 2020 questions the ratio, and Frandsen 2025 found no link with injury in runners; the \"10 % rule\" did not prevent injuries in a trial (Buist 2008). Shown as information only",
        ),
        rule(
            RuleId::Monotony,
            "info",
            format!(
                "over the last {} days, mean daily load ÷ its standard deviation above {:.1}; load is RPE × minutes when every run has an RPE, else distance",
                th::MONOTONY_DAYS,
                t.monotony_limit
            ),
            "run dates, distances, durations and RPE",
            "Foster 1998; the 2.0 cut-off is a heuristic",
        ),
        rule(
            RuleId::WarmupSkipped,
            "info for the latest run; warn for a habit",
            format!(
                "the latest run had no warm-up (info); at least {} of the last {} runs with a known answer skipped it (warn); unknown answers never count as skipped",
                pct(t.warmup_skip_share),
                t.warmup_window_runs
            ),
            "the warm-up answer of each run",
            "Wu et al. 2021 (Pain Res Manag, 800 marathon runners): too little warm-up went with 2.6 times the odds of low back pain. An association, not proof",
        ),
        rule(
            RuleId::StretchSkipped,
            "info",
            format!(
                "at least {} of the last {} runs with a known answer had no stretch afterwards",
                pct(t.stretch_skip_share),
                t.stretch_window_runs
            ),
            "the stretch answer of each run",
            "the article: static stretches after running keep the lower back from stiffening",
        ),
        rule(
            RuleId::ShoeWorn,
            "info when nearing, warn at the limit",
            format!(
                "a pair in use at {} of its limit (nearing) or at its limit (replace); the limit is the pair's own or config shoe-limit (default 300 mi)",
                pct(crate::shoes::NEARING_SHARE)
            ),
            "shoes, and the distance of every run logged in them",
            "convention (300–500 mi), no trial; cushioning falls with mileage (Cook 1985)",
        ),
        rule(
            RuleId::ShoeRotation,
            "info",
            format!(
                "in each of the last {} weeks at least {} runs, and every run that names a pair names the same one",
                t.rotation_weeks, t.rotation_runs_per_week
            ),
            "the pair of each run",
            "Malisoux 2015: runners who rotated two or more pairs had a hazard ratio of 0.61 for injury",
        ),
        rule(
            RuleId::HardSurface,
            "info only",
            format!(
                "at least {} of the last {} days' distance with a known surface on concrete or asphalt",
                pct(t.hard_surface_share),
                t.hard_surface_days
            ),
            "the surface and distance of each run",
            "the article; research evidence for surfaces is very weak (van der Worp 2015), so this is never a warning",
        ),
        rule(
            RuleId::OneSided,
            "adds advice to the pain flags",
            format!(
                "pain logged on the left or right side only in the last {} days",
                th::ONE_SIDED_DAYS
            ),
            "the side of pain entries",
            "the article: uneven form can strain the sacroiliac joint",
        ),
    ]
}

/// The `coach --explain --json` document.
pub fn explain_json(t: &Thresholds) -> serde_json::Value {
    json!({
        "rules": rules(t),
        "insights": {
            "min_runs_each_side": t.insight_min_runs,
            "pain_after_hours": th::PAIN_AFTER_HOURS,
            "factors": Factor::ALL,
        },
    })
}

/// `coach --explain` for a terminal.
pub fn render_explain(out: &Output, rules: &[RuleInfo]) -> String {
    let mut blocks = vec![wrap(
        "The coach's rules. Thresholds are the defaults of EVIDENCE.md section 4 (no-rest-days is set with \
         `lumbar config`). A flag is an association worth acting on, not a diagnosis or a proof of cause.",
        "",
        "",
    )];
    for r in rules {
        let mut lines = vec![format!("{} ({})", out.paint(Tone::Bold, r.id.as_str()), r.severity)];
        lines.push(wrap(&r.threshold, "  fires:", "    "));
        lines.push(wrap(r.reads, "  reads:", "    "));
        lines.push(wrap(r.source, "  source:", "    "));
        lines.push(wrap(&r.advice.join(", "), "  advice:", "    "));
        blocks.push(lines.join("\n"));
    }
    blocks.push(wrap(
        "Insights compare the mean pain logged during or up to 24 h after runs with and without a factor \
         (no warm-up, no stretch, hard surface, shoes at 80 % of their limit or more). Only runs with pain logged and the factor \
         known count, and a comparison is shown only when each side has at least 3 runs.",
        "",
        "",
    ));
    blocks.push(out.paint(Tone::Dim, &wrap(NOT_A_DIAGNOSIS, "", "")));
    blocks.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_is_explained_once_in_listing_order() {
        let explained = rules(&Thresholds::default());
        let ids: Vec<RuleId> = explained.iter().map(|r| r.id).collect();
        assert_eq!(ids, RuleId::ALL, "every rule, in the order flags are listed");
        for r in &explained {
            assert!(
                !r.threshold.is_empty() && !r.source.is_empty() && !r.reads.is_empty(),
                "{}",
                r.id
            );
            assert_eq!(r.advice, advice_for(r.id));
        }
        let t = Thresholds {
            no_rest_days: 10,
            ..Thresholds::default()
        };
        let no_rest = rules(&t).into_iter().find(|r| r.id == RuleId::NoRest).unwrap();
        assert!(
            no_rest.threshold.starts_with("10 or more days"),
            "{}",
            no_rest.threshold
        );
        assert_eq!(explain_json(&t)["insights"]["factors"][3], "worn-shoes");
    }
}
