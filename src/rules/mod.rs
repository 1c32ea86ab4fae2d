//! The coach's rules: pure functions over the history and settings, no I/O.
//!
//! Each rule has an id, a severity, a message, its evidence (the numbers it used) and the
//! advice ids that answer it. Thresholds and their sources are in EVIDENCE.md section 4 and
//! [`thresholds`]; the rule → advice table is in [`catalog`]. Rules that look back weeks only
//! read those weeks (found by binary search in the time-sorted history), so a review stays
//! fast on decades of runs.

pub mod catalog;
pub mod habits;
pub mod insights;
pub mod load;
pub mod next;
pub mod pain;
pub mod thresholds;

use std::borrow::Cow;
use std::cell::OnceCell;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::model::{Data, IdMap, Pain, Run, Units};
pub use thresholds::Thresholds;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warn,
    Urgent,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warn => "warn",
            Severity::Urgent => "urgent",
        }
    }
}

/// One thing the coach flags, with the numbers behind it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Flag {
    pub id: &'static str,
    pub severity: Severity,
    pub message: String,
    pub evidence: Map<String, Value>,
    pub advice: Vec<&'static str>,
}

impl Flag {
    /// A flag with the advice the catalog gives its rule.
    pub fn new(id: &'static str, severity: Severity, message: String, evidence: Value) -> Flag {
        let evidence = match evidence {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        Flag {
            id,
            severity,
            message,
            evidence,
            advice: catalog::advice_for(id).to_vec(),
        }
    }

    /// Adds advice ids not already there.
    pub fn add_advice(&mut self, ids: &[&'static str]) {
        for id in ids {
            if !self.advice.contains(id) {
                self.advice.push(id);
            }
        }
    }

    /// What makes two flags "the same" when comparing reviews: the rule, and the pair for
    /// shoe flags (one per pair).
    fn key(&self) -> (&'static str, Option<u64>) {
        (self.id, self.evidence.get("shoe_id").and_then(Value::as_u64))
    }
}

/// What a review is evaluated with besides the history.
#[derive(Clone, Debug)]
pub struct Settings {
    pub thresholds: Thresholds,
    /// Units for the distances in messages (evidence is always metres).
    pub units: Units,
}

impl Settings {
    pub fn from_data(data: &Data, units: Units) -> Settings {
        Settings {
            thresholds: Thresholds::from_config(&data.config),
            units,
        }
    }
}

/// The history a review reads: the reviewed runs and pain entries in time order, the whole
/// store (shoe mileage always counts every run), the moment of the review and the settings.
pub struct History<'a> {
    pub data: &'a Data,
    pub runs: Cow<'a, [Run]>,
    pub pain: Cow<'a, [Pain]>,
    pub now: DateTime<FixedOffset>,
    pub t: Thresholds,
    pub units: Units,
    linked: OnceCell<IdMap<u8>>,
}

impl<'a> History<'a> {
    /// The history from `since` on (all of it when `None`), as of `now`.
    pub fn new(data: &'a Data, since: Option<DateTime<FixedOffset>>, now: DateTime<FixedOffset>, s: Settings) -> Self {
        let mut runs = Cow::Borrowed(data.runs.as_slice());
        if !runs.is_sorted_by_key(|r| r.start) {
            runs.to_mut().sort_by_key(|r| r.start);
        }
        let mut pain = Cow::Borrowed(data.pain.as_slice());
        if !pain.is_sorted_by_key(|p| p.at) {
            pain.to_mut().sort_by_key(|p| p.at);
        }
        if let Some(since) = since {
            runs = cut(runs, |r: &Run| r.start < since);
            pain = cut(pain, |p: &Pain| p.at < since);
        }
        History {
            data,
            runs,
            pain,
            now,
            t: s.thresholds,
            units: s.units,
            linked: OnceCell::new(),
        }
    }

    pub fn today(&self) -> NaiveDate {
        self.now.date_naive()
    }

    /// The reviewed runs that started after `now - days`.
    pub fn runs_in_last(&self, days: i64) -> &[Run] {
        self.runs_from(self.now - Duration::days(days))
    }

    /// The reviewed runs that started at or after `t`.
    pub fn runs_from(&self, t: DateTime<FixedOffset>) -> &[Run] {
        let i = self.runs.partition_point(|r| r.start < t);
        &self.runs[i..]
    }

    /// The reviewed runs in `[from, to)`.
    pub fn runs_between(&self, from: DateTime<FixedOffset>, to: DateTime<FixedOffset>) -> &[Run] {
        let a = self.runs.partition_point(|r| r.start < from);
        let b = self.runs.partition_point(|r| r.start < to);
        &self.runs[a..b.max(a)]
    }

    /// The reviewed pain entries in `[from, to]`.
    pub fn pain_between(&self, from: DateTime<FixedOffset>, to: DateTime<FixedOffset>) -> &[Pain] {
        let a = self.pain.partition_point(|p| p.at < from);
        let b = self.pain.partition_point(|p| p.at <= to);
        &self.pain[a..b.max(a)]
    }

    /// The reviewed pain entries logged after `now - days`.
    pub fn pain_in_last(&self, days: i64) -> &[Pain] {
        let from = self.now - Duration::days(days);
        let a = self.pain.partition_point(|p| p.at < from);
        &self.pain[a..]
    }

    /// When the reviewed history begins: its first run.
    pub fn first_run(&self) -> Option<DateTime<FixedOffset>> {
        self.runs.first().map(|r| r.start)
    }

    /// Whether the runs cover at least `days` before now.
    pub fn covers(&self, days: i64) -> bool {
        self.first_run().is_some_and(|f| f <= self.now - Duration::days(days))
    }

    /// The worst pain "after" a run: entries linked to it, or logged during it or within
    /// 24 h after its end. `None` when nothing was logged (unknown, not zero).
    pub fn pain_after(&self, run: &Run) -> Option<u8> {
        let linked = self.linked.get_or_init(|| {
            let mut m: IdMap<u8> = IdMap::default();
            for p in self.pain.iter() {
                if let Some(id) = p.run_id {
                    let e = m.entry(id).or_insert(p.level.0);
                    *e = (*e).max(p.level.0);
                }
            }
            m
        });
        let end = run.end() + Duration::hours(thresholds::PAIN_AFTER_HOURS);
        let timed = self.pain_between(run.start, end).iter().map(|p| p.level.0).max();
        match (linked.get(&run.id).copied(), timed) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        }
    }

    /// A distance as messages show it: "12.3 km".
    pub fn dist(&self, m: f64) -> String {
        format!("{:.1} {}", m / self.units.metres(), self.units.label())
    }
}

/// Drops the leading items for which `before` holds (the slice is in time order).
fn cut<T: Clone>(items: Cow<'_, [T]>, before: impl Fn(&T) -> bool) -> Cow<'_, [T]> {
    let i = items.partition_point(before);
    match items {
        Cow::Borrowed(s) => Cow::Borrowed(&s[i..]),
        Cow::Owned(v) => Cow::Owned(v[i..].to_vec()),
    }
}

/// Every flag the history raises, most severe first (red-flag always first).
pub fn evaluate(h: &History) -> Vec<Flag> {
    let mut flags = Vec::new();
    flags.extend(pain::red_flag(h));
    flags.extend(pain::pain_severe(h));
    flags.extend(pain::pain_rising(h));
    flags.extend(pain::pain_after_runs(h));
    flags.extend(load::long_run_jump(h));
    flags.extend(load::no_rest(h));
    flags.extend(load::load_spike(h));
    flags.extend(load::monotony(h));
    flags.extend(habits::warmup_skipped(h));
    flags.extend(habits::stretch_skipped(h));
    flags.extend(habits::shoe_worn(h));
    flags.extend(habits::shoe_rotation(h));
    flags.extend(habits::hard_surface(h));
    pain::add_one_sided_advice(h, &mut flags);
    sort(&mut flags);
    flags
}

/// Most severe first; red-flag before anything; then the catalog's order.
pub fn sort(flags: &mut [Flag]) {
    flags.sort_by_key(|f| (f.id != "red-flag", std::cmp::Reverse(f.severity), catalog::rank(f.id)));
}

/// The whole review `coach` prints.
#[derive(Debug, Serialize)]
pub struct Review {
    pub flags: Vec<Flag>,
    pub insights: Vec<insights::Insight>,
    pub next: next::Next,
}

pub fn review(h: &History) -> Review {
    let flags = evaluate(h);
    let insights = insights::insights(h);
    let next = next::next(h, &flags);
    Review { flags, insights, next }
}

/// Flags in `with` that `without` lacks, or has at a lower severity.
fn raised(with: &[Flag], without: &[Flag]) -> Vec<Flag> {
    with.iter()
        .filter(|f| !without.iter().any(|g| g.key() == f.key() && g.severity >= f.severity))
        .cloned()
        .collect()
}

fn push_unique(out: &mut Vec<Flag>, f: Flag) {
    if !out.iter().any(|g| g.key() == f.key()) {
        out.push(f);
    }
}

/// The flags a just-logged run raises (not the whole review): what the review says with it and
/// did not say without it, plus what is about this run itself (its warm-up, its length, its
/// surface). A shoe is flagged once per threshold it crosses, not on every run after.
pub fn flags_for_new_run(data: &Data, run_id: u64, now: DateTime<FixedOffset>) -> Vec<Flag> {
    let Some(start) = data.run(run_id).map(|r| r.start) else {
        return Vec::new();
    };
    new_run_flags(&recent_view(data, start, now), run_id, now)
}

fn new_run_flags(data: &Data, run_id: u64, now: DateTime<FixedOffset>) -> Vec<Flag> {
    let Some(run) = data.run(run_id) else { return Vec::new() };
    let settings = Settings::from_data(data, data.config.units);
    let h = History::new(data, None, now, settings.clone());
    let with = evaluate(&h);
    let mut before = data.clone();
    before.runs.retain(|r| r.id != run_id);
    let without = evaluate(&History::new(&before, None, now, settings));
    let mut out = raised(&with, &without);
    if run.warmup == Some(false) {
        let f = with.iter().find(|f| f.id == "warmup-skipped").cloned();
        push_unique(&mut out, f.unwrap_or_else(|| habits::skipped_this_run(&h, run)));
    }
    if let Some(f) = load::jump_for(&h, run) {
        push_unique(&mut out, f);
    }
    if run.surface.is_some_and(|s| s.is_hard())
        && let Some(f) = with.iter().find(|f| f.id == "hard-surface")
    {
        push_unique(&mut out, f.clone());
    }
    sort(&mut out);
    out
}

/// The part of the history that the flags for a new entry can depend on: the last
/// [`thresholds::NEW_ENTRY_DAYS`] days and at least the last [`thresholds::NEW_ENTRY_RUNS`] runs
/// (and a month before the entry, if it was backdated), with each shoe's older mileage folded
/// into its starting distance so wear is still counted in full. Reviewing this instead of a
/// 25-year history twice keeps `run add` quick and small.
fn recent_view(data: &Data, entry_at: DateTime<FixedOffset>, now: DateTime<FixedOffset>) -> Data {
    let by_days = now.min(entry_at) - Duration::days(thresholds::NEW_ENTRY_DAYS);
    let by_runs = data
        .runs
        .len()
        .checked_sub(thresholds::NEW_ENTRY_RUNS)
        .map(|i| data.runs[i].start);
    let cutoff = by_runs.map_or(by_days, |r| r.min(by_days));
    // The store keeps runs and pain entries in time order.
    let mut view = data.clone_settings();
    view.runs = data.runs.iter().filter(|r| r.start >= cutoff).cloned().collect();
    view.pain = data.pain.iter().filter(|p| p.at >= cutoff).cloned().collect();
    view.shoes = data.shoes.clone();
    for r in data.runs.iter().filter(|r| r.start < cutoff) {
        if let Some(shoe) = r.shoe_id.and_then(|id| view.shoes.iter_mut().find(|s| s.id == id)) {
            shoe.start_m += r.distance_m;
        }
    }
    view
}

/// The flags a just-logged pain entry raises: what the review says with it and did not say
/// without it, plus a red flag or severe pain in this entry itself.
pub fn flags_for_new_pain(data: &Data, pain_id: u64, now: DateTime<FixedOffset>) -> Vec<Flag> {
    let Some(at) = data.pain_entry(pain_id).map(|p| p.at) else {
        return Vec::new();
    };
    new_pain_flags(&recent_view(data, at, now), pain_id, now)
}

fn new_pain_flags(data: &Data, pain_id: u64, now: DateTime<FixedOffset>) -> Vec<Flag> {
    let Some(entry) = data.pain_entry(pain_id) else {
        return Vec::new();
    };
    let settings = Settings::from_data(data, data.config.units);
    let h = History::new(data, None, now, settings.clone());
    let with = evaluate(&h);
    let mut before = data.clone();
    before.pain.retain(|p| p.id != pain_id);
    let without = evaluate(&History::new(&before, None, now, settings));
    let mut out = raised(&with, &without);
    let red = entry.symptoms.iter().any(|s| crate::redflags::is_red_flag(s));
    for (id, mine) in [
        ("red-flag", red),
        ("pain-severe", entry.level.0 >= h.t.pain_severe_level),
    ] {
        if mine && let Some(f) = with.iter().find(|f| f.id == id) {
            push_unique(&mut out, f.clone());
        }
    }
    sort(&mut out);
    out
}

#[cfg(test)]
pub(crate) mod testkit {
    //! Small builders for rule tests: a history of runs and pain entries on given days.

    use chrono::{DateTime, Duration, FixedOffset};

    use super::{History, Settings, Thresholds};
    use crate::model::{Data, Pain, PainLevel, Run, Units};

    /// The moment every test review happens: Wednesday 2026-11-25, 20:00 UTC.
    pub fn now() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-11-25T20:00:00+00:00").unwrap()
    }

    /// Morning of the day `days_ago` days before [`now`].
    pub fn day(days_ago: i64) -> DateTime<FixedOffset> {
        now() - Duration::days(days_ago) - Duration::hours(12)
    }

    pub fn run(days_ago: i64, km: f64) -> Run {
        Run::new(day(days_ago), km * 1000.0, (km * 330.0).round() as u64)
    }

    pub fn pain(at: DateTime<FixedOffset>, level: u8) -> Pain {
        Pain::new(at, PainLevel(level))
    }

    pub fn data(runs: Vec<Run>, pain: Vec<Pain>) -> Data {
        let mut d = Data::default();
        for r in runs {
            d.add_run(r);
        }
        for p in pain {
            d.add_pain(p);
        }
        d
    }

    pub fn history(d: &Data) -> History<'_> {
        History::new(
            d,
            None,
            now(),
            Settings {
                thresholds: Thresholds::default(),
                units: Units::Km,
            },
        )
    }

    /// Evidence value as f64.
    pub fn ev(f: &super::Flag, key: &str) -> f64 {
        f.evidence
            .get(key)
            .and_then(serde_json::Value::as_f64)
            .unwrap_or_else(|| panic!("no number {key} in {:?}", f.evidence))
    }
}

#[cfg(test)]
mod tests {
    use super::testkit::*;
    use super::*;
    use crate::model::Surface;

    /// The quick path after `run add`/`pain add` reads only recent history; on long, varied
    /// histories it must say exactly what reviewing everything would.
    #[test]
    fn new_entry_flags_from_recent_history_match_the_whole_history() {
        let today = now().date_naive();
        for (weeks, seed) in [(30, 1), (80, 2), (200, 3)] {
            let mut d = crate::demo::generate(weeks, seed, today);
            let mut r = run(0, 30.0);
            r.warmup = Some(false);
            r.surface = Some(Surface::Concrete);
            r.shoe_id = d.shoes.last().map(|s| s.id);
            let id = d.add_run(r);
            let start = d.run(id).unwrap().start;
            let full = new_run_flags(&d, id, now());
            assert!(full.iter().any(|f| f.id == "warmup-skipped"), "{full:?}");
            assert_eq!(new_run_flags(&recent_view(&d, start, now()), id, now()), full);
            let pid = d.add_pain(crate::model::Pain {
                id: 0,
                at: now(),
                level: crate::model::PainLevel(7),
                area: crate::model::Area::LowerBack,
                side: crate::model::Side::Left,
                when: Some(crate::model::Timing::After),
                run_id: Some(id),
                symptoms: vec!["fever".into()],
                notes: None,
            });
            let full = new_pain_flags(&d, pid, now());
            assert_eq!(full.first().map(|f| f.id), Some("red-flag"));
            assert_eq!(new_pain_flags(&recent_view(&d, now(), now()), pid, now()), full);
        }
    }

    #[test]
    fn since_limits_the_reviewed_history() {
        let d = data((0..40).map(|i| run(i, 5.0)).collect(), vec![]);
        let h = History::new(
            &d,
            Some(day(9) - Duration::hours(1)),
            now(),
            Settings::from_data(&d, Units::Km),
        );
        assert_eq!(h.runs.len(), 10);
        assert!(!h.covers(28));
    }

    #[test]
    fn a_skipped_warm_up_on_a_new_run_is_said_each_time() {
        let mut d = data(vec![], vec![]);
        let mut r = run(1, 5.0);
        r.warmup = Some(false);
        let id = d.add_run(r.clone());
        let f = flags_for_new_run(&d, id, now());
        assert!(
            f.iter()
                .any(|f| f.id == "warmup-skipped" && f.severity == Severity::Info)
        );
        r.start = day(0);
        let id = d.add_run(r);
        let f = flags_for_new_run(&d, id, now());
        assert!(f.iter().any(|f| f.id == "warmup-skipped"), "{f:?}");
    }

    #[test]
    fn a_new_hard_run_repeats_the_hard_surface_note_a_soft_one_does_not() {
        let mut runs: Vec<Run> = (2..6).map(|i| run(i, 5.0)).collect();
        for r in &mut runs {
            r.surface = Some(Surface::Concrete);
        }
        let mut d = data(runs, vec![]);
        let mut hard = run(1, 5.0);
        hard.surface = Some(Surface::Asphalt);
        let id = d.add_run(hard);
        assert!(flags_for_new_run(&d, id, now()).iter().any(|f| f.id == "hard-surface"));
        let mut soft = run(0, 5.0);
        soft.surface = Some(Surface::Grass);
        let id = d.add_run(soft);
        assert!(!flags_for_new_run(&d, id, now()).iter().any(|f| f.id == "hard-surface"));
    }

    #[test]
    fn a_new_severe_pain_is_said_each_time_a_pattern_only_when_it_starts() {
        let runs: Vec<Run> = (1..=5).map(|i| run(i, 6.0)).collect();
        let mut d = data(runs, vec![]);
        let after = |d: &Data, i: usize| d.runs[i].end() + Duration::hours(1);
        let mut p = pain(after(&d, 3), 5);
        let id = d.add_pain(p.clone());
        assert!(flags_for_new_pain(&d, id, now()).is_empty(), "one painful run of five");
        p.at = after(&d, 4);
        let id = d.add_pain(p.clone());
        let ids: Vec<_> = flags_for_new_pain(&d, id, now()).iter().map(|f| f.id).collect();
        assert_eq!(ids, ["pain-after-runs"]);
        p.at = after(&d, 2);
        p.level = crate::model::PainLevel(8);
        let id = d.add_pain(p.clone());
        let ids: Vec<_> = flags_for_new_pain(&d, id, now()).iter().map(|f| f.id).collect();
        assert_eq!(ids, ["pain-severe"], "the pattern is not repeated");
        p.at = after(&d, 1);
        let id = d.add_pain(p);
        let ids: Vec<_> = flags_for_new_pain(&d, id, now()).iter().map(|f| f.id).collect();
        assert_eq!(ids, ["pain-severe"], "severe pain is said every time");
    }

    #[test]
    fn a_history_out_of_time_order_is_sorted_before_review() {
        let mut d = data(vec![], vec![]);
        d.runs = (0..8).map(|i| run(i, 5.0)).collect();
        for (i, r) in d.runs.iter_mut().enumerate() {
            r.id = i as u64 + 1;
        }
        let h = history(&d);
        assert!(h.runs.is_sorted_by_key(|r| r.start));
        assert!(evaluate(&h).iter().any(|f| f.id == "no-rest"));
    }

    #[test]
    fn red_flag_sorts_first_whatever_else_fires() {
        let mut flags = vec![
            Flag::new("hard-surface", Severity::Info, String::new(), Value::Null),
            Flag::new("pain-severe", Severity::Warn, String::new(), Value::Null),
            Flag::new("red-flag", Severity::Urgent, String::new(), Value::Null),
            Flag::new("shoe-worn", Severity::Warn, String::new(), Value::Null),
        ];
        sort(&mut flags);
        let ids: Vec<_> = flags.iter().map(|f| f.id).collect();
        assert_eq!(ids, ["red-flag", "pain-severe", "shoe-worn", "hard-surface"]);
    }
}
