//! The rules as a runner reads them in `coach --explain`, and the one table that says which
//! advice answers which rule.

use serde::Serialize;

use super::thresholds::{self as th, Thresholds};

/// Rule id → the advice ids that answer it (data/advice.json), most useful first.
const ADVICE: &[(&str, &[&str])] = &[
    ("red-flag", &["see-doctor"]),
    ("pain-severe", &["see-doctor", "relief-home-care", "listen-to-pain"]),
    ("pain-rising", &["listen-to-pain", "recovery-rest", "relief-home-care"]),
    (
        "pain-after-runs",
        &[
            "listen-to-pain",
            "relief-home-care",
            "cross-train-low-impact",
            "pilates-core",
        ],
    ),
    ("long-run-jump", &["load-build-gradually"]),
    ("no-rest", &["recovery-rest", "cross-train-low-impact"]),
    ("load-spike", &["load-build-gradually", "recovery-rest"]),
    (
        "monotony",
        &["recovery-rest", "cross-train-low-impact", "cross-train-yoga"],
    ),
    ("warmup-skipped", &["warmup-dynamic"]),
    ("stretch-skipped", &["stretch-after", "cross-train-yoga"]),
    ("shoe-worn", &["shoes-replace", "shoes-fit"]),
    ("shoe-rotation", &["shoes-rotate"]),
    ("hard-surface", &["surface-softer"]),
    (
        "one-sided",
        &[
            "form-cues",
            "form-gait-analysis",
            "muscle-imbalance",
            "cross-train-strength",
        ],
    ),
];

/// The advice ids for a rule id (empty for an unknown id).
pub fn advice_for(id: &str) -> &'static [&'static str] {
    ADVICE.iter().find(|(r, _)| *r == id).map_or(&[], |(_, a)| a)
}

/// The order flags of equal severity are listed in: the order of [`ADVICE`].
pub fn rank(id: &str) -> usize {
    ADVICE.iter().position(|(r, _)| *r == id).unwrap_or(ADVICE.len())
}

/// One rule as `coach --explain` shows it.
#[derive(Clone, Debug, Serialize)]
pub struct RuleInfo {
    pub id: &'static str,
    pub severity: &'static str,
    pub threshold: String,
    pub reads: &'static str,
    pub source: &'static str,
    pub advice: &'static [&'static str],
}

fn pct(x: f64) -> String {
    format!("{:.0} %", x * 100.0)
}

/// Every rule with its threshold (as configured), what it reads and its source.
pub fn rules(t: &Thresholds) -> Vec<RuleInfo> {
    let rule = |id: &'static str, severity, threshold: String, reads, source| RuleInfo {
        id,
        severity,
        threshold,
        reads,
        source,
        advice: advice_for(id),
    };
    vec![
        rule(
            "red-flag",
            "urgent, always listed first",
            format!(
                "a red-flag symptom (`lumbar redflags --list`) logged in the last {} days",
                t.red_flag_days
            ),
            "the symptoms of pain entries",
            "EVIDENCE.md section 2: IFOMPT red-flag framework (Finucane 2020), NICE CKS, BASS/SBNS 2018; run `lumbar redflags` for the level",
        ),
        rule(
            "pain-severe",
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
            "pain-rising",
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
            "pain-after-runs",
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
            "long-run-jump",
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
            "no-rest",
            "warn",
            format!(
                "{} or more days in a row with runs, up to today or yesterday (config no-rest-days)",
                t.no_rest_days
            ),
            "run dates",
            "the article: rest days between runs guard against overuse",
        ),
        rule(
            "load-spike",
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
            "monotony",
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
            "warmup-skipped",
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
            "stretch-skipped",
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
            "shoe-worn",
            "info when nearing, warn at the limit",
            format!(
                "a pair in use at {} of its limit (nearing) or at its limit (replace); the limit is the pair's own or config shoe-limit (default 300 mi)",
                pct(crate::shoes::NEARING_SHARE)
            ),
            "shoes, and the distance of every run logged in them",
            "convention (300–500 mi), no trial; cushioning falls with mileage (Cook 1985)",
        ),
        rule(
            "shoe-rotation",
            "info",
            format!(
                "in each of the last {} weeks at least {} runs, and every run that names a pair names the same one",
                t.rotation_weeks, t.rotation_runs_per_week
            ),
            "the pair of each run",
            "Malisoux 2015: runners who rotated two or more pairs had a hazard ratio of 0.61 for injury",
        ),
        rule(
            "hard-surface",
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
            "one-sided",
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

#[cfg(test)]
mod tests {
    use super::*;

    const ADVICE_IDS: &[&str] = &[
        "warmup-dynamic",
        "stretch-after",
        "shoes-replace",
        "shoes-fit",
        "shoes-rotate",
        "surface-softer",
        "load-build-gradually",
        "recovery-rest",
        "listen-to-pain",
        "cross-train-low-impact",
        "cross-train-strength",
        "cross-train-yoga",
        "pilates-core",
        "form-cues",
        "form-gait-analysis",
        "muscle-imbalance",
        "relief-home-care",
        "see-doctor",
    ];

    #[test]
    fn every_rule_has_advice_from_the_agreed_ids_and_is_explained() {
        let explained = rules(&Thresholds::default());
        for (id, advice) in ADVICE {
            assert!(!advice.is_empty(), "{id}");
            for a in *advice {
                assert!(ADVICE_IDS.contains(a), "{id} → unknown advice id {a}");
            }
            assert!(explained.iter().any(|r| r.id == *id), "{id} is not explained");
        }
        assert_eq!(explained.len(), ADVICE.len());
        assert_eq!(rank("red-flag"), 0);
    }
}
