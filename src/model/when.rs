//! Local dates and times as people type them.
//!
//! Parsing happens in two steps so it can be tested without a clock: clap turns the text into a
//! [`WhenInput`], and [`WhenInput::resolve_at`] places it relative to a given "now" in the local zone
//! (chrono's `Local` honours `TZ`; [`WhenInput::resolve_in`] takes any zone). Stored times keep
//! their UTC offset (RFC 3339), and every time lumbar prints can be typed back: RFC 3339 as
//! `--json` writes it, `Tue 2026-11-24 07:30` as the confirmations do, the dates of the tables.

use std::str::FromStr;

use serde::Deserialize;

use chrono::{
    DateTime, Datelike, Duration as ChronoDuration, FixedOffset, Local, NaiveDate, NaiveDateTime, NaiveTime, Offset,
    TimeZone, Timelike, Weekday,
};

use super::FIRST_YEAR;
use crate::error::InputError;

/// Every form [`WhenInput`] reads, for the messages that reject one.
pub const WHEN_FORMS: &str = "2026-11-25, 2026-11-25T07:30, '2026-11-25 07:30', 'Tue 2026-11-25 07:30', \
2026-11-25T07:30:00+01:00 (RFC 3339 with an offset, or Z), now, today, yesterday, '2 days ago', '3d ago', -3d, \
'1 week ago', -1w, a weekday such as monday (the last Monday, or today on a Monday), or 'last monday' \
(the Monday before today)";

/// How far back a relative date may reach: a century of days.
const MAX_DAYS_BACK: u32 = 36_525;

/// A point in time as typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WhenInput {
    Now,
    Today,
    Yesterday,
    /// `2 days ago`, `3d ago`, `-3d`, `1 week ago`, `-1w`: that many calendar days back, at the
    /// time of day of now.
    DaysAgo(u32),
    /// `monday`: the last Monday, or today when it is Monday. `last monday` (`strictly_before`):
    /// the Monday before today. At the time of day of now.
    Weekday {
        day: Weekday,
        strictly_before: bool,
    },
    /// A calendar day with no time: placed at noon, so that it sorts sensibly and never
    /// slips into the neighbouring day when the offset changes.
    Date(NaiveDate),
    DateTime(NaiveDateTime),
    /// A time with its offset (RFC 3339): an instant, whatever the local zone.
    Exact(DateTime<FixedOffset>),
}

impl FromStr for WhenInput {
    type Err = InputError;
    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let s = raw.trim();
        let lower = s.split_whitespace().collect::<Vec<_>>().join(" ").to_ascii_lowercase();
        match lower.as_str() {
            "now" => return Ok(WhenInput::Now),
            "today" => return Ok(WhenInput::Today),
            "yesterday" => return Ok(WhenInput::Yesterday),
            _ => {}
        }
        if let Some(days) = days_ago(&lower) {
            return match days {
                Some(n) => Ok(WhenInput::DaysAgo(n)),
                None => Err(InputError::new(
                    "date",
                    raw,
                    &format!("a relative date no more than {MAX_DAYS_BACK} days back"),
                )),
            };
        }
        if let Some(w) = weekday(&lower) {
            return Ok(WhenInput::Weekday {
                day: w,
                strictly_before: false,
            });
        }
        if let Some(w) = lower.strip_prefix("last ").and_then(weekday) {
            return Ok(WhenInput::Weekday {
                day: w,
                strictly_before: true,
            });
        }
        if let Some(t) = parse_rfc3339(s).or_else(|| DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M%:z").ok()) {
            return Ok(WhenInput::Exact(t));
        }
        // `Tue 2026-11-24 07:30`, as the confirmations print a time: the weekday must agree.
        let (named_day, rest) = match s.split_once(' ') {
            Some((first, rest)) if weekday(&first.to_ascii_lowercase()).is_some() => {
                (weekday(&first.to_ascii_lowercase()), rest.trim())
            }
            _ => (None, s),
        };
        let parsed = if let Ok(d) = NaiveDate::parse_from_str(rest, "%Y-%m-%d") {
            Some(WhenInput::Date(d))
        } else {
            [
                "%Y-%m-%dT%H:%M",
                "%Y-%m-%d %H:%M",
                "%Y-%m-%dT%H:%M:%S",
                "%Y-%m-%d %H:%M:%S",
            ]
            .iter()
            .find_map(|fmt| NaiveDateTime::parse_from_str(rest, fmt).ok())
            .map(WhenInput::DateTime)
        };
        let Some(parsed) = parsed else {
            return Err(InputError::new("date", raw, "a date or time").with_forms(WHEN_FORMS));
        };
        let date = match parsed {
            WhenInput::Date(d) => d,
            WhenInput::DateTime(dt) => dt.date(),
            _ => unreachable!("only dates and times are parsed here"),
        };
        match named_day {
            Some(day) if day != date.weekday() => Err(InputError::new(
                "date",
                raw,
                &format!(
                    "a weekday that agrees with the date: {date} is a {}",
                    day_name(date.weekday())
                ),
            )),
            _ => Ok(parsed),
        }
    }
}

/// `Some(Some(n))` for a relative number of days back, `Some(None)` for one too far back,
/// `None` for text that is not one.
fn days_ago(s: &str) -> Option<Option<u32>> {
    let (number, unit) = if let Some(rest) = s.strip_prefix('-') {
        let digits = rest.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        (digits, &rest[digits.len()..])
    } else {
        let rest = s.strip_suffix(" ago")?;
        let digits = rest.trim_end_matches(|c: char| c.is_ascii_alphabetic()).trim_end();
        (digits, rest[digits.len()..].trim_start())
    };
    let per = match unit {
        "d" | "day" | "days" => 1,
        "w" | "week" | "weeks" => 7,
        _ => return None,
    };
    let n: u64 = number.parse().ok()?;
    Some(
        n.checked_mul(per)
            .and_then(|d| u32::try_from(d).ok())
            .filter(|d| *d <= MAX_DAYS_BACK),
    )
}

/// The weekdays as typed, Monday first (chrono's order, so an index is a `Weekday`).
pub const WEEKDAY_NAMES: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

fn weekday(s: &str) -> Option<Weekday> {
    WEEKDAY_NAMES
        .iter()
        .position(|name| s == *name || (s.len() == 3 && name.starts_with(s)))
        .and_then(|i| Weekday::try_from(i as u8).ok())
}

/// "Sunday".
pub fn day_name(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

impl WhenInput {
    /// The moment this names, in the local zone, relative to `now`.
    /// `today` and `now` are the current moment; `yesterday`, `2 days ago` and a weekday are
    /// those days at the current time of day.
    pub fn resolve_at(
        self,
        now: DateTime<FixedOffset>,
        field: &'static str,
    ) -> Result<DateTime<FixedOffset>, InputError> {
        self.resolve_in(now, &Local, field)
    }

    /// [`resolve_at`](Self::resolve_at) in the zone `tz`.
    pub fn resolve_in<Tz: TimeZone>(
        self,
        now: DateTime<FixedOffset>,
        tz: &Tz,
        field: &'static str,
    ) -> Result<DateTime<FixedOffset>, InputError> {
        let local_now = now.with_timezone(tz).naive_local();
        let at = match self {
            WhenInput::Now | WhenInput::Today => now,
            WhenInput::Exact(t) => t,
            WhenInput::Date(d) => local(tz, d.and_time(NaiveTime::from_hms_opt(12, 0, 0).expect("noon")), field)?,
            WhenInput::DateTime(dt) => local(tz, dt, field)?,
            relative => {
                let day = relative.day(local_now.date()).expect("a relative day");
                same_time_of_day(tz, day.and_time(local_now.time()))
            }
        };
        if at > now + ChronoDuration::days(1) {
            return Err(InputError::new(
                field,
                &at.format("%Y-%m-%d %H:%M").to_string(),
                "a time no more than a day ahead of now",
            ));
        }
        // The store keeps dates from 1900 on; say so here, naming the field, rather than refuse
        // the save afterwards.
        if at.year() < FIRST_YEAR {
            return Err(InputError::new(
                field,
                &at.format("%Y-%m-%d").to_string(),
                &format!("a date in {FIRST_YEAR} or later"),
            )
            .with_forms(WHEN_FORMS));
        }
        Ok(at)
    }

    /// The calendar day of a form that names one relative to `today`.
    fn day(self, today: NaiveDate) -> Option<NaiveDate> {
        match self {
            WhenInput::Today => Some(today),
            WhenInput::Yesterday => Some(today - ChronoDuration::days(1)),
            WhenInput::DaysAgo(n) => Some(today - ChronoDuration::days(i64::from(n))),
            WhenInput::Weekday { day, strictly_before } => {
                let back = (7 + today.weekday().num_days_from_monday() - day.num_days_from_monday()) % 7;
                let back = if back == 0 && strictly_before { 7 } else { back };
                Some(today - ChronoDuration::days(i64::from(back)))
            }
            WhenInput::Date(d) => Some(d),
            WhenInput::Now | WhenInput::DateTime(_) | WhenInput::Exact(_) => None,
        }
    }

    /// As a list filter, relative to `now`: a day (or `today`, `yesterday`, `3d ago`, `monday`)
    /// covers the whole day, so `--since` takes its first moment and `--until` its last; a time
    /// is exact.
    pub fn bound(
        self,
        now: DateTime<FixedOffset>,
        end_of_day: bool,
        field: &'static str,
    ) -> Result<DateTime<FixedOffset>, InputError> {
        self.bound_in(now, &Local, end_of_day, field)
    }

    /// [`bound`](Self::bound) in the zone `tz`.
    pub fn bound_in<Tz: TimeZone>(
        self,
        now: DateTime<FixedOffset>,
        tz: &Tz,
        end_of_day: bool,
        field: &'static str,
    ) -> Result<DateTime<FixedOffset>, InputError> {
        let today = now.with_timezone(tz).date_naive();
        let day = match self {
            WhenInput::Now => return Ok(now),
            WhenInput::Exact(t) => return Ok(t),
            WhenInput::DateTime(dt) => return local(tz, dt, field),
            other => other.day(today).expect("a day"),
        };
        Ok(day_edge(tz, day, end_of_day))
    }
}

/// The first or last moment of a local day, even on a day whose midnight a clock change skips.
fn day_edge<Tz: TimeZone>(tz: &Tz, day: NaiveDate, end: bool) -> DateTime<FixedOffset> {
    let time = if end {
        NaiveTime::from_hms_opt(23, 59, 59)
    } else {
        NaiveTime::from_hms_opt(0, 0, 0)
    };
    let dt = day.and_time(time.expect("valid time"));
    let placed = if end {
        tz.from_local_datetime(&dt).latest()
    } else {
        tz.from_local_datetime(&dt).earliest()
    };
    placed
        .map(|t| t.fixed_offset())
        .unwrap_or_else(|| same_time_of_day(tz, dt))
}

/// A wall-clock time on another day: in the hour a clock repeats, the earlier; in the hour it
/// skips, the same time after the change (02:30 on the night clocks go from 02:00 to 03:00 is
/// 03:30), so a relative day never fails.
fn same_time_of_day<Tz: TimeZone>(tz: &Tz, dt: NaiveDateTime) -> DateTime<FixedOffset> {
    if let Some(t) = tz.from_local_datetime(&dt).earliest() {
        return t.fixed_offset();
    }
    // In the skipped hour: read the time with the offset in force just before the change.
    let before = (1..=4)
        .find_map(|h| tz.from_local_datetime(&(dt - ChronoDuration::hours(h))).earliest())
        .map_or(0, |t| t.offset().fix().local_minus_utc());
    let utc = dt - ChronoDuration::seconds(i64::from(before));
    tz.from_utc_datetime(&utc).fixed_offset()
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

/// A typed local time placed in the zone. In the hour a clock skips there is no such time, and
/// saying so beats guessing; in the hour it repeats, we take the earlier one.
fn local<Tz: TimeZone>(tz: &Tz, dt: NaiveDateTime, field: &'static str) -> Result<DateTime<FixedOffset>, InputError> {
    tz.from_local_datetime(&dt)
        .earliest()
        .map(|t| t.fixed_offset())
        .ok_or_else(|| {
            InputError::new(
                field,
                &dt.format("%Y-%m-%d %H:%M").to_string(),
                "a local time that exists (this one falls in the hour a clock change skips; \
                 give the time after the change, or the time with its offset)",
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

    /// Central European time for 2026: +01:00, and +02:00 from 2026-03-29 01:00 UTC (local 02:00
    /// skips to 03:00) to 2026-10-25 01:00 UTC (local 03:00 falls back to 02:00).
    #[derive(Clone, Copy, Debug)]
    struct Berlin2026;

    impl Berlin2026 {
        fn summer_utc(utc: &NaiveDateTime) -> bool {
            let start = NaiveDate::from_ymd_opt(2026, 3, 29)
                .unwrap()
                .and_hms_opt(1, 0, 0)
                .unwrap();
            let end = NaiveDate::from_ymd_opt(2026, 10, 25)
                .unwrap()
                .and_hms_opt(1, 0, 0)
                .unwrap();
            *utc >= start && *utc < end
        }
    }

    impl TimeZone for Berlin2026 {
        type Offset = FixedOffset;
        fn from_offset(_: &FixedOffset) -> Self {
            Berlin2026
        }
        fn offset_from_local_date(&self, local: &NaiveDate) -> chrono::LocalResult<FixedOffset> {
            self.offset_from_local_datetime(&local.and_hms_opt(12, 0, 0).unwrap())
        }
        fn offset_from_local_datetime(&self, local: &NaiveDateTime) -> chrono::LocalResult<FixedOffset> {
            let (winter, summer) = (
                FixedOffset::east_opt(3600).unwrap(),
                FixedOffset::east_opt(7200).unwrap(),
            );
            let fits = |o: FixedOffset| {
                let utc = *local - ChronoDuration::seconds(i64::from(o.local_minus_utc()));
                (Self::summer_utc(&utc) == (o == summer)).then_some(o)
            };
            match (fits(winter), fits(summer)) {
                (Some(w), Some(s)) => chrono::LocalResult::Ambiguous(s, w),
                (Some(o), None) | (None, Some(o)) => chrono::LocalResult::Single(o),
                (None, None) => chrono::LocalResult::None,
            }
        }
        fn offset_from_utc_date(&self, utc: &NaiveDate) -> FixedOffset {
            self.offset_from_utc_datetime(&utc.and_hms_opt(12, 0, 0).unwrap())
        }
        fn offset_from_utc_datetime(&self, utc: &NaiveDateTime) -> FixedOffset {
            FixedOffset::east_opt(if Self::summer_utc(utc) { 7200 } else { 3600 }).unwrap()
        }
    }

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn when(s: &str) -> WhenInput {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn rfc3339_with_an_offset_is_the_instant_typed() {
        for s in [
            "2026-11-25T07:30:00+01:00",
            "2026-11-25T06:30:00Z",
            "2026-11-25 07:30:00+01:00",
            "2026-11-25T07:30+01:00",
        ] {
            let w = when(s);
            assert_eq!(
                w.resolve_in(fixed_now(), &Berlin2026, "date").unwrap(),
                at("2026-11-25T06:30:00Z"),
                "{s}"
            );
        }
        // The offset typed is kept, so it prints back as typed.
        let t = when("2026-11-25T07:30:00+01:00")
            .resolve_at(fixed_now(), "date")
            .unwrap();
        assert_eq!(t.to_rfc3339(), "2026-11-25T07:30:00+01:00");
    }

    #[test]
    fn relative_days_and_weeks() {
        let now = at("2026-11-25T08:15:00+01:00"); // a Wednesday
        let z = &Berlin2026;
        for (typed, expect) in [
            ("2 days ago", "2026-11-23T08:15:00+01:00"),
            ("2 DAYS  AGO", "2026-11-23T08:15:00+01:00"),
            ("1 day ago", "2026-11-24T08:15:00+01:00"),
            ("3d ago", "2026-11-22T08:15:00+01:00"),
            ("-3d", "2026-11-22T08:15:00+01:00"),
            ("1 week ago", "2026-11-18T08:15:00+01:00"),
            ("-2w", "2026-11-11T08:15:00+01:00"),
            ("0 days ago", "2026-11-25T08:15:00+01:00"),
            ("yesterday", "2026-11-24T08:15:00+01:00"),
            ("monday", "2026-11-23T08:15:00+01:00"),
            ("mon", "2026-11-23T08:15:00+01:00"),
            ("last monday", "2026-11-23T08:15:00+01:00"),
            ("wednesday", "2026-11-25T08:15:00+01:00"),
            ("last wednesday", "2026-11-18T08:15:00+01:00"),
            ("thursday", "2026-11-19T08:15:00+01:00"),
            ("sunday", "2026-11-22T08:15:00+01:00"),
        ] {
            assert_eq!(when(typed).resolve_in(now, z, "date").unwrap(), at(expect), "{typed}");
        }
        for bad in [
            "2 days",
            "days ago",
            "-3",
            "-3x",
            "3 months ago",
            "last",
            "last someday",
            "99999999 days ago",
        ] {
            assert!(bad.parse::<WhenInput>().is_err(), "{bad}");
        }
        let err = "100000 days ago".parse::<WhenInput>().unwrap_err().to_string();
        assert!(err.contains("36525"), "{err}");
    }

    #[test]
    fn a_list_filter_takes_the_whole_day() {
        let now = at("2026-11-25T08:15:00+01:00");
        let z = &Berlin2026;
        assert_eq!(
            when("monday").bound_in(now, z, false, "since").unwrap(),
            at("2026-11-23T00:00:00+01:00")
        );
        assert_eq!(
            when("-2d").bound_in(now, z, true, "until").unwrap(),
            at("2026-11-23T23:59:59+01:00")
        );
        assert_eq!(
            when("2026-11-25T07:30:00+01:00")
                .bound_in(now, z, false, "since")
                .unwrap(),
            at("2026-11-25T07:30:00+01:00")
        );
    }

    #[test]
    fn clock_changes() {
        let z = &Berlin2026;
        let spring = at("2026-03-30T02:30:00+02:00"); // the day after clocks went forward
        // A day back lands in the skipped hour: the same time after the change.
        assert_eq!(
            when("yesterday").resolve_in(spring, z, "date").unwrap(),
            at("2026-03-29T03:30:00+02:00")
        );
        // Typed in the skipped hour: refused, naming the field and the way out.
        let err = when("2026-03-29 02:30")
            .resolve_in(spring, z, "date")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("date '2026-03-29 02:30'") && err.contains("clock change"),
            "{err}"
        );
        // The hour that repeats: the earlier one.
        let autumn = at("2026-10-26T09:00:00+01:00");
        assert_eq!(
            when("2026-10-25 02:30").resolve_in(autumn, z, "date").unwrap(),
            at("2026-10-25T02:30:00+02:00")
        );
        // Whole days keep their local edges across the change, with the offset of each edge.
        assert_eq!(
            when("2026-03-29").bound_in(spring, z, false, "since").unwrap(),
            at("2026-03-29T00:00:00+01:00")
        );
        assert_eq!(
            when("2026-03-29").bound_in(spring, z, true, "until").unwrap(),
            at("2026-03-29T23:59:59+02:00")
        );
        assert_eq!(
            when("2026-03-29").resolve_in(spring, z, "date").unwrap(),
            at("2026-03-29T12:00:00+02:00")
        );
        // A week back across the change keeps the time of day, not the count of hours.
        assert_eq!(
            when("1 week ago").resolve_in(spring, z, "date").unwrap(),
            at("2026-03-23T02:30:00+01:00")
        );
    }

    #[test]
    fn printed_times_read_back() {
        let z = &Berlin2026;
        let now = at("2026-11-25T20:00:00+01:00");
        let t = at("2026-11-24T07:30:00+01:00");
        // --json: RFC 3339 with the offset.
        let json = t.to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
        assert_eq!(when(&json).resolve_in(now, z, "date").unwrap(), t);
        // Confirmations: "Tue 2026-11-24 07:30"; the pain table: "2026-11-24 07:30".
        for printed in [
            t.format("%a %Y-%m-%d %H:%M").to_string(),
            t.format("%Y-%m-%d %H:%M").to_string(),
        ] {
            assert_eq!(when(&printed).resolve_in(now, z, "date").unwrap(), t, "{printed}");
        }
        // The run table's date, as a filter, covers the run.
        let day = t.format("%Y-%m-%d").to_string();
        assert!(when(&day).bound_in(now, z, false, "since").unwrap() <= t);
        assert!(when(&day).bound_in(now, z, true, "until").unwrap() >= t);
        // A weekday that disagrees with the date is refused.
        let err = "Wed 2026-11-24 07:30".parse::<WhenInput>().unwrap_err().to_string();
        assert!(err.contains("Tuesday"), "{err}");
    }

    #[test]
    fn the_error_lists_every_form() {
        let err = "next tuesday".parse::<WhenInput>().unwrap_err().to_string();
        for form in [
            "2026-11-25T07:30:00+01:00",
            "2 days ago",
            "-3d",
            "monday",
            "last monday",
            "yesterday",
        ] {
            assert!(err.contains(form), "{form} missing from: {err}");
        }
    }

    #[test]
    fn dates_before_1900_are_refused_naming_the_field() {
        let now = DateTime::parse_from_rfc3339("2026-11-25T08:00:00+00:00").unwrap();
        let e = "1899-12-31T12:00:00Z"
            .parse::<WhenInput>()
            .unwrap()
            .resolve_at(now, "date")
            .unwrap_err();
        assert_eq!(e.field, "date");
        assert!(e.expected.contains("1900 or later"), "{e}");
        assert!(
            "1900-01-01T12:00:00Z"
                .parse::<WhenInput>()
                .unwrap()
                .resolve_at(now, "date")
                .is_ok()
        );
    }
}
