//! A run's entries (EVIDENCE.md section 6): which run a pain entry belongs to.
//!
//! - An entry linked with `pain add --run` belongs to that run (and to no other, even when it
//!   was logged after a later run).
//! - An unlinked entry belongs to the latest run that started before it (or at the same moment)
//!   and ended at most 24 h before it (36 h for `--when next-day`).
//! - An entry belongs to at most one run; most belong to none.
//!
//! `pain-after-runs`, the insights and the next-run decision all count pain this way, so one
//! entry is never counted against two runs.

use chrono::Duration;

use super::thresholds as th;
use crate::model::{IdMap, Pain, Run, Timing};

/// The longest a run can last (`run add` refuses more): bounds how far back an entry's run
/// can have started.
const LONGEST_RUN_HOURS: i64 = 48;

/// Which run each entry belongs to, for runs and entries in time order.
#[derive(Clone, Debug, Default)]
pub struct Belonging {
    /// (run index, entry index), sorted by run index then entry index.
    pairs: Vec<(usize, usize)>,
}

impl Belonging {
    /// Reads every entry once: O(entries × log runs).
    pub fn new(runs: &[Run], pain: &[Pain]) -> Belonging {
        let index: IdMap<usize> = runs.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
        let mut pairs: Vec<(usize, usize)> = pain
            .iter()
            .enumerate()
            .filter_map(|(j, p)| owner(runs, &index, p).map(|i| (i, j)))
            .collect();
        pairs.sort_unstable();
        Belonging { pairs }
    }

    /// The indices (into the entries) of the entries of run `run` (an index into the runs),
    /// oldest first.
    pub fn of(&self, run: usize) -> impl Iterator<Item = usize> + '_ {
        let a = self.pairs.partition_point(|(i, _)| *i < run);
        let b = self.pairs.partition_point(|(i, _)| *i <= run);
        self.pairs[a..b].iter().map(|(_, j)| *j)
    }

    /// Every (run index, entry index) pair.
    pub fn pairs(&self) -> &[(usize, usize)] {
        &self.pairs
    }
}

/// The index of the run `p` belongs to, if any. `index` maps run ids to their index in `runs`;
/// an entry linked to a run that is not in `runs` (outside a reviewed window) belongs to none
/// of them.
pub fn owner(runs: &[Run], index: &IdMap<usize>, p: &Pain) -> Option<usize> {
    if let Some(id) = p.run_id {
        return index.get(&id).copied();
    }
    let hours = if p.when == Some(Timing::NextDay) {
        th::BELONGS_NEXT_DAY_HOURS
    } else {
        th::BELONGS_HOURS
    };
    let ended_from = p.at - Duration::hours(hours);
    let started_from = ended_from - Duration::hours(LONGEST_RUN_HOURS);
    let before = runs.partition_point(|r| r.start <= p.at);
    runs[..before]
        .iter()
        .enumerate()
        .rev()
        .take_while(|(_, r)| r.start >= started_from)
        .find(|(_, r)| r.end() >= ended_from)
        .map(|(i, _)| i)
}

/// Whether an entry of `run` is next-day pain: logged `--when next-day`, or not timed and
/// logged 12 h or more after the run ended.
pub fn is_next_day(run: &Run, p: &Pain) -> bool {
    match p.when {
        Some(Timing::NextDay) => true,
        None => p.at - run.end() >= Duration::hours(th::NEXT_DAY_AFTER_HOURS),
        Some(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;

    fn owners(runs: &[Run], pain: &[Pain]) -> Vec<Option<usize>> {
        let index: IdMap<usize> = runs.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
        pain.iter().map(|p| owner(runs, &index, p)).collect()
    }

    #[test]
    fn an_unlinked_entry_belongs_to_the_run_that_ended_at_most_24_hours_before() {
        let d = data(vec![run(3, 10.0)], vec![]);
        let r = &d.runs[0];
        let at = |h: i64, m: i64| pain(r.end() + Duration::hours(h) + Duration::minutes(m), 4);
        // A 10 km run lasts 55 min: 30 min before its end is during it.
        let entries = [at(24, 0), at(24, 1), at(23, 59), at(0, -30)];
        assert_eq!(owners(&d.runs, &entries), [Some(0), None, Some(0), Some(0)]);
        // Before the run started: not its entry; at its start (a run logged now): its entry.
        let before = pain(r.start - Duration::minutes(1), 4);
        let at_start = pain(r.start, 4);
        assert_eq!(owners(&d.runs, &[before, at_start]), [None, Some(0)]);
    }

    #[test]
    fn a_next_day_entry_belongs_for_36_hours() {
        let d = data(vec![run(3, 10.0)], vec![]);
        let r = &d.runs[0];
        let mut p = pain(r.end() + Duration::hours(36), 4);
        p.when = Some(Timing::NextDay);
        let mut late = p.clone();
        late.at += Duration::minutes(1);
        let mut after = p.clone();
        after.when = Some(Timing::After);
        assert_eq!(owners(&d.runs, &[p, late, after]), [Some(0), None, None]);
    }

    #[test]
    fn a_linked_entry_belongs_to_its_run_only_and_an_entry_to_one_run() {
        // Run 1 three days ago, run 2 yesterday; an entry linked to run 1 logged after run 2.
        let d = data(vec![run(3, 10.0), run(1, 8.0)], vec![]);
        let mut linked = pain(d.runs[1].end() + Duration::hours(1), 6);
        linked.run_id = Some(d.runs[0].id);
        let unlinked = pain(d.runs[1].end() + Duration::hours(1), 6);
        assert_eq!(owners(&d.runs, &[linked.clone(), unlinked]), [Some(0), Some(1)]);
        let b = Belonging::new(&d.runs, &[linked]);
        assert_eq!(b.of(0).collect::<Vec<_>>(), [0]);
        assert_eq!(b.of(1).count(), 0, "not counted against the next run");
        // A link to a run outside the runs read belongs to none of them.
        let mut elsewhere = pain(d.runs[1].end(), 6);
        elsewhere.run_id = Some(99);
        assert_eq!(owners(&d.runs, &[elsewhere]), [None]);
    }

    #[test]
    fn the_latest_run_that_qualifies_wins() {
        // Two runs on one day: an entry after both belongs to the later one only.
        let mut morning = run(1, 5.0);
        morning.start = day(1);
        let mut evening = run(1, 5.0);
        evening.start = day(1) + Duration::hours(10);
        let d = data(vec![morning, evening], vec![]);
        let p = pain(d.runs[1].end() + Duration::hours(1), 5);
        let between = pain(d.runs[0].end() + Duration::hours(1), 5);
        assert_eq!(owners(&d.runs, &[p, between]), [Some(1), Some(0)]);
    }

    #[test]
    fn next_day_pain_is_timed_next_day_or_untimed_12_hours_on() {
        let r = run(3, 10.0);
        let mut p = pain(r.end() + Duration::hours(12), 3);
        assert!(is_next_day(&r, &p));
        p.at = r.end() + Duration::hours(11) + Duration::minutes(59);
        assert!(!is_next_day(&r, &p));
        p.when = Some(Timing::NextDay);
        assert!(is_next_day(&r, &p));
        p.at = r.end() + Duration::hours(20);
        p.when = Some(Timing::Night);
        assert!(!is_next_day(&r, &p), "timed otherwise");
    }
}
