//! Local dates and times as people type them.
//!
//! Parsing happens in two steps so it can be tested without a clock: clap turns the text into a
//! [`WhenInput`], and [`WhenInput::resolve_at`] places it relative to a given "now" in the local zone
//! (chrono's `Local` honours `TZ`). Stored times keep their UTC offset (RFC 3339).

use std::str::FromStr;

use serde::Deserialize;

use chrono::{
    DateTime, Duration as ChronoDuration, FixedOffset, Local, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike,
};

use crate::error::InputError;

const WHEN_FORMS: &str = "2026-11-25, 2026-11-25T07:30, 2026-11-25 07:30, today, yesterday, or now";

/// A point in time as typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WhenInput {
    Now,
    Today,
    Yesterday,
    /// A calendar day with no time: placed at noon, so that it sorts sensibly and never
    /// slips into the neighbouring day when the offset changes.
    Date(NaiveDate),
    DateTime(NaiveDateTime),
}

impl FromStr for WhenInput {
    type Err = InputError;
    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let s = raw.trim();
        let lower = s.to_ascii_lowercase();
        match lower.as_str() {
            "now" => return Ok(WhenInput::Now),
            "today" => return Ok(WhenInput::Today),
            "yesterday" => return Ok(WhenInput::Yesterday),
            _ => {}
        }
        if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            return Ok(WhenInput::Date(d));
        }
        for fmt in [
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M",
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%d %H:%M:%S",
        ] {
            if let Ok(dt) = NaiveDateTime::parse_from_str(s, fmt) {
                return Ok(WhenInput::DateTime(dt));
            }
        }
        Err(InputError::new("date", raw, WHEN_FORMS))
    }
}

impl WhenInput {
    /// The moment this names, in the local zone, relative to `now`.
    /// `today` and `now` are the current moment; `yesterday` is the same time a day earlier.
    pub fn resolve_at(
        self,
        now: DateTime<FixedOffset>,
        field: &'static str,
    ) -> Result<DateTime<FixedOffset>, InputError> {
        let at = match self {
            WhenInput::Now | WhenInput::Today => now,
            WhenInput::Yesterday => now - ChronoDuration::days(1),
            WhenInput::Date(d) => local(d.and_time(NaiveTime::from_hms_opt(12, 0, 0).expect("noon")), field)?,
            WhenInput::DateTime(dt) => local(dt, field)?,
        };
        if at > now + ChronoDuration::days(1) {
            return Err(InputError::new(
                field,
                &at.format("%Y-%m-%d %H:%M").to_string(),
                "a time no more than a day ahead of now",
            ));
        }
        Ok(at)
    }

    /// As a list filter, relative to `now`: a day (or `today`, `yesterday`) covers the whole day,
    /// so `--since` takes its first moment and `--until` its last; a date with a time is exact.
    pub fn bound(
        self,
        now: DateTime<FixedOffset>,
        end_of_day: bool,
        field: &'static str,
    ) -> Result<DateTime<FixedOffset>, InputError> {
        let today = now.date_naive();
        let day = match self {
            WhenInput::Now => return Ok(now),
            WhenInput::DateTime(dt) => return local(dt, field),
            WhenInput::Today => today,
            WhenInput::Yesterday => today - ChronoDuration::days(1),
            WhenInput::Date(d) => d,
        };
        let time = if end_of_day {
            NaiveTime::from_hms_opt(23, 59, 59)
        } else {
            NaiveTime::from_hms_opt(0, 0, 0)
        };
        local(day.and_time(time.expect("valid time")), field)
    }
}

/// Reads a stored time: RFC 3339 with its zone, as the store writes it (`2026-11-20T07:30:00+01:00`
/// or `Z`), through the one timestamp parser ([`super::timefmt`]), which is several times faster
/// than chrono's.
pub fn deserialize_rfc3339<'de, D: serde::Deserializer<'de>>(d: D) -> Result<DateTime<FixedOffset>, D::Error> {
    let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
    parse_rfc3339(&s).ok_or_else(|| serde::de::Error::custom(format!("invalid time {s:?}: expected RFC 3339")))
}

pub fn parse_rfc3339(s: &str) -> Option<DateTime<FixedOffset>> {
    super::timefmt::parse_zoned(s.as_bytes())?.to_datetime()
}

/// Writes a time as every `--json` document shows it: RFC 3339, whole seconds, with its offset
/// (`+00:00`, never `Z`), so a time in one document compares equal to the same time in another.
/// For `#[serde(serialize_with = "...")]` on fields that are not stored.
pub fn serialize_rfc3339<S: serde::Serializer>(t: &DateTime<FixedOffset>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.to_rfc3339_opts(chrono::SecondsFormat::Secs, false))
}

/// [`serialize_rfc3339`] for an optional time (`null` when absent).
pub fn serialize_rfc3339_opt<S: serde::Serializer>(t: &Option<DateTime<FixedOffset>>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => serialize_rfc3339(t, s),
        None => s.serialize_none(),
    }
}

/// The current local time with its offset. Read once per call, by `settings::Settings`; the
/// rest of lumbar takes "now" from there.
pub fn now() -> DateTime<FixedOffset> {
    // Whole seconds: nobody times a run to the nanosecond, and stored times stay short.
    let t = Local::now().fixed_offset();
    t.with_nanosecond(0).unwrap_or(t)
}

/// A naive local time placed in the local zone. In the hour a clock skips, there is no such
/// time; in the hour it repeats, we take the earlier one.
fn local(dt: NaiveDateTime, field: &'static str) -> Result<DateTime<FixedOffset>, InputError> {
    Local
        .from_local_datetime(&dt)
        .earliest()
        .map(|t| t.fixed_offset())
        .ok_or_else(|| {
            InputError::new(
                field,
                &dt.to_string(),
                "a local time that exists (this one falls in a clock change)",
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed_now() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-11-25T08:00:00+00:00").unwrap()
    }

    #[test]
    fn contract_forms_parse() {
        assert_eq!("today".parse::<WhenInput>().unwrap(), WhenInput::Today);
        assert_eq!("Yesterday".parse::<WhenInput>().unwrap(), WhenInput::Yesterday);
        assert!(matches!("2026-11-25".parse::<WhenInput>().unwrap(), WhenInput::Date(_)));
        assert!(matches!(
            "2026-11-25T07:30".parse::<WhenInput>().unwrap(),
            WhenInput::DateTime(_)
        ));
        assert!(matches!(
            "2026-11-25 07:30".parse::<WhenInput>().unwrap(),
            WhenInput::DateTime(_)
        ));
        for bad in [
            "",
            "2026-13-01",
            "2026-02-30",
            "25/11/2026",
            "tomorrow",
            "2026-11-25T25:00",
        ] {
            assert!(bad.parse::<WhenInput>().is_err(), "{bad}");
        }
    }

    #[test]
    fn stored_times_agree_with_chrono() {
        for s in [
            "2026-11-20T07:30:00+01:00",
            "2026-11-20T07:30:00Z",
            "1999-12-31T23:59:59-09:30",
            "2026-03-29T01:00:00+00:00",
            "2026-11-20T07:30:00.5Z",
        ] {
            assert_eq!(parse_rfc3339(s), DateTime::parse_from_rfc3339(s).ok(), "{s}");
        }
        for bad in [
            "2026-13-20T07:30:00Z",
            "2026-11-20T24:30:00Z",
            "2026-11-20_07:30:00Z",
            "2026-11-20T07:30:00+1:00",
            "2026-11-20T07:30:00",
            "",
        ] {
            assert!(parse_rfc3339(bad).is_none(), "{bad}");
        }
    }

    proptest::proptest! {
        #[test]
        fn written_times_read_back(secs in 0i64..4_102_444_800, offset_min in -720i32..=840) {
            let offset = FixedOffset::east_opt(offset_min * 60).unwrap();
            let t = DateTime::from_timestamp(secs, 0).unwrap().with_timezone(&offset);
            let written = serde_json::to_string(&t).unwrap();
            let back: DateTime<FixedOffset> = deserialize_rfc3339(&mut serde_json::Deserializer::from_str(&written)).unwrap();
            proptest::prop_assert_eq!(back, t);
            proptest::prop_assert_eq!(back.offset(), t.offset());
        }
    }

    #[test]
    fn yesterday_is_a_day_back_and_the_future_is_bounded() {
        let now = fixed_now();
        assert_eq!(
            WhenInput::Yesterday.resolve_at(now, "date").unwrap(),
            now - ChronoDuration::days(1)
        );
        assert_eq!(WhenInput::Today.resolve_at(now, "date").unwrap(), now);
        let far = WhenInput::DateTime(
            NaiveDate::from_ymd_opt(2026, 11, 28)
                .unwrap()
                .and_hms_opt(8, 0, 0)
                .unwrap(),
        );
        assert!(far.resolve_at(now, "date").is_err());
    }
}
