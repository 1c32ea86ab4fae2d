//! Distances, durations and paces: what people type, what we store, what we show.
//!
//! Everything is stored in SI units (metres, seconds) so that a change of display units
//! never rewrites history; parsing and `Display` are the only places units appear.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::InputError;

/// One statute mile, exactly.
pub const METRES_PER_MILE: f64 = 1609.344;
/// The longest single run we accept.
pub const MAX_DISTANCE_M: f64 = 500_000.0;
/// The longest single run we accept, in time.
pub const MAX_DURATION_S: u64 = 48 * 3600;
/// Faster than this per kilometre is not a human run (the world record is about 2:50 /km).
pub const FASTEST_PACE_S_PER_KM: f64 = 120.0;
/// Ceiling for a shoe's limit or starting distance: far beyond any real pair, but finite.
pub const MAX_SHOE_DISTANCE_M: f64 = 10_000_000.0;

const DISTANCE_FORMS: &str = "5k, 5km, 5 km, 3.1mi, 3.1 miles, 800m, half, marathon, or a bare number in your units";
const DURATION_FORMS: &str = "28:30 (m:ss), 1:02:03 (h:mm:ss), 45m, 1h5m, 1h05m30s, 2700s, or a bare number of minutes";

/// The units a person reads distances in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Units {
    #[default]
    Km,
    Mi,
}

impl Units {
    pub fn metres(self) -> f64 {
        match self {
            Units::Km => 1000.0,
            Units::Mi => METRES_PER_MILE,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Units::Km => "km",
            Units::Mi => "mi",
        }
    }
}

impl fmt::Display for Units {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl FromStr for Units {
    type Err = InputError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "km" | "kilometres" | "kilometers" => Ok(Units::Km),
            "mi" | "miles" => Ok(Units::Mi),
            _ => Err(InputError::new("units", s, "km or mi")),
        }
    }
}

/// A distance as typed: either in explicit units, or a bare number whose unit
/// comes from the runner's settings (resolved later, once the config is loaded).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum DistanceInput {
    Metres(f64),
    Bare(f64),
}

impl DistanceInput {
    /// Resolves the bare-number case and checks the limits every stored distance obeys.
    pub fn resolve(self, units: Units, field: &'static str) -> Result<Distance, InputError> {
        let m = match self {
            DistanceInput::Metres(m) => m,
            DistanceInput::Bare(n) => n * units.metres(),
        };
        Distance::checked(m, field)
    }

    /// For limits and totals (a shoe's life, a starting mileage): positive, up to `max_m`.
    pub fn resolve_within(self, units: Units, field: &'static str, max_m: f64) -> Result<Distance, InputError> {
        let m = match self {
            DistanceInput::Metres(m) => m,
            DistanceInput::Bare(n) => n * units.metres(),
        };
        if !(m > 0.0 && m <= max_m) {
            let expected = format!("a distance greater than zero and at most {:.0} km", max_m / 1000.0);
            return Err(InputError::new(field, &format!("{:.1} km", m / 1000.0), &expected).with_forms(DISTANCE_FORMS));
        }
        Ok(Distance(m))
    }
}

impl FromStr for DistanceInput {
    type Err = InputError;
    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        parse_distance(raw).ok_or_else(|| InputError::new("distance", raw, DISTANCE_FORMS))
    }
}

fn parse_distance(raw: &str) -> Option<DistanceInput> {
    let s = raw.trim().to_ascii_lowercase();
    match s.as_str() {
        "half" | "half-marathon" | "half marathon" => return Some(DistanceInput::Metres(21_097.5)),
        "marathon" => return Some(DistanceInput::Metres(42_195.0)),
        _ => {}
    }
    let split = s.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let value = parse_plain_number(num)?;
    let factor = match unit.trim() {
        "" => return Some(DistanceInput::Bare(value)),
        "k" | "km" | "kms" | "kilometre" | "kilometres" | "kilometer" | "kilometers" => 1000.0,
        "mi" | "mile" | "miles" => METRES_PER_MILE,
        "m" | "metre" | "metres" | "meter" | "meters" => 1.0,
        _ => return None,
    };
    Some(DistanceInput::Metres(value * factor))
}

/// A plain non-negative decimal: digits with at most one point. Rejects "inf", "1e3", "-1".
fn parse_plain_number(s: &str) -> Option<f64> {
    let ok = !s.is_empty()
        && s.chars().all(|c| c.is_ascii_digit() || c == '.')
        && s.chars().filter(|&c| c == '.').count() <= 1
        && s != ".";
    if ok { s.parse().ok() } else { None }
}

/// A distance in metres.
#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Distance(pub f64);

impl Distance {
    pub fn metres(self) -> f64 {
        self.0
    }

    /// A run's distance: positive and at most [`MAX_DISTANCE_M`].
    pub fn checked(m: f64, field: &'static str) -> Result<Self, InputError> {
        if !m.is_finite() || m <= 0.0 {
            return Err(InputError::new(field, &fmt_num(m), "a distance greater than zero").with_forms(DISTANCE_FORMS));
        }
        if m > MAX_DISTANCE_M {
            return Err(InputError::new(
                field,
                &format!("{:.1} km", m / 1000.0),
                "at most 500 km",
            ));
        }
        Ok(Distance(m))
    }

    pub fn in_units(self, units: Units) -> f64 {
        self.0 / units.metres()
    }

    /// "8.20 km" / "5.10 mi".
    pub fn display(self, units: Units) -> String {
        format!("{:.2} {}", self.in_units(units), units.label())
    }
}

fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

/// A duration in whole seconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Duration(pub u64);

impl Duration {
    pub fn seconds(self) -> u64 {
        self.0
    }

    pub fn checked(secs: u64, field: &'static str) -> Result<Self, InputError> {
        if secs == 0 {
            return Err(InputError::new(field, "0", "a duration greater than zero").with_forms(DURATION_FORMS));
        }
        if secs > MAX_DURATION_S {
            return Err(InputError::new(field, &Duration(secs).to_string(), "at most 48 hours"));
        }
        Ok(Duration(secs))
    }
}

impl FromStr for Duration {
    type Err = InputError;
    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let secs = parse_duration(raw).ok_or_else(|| InputError::new("duration", raw, DURATION_FORMS))?;
        Duration::checked(secs, "duration")
    }
}

fn parse_duration(raw: &str) -> Option<u64> {
    let s = raw.trim().to_ascii_lowercase();
    if s.is_empty() {
        return None;
    }
    if s.contains(':') {
        // m:ss or h:mm:ss; the parts after the first must be two digits below 60.
        let parts: Vec<&str> = s.split(':').collect();
        if parts.len() > 3
            || parts
                .iter()
                .any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()))
        {
            return None;
        }
        let mut total: u64 = parts[0].parse().ok()?;
        for p in &parts[1..] {
            let v: u64 = p.parse().ok()?;
            if p.len() != 2 || v >= 60 {
                return None;
            }
            total = total.checked_mul(60)?.checked_add(v)?;
        }
        return Some(total);
    }
    if s.chars().all(|c| c.is_ascii_digit() || c == '.') {
        // A bare number is minutes; allow a fraction ("27.5").
        let minutes = parse_plain_number(&s)?;
        return Some((minutes * 60.0).round() as u64);
    }
    // Unit groups in order: h, m, s, each at most once ("1h05m30s", "45m", "2700s").
    let mut total: u64 = 0;
    let mut rest = s.as_str();
    let mut last_rank = 0;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        if digits == 0 {
            return None;
        }
        let value: u64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let unit_len = rest.find(|c: char| c.is_ascii_digit()).unwrap_or(rest.len());
        let (rank, mult) = match rest[..unit_len].trim() {
            "h" | "hr" | "hrs" | "hour" | "hours" => (1, 3600),
            "m" | "min" | "mins" | "minute" | "minutes" => (2, 60),
            "s" | "sec" | "secs" | "second" | "seconds" => (3, 1),
            _ => return None,
        };
        if rank <= last_rank {
            return None;
        }
        last_rank = rank;
        total = total.checked_add(value.checked_mul(mult)?)?;
        rest = &rest[unit_len..];
    }
    Some(total)
}

impl fmt::Display for Duration {
    /// "28:30" under an hour, "1:02:03" from an hour up: the same forms the parser takes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (h, m, s) = (self.0 / 3600, self.0 / 60 % 60, self.0 % 60);
        if h > 0 {
            write!(f, "{h}:{m:02}:{s:02}")
        } else {
            write!(f, "{m}:{s:02}")
        }
    }
}

/// Seconds per kilometre.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
pub struct Pace(pub f64);

impl Pace {
    pub fn of(distance: Distance, duration: Duration) -> Pace {
        Pace(duration.0 as f64 / (distance.0 / 1000.0))
    }

    pub fn s_per_km(self) -> f64 {
        self.0
    }

    /// "5:08 /km" or "8:16 /mi".
    pub fn display(self, units: Units) -> String {
        let per_unit = (self.0 * units.metres() / 1000.0).round() as u64;
        format!("{}:{:02} /{}", per_unit / 60, per_unit % 60, units.label())
    }

    /// Rejects paces no runner can hold.
    pub fn check(self) -> Result<Self, InputError> {
        if self.0 < FASTEST_PACE_S_PER_KM {
            let shown = self.display(Units::Km);
            return Err(InputError::new(
                "pace",
                &shown,
                "no faster than 2:00 /km (check the distance and the duration)",
            ));
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> f64 {
        s.parse::<DistanceInput>()
            .unwrap()
            .resolve(Units::Km, "distance")
            .unwrap()
            .0
    }

    #[test]
    fn distance_forms_from_the_contract() {
        assert_eq!(m("5k"), 5000.0);
        assert_eq!(m("5km"), 5000.0);
        assert_eq!(m("5 km"), 5000.0);
        assert!((m("3.1mi") - 3.1 * 1609.344).abs() < 1e-9);
        assert!((m("3.1 miles") - 3.1 * 1609.344).abs() < 1e-9);
        assert_eq!(m("800m"), 800.0);
        assert_eq!(m("half"), 21_097.5);
        assert_eq!(m("marathon"), 42_195.0);
        assert_eq!(m("8"), 8000.0);
        let mi = "5"
            .parse::<DistanceInput>()
            .unwrap()
            .resolve(Units::Mi, "distance")
            .unwrap();
        assert!((mi.0 - 5.0 * 1609.344).abs() < 1e-9);
    }

    #[test]
    fn distance_rejections() {
        for bad in ["", "-5k", "abc", "5 parsecs", "1e3", "inf", "5..1k", "."] {
            assert!(bad.parse::<DistanceInput>().is_err(), "{bad:?} should not parse");
        }
        assert!(
            "0".parse::<DistanceInput>()
                .unwrap()
                .resolve(Units::Km, "distance")
                .is_err()
        );
        assert!(
            "501km"
                .parse::<DistanceInput>()
                .unwrap()
                .resolve(Units::Km, "distance")
                .is_err()
        );
        assert!(
            "500km"
                .parse::<DistanceInput>()
                .unwrap()
                .resolve(Units::Km, "distance")
                .is_ok()
        );
    }

    #[test]
    fn duration_forms_from_the_contract() {
        let d = |s: &str| s.parse::<Duration>().unwrap().0;
        assert_eq!(d("28:30"), 1710);
        assert_eq!(d("1:02:03"), 3723);
        assert_eq!(d("45m"), 2700);
        assert_eq!(d("1h5m"), 3900);
        assert_eq!(d("1h05m30s"), 3930);
        assert_eq!(d("2700s"), 2700);
        assert_eq!(d("45"), 2700);
        assert_eq!(d("48h"), 48 * 3600);
    }

    #[test]
    fn duration_rejections() {
        for bad in [
            "",
            "0",
            "0:00",
            "-5",
            "28:60",
            "1:2:3",
            "5m3h",
            "1h1h",
            "49h",
            "abc",
            "::",
            "1:02:03:04",
        ] {
            assert!(bad.parse::<Duration>().is_err(), "{bad:?} should not parse");
        }
    }

    #[test]
    fn pace_display_and_limit() {
        let p = Pace::of(Distance(5000.0), Duration(1500));
        assert_eq!(p.display(Units::Km), "5:00 /km");
        assert_eq!(p.display(Units::Mi), "8:03 /mi");
        assert!(Pace::of(Distance(1000.0), Duration(119)).check().is_err());
        assert!(Pace::of(Distance(1000.0), Duration(120)).check().is_ok());
    }

    proptest::proptest! {
        #[test]
        fn duration_display_then_parse_is_identity(secs in 1u64..=MAX_DURATION_S) {
            let shown = Duration(secs).to_string();
            proptest::prop_assert_eq!(shown.parse::<Duration>().unwrap(), Duration(secs));
        }

        #[test]
        fn distance_display_then_parse_is_the_identity_on_what_is_shown(cm in 1u64..50_000_000u64, mi in proptest::bool::ANY) {
            // Display keeps two decimals, so parsing what is shown gives the distance back to
            // within half a hundredth of a unit, and showing that again gives the same text.
            let units = if mi { Units::Mi } else { Units::Km };
            let d = Distance(cm as f64 / 100.0);
            let shown = d.display(units);
            let back = match shown.parse::<DistanceInput>().unwrap() {
                DistanceInput::Metres(m) => Distance(m),
                DistanceInput::Bare(_) => panic!("display lost its unit: {shown}"),
            };
            proptest::prop_assert!((back.0 - d.0).abs() <= units.metres() * 0.005 + 1e-6, "{} -> {}", shown, back.0);
            proptest::prop_assert_eq!(back.display(units), shown);
        }

        #[test]
        fn units_display_then_parse(mi in proptest::bool::ANY) {
            let u = if mi { Units::Mi } else { Units::Km };
            proptest::prop_assert_eq!(u.to_string().parse::<Units>().unwrap(), u);
        }
    }
}
