//! Habits around each run: warm-up, stretch, shoes and surface.
//!
//! An unanswered warm-up or stretch question is unknown, never "skipped": only runs with a
//! known answer count, and the window must be full before a habit is flagged.

use serde_json::json;

use super::thresholds::at_least;
use super::{Flag, History, Severity};
use crate::model::Run;
use crate::output::views::round;
use crate::shoes::{self, ShoeStatus};

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
        let message = format!(
            "you skipped the warm-up before {skipped} of your last {n} runs with an answer; in a study of 800 \
             marathon runners, too little warm-up went with 2.6 times the odds of low back pain (an association, \
             not proof)"
        );
        let evidence = json!({
            "skipped": skipped,
            "known_runs": n,
            "share": round(share, 3),
            "threshold": h.t.warmup_skip_share,
            "run_ids": known.iter().filter(|r| r.warmup == Some(false)).map(|r| r.id).collect::<Vec<_>>(),
        });
        return Some(Flag::new("warmup-skipped", Severity::Warn, message, evidence));
    }
    h.runs
        .last()
        .filter(|r| r.warmup == Some(false))
        .map(|r| skipped_this_run(h, r))
}

/// The info-level note about one run that had no warm-up.
pub fn skipped_this_run(h: &History, r: &Run) -> Flag {
    let message = format!(
        "no warm-up before the run of {} ({}); a few minutes of dynamic warm-up readies the back for the impact",
        r.start.format("%Y-%m-%d"),
        h.dist(r.distance_m)
    );
    Flag::new(
        "warmup-skipped",
        Severity::Info,
        message,
        json!({ "run_id": r.id, "date": r.start.format("%Y-%m-%d").to_string() }),
    )
}

pub fn stretch_skipped(h: &History) -> Option<Flag> {
    let n = h.t.stretch_window_runs;
    let (known, skipped) = last_known(h, n, |r| r.stretch);
    let share = skipped as f64 / known.len().max(1) as f64;
    if known.len() < n || !at_least(share, h.t.stretch_skip_share) {
        return None;
    }
    let message = format!(
        "no stretch after {skipped} of your last {n} runs with an answer; static stretches after running help keep \
         the lower back from stiffening"
    );
    let evidence = json!({
        "skipped": skipped,
        "known_runs": n,
        "share": round(share, 3),
        "threshold": h.t.stretch_skip_share,
    });
    Some(Flag::new("stretch-skipped", Severity::Info, message, evidence))
}

/// One flag per pair in use that is nearing (info) or past (warn) its limit. Mileage counts
/// every run, whatever `--since` says: the pair wore out all the same.
pub fn shoe_worn(h: &History) -> Vec<Flag> {
    shoes::summaries(h.data, h.today())
        .iter()
        .filter(|s| !s.shoe.retired)
        .filter_map(|s| {
            let (severity, wording) = match s.status {
                ShoeStatus::Nearing => (Severity::Info, "is nearing its limit"),
                ShoeStatus::Replace => (Severity::Warn, "has reached its limit: time to replace it"),
                _ => return None,
            };
            let message = format!(
                "{} {wording} ({} of {}, {:.0} %); cushioning wears down with distance",
                s.shoe.name,
                h.dist(s.distance_m),
                h.dist(s.limit_m),
                s.share() * 100.0
            );
            let evidence = json!({
                "shoe_id": s.shoe.id,
                "name": s.shoe.name,
                "distance_m": round(s.distance_m, 1),
                "limit_m": round(s.limit_m, 1),
                "share": round(s.share(), 3),
                "status": s.status.as_str(),
            });
            Some(Flag::new("shoe-worn", severity, message, evidence))
        })
        .collect()
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
    let name = h.data.shoe(pair).map_or("one pair".to_string(), |s| s.name.clone());
    let message = format!(
        "every run of the last {weeks} weeks was in {name}; runners who rotated two or more pairs had fewer \
         injuries in one trial (hazard ratio 0.61)"
    );
    // Newest week first.
    let evidence = json!({ "shoe_id": pair, "name": name, "weeks": weeks, "runs_per_week": per_week });
    Some(Flag::new("shoe-rotation", Severity::Info, message, evidence))
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
    let message = format!(
        "{:.0} % of your last {days} days' distance was on concrete or asphalt; softer ground such as grass or \
         dirt paths may be kinder to the back, though the research on surfaces is weak",
        share * 100.0
    );
    let evidence = json!({
        "hard_m": round(hard, 1),
        "known_surface_m": round(known, 1),
        "share": round(share, 3),
        "days": days,
        "threshold": h.t.hard_surface_share,
    });
    Some(Flag::new("hard-surface", Severity::Info, message, evidence))
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
        assert_eq!(ev(&f, "skipped"), 3.0);
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
        assert_eq!(f.evidence["run_id"], d.runs[9].id);
    }

    #[test]
    fn stretch_habit_at_just_below_and_above_50_percent() {
        assert!(stretch_skipped(&history(&with_warmups(&pattern(5, 10)))).is_some());
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
        assert_eq!(worn(99.9, false)[0].evidence["status"], "nearing");
        assert_eq!(worn(100.0, false)[0].severity, Severity::Warn);
        assert_eq!(worn(100.1, false)[0].evidence["status"], "replace");
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
        assert!(rotation(&[3, 3, 3, 3], None).is_some());
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
        assert_eq!(ev(&f, "share"), 0.5);
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
}
