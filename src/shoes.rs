//! Shoe mileage and status, and finding a pair by what a runner types.
//!
//! Mileage is never stored: it is the pair's starting distance plus every run logged in it,
//! so editing or removing a run is reflected at once.

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::error::InputError;
use crate::model::{Data, Shoe};

/// "nearing" from this share of the limit.
pub const NEARING_SHARE: f64 = 0.8;
/// How far back the pace of use is measured for the "reaches its limit" estimate.
pub const USE_RATE_WINDOW_DAYS: i64 = 56;

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

/// Summaries of every pair (retired ones too), in the order they were added.
pub fn summaries(data: &Data, today: NaiveDate) -> Vec<ShoeSummary<'_>> {
    data.shoes.iter().map(|s| summarize(data, s, today)).collect()
}

pub fn summarize<'a>(data: &'a Data, shoe: &'a Shoe, today: NaiveDate) -> ShoeSummary<'a> {
    let mut distance_m = shoe.start_m;
    let (mut runs, mut first, mut last) = (0, None, None);
    let window_start = today - chrono::Duration::days(USE_RATE_WINDOW_DAYS);
    let mut recent_m = 0.0;
    for r in data.runs.iter().filter(|r| r.shoe_id == Some(shoe.id)) {
        distance_m += r.distance_m;
        runs += 1;
        first = first.or(Some(r.start));
        last = Some(r.start);
        if r.start.date_naive() > window_start {
            recent_m += r.distance_m;
        }
    }
    let limit_m = limit_of(shoe, data);
    let wear = ShoeStatus::for_distance(distance_m, limit_m);
    let status = if shoe.retired { ShoeStatus::Retired } else { wear };
    // At the pace of the last eight weeks (or since first use, if newer), when is the limit reached?
    let reaches_limit_on = match (status, first) {
        (ShoeStatus::Ok | ShoeStatus::Nearing, Some(first)) if recent_m > 0.0 => {
            let days_observed = (today - first.date_naive().max(window_start)).num_days().max(7) as f64;
            let per_day = recent_m / days_observed;
            let days_left = ((limit_m - distance_m) / per_day).ceil() as i64;
            today.checked_add_signed(chrono::Duration::days(days_left))
        }
        _ => None,
    };
    ShoeSummary {
        shoe,
        distance_m,
        limit_m,
        runs,
        status,
        first_run: first,
        last_run: last,
        reaches_limit_on,
    }
}

/// Finds a pair by id, exact name, or unique case-insensitive prefix.
pub fn resolve(data: &Data, typed: &str) -> Result<u64, InputError> {
    let t = typed.trim();
    if let Ok(id) = t.parse::<u64>()
        && data.shoe(id).is_some()
    {
        return Ok(id);
    }
    let lower = t.to_lowercase();
    if let Some(s) = data.shoes.iter().find(|s| s.name.to_lowercase() == lower) {
        return Ok(s.id);
    }
    let matches: Vec<&Shoe> = data
        .shoes
        .iter()
        .filter(|s| s.name.to_lowercase().starts_with(&lower))
        .collect();
    let describe = |shoes: &[&Shoe]| {
        shoes
            .iter()
            .map(|s| format!("{} (id {})", s.name, s.id))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match matches.as_slice() {
        [one] if !lower.is_empty() => Ok(one.id),
        [] | [_] => {
            let all: Vec<&Shoe> = data.shoes.iter().collect();
            let expected = if all.is_empty() {
                "a shoe added with `lumbar shoes add NAME` (you have none yet)".to_string()
            } else {
                format!("one of your shoes: {}", describe(&all))
            };
            let names: Vec<String> = data.shoes.iter().map(|s| s.name.to_lowercase()).collect();
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            Err(InputError::new("shoe", typed, &expected).suggesting(&refs))
        }
        many => Err(InputError::new(
            "shoe",
            typed,
            &format!("a name that matches one pair; it matches {}", describe(many)),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shoe(name: &str) -> Shoe {
        Shoe {
            id: 0,
            name: name.into(),
            start_m: 0.0,
            limit_m: None,
            default: false,
            retired: false,
            added: None,
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
    }
}
