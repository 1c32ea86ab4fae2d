//! Insights: mean pain after runs with and without a factor, from the runner's own log.
//!
//! Only runs with pain logged after them count (nothing logged is unknown, not zero), and only
//! runs whose factor is known. A comparison is made when each side has at least three runs.
//! These are associations in one person's log, never causes.

use serde::Serialize;

use super::History;
use crate::model::{IdMap, Run};
use crate::shoes::NEARING_SHARE;

/// A factor whose runs are compared with the others.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Factor {
    /// No warm-up before the run.
    NoWarmup,
    /// No stretch after it.
    NoStretch,
    /// On concrete or asphalt.
    HardSurface,
    /// In shoes at 80 % of their limit or more once the run was done.
    WornShoes,
}

impl Factor {
    pub const ALL: [Factor; 4] = [
        Factor::NoWarmup,
        Factor::NoStretch,
        Factor::HardSurface,
        Factor::WornShoes,
    ];
}

/// One side of a comparison.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Group {
    pub runs: usize,
    pub mean_pain: f64,
}

/// Mean pain after runs with a risk factor against runs without it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Insight {
    pub factor: Factor,
    /// Runs with the factor (e.g. no warm-up).
    pub with: Group,
    /// Runs without it (e.g. with a warm-up).
    pub without: Group,
    /// `with.mean_pain - without.mean_pain`.
    pub difference: f64,
}

/// Whether a run has the factor: `Some(true)` with, `Some(false)` without, `None` unknown.
fn has(factor: Factor, r: &Run, worn: &IdMap<bool>) -> Option<bool> {
    match factor {
        Factor::NoWarmup => r.warmup.map(|w| !w),
        Factor::NoStretch => r.stretch.map(|s| !s),
        Factor::HardSurface => r.surface.map(|s| s.is_hard()),
        Factor::WornShoes => worn.get(&r.id).copied(),
    }
}

/// For every run in a pair, whether the pair was at 80 % of its limit or more once that run
/// was done. Counts every run in the store, so `--since` does not make old shoes look new.
fn worn_at_the_time(h: &History) -> IdMap<bool> {
    let mut distance: IdMap<f64> = IdMap::default();
    let mut worn = IdMap::default();
    let mut runs: Vec<&Run> = h.data.runs.iter().filter(|r| r.shoe_id.is_some()).collect();
    if !runs.is_sorted_by_key(|r| r.start) {
        runs.sort_by_key(|r| r.start);
    }
    for r in runs {
        let Some(shoe) = r.shoe_id.and_then(|id| h.data.shoe(id)) else {
            continue;
        };
        let d = distance.entry(shoe.id).or_insert(shoe.start_m);
        *d += r.distance_m;
        let limit = crate::shoes::limit_of(shoe, h.data);
        worn.insert(r.id, *d >= NEARING_SHARE * limit);
    }
    worn
}

pub fn insights(h: &History) -> Vec<Insight> {
    let worn = worn_at_the_time(h);
    // (sum, count) for with / without, per factor.
    let mut sums = [[(0.0f64, 0usize); 2]; Factor::ALL.len()];
    for r in h.runs.iter() {
        let Some(level) = h.pain_after(r) else { continue };
        for (i, f) in Factor::ALL.iter().enumerate() {
            if let Some(with) = has(*f, r, &worn) {
                let slot = &mut sums[i][usize::from(!with)];
                slot.0 += level as f64;
                slot.1 += 1;
            }
        }
    }
    let group = |(sum, runs): (f64, usize)| Group {
        runs,
        mean_pain: sum / runs as f64,
    };
    Factor::ALL
        .iter()
        .zip(sums)
        .filter(|(_, [w, wo])| w.1 >= h.t.insight_min_runs && wo.1 >= h.t.insight_min_runs)
        .map(|(f, [w, wo])| {
            let (with, without) = (group(w), group(wo));
            Insight {
                factor: *f,
                difference: with.mean_pain - without.mean_pain,
                with,
                without,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;
    use chrono::Duration;

    /// Runs alternating warm-up yes/no with pain after each, `n` of each kind.
    fn log(n: usize, with_pain: u8, without_pain: u8) -> crate::model::Data {
        let mut runs = Vec::new();
        let mut entries = Vec::new();
        for i in 0..(2 * n) {
            let mut r = run(3 * i as i64 + 1, 6.0);
            let skipped = i % 2 == 0;
            r.warmup = Some(!skipped);
            entries.push(pain(
                r.end() + Duration::hours(1),
                if skipped { with_pain } else { without_pain },
            ));
            runs.push(r);
        }
        // A run with no pain logged and unknown warm-up: counted nowhere.
        runs.push(run(100, 5.0));
        data(runs, entries)
    }

    #[test]
    fn shown_only_with_three_runs_on_each_side() {
        let d = log(3, 5, 2);
        let all = insights(&history(&d));
        assert_eq!(all.len(), 1, "{all:?}");
        let i = &all[0];
        assert_eq!(i.factor, Factor::NoWarmup);
        assert_eq!((i.with.runs, i.without.runs), (3, 3));
        assert_eq!((i.with.mean_pain, i.without.mean_pain, i.difference), (5.0, 2.0, 3.0));
        assert!(insights(&history(&log(2, 5, 2))).is_empty(), "two a side is too few");
        assert!(insights(&history(&data(vec![], vec![]))).is_empty());
    }

    #[test]
    fn runs_without_pain_logged_do_not_count_as_zero() {
        let mut d = log(3, 5, 2);
        for i in 0..5 {
            let mut r = run(200 + i, 5.0);
            r.warmup = Some(true);
            d.add_run(r);
        }
        let i = &insights(&history(&d))[0];
        assert_eq!(i.without.runs, 3);
        assert_eq!(i.without.mean_pain, 2.0);
    }
}
