//! Habits around each run: warm-up, stretch, shoes and surface.
//!
//! An unanswered warm-up or stretch question is unknown, never "skipped": only runs with a
//! known answer count, and the window must be full before a habit is flagged.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use super::thresholds::at_least;
use super::{Flag, History, Severity};
use crate::model::Run;
use crate::shoes::{self, ShoeStatus};

/// `warmup-skipped`: either one run without a warm-up (info), or the habit (warn).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WarmupSkipped {
    /// The one run this is about (the latest, or the one just logged); `None` for the habit.
    pub run_id: Option<u64>,
    #[serde(serialize_with = "crate::model::when::serialize_rfc3339_opt")]
    pub run_at: Option<DateTime<FixedOffset>>,
    pub distance_m: Option<f64>,
    /// The habit: of the last `known_runs` runs with an answer, `skipped` had no warm-up.
    pub skipped: Option<usize>,
    pub known_runs: Option<usize>,
    pub share: Option<f64>,
    pub threshold: Option<f64>,
    /// The runs without a warm-up counted, newest first.
    pub run_ids: Vec<u64>,
}

/// `stretch-skipped`: of the last `known_runs` runs with an answer, `skipped` had no stretch.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StretchSkipped {
    pub skipped: usize,
    pub known_runs: usize,
    pub share: f64,
    pub threshold: f64,
}

/// How worn a flagged pair is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Wear {
    /// At 80 % of its limit or more.
    Nearing,
    /// At its limit or past it.
    Replace,
}

/// `shoe-worn`: one pair in use nearing or past its limit.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ShoeWorn {
    pub shoe_id: u64,
    pub name: String,
    pub distance_m: f64,
    pub limit_m: f64,
    /// `distance_m / limit_m`.
    pub share: f64,
    pub status: Wear,
}

/// `shoe-rotation`: every run of the last `weeks` weeks that names a pair names this one.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ShoeRotation {
    pub shoe_id: u64,
    /// `None` when the pair is no longer in the store.
    pub name: Option<String>,
    pub weeks: i64,
    /// Runs in each week, newest week first.
    pub runs_per_week: Vec<usize>,
}

/// `hard-surface`: the share of the last `days` days' distance with a known surface that was
/// on concrete or asphalt.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HardSurface {
    pub hard_m: f64,
    pub known_surface_m: f64,
    pub share: f64,
    pub days: i64,
    pub threshold: f64,
}

/// The last `n` runs with a known answer, newest first, and how many of them said no.
fn last_known<'h>(h: &'h History, n: usize, answer: impl Fn(&Run) -> Option<bool>) -> (Vec<&'h Run>, usize) {
    let known: Vec<&Run> = h.runs.iter().rev().filter(|r| answer(r).is_some()).take(n).collect();
    let no = known.iter().filter(|r| answer(r) == Some(false)).count();
    (known, no)
}

pub fn warmup_skipped(h: &History) -> Option<Flag> {
    let n = h.t.warmup_window_runs;
    let (known, skipped) = last_known(h, n, |r| r.warmup);
    let share = skipped as f64 / known.len().max(1) as f64;
    if known.len() == n && at_least(share, h.t.warmup_skip_share) {
        let evidence = WarmupSkipped {
            run_id: None,
            run_at: None,
            distance_m: None,
            skipped: Some(skipped),
            known_runs: Some(n),
            share: Some(share),
            threshold: Some(h.t.warmup_skip_share),
            run_ids: known.iter().filter(|r| r.warmup == Some(false)).map(|r| r.id).collect(),
        };
        return Some(Flag::new(Severity::Warn, evidence));
    }
    h.runs.last().filter(|r| r.warmup == Some(false)).map(skipped_this_run)
}

/// The info-level note about one run that had no warm-up.
pub fn skipped_this_run(r: &Run) -> Flag {
    let evidence = WarmupSkipped {
        run_id: Some(r.id),
        run_at: Some(r.start),
        distance_m: Some(r.distance_m),
        skipped: None,
        known_runs: None,
        share: None,
        threshold: None,
        run_ids: vec![r.id],
    };
    Flag::new(Severity::Info, evidence)
}

pub fn stretch_skipped(h: &History) -> Option<Flag> {
    let n = h.t.stretch_window_runs;
    let (known, skipped) = last_known(h, n, |r| r.stretch);
    let share = skipped as f64 / known.len().max(1) as f64;
    if known.len() < n || !at_least(share, h.t.stretch_skip_share) {
        return None;
    }
    let evidence = StretchSkipped {
        skipped,
        known_runs: n,
        share,
        threshold: h.t.stretch_skip_share,
    };
    Some(Flag::new(Severity::Info, evidence))
}

/// One flag per pair in use that is nearing (info) or past (warn) its limit. Mileage counts
/// every run, whatever `--since` says: the pair wore out all the same.
pub fn shoe_worn(h: &History) -> Vec<Flag> {
    shoes::summaries(h.data, h.today())
        .iter()
        .filter(|s| !s.shoe.retired)
        .filter_map(|s| {
            let (severity, status) = match s.status {
                ShoeStatus::Nearing => (Severity::Info, Wear::Nearing),
                ShoeStatus::Replace => (Severity::Warn, Wear::Replace),
                _ => return None,
            };
            let evidence = ShoeWorn {
                shoe_id: s.shoe.id,
                name: s.shoe.name.clone(),
                distance_m: s.distance_m,
                limit_m: s.limit_m,
                share: s.share(),
                status,
            };
            Some(Flag::new(severity, evidence))
        })
        .collect()
}

/// Whether `run` took its pair over the threshold `e` reports (without it, the pair was in a
/// lower band), so the flag is news about this run rather than a standing state.
pub fn shoe_pushed_over_by(e: &ShoeWorn, run: &Run) -> bool {
    run.shoe_id == Some(e.shoe_id) && {
        let before = ShoeStatus::for_distance(e.distance_m - run.distance_m, e.limit_m);
        let now = ShoeStatus::for_distance(e.distance_m, e.limit_m);
        before < now
    }
}

/// Every run of the last weeks that names a pair names the same one, with enough runs in
/// each week. Runs with no pair are unknown and ignored.
pub fn shoe_rotation(h: &History) -> Option<Flag> {
    let weeks = h.t.rotation_weeks;
    let runs = h.runs_in_last(weeks * 7);
    let mut pair = None;
    let mut per_week = vec![0usize; weeks as usize];
    for r in runs {
        let Some(id) = r.shoe_id else { continue };
        if pair.is_some_and(|p| p != id) {
            return None;
        }
        pair = Some(id);
        let week = ((h.now - r.start).num_days().max(0) / 7).min(weeks - 1) as usize;
        per_week[week] += 1;
    }
    let pair = pair?;
    if per_week.iter().any(|&n| n < h.t.rotation_runs_per_week) {
        return None;
    }
    let evidence = ShoeRotation {
        shoe_id: pair,
        name: h.data.shoe(pair).map(|s| s.name.clone()),
        weeks,
        runs_per_week: per_week,
    };
    Some(Flag::new(Severity::Info, evidence))
}

/// Info only: the research evidence for surfaces is very weak.
pub fn hard_surface(h: &History) -> Option<Flag> {
    let days = h.t.hard_surface_days;
    let (mut hard, mut known) = (0.0, 0.0);
    for r in h.runs_in_last(days) {
        if let Some(s) = r.surface {
            known += r.distance_m;
            if s.is_hard() {
                hard += r.distance_m;
            }
        }
    }
    if known <= 0.0 {
        return None;
    }
    let share = hard / known;
    if !at_least(share, h.t.hard_surface_share) {
        return None;
    }
    let evidence = HardSurface {
        hard_m: hard,
        known_surface_m: known,
        share,
        days,
        threshold: h.t.hard_surface_share,
    };
    Some(Flag::new(Severity::Info, evidence))
}

/// Whether `run` tipped the hard-surface share over its threshold: a hard run in the window
/// without which the share would have been below it (or there would have been no share).
pub fn hard_surface_tipped_by(h: &History, e: &HardSurface, run: &Run) -> bool {
    let in_window = run.start >= h.now - chrono::Duration::days(e.days);
    if !in_window || !run.surface.is_some_and(|s| s.is_hard()) {
        return false;
    }
    let known = e.known_surface_m - run.distance_m;
    known <= 0.0 || !at_least((e.hard_m - run.distance_m) / known, e.threshold)
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;
    use crate::model::{Shoe, Surface};

    fn with_warmups(answers: &[Option<bool>]) -> crate::model::Data {
        // Oldest first, one run a day, the last answer is today's run.
        let n = answers.len() as i64;
        let runs = answers
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let mut r = run(n - 1 - i as i64, 5.0);
                r.warmup = *a;
                r.stretch = *a;
                r
            })
            .collect();
        data(runs, vec![])
    }

    /// `skipped` noes then yeses, oldest first: the latest run has a warm-up, so only the habit
    /// can fire.
    fn pattern(skipped: usize, known: usize) -> Vec<Option<bool>> {
        let mut out = vec![Some(false); skipped];
        out.extend(vec![Some(true); known - skipped]);
        out
    }

    #[test]
    fn warmup_habit_at_just_below_and_above_30_percent() {
        let d = with_warmups(&pattern(3, 10));
        let f = warmup_skipped(&history(&d)).expect("3 of 10 is 30 %");
        assert_eq!(f.severity, Severity::Warn);
        let e = evidence!(f, WarmupSkipped);
        assert_eq!((e.skipped, e.known_runs, e.run_id), (Some(3), Some(10), None));
        assert!(close(e.share.unwrap(), 0.3) && close(e.threshold.unwrap(), 0.3));
        assert_eq!(e.run_ids.len(), 3);
        let d = with_warmups(&pattern(2, 10));
        assert_eq!(warmup_skipped(&history(&d)), None, "2 of 10 is below");
        let d = with_warmups(&pattern(4, 10));
        assert_eq!(warmup_skipped(&history(&d)).unwrap().severity, Severity::Warn);
    }

    #[test]
    fn unknown_warm_ups_are_not_skipped_and_a_short_history_is_no_habit() {
        // Nine known answers, all skipped, with unknowns in between: too few to call a habit,
        // and the latest run (unknown) is not a skipped warm-up.
        let mut answers = vec![Some(false); 9];
        answers.extend(vec![None; 5]);
        let d = with_warmups(&answers);
        assert_eq!(warmup_skipped(&history(&d)), None);
        let d = with_warmups(&[None; 20]);
        assert_eq!(warmup_skipped(&history(&d)), None);
        let d = with_warmups(&[]);
        assert_eq!(warmup_skipped(&history(&d)), None);
    }

    #[test]
    fn the_latest_run_without_a_warm_up_is_an_info() {
        let mut answers = vec![Some(true); 9];
        answers.push(Some(false));
        let d = with_warmups(&answers);
        let f = warmup_skipped(&history(&d)).unwrap();
        assert_eq!(f.severity, Severity::Info);
        // Ten known, one skipped: still only the info.
        let e = evidence!(f, WarmupSkipped);
        assert_eq!(e.run_id, Some(d.runs[9].id));
        assert_eq!(e.run_at, Some(d.runs[9].start));
        assert_eq!(e.distance_m, Some(5000.0));
        assert_eq!(e.skipped, None);
    }

    #[test]
    fn stretch_habit_at_just_below_and_above_50_percent() {
        let f = stretch_skipped(&history(&with_warmups(&pattern(5, 10)))).expect("5 of 10");
        let e = evidence!(f, StretchSkipped);
        assert_eq!((e.skipped, e.known_runs), (5, 10));
        assert!(close(e.share, 0.5));
        assert!(stretch_skipped(&history(&with_warmups(&pattern(4, 10)))).is_none());
        assert!(stretch_skipped(&history(&with_warmups(&pattern(6, 10)))).is_some());
        assert!(
            stretch_skipped(&history(&with_warmups(&pattern(5, 9)))).is_none(),
            "9 known"
        );
        let mut unknown = pattern(4, 10);
        unknown.push(None);
        unknown.push(None);
        assert!(stretch_skipped(&history(&with_warmups(&unknown))).is_none());
    }

    fn shoe(limit_km: f64) -> Shoe {
        Shoe {
            id: 0,
            name: "Ghost".into(),
            start_m: 0.0,
            limit_m: Some(limit_km * 1000.0),
            default: true,
            retired: false,
            added: None,
            removed: false,
        }
    }

    fn worn(km: f64, retired: bool) -> Vec<Flag> {
        let mut d = data(vec![], vec![]);
        let mut s = shoe(100.0);
        s.retired = retired;
        let id = d.add_shoe(s);
        let mut r = run(1, km);
        r.shoe_id = Some(id);
        d.add_run(r);
        shoe_worn(&history(&d))
    }

    #[test]
    fn shoe_worn_at_80_and_100_percent() {
        assert!(worn(79.9, false).is_empty());
        assert_eq!(worn(80.0, false)[0].severity, Severity::Info);
        let e = evidence!(worn(99.9, false)[0], ShoeWorn);
        assert_eq!(e.status, Wear::Nearing);
        assert!(close(e.distance_m, 99_900.0) && close(e.limit_m, 100_000.0) && close(e.share, 0.999));
        assert_eq!(e.name, "Ghost");
        assert_eq!(worn(100.0, false)[0].severity, Severity::Warn);
        assert_eq!(evidence!(worn(100.1, false)[0], ShoeWorn).status, Wear::Replace);
        assert!(worn(150.0, true).is_empty(), "retired pairs are not flagged");
        assert!(shoe_worn(&history(&data(vec![], vec![]))).is_empty());
        // Runs logged without a pair do not wear any pair.
        let mut d = data(vec![run(1, 150.0)], vec![]);
        d.add_shoe(shoe(100.0));
        assert!(shoe_worn(&history(&d)).is_empty());
    }

    fn rotation(runs_per_week: &[usize], second_pair_in_week: Option<usize>) -> Option<Flag> {
        let mut d = data(vec![], vec![]);
        let a = d.add_shoe(shoe(800.0));
        let b = d.add_shoe(shoe(800.0));
        for (week, &n) in runs_per_week.iter().enumerate() {
            for i in 0..n {
                let mut r = run(week as i64 * 7 + i as i64, 5.0);
                r.shoe_id = Some(if second_pair_in_week == Some(week) && i == 0 {
                    b
                } else {
                    a
                });
                d.add_run(r);
            }
        }
        shoe_rotation(&history(&d))
    }

    #[test]
    fn rotation_needs_three_runs_a_week_for_four_weeks_on_one_pair() {
        let f = rotation(&[3, 3, 3, 3], None).expect("four weeks of three");
        let e = evidence!(f, ShoeRotation);
        assert_eq!((e.weeks, e.runs_per_week.clone()), (4, vec![3, 3, 3, 3]));
        assert_eq!(e.name.as_deref(), Some("Ghost"));
        assert!(rotation(&[3, 3, 3, 2], None).is_none(), "too few in the oldest week");
        assert!(rotation(&[3, 3, 3], None).is_none(), "three weeks of history");
        assert!(rotation(&[4, 4, 4, 4], Some(2)).is_none(), "two pairs rotated");
        assert!(rotation(&[5, 4, 3, 6], None).is_some());
        // Runs with no pair named are unknown, not a rotation.
        let d = data((0..28).map(|i| run(i, 5.0)).collect(), vec![]);
        assert!(shoe_rotation(&history(&d)).is_none());
    }

    fn surfaces(hard_km: f64, soft_km: f64, unknown_km: f64) -> Option<Flag> {
        let mut hard = run(3, hard_km);
        hard.surface = Some(Surface::Concrete);
        let mut soft = run(2, soft_km);
        soft.surface = Some(Surface::Trail);
        let unknown = run(1, unknown_km);
        let mut old = run(40, 50.0);
        old.surface = Some(Surface::Grass);
        hard_surface(&history(&data(vec![hard, soft, unknown, old], vec![])))
    }

    #[test]
    fn hard_surface_at_just_below_and_above_half_and_never_a_warning() {
        let f = surfaces(5.0, 5.0, 20.0).expect("exactly half");
        assert_eq!(f.severity, Severity::Info);
        let e = evidence!(f, HardSurface);
        assert!(close(e.share, 0.5) && close(e.hard_m, 5000.0) && close(e.known_surface_m, 10_000.0));
        assert_eq!(e.days, 28);
        assert!(surfaces(4.99, 5.01, 0.0).is_none());
        assert!(surfaces(5.01, 4.99, 0.0).is_some());
        assert!(surfaces(10.0, 0.1, 0.0).unwrap().severity == Severity::Info);
        assert!(
            hard_surface(&history(&data(vec![run(1, 5.0)], vec![]))).is_none(),
            "unknown surface"
        );
        assert!(hard_surface(&history(&data(vec![], vec![]))).is_none(), "no runs");
        let mut old = run(29, 10.0);
        old.surface = Some(Surface::Asphalt);
        assert!(
            hard_surface(&history(&data(vec![old], vec![]))).is_none(),
            "older than 28 days"
        );
    }

    #[test]
    fn a_run_pushes_a_pair_over_a_threshold_only_when_it_crosses_it() {
        let mut d = data(vec![], vec![]);
        let id = d.add_shoe(shoe(100.0));
        let mut first = run(2, 78.0);
        first.shoe_id = Some(id);
        d.add_run(first);
        let mut second = run(1, 3.0);
        second.shoe_id = Some(id);
        let rid = d.add_run(second);
        let f = &shoe_worn(&history(&d))[0];
        let e = evidence!(f, ShoeWorn);
        let second = d.run(rid).unwrap();
        assert!(shoe_pushed_over_by(&e, second), "78 → 81 km crosses 80 %");
        let mut third = run(0, 3.0);
        third.shoe_id = Some(id);
        let tid = d.add_run(third);
        let e = evidence!(shoe_worn(&history(&d))[0], ShoeWorn);
        assert!(
            !shoe_pushed_over_by(&e, d.run(tid).unwrap()),
            "81 → 84 km stays nearing"
        );
        let other = run(0, 50.0);
        assert!(!shoe_pushed_over_by(&e, &other), "a run in no pair");
    }

    #[test]
    fn a_hard_run_tips_the_surface_share_only_from_below() {
        let mut soft = run(3, 5.0);
        soft.surface = Some(Surface::Grass);
        let mut hard = run(1, 5.0);
        hard.surface = Some(Surface::Asphalt);
        let d = data(vec![soft, hard], vec![]);
        let h = history(&d);
        let e = evidence!(hard_surface(&h).unwrap(), HardSurface);
        assert!(hard_surface_tipped_by(&h, &e, &d.runs[1]), "0 % → 50 %");
        assert!(!hard_surface_tipped_by(&h, &e, &d.runs[0]), "a soft run tips nothing");
        let mut again = run(0, 5.0);
        again.surface = Some(Surface::Concrete);
        let mut d = d.clone();
        let id = d.add_run(again);
        let h = history(&d);
        let e = evidence!(hard_surface(&h).unwrap(), HardSurface);
        assert!(
            !hard_surface_tipped_by(&h, &e, d.run(id).unwrap()),
            "50 % → 67 %: already over"
        );
        let mut only = run(0, 5.0);
        only.surface = Some(Surface::Concrete);
        let d = data(vec![only], vec![]);
        let h = history(&d);
        let e = evidence!(hard_surface(&h).unwrap(), HardSurface);
        assert!(
            hard_surface_tipped_by(&h, &e, &d.runs[0]),
            "the first run with a surface"
        );
    }
}
