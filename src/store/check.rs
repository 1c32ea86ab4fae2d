//! What a store must hold before lumbar uses it or writes it: every value something lumbar could
//! have written, every id unique, every counter above its ids, every reference to a record that
//! exists. A file that fails is never rewritten; the problem is reported with where it is and how
//! to fix it.
//!
//! Not checked here, on purpose: the pace and future-date checks of `run add`, which an import or
//! a clock change may legitimately pass.

use chrono::{DateTime, Datelike, FixedOffset};

use crate::model::units::{MAX_DISTANCE_M, MAX_DURATION_S, MAX_SHOE_DISTANCE_M};
use crate::model::{Data, NextIds};

pub use crate::model::{FIRST_YEAR, LAST_YEAR};

/// One step of the path to a value in the store document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Key(&'static str),
    Index(usize),
}

/// Something in the store no command could have written.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// Where the value is.
    pub at: Vec<Step>,
    /// Another place involved (the first use of a duplicated id).
    pub also: Option<Vec<Step>>,
    /// What is wrong, naming the record ("run 7 has rpe 99, but RPE is 1 to 10").
    pub what: String,
    /// How to fix it by hand.
    pub fix: String,
}

/// Every problem, in the order the lists sit in the file.
pub fn problems(data: &Data) -> Vec<Problem> {
    let mut out = Vec::new();
    config(data, &mut out);
    counters(data, &mut out);
    for (i, s) in data.red_flags_seen.iter().enumerate() {
        time(
            &mut out,
            || at3("red_flags_seen", i, "at"),
            "a red-flags-seen entry",
            s.at,
        );
    }
    for (i, s) in data.flags_shown.iter().enumerate() {
        time(&mut out, || at3("flags_shown", i, "at"), "a flags-shown entry", s.at);
        if s.flag.trim().is_empty() {
            out.push(problem(
                at3("flags_shown", i, "flag"),
                "a flags-shown entry has no flag id".into(),
                "remove the entry (it only stops a flag from being repeated)",
            ));
        }
    }
    let shoe_ids = shoes(data, &mut out);
    let run_ids = runs(data, &mut out, &shoe_ids);
    pain(data, &mut out, &run_ids);
    out
}

fn problem(at: Vec<Step>, what: String, fix: &str) -> Problem {
    Problem {
        at,
        also: None,
        what,
        fix: fix.to_string(),
    }
}

fn at3(list: &'static str, i: usize, field: &'static str) -> Vec<Step> {
    vec![Step::Key(list), Step::Index(i), Step::Key(field)]
}

fn config(data: &Data, out: &mut Vec<Problem>) {
    let c = &data.config;
    let at = |k| vec![Step::Key("config"), Step::Key(k)];
    if !(c.shoe_limit_m.is_finite() && c.shoe_limit_m > 0.0 && c.shoe_limit_m <= MAX_SHOE_DISTANCE_M) {
        out.push(problem(
            at("shoe_limit_m"),
            format!("config shoe_limit_m is {}", c.shoe_limit_m),
            "set \"shoe_limit_m\" to a distance in metres above 0 and at most 10000000 (the default is 482803.2, 300 miles)",
        ));
    }
    if let Some(age) = c.age.filter(|a| !(1..=120).contains(a)) {
        out.push(problem(
            at("age"),
            format!("config age is {age}"),
            "set \"age\" to whole years from 1 to 120, or null",
        ));
    }
    if !(2..=30).contains(&c.no_rest_days) {
        out.push(problem(
            at("no_rest_days"),
            format!("config no_rest_days is {}", c.no_rest_days),
            "set \"no_rest_days\" to a whole number of days from 2 to 30 (the default is 7)",
        ));
    }
}

/// Each counter must be above every id of its kind, and able to count one further.
fn counters(data: &Data, out: &mut Vec<Problem>) {
    let NextIds { run, pain, shoe } = data.next_id;
    let lists = [
        ("run", run, "runs", data.runs.iter().map(|r| r.id).max()),
        ("pain", pain, "pain entries", data.pain.iter().map(|p| p.id).max()),
        ("shoe", shoe, "shoes", data.shoes.iter().map(|s| s.id).max()),
    ];
    for (key, next, plural, largest) in lists {
        let at = vec![Step::Key("next_id"), Step::Key(key)];
        let largest = largest.unwrap_or(0);
        if next == u64::MAX {
            out.push(problem(
                at,
                format!("next_id.{key} is at the largest number it can hold, so the next id would repeat one"),
                &format!(
                    "set next_id.{key} to {} (one more than the largest id of the {plural})",
                    largest.saturating_add(1)
                ),
            ));
        } else if next == 0 || next <= largest {
            out.push(problem(
                at,
                format!(
                    "next_id.{key} is {next}, but the {plural} already use ids up to {largest}, so new ids would repeat old ones"
                ),
                &format!(
                    "set next_id.{key} to at least {} (one more than the largest id of the {plural})",
                    largest.saturating_add(1)
                ),
            ));
        }
    }
}

/// The ids of one list, for duplicates and references. Ids count up from 1, so they are almost
/// always dense and a bitmap holds them in a few KiB even for a 25-year history; ids spread far
/// apart (a hand edit) go in a sorted list instead.
enum IdSet {
    Bits(Vec<u64>),
    Sorted(Vec<u64>),
}

impl IdSet {
    fn contains(&self, id: u64) -> bool {
        match self {
            IdSet::Bits(words) => usize::try_from(id / 64)
                .ok()
                .and_then(|w| words.get(w))
                .is_some_and(|word| word & (1 << (id % 64)) != 0),
            IdSet::Sorted(ids) => ids.binary_search(&id).is_ok(),
        }
    }
}

/// Ids must be positive and unique within their list. Returns the set of them.
fn ids(out: &mut Vec<Problem>, list: &'static str, one: &str, ids: &[u64], next: u64) -> IdSet {
    let largest = ids.iter().copied().max().unwrap_or(0);
    let mut duplicates = Vec::new();
    let set = if largest / 64 <= ids.len() as u64 + 64 {
        let mut words = vec![0u64; largest as usize / 64 + 1];
        for (i, &id) in ids.iter().enumerate() {
            let (w, bit) = (id as usize / 64, 1u64 << (id % 64));
            if words[w] & bit != 0 {
                duplicates.push(i);
            }
            words[w] |= bit;
        }
        IdSet::Bits(words)
    } else {
        let mut order: Vec<usize> = (0..ids.len()).collect();
        order.sort_by_key(|&i| (ids[i], i));
        duplicates.extend(order.windows(2).filter(|w| ids[w[0]] == ids[w[1]]).map(|w| w[1]));
        duplicates.sort_unstable();
        let mut sorted = ids.to_vec();
        sorted.sort_unstable();
        IdSet::Sorted(sorted)
    };
    for i in (0..ids.len()).filter(|&i| ids[i] == 0) {
        out.push(problem(
            at3(list, i, "id"),
            format!("a {one} has id 0, but ids start at 1"),
            &format!("give it an id no other {one} has, from 1 up and below next_id"),
        ));
    }
    for i in duplicates.into_iter().filter(|&i| ids[i] != 0) {
        let id = ids[i];
        let first = ids.iter().position(|&x| x == id).unwrap_or(i);
        out.push(Problem {
            at: at3(list, i, "id"),
            also: Some(at3(list, first, "id")),
            what: format!("two {one} entries have id {id}"),
            fix: format!(
                "delete one if it is a copy of the other; otherwise give one of them a new id no other {one} has (for example {next}) and raise next_id above it"
            ),
        });
    }
    set
}

/// "run 7", written only when a problem is found (the checks run on every load).
#[derive(Clone, Copy)]
struct Who(&'static str, u64);

impl std::fmt::Display for Who {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.0, self.1)
    }
}

/// `at` is only called when there is a problem to report.
fn time(
    out: &mut Vec<Problem>,
    at: impl FnOnce() -> Vec<Step>,
    what: impl std::fmt::Display,
    t: DateTime<FixedOffset>,
) {
    let year = t.year();
    if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
        out.push(problem(
            at(),
            format!("{what} is in the year {year}, but lumbar keeps dates from {FIRST_YEAR} to {LAST_YEAR}"),
            "correct the date (RFC 3339 with its offset, e.g. 2026-11-20T07:30:00+01:00)",
        ));
    }
}

fn shoes(data: &Data, out: &mut Vec<Problem>) -> IdSet {
    let list: Vec<u64> = data.shoes.iter().map(|s| s.id).collect();
    let set = ids(out, "shoes", "shoe", &list, data.next_id.shoe);
    for (i, s) in data.shoes.iter().enumerate() {
        let who = Who("shoe", s.id);
        if s.name.trim().is_empty() {
            out.push(problem(
                at3("shoes", i, "name"),
                format!("{who} has no name"),
                "give it a name of 1 to 40 characters",
            ));
        }
        if !(s.start_m.is_finite() && (0.0..=MAX_SHOE_DISTANCE_M).contains(&s.start_m)) {
            out.push(problem(
                at3("shoes", i, "start_m"),
                format!("{who} has start_m {}", s.start_m),
                "set \"start_m\" to the metres already on the pair, from 0 to 10000000",
            ));
        }
        if let Some(l) = s
            .limit_m
            .filter(|l| !(l.is_finite() && *l > 0.0 && *l <= MAX_SHOE_DISTANCE_M))
        {
            out.push(problem(
                at3("shoes", i, "limit_m"),
                format!("{who} has limit_m {l}"),
                "set \"limit_m\" to metres above 0 and at most 10000000, or null to follow the config",
            ));
        }
        if let Some(t) = s.added {
            time(
                out,
                || at3("shoes", i, "added"),
                format_args!("the \"added\" date of {who}"),
                t,
            );
        }
    }
    set
}

fn runs(data: &Data, out: &mut Vec<Problem>, shoes: &IdSet) -> IdSet {
    let list: Vec<u64> = data.runs.iter().map(|r| r.id).collect();
    let set = ids(out, "runs", "run", &list, data.next_id.run);
    for (i, r) in data.runs.iter().enumerate() {
        let who = Who("run", r.id);
        let at = |f| at3("runs", i, f);
        time(out, || at("start"), who, r.start);
        if !(r.distance_m.is_finite() && r.distance_m > 0.0 && r.distance_m <= MAX_DISTANCE_M) {
            out.push(problem(
                at("distance_m"),
                format!("{who} has distance_m {}", r.distance_m),
                "set \"distance_m\" to the distance in metres, above 0 and at most 500000",
            ));
        }
        if !(1..=MAX_DURATION_S).contains(&r.duration_s) {
            out.push(problem(
                at("duration_s"),
                format!("{who} has duration_s {}", r.duration_s),
                "set \"duration_s\" to the time in seconds, from 1 to 172800 (48 hours)",
            ));
        }
        if let Some(m) = r.moving_s.filter(|m| !(1..=MAX_DURATION_S).contains(m)) {
            out.push(problem(
                at("moving_s"),
                format!("{who} has moving_s {m}"),
                "set \"moving_s\" to seconds from 1 to 172800, or null",
            ));
        }
        if let Some(rpe) = r.rpe.filter(|x| !(1..=10).contains(&x.0)) {
            out.push(problem(
                at("rpe"),
                format!("{who} has rpe {}, but RPE is 1 to 10", rpe.0),
                "set \"rpe\" to a whole number from 1 to 10, or null",
            ));
        }
        // A device that recorded nothing may report 0; an import keeps what the file says.
        for (field, v) in [("avg_hr", r.avg_hr), ("avg_cadence", r.avg_cadence)] {
            if let Some(x) = v.filter(|x| !(x.is_finite() && (0.0..1000.0).contains(x))) {
                out.push(problem(
                    at(field),
                    format!("{who} has {field} {x}"),
                    &format!("set \"{field}\" to a number from 0 to 999, or null"),
                ));
            }
        }
        if let Some(s) = r.shoe_id.filter(|&s| !shoes.contains(s)) {
            out.push(problem(
                at("shoe_id"),
                format!("{who} names shoe {s}, which is not in the store"),
                "set \"shoe_id\" to the id of a pair in \"shoes\", or null",
            ));
        }
    }
    set
}

fn pain(data: &Data, out: &mut Vec<Problem>, runs: &IdSet) {
    let list: Vec<u64> = data.pain.iter().map(|p| p.id).collect();
    ids(out, "pain", "pain", &list, data.next_id.pain);
    for (i, p) in data.pain.iter().enumerate() {
        let who = Who("pain entry", p.id);
        let at = |f| at3("pain", i, f);
        time(out, || at("at"), who, p.at);
        if p.level.0 > 10 {
            out.push(problem(
                at("level"),
                format!("{who} has level {}, but pain is 0 to 10", p.level.0),
                "set \"level\" to a whole number from 0 (none) to 10 (worst imaginable)",
            ));
        }
        if let Some(r) = p.run_id.filter(|&r| !runs.contains(r)) {
            out.push(problem(
                at("run_id"),
                format!("{who} follows run {r}, which is not in the store"),
                "set \"run_id\" to the id of a run in \"runs\", or null",
            ));
        }
        if p.symptoms.iter().any(|s| s.trim().is_empty()) {
            out.push(problem(
                at("symptoms"),
                format!("{who} has an empty symptom"),
                "remove the empty string from \"symptoms\"",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Pain, PainLevel, Rpe, Run};

    fn stocked() -> Data {
        crate::demo::generate(
            6,
            3,
            chrono::DateTime::parse_from_rfc3339("2026-06-10T12:00:00+00:00").unwrap(),
        )
    }

    fn only(data: &Data) -> Problem {
        let p = problems(data);
        assert_eq!(p.len(), 1, "{p:#?}");
        p[0].clone()
    }

    #[test]
    fn what_commands_write_passes() {
        assert_eq!(problems(&Data::default()), vec![]);
        assert_eq!(problems(&stocked()), vec![]);
        let mut d = stocked();
        d.add_pain(Pain::new(
            chrono::DateTime::parse_from_rfc3339("1900-01-01T00:00:00Z").unwrap(),
            PainLevel(0),
        ));
        assert_eq!(problems(&d), vec![], "the first allowed year");
    }

    #[test]
    fn values_no_command_writes_are_found_at_their_field() {
        let mut d = stocked();
        d.runs[2].distance_m = -1.0;
        let p = only(&d);
        assert_eq!(p.at, at3("runs", 2, "distance_m"));
        assert!(p.what.contains("distance_m -1"), "{}", p.what);
        for (i, (bad, field)) in [
            (0.0, "distance_m"),
            (f64::NAN, "distance_m"),
            (f64::INFINITY, "distance_m"),
            (MAX_DISTANCE_M + 1.0, "distance_m"),
        ]
        .into_iter()
        .enumerate()
        {
            let mut d = stocked();
            d.runs[i].distance_m = bad;
            assert_eq!(only(&d).at, at3("runs", i, field), "{bad}");
        }
        for secs in [0, MAX_DURATION_S + 1, 100_000_000_000_000_000] {
            let mut d = stocked();
            d.runs[0].duration_s = secs;
            assert_eq!(only(&d).at, at3("runs", 0, "duration_s"), "{secs}");
        }
        let mut d = stocked();
        d.runs[0].duration_s = MAX_DURATION_S;
        d.runs[1].duration_s = 1;
        assert_eq!(problems(&d), vec![], "the limits themselves are fine");
        for rpe in [0, 11, 99] {
            let mut d = stocked();
            d.runs[1].rpe = Some(Rpe(rpe));
            assert_eq!(only(&d).at, at3("runs", 1, "rpe"), "{rpe}");
        }
        let mut d = stocked();
        d.pain[0].level = PainLevel(11);
        assert_eq!(only(&d).at, at3("pain", 0, "level"));
        for year in ["0000", "1899", "2201"] {
            let mut d = stocked();
            d.runs[0].start = chrono::DateTime::parse_from_rfc3339(&format!("{year}-06-01T07:00:00Z")).unwrap();
            let p = only(&d);
            assert_eq!(p.at, at3("runs", 0, "start"), "{year}");
            assert!(p.what.contains("year"), "{}", p.what);
        }
        let mut d = stocked();
        d.config.shoe_limit_m = 0.0;
        d.config.age = Some(0);
        assert_eq!(problems(&d).len(), 2);
    }

    #[test]
    fn duplicate_ids_name_both_places() {
        let mut d = stocked();
        let copy = d.runs[1].clone();
        d.runs.insert(4, copy);
        let p = only(&d);
        assert_eq!(p.at, at3("runs", 4, "id"));
        assert_eq!(p.also, Some(at3("runs", 1, "id")));
        let mut d = stocked();
        d.pain[3].id = 0;
        assert_eq!(only(&d).at, at3("pain", 3, "id"));
    }

    #[test]
    fn ids_far_apart_are_checked_the_same_way() {
        let mut d = Data::default();
        let t = chrono::DateTime::parse_from_rfc3339("2026-01-01T07:00:00Z").unwrap();
        for _ in 0..4 {
            d.add_run(Run::new(t, 5000.0, 1500));
        }
        d.add_pain(Pain::new(t, PainLevel(2)));
        let far = 1_000_000_000_000;
        d.runs[0].id = far;
        d.runs[3].id = far;
        d.next_id.run = far + 1;
        d.pain[0].run_id = Some(far);
        let p = only(&d);
        assert_eq!(p.at, at3("runs", 3, "id"));
        assert_eq!(p.also, Some(at3("runs", 0, "id")));
        d.runs[3].id = far + 5;
        d.next_id.run = far + 6;
        assert_eq!(problems(&d), vec![], "a reference to a far id is found");
        d.pain[0].run_id = Some(far + 1);
        assert_eq!(only(&d).at, at3("pain", 0, "run_id"));
    }

    #[test]
    fn counters_must_stay_above_every_id() {
        let mut d = stocked();
        let largest = d.runs.iter().map(|r| r.id).max().unwrap();
        d.next_id.run = largest;
        let p = only(&d);
        assert_eq!(p.at, vec![Step::Key("next_id"), Step::Key("run")]);
        assert!(p.fix.contains(&(largest + 1).to_string()), "{}", p.fix);
        d.next_id.run = largest + 1;
        assert_eq!(problems(&d), vec![]);
        d.next_id.shoe = u64::MAX;
        assert!(only(&d).what.contains("largest number"));
        let mut d = Data::default();
        d.next_id.pain = 0;
        assert_eq!(only(&d).at, vec![Step::Key("next_id"), Step::Key("pain")]);
    }

    #[test]
    fn references_must_exist() {
        let mut d = stocked();
        d.runs[0].shoe_id = Some(99);
        assert_eq!(only(&d).at, at3("runs", 0, "shoe_id"));
        let mut d = stocked();
        let i = d.pain.iter().position(|p| p.run_id.is_some()).unwrap();
        d.pain[i].run_id = Some(9999);
        assert_eq!(only(&d).at, at3("pain", i, "run_id"));
        let mut d = Data::default();
        d.add_run(Run::new(
            chrono::DateTime::parse_from_rfc3339("2026-01-01T07:00:00Z").unwrap(),
            5000.0,
            1500,
        ));
        assert_eq!(problems(&d), vec![]);
    }
}
