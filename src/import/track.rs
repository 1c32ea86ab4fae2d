//! Running totals over a stream of track points (GPX points, TCX trackpoints, FIT records):
//! distance, first and last time, moving time, mean heart rate and cadence, and how the speed was
//! spread (for [`super::sport::decide`]). Nothing is kept per point, so memory does not grow with
//! the track.

use super::{SpeedFacts, geo, sport, steps_per_minute};
use crate::model::timefmt::Stamp;

/// Speeds are measured over at least this much time, so GPS jitter between two fixes a second
/// apart does not count as a sprint.
const WINDOW_MS: i64 = 10_000;
/// A step longer than this is a gap in the recording, not a speed.
const MAX_STEP_MS: i64 = 60_000;
/// Half-km/h bins up to 60 km/h (the last holds everything faster).
const SPEED_BINS: usize = 120;

/// Slower than this (1.8 km/h, well under a walk) between two points counts as standing still.
pub const MOVING_SPEED_M_S: f64 = 0.5;
/// Heart rates at or above this are device "no value" markers (255), not beats per minute.
pub const MAX_HR: f64 = 250.0;

#[derive(Clone, Copy)]
pub struct Point {
    pub lat: f64,
    pub lon: f64,
    pub time: Option<Stamp>,
}

/// Running totals over the points seen so far.
#[derive(Clone, Default)]
pub struct Totals {
    pub points: u64,
    pub timed_points: u64,
    pub distance_m: f64,
    pub moving_ms: i64,
    pub first: Option<Stamp>,
    pub last_ms: Option<i64>,
    prev: Option<Point>,
    /// The first positioned point, and whether a segment break came before it: what joins these
    /// totals to those of the part of the track before them (see [`Totals::merge`]).
    head: Option<Point>,
    lead_break: bool,
    hr_sum: f64,
    hr_n: u64,
    cad_sum: f64,
    cad_n: u64,
    /// The speed window being filled: metres and milliseconds.
    window_m: f64,
    window_ms: i64,
    /// Moving milliseconds by speed bin (empty until a first window closes).
    speed_ms: Vec<i64>,
    /// The caller measures speed itself (from a device's own distance): positions do not.
    pub external_speed: bool,
}

impl Totals {
    /// Starts a new segment: no distance or time is counted across the break.
    pub fn break_segment(&mut self) {
        self.prev = None;
        self.window_m = 0.0;
        self.window_ms = 0;
        if self.head.is_none() {
            self.lead_break = true;
        }
    }

    pub fn add(&mut self, lat: f64, lon: f64, time: Option<Stamp>) {
        self.points += 1;
        self.add_time_only(time);
        let here = Point { lat, lon, time };
        if let Some(prev) = self.prev {
            let (d, moving_ms) = step(prev, here);
            self.distance_m += d;
            self.moving_ms += moving_ms;
            if let (Some(a), Some(b), false) = (prev.time, time, self.external_speed) {
                self.observe_speed(d, b.ms - a.ms);
            }
        }
        if self.head.is_none() {
            self.head = Some(here);
        }
        self.prev = Some(here);
    }

    /// These totals followed by `later`: the next track of the same activity (which starts with
    /// a segment break, so nothing is counted between the two), or the rest of the same track.
    pub fn merge(mut self, later: Totals) -> Totals {
        if let (Some(prev), Some(head), false) = (self.prev, later.head, later.lead_break) {
            let (d, moving_ms) = step(prev, head);
            self.distance_m += d;
            self.moving_ms += moving_ms;
        }
        if later.head.is_some() || later.lead_break {
            self.prev = later.prev;
        }
        if self.head.is_none() {
            self.head = later.head;
            self.lead_break |= later.lead_break;
        }
        self.points += later.points;
        self.timed_points += later.timed_points;
        self.distance_m += later.distance_m;
        self.moving_ms += later.moving_ms;
        self.first = match (self.first, later.first) {
            (Some(a), Some(b)) => Some(if b.ms < a.ms { b } else { a }),
            (a, b) => a.or(b),
        };
        self.last_ms = self.last_ms.max(later.last_ms);
        self.hr_sum += later.hr_sum;
        self.hr_n += later.hr_n;
        self.cad_sum += later.cad_sum;
        self.cad_n += later.cad_n;
        if self.speed_ms.is_empty() {
            self.speed_ms = later.speed_ms;
        } else {
            for (a, b) in self.speed_ms.iter_mut().zip(later.speed_ms) {
                *a += b;
            }
        }
        self
    }

    /// `metres` covered in `ms`: added to the speed window, which is measured once it spans
    /// [`WINDOW_MS`]. A gap or a step back in time empties the window.
    pub fn observe_speed(&mut self, metres: f64, ms: i64) {
        if ms <= 0 || ms > MAX_STEP_MS || !metres.is_finite() || metres < 0.0 {
            self.window_m = 0.0;
            self.window_ms = 0;
            return;
        }
        self.window_m += metres;
        self.window_ms += ms;
        if self.window_ms >= WINDOW_MS {
            let speed = self.window_m * 1000.0 / self.window_ms as f64;
            if speed >= MOVING_SPEED_M_S {
                if self.speed_ms.is_empty() {
                    self.speed_ms = vec![0; SPEED_BINS];
                }
                let bin = ((speed * 3.6 * 2.0) as usize).min(SPEED_BINS - 1);
                self.speed_ms[bin] += self.window_ms;
            }
            self.window_m = 0.0;
            self.window_ms = 0;
        }
    }

    /// How the moving speed was spread, from the windows measured.
    pub fn speed_facts(&self) -> SpeedFacts {
        let total: i64 = self.speed_ms.iter().sum();
        if total < 6 * WINDOW_MS {
            // Under a minute of measured movement: too little to tell anything by.
            return SpeedFacts::default();
        }
        let bin_of = |speed_m_s: f64| ((speed_m_s * 3.6 * 2.0) as usize).min(SPEED_BINS - 1);
        let riding: i64 = self.speed_ms[bin_of(sport::RIDING_SPEED_M_S)..].iter().sum();
        // From the top down, the bin where a tenth of the time is reached: its lower edge.
        let mut above = 0;
        let mut p90 = 0.0;
        for (bin, ms) in self.speed_ms.iter().enumerate().rev() {
            above += ms;
            if above * 10 >= total {
                p90 = bin as f64 / 2.0 / 3.6;
                break;
            }
        }
        SpeedFacts {
            riding_share: Some(riding as f64 / total as f64),
            p90_m_s: Some(p90),
        }
    }

    /// A point with a time but no position (a treadmill, indoors): it marks the time only.
    pub fn add_time_only(&mut self, time: Option<Stamp>) {
        if let Some(t) = time {
            self.timed_points += 1;
            if self.first.is_none_or(|f| t.ms < f.ms) {
                self.first = Some(t);
            }
            if self.last_ms.is_none_or(|l| t.ms > l) {
                self.last_ms = Some(t.ms);
            }
        }
    }

    pub fn add_hr(&mut self, bpm: f64) {
        if bpm > 0.0 && bpm < MAX_HR {
            self.hr_sum += bpm;
            self.hr_n += 1;
        }
    }

    /// Cadence as the file writes it: one foot, cycles per minute.
    pub fn add_cadence(&mut self, cpm: f64) {
        if cpm > 0.0 && cpm < 300.0 {
            self.cad_sum += cpm;
            self.cad_n += 1;
        }
    }

    pub fn avg_hr(&self) -> Option<f64> {
        (self.hr_n > 0).then(|| self.hr_sum / self.hr_n as f64)
    }

    pub fn avg_cadence_spm(&self) -> Option<f64> {
        (self.cad_n > 0).then(|| steps_per_minute(self.cad_sum / self.cad_n as f64))
    }

    pub fn elapsed_s(&self) -> Option<f64> {
        Some((self.last_ms? - self.first?.ms) as f64 / 1000.0)
    }

    /// Why these totals make no activity, if they do not.
    pub fn nothing_reason(&self) -> Option<&'static str> {
        if self.points == 0 {
            Some("no track points")
        } else if self.points == 1 {
            Some("a single track point: no distance or duration")
        } else if self.timed_points == 0 {
            Some("no timestamps, so no start time or duration")
        } else if self.elapsed_s().unwrap_or(0.0) <= 0.0 {
            Some("all points have the same time: no duration")
        } else {
            None
        }
    }
}

/// The distance between two consecutive points, and the time between them if it was moving.
fn step(a: Point, b: Point) -> (f64, i64) {
    let d = geo::distance_m(a.lat, a.lon, b.lat, b.lon);
    let moving_ms = match (a.time, b.time) {
        (Some(ta), Some(tb)) if tb.ms > ta.ms && d * 1000.0 >= MOVING_SPEED_M_S * (tb.ms - ta.ms) as f64 => {
            tb.ms - ta.ms
        }
        _ => 0,
    };
    (d, moving_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_value_markers_are_not_averaged() {
        let mut t = Totals::default();
        t.add_hr(140.0);
        t.add_hr(255.0);
        t.add_hr(0.0);
        t.add_hr(249.0);
        assert_eq!(t.avg_hr(), Some((140.0 + 249.0) / 2.0));
        t.add_cadence(85.0);
        t.add_cadence(0.0);
        assert_eq!(t.avg_cadence_spm(), Some(170.0));
    }

    fn at(ms: i64) -> Option<Stamp> {
        Some(Stamp { ms, offset_s: 0 })
    }

    #[test]
    fn speeds_are_measured_over_windows_of_ten_seconds() {
        // Ten minutes at 3 m/s (a run), one fix a second, with one wild fix (GPS jitter).
        let mut t = Totals::default();
        let step = 3.0 / 111_132.95;
        for i in 0..600 {
            let jitter = if i == 300 { 0.001 } else { 0.0 };
            t.add(45.0 + step * i as f64 + jitter, 14.0, at(i * 1000));
        }
        let f = t.speed_facts();
        assert!(f.riding_share.unwrap() < 0.05, "{f:?}");
        let p90 = f.p90_m_s.unwrap();
        assert!((2.5..=3.0).contains(&p90), "{f:?}");
        // Twenty minutes at 8 m/s (a ride).
        let mut r = Totals::default();
        for i in 0..1200 {
            r.add(45.0 + 8.0 / 111_132.95 * i as f64, 14.0, at(i * 1000));
        }
        assert!(r.speed_facts().riding_share.unwrap() > 0.9);
        // Under a minute measured: nothing to tell.
        let mut s = Totals::default();
        for i in 0..30 {
            s.add(45.0 + step * i as f64, 14.0, at(i * 1000));
        }
        assert_eq!(s.speed_facts(), SpeedFacts::default());
    }

    #[test]
    fn times_out_of_order_still_give_first_and_last() {
        let mut t = Totals::default();
        for ms in [5_000, 1_000, 9_000] {
            t.add_time_only(Some(Stamp { ms, offset_s: 0 }));
        }
        assert_eq!(t.first.map(|f| f.ms), Some(1_000));
        assert_eq!(t.elapsed_s(), Some(8.0));
        assert_eq!(t.points, 0, "a point without a position adds no distance");
    }
}
