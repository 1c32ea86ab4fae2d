//! Pain: red flags, severe pain, rising pain, pain after runs, and one-sided pain.
//!
//! A pain entry is "after a run" when it is linked to the run (`pain add --run`) or logged
//! during the run or within 24 h after its end. A run with nothing logged is unknown, not
//! pain-free.

use std::collections::BTreeSet;

use serde_json::json;

use super::thresholds::{self as th, at_least};
use super::{Flag, History, Severity, catalog};
use crate::model::{Pain, Side};
use crate::output::views::round;
use crate::redflags::is_red_flag;

fn mean(entries: &[Pain]) -> Option<f64> {
    (!entries.is_empty()).then(|| entries.iter().map(|p| p.level.0 as f64).sum::<f64>() / entries.len() as f64)
}

/// Urgent and always first: a red-flag symptom in the last 30 days.
pub fn red_flag(h: &History) -> Option<Flag> {
    let mut symptoms = BTreeSet::new();
    let mut ids = Vec::new();
    let mut last = None;
    for p in h.pain_in_last(h.t.red_flag_days) {
        let flagged: Vec<&String> = p.symptoms.iter().filter(|s| is_red_flag(s)).collect();
        if !flagged.is_empty() {
            symptoms.extend(flagged.into_iter().cloned());
            ids.push(p.id);
            last = Some(p.at);
        }
    }
    let last = last?;
    let list: Vec<String> = symptoms.into_iter().collect();
    let args: String = list.iter().map(|s| format!(" --symptom {s}")).collect();
    let message = format!(
        "you logged {} on {}: run `lumbar redflags{args}` now to see how soon to get it checked, and do not \
         wait for it to pass",
        list.join(", "),
        last.format("%Y-%m-%d")
    );
    let evidence = json!({
        "symptoms": list,
        "pain_ids": ids,
        "last_at": last.format("%Y-%m-%d %H:%M").to_string(),
        "days": h.t.red_flag_days,
    });
    Some(Flag::new("red-flag", Severity::Urgent, message, evidence))
}

pub fn pain_severe(h: &History) -> Option<Flag> {
    let worst = h
        .pain_in_last(th::PAIN_SEVERE_DAYS)
        .iter()
        .filter(|p| p.level.0 >= h.t.pain_severe_level)
        .max_by_key(|p| (p.level, p.at))?;
    let count = h
        .pain_in_last(th::PAIN_SEVERE_DAYS)
        .iter()
        .filter(|p| p.level.0 >= h.t.pain_severe_level)
        .count();
    let message = format!(
        "you logged severe pain ({}/10 on {}): check it with `lumbar redflags`, and see a clinician if it \
         persists or gets worse",
        worst.level.0,
        worst.at.format("%Y-%m-%d")
    );
    let evidence = json!({
        "level": worst.level.0,
        "pain_id": worst.id,
        "at": worst.at.format("%Y-%m-%d %H:%M").to_string(),
        "entries": count,
        "days": th::PAIN_SEVERE_DAYS,
        "threshold": h.t.pain_severe_level,
    });
    Some(Flag::new("pain-severe", Severity::Warn, message, evidence))
}

pub fn pain_rising(h: &History) -> Option<Flag> {
    let days = th::PAIN_RISING_DAYS;
    let split = h.now - chrono::Duration::days(days);
    let recent = h.pain_in_last(days);
    let before = h.pain_between(split - chrono::Duration::days(days), split);
    // An entry exactly at the split belongs to the recent span.
    let before = &before[..before.partition_point(|p| p.at < split)];
    let (now_mean, then_mean) = (mean(recent)?, mean(before)?);
    let rise = now_mean - then_mean;
    if !at_least(rise, h.t.pain_rising_points) {
        return None;
    }
    let message = format!(
        "your mean pain rose from {then_mean:.1} to {now_mean:.1} over the last {days} days against the {days} \
         before: a change of 2 points or more is one people notice; ease off and watch it"
    );
    let evidence = json!({
        "recent_mean": round(now_mean, 2),
        "recent_entries": recent.len(),
        "previous_mean": round(then_mean, 2),
        "previous_entries": before.len(),
        "rise": round(rise, 2),
        "days": days,
        "threshold": h.t.pain_rising_points,
    });
    Some(Flag::new("pain-rising", Severity::Warn, message, evidence))
}

pub fn pain_after_runs(h: &History) -> Option<Flag> {
    let n = h.t.pain_after_window_runs;
    let last: Vec<_> = h.runs.iter().rev().take(n).collect();
    let painful: Vec<(u64, u8)> = last
        .iter()
        .filter_map(|r| {
            h.pain_after(r)
                .filter(|l| *l >= h.t.pain_after_level)
                .map(|l| (r.id, l))
        })
        .collect();
    if painful.len() < h.t.pain_after_min_runs {
        return None;
    }
    let message = format!(
        "pain of {}/10 or more came during or within a day after {} of your last {} runs; that is an early \
         signal worth heeding before it becomes an injury",
        h.t.pain_after_level,
        painful.len(),
        last.len()
    );
    let evidence = json!({
        "painful_runs": painful.len(),
        "of_runs": last.len(),
        "run_ids": painful.iter().map(|(id, _)| id).collect::<Vec<_>>(),
        "levels": painful.iter().map(|(_, l)| l).collect::<Vec<_>>(),
        "threshold": h.t.pain_after_level,
    });
    Some(Flag::new("pain-after-runs", Severity::Warn, message, evidence))
}

/// Recent pain on one side only (left or right): the count of such entries.
pub fn one_sided(h: &History) -> usize {
    h.pain_in_last(th::ONE_SIDED_DAYS)
        .iter()
        .filter(|p| p.level.0 > 0 && matches!(p.side, Side::Left | Side::Right))
        .count()
}

/// One-sided pain adds the form and muscle-imbalance advice to every pain flag.
pub fn add_one_sided_advice(h: &History, flags: &mut [Flag]) {
    let n = one_sided(h);
    if n == 0 {
        return;
    }
    for f in flags.iter_mut().filter(|f| f.id.starts_with("pain-")) {
        f.add_advice(catalog::advice_for("one-sided"));
        f.evidence.insert("one_sided_entries".into(), json!(n));
        f.message
            .push_str("; pain on one side can come from uneven form or muscle imbalance");
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;
    use chrono::Duration;

    #[test]
    fn red_flag_fires_for_30_days_and_is_urgent() {
        let mut p = pain(day(29), 2);
        p.symptoms = vec!["fever".into(), "ache".into()];
        let d = data(vec![], vec![p.clone()]);
        let f = red_flag(&history(&d)).expect("29 days ago");
        assert_eq!(f.severity, Severity::Urgent);
        assert_eq!(f.evidence["symptoms"], json!(["fever"]));
        assert!(f.message.contains("--symptom fever"));
        p.at = day(30);
        assert!(
            red_flag(&history(&data(vec![], vec![p.clone()]))).is_none(),
            "30.5 days ago"
        );
        p.symptoms = vec!["ache".into(), "stiffness".into()];
        p.at = day(1);
        assert!(
            red_flag(&history(&data(vec![], vec![p]))).is_none(),
            "descriptors are not flags"
        );
    }

    #[test]
    fn pain_severe_at_6_7_and_8_within_a_week() {
        let one = |level, days_ago| pain_severe(&history(&data(vec![], vec![pain(day(days_ago), level)])));
        assert!(one(6, 1).is_none());
        assert_eq!(one(7, 1).unwrap().severity, Severity::Warn);
        assert!(one(8, 1).unwrap().message.contains("lumbar redflags"));
        assert!(one(7, 6).is_some());
        assert!(one(9, 7).is_none(), "7.5 days ago");
        assert!(pain_severe(&history(&data(vec![], vec![]))).is_none());
    }

    fn rising(before: &[u8], recent: &[u8]) -> Option<Flag> {
        let mut entries: Vec<Pain> = before
            .iter()
            .enumerate()
            .map(|(i, l)| pain(day(20 + i as i64), *l))
            .collect();
        entries.extend(recent.iter().enumerate().map(|(i, l)| pain(day(1 + i as i64), *l)));
        pain_rising(&history(&data(vec![], entries)))
    }

    #[test]
    fn pain_rising_at_just_below_and_above_2_points() {
        let f = rising(&[2, 3], &[4, 5]).expect("2.5 → 4.5 is exactly 2");
        assert_eq!(ev(&f, "rise"), 2.0);
        assert!(rising(&[2, 3], &[4, 4]).is_none(), "1.5 points");
        assert!(rising(&[2, 3], &[5, 5]).is_some(), "2.5 points");
        assert!(rising(&[], &[9, 9]).is_none(), "nothing to compare with");
        assert!(rising(&[1], &[]).is_none());
        assert!(rising(&[6, 6], &[3, 3]).is_none(), "falling");
    }

    fn after_runs(levels: &[Option<u8>]) -> Option<Flag> {
        // One run a day, oldest first; pain (if any) 2 h after each run's end.
        let n = levels.len() as i64;
        let mut runs = Vec::new();
        let mut entries = Vec::new();
        for (i, l) in levels.iter().enumerate() {
            let r = run(n - i as i64, 8.0);
            if let Some(l) = l {
                entries.push(pain(r.end() + Duration::hours(2), *l));
            }
            runs.push(r);
        }
        pain_after_runs(&history(&data(runs, entries)))
    }

    #[test]
    fn pain_after_two_of_the_last_five_runs_at_level_4() {
        let f = after_runs(&[None, Some(4), None, Some(4), None]).expect("2 of 5");
        assert_eq!(f.severity, Severity::Warn);
        assert_eq!(ev(&f, "painful_runs"), 2.0);
        assert!(
            after_runs(&[None, Some(3), None, Some(4), Some(3)]).is_none(),
            "level 3 is below"
        );
        assert!(
            after_runs(&[Some(5), Some(5), None, None, None, None, Some(6)]).is_none(),
            "older than 5"
        );
        assert_eq!(
            ev(
                &after_runs(&[Some(4), Some(7), None, Some(4), None]).unwrap(),
                "painful_runs"
            ),
            3.0,
            "3 of 5"
        );
        assert!(after_runs(&[Some(9)]).is_none(), "one run is too little history");
        assert!(after_runs(&[Some(4), Some(4)]).is_some(), "two runs, both painful");
        assert!(
            after_runs(&[None, None, None, None, None]).is_none(),
            "nothing logged is unknown"
        );
    }

    #[test]
    fn pain_after_a_run_is_linked_or_within_24_hours_of_its_end() {
        let r = run(3, 10.0);
        let mut linked = pain(day(1), 5);
        linked.run_id = Some(1);
        let late = pain(r.end() + Duration::hours(24) + Duration::minutes(1), 8);
        let d = data(vec![r.clone()], vec![linked, late]);
        assert_eq!(history(&d).pain_after(&d.runs[0]), Some(5));
        let edge = pain(r.end() + Duration::hours(24), 6);
        let during = pain(r.start + Duration::minutes(5), 2);
        let d = data(vec![r.clone()], vec![edge, during]);
        assert_eq!(history(&d).pain_after(&d.runs[0]), Some(6));
        let d = data(vec![r], vec![]);
        assert_eq!(history(&d).pain_after(&d.runs[0]), None);
    }

    #[test]
    fn one_sided_pain_adds_form_and_imbalance_advice() {
        let mut p = pain(day(1), 8);
        p.side = Side::Left;
        let d = data(vec![], vec![p]);
        let h = history(&d);
        let mut flags: Vec<Flag> = pain_severe(&h).into_iter().collect();
        add_one_sided_advice(&h, &mut flags);
        for id in ["form-cues", "muscle-imbalance"] {
            assert!(flags[0].advice.contains(&id), "{:?}", flags[0].advice);
        }
        let d = data(vec![], vec![pain(day(1), 8)]);
        let h = history(&d);
        let mut flags: Vec<Flag> = pain_severe(&h).into_iter().collect();
        add_one_sided_advice(&h, &mut flags);
        assert!(!flags[0].advice.contains(&"muscle-imbalance"));
    }
}
