//! Weekly totals over the history: one row per ISO week (Monday to Sunday) in the runner's
//! local time, oldest first, with empty weeks kept as zeros so gaps stay visible.
//!
//! Pure: the caller passes the time zone and "today", so the week boundaries can be tested
//! without a clock.

use chrono::{Datelike, Duration as ChronoDuration, NaiveDate, TimeZone};

use crate::model::Data;

/// What one week (or a whole window, see [`total`]) adds up to.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Week {
    /// The Monday the week starts on.
    pub start: NaiveDate,
    pub distance_m: f64,
    pub runs: usize,
    pub duration_s: u64,
    /// Distance on concrete or asphalt.
    pub hard_m: f64,
    /// Distance whose surface was recorded: the denominator of the hard share.
    pub known_surface_m: f64,
    pub warmups: usize,
    /// Runs where the warm-up question was answered, yes or no.
    pub warmup_known: usize,
    pub stretches: usize,
    /// Runs where the stretch question was answered, yes or no.
    pub stretch_known: usize,
    pub pain_sum: u32,
    pub pain_count: usize,
    pub pain_max: Option<u8>,
}

impl Week {
    fn empty(start: NaiveDate) -> Week {
        Week {
            start,
            ..Week::default()
        }
    }

    /// "2026-W48": the ISO year can differ from the calendar year of `start` (2025-12-29 is 2026-W01).
    pub fn label(&self) -> String {
        let w = self.start.iso_week();
        format!("{}-W{:02}", w.year(), w.week())
    }

    /// Seconds per kilometre over the whole week; `None` without distance.
    pub fn pace_s_per_km(&self) -> Option<f64> {
        (self.distance_m > 0.0).then(|| self.duration_s as f64 / (self.distance_m / 1000.0))
    }

    /// Share of the distance with a known surface that was on a hard one, 0 to 1.
    pub fn hard_share(&self) -> Option<f64> {
        (self.known_surface_m > 0.0).then(|| self.hard_m / self.known_surface_m)
    }

    /// Share of the answered runs that had a warm-up, 0 to 1.
    pub fn warmup_rate(&self) -> Option<f64> {
        (self.warmup_known > 0).then(|| self.warmups as f64 / self.warmup_known as f64)
    }

    /// Share of the answered runs that were followed by a stretch, 0 to 1.
    pub fn stretch_rate(&self) -> Option<f64> {
        (self.stretch_known > 0).then(|| self.stretches as f64 / self.stretch_known as f64)
    }

    pub fn pain_mean(&self) -> Option<f64> {
        (self.pain_count > 0).then(|| f64::from(self.pain_sum) / self.pain_count as f64)
    }

    fn add(&mut self, other: &Week) {
        self.distance_m += other.distance_m;
        self.runs += other.runs;
        self.duration_s += other.duration_s;
        self.hard_m += other.hard_m;
        self.known_surface_m += other.known_surface_m;
        self.warmups += other.warmups;
        self.warmup_known += other.warmup_known;
        self.stretches += other.stretches;
        self.stretch_known += other.stretch_known;
        self.pain_sum += other.pain_sum;
        self.pain_count += other.pain_count;
        self.pain_max = self.pain_max.max(other.pain_max);
    }
}

/// The Monday of the ISO week holding `day`.
pub fn monday_of(day: NaiveDate) -> NaiveDate {
    day - ChronoDuration::days(i64::from(day.weekday().num_days_from_monday()))
}

/// The last `weeks` ISO weeks up to and including the one holding `today`, oldest first.
/// Runs and pain entries are placed by their local date in `tz`; anything outside the
/// window is left out.
pub fn weekly<Tz: TimeZone>(data: &Data, tz: &Tz, today: NaiveDate, weeks: u32) -> Vec<Week> {
    let weeks = weeks.max(1);
    let last = monday_of(today);
    let first = last - ChronoDuration::weeks(i64::from(weeks) - 1);
    let mut rows: Vec<Week> = (0..weeks)
        .map(|i| Week::empty(first + ChronoDuration::weeks(i64::from(i))))
        .collect();
    let slot = |day: NaiveDate| -> Option<usize> {
        let monday = monday_of(day);
        if monday < first || monday > last {
            return None;
        }
        usize::try_from((monday - first).num_weeks()).ok()
    };
    for r in &data.runs {
        let Some(i) = slot(r.start.with_timezone(tz).date_naive()) else {
            continue;
        };
        let w = &mut rows[i];
        w.distance_m += r.distance_m;
        w.runs += 1;
        w.duration_s += r.duration_s;
        if let Some(s) = r.surface {
            w.known_surface_m += r.distance_m;
            if s.is_hard() {
                w.hard_m += r.distance_m;
            }
        }
        if let Some(yes) = r.warmup {
            w.warmup_known += 1;
            w.warmups += usize::from(yes);
        }
        if let Some(yes) = r.stretch {
            w.stretch_known += 1;
            w.stretches += usize::from(yes);
        }
    }
    for p in &data.pain {
        let Some(i) = slot(p.at.with_timezone(tz).date_naive()) else {
            continue;
        };
        let w = &mut rows[i];
        w.pain_sum += u32::from(p.level.0);
        w.pain_count += 1;
        w.pain_max = w.pain_max.max(Some(p.level.0));
    }
    rows
}

/// The whole window as one row (its `start` is the first week's Monday).
pub fn total(weeks: &[Week]) -> Week {
    let mut t = Week::empty(weeks.first().map(|w| w.start).unwrap_or_default());
    for w in weeks {
        t.add(w);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Pain, PainLevel, Run, Surface};
    use chrono::{DateTime, FixedOffset, Utc};

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn run(start: &str, km: f64, secs: u64, surface: Option<Surface>, warmup: Option<bool>) -> Run {
        Run {
            surface,
            warmup,
            ..Run::new(at(start), km * 1000.0, secs)
        }
    }

    fn pain(when: &str, level: u8) -> Pain {
        Pain::new(at(when), PainLevel(level))
    }

    fn data(runs: Vec<Run>, pains: Vec<Pain>) -> Data {
        let mut d = Data::default();
        for r in runs {
            d.add_run(r);
        }
        for p in pains {
            d.add_pain(p);
        }
        d
    }

    #[test]
    fn monday_is_the_start_of_the_iso_week() {
        assert_eq!(
            monday_of(day("2026-11-23")),
            day("2026-11-23"),
            "a Monday is its own week start"
        );
        assert_eq!(
            monday_of(day("2026-11-29")),
            day("2026-11-23"),
            "Sunday closes the week"
        );
        assert_eq!(monday_of(day("2026-11-30")), day("2026-11-30"));
    }

    #[test]
    fn window_is_oldest_first_and_ends_this_week_with_gaps_as_zeros() {
        let d = data(vec![run("2026-11-02T07:00:00Z", 10.0, 3000, None, None)], vec![]);
        let weeks = weekly(&d, &Utc, day("2026-11-25"), 5);
        let labels: Vec<String> = weeks.iter().map(Week::label).collect();
        assert_eq!(labels, ["2026-W44", "2026-W45", "2026-W46", "2026-W47", "2026-W48"]);
        assert_eq!(weeks[1].runs, 1);
        for i in [0, 2, 3, 4] {
            assert_eq!(weeks[i].runs, 0);
            assert_eq!(weeks[i].distance_m, 0.0);
            assert_eq!(weeks[i].pace_s_per_km(), None);
        }
    }

    #[test]
    fn runs_outside_the_window_are_left_out() {
        let d = data(
            vec![
                run("2026-11-08T23:59:59Z", 5.0, 1500, None, None), // Sunday before the window
                run("2026-11-09T00:00:00Z", 6.0, 1800, None, None), // Monday, first day in it
            ],
            vec![],
        );
        let weeks = weekly(&d, &Utc, day("2026-11-25"), 3);
        assert_eq!(weeks[0].start, day("2026-11-09"));
        assert_eq!(total(&weeks).runs, 1);
        assert_eq!(weeks[0].distance_m, 6000.0);
    }

    #[test]
    fn a_week_crossing_the_new_year_is_one_iso_week() {
        // 2025-12-29 (Mon) to 2026-01-04 (Sun) is 2026-W01.
        let d = data(
            vec![
                run("2025-12-28T10:00:00Z", 4.0, 1200, None, None), // Sunday: 2025-W52
                run("2025-12-31T10:00:00Z", 5.0, 1500, None, None),
                run("2026-01-02T10:00:00Z", 7.0, 2100, None, None),
            ],
            vec![pain("2026-01-04T20:00:00Z", 3)],
        );
        let weeks = weekly(&d, &Utc, day("2026-01-07"), 3);
        let labels: Vec<String> = weeks.iter().map(Week::label).collect();
        assert_eq!(labels, ["2025-W52", "2026-W01", "2026-W02"]);
        assert_eq!(weeks[1].start, day("2025-12-29"));
        assert_eq!((weeks[0].runs, weeks[1].runs, weeks[2].runs), (1, 2, 0));
        assert_eq!(weeks[1].distance_m, 12_000.0);
        assert_eq!(weeks[1].pain_max, Some(3));
    }

    #[test]
    fn iso_year_53_weeks() {
        // 2026 has 53 ISO weeks: 2026-12-28 is 2026-W53, 2027-01-04 is 2027-W01.
        let weeks = weekly(&Data::default(), &Utc, day("2027-01-04"), 2);
        assert_eq!(weeks[0].label(), "2026-W53");
        assert_eq!(weeks[1].label(), "2027-W01");
    }

    #[test]
    fn the_local_date_decides_the_week() {
        // Sunday 23:30 in UTC is already Monday in UTC+2.
        let d = data(vec![run("2026-11-22T23:30:00Z", 5.0, 1500, None, None)], vec![]);
        let weeks = weekly(&d, &Utc, day("2026-11-25"), 2);
        assert_eq!((weeks[0].runs, weeks[1].runs), (1, 0));
        let plus_two = FixedOffset::east_opt(2 * 3600).unwrap();
        let weeks = weekly(&d, &plus_two, day("2026-11-25"), 2);
        assert_eq!((weeks[0].runs, weeks[1].runs), (0, 1));
    }

    #[test]
    fn pace_is_total_time_over_total_distance() {
        // 5 km in 25:00 and 10 km in 60:00: 85 min over 15 km, not the mean of 5:00 and 6:00.
        let d = data(
            vec![
                run("2026-11-23T07:00:00Z", 5.0, 1500, None, None),
                run("2026-11-24T07:00:00Z", 10.0, 3600, None, None),
            ],
            vec![],
        );
        let w = &weekly(&d, &Utc, day("2026-11-25"), 1)[0];
        assert_eq!(w.duration_s, 5100);
        assert!((w.pace_s_per_km().unwrap() - 340.0).abs() < 1e-9);
    }

    #[test]
    fn hard_share_counts_only_runs_with_a_known_surface() {
        let d = data(
            vec![
                run("2026-11-23T07:00:00Z", 6.0, 1800, Some(Surface::Asphalt), None),
                run("2026-11-24T07:00:00Z", 2.0, 600, Some(Surface::Concrete), None),
                run("2026-11-25T07:00:00Z", 8.0, 2400, Some(Surface::Trail), None),
                run("2026-11-25T17:00:00Z", 20.0, 6000, None, None),
            ],
            vec![],
        );
        let w = &weekly(&d, &Utc, day("2026-11-25"), 1)[0];
        assert_eq!(w.hard_share(), Some(0.5));
        let only_unknown = data(vec![run("2026-11-23T07:00:00Z", 6.0, 1800, None, None)], vec![]);
        assert_eq!(weekly(&only_unknown, &Utc, day("2026-11-25"), 1)[0].hard_share(), None);
        let all_hard = data(
            vec![run("2026-11-23T07:00:00Z", 6.0, 1800, Some(Surface::Concrete), None)],
            vec![],
        );
        assert_eq!(weekly(&all_hard, &Utc, day("2026-11-25"), 1)[0].hard_share(), Some(1.0));
    }

    #[test]
    fn warmup_rate_ignores_unanswered_runs() {
        let d = data(
            vec![
                run("2026-11-23T07:00:00Z", 5.0, 1500, None, Some(true)),
                run("2026-11-24T07:00:00Z", 5.0, 1500, None, Some(false)),
                run("2026-11-24T08:00:00Z", 5.0, 1500, None, Some(false)),
                run("2026-11-25T07:00:00Z", 5.0, 1500, None, Some(true)),
                run("2026-11-25T08:00:00Z", 5.0, 1500, None, None),
            ],
            vec![],
        );
        let w = &weekly(&d, &Utc, day("2026-11-25"), 1)[0];
        assert_eq!((w.warmups, w.warmup_known), (2, 4));
        assert_eq!(w.warmup_rate(), Some(0.5));
        let none = data(vec![run("2026-11-23T07:00:00Z", 5.0, 1500, None, None)], vec![]);
        assert_eq!(weekly(&none, &Utc, day("2026-11-25"), 1)[0].warmup_rate(), None);
    }

    #[test]
    fn stretch_rate_ignores_unanswered_runs() {
        let mut d = data(
            vec![
                run("2026-11-23T07:00:00Z", 5.0, 1500, None, None),
                run("2026-11-24T07:00:00Z", 5.0, 1500, None, None),
                run("2026-11-25T07:00:00Z", 5.0, 1500, None, None),
            ],
            vec![],
        );
        d.runs[0].stretch = Some(true);
        d.runs[1].stretch = Some(false);
        let w = &weekly(&d, &Utc, day("2026-11-25"), 1)[0];
        assert_eq!((w.stretches, w.stretch_known), (1, 2));
        assert_eq!(w.stretch_rate(), Some(0.5));
        assert_eq!(total(std::slice::from_ref(w)).stretch_rate(), Some(0.5));
        d.runs[0].stretch = None;
        d.runs[1].stretch = None;
        assert_eq!(weekly(&d, &Utc, day("2026-11-25"), 1)[0].stretch_rate(), None);
    }

    #[test]
    fn pain_mean_and_max_per_week_and_none_without_entries() {
        let d = data(
            vec![],
            vec![
                pain("2026-11-16T07:00:00Z", 0),
                pain("2026-11-23T07:00:00Z", 2),
                pain("2026-11-24T07:00:00Z", 7),
                pain("2026-11-25T07:00:00Z", 3),
            ],
        );
        let weeks = weekly(&d, &Utc, day("2026-11-25"), 3);
        assert_eq!((weeks[0].pain_mean(), weeks[0].pain_max), (None, None));
        assert_eq!(weeks[1].pain_mean(), Some(0.0), "a logged zero is a value, not a gap");
        assert_eq!(weeks[1].pain_max, Some(0));
        assert_eq!(weeks[2].pain_mean(), Some(4.0));
        assert_eq!(weeks[2].pain_max, Some(7));
        let t = total(&weeks);
        assert_eq!((t.pain_count, t.pain_max), (4, Some(7)));
        assert_eq!(t.pain_mean(), Some(3.0));
    }

    #[test]
    fn totals_add_up_the_weeks() {
        let d = data(
            vec![
                run("2026-11-10T07:00:00Z", 5.0, 1500, Some(Surface::Trail), Some(true)),
                run("2026-11-24T07:00:00Z", 5.0, 1800, Some(Surface::Asphalt), Some(false)),
            ],
            vec![],
        );
        let weeks = weekly(&d, &Utc, day("2026-11-25"), 4);
        let t = total(&weeks);
        assert_eq!((t.runs, t.duration_s, t.distance_m), (2, 3300, 10_000.0));
        assert_eq!(t.hard_share(), Some(0.5));
        assert_eq!(t.warmup_rate(), Some(0.5));
        assert_eq!(t.start, weeks[0].start);
    }
}
