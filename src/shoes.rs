//! Shoe mileage and status, and finding a pair by what a runner types.
//!
//! Mileage is never stored: it is the pair's starting distance plus every run logged in it,
//! so editing or removing a run is reflected at once. A pair removed while runs were logged in
//! it stays in the store as a tombstone (`removed`), so those runs keep naming it; tombstones
//! are left out of every list, every name lookup and every rule.

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::error::InputError;
use crate::model::{Data, IdMap, Run, Shoe};

/// "nearing" from this share of the limit.
pub const NEARING_SHARE: f64 = 0.8;
/// How far back the pace of use is measured for the "reaches its limit" estimate.
pub const USE_RATE_WINDOW_DAYS: i64 = 56;
/// The shortest span the pace of use is averaged over, so one run on a new pair does not
/// predict it will be worn out next week.
pub const MIN_OBSERVED_DAYS: i64 = 7;
/// The longest name we accept: it has to fit a table.
pub const MAX_NAME_CHARS: usize = 40;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ShoeStatus {
    Ok,
    Nearing,
    Replace,
    Retired,
}

impl ShoeStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ShoeStatus::Ok => "ok",
            ShoeStatus::Nearing => "nearing",
            ShoeStatus::Replace => "replace",
            ShoeStatus::Retired => "retired",
        }
    }

    /// The wear status of a distance against a limit, ignoring retirement.
    pub fn for_distance(distance_m: f64, limit_m: f64) -> ShoeStatus {
        if distance_m >= limit_m {
            ShoeStatus::Replace
        } else if distance_m >= NEARING_SHARE * limit_m {
            ShoeStatus::Nearing
        } else {
            ShoeStatus::Ok
        }
    }
}

/// One pair with everything worked out from its runs.
#[derive(Clone, Debug)]
pub struct ShoeSummary<'a> {
    pub shoe: &'a Shoe,
    pub distance_m: f64,
    pub limit_m: f64,
    pub runs: usize,
    pub status: ShoeStatus,
    pub first_run: Option<DateTime<FixedOffset>>,
    pub last_run: Option<DateTime<FixedOffset>>,
    pub reaches_limit_on: Option<NaiveDate>,
}

impl ShoeSummary<'_> {
    pub fn share(&self) -> f64 {
        if self.limit_m > 0.0 {
            self.distance_m / self.limit_m
        } else {
            0.0
        }
    }

    /// The wear status whether or not the pair is retired.
    pub fn wear(&self) -> ShoeStatus {
        ShoeStatus::for_distance(self.distance_m, self.limit_m)
    }
}

/// The limit that applies to a pair: its own, or the configured default.
pub fn limit_of(shoe: &Shoe, data: &Data) -> f64 {
    shoe.limit_m.unwrap_or(data.config.shoe_limit_m)
}

/// Distance on a pair: its start plus all its runs.
pub fn mileage(data: &Data, shoe_id: u64) -> f64 {
    let start = data.shoe(shoe_id).map_or(0.0, |s| s.start_m);
    start
        + data
            .runs
            .iter()
            .filter(|r| r.shoe_id == Some(shoe_id))
            .map(|r| r.distance_m)
            .sum::<f64>()
}

/// What one pass over the runs collects for one pair.
#[derive(Clone, Copy, Default)]
struct Use {
    run_m: f64,
    runs: usize,
    first: Option<DateTime<FixedOffset>>,
    last: Option<DateTime<FixedOffset>>,
    recent_m: f64,
}

impl Use {
    /// Counts one run in this pair; `window_start` opens the recent-use window.
    fn add(&mut self, r: &Run, window_start: NaiveDate) {
        self.run_m += r.distance_m;
        self.runs += 1;
        self.first = Some(self.first.map_or(r.start, |f| f.min(r.start)));
        self.last = Some(self.last.map_or(r.start, |l| l.max(r.start)));
        if r.start.date_naive() > window_start {
            self.recent_m += r.distance_m;
        }
    }
}

/// Summaries of every pair that was not removed (retired ones too), in the order they were
/// added. One pass over the runs, whatever the number of pairs.
pub fn summaries(data: &Data, today: NaiveDate) -> Vec<ShoeSummary<'_>> {
    let window_start = today - chrono::Duration::days(USE_RATE_WINDOW_DAYS);
    let mut uses: IdMap<Use> = IdMap::default();
    for r in &data.runs {
        let Some(id) = r.shoe_id else { continue };
        uses.entry(id).or_default().add(r, window_start);
    }
    data.shoes
        .iter()
        .filter(|s| !s.removed)
        .map(|s| build(data, s, uses.get(&s.id).copied().unwrap_or_default(), today))
        .collect()
}

/// The summary of one pair.
pub fn summarize<'a>(data: &'a Data, shoe: &'a Shoe, today: NaiveDate) -> ShoeSummary<'a> {
    let window_start = today - chrono::Duration::days(USE_RATE_WINDOW_DAYS);
    let mut u = Use::default();
    for r in data.runs.iter().filter(|r| r.shoe_id == Some(shoe.id)) {
        u.add(r, window_start);
    }
    build(data, shoe, u, today)
}

fn build<'a>(data: &Data, shoe: &'a Shoe, u: Use, today: NaiveDate) -> ShoeSummary<'a> {
    let distance_m = shoe.start_m + u.run_m;
    let limit_m = limit_of(shoe, data);
    let wear = ShoeStatus::for_distance(distance_m, limit_m);
    let status = if shoe.retired { ShoeStatus::Retired } else { wear };
    let reaches_limit_on = match (status, u.first) {
        (ShoeStatus::Ok | ShoeStatus::Nearing, Some(first)) => {
            reaches_limit(distance_m, limit_m, u.recent_m, first.date_naive(), today)
        }
        _ => None,
    };
    ShoeSummary {
        shoe,
        distance_m,
        limit_m,
        runs: u.runs,
        status,
        first_run: u.first,
        last_run: u.last,
        reaches_limit_on,
    }
}

/// At the pace of use of the last eight weeks (or since first use, if newer, but over at
/// least a week), the day the pair reaches its limit. `None` when it was not used lately.
pub fn reaches_limit(
    distance_m: f64,
    limit_m: f64,
    recent_m: f64,
    first_use: NaiveDate,
    today: NaiveDate,
) -> Option<NaiveDate> {
    if recent_m <= 0.0 {
        return None;
    }
    let window_start = today - chrono::Duration::days(USE_RATE_WINDOW_DAYS);
    let days_observed = (today - first_use.max(window_start)).num_days().max(MIN_OBSERVED_DAYS) as f64;
    let per_day = recent_m / days_observed;
    let days_left = ((limit_m - distance_m).max(0.0) / per_day).ceil();
    // Far beyond any real pair's life; also keeps the cast below in range.
    if days_left > 365.0 * 100.0 {
        return None;
    }
    today.checked_add_signed(chrono::Duration::days(days_left as i64))
}

/// Pairs a name can refer to: everything but tombstones.
fn nameable(data: &Data) -> impl Iterator<Item = &Shoe> {
    data.shoes.iter().filter(|s| !s.removed)
}

/// Finds a pair by id, exact name, or unique case-insensitive prefix. Retired pairs are
/// found too (they can still be renamed, removed or have an old run logged in them).
pub fn resolve(data: &Data, typed: &str) -> Result<u64, InputError> {
    let t = typed.trim();
    if let Ok(id) = t.parse::<u64>()
        && nameable(data).any(|s| s.id == id)
    {
        return Ok(id);
    }
    let lower = t.to_lowercase();
    if !lower.is_empty() {
        if let Some(s) = nameable(data).find(|s| s.name.to_lowercase() == lower) {
            return Ok(s.id);
        }
        let matches: Vec<&Shoe> = nameable(data)
            .filter(|s| s.name.to_lowercase().starts_with(&lower))
            .collect();
        match matches.as_slice() {
            [one] => return Ok(one.id),
            [] => {}
            many => {
                return Err(InputError::new(
                    "shoe",
                    typed,
                    &format!("a name that matches one pair; it matches {}", describe(many)),
                ));
            }
        }
    }
    let all: Vec<&Shoe> = nameable(data).collect();
    let expected = if all.is_empty() {
        "a shoe added with `lumbar shoes add NAME` (you have none yet)".to_string()
    } else {
        format!(
            "the name, a unique prefix or the id of one of your shoes: {}",
            describe(&all)
        )
    };
    let names: Vec<String> = all.iter().map(|s| s.name.to_lowercase()).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    Err(InputError::new("shoe", typed, &expected).suggesting(&refs))
}

fn describe(shoes: &[&Shoe]) -> String {
    shoes
        .iter()
        .map(|s| format!("{} (id {})", s.name, s.id))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Checks a new name for a pair: not empty, not only digits (those are ids), not `none`
/// (`run add --shoe none` means no shoe), not too long, and not another pair's name.
/// `except` is the pair being renamed.
pub fn check_name(data: &Data, raw: &str, except: Option<u64>) -> Result<String, InputError> {
    let name = raw.trim();
    let expected = "a name of 1 to 40 characters that is not only digits (those are ids) and not `none`";
    let bad = name.is_empty()
        || name.chars().count() > MAX_NAME_CHARS
        || name.chars().all(|c| c.is_ascii_digit())
        || name.eq_ignore_ascii_case("none")
        || name.chars().any(char::is_control);
    if bad {
        return Err(InputError::new("shoe name", raw, expected));
    }
    let lower = name.to_lowercase();
    if let Some(other) = nameable(data).find(|s| Some(s.id) != except && s.name.to_lowercase() == lower) {
        return Err(InputError::new(
            "shoe name",
            raw,
            &format!(
                "a name no other pair has (id {} is already called {})",
                other.id, other.name
            ),
        ));
    }
    Ok(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Run;

    fn shoe(name: &str) -> Shoe {
        Shoe {
            id: 0,
            name: name.into(),
            start_m: 0.0,
            limit_m: None,
            default: false,
            retired: false,
            added: None,
            removed: false,
        }
    }

    fn run_on(shoe: u64, day: u32, km: f64) -> Run {
        let start = DateTime::parse_from_rfc3339(&format!("2026-11-{day:02}T07:00:00+00:00")).unwrap();
        Run {
            shoe_id: Some(shoe),
            ..Run::new(start, km * 1000.0, (km * 300.0) as u64)
        }
    }

    #[test]
    fn status_thresholds_are_inclusive() {
        assert_eq!(ShoeStatus::for_distance(79.99, 100.0), ShoeStatus::Ok);
        assert_eq!(ShoeStatus::for_distance(80.0, 100.0), ShoeStatus::Nearing);
        assert_eq!(ShoeStatus::for_distance(99.99, 100.0), ShoeStatus::Nearing);
        assert_eq!(ShoeStatus::for_distance(100.0, 100.0), ShoeStatus::Replace);
    }

    #[test]
    fn names_resolve_by_id_name_and_unique_prefix() {
        let mut d = Data::default();
        d.add_shoe(shoe("Pegasus 41"));
        d.add_shoe(shoe("Peregrine"));
        d.add_shoe(shoe("Clifton"));
        assert_eq!(resolve(&d, "3").unwrap(), 3);
        assert_eq!(resolve(&d, "clif").unwrap(), 3);
        assert_eq!(resolve(&d, "PEGASUS 41").unwrap(), 1);
        let e = resolve(&d, "pe").unwrap_err();
        assert!(
            e.expected.contains("Pegasus 41 (id 1)") && e.expected.contains("Peregrine (id 2)"),
            "{e}"
        );
        let e = resolve(&d, "cliftn").unwrap_err();
        assert_eq!(e.suggestion.as_deref(), Some("clifton"));
        assert!(resolve(&d, "").is_err());
        assert!(resolve(&d, "9").is_err());
    }

    #[test]
    fn an_exact_name_wins_over_a_longer_one_with_that_prefix() {
        let mut d = Data::default();
        d.add_shoe(shoe("Ghost"));
        d.add_shoe(shoe("Ghost 16"));
        assert_eq!(resolve(&d, "ghost").unwrap(), 1);
        assert_eq!(resolve(&d, "ghost 1").unwrap(), 2);
    }

    #[test]
    fn tombstones_are_never_matched_or_listed() {
        let mut d = Data::default();
        d.add_shoe(shoe("Ghost"));
        d.shoes[0].removed = true;
        assert!(resolve(&d, "ghost").is_err());
        assert!(resolve(&d, "1").is_err());
        assert!(summaries(&d, NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()).is_empty());
        // Its name is free again.
        assert_eq!(check_name(&d, "Ghost", None).unwrap(), "Ghost");
    }

    #[test]
    fn names_are_checked() {
        let mut d = Data::default();
        d.add_shoe(shoe("Ghost"));
        for bad in ["", "  ", "42", "none", "NONE", "ghost", &"x".repeat(41)] {
            assert!(check_name(&d, bad, None).is_err(), "{bad:?}");
        }
        assert_eq!(check_name(&d, "GHOST", Some(1)).unwrap(), "GHOST");
        assert_eq!(check_name(&d, " Ghost 16 ", None).unwrap(), "Ghost 16");
    }

    #[test]
    fn mileage_is_start_plus_runs_and_the_estimate_follows_recent_use() {
        let mut d = Data::default();
        let mut s = shoe("Ghost");
        s.start_m = 100_000.0;
        s.limit_m = Some(250_000.0);
        let id = d.add_shoe(s);
        for day in 1..=14 {
            d.add_run(run_on(id, day, 5.0));
        }
        let today = NaiveDate::from_ymd_opt(2026, 11, 14).unwrap();
        let all = summaries(&d, today);
        let s = &all[0];
        assert_eq!(s.distance_m, 170_000.0);
        assert_eq!(s.runs, 14);
        assert_eq!(s.status, ShoeStatus::Ok);
        assert!((mileage(&d, id) - 170_000.0).abs() < 1e-9);
        // 70 km over 13 days since first use: 80 km left takes ceil(80 * 13 / 70) = 15 days.
        assert_eq!(s.reaches_limit_on, NaiveDate::from_ymd_opt(2026, 11, 29));
        assert_eq!(summarize(&d, &d.shoes[0], today).distance_m, s.distance_m);
    }

    #[test]
    fn no_estimate_without_recent_use_or_once_worn() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let first = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        assert_eq!(reaches_limit(10.0, 100.0, 0.0, first, today), None);
        // A week is the shortest span: one 10 km run yesterday is 10 km a week, not a day.
        let yesterday = today.pred_opt().unwrap();
        assert_eq!(
            reaches_limit(10_000.0, 30_000.0, 10_000.0, yesterday, today),
            NaiveDate::from_ymd_opt(2026, 12, 9)
        );
    }
}
