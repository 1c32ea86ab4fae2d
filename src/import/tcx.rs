//! Garmin Training Center XML (TCX): one activity per `<Activity>`.
//!
//! The laps carry the device's own totals, which we prefer: distance is the sum of the laps'
//! `DistanceMeters`, moving time the sum of their `TotalTimeSeconds` (the timer, which stops
//! during pauses), heart rate and cadence the laps' averages weighted by lap time. Without
//! lap totals, or when the track goes on past the last lap (a file written without its final
//! lap), the track decides: the last cumulative `DistanceMeters`, else the geodesic length.
//! Elapsed time runs from the start to the later of the last point and the last lap's end.
//! The sport is the `Sport` attribute, in any case (`Running`, `Biking`, `Other`).
//! Courses and workouts are plans, not runs: reported, not imported.

use std::io::Read;

use super::track::Totals;
use super::xml::{self, Ev};
use super::{Activity, Found, ImportError, SkipKind, Sport, steps_per_minute};
use crate::model::timefmt::{self, Stamp};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tag {
    Activity,
    Id,
    Lap,
    TotalTimeSeconds,
    DistanceMeters,
    AverageHeartRateBpm,
    HeartRateBpm,
    Value,
    Cadence,
    RunCadence,
    AvgRunCadence,
    Track,
    Trackpoint,
    Time,
    LatitudeDegrees,
    LongitudeDegrees,
    Other,
}

fn tag_of(name: &[u8]) -> Tag {
    match name {
        b"Activity" => Tag::Activity,
        b"Id" => Tag::Id,
        b"Lap" => Tag::Lap,
        b"TotalTimeSeconds" => Tag::TotalTimeSeconds,
        b"DistanceMeters" => Tag::DistanceMeters,
        b"AverageHeartRateBpm" => Tag::AverageHeartRateBpm,
        b"HeartRateBpm" => Tag::HeartRateBpm,
        b"Value" => Tag::Value,
        b"Cadence" => Tag::Cadence,
        b"RunCadence" => Tag::RunCadence,
        b"AvgRunCadence" => Tag::AvgRunCadence,
        b"Track" => Tag::Track,
        b"Trackpoint" => Tag::Trackpoint,
        b"Time" => Tag::Time,
        b"LatitudeDegrees" => Tag::LatitudeDegrees,
        b"LongitudeDegrees" => Tag::LongitudeDegrees,
        _ => Tag::Other,
    }
}

/// A time-weighted mean.
#[derive(Default)]
struct Weighted {
    sum: f64,
    weight: f64,
}

impl Weighted {
    fn add(&mut self, value: f64, weight: f64) {
        if value > 0.0 && weight > 0.0 {
            self.sum += value * weight;
            self.weight += weight;
        }
    }

    fn mean(&self) -> Option<f64> {
        (self.weight > 0.0).then(|| self.sum / self.weight)
    }
}

#[derive(Default)]
struct Lap {
    start: Option<Stamp>,
    time_s: Option<f64>,
    distance_m: Option<f64>,
    hr: Option<f64>,
    cadence: Option<f64>,
    run_cadence: Option<f64>,
}

struct ActivityState {
    sport: Sport,
    id: Option<Stamp>,
    first_lap: Option<Stamp>,
    laps: u32,
    lap_time_s: f64,
    lap_distance_m: f64,
    lap_end_ms: Option<i64>,
    lap_hr: Weighted,
    lap_run_cadence: Weighted,
    lap_cadence: Weighted,
    track: Totals,
    point_distance_max: f64,
}

impl ActivityState {
    fn new(sport: Sport) -> Self {
        ActivityState {
            sport,
            id: None,
            first_lap: None,
            laps: 0,
            lap_time_s: 0.0,
            lap_distance_m: 0.0,
            lap_end_ms: None,
            lap_hr: Weighted::default(),
            lap_run_cadence: Weighted::default(),
            lap_cadence: Weighted::default(),
            track: Totals::default(),
            point_distance_max: 0.0,
        }
    }

    fn end_lap(&mut self, lap: Lap) {
        self.laps += 1;
        let time = lap.time_s.unwrap_or(0.0);
        self.lap_time_s += time;
        self.lap_distance_m += lap.distance_m.unwrap_or(0.0);
        if let Some(s) = lap.start {
            self.first_lap = Some(self.first_lap.map_or(s, |f| if s.ms < f.ms { s } else { f }));
            let end = s.ms + (time * 1000.0).round() as i64;
            self.lap_end_ms = Some(self.lap_end_ms.map_or(end, |e| e.max(end)));
        }
        // 255 is the "no value" marker some exporters copy from the device.
        if let Some(hr) = lap.hr.filter(|h| *h < super::track::MAX_HR) {
            self.lap_hr.add(hr, time);
        }
        if let Some(c) = lap.run_cadence {
            self.lap_run_cadence.add(c, time);
        }
        if let Some(c) = lap.cadence {
            self.lap_cadence.add(c, time);
        }
    }

    fn finish(self, source: &str) -> Result<Found, ImportError> {
        let nothing = |reason: &str| Ok(Found::nothing(source, SkipKind::Incomplete, reason));
        let Some(start) = self.id.or(self.first_lap).or(self.track.first) else {
            return nothing("an activity with no start time");
        };
        let end_ms = match (self.track.last_ms, self.lap_end_ms) {
            (Some(a), Some(b)) => a.max(b),
            (a, b) => a.or(b).unwrap_or(start.ms),
        };
        let elapsed_s = (end_ms - start.ms) as f64 / 1000.0;
        let track_m = if self.point_distance_max > 0.0 {
            self.point_distance_max
        } else {
            self.track.distance_m
        };
        // The track runs on for more than a minute past the last lap, further than the laps:
        // the final lap was never written, and the laps stop short.
        let laps_short = matches!((self.track.last_ms, self.lap_end_ms), (Some(t), Some(l)) if t > l + 60_000)
            && track_m > self.lap_distance_m;
        let distance_m = if self.lap_distance_m > 0.0 && !laps_short {
            self.lap_distance_m
        } else {
            track_m
        };
        if self.laps == 0 && self.track.points == 0 {
            return nothing("an activity with no laps or track points");
        }
        if elapsed_s <= 0.0 {
            return nothing("no duration");
        }
        let track_moving = (self.track.timed_points > 1).then(|| self.track.moving_ms as f64 / 1000.0);
        let moving_s = if self.lap_time_s > 0.0 && !laps_short {
            Some(self.lap_time_s)
        } else {
            track_moving.or((self.lap_time_s > 0.0).then_some(self.lap_time_s))
        };
        let cadence = self
            .lap_run_cadence
            .mean()
            .or(self.lap_cadence.mean())
            .map(steps_per_minute)
            .or(self.track.avg_cadence_spm());
        Ok(Found::Activity(Activity {
            sport: self.sport,
            sport_by: "TCX Sport",
            start: start
                .to_datetime()
                .ok_or_else(|| ImportError::new("a timestamp out of range"))?,
            distance_m,
            elapsed_s,
            moving_s,
            avg_hr: self.lap_hr.mean().or(self.track.avg_hr()),
            avg_cadence: cadence,
            gear: None,
            source: source.to_string(),
            speed: self.track.speed_facts(),
            stand_in: false,
        }))
    }
}

fn sport_attr(tag: &quick_xml::events::BytesStart<'_>) -> Sport {
    let Some(v) = xml::attr(tag, b"Sport") else {
        return Sport::Unknown(None);
    };
    let text = String::from_utf8_lossy(&v).trim().to_string();
    // The schema knows Running, Biking and Other; Other is any sport but those two (walking,
    // swimming, paddling…). Some apps write other names, read like a GPX type.
    if text.eq_ignore_ascii_case("other") {
        Sport::Other("other (neither running nor biking)".into())
    } else {
        super::sport::from_text(&text)
    }
}

/// Parses one TCX document.
pub fn parse(reader: impl Read, source: &str) -> Result<Vec<Found>, ImportError> {
    let mut stack: Vec<Tag> = Vec::with_capacity(16);
    let mut seen_root = false;
    let mut found = Vec::new();
    let mut activity: Option<ActivityState> = None;
    let mut lap: Option<Lap> = None;
    let (mut courses, mut workouts) = (0u32, 0u32);
    // The trackpoint being read.
    let (mut tp_time, mut tp_lat, mut tp_lon) = (None, None, None);
    xml::stream_events(reader, |ev| {
        match ev {
            Ev::Start(start, empty) => {
                let name = xml::name(start);
                if !seen_root {
                    if name != b"TrainingCenterDatabase" {
                        return Err(ImportError::new("the root element is not <TrainingCenterDatabase>"));
                    }
                    seen_root = true;
                    return Ok(());
                }
                let tag = tag_of(name);
                match tag {
                    Tag::Activity if activity.is_none() => activity = Some(ActivityState::new(sport_attr(start))),
                    Tag::Lap if activity.is_some() => {
                        lap = Some(Lap {
                            start: xml::attr(start, b"StartTime").and_then(|v| timefmt::parse(&v)),
                            ..Lap::default()
                        })
                    }
                    Tag::Track => {
                        if let Some(a) = activity.as_mut() {
                            a.track.break_segment();
                        }
                    }
                    Tag::Trackpoint => (tp_time, tp_lat, tp_lon) = (None, None, None),
                    Tag::Other if name == b"Course" => courses += 1,
                    Tag::Other if name == b"Workout" => workouts += 1,
                    _ => {}
                }
                if !empty {
                    stack.push(tag);
                }
            }
            Ev::Text(text) => {
                let Some(a) = activity.as_mut() else { return Ok(()) };
                let n = stack.len();
                let top = stack.last().copied().unwrap_or(Tag::Other);
                let parent = if n >= 2 { stack[n - 2] } else { Tag::Other };
                let in_point = stack.contains(&Tag::Trackpoint);
                match (top, parent) {
                    (Tag::Id, Tag::Activity) => a.id = timefmt::parse(text),
                    (Tag::Time, Tag::Trackpoint) => tp_time = timefmt::parse(text),
                    (Tag::LatitudeDegrees, _) if in_point => tp_lat = xml::number(text),
                    (Tag::LongitudeDegrees, _) if in_point => tp_lon = xml::number(text),
                    (Tag::DistanceMeters, Tag::Trackpoint) => {
                        if let Some(d) = xml::number(text) {
                            a.point_distance_max = a.point_distance_max.max(d);
                        }
                    }
                    (Tag::Value, Tag::HeartRateBpm) if in_point => {
                        if let Some(v) = xml::number(text) {
                            a.track.add_hr(v);
                        }
                    }
                    (Tag::Cadence | Tag::RunCadence, _) if in_point => {
                        if let Some(v) = xml::number(text) {
                            a.track.add_cadence(v);
                        }
                    }
                    _ => {
                        if let Some(l) = lap.as_mut()
                            && !in_point
                        {
                            let v = xml::number(text);
                            match (top, parent) {
                                (Tag::TotalTimeSeconds, Tag::Lap) => l.time_s = v,
                                (Tag::DistanceMeters, Tag::Lap) => l.distance_m = v,
                                (Tag::Value, Tag::AverageHeartRateBpm) => l.hr = v,
                                (Tag::Cadence, Tag::Lap) => l.cadence = v,
                                (Tag::AvgRunCadence, _) => l.run_cadence = v,
                                _ => {}
                            }
                        }
                    }
                }
            }
            Ev::End(_) => match stack.pop() {
                Some(Tag::Trackpoint) => {
                    if let Some(a) = activity.as_mut() {
                        match (tp_lat, tp_lon) {
                            (Some(la), Some(lo)) if super::geo::valid(la, lo) => a.track.add(la, lo, tp_time),
                            // A point without position (treadmill, indoor) still marks the time.
                            _ => a.track.add_time_only(tp_time),
                        }
                    }
                }
                Some(Tag::Lap) => {
                    if let (Some(a), Some(l)) = (activity.as_mut(), lap.take()) {
                        a.end_lap(l);
                    }
                }
                Some(Tag::Activity) => {
                    if let Some(a) = activity.take() {
                        found.push(a.finish(source)?);
                    }
                }
                _ => {}
            },
        }
        Ok(())
    })?;
    if !seen_root {
        return Err(ImportError::new("no <TrainingCenterDatabase> element"));
    }
    if found.is_empty() {
        let reason = if courses > 0 {
            "a course (a planned route), not a recorded activity"
        } else if workouts > 0 {
            "a workout plan, not a recorded activity"
        } else {
            "no activities in the file"
        };
        found.push(Found::nothing(source, SkipKind::NotAnActivity, reason));
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn at(s: &str) -> DateTime<chrono::FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn tcx(body: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2" xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">{body}</TrainingCenterDatabase>"#
        )
    }

    fn tp(time: &str, lat: f64, dist: f64, hr: u32) -> String {
        format!(
            "<Trackpoint><Time>{time}</Time><Position><LatitudeDegrees>{lat}</LatitudeDegrees><LongitudeDegrees>14.0</LongitudeDegrees></Position><DistanceMeters>{dist}</DistanceMeters><HeartRateBpm><Value>{hr}</Value></HeartRateBpm><Extensions><ns3:TPX><ns3:RunCadence>80</ns3:RunCadence></ns3:TPX></Extensions></Trackpoint>"
        )
    }

    fn lap(start: &str, secs: f64, metres: f64, hr: u32, cad: u32, points: &str) -> String {
        format!(
            r#"<Lap StartTime="{start}"><TotalTimeSeconds>{secs}</TotalTimeSeconds><DistanceMeters>{metres}</DistanceMeters><AverageHeartRateBpm><Value>{hr}</Value></AverageHeartRateBpm><Track>{points}</Track><Extensions><ns3:LX><ns3:AvgRunCadence>{cad}</ns3:AvgRunCadence></ns3:LX></Extensions></Lap>"#
        )
    }

    fn parse_str(doc: &str) -> Vec<Found> {
        parse(std::io::Cursor::new(doc.as_bytes().to_vec()), "t.tcx").unwrap()
    }

    #[test]
    fn laps_carry_the_totals() {
        let l1 = lap(
            "2024-05-01T06:00:00Z",
            300.0,
            1000.0,
            140,
            84,
            &(tp("2024-05-01T06:00:00Z", 45.0, 0.0, 130) + &tp("2024-05-01T06:05:00Z", 45.009, 1000.0, 150)),
        );
        let l2 = lap(
            "2024-05-01T06:07:00Z",
            600.0,
            2000.0,
            155,
            87,
            &(tp("2024-05-01T06:07:00Z", 45.009, 1000.0, 150) + &tp("2024-05-01T06:17:00Z", 45.027, 3000.0, 160)),
        );
        let doc = tcx(&format!(
            r#"<Activities><Activity Sport="Running"><Id>2024-05-01T06:00:00Z</Id>{l1}{l2}</Activity></Activities>"#
        ));
        let found = parse_str(&doc);
        let Found::Activity(a) = &found[0] else {
            panic!("{found:?}")
        };
        assert_eq!(a.sport, Sport::Run("Running".into()));
        assert_eq!(a.start, at("2024-05-01T06:00:00Z"));
        assert_eq!(a.distance_m, 3000.0);
        assert_eq!(a.moving_s, Some(900.0));
        assert_eq!(a.elapsed_s, 17.0 * 60.0);
        assert!((a.avg_hr.unwrap() - (140.0 * 300.0 + 155.0 * 600.0) / 900.0).abs() < 1e-9);
        assert!((a.avg_cadence.unwrap() - 2.0 * (84.0 * 300.0 + 87.0 * 600.0) / 900.0).abs() < 1e-9);
    }

    #[test]
    fn without_laps_the_track_is_used() {
        let doc = tcx(&format!(
            r#"<Activities><Activity Sport="Running"><Id>2024-05-01T06:00:00Z</Id><Lap StartTime="2024-05-01T06:00:00Z"><Track>{}{}</Track></Lap></Activity></Activities>"#,
            tp("2024-05-01T06:00:00Z", 45.0, 0.0, 130),
            tp("2024-05-01T06:05:00Z", 45.009, 1002.0, 150)
        ));
        let found = parse_str(&doc);
        let Found::Activity(a) = &found[0] else {
            panic!("{found:?}")
        };
        assert_eq!(a.distance_m, 1002.0);
        assert_eq!(a.elapsed_s, 300.0);
        assert_eq!(a.avg_hr, Some(140.0));
        assert_eq!(a.avg_cadence, Some(160.0));
    }

    #[test]
    fn several_activities_and_non_runs() {
        let run = |id: &str, sport: &str| {
            format!(
                r#"<Activity Sport="{sport}"><Id>{id}</Id>{}</Activity>"#,
                lap(id, 60.0, 200.0, 120, 80, "")
            )
        };
        let doc = tcx(&format!(
            "<Activities>{}{}{}</Activities>",
            run("2024-05-01T06:00:00Z", "Running"),
            run("2024-05-02T06:00:00Z", "Biking"),
            run("2024-05-03T06:00:00Z", "Running")
        ));
        let found = parse_str(&doc);
        assert_eq!(found.len(), 3);
        assert!(matches!(&found[0], Found::Activity(a) if a.start == at("2024-05-01T06:00:00Z")));
        assert!(matches!(&found[1], Found::Activity(a) if a.sport == Sport::Other("Biking".into())));
        assert!(matches!(&found[2], Found::Activity(a) if a.start == at("2024-05-03T06:00:00Z")));
    }

    #[test]
    fn the_sport_attribute_in_any_case() {
        let with = |sport: &str| {
            let doc = tcx(&format!(
                r#"<Activities><Activity Sport="{sport}"><Id>2024-05-01T06:00:00Z</Id>{}</Activity></Activities>"#,
                lap("2024-05-01T06:00:00Z", 600.0, 2000.0, 120, 80, "")
            ));
            match parse_str(&doc).remove(0) {
                Found::Activity(a) => a.sport,
                other => panic!("{other:?}"),
            }
        };
        assert_eq!(with("running"), Sport::Run("running".into()));
        assert_eq!(with("RUNNING"), Sport::Run("RUNNING".into()));
        assert_eq!(with("Biking"), Sport::Other("Biking".into()));
        assert_eq!(with("Other"), Sport::Other("other (neither running nor biking)".into()));
        assert_eq!(with("other"), Sport::Other("other (neither running nor biking)".into()));
        assert_eq!(with("Walking"), Sport::Other("Walking".into()));
    }

    #[test]
    fn laps_that_stop_short_give_way_to_the_track() {
        // One lap of 1 km in 5 minutes, then the track goes on to 3 km at 17 minutes.
        let points = tp("2024-05-01T06:00:00Z", 45.0, 0.0, 130)
            + &tp("2024-05-01T06:05:00Z", 45.009, 1000.0, 150)
            + &tp("2024-05-01T06:17:00Z", 45.027, 3000.0, 160);
        let doc = tcx(&format!(
            r#"<Activities><Activity Sport="Running"><Id>2024-05-01T06:00:00Z</Id>{}</Activity></Activities>"#,
            lap("2024-05-01T06:00:00Z", 300.0, 1000.0, 140, 84, &points)
        ));
        let Found::Activity(a) = parse_str(&doc).remove(0) else {
            panic!()
        };
        assert_eq!(a.distance_m, 3000.0);
        assert_eq!(a.elapsed_s, 17.0 * 60.0);
        assert_eq!(a.moving_s, Some(17.0 * 60.0));
    }

    #[test]
    fn plans_are_not_runs() {
        let course = tcx("<Courses><Course><Name>x</Name><Track></Track></Course></Courses>");
        assert!(matches!(&parse_str(&course)[0], Found::Nothing { reason, .. } if reason.contains("course")));
        let workout = tcx(r#"<Workouts><Workout Sport="Running"><Name>x</Name></Workout></Workouts>"#);
        assert!(matches!(&parse_str(&workout)[0], Found::Nothing { reason, .. } if reason.contains("workout")));
    }
}
