//! Garmin FIT activity files, decoded by [`super::fitdec`].
//!
//! A session message holds the device's own totals, which we use as they are: `start_time`,
//! `total_distance`, `total_elapsed_time` (elapsed), `total_timer_time` (moving: the timer
//! stops during pauses), `avg_heart_rate`, `avg_cadence` (with `avg_fractional_cadence`). A
//! multisport file has one session per leg; only the running legs are runs. A file with no
//! session (cut off before the device wrote it) falls back to its records: first to last
//! timestamp, the last cumulative distance or else the geodesic length of the positions.

use std::io::Read;

use chrono::{DateTime, FixedOffset, TimeZone, Utc};

use super::fitdec::{self, FIT_EPOCH, Message, TIMESTAMP, mesg};
use super::track::Totals;
use super::{Activity, Found, ImportError, MAX_FIT_BYTES, Sport, geo, steps_per_minute};
use crate::model::timefmt::Stamp;

/// Semicircles to degrees: 2^31 semicircles make 180°.
const DEG_PER_SEMICIRCLE: f64 = 180.0 / 2_147_483_648.0;

/// FIT times below 0x10000000 s after the FIT epoch count from when the device was switched on,
/// not real dates (FIT SDK, `date_time`).
const FIRST_REAL_FIT_TIME: f64 = 268_435_456.0;

/// Session fields (FIT profile, message 18).
mod session {
    pub const START_TIME: u8 = 2;
    pub const SPORT: u8 = 5;
    pub const TOTAL_ELAPSED_TIME: u8 = 7;
    pub const TOTAL_TIMER_TIME: u8 = 8;
    pub const TOTAL_DISTANCE: u8 = 9;
    pub const AVG_HEART_RATE: u8 = 16;
    pub const AVG_CADENCE: u8 = 18;
    pub const AVG_FRACTIONAL_CADENCE: u8 = 92;
}

/// Record fields (FIT profile, message 20).
mod record {
    pub const POSITION_LAT: u8 = 0;
    pub const POSITION_LONG: u8 = 1;
    pub const HEART_RATE: u8 = 3;
    pub const CADENCE: u8 = 4;
    pub const DISTANCE: u8 = 5;
}

/// The FIT `sport` enum, as far as names are worth printing.
fn sport_name(n: u8) -> String {
    const NAMES: [&str; 20] = [
        "generic",
        "running",
        "cycling",
        "transition",
        "fitness equipment",
        "swimming",
        "basketball",
        "soccer",
        "tennis",
        "american football",
        "training",
        "walking",
        "cross-country skiing",
        "alpine skiing",
        "snowboarding",
        "rowing",
        "mountaineering",
        "hiking",
        "multisport",
        "paddling",
    ];
    NAMES
        .get(n as usize)
        .map_or_else(|| format!("sport {n}"), |s| s.to_string())
}

fn sport_of(n: Option<f64>) -> Sport {
    match n.map(|v| v as u8) {
        Some(1) => Sport::Run,
        None | Some(0) => Sport::Unknown,
        Some(other) => Sport::Other(sport_name(other)),
    }
}

/// The FIT `file` enum, for files that are not activities.
fn file_type_name(n: u8) -> String {
    match n {
        1 => "device".into(),
        2 => "settings".into(),
        3 => "sport settings".into(),
        5 => "workout".into(),
        6 => "course".into(),
        7 => "schedules".into(),
        9 => "weight".into(),
        10 => "totals".into(),
        11 => "goals".into(),
        15 | 28 | 32 => "monitoring".into(),
        34 | 35 => "segment".into(),
        other => format!("type {other}"),
    }
}

fn fit_time(raw: f64) -> Option<DateTime<FixedOffset>> {
    Utc.timestamp_opt(FIT_EPOCH + raw as i64, 0)
        .single()
        .map(|t| t.fixed_offset())
}

/// A session's fields, scaled.
struct Session {
    sport: Sport,
    start: Option<f64>,
    elapsed_s: Option<f64>,
    timer_s: Option<f64>,
    distance_m: Option<f64>,
    avg_hr: Option<f64>,
    avg_cadence: Option<f64>,
}

impl Session {
    fn of(m: &Message) -> Self {
        use session::*;
        Session {
            sport: sport_of(m.get(SPORT)),
            start: m.get(START_TIME),
            elapsed_s: m.get(TOTAL_ELAPSED_TIME).map(|v| v / 1000.0),
            timer_s: m.get(TOTAL_TIMER_TIME).map(|v| v / 1000.0),
            distance_m: m.get(TOTAL_DISTANCE).map(|v| v / 100.0),
            avg_hr: m.get(AVG_HEART_RATE),
            avg_cadence: m
                .get(AVG_CADENCE)
                .map(|c| c + m.get(AVG_FRACTIONAL_CADENCE).unwrap_or(0.0) / 128.0),
        }
    }
}

/// Parses one FIT file (possibly several chained FIT files).
pub fn parse(reader: impl Read, source: &str) -> Result<Vec<Found>, ImportError> {
    let mut bytes = Vec::new();
    reader.take(MAX_FIT_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FIT_BYTES {
        return Err(ImportError::new(format!(
            "larger than {} MB: not a FIT activity file",
            MAX_FIT_BYTES >> 20
        )));
    }
    let mut file_type = None;
    let mut sport_msg = None;
    let mut sessions = Vec::new();
    let mut track = Track::default();
    fitdec::decode(&bytes, |m| match m.global {
        mesg::FILE_ID => file_type = file_type.or(m.get(0)),
        mesg::SPORT => sport_msg = sport_msg.or(m.get(0)),
        mesg::SESSION => sessions.push(Session::of(m)),
        mesg::RECORD => track.add(m),
        _ => {}
    })?;
    if let Some(t) = file_type.map(|t| t as u8)
        && t != 4
    {
        return Ok(vec![Found::Nothing {
            source: source.to_string(),
            reason: format!("a FIT {} file, not an activity", file_type_name(t)),
        }]);
    }
    if !sessions.is_empty() {
        return Ok(sessions.iter().map(|s| from_session(s, source)).collect());
    }
    // No session: the device never wrote its summary. Rebuild one from the records.
    Ok(vec![track.finish(sport_of(sport_msg), source)])
}

fn from_session(s: &Session, source: &str) -> Found {
    let nothing = |reason: String| Found::Nothing {
        source: source.to_string(),
        reason,
    };
    if let Sport::Other(name) = &s.sport {
        return nothing(format!("a {name} session, not a run"));
    }
    let Some(start) = s.start else {
        return nothing("a session with no start time".into());
    };
    if start < FIRST_REAL_FIT_TIME {
        return nothing(device_clock());
    }
    let Some(start) = fit_time(start) else {
        return nothing("a start time out of range".into());
    };
    let Some(elapsed_s) = s.elapsed_s else {
        return nothing("a session with no elapsed time".into());
    };
    Found::Activity(Activity {
        sport: s.sport.clone(),
        start,
        distance_m: s.distance_m.unwrap_or(0.0),
        elapsed_s,
        moving_s: s.timer_s,
        avg_hr: s.avg_hr,
        avg_cadence: s.avg_cadence.map(steps_per_minute),
        gear: None,
        source: source.to_string(),
    })
}

/// Running totals over record messages, for files without a session.
#[derive(Default)]
struct Track {
    totals: Totals,
    last_distance: Option<f64>,
    relative_time: bool,
}

impl Track {
    fn add(&mut self, m: &Message) {
        use record::*;
        let stamp = m.get(TIMESTAMP).map(|t| {
            self.relative_time |= t < FIRST_REAL_FIT_TIME;
            Stamp {
                ms: (FIT_EPOCH + t as i64) * 1000,
                offset_s: 0,
            }
        });
        let lat = m.get(POSITION_LAT).map(|v| v * DEG_PER_SEMICIRCLE);
        let lon = m.get(POSITION_LONG).map(|v| v * DEG_PER_SEMICIRCLE);
        match (lat, lon) {
            (Some(la), Some(lo)) if geo::valid(la, lo) => self.totals.add(la, lo, stamp),
            _ => self.totals.add_time_only(stamp),
        }
        if let Some(d) = m.get(DISTANCE).map(|d| d / 100.0) {
            self.last_distance = Some(self.last_distance.map_or(d, |l| l.max(d)));
        }
        if let Some(hr) = m.get(HEART_RATE) {
            self.totals.add_hr(hr);
        }
        if let Some(c) = m.get(CADENCE) {
            self.totals.add_cadence(c);
        }
    }

    fn finish(self, sport: Sport, source: &str) -> Found {
        let nothing = |reason: String| Found::Nothing {
            source: source.to_string(),
            reason,
        };
        if let Sport::Other(name) = &sport {
            return nothing(format!("a {name} activity, not a run"));
        }
        let totals = self.totals;
        let (Some(first), Some(elapsed_s)) = (totals.first, totals.elapsed_s()) else {
            return nothing("no timed records and no session".into());
        };
        if self.relative_time {
            return nothing(device_clock());
        }
        if elapsed_s <= 0.0 {
            return nothing("no duration".into());
        }
        let Some(start) = first.to_datetime() else {
            return nothing("a timestamp out of range".into());
        };
        Found::Activity(Activity {
            sport,
            start,
            distance_m: self.last_distance.filter(|d| *d > 0.0).unwrap_or(totals.distance_m),
            elapsed_s,
            moving_s: Some(totals.moving_ms as f64 / 1000.0),
            avg_hr: totals.avg_hr(),
            avg_cadence: totals.avg_cadence_spm(),
            gear: None,
            source: source.to_string(),
        })
    }
}

fn device_clock() -> String {
    "the device clock was not set (times count from power-on), so the run has no date".into()
}
