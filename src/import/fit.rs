//! Garmin FIT activity files, decoded as they stream by [`super::fitdec`].
//!
//! Each session is one activity (a multisport file has one per leg). Every value comes from the
//! session where it has it (`start_time`, `total_distance`, `total_elapsed_time`,
//! `total_timer_time` for moving time, `avg_heart_rate`, `avg_cadence` with
//! `avg_fractional_cadence`); else from the records (the last cumulative distance or the length of
//! the positions, the time from first to last record); else from the sum of the laps (a file whose
//! final lap was never written has laps that stop short, so they come last). A file with no
//! session at all (cut off before the device wrote it) is rebuilt from its records and laps.
//!
//! The sport is the session's `sport`/`sub_sport`, else its laps', else the `sport` message's;
//! `generic` says nothing. A file whose `file_id` says it is not an activity (settings,
//! monitoring, sleep, wellness…) is skipped after its first message.

use std::io::Read;

use chrono::{DateTime, FixedOffset, TimeZone, Utc};

use super::fitdec::{self, FIT_EPOCH, Flow, Message, TIMESTAMP, mesg};
use super::track::Totals;
use super::{Activity, Found, ImportError, SkipKind, Sport, geo, sport, steps_per_minute};
use crate::model::timefmt::Stamp;

/// Semicircles to degrees: 2^31 semicircles make 180°.
const DEG_PER_SEMICIRCLE: f64 = 180.0 / 2_147_483_648.0;

/// FIT times below 0x10000000 s after the FIT epoch count from when the device was switched on,
/// not real dates (FIT SDK, `date_time`).
const FIRST_REAL_FIT_TIME: f64 = 268_435_456.0;

/// The FIT `file` type of an activity.
const ACTIVITY_FILE: u8 = 4;

/// Laps kept apart with their own records; a file with more has the rest pooled in the last.
const MAX_CHUNKS: usize = 10_000;

/// Session fields (FIT profile, message 18).
mod session {
    pub const START_TIME: u8 = 2;
    pub const SPORT: u8 = 5;
    pub const SUB_SPORT: u8 = 6;
    pub const TOTAL_ELAPSED_TIME: u8 = 7;
    pub const TOTAL_TIMER_TIME: u8 = 8;
    pub const TOTAL_DISTANCE: u8 = 9;
    pub const AVG_HEART_RATE: u8 = 16;
    pub const AVG_CADENCE: u8 = 18;
    pub const AVG_FRACTIONAL_CADENCE: u8 = 92;
}

/// Lap fields (FIT profile, message 19).
mod lap {
    pub const START_TIME: u8 = 2;
    pub const TOTAL_ELAPSED_TIME: u8 = 7;
    pub const TOTAL_TIMER_TIME: u8 = 8;
    pub const TOTAL_DISTANCE: u8 = 9;
    pub const AVG_HEART_RATE: u8 = 15;
    pub const SPORT: u8 = 25;
    pub const SUB_SPORT: u8 = 39;
}

/// Record fields (FIT profile, message 20).
mod record {
    pub const POSITION_LAT: u8 = 0;
    pub const POSITION_LONG: u8 = 1;
    pub const HEART_RATE: u8 = 3;
    pub const CADENCE: u8 = 4;
    pub const DISTANCE: u8 = 5;
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
        14 => "blood pressure".into(),
        15 | 28 | 32 => "monitoring".into(),
        20 => "activity summary".into(),
        34 | 35 => "segment".into(),
        40 => "clubs".into(),
        44 => "sleep".into(),
        49 => "wellness".into(),
        other => format!("type {other} (not an activity)"),
    }
}

fn fit_time(raw: f64) -> Option<DateTime<FixedOffset>> {
    Utc.timestamp_opt(FIT_EPOCH + raw as i64, 0)
        .single()
        .map(|t| t.fixed_offset())
}

fn sport_of(m: &Message, sport_field: u8, sub_field: u8) -> Sport {
    sport::fit(m.get(sport_field).map(|v| v as u8), m.get(sub_field).map(|v| v as u8))
}

/// A session's fields, scaled.
struct Session {
    sport: Sport,
    start: Option<f64>,
    end: Option<f64>,
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
            sport: sport_of(m, SPORT, SUB_SPORT),
            start: m.get(START_TIME),
            end: m.get(TIMESTAMP),
            elapsed_s: m.get(TOTAL_ELAPSED_TIME).map(|v| v / 1000.0),
            timer_s: m.get(TOTAL_TIMER_TIME).map(|v| v / 1000.0),
            distance_m: m.get(TOTAL_DISTANCE).map(|v| v / 100.0).filter(|d| *d > 0.0),
            avg_hr: m.get(AVG_HEART_RATE),
            avg_cadence: m
                .get(AVG_CADENCE)
                .map(|c| c + m.get(AVG_FRACTIONAL_CADENCE).unwrap_or(0.0) / 128.0),
        }
    }

    /// The span the session covers, in FIT seconds, when it can be told.
    fn span(&self) -> Option<(f64, f64)> {
        let start = self.start?;
        let end = self.elapsed_s.map(|e| start + e).or(self.end)?;
        Some((start, end))
    }
}

/// A lap's fields, scaled.
struct Lap {
    sport: Sport,
    start: Option<f64>,
    elapsed_s: Option<f64>,
    timer_s: Option<f64>,
    distance_m: Option<f64>,
    avg_hr: Option<f64>,
}

impl Lap {
    fn of(m: &Message) -> Self {
        use lap::*;
        Lap {
            sport: sport_of(m, SPORT, SUB_SPORT),
            start: m.get(START_TIME),
            elapsed_s: m.get(TOTAL_ELAPSED_TIME).map(|v| v / 1000.0),
            timer_s: m.get(TOTAL_TIMER_TIME).map(|v| v / 1000.0),
            distance_m: m.get(TOTAL_DISTANCE).map(|v| v / 100.0),
            avg_hr: m.get(AVG_HEART_RATE),
        }
    }
}

/// The records between two lap messages.
#[derive(Clone, Default)]
struct Chunk {
    totals: Totals,
    first_distance: Option<f64>,
    last_distance: Option<f64>,
    /// The last record with a distance, for speeds: (FIT seconds, metres).
    last_at: Option<(f64, f64)>,
    relative_time: bool,
}

impl Chunk {
    fn add(&mut self, m: &Message) {
        use record::*;
        let t = m.get(TIMESTAMP);
        let stamp = t.map(|t| {
            self.relative_time |= t < FIRST_REAL_FIT_TIME;
            Stamp {
                ms: (FIT_EPOCH + t as i64) * 1000,
                offset_s: 0,
            }
        });
        let distance = m.get(DISTANCE).map(|d| d / 100.0);
        if let Some(d) = distance {
            // Speeds from the device's own distance, which a treadmill has too.
            self.totals.external_speed = true;
            if let (Some(t), Some((t0, d0))) = (t, self.last_at) {
                self.totals.observe_speed(d - d0, ((t - t0) * 1000.0) as i64);
            }
            if let Some(t) = t {
                self.last_at = Some((t, d));
            }
            self.first_distance.get_or_insert(d);
            self.last_distance = Some(self.last_distance.map_or(d, |l| l.max(d)));
        }
        let lat = m.get(POSITION_LAT).map(|v| v * DEG_PER_SEMICIRCLE);
        let lon = m.get(POSITION_LONG).map(|v| v * DEG_PER_SEMICIRCLE);
        match (lat, lon) {
            (Some(la), Some(lo)) if geo::valid(la, lo) => self.totals.add(la, lo, stamp),
            _ => self.totals.add_time_only(stamp),
        }
        if let Some(hr) = m.get(HEART_RATE) {
            self.totals.add_hr(hr);
        }
        if let Some(c) = m.get(CADENCE) {
            self.totals.add_cadence(c);
        }
    }

    fn merge(mut self, later: Chunk) -> Chunk {
        self.totals = self.totals.merge(later.totals);
        self.first_distance = self.first_distance.or(later.first_distance);
        self.last_distance = match (self.last_distance, later.last_distance) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        self.last_at = later.last_at.or(self.last_at);
        self.relative_time |= later.relative_time;
        self
    }

    /// The first and last record time, in FIT seconds.
    fn span(&self) -> Option<(f64, f64)> {
        let first = self.totals.first?.ms / 1000 - FIT_EPOCH;
        let last = self.totals.last_ms? / 1000 - FIT_EPOCH;
        Some((first as f64, last as f64))
    }
}

/// Everything read from one FIT file.
#[derive(Default)]
struct File {
    file_type: Option<u8>,
    sport_msg: Option<Sport>,
    sessions: Vec<Session>,
    laps: Vec<Lap>,
    /// Records, cut at each lap message; the last is still filling.
    chunks: Vec<Chunk>,
}

impl File {
    fn on_message(&mut self, m: &Message) -> Flow {
        match m.global {
            mesg::FILE_ID => {
                self.file_type = self.file_type.or(m.get(0).map(|t| t as u8));
                if self.file_type.is_some_and(|t| t != ACTIVITY_FILE) {
                    return Flow::Stop;
                }
            }
            mesg::SPORT if self.sport_msg.is_none() => {
                self.sport_msg = Some(sport::fit(m.get(0).map(|v| v as u8), m.get(1).map(|v| v as u8)));
            }
            mesg::SESSION => self.sessions.push(Session::of(m)),
            mesg::LAP => {
                self.laps.push(Lap::of(m));
                if self.chunks.len() < MAX_CHUNKS {
                    self.chunks.push(Chunk::default());
                }
            }
            mesg::RECORD => {
                if self.chunks.is_empty() {
                    self.chunks.push(Chunk::default());
                }
                if let Some(c) = self.chunks.last_mut() {
                    c.add(m);
                }
            }
            _ => {}
        }
        Flow::Continue
    }
}

/// Parses one FIT stream (possibly several chained FIT files).
pub fn parse(reader: impl Read, source: &str) -> Result<Vec<Found>, ImportError> {
    let mut file = File::default();
    fitdec::decode(reader, |m| file.on_message(m))?;
    if let Some(t) = file.file_type
        && t != ACTIVITY_FILE
    {
        return Ok(vec![Found::nothing(
            source,
            SkipKind::NotAnActivity,
            format!("a FIT {} file, not an activity", file_type_name(t)),
        )]);
    }
    let File {
        sport_msg,
        mut sessions,
        laps,
        chunks,
        ..
    } = file;
    let single = sessions.len() <= 1;
    if sessions.is_empty() {
        // No session: the device never wrote its summary. Rebuild one from the records and laps.
        sessions.push(Session {
            sport: Sport::Unknown(None),
            start: None,
            end: None,
            elapsed_s: None,
            timer_s: None,
            distance_m: None,
            avg_hr: None,
            avg_cadence: None,
        });
    }
    let sport_msg = sport_msg.unwrap_or(Sport::Unknown(None));
    Ok(sessions
        .iter()
        .map(|s| {
            // In a multisport file, each leg has the records and laps within its own span.
            let span = s.span();
            let inside = |t: Option<(f64, f64)>| {
                single || matches!((span, t), (Some((a, b)), Some((c, d))) if c <= b + 1.0 && d >= a - 1.0)
            };
            let mine: Vec<&Chunk> = chunks.iter().filter(|c| inside(c.span())).collect();
            let my_laps: Vec<&Lap> = laps.iter().filter(|l| inside(l.start.map(|t| (t, t)))).collect();
            from_session(s, &mine, &my_laps, &sport_msg, single, source)
        })
        .collect())
}

/// One session as an activity, each value from the session, else the records, else the laps.
fn from_session(s: &Session, chunks: &[&Chunk], laps: &[&Lap], sport_msg: &Sport, single: bool, source: &str) -> Found {
    let nothing = |reason: &str| Found::nothing(source, SkipKind::Incomplete, reason);
    let records = chunks
        .iter()
        .map(|c| (*c).clone())
        .reduce(Chunk::merge)
        .unwrap_or_default();
    let sport = [&s.sport]
        .into_iter()
        .chain(laps.iter().map(|l| &l.sport))
        .chain([sport_msg])
        .find(|sp| sp.is_known())
        .cloned()
        .unwrap_or(Sport::Unknown(None));
    let record_start = records.totals.first.map(|f| (f.ms / 1000 - FIT_EPOCH) as f64);
    let lap_start = laps.iter().filter_map(|l| l.start).reduce(f64::min);
    let Some(start) = s.start.or(record_start).or(lap_start) else {
        return nothing("no timed records and no session");
    };
    if start < FIRST_REAL_FIT_TIME || records.relative_time && s.start.is_none() {
        return nothing(&device_clock());
    }
    let Some(start_time) = fit_time(start) else {
        return nothing("a start time out of range");
    };
    let sum = |f: fn(&Lap) -> Option<f64>| {
        let values: Vec<f64> = laps.iter().filter_map(|l| f(l)).collect();
        (!values.is_empty()).then(|| values.iter().sum::<f64>())
    };
    let record_distance = match (records.first_distance, records.last_distance) {
        // In one session, the device's cumulative distance is the distance; in a leg of a
        // multisport file, the part of it the leg covered.
        (Some(first), Some(last)) if !single => Some(last - first),
        (_, Some(last)) => Some(last),
        _ => Some(records.totals.distance_m),
    }
    .filter(|d| *d > 0.0);
    let distance_m = s
        .distance_m
        .or(record_distance)
        .or(sum(|l| l.distance_m).filter(|d| *d > 0.0))
        .unwrap_or(0.0);
    let record_span = records.totals.elapsed_s().filter(|e| *e > 0.0);
    let Some(elapsed_s) = s.elapsed_s.or(record_span).or(sum(|l| l.elapsed_s)) else {
        return nothing("no elapsed time in the session, records or laps");
    };
    let record_moving = (records.totals.timed_points > 1 && records.totals.points > 1)
        .then(|| records.totals.moving_ms as f64 / 1000.0);
    let moving_s = s.timer_s.or(sum(|l| l.timer_s)).or(record_moving);
    let lap_hr = {
        let weighted: Vec<(f64, f64)> = laps
            .iter()
            .filter_map(|l| Some((l.avg_hr?, l.timer_s.or(l.elapsed_s)?)))
            .filter(|(hr, w)| *hr > 0.0 && *hr < super::track::MAX_HR && *w > 0.0)
            .collect();
        let w: f64 = weighted.iter().map(|(_, w)| w).sum();
        (w > 0.0).then(|| weighted.iter().map(|(h, w)| h * w).sum::<f64>() / w)
    };
    Found::Activity(Activity {
        sport,
        sport_by: "FIT sport",
        start: start_time,
        distance_m,
        elapsed_s,
        moving_s,
        avg_hr: s.avg_hr.or(lap_hr).or(records.totals.avg_hr()),
        avg_cadence: s.avg_cadence.map(steps_per_minute).or(records.totals.avg_cadence_spm()),
        gear: None,
        source: source.to_string(),
        speed: records.totals.speed_facts(),
        stand_in: false,
    })
}

fn device_clock() -> String {
    "the device clock was not set (times count from power-on), so the run has no date".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a FIT file from records, with a correct header and CRC.
    fn fit(records: &[u8]) -> Vec<u8> {
        let mut out = vec![12u8, 0x10, 0x08, 0x08];
        out.extend((records.len() as u32).to_le_bytes());
        out.extend(b".FIT");
        out.extend(records);
        let c = fitdec::crc(&out);
        out.extend(c.to_le_bytes());
        out
    }

    /// A definition of `fields` (number, size, base type) for a global message, local type `local`.
    fn def(local: u8, global: u16, fields: &[(u8, u8, u8)]) -> Vec<u8> {
        let mut r = vec![0x40 | local, 0, 0];
        r.extend(global.to_le_bytes());
        r.push(fields.len() as u8);
        for (n, s, b) in fields {
            r.extend([*n, *s, *b]);
        }
        r
    }

    fn u32s(local: u8, values: &[u32]) -> Vec<u8> {
        let mut r = vec![local];
        for v in values {
            r.extend(v.to_le_bytes());
        }
        r
    }

    const T0: u32 = 1_000_000_000;

    /// file_id (activity), sport (`sport`, `sub_sport` as u8), records every 10 s for `n` records
    /// at 3 m/s, laps after every `lap_every` records, and a session with the given fields.
    struct Build {
        sport: Option<(u8, u8)>,
        records: u32,
        lap_every: u32,
        /// Laps written: all of them, or the last left out (a file "without final lap").
        final_lap: bool,
        session: Option<Vec<(u8, u32)>>,
    }

    impl Build {
        fn bytes(&self) -> Vec<u8> {
            let mut r = def(0, 0, &[(0, 1, 0x00)]);
            r.extend([0, ACTIVITY_FILE]);
            r.extend(def(1, 20, &[(253, 4, 0x86), (5, 4, 0x86)]));
            r.extend(def(
                2,
                19,
                &[(253, 4, 0x86), (2, 4, 0x86), (7, 4, 0x86), (8, 4, 0x86), (9, 4, 0x86)],
            ));
            let mut lap_start = T0;
            let laps = self.records / self.lap_every;
            for i in 0..self.records {
                let t = T0 + 10 * i;
                r.extend(u32s(1, &[t, 3000 * i]));
                if (i + 1) % self.lap_every == 0 && (self.final_lap || (i + 1) / self.lap_every < laps) {
                    let secs = t - lap_start;
                    r.extend(u32s(2, &[t, lap_start, secs * 1000, secs * 1000, 300 * secs]));
                    lap_start = t;
                }
            }
            if let Some(fields) = &self.session {
                let mut spec: Vec<(u8, u8, u8)> = fields.iter().map(|(n, _)| (*n, 4, 0x86)).collect();
                let values: Vec<u32> = fields.iter().map(|(_, v)| *v).collect();
                let sport = self.sport.map_or(vec![], |(s, sub)| vec![s, sub]);
                if !sport.is_empty() {
                    spec.extend([(5, 1, 0x00), (6, 1, 0x00)]);
                }
                r.extend(def(3, 18, &spec));
                r.extend(u32s(3, &values));
                r.extend(sport);
            }
            fit(&r)
        }

        fn parse(&self) -> Vec<Found> {
            parse(&self.bytes()[..], "t.fit").unwrap()
        }

        fn activity(&self) -> Activity {
            match self.parse().remove(0) {
                Found::Activity(a) => a,
                other => panic!("{other:?}"),
            }
        }
    }

    fn build() -> Build {
        Build {
            sport: Some((1, 0)),
            records: 61,
            lap_every: 20,
            final_lap: true,
            session: Some(vec![(2, T0), (7, 600_000), (8, 590_000), (9, 180_000)]),
        }
    }

    #[test]
    fn the_session_wins_when_it_has_the_values() {
        let a = build().activity();
        assert_eq!(a.sport, Sport::Run("running".into()));
        assert_eq!(a.start, fit_time(T0 as f64).unwrap());
        assert_eq!((a.distance_m, a.elapsed_s, a.moving_s), (1800.0, 600.0, Some(590.0)));
    }

    #[test]
    fn without_a_session_distance_the_records_give_it() {
        // 61 records 10 s apart at 3 m/s: 1800 m over 600 s; the laps cover only 1800 m too here.
        let mut b = build();
        b.session = Some(vec![(2, T0), (7, 600_000), (8, 590_000)]);
        let a = b.activity();
        assert_eq!(a.distance_m, 1800.0);
        // No session at all: the records for distance and time, the laps for the timer.
        b.session = None;
        let a = b.activity();
        assert_eq!((a.distance_m, a.elapsed_s), (1800.0, 600.0));
        assert_eq!(a.moving_s, Some(600.0 - 10.0));
        assert_eq!(a.sport, Sport::Unknown(None));
    }

    #[test]
    fn without_a_final_lap_the_records_still_cover_the_whole_run() {
        let mut b = build();
        b.final_lap = false;
        b.session = Some(vec![(2, T0)]);
        let a = b.activity();
        // The laps stop at 390 s and 1170 m; the records go on to 600 s and 1800 m.
        assert_eq!((a.distance_m, a.elapsed_s), (1800.0, 600.0));
    }

    #[test]
    fn the_laps_come_last() {
        // No records: a session with a start only, and laps.
        let mut r = def(0, 0, &[(0, 1, 0x00)]);
        r.extend([0, ACTIVITY_FILE]);
        r.extend(def(
            2,
            19,
            &[(253, 4, 0x86), (2, 4, 0x86), (7, 4, 0x86), (8, 4, 0x86), (9, 4, 0x86)],
        ));
        r.extend(u32s(2, &[T0 + 300, T0, 300_000, 290_000, 100_000]));
        r.extend(u32s(2, &[T0 + 600, T0 + 300, 300_000, 280_000, 110_000]));
        r.extend(def(3, 18, &[(2, 4, 0x86)]));
        r.extend(u32s(3, &[T0]));
        let Found::Activity(a) = parse(&fit(&r)[..], "t.fit").unwrap().remove(0) else {
            panic!()
        };
        assert_eq!((a.distance_m, a.elapsed_s, a.moving_s), (2100.0, 600.0, Some(570.0)));
    }

    #[test]
    fn sports_by_name_and_generic_as_none() {
        let mut b = build();
        b.sport = Some((0, 0));
        assert_eq!(b.activity().sport, Sport::Unknown(None));
        b.sport = Some((37, 0));
        assert_eq!(b.activity().sport, Sport::Other("stand-up paddleboarding".into()));
        b.sport = Some((1, 1));
        assert_eq!(b.activity().sport, Sport::Run("running (treadmill)".into()));
        b.sport = None;
        assert_eq!(b.activity().sport, Sport::Unknown(None));
        // Steady 3 m/s records: a runner's speeds.
        let f = b.activity().speed;
        assert!(f.riding_share == Some(0.0) && f.p90_m_s.unwrap() > 2.5, "{f:?}");
    }

    #[test]
    fn a_file_that_is_not_an_activity_stops_after_its_first_message() {
        // file_id type 32 (monitoring), then garbage that would fail if it were read.
        let mut r = def(0, 0, &[(0, 1, 0x00)]);
        r.extend([0, 32]);
        r.extend([0x05, 0x99, 0x99]);
        let mut bytes = fit(&r);
        let n = bytes.len();
        bytes[n - 1] ^= 0xFF;
        let found = parse(&bytes[..], "m.fit").unwrap();
        assert!(
            matches!(&found[0], Found::Nothing { reason, kind: SkipKind::NotAnActivity, .. } if reason.contains("monitoring")),
            "{found:?}"
        );
    }
}
