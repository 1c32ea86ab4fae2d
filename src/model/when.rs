//! Local dates and times as people type them.
//!
//! Parsing happens in two steps so it can be tested without a clock: clap turns the text into a
//! [`WhenInput`], and [`WhenInput::resolve`] places it relative to a given "now" in the local zone
//! (chrono's `Local` honours `TZ`). Stored times keep their UTC offset (RFC 3339).

use std::str::FromStr;

use chrono::{DateTime, Duration as ChronoDuration, FixedOffset, Local, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};

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

    pub fn resolve(self, field: &'static str) -> Result<DateTime<FixedOffset>, InputError> {
        self.resolve_at(now(), field)
    }

    /// As a list filter: a day (or `today`, `yesterday`) covers the whole day, so `--since`
    /// takes its first moment and `--until` its last; a date with a time is exact.
    pub fn bound(self, end_of_day: bool, field: &'static str) -> Result<DateTime<FixedOffset>, InputError> {
        let today = now().date_naive();
        let day = match self {
            WhenInput::Now => return Ok(now()),
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

/// The current local time with its offset.
pub fn now() -> DateTime<FixedOffset> {
    Local::now().fixed_offset()
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
