//! Pain: red flags, severe pain, rising pain, pain after runs, and one-sided pain.
//!
//! A pain entry is "after a run" when it is linked to the run (`pain add --run`) or logged
//! during the run or within 24 h after its end. A run with nothing logged is unknown, not
//! pain-free.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use super::thresholds::{self as th, at_least};
use super::{Evidence, Flag, History, RuleId, Severity, catalog};
use crate::model::{Pain, Side};
use crate::redflags::{self, Level};

/// `red-flag` (v2): the red flags logged, read together as the triage reads them, with the
/// triage's level. Open until a clinician has seen them (`lumbar redflags --seen`) for
/// `emergency` and `urgent`, for 30 days for `soon`; once seen, information only.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RedFlag {
    /// `emergency`, `urgent` or `soon` (a symptom that triages to self-care raises no flag).
    pub level: Level,
    /// The ids behind the level's reasons.
    pub symptoms: Vec<String>,
    /// The entries that logged them, oldest first.
    pub pain_ids: Vec<u64>,
    #[serde(serialize_with = "crate::model::when::serialize_rfc3339")]
    pub last_at: DateTime<FixedOffset>,
    /// When a clinician saw them; `null` while open.
    #[serde(serialize_with = "crate::model::when::serialize_rfc3339_opt")]
    pub seen_at: Option<DateTime<FixedOffset>>,
    /// How long it stays open unseen: 30 days for `soon`; `null` (until seen) above.
    pub open_days: Option<i64>,
}

/// `pain-severe`: the worst entry at or above the severe level in the last `days` days.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PainSevere {
    pub level: u8,
    pub pain_id: u64,
    #[serde(serialize_with = "crate::model::when::serialize_rfc3339")]
    pub pain_at: DateTime<FixedOffset>,
    /// How many entries of the window were severe.
    pub entries: usize,
    pub days: i64,
    pub threshold: u8,
    /// Entries on one side only in the last 28 days, when there are any.
    pub one_sided_entries: Option<usize>,
}

/// `pain-rising`: the mean of the last `days` days against the same span before it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PainRising {
    pub recent_mean: f64,
    pub recent_entries: usize,
    pub previous_mean: f64,
    pub previous_entries: usize,
    /// `recent_mean - previous_mean`, in points of the 0–10 scale.
    pub rise: f64,
    pub days: i64,
    pub threshold: f64,
    pub one_sided_entries: Option<usize>,
}

/// `pain-after-runs`: of the last `of_runs` runs, `painful_runs` had pain at or above the
/// threshold during or within 24 h after them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PainAfterRuns {
    pub painful_runs: usize,
    pub of_runs: usize,
    /// The painful runs, newest first, and the worst level after each.
    pub run_ids: Vec<u64>,
    pub levels: Vec<u8>,
    pub threshold: u8,
    pub one_sided_entries: Option<usize>,
}

fn mean(entries: &[Pain]) -> Option<f64> {
    (!entries.is_empty()).then(|| entries.iter().map(|p| p.level.0 as f64).sum::<f64>() / entries.len() as f64)
}

/// Always listed first: the red flags logged, with the triage's level (`config age`; unknown
/// takes the careful side). Severity `urgent` for emergency and urgent, `warn` for soon, `info`
/// once a clinician has seen them.
pub fn red_flag(h: &History) -> Option<Flag> {
    let logged = redflags::logged_as_of(h.data, h.data.config.age, h.now)?;
    let level = logged.level();
    let severity = match (logged.is_seen(), level) {
        (true, _) => Severity::Info,
        (false, Level::Emergency | Level::Urgent) => Severity::Urgent,
        (false, _) => Severity::Warn,
    };
    let evidence = RedFlag {
        level,
        symptoms: logged.symptoms,
        pain_ids: logged.pain_ids,
        last_at: logged.last_at,
        seen_at: logged.seen_at,
        open_days: (level == Level::Soon).then_some(th::RED_FLAG_SOON_DAYS),
    };
    Some(Flag::new(severity, evidence))
}

pub fn pain_severe(h: &History) -> Option<Flag> {
    let severe = || {
        h.pain_in_last(th::PAIN_SEVERE_DAYS)
            .iter()
            .filter(|p| p.level.0 >= h.t.pain_severe_level)
    };
    let worst = severe().max_by_key(|p| (p.level, p.at))?;
    let evidence = PainSevere {
        level: worst.level.0,
        pain_id: worst.id,
        pain_at: worst.at,
        entries: severe().count(),
        days: th::PAIN_SEVERE_DAYS,
        threshold: h.t.pain_severe_level,
        one_sided_entries: None,
    };
    Some(Flag::new(Severity::Warn, evidence))
}

pub fn pain_rising(h: &History) -> Option<Flag> {
    let evidence = rising(&h.pain, h.now, h.t.pain_rising_points)?;
    Some(Flag::new(Severity::Warn, evidence))
}

/// The mean of the entries of the last 14 days (up to `now`) against the 14 days before, when
/// it rose by `points` or more. `pain` is in time order.
pub fn rising(pain: &[Pain], now: DateTime<FixedOffset>, points: f64) -> Option<PainRising> {
    let days = th::PAIN_RISING_DAYS;
    let split = now - chrono::Duration::days(days);
    let at = |t: DateTime<FixedOffset>| pain.partition_point(|p| p.at < t);
    let end = pain.partition_point(|p| p.at <= now);
    // An entry exactly at the split belongs to the recent span.
    let recent = &pain[at(split)..end.max(at(split))];
    let before = &pain[at(split - chrono::Duration::days(days))..at(split)];
    let (now_mean, then_mean) = (mean(recent)?, mean(before)?);
    let rise = now_mean - then_mean;
    if !at_least(rise, points) {
        return None;
    }
    Some(PainRising {
        recent_mean: now_mean,
        recent_entries: recent.len(),
        previous_mean: then_mean,
        previous_entries: before.len(),
        rise,
        days,
        threshold: points,
        one_sided_entries: None,
    })
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
    let evidence = PainAfterRuns {
        painful_runs: painful.len(),
        of_runs: last.len(),
        run_ids: painful.iter().map(|(id, _)| *id).collect(),
        levels: painful.iter().map(|(_, l)| *l).collect(),
        threshold: h.t.pain_after_level,
        one_sided_entries: None,
    };
    Some(Flag::new(Severity::Warn, evidence))
}

/// Recent pain on one side only (left or right): the count of such entries.
pub fn one_sided(h: &History) -> usize {
    h.pain_in_last(th::ONE_SIDED_DAYS)
        .iter()
        .filter(|p| p.level.0 > 0 && matches!(p.side, Side::Left | Side::Right))
        .count()
}

/// One-sided pain adds the form and muscle-imbalance advice to every pain flag, and the count
/// to its evidence.
pub fn add_one_sided_advice(h: &History, flags: &mut [Flag]) {
    let n = one_sided(h);
    if n == 0 {
        return;
    }
    for f in flags.iter_mut() {
        let slot = match &mut f.evidence {
            Evidence::PainSevere(e) => &mut e.one_sided_entries,
            Evidence::PainRising(e) => &mut e.one_sided_entries,
            Evidence::PainAfterRuns(e) => &mut e.one_sided_entries,
            _ => continue,
        };
        *slot = Some(n);
        f.add_advice(catalog::advice_for(RuleId::OneSided));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;
    use chrono::Duration;

    fn flagged(symptoms: &[&str], days_ago: i64, age: Option<u32>, seen: Option<i64>) -> Option<Flag> {
        let mut p = pain(day(days_ago), 2);
        p.symptoms = symptoms.iter().map(|s| s.to_string()).collect();
        let mut d = data(vec![], vec![p]);
        d.config.age = age;
        if let Some(s) = seen {
            d.red_flags_seen.push(crate::model::Seen { at: day(s) });
        }
        red_flag(&history(&d))
    }

    #[test]
    fn the_red_flag_carries_the_triage_level_and_severity() {
        let f = flagged(&["fever", "ache"], 1, Some(40), None).expect("fever");
        assert_eq!(f.severity, Severity::Urgent);
        let e = evidence!(f, RedFlag);
        assert_eq!(
            (e.level, e.symptoms.clone()),
            (Level::Urgent, vec!["fever".to_string()])
        );
        assert_eq!(
            (e.pain_ids, e.last_at, e.seen_at, e.open_days),
            (vec![1], day(1), None, None)
        );
        let f = flagged(&["saddle-numbness"], 1, Some(40), None).unwrap();
        assert_eq!(
            (f.severity, evidence!(f, RedFlag).level),
            (Severity::Urgent, Level::Emergency)
        );
        let f = flagged(&["leg-numbness"], 1, Some(40), None).unwrap();
        assert_eq!(f.severity, Severity::Warn, "soon");
        assert_eq!(evidence!(f, RedFlag).open_days, Some(30));
        assert!(
            flagged(&["first-episode"], 1, Some(35), None).is_none(),
            "a first back pain at 35 triages to self-care: no flag"
        );
        assert_eq!(
            evidence!(flagged(&["first-episode"], 1, None, None).unwrap(), RedFlag).level,
            Level::Soon,
            "unknown age takes the careful side"
        );
        assert!(
            flagged(&["ache", "stiffness"], 1, None, None).is_none(),
            "descriptors are not flags"
        );
    }

    #[test]
    fn emergency_and_urgent_stay_until_seen_soon_for_30_days() {
        assert!(flagged(&["fever"], 200, Some(40), None).is_some(), "urgent: no expiry");
        assert!(flagged(&["leg-numbness"], 29, Some(40), None).is_some());
        assert!(
            flagged(&["leg-numbness"], 31, Some(40), None).is_none(),
            "soon: 30 days"
        );
        let seen = flagged(&["fever"], 3, Some(40), Some(2)).expect("seen: information");
        assert_eq!(seen.severity, Severity::Info);
        assert_eq!(evidence!(seen, RedFlag).seen_at, Some(day(2)));
    }

    #[test]
    fn pain_severe_at_6_7_and_8_within_a_week() {
        let one = |level, days_ago| pain_severe(&history(&data(vec![], vec![pain(day(days_ago), level)])));
        assert!(one(6, 1).is_none());
        assert_eq!(one(7, 1).unwrap().severity, Severity::Warn);
        let e = evidence!(one(8, 1).unwrap(), PainSevere);
        assert_eq!((e.level, e.pain_at, e.entries, e.threshold), (8, day(1), 1, 7));
        assert_eq!(e.one_sided_entries, None);
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
        let e = evidence!(f, PainRising);
        assert!(close(e.rise, 2.0) && close(e.recent_mean, 4.5) && close(e.previous_mean, 2.5));
        assert_eq!((e.recent_entries, e.previous_entries), (2, 2));
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
        let e = evidence!(f, PainAfterRuns);
        assert_eq!((e.painful_runs, e.of_runs, e.levels.clone()), (2, 5, vec![4, 4]));
        assert_eq!(e.run_ids, [4, 2], "newest first");
        assert!(
            after_runs(&[None, Some(3), None, Some(4), Some(3)]).is_none(),
            "level 3 is below"
        );
        assert!(
            after_runs(&[Some(5), Some(5), None, None, None, None, Some(6)]).is_none(),
            "older than 5"
        );
        assert_eq!(
            evidence!(
                after_runs(&[Some(4), Some(7), None, Some(4), None]).unwrap(),
                PainAfterRuns
            )
            .painful_runs,
            3,
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
        assert_eq!(evidence!(flags[0], PainSevere).one_sided_entries, Some(1));
        let d = data(vec![], vec![pain(day(1), 8)]);
        let h = history(&d);
        let mut flags: Vec<Flag> = pain_severe(&h).into_iter().collect();
        add_one_sided_advice(&h, &mut flags);
        assert!(!flags[0].advice.contains(&"muscle-imbalance"));
        assert_eq!(evidence!(flags[0], PainSevere).one_sided_entries, None);
    }
}
