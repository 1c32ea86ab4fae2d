//! The one timestamp parser: ISO 8601 / RFC 3339 as the store, GPX and TCX write them, parsed
//! without allocation (a track has one per point, and a long history one per entry, so this is
//! on the hot path). [`parse`] takes a time with no zone as UTC (GPX says so); [`parse_zoned`],
//! used for the store, insists on the zone.

use chrono::{DateTime, Datelike, FixedOffset, TimeZone, Timelike};

/// An instant: milliseconds since the Unix epoch, and the offset the file wrote it in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    pub ms: i64,
    pub offset_s: i32,
}

impl Stamp {
    pub fn to_datetime(self) -> Option<DateTime<FixedOffset>> {
        let off = FixedOffset::east_opt(self.offset_s)?;
        off.timestamp_millis_opt(self.ms).single()
    }
}

/// The last calendar date parsed and its day number: a track's points share their date, so
/// most timestamps skip the date arithmetic.
#[derive(Clone, Copy, Debug, Default)]
pub struct DayCache {
    date: Option<[u8; 10]>,
    days: i64,
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.fff…][Z|±HH:MM|±HHMM]` (a space is accepted for `T`).
pub fn parse(text: &[u8]) -> Option<Stamp> {
    parse_cached(text, &mut DayCache::default())
}

/// [`parse`], reusing the day number of the previous call's date when it is the same.
pub fn parse_cached(text: &[u8], cache: &mut DayCache) -> Option<Stamp> {
    parse_inner(text, cache).map(|(stamp, _)| stamp)
}

/// [`parse`] for a time that must say its zone (`Z` or an offset), as RFC 3339 requires.
pub fn parse_zoned(text: &[u8]) -> Option<Stamp> {
    parse_inner(text, &mut DayCache::default()).and_then(|(stamp, zoned)| zoned.then_some(stamp))
}

/// The stamp, and whether the text named its zone.
fn parse_inner(text: &[u8], cache: &mut DayCache) -> Option<(Stamp, bool)> {
    let s = trim(text);
    if s.len() < 19 || !(s[10] == b'T' || s[10] == b't' || s[10] == b' ') {
        return None;
    }
    if s[13] != b':' || s[16] != b':' {
        return None;
    }
    let days = match cache.date {
        Some(d) if s[..10] == d => cache.days,
        _ => {
            let days = date_days(&s[..10])?;
            cache.date = s[..10].try_into().ok();
            cache.days = days;
            days
        }
    };
    let hour = digits(&s[11..13])? as i64;
    let minute = digits(&s[14..16])? as i64;
    let second = digits(&s[17..19])? as i64;
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut rest = &s[19..];
    let mut ms = 0i64;
    if let Some(frac) = rest.strip_prefix(b".").or_else(|| rest.strip_prefix(b",")) {
        let n = frac.iter().take_while(|b| b.is_ascii_digit()).count();
        if n == 0 {
            return None;
        }
        // Milliseconds, rounded from the first four digits.
        let mut scaled = 0i64;
        for i in 0..4 {
            scaled = scaled * 10
                + frac
                    .get(i)
                    .filter(|b| i < n && b.is_ascii_digit())
                    .map_or(0, |b| (b - b'0') as i64);
        }
        ms = (scaled + 5) / 10;
        rest = &frac[n..];
    }
    let zoned = !rest.is_empty();
    let offset_s = match rest {
        [] | [b'Z'] | [b'z'] => 0,
        [sign @ (b'+' | b'-'), tail @ ..] => {
            let (h, m) = match tail {
                [h1, h2, b':', m1, m2] | [h1, h2, m1, m2] => (digits(&[*h1, *h2])?, digits(&[*m1, *m2])?),
                [h1, h2] => (digits(&[*h1, *h2])?, 0),
                _ => return None,
            };
            if h > 23 || m > 59 {
                return None;
            }
            let off = (h * 3600 + m * 60) as i32;
            if *sign == b'-' { -off } else { off }
        }
        _ => return None,
    };
    let local_s = days * 86_400 + hour * 3600 + minute * 60 + second;
    let stamp = Stamp {
        ms: (local_s - offset_s as i64) * 1000 + ms,
        offset_s,
    };
    Some((stamp, zoned))
}

/// Days since 1970-01-01 of a valid `YYYY-MM-DD`.
fn date_days(s: &[u8]) -> Option<i64> {
    if s[4] != b'-' || s[7] != b'-' {
        return None;
    }
    let year = digits(&s[0..4])? as i64;
    let month = digits(&s[5..7])?;
    let day = digits(&s[8..10])?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    Some(days_from_civil(year, month, day))
}

fn trim(s: &[u8]) -> &[u8] {
    let start = s.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(s.len());
    let end = s
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    &s[start..end]
}

fn digits(s: &[u8]) -> Option<u32> {
    let mut v = 0u32;
    for &b in s {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v * 10 + (b - b'0') as u32;
    }
    Some(v)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Writes a stored time exactly as chrono's serde would (`2026-11-20T07:30:00Z`, or with its
/// `+01:00` offset), but from digits into a small buffer instead of through `fmt`, which cost a
/// fifth of saving a long history. Times chrono writes differently (fractions of a second,
/// offsets with seconds, years beyond four digits) go to chrono itself.
pub fn serialize_stored<S: serde::Serializer>(t: &DateTime<FixedOffset>, s: S) -> Result<S::Ok, S::Error> {
    let offset = t.offset().local_minus_utc();
    let local = t.naive_local();
    if local.nanosecond() != 0 || offset % 60 != 0 || !(0..=9999).contains(&local.year()) {
        return serde::Serialize::serialize(t, s);
    }
    let mut buf = [0u8; 25];
    let mut put = |at: usize, value: u32, width: usize| {
        let mut v = value;
        for i in (0..width).rev() {
            buf[at + i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    put(0, local.year() as u32, 4);
    put(5, local.month(), 2);
    put(8, local.day(), 2);
    put(11, local.hour(), 2);
    put(14, local.minute(), 2);
    put(17, local.second(), 2);
    let len = if offset == 0 {
        buf[19] = b'Z';
        20
    } else {
        let minutes = offset.unsigned_abs() / 60;
        put(20, minutes / 60, 2);
        put(23, minutes % 60, 2);
        buf[19] = if offset < 0 { b'-' } else { b'+' };
        buf[22] = b':';
        25
    };
    for (at, sep) in [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')] {
        buf[at] = sep;
    }
    // Only ASCII digits and separators were written.
    s.serialize_str(std::str::from_utf8(&buf[..len]).expect("ASCII"))
}

/// [`serialize_stored`] for an optional time.
pub fn serialize_stored_opt<S: serde::Serializer>(t: &Option<DateTime<FixedOffset>>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => serialize_stored(t, s),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chrono_ms(s: &str) -> i64 {
        DateTime::parse_from_rfc3339(s).unwrap().timestamp_millis()
    }

    #[test]
    fn agrees_with_chrono() {
        for s in [
            "2017-07-29T14:46:35.000Z",
            "2012-12-26T21:29:53Z",
            "1970-01-01T00:00:00Z",
            "2000-02-29T23:59:59.999+02:00",
            "2024-03-31T01:30:00-07:00",
            "1901-12-13T20:45:52.207Z",
            "2100-12-31T12:00:00Z",
        ] {
            assert_eq!(parse(s.as_bytes()).unwrap().ms, chrono_ms(s), "{s}");
        }
    }

    #[test]
    fn forms_gpx_files_use() {
        let a = parse(b"  2019-08-12T23:45:00Z\n").unwrap();
        assert_eq!(a.ms, chrono_ms("2019-08-12T23:45:00Z"));
        // No zone: UTC.
        assert_eq!(parse(b"2019-08-12T23:45:00").unwrap(), a);
        // Seven fraction digits, rounded to the millisecond.
        assert_eq!(
            parse(b"1901-12-13T20:45:52.2073437Z").unwrap().ms,
            chrono_ms("1901-12-13T20:45:52.207Z")
        );
        let off = parse(b"2019-08-12T23:45:00+0130").unwrap();
        assert_eq!(off.offset_s, 5400);
        assert_eq!(off.to_datetime().unwrap().to_rfc3339(), "2019-08-12T23:45:00+01:30");
    }

    #[test]
    fn the_day_cache_changes_nothing() {
        let mut cache = DayCache::default();
        for s in [
            "2024-05-01T06:00:00Z",
            "2024-05-01T23:59:59.5Z",
            "2024-05-02T00:00:00+02:00",
            "2024-05-02T00:00:01Z",
            "2024-13-02T00:00:01Z",
            "2024-05-02T00:00:02Z",
        ] {
            assert_eq!(parse_cached(s.as_bytes(), &mut cache), parse(s.as_bytes()), "{s}");
        }
        // An empty cache matches nothing, not even bytes that look like its zeroes.
        assert_eq!(
            parse_cached(b"\0\0\0\0\0\0\0\0\0\0T00:00:00Z", &mut DayCache::default()),
            None
        );
    }

    proptest::proptest! {
        #[test]
        fn stored_times_are_written_as_chrono_writes_them(
            secs in -2_208_988_800i64..7_258_118_400,
            offset_min in -1080i32..=1080,
            nanos in proptest::prop_oneof![proptest::strategy::Just(0u32), 1u32..1_000_000_000],
        ) {
            let offset = FixedOffset::east_opt(offset_min * 60).unwrap();
            let t = DateTime::from_timestamp(secs, nanos).unwrap().with_timezone(&offset);
            let mut ours = Vec::new();
            serialize_stored(&t, &mut serde_json::Serializer::new(&mut ours)).unwrap();
            proptest::prop_assert_eq!(String::from_utf8(ours).unwrap(), serde_json::to_string(&t).unwrap());
        }
    }

    #[test]
    fn zoned_times_must_name_their_zone() {
        assert!(parse_zoned(b"2019-08-12T23:45:00").is_none());
        let z = parse_zoned(b"2019-08-12T23:45:00+01:00").unwrap();
        assert_eq!(z.to_datetime().unwrap().to_rfc3339(), "2019-08-12T23:45:00+01:00");
        assert_eq!(parse_zoned(b"2019-08-12T23:45:00Z"), parse(b"2019-08-12T23:45:00Z"));
    }

    #[test]
    fn rejects_what_is_not_a_time() {
        for s in [
            "",
            "2019-08-12",
            "2019-13-12T00:00:00Z",
            "2019-02-29T00:00:00Z",
            "2019-08-12T24:00:00Z",
            "2019-08-12T23:45:00Q",
            "2019-08-12T23:45:00.",
        ] {
            assert!(parse(s.as_bytes()).is_none(), "{s}");
        }
    }
}
