//! The flags printed after `run add` and `pain add`, from one evaluation of the recent history
//! ([`History::recent`]):
//! - the flags about the entry itself: a run's own missing warm-up, its own length, the
//!   hard-surface share it tipped over the threshold, a pair it took over a threshold; a red
//!   flag or severe pain in a pain entry;
//! - then any other flag not already printed after an entry in the last
//!   [`thresholds::SHOWN_FOR_DAYS`] days (the store's `flags_shown`), so a standing pattern is
//!   said once a week, not after every run (it stays in `coach`);
//! - urgent flags every time.
//!
//! What was printed is recorded with [`remember`] in the same store write.

use chrono::{DateTime, Duration, FixedOffset};

use super::{Evidence, Flag, History, RuleId, Severity, evaluate, habits, load, sort, thresholds};
use crate::model::{Pain, Run, Shown};
use crate::redflags::is_red_flag;

/// The entry just logged (already in the history).
#[derive(Clone, Copy, Debug)]
pub enum Entry<'a> {
    Run(&'a Run),
    Pain(&'a Pain),
}

/// The flags to print after `entry`, most severe first. `shown` is what earlier entries printed.
pub fn flags_after(h: &History, entry: Entry, shown: &[Shown]) -> Vec<Flag> {
    let all = evaluate(h);
    let mut out = about_entry(h, &all, entry);
    for f in all {
        let taken = out.iter().any(|g| g.key() == f.key());
        if !taken && (f.severity == Severity::Urgent || !was_shown(shown, &f, h.now)) {
            out.push(f);
        }
    }
    sort(&mut out);
    out
}

/// The flags of the evaluation `all` that are news about this entry.
fn about_entry(h: &History, all: &[Flag], entry: Entry) -> Vec<Flag> {
    let mut out = Vec::new();
    match entry {
        Entry::Run(r) => {
            if r.warmup == Some(false) {
                // The habit when this run is part of one, else the note about this run.
                let habit = all
                    .iter()
                    .find(|f| f.id() == RuleId::WarmupSkipped && f.severity == Severity::Warn);
                out.push(habit.cloned().unwrap_or_else(|| habits::skipped_this_run(r)));
            }
            out.extend(load::jump_for(h, r));
            out.extend(
                all.iter()
                    .filter(|f| match &f.evidence {
                        Evidence::HardSurface(e) => habits::hard_surface_tipped_by(h, e, r),
                        Evidence::ShoeWorn(e) => habits::shoe_pushed_over_by(e, r),
                        _ => false,
                    })
                    .cloned(),
            );
        }
        Entry::Pain(p) => {
            let red = p.symptoms.iter().any(|s| is_red_flag(s));
            let severe = p.level.0 >= h.t.pain_severe_level;
            out.extend(
                all.iter()
                    .filter(|f| match f.id() {
                        RuleId::RedFlag => red,
                        RuleId::PainSevere => severe,
                        _ => false,
                    })
                    .cloned(),
            );
        }
    }
    out
}

/// The memory keeps a flag for this long before `now`.
fn memory_starts(now: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    now - Duration::days(thresholds::SHOWN_FOR_DAYS)
}

fn same(s: &Shown, f: &Flag) -> bool {
    let (id, key) = f.key();
    s.flag == id.as_str() && s.key == key
}

/// Whether `f` was printed after an entry in the last 7 days.
pub fn was_shown(shown: &[Shown], f: &Flag, now: DateTime<FixedOffset>) -> bool {
    let from = memory_starts(now);
    shown.iter().any(|s| s.at > from && same(s, f))
}

/// Records that `printed` was printed at `now`, and forgets what is older than the memory.
/// One record per rule (and pair), the latest.
pub fn remember(shown: &mut Vec<Shown>, printed: &[Flag], now: DateTime<FixedOffset>) {
    let from = memory_starts(now);
    shown.retain(|s| s.at > from && !printed.iter().any(|f| same(s, f)));
    shown.extend(printed.iter().map(|f| Shown {
        flag: f.id().as_str().into(),
        key: f.key().1,
        at: now,
    }));
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;
    use crate::model::{Data, Shoe, Surface};

    /// Adds a run, prints its flags as `run add` does, and remembers them.
    fn add_run(d: &mut Data, r: Run, now: DateTime<FixedOffset>) -> Vec<Flag> {
        let id = d.add_run(r);
        let run = d.run(id).unwrap();
        let h = History::recent(d, run.start, now, super::super::Thresholds::default());
        let flags = flags_after(&h, Entry::Run(run), &d.flags_shown);
        remember(&mut d.flags_shown, &flags, now);
        flags
    }

    fn add_pain(d: &mut Data, p: Pain) -> Vec<Flag> {
        let id = d.add_pain(p);
        let entry = d.pain_entry(id).unwrap();
        let h = History::recent(d, entry.at, now(), super::super::Thresholds::default());
        let flags = flags_after(&h, Entry::Pain(entry), &d.flags_shown);
        remember(&mut d.flags_shown, &flags, now());
        flags
    }

    #[test]
    fn a_skipped_warm_up_on_a_new_run_is_said_each_time() {
        let mut d = data(vec![], vec![]);
        let mut r = run(1, 5.0);
        r.warmup = Some(false);
        let f = add_run(&mut d, r.clone(), now());
        assert_eq!(ids(&f), ["warmup-skipped"]);
        assert_eq!(f[0].severity, Severity::Info);
        r.start = day(0);
        let f = add_run(&mut d, r, now());
        assert_eq!(ids(&f), ["warmup-skipped"], "about this run, so said again");
        assert_eq!(evidence!(f[0], WarmupSkipped).run_id, Some(2));
    }

    #[test]
    fn a_hard_surface_note_is_said_once_a_week_not_after_every_run() {
        let mut d = data(vec![], vec![]);
        let hard = |days_ago| {
            let mut r = run(days_ago, 5.0);
            r.surface = Some(Surface::Asphalt);
            r
        };
        assert_eq!(
            ids(&add_run(&mut d, hard(9), day(9))),
            ["hard-surface"],
            "it tipped the share"
        );
        assert!(add_run(&mut d, hard(8), day(8)).is_empty(), "shown a day ago");
        let mut soft = run(5, 5.0);
        soft.surface = Some(Surface::Grass);
        assert!(add_run(&mut d, soft, day(5)).is_empty(), "still shown within 7 days");
        assert_eq!(ids(&add_run(&mut d, hard(1), day(1))), ["hard-surface"], "8 days later");
        assert_eq!(d.flags_shown.len(), 1, "one record per rule");
        assert_eq!(d.flags_shown[0].at, day(1));
    }

    #[test]
    fn a_new_severe_pain_is_said_each_time_a_pattern_once() {
        let runs: Vec<Run> = (1..=5).map(|i| run(i, 6.0)).collect();
        let mut d = data(runs, vec![]);
        let after = |d: &Data, i: usize| d.runs[i].end() + Duration::hours(1);
        let mut p = pain(after(&d, 3), 5);
        assert!(add_pain(&mut d, p.clone()).is_empty(), "one painful run of five");
        p.at = after(&d, 4);
        assert_eq!(ids(&add_pain(&mut d, p.clone())), ["pain-after-runs"]);
        p.at = after(&d, 2);
        p.level = crate::model::PainLevel(8);
        assert_eq!(
            ids(&add_pain(&mut d, p.clone())),
            ["pain-severe"],
            "the pattern is not repeated"
        );
        p.at = after(&d, 1);
        assert_eq!(
            ids(&add_pain(&mut d, p)),
            ["pain-severe"],
            "severe pain is said every time"
        );
        let mild = pain(now() - Duration::hours(1), 2);
        assert!(add_pain(&mut d, mild).is_empty(), "a mild entry repeats neither");
    }

    #[test]
    fn an_urgent_flag_is_said_after_every_entry_whatever_the_memory() {
        let mut d = data(vec![run(3, 5.0)], vec![]);
        let mut p = pain(day(2), 3);
        p.symptoms = vec!["fever".into()];
        assert_eq!(ids(&add_pain(&mut d, p)), ["red-flag"]);
        let f = add_run(&mut d, run(1, 5.0), now());
        assert_eq!(ids(&f), ["red-flag"], "urgent: not held back by the memory");
        assert!(
            add_pain(&mut d, pain(day(0), 1))
                .iter()
                .any(|f| f.id() == RuleId::RedFlag)
        );
    }

    #[test]
    fn a_pair_is_flagged_when_a_run_takes_it_over_and_each_pair_has_its_own_memory() {
        let mut d = data(vec![], vec![]);
        let shoe = |name: &str| Shoe {
            id: 0,
            name: name.into(),
            start_m: 0.0,
            limit_m: Some(100_000.0),
            default: false,
            retired: false,
            added: None,
            removed: false,
        };
        let a = d.add_shoe(shoe("A"));
        let b = d.add_shoe(shoe("B"));
        let in_pair = |days_ago, km, id| {
            let mut r = run(days_ago, km);
            r.shoe_id = Some(id);
            r
        };
        assert!(add_run(&mut d, in_pair(6, 79.0, a), now()).is_empty());
        // A run 20 % over the longest of the month also flags its length; ignore that one.
        let shoe_flags = |f: Vec<Flag>| -> Vec<(RuleId, Option<u64>)> {
            f.iter()
                .filter(|f| f.id() == RuleId::ShoeWorn)
                .map(|f| f.key())
                .collect()
        };
        assert_eq!(
            shoe_flags(add_run(&mut d, in_pair(5, 2.0, a), now())),
            [(RuleId::ShoeWorn, Some(a))]
        );
        assert!(
            shoe_flags(add_run(&mut d, in_pair(4, 2.0, a), now())).is_empty(),
            "A was just said"
        );
        assert!(add_run(&mut d, in_pair(3, 79.0, b), now()).is_empty());
        assert_eq!(
            shoe_flags(add_run(&mut d, in_pair(2, 2.0, b), now())),
            [(RuleId::ShoeWorn, Some(b))],
            "B has its own memory"
        );
        let f = add_run(&mut d, in_pair(1, 20.0, a), now());
        assert_eq!(
            shoe_flags(f),
            [(RuleId::ShoeWorn, Some(a))],
            "A crossed its limit: news again"
        );
        assert_eq!(evidence!(shoe_worn_of(&d, a), ShoeWorn).status, habits::Wear::Replace);
    }

    fn shoe_worn_of(d: &Data, id: u64) -> Flag {
        habits::shoe_worn(&history(d))
            .into_iter()
            .find(|f| f.key().1 == Some(id))
            .unwrap()
    }

    #[test]
    fn the_memory_forgets_after_seven_days_and_keeps_one_record_per_flag() {
        let mut r = run(1, 5.0);
        r.warmup = Some(false);
        let f = habits::skipped_this_run(&r);
        let mut shown = Vec::new();
        remember(&mut shown, std::slice::from_ref(&f), day(10));
        assert!(was_shown(&shown, &f, day(4)), "6 days later");
        assert!(!was_shown(&shown, &f, day(3)), "7 days later");
        remember(&mut shown, std::slice::from_ref(&f), day(5));
        assert_eq!(shown.len(), 1, "replaced, not added");
        assert_eq!(shown[0].flag, "warmup-skipped");
        assert_eq!(shown[0].key, None);
        remember(&mut shown, &[], day(5) + Duration::days(7));
        assert_eq!(shown, [], "pruned once 7 days old");
    }
}
