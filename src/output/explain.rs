//! `coach --explain`: every rule as a runner reads it, with its threshold (as configured), what
//! it reads, its source and the advice that answers it.

use serde::Serialize;
use serde_json::json;

use crate::output::flags::NOT_A_DIAGNOSIS;
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
            "urgent (emergency, urgent), warn (soon), info once seen; always listed first",
            format!(
                "a logged red-flag symptom (`lumbar redflags --list`) that triages above self-care, read together \
                 with the others still open and `config age` (unknown: the careful side); emergency and urgent stay \
                 until `lumbar redflags --seen`, soon for {} days or until seen",
                th::RED_FLAG_SOON_DAYS
            ),
            "the symptoms of pain entries, the seen marks, config age",
            "EVIDENCE.md sections 2 and 4: IFOMPT red-flag framework (Finucane 2020), NICE CKS, NICE NG234, BASS/SBNS \
             2018; the flag says the triage's level and action, as `lumbar redflags` does",
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
            "runs and their entries: linked to the run (--run), or logged during it or up to 24 h after it (36 h for --when next-day); an entry counts for one run only",
            "the article: heed early warning signs before they become injuries",
        ),
        rule(
            RuleId::LongRunJump,
            "warn; stronger wording above +100 %",
            format!(
                "a run of the last {} days more than {} longer than the longest run of the {} days before it, \
                 once those days hold at least {} runs (before that the coach is still learning your baseline)",
                th::REVIEW_DAYS,
                pct(t.long_run_jump),
                t.long_run_base_days,
                th::JUMP_BASELINE_RUNS
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
            "Malisoux 2015, a cohort study (not a trial): runners who rotated two or more pairs had a hazard ratio of 0.61 for injury",
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

/// One rule of the next-run decision (EVIDENCE.md section 6) as `coach --explain` shows it.
#[derive(Clone, Debug, Serialize)]
pub struct DecisionRule {
    pub id: &'static str,
    /// What it does to the light or the cap.
    pub effect: &'static str,
    pub threshold: String,
    pub source: &'static str,
    /// How strong the evidence behind it is, in plain words.
    pub strength: &'static str,
}

/// Every rule of the next-run decision, in the order the coach applies them.
pub fn decision_rules() -> Vec<DecisionRule> {
    const PAIN_MODEL: &str = "the pain-monitoring model of tendon rehabilitation: Thomeé 1997 (patellofemoral \
        pain); Silbernagel 2007 (an RCT in 38 Achilles tendinopathy patients: pain up to 5/10 during activity, if it \
        settled by the next morning and did not rise week to week, did no worse than rest; the thresholds were not \
        tested); NICE NG59: stay active within what the pain allows";
    const PAIN_STRENGTH: &str = "borrowed from tendon rehabilitation and untested for back pain; lumbar is stricter \
        than the model (it holds at 3/10): a careful heuristic";
    let rule = |id, effect, threshold: String, source, strength| DecisionRule {
        id,
        effect,
        threshold,
        source,
        strength,
    };
    vec![
        rule(
            "entries",
            "decides which run a pain entry counts for",
            format!(
                "an entry linked with --run belongs to that run; an unlinked one to the latest run that started before \
                 it and ended at most {} h before it ({} h for --when next-day); an entry belongs to one run at most",
                th::BELONGS_HOURS,
                th::BELONGS_NEXT_DAY_HOURS
            ),
            "EVIDENCE.md section 6",
            "a definition, so every rule counts pain the same way",
        ),
        rule(
            "red-flag-light",
            "rest, or hold",
            format!(
                "an emergency or urgent red flag no clinician has seen: rest, with only the triage's action (no \
                 expiry); a soon red flag of the last {} days not seen: hold",
                th::RED_FLAG_SOON_DAYS
            ),
            "EVIDENCE.md section 1: the triage levels (IFOMPT 2020, NICE CKS, BASS/SBNS 2018) and what each says about running",
            "guideline-based triage; it decides before any other rule",
        ),
        rule(
            "rest-pain",
            "rest",
            format!(
                "pain of {r}/10 or more in an entry of the last run or in any entry of the last {h} h, or of {s}/10 or \
                 more in the last {d} days; each entry of {r}/10 or more rests until settled or unstuck (the {h} h and \
                 {d}-day windows hold whatever settles)",
                r = th::REST_LEVEL,
                h = th::RECENT_HOURS,
                s = th::PAIN_SEVERE_LEVEL,
                d = th::PAIN_SEVERE_DAYS
            ),
            PAIN_MODEL,
            PAIN_STRENGTH,
        ),
        rule(
            "settled",
            "turns a rest into a hold for the next run",
            format!(
                "a later entry of {}/10 or less, logged at least {} h after the painful one and not --when during; the \
                 hold lasts until the next run after it",
                th::SETTLED_LEVEL,
                th::SETTLE_AFTER_HOURS
            ),
            PAIN_MODEL,
            PAIN_STRENGTH,
        ),
        rule(
            "unstuck",
            "turns a rest for pain into a hold with walk-run",
            format!(
                "the last {} h hold at least one entry and none above {}/10, though nothing has settled the pain; with no \
                 entry at all the rest stays and the coach asks how the back is",
                th::UNSTICK_HOURS,
                th::UNSTICK_MAX_LEVEL
            ),
            "lumbar's design, so that pain that eases without settling does not keep a runner resting for ever",
            "a design choice, not tested",
        ),
        rule(
            "hold-pain",
            "hold",
            format!(
                "pain of {lo}–{hi}/10 in an entry of the last run or of the last {h} h; next-day pain above the pre-run \
                 level (the latest entry of the {pre} h before the run; with none, next-day pain of {lo}/10 or more); \
                 the last run without an entry while pain of {lo}/10 or more was logged in the last {nd} days; \
                 pain-rising",
                lo = th::HOLD_LEVEL,
                hi = th::REST_LEVEL - 1,
                h = th::RECENT_HOURS,
                pre = th::PRE_RUN_HOURS,
                nd = th::NO_ENTRY_PAIN_DAYS
            ),
            PAIN_MODEL,
            PAIN_STRENGTH,
        ),
        rule(
            "spike",
            "hold after it; never the base of a cap",
            format!(
                "a run more than {} longer than the longest of all runs of the {} days before it (after a gap, of the \
                 runs since the return; a first run back is compared with the {} days before the gap)",
                pct(th::LONG_RUN_JUMP),
                th::LONG_RUN_BASE_DAYS,
                th::LONG_RUN_BASE_DAYS
            ),
            "Frandsen 2025 (BJSM, 5,205 runners): single runs more than 10 % over the 30-day longest went with overuse \
             injury of any kind (not back pain in particular)",
            "an association in a large cohort; excluding spikes from the caps is lumbar's design choice",
        ),
        rule(
            "cap",
            "the longest run allowed",
            format!(
                "the smallest that applies: {} × the longest non-spike run of the last {} days (L30); {} × that of the \
                 {} days that end {} days ago (L30-7); at hold, the longest non-spike run of the last {} days; none \
                 at rest",
                th::CAP_L30,
                th::LONG_RUN_BASE_DAYS,
                th::CAP_L30_7,
                th::LONG_RUN_BASE_DAYS,
                th::L30_7_OFFSET_DAYS,
                th::HOLD_LIMIT_DAYS
            ),
            "Frandsen 2025 for the 10 %; the limit of about a fifth a week is general practice (Buist 2008 found that \
             the 10 % rule did not prevent injuries, so it is a brake, not a promise)",
            "an association for the 10 %; general practice for the rest",
        ),
        rule(
            "coming-back",
            "caps the runs after a gap",
            format!(
                "a gap is {} days or more without a run; the first run back is at most {} of the longest non-spike run \
                 of the {} days before the gap, each later one at most {} over the longest since the return and never \
                 over the cap before the gap; after {} runs over {} days or more the ordinary cap applies",
                th::GAP_DAYS,
                pct(th::FIRST_RUN_BACK_SHARE),
                th::LONG_RUN_BASE_DAYS,
                pct(th::COMING_BACK_STEP),
                th::REBUILT_RUNS,
                th::REBUILT_DAYS
            ),
            "general practice in return-to-run programmes",
            "general practice, not a trial",
        ),
        rule(
            "walk-run",
            "the run is walk-run",
            format!(
                "after a gap that followed pain of {}/10 or more or an emergency or urgent red flag, and when a rest is \
                 unstuck: {} steps from 10 × (1 min run, 1 min walk) to 2 × (12 min run, 1 min walk); up a step after a \
                 run whose next-day pain is back at the pre-run level, back one after a rise of {} points or more",
                th::REST_LEVEL,
                crate::rules::decision::walkrun::LADDER.len(),
                th::WALK_RUN_BACK_RISE
            ),
            "general practice in return-to-run programmes",
            "general practice, not a trial",
        ),
        rule(
            "jump-baseline",
            "long-run-jump waits for a baseline",
            format!(
                "long-run-jump fires only when the {} days before a run hold at least {} runs; with fewer the coach is \
                 still learning your baseline (the spike and cap rules apply all the same)",
                th::LONG_RUN_BASE_DAYS,
                th::JUMP_BASELINE_RUNS
            ),
            "EVIDENCE.md section 6: a jump over one or two runs says little",
            "a design choice",
        ),
        rule(
            "no-answer",
            "asks for an entry; hold with recent pain",
            format!(
                "the last run (of the last {} days) has no entry and you have logged pain before: the coach asks for one \
                 (`lumbar pain add 0 --run last` records none); it is not read as no pain",
                th::ASK_AFTER_RUN_DAYS
            ),
            "EVIDENCE.md section 6",
            "a design choice: a missing answer is unknown, not fine",
        ),
        rule(
            "soon-review",
            "advises a review with a doctor or physiotherapist within days",
            format!(
                "the pain has not come down to {}/10 or less within {} days of the first rest, or no day has been go for \
                 {} days (past days are read once a day, up to {} days back)",
                th::SETTLED_LEVEL,
                th::REVIEW_NOT_SETTLED_DAYS,
                th::REVIEW_HELD_DAYS,
                th::REVIEW_LOOKBACK_DAYS
            ),
            "EVIDENCE.md section 6; the soon level of section 1 (NICE CKS: pain that is not improving)",
            "a careful choice; it never replaces the red-flag triage",
        ),
        rule(
            "stop-if",
            "when to stop a run",
            format!(
                "shown at hold, at rest for pain, and after an entry logged --when during in the last {} days: stop and \
                 walk home if the pain passes 5/10, keeps rising, makes you limp or brings new leg numbness, tingling or \
                 weakness; call emergency services for chest pain, feeling faint, numbness around the genitals or back \
                 passage, or new bladder or bowel trouble",
                th::STOP_DURING_DAYS
            ),
            "EVIDENCE.md sections 2 and 6",
            "general practice; the emergency signs are the red flags of section 2",
        ),
    ]
}

/// The `coach --explain --json` document.
pub fn explain_json(t: &Thresholds) -> serde_json::Value {
    json!({
        "rules": rules(t),
        "decision": decision_rules(),
        "insights": {
            "min_runs_each_side": t.insight_min_runs,
            "pain_after_hours": th::PAIN_AFTER_HOURS,
            "factors": Factor::ALL,
        },
    })
}

/// `coach --explain` for a terminal.
pub fn render_explain(out: &Output, rules: &[RuleInfo]) -> String {
    let mut blocks = vec![out.wrap(
        "The coach's rules. Thresholds are the defaults of EVIDENCE.md section 4 (no-rest-days is set with \
         `lumbar config`). A flag is an association worth acting on, not a diagnosis or a proof of cause.",
        "",
        "",
    )];
    for r in rules {
        let id = r.id.as_str();
        let head = out.wrap(&format!("{id} ({})", r.severity), "", "    ");
        let mut lines = vec![head.replacen(id, &out.paint(Tone::Bold, id), 1)];
        lines.push(out.wrap(&r.threshold, "  fires:", "    "));
        lines.push(out.wrap(r.reads, "  reads:", "    "));
        lines.push(out.wrap(r.source, "  source:", "    "));
        lines.push(out.wrap(&r.advice.join(", "), "  advice:", "    "));
        blocks.push(lines.join("\n"));
    }
    blocks.push(out.wrap(
        "Insights compare the mean pain logged during or up to 24 h after runs with and without a factor \
         (no warm-up, no stretch, hard surface, shoes at 80 % of their limit or more). Only runs with pain logged and the factor \
         known count, and a comparison is shown only when each side has at least 3 runs.",
        "",
        "",
    ));
    blocks.push(out.paint(
        Tone::Bold,
        &out.wrap(
            "The next-run decision (go, hold, rest) and the longest run allowed",
            "",
            "",
        ),
    ));
    for r in decision_rules() {
        let head = out.wrap(&format!("{} ({})", r.id, r.effect), "", "    ");
        let mut lines = vec![head.replacen(r.id, &out.paint(Tone::Bold, r.id), 1)];
        lines.push(out.wrap(&r.threshold, "  when:", "    "));
        lines.push(out.wrap(r.source, "  source:", "    "));
        lines.push(out.wrap(r.strength, "  evidence:", "    "));
        blocks.push(lines.join("\n"));
    }
    blocks.push(out.paint(Tone::Dim, &out.wrap(NOT_A_DIAGNOSIS, "", "")));
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
