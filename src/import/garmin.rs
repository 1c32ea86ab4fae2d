//! Garmin Connect's `…_summarizedActivities.json` (in `DI_CONNECT/DI-Connect-Fitness/` of an
//! "Export your data" archive): a summary per activity, with its sport. It is read as a stream
//! (heavy users' files pass 100 MB), one activity at a time, and used where it helps: it names the
//! sport of a file that records none, and it stands in for an activity whose file is missing.
//!
//! The layout: `[{"summarizedActivitiesExport": [ACTIVITY, …]}]` (also accepted: the object
//! alone, or the bare list). ACTIVITY has `activityId`, `activityType` (a name, or an object with
//! `typeKey`), `beginTimestamp` or `startTimeGmt` (ms since the Unix epoch), `duration` and
//! `elapsedDuration`, `movingDuration` (ms), `distance` (cm) and `avgHr`.

use std::fmt;
use std::io::Read;

use chrono::{DateTime, TimeZone, Utc};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::{Activity, ImportError, SpeedFacts, sport};

/// True for the summary file's name.
pub fn is_summary_name(name: &str) -> bool {
    name.rsplit('/')
        .next()
        .unwrap_or(name)
        .ends_with("summarizedActivities.json")
}

/// What the summary says of one activity.
#[derive(Default)]
struct Entry {
    id: Option<u64>,
    sport: Option<String>,
    start_ms: Option<f64>,
    duration_ms: Option<f64>,
    elapsed_ms: Option<f64>,
    moving_ms: Option<f64>,
    distance_cm: Option<f64>,
    avg_hr: Option<f64>,
}

impl Entry {
    fn activity(self, source: &str) -> Option<Activity> {
        let start: DateTime<Utc> = Utc.timestamp_millis_opt(self.start_ms? as i64).single()?;
        let elapsed_ms = self.elapsed_ms.or(self.duration_ms)?;
        Some(Activity {
            sport: sport::from_text(self.sport.as_deref().unwrap_or("")),
            sport_by: "Garmin activityType",
            start: start.fixed_offset(),
            distance_m: self.distance_cm.unwrap_or(0.0) / 100.0,
            elapsed_s: elapsed_ms / 1000.0,
            moving_s: self.moving_ms.or(self.duration_ms).map(|m| m / 1000.0),
            avg_hr: self.avg_hr.filter(|h| *h > 0.0),
            avg_cadence: None,
            gear: None,
            source: match self.id {
                Some(id) => format!("{source} (activity {id})"),
                None => source.to_string(),
            },
            speed: SpeedFacts::default(),
            stand_in: true,
        })
    }
}

/// Reads a summary file, one activity at a time, into activities that stand in for files.
pub fn read_summary(reader: impl Read, source: &str) -> Result<Vec<Activity>, ImportError> {
    let mut out = Vec::new();
    let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::new(reader));
    Any {
        on_entry: &mut |e: Entry| {
            if let Some(a) = e.activity(source) {
                out.push(a);
            }
        },
    }
    .deserialize(&mut de)
    .map_err(|e| ImportError::new(format!("damaged summarizedActivities.json: {e}")))?;
    de.end()
        .map_err(|e| ImportError::new(format!("damaged summarizedActivities.json: {e}")))?;
    Ok(out)
}

/// Any JSON value: lists are walked, objects read as an activity or a wrapper of a list of them.
struct Any<'a> {
    on_entry: &'a mut dyn FnMut(Entry),
}

impl<'de> DeserializeSeed<'de> for Any<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Any<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("Garmin's summarized activities")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq
            .next_element_seed(Any {
                on_entry: &mut *self.on_entry,
            })?
            .is_some()
        {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut e = Entry::default();
        let mut is_entry = false;
        let number = |v: serde_json::Value| v.as_f64();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "summarizedActivitiesExport" => map.next_value_seed(Any {
                    on_entry: &mut *self.on_entry,
                })?,
                "activityId" => {
                    is_entry = true;
                    e.id = number(map.next_value()?).map(|v| v as u64);
                }
                "activityType" => {
                    let v: serde_json::Value = map.next_value()?;
                    e.sport = v
                        .as_str()
                        .map(str::to_string)
                        .or_else(|| v.get("typeKey").and_then(|k| k.as_str()).map(str::to_string));
                }
                "beginTimestamp" => e.start_ms = number(map.next_value()?).or(e.start_ms),
                "startTimeGmt" => {
                    let v = number(map.next_value()?);
                    e.start_ms = e.start_ms.or(v);
                }
                "duration" => e.duration_ms = number(map.next_value()?),
                "elapsedDuration" => e.elapsed_ms = number(map.next_value()?),
                "movingDuration" => e.moving_ms = number(map.next_value()?),
                "distance" => e.distance_cm = number(map.next_value()?),
                "avgHr" => e.avg_hr = number(map.next_value()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if is_entry {
            (self.on_entry)(e);
        }
        Ok(())
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::Sport;

    #[test]
    fn reads_the_wrapped_list_one_activity_at_a_time() {
        let json = r#"[{"summarizedActivitiesExport": [
            {"activityId": 111, "name": "Morning Run", "activityType": "running", "sportType": "RUNNING",
             "beginTimestamp": 1700000000000, "duration": 1800000.0, "elapsedDuration": 1850000.0,
             "movingDuration": 1790000.0, "distance": 500000.0, "avgHr": 140.0,
             "splits": [{"x": [1, 2, {"y": null}]}]},
            {"activityId": 112, "activityType": {"typeKey": "road_biking"}, "startTimeGmt": 1700100000000,
             "duration": 3600000.0, "distance": 3000000.0},
            {"activityId": 113, "activityType": "running"}
        ]}]"#;
        let got = read_summary(json.as_bytes(), "s.json").unwrap();
        assert_eq!(got.len(), 2, "the one with no start is left out");
        let run = &got[0];
        assert_eq!(run.sport, Sport::Run("running".into()));
        assert_eq!(run.start.to_rfc3339(), "2023-11-14T22:13:20+00:00");
        assert_eq!(
            (run.distance_m, run.elapsed_s, run.moving_s),
            (5000.0, 1850.0, Some(1790.0))
        );
        assert_eq!(run.avg_hr, Some(140.0));
        assert_eq!(run.source, "s.json (activity 111)");
        assert!(run.stand_in);
        assert_eq!(got[1].sport, Sport::Other("road_biking".into()));
        // The bare list and damaged JSON.
        assert_eq!(
            read_summary(
                &br#"[{"activityId": 1, "beginTimestamp": 1700000000000, "duration": 60000}]"#[..],
                "s"
            )
            .unwrap()
            .len(),
            1
        );
        assert!(read_summary(&b"[{\"summarizedActivitiesExport\": [{"[..], "s").is_err());
        assert!(is_summary_name(
            "DI_CONNECT/DI-Connect-Fitness/me@x.com_0_summarizedActivities.json"
        ));
        assert!(!is_summary_name("DI_CONNECT/other.json"));
    }
}
