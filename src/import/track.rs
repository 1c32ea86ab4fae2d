//! Running totals over a stream of track points (GPX points, TCX trackpoints, FIT records):
//! distance, first and last time, moving time, mean heart rate and cadence. Nothing is kept per
//! point, so memory does not grow with the track.

use super::{geo, steps_per_minute};
use crate::model::timefmt::Stamp;

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
#[derive(Default)]
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
}

impl Totals {
    /// Starts a new segment: no distance or time is counted across the break.
    pub fn break_segment(&mut self) {
        self.prev = None;
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
        }
        if self.head.is_none() {
            self.head = Some(here);
        }
        self.prev = Some(here);
    }

    /// These totals followed by `later`, the totals of the rest of the same track (from a
    /// parallel parse): as if every point had been added to one.
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
        self
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
