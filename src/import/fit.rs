//! Garmin FIT activity files, decoded by the `fitparser` crate.
//!
//! A session message holds the device's own totals, which we use as they are: `start_time`,
//! `total_distance`, `total_elapsed_time` (elapsed), `total_timer_time` (moving: the timer
//! stops during pauses), `avg_heart_rate`, `avg_running_cadence` or `avg_cadence`. A multisport
//! file has one session per leg; only the running legs are runs. A file with no session (cut off
//! before the device wrote it) falls back to its records: first to last timestamp, the last
//! cumulative distance or else the geodesic length of the positions.

use std::io::Read;

use chrono::{DateTime, FixedOffset, Utc};
use fitparser::profile::MesgNum;
use fitparser::{FitDataRecord, Value};

use super::gpx::Totals;
use super::timefmt::Stamp;
use super::{Activity, Found, ImportError, MAX_FIT_BYTES, Sport, geo, sport_from_name, steps_per_minute};

/// Semicircles to degrees: 2^31 semicircles make 180°.
const DEG_PER_SEMICIRCLE: f64 = 180.0 / 2_147_483_648.0;

/// FIT times below 0x10000000 s after the FIT epoch (1989-12-31) count from when the device was
/// switched on, not real dates: 1989-12-31T00:00:00Z + 0x10000000 s.
const FIRST_REAL_FIT_TIME: i64 = 631_065_600 + 0x1000_0000;

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
    let records = fitparser::from_bytes(&bytes).map_err(|e| ImportError::new(describe(&e)))?;
    from_records(&records, source)
}

fn describe(e: &fitparser::Error) -> String {
    let text = e.to_string();
    let lower = text.to_ascii_lowercase();
    if lower.contains("crc") {
        format!("damaged FIT file (checksum mismatch): {text}")
    } else if lower.contains("eof") || lower.contains("incomplete") || lower.contains("needed") {
        format!("the FIT file ends early (truncated?): {text}")
    } else {
        format!("damaged FIT file: {text}")
    }
}

fn field<'a>(r: &'a FitDataRecord, name: &str) -> Option<&'a Value> {
    r.fields().iter().find(|f| f.name() == name).map(|f| f.value())
}

fn num(r: &FitDataRecord, name: &str) -> Option<f64> {
    match field(r, name)? {
        Value::Invalid | Value::String(_) | Value::Array(_) | Value::Timestamp(_) => None,
        v => {
            let x: f64 = v.clone().try_into().ok()?;
            x.is_finite().then_some(x)
        }
    }
}

fn text(r: &FitDataRecord, name: &str) -> Option<String> {
    match field(r, name)? {
        Value::String(s) => Some(s.clone()),
        Value::Invalid => None,
        other => Some(other.to_string()),
    }
}

fn time(r: &FitDataRecord, name: &str) -> Option<DateTime<FixedOffset>> {
    match field(r, name)? {
        Value::Timestamp(t) => Some(t.with_timezone(&Utc).fixed_offset()),
        _ => None,
    }
}

/// Builds activities from decoded messages.
pub fn from_records(records: &[FitDataRecord], source: &str) -> Result<Vec<Found>, ImportError> {
    let nothing = |reason: String| Found::Nothing {
        source: source.to_string(),
        reason,
    };
    if let Some(kind) = records
        .iter()
        .find(|r| r.kind() == MesgNum::FileId)
        .and_then(|r| text(r, "type"))
        && kind != "activity"
    {
        return Ok(vec![nothing(format!("a FIT {kind} file, not an activity"))]);
    }
    let sessions: Vec<&FitDataRecord> = records.iter().filter(|r| r.kind() == MesgNum::Session).collect();
    if !sessions.is_empty() {
        return Ok(sessions.iter().map(|s| from_session(s, source)).collect());
    }
    // No session: the device never wrote its summary. Rebuild one from the records.
    let sport = records
        .iter()
        .find(|r| r.kind() == MesgNum::Sport)
        .and_then(|r| text(r, "sport"))
        .map_or(Sport::Unknown, |s| sport_from_name(&s));
    Ok(vec![from_track(records, sport, source)])
}

fn from_session(s: &FitDataRecord, source: &str) -> Found {
    let nothing = |reason: String| Found::Nothing {
        source: source.to_string(),
        reason,
    };
    let sport = text(s, "sport").map_or(Sport::Unknown, |n| sport_from_name(&n));
    if let Sport::Other(name) = &sport {
        return nothing(format!("a {name} session, not a run"));
    }
    let Some(start) = time(s, "start_time") else {
        return nothing("a session with no start time".into());
    };
    if start.timestamp() < FIRST_REAL_FIT_TIME {
        return nothing(device_clock());
    }
    let Some(elapsed_s) = num(s, "total_elapsed_time") else {
        return nothing("a session with no elapsed time".into());
    };
    let cadence = num(s, "avg_running_cadence")
        .or(num(s, "avg_cadence"))
        .map(|c| c + num(s, "avg_fractional_cadence").unwrap_or(0.0));
    Found::Activity(Activity {
        sport,
        start,
        distance_m: num(s, "total_distance").unwrap_or(0.0),
        elapsed_s,
        moving_s: num(s, "total_timer_time"),
        avg_hr: num(s, "avg_heart_rate"),
        avg_cadence: cadence.map(steps_per_minute),
        gear: None,
        source: source.to_string(),
    })
}

fn device_clock() -> String {
    "the device clock was not set (times count from power-on), so the run has no date".into()
}

fn from_track(records: &[FitDataRecord], sport: Sport, source: &str) -> Found {
    let nothing = |reason: String| Found::Nothing {
        source: source.to_string(),
        reason,
    };
    if let Sport::Other(name) = &sport {
        return nothing(format!("a {name} activity, not a run"));
    }
    let mut totals = Totals::default();
    let mut last_distance: Option<f64> = None;
    for r in records.iter().filter(|r| r.kind() == MesgNum::Record) {
        let stamp = time(r, "timestamp").map(|t| Stamp {
            ms: t.timestamp_millis(),
            offset_s: 0,
        });
        let lat = num(r, "position_lat").map(|v| v * DEG_PER_SEMICIRCLE);
        let lon = num(r, "position_long").map(|v| v * DEG_PER_SEMICIRCLE);
        match (lat, lon) {
            (Some(la), Some(lo)) if geo::valid(la, lo) => totals.add(la, lo, stamp),
            _ => totals.add_time_only(stamp),
        }
        if let Some(d) = num(r, "distance") {
            last_distance = Some(last_distance.map_or(d, |l: f64| l.max(d)));
        }
        if let Some(hr) = num(r, "heart_rate") {
            totals.add_hr(hr);
        }
        if let Some(c) = num(r, "cadence") {
            totals.add_cadence(c);
        }
    }
    let (Some(first), Some(elapsed_s)) = (totals.first, totals.elapsed_s()) else {
        return nothing("no timed records and no session".into());
    };
    if elapsed_s <= 0.0 {
        return nothing("no duration".into());
    }
    let Some(start) = first.to_datetime() else {
        return nothing("a timestamp out of range".into());
    };
    if start.timestamp() < FIRST_REAL_FIT_TIME {
        return nothing(device_clock());
    }
    Found::Activity(Activity {
        sport,
        start,
        distance_m: last_distance.filter(|d| *d > 0.0).unwrap_or(totals.distance_m),
        elapsed_s,
        moving_s: Some(totals.moving_ms as f64 / 1000.0),
        avg_hr: totals.avg_hr(),
        avg_cadence: totals.avg_cadence_spm(),
        gear: None,
        source: source.to_string(),
    })
}
