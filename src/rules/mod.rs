//! The coach's rules: pure functions over the history, no I/O, no words.
//!
//! Each rule returns typed facts: a [`Flag`] with its [`RuleId`], a severity, the rule's own
//! evidence struct (numbers in SI units: metres, seconds, shares as fractions 0–1, times with
//! their offset, ids) and the advice ids that answer it. `output/` turns those facts into words,
//! in the display units of the call. Thresholds and their sources are in EVIDENCE.md section 4
//! and [`thresholds`]; the rule → advice table is in [`catalog`]; the flags printed after a new
//! entry are chosen in [`entry`]. Rules that look back weeks only read those weeks (found by
//! binary search in the time-sorted history), so a review stays fast on decades of runs.

pub mod belonging;
pub mod catalog;
pub mod decision;
pub mod entry;
pub mod habits;
pub mod insights;
pub mod load;
pub mod pain;
pub mod thresholds;

use std::borrow::Cow;
use std::cell::OnceCell;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use serde::Serialize;

use crate::model::{Data, IdMap, Pain, Run};
pub use thresholds::Thresholds;

/// A rule of the coach. Serialised as the contract ids (`red-flag`, `warmup-skipped`, ...).
/// The order is the order flags of equal severity are listed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RuleId {
    RedFlag,
    PainSevere,
    PainRising,
    PainAfterRuns,
    LongRunJump,
    NoRest,
    LoadSpike,
    Monotony,
    WarmupSkipped,
    StretchSkipped,
    ShoeWorn,
    ShoeRotation,
    HardSurface,
    /// Not a flag of its own: one-sided pain adds advice to the pain flags.
    OneSided,
}

impl RuleId {
    /// Every rule, in listing order.
    pub const ALL: [RuleId; 14] = [
        RuleId::RedFlag,
        RuleId::PainSevere,
        RuleId::PainRising,
        RuleId::PainAfterRuns,
        RuleId::LongRunJump,
        RuleId::NoRest,
        RuleId::LoadSpike,
        RuleId::Monotony,
        RuleId::WarmupSkipped,
        RuleId::StretchSkipped,
        RuleId::ShoeWorn,
        RuleId::ShoeRotation,
        RuleId::HardSurface,
        RuleId::OneSided,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RuleId::RedFlag => "red-flag",
            RuleId::PainSevere => "pain-severe",
            RuleId::PainRising => "pain-rising",
            RuleId::PainAfterRuns => "pain-after-runs",
            RuleId::LongRunJump => "long-run-jump",
            RuleId::NoRest => "no-rest",
            RuleId::LoadSpike => "load-spike",
            RuleId::Monotony => "monotony",
            RuleId::WarmupSkipped => "warmup-skipped",
            RuleId::StretchSkipped => "stretch-skipped",
            RuleId::ShoeWorn => "shoe-worn",
            RuleId::ShoeRotation => "shoe-rotation",
            RuleId::HardSurface => "hard-surface",
            RuleId::OneSided => "one-sided",
        }
    }

    /// The rule with this contract id.
    pub fn from_id(id: &str) -> Option<RuleId> {
        RuleId::ALL.into_iter().find(|r| r.as_str() == id)
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

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

/// The numbers behind a flag: one struct per rule, defined beside the rule. Serialised as that
/// struct (snake_case keys with unit suffixes, every optional field present as `null`).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Evidence {
    RedFlag(pain::RedFlag),
    PainSevere(pain::PainSevere),
    PainRising(pain::PainRising),
    PainAfterRuns(pain::PainAfterRuns),
    LongRunJump(load::LongRunJump),
    NoRest(load::NoRest),
    LoadSpike(load::LoadSpike),
    Monotony(load::Monotony),
    WarmupSkipped(habits::WarmupSkipped),
    StretchSkipped(habits::StretchSkipped),
    ShoeWorn(habits::ShoeWorn),
    ShoeRotation(habits::ShoeRotation),
    HardSurface(habits::HardSurface),
}

/// `From<rule struct> for Evidence` and the rule each variant belongs to, from one list.
macro_rules! evidence_rules {
    ($($variant:ident($ty:ty)),* $(,)?) => {
        impl Evidence {
            /// The rule this evidence belongs to.
            pub fn rule(&self) -> RuleId {
                match self {
                    $(Evidence::$variant(_) => RuleId::$variant,)*
                }
            }
        }
        $(impl From<$ty> for Evidence {
            fn from(e: $ty) -> Evidence {
                Evidence::$variant(e)
            }
        })*
    };
}

evidence_rules!(
    RedFlag(pain::RedFlag),
    PainSevere(pain::PainSevere),
    PainRising(pain::PainRising),
    PainAfterRuns(pain::PainAfterRuns),
    LongRunJump(load::LongRunJump),
    NoRest(load::NoRest),
    LoadSpike(load::LoadSpike),
    Monotony(load::Monotony),
    WarmupSkipped(habits::WarmupSkipped),
    StretchSkipped(habits::StretchSkipped),
    ShoeWorn(habits::ShoeWorn),
    ShoeRotation(habits::ShoeRotation),
    HardSurface(habits::HardSurface),
);

/// One thing the coach flags: its rule (from the evidence), how serious, the numbers behind it,
/// and the advice ids (data/advice.json) that answer it.
#[derive(Clone, Debug, PartialEq)]
pub struct Flag {
    pub severity: Severity,
    pub evidence: Evidence,
    pub advice: Vec<&'static str>,
}

impl Flag {
    /// A flag with the advice the catalog gives its rule.
    pub fn new(severity: Severity, evidence: impl Into<Evidence>) -> Flag {
        let evidence = evidence.into();
        Flag {
            severity,
            advice: catalog::advice_for(evidence.rule()).to_vec(),
            evidence,
        }
    }

    /// The rule that raised this flag.
    pub fn id(&self) -> RuleId {
        self.evidence.rule()
    }

    /// What makes two flags "the same" when deciding whether one was already shown: the rule,
    /// and the pair for shoe flags (one per pair).
    pub fn key(&self) -> (RuleId, Option<u64>) {
        let shoe = match &self.evidence {
            Evidence::ShoeWorn(e) => Some(e.shoe_id),
            Evidence::ShoeRotation(e) => Some(e.shoe_id),
            _ => None,
        };
        (self.id(), shoe)
    }

    /// Adds advice ids not already there.
    pub fn add_advice(&mut self, ids: &[&'static str]) {
        for id in ids {
            if !self.advice.contains(id) {
                self.advice.push(id);
            }
        }
    }
}

/// The history a review reads: the reviewed runs and pain entries in time order, the whole
/// store (shoe mileage always counts every run), the moment of the review and the thresholds.
pub struct History<'a> {
    pub data: &'a Data,
    pub runs: Cow<'a, [Run]>,
    pub pain: Cow<'a, [Pain]>,
    pub now: DateTime<FixedOffset>,
    pub t: Thresholds,
    /// When the history begins for the rules that need weeks of it (its first run).
    begins: Option<DateTime<FixedOffset>>,
    /// The worst level of each run's entries, worked out once.
    worst: OnceCell<IdMap<u8>>,
}

impl<'a> History<'a> {
    /// The history from `since` on (all of it when `None`), as of `now`.
    pub fn new(
        data: &'a Data,
        since: Option<DateTime<FixedOffset>>,
        now: DateTime<FixedOffset>,
        t: Thresholds,
    ) -> Self {
        let mut h = History::sorted(data, now, t);
        if let Some(since) = since {
            h.runs = cut(h.runs, |r: &Run| r.start < since);
            h.pain = cut(h.pain, |p: &Pain| p.at < since);
        }
        h.begins = h.runs.first().map(|r| r.start);
        h
    }

    /// The part of the history that the flags for an entry at `entry_at` can depend on: the
    /// last [`thresholds::NEW_ENTRY_DAYS`] days and at least the last
    /// [`thresholds::NEW_ENTRY_RUNS`] runs (and a month before the entry, if it was backdated).
    /// The slices are borrowed, nothing is copied; shoe mileage still counts every run, and the
    /// history still begins at the store's first run, so the rules say what a whole review
    /// would.
    pub fn recent(data: &'a Data, entry_at: DateTime<FixedOffset>, now: DateTime<FixedOffset>, t: Thresholds) -> Self {
        let mut h = History::sorted(data, now, t);
        h.begins = h.runs.first().map(|r| r.start);
        let by_days = now.min(entry_at) - Duration::days(thresholds::NEW_ENTRY_DAYS);
        let by_runs = h
            .runs
            .len()
            .checked_sub(thresholds::NEW_ENTRY_RUNS)
            .map(|i| h.runs[i].start);
        let cutoff = by_runs.map_or(by_days, |r| r.min(by_days));
        h.runs = cut(h.runs, |r: &Run| r.start < cutoff);
        h.pain = cut(h.pain, |p: &Pain| p.at < cutoff);
        h
    }

    /// Everything, in time order (the store keeps that order; a hand-edited file may not).
    fn sorted(data: &'a Data, now: DateTime<FixedOffset>, t: Thresholds) -> Self {
        let mut runs = Cow::Borrowed(data.runs.as_slice());
        if !runs.is_sorted_by_key(|r| r.start) {
            runs.to_mut().sort_by_key(|r| r.start);
        }
        let mut pain = Cow::Borrowed(data.pain.as_slice());
        if !pain.is_sorted_by_key(|p| p.at) {
            pain.to_mut().sort_by_key(|p| p.at);
        }
        History {
            data,
            runs,
            pain,
            now,
            t,
            begins: None,
            worst: OnceCell::new(),
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

    /// When the history begins: its first run.
    pub fn first_run(&self) -> Option<DateTime<FixedOffset>> {
        self.begins
    }

    /// Whether the runs cover at least `days` before now.
    pub fn covers(&self, days: i64) -> bool {
        self.first_run().is_some_and(|f| f <= self.now - Duration::days(days))
    }

    /// The worst pain of a run's entries (see [`belonging`]: linked to it, or logged during it
    /// or within 24 h after it, 36 h for next-day, and never counted against two runs). `None`
    /// when nothing was logged (unknown, not zero).
    pub fn pain_after(&self, run: &Run) -> Option<u8> {
        let worst = self.worst.get_or_init(|| {
            let mut m: IdMap<u8> = IdMap::default();
            for &(i, j) in belonging::Belonging::new(&self.runs, &self.pain).pairs() {
                let e = m.entry(self.runs[i].id).or_insert(0);
                *e = (*e).max(self.pain[j].level.0);
            }
            m
        });
        worst.get(&run.id).copied()
    }
}

/// Drops the leading items for which `before` holds (the slice is in time order).
fn cut<T: Clone>(items: Cow<'_, [T]>, before: impl Fn(&T) -> bool) -> Cow<'_, [T]> {
    let i = items.partition_point(before);
    match items {
        Cow::Borrowed(s) => Cow::Borrowed(&s[i..]),
        Cow::Owned(mut v) => {
            v.drain(..i);
            Cow::Owned(v)
        }
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

/// Most severe first; red-flag before anything; then the order of [`RuleId`].
pub fn sort(flags: &mut [Flag]) {
    flags.sort_by_key(|f| (f.id() != RuleId::RedFlag, std::cmp::Reverse(f.severity), f.id()));
}

/// The whole review `coach` prints: the flags, the insights, and the next-run decision.
#[derive(Clone, Debug, PartialEq)]
pub struct Review {
    pub flags: Vec<Flag>,
    pub insights: Vec<insights::Insight>,
    pub next: decision::Decision,
}

/// The review of `h`. The decision reads the whole store as of `h.now`, whatever `--since`
/// cut from the flags: a window must never hide pain from the answer. While the light is
/// `rest`, no flag suggests strength or Pilates work (EVIDENCE.md section 6).
pub fn review(h: &History) -> Review {
    let next = decision::decide_now(&decision::Timeline::new(h.data), h.now);
    let mut flags = evaluate(h);
    fit_advice_to(&next, &mut flags);
    let insights = insights::insights(h);
    Review { flags, insights, next }
}

/// While the light is `rest`, no flag's advice suggests strength or Pilates work (EVIDENCE.md
/// section 6: no loading advice while resting); the relief routine stays. While an open
/// `emergency` or `urgent` red flag holds it, no advice suggests any activity in place of a run
/// either: only the triage's action.
pub fn fit_advice_to(next: &decision::Decision, flags: &mut [Flag]) {
    if next.light != decision::Light::Rest {
        return;
    }
    let red_flag = next.red_flag_rest();
    for f in flags {
        let withheld = |a: &str| catalog::is_loading(a) || (red_flag && catalog::is_activity(a));
        f.advice.retain(|a| !withheld(a));
    }
}

#[cfg(test)]
pub(crate) mod testkit {
    //! Small builders for rule tests: a history of runs and pain entries on given days.

    use chrono::{DateTime, Duration, FixedOffset};

    use super::{Flag, History, Thresholds};
    use crate::model::{Data, Pain, PainLevel, Run};

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
        History::new(d, None, now(), Thresholds::default())
    }

    /// The evidence of a flag as its rule's struct, or a panic naming what it was.
    macro_rules! evidence {
        ($flag:expr, $variant:ident) => {
            match &$flag.evidence {
                crate::rules::Evidence::$variant(e) => e.clone(),
                other => panic!("expected {} evidence, got {other:?}", stringify!($variant)),
            }
        };
    }
    pub(crate) use evidence;

    /// `a` and `b` agree to well below any rounding the rules could do.
    pub fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    /// The rule ids of some flags, in order.
    pub fn ids(flags: &[Flag]) -> Vec<&'static str> {
        flags.iter().map(|f| f.id().as_str()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::testkit::*;
    use super::*;

    /// The add path reviews only recent history, borrowed; on long, varied histories every
    /// rule must say exactly what reviewing everything would.
    #[test]
    fn the_recent_history_raises_the_flags_the_whole_history_does() {
        let today = now();
        for (weeks, seed) in [(30, 1), (80, 2), (200, 3)] {
            let mut d = crate::demo::generate(weeks, seed, today);
            let mut r = run(0, 30.0);
            r.warmup = Some(false);
            r.surface = Some(crate::model::Surface::Concrete);
            r.shoe_id = d.shoes.last().map(|s| s.id);
            let id = d.add_run(r);
            let mut p = pain(now(), 7);
            p.side = crate::model::Side::Left;
            p.run_id = Some(id);
            p.symptoms = vec!["fever".into()];
            d.add_pain(p);
            let t = Thresholds::default();
            let whole = evaluate(&History::new(&d, None, now(), t.clone()));
            let recent = History::recent(&d, now(), now(), t);
            assert!(recent.runs.len() < d.runs.len(), "{weeks} weeks: the window is recent");
            assert!(matches!(recent.runs, Cow::Borrowed(_)), "nothing copied");
            assert_eq!(evaluate(&recent), whole, "{weeks} weeks");
            assert!(ids(&whole).contains(&"red-flag") && ids(&whole).contains(&"warmup-skipped"));
        }
    }

    #[test]
    fn since_limits_the_reviewed_history() {
        let d = data((0..40).map(|i| run(i, 5.0)).collect(), vec![]);
        let h = History::new(&d, Some(day(9) - Duration::hours(1)), now(), Thresholds::default());
        assert_eq!(h.runs.len(), 10);
        assert!(!h.covers(28));
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
        assert!(evaluate(&h).iter().any(|f| f.id() == RuleId::NoRest));
        let recent = History::recent(&d, now(), now(), Thresholds::default());
        assert!(recent.runs.is_sorted_by_key(|r| r.start));
    }

    #[test]
    fn red_flag_sorts_first_whatever_else_fires() {
        let mut skipped = run(1, 5.0);
        skipped.warmup = Some(false);
        let mut severe = pain(day(1), 8);
        severe.symptoms = vec!["fever".into()];
        let d = data(vec![], vec![severe]);
        let h = history(&d);
        let mut red = pain::red_flag(&h).unwrap();
        red.severity = Severity::Info;
        let surface = habits::HardSurface {
            hard_m: 5000.0,
            known_surface_m: 5000.0,
            share: 1.0,
            days: 28,
            threshold: 0.5,
        };
        let mut flags = vec![
            Flag::new(Severity::Info, surface),
            habits::skipped_this_run(&skipped),
            pain::pain_severe(&h).unwrap(),
            red,
        ];
        sort(&mut flags);
        assert_eq!(
            ids(&flags),
            ["red-flag", "pain-severe", "warmup-skipped", "hard-surface"]
        );
    }

    #[test]
    fn rule_ids_are_the_contract_ids_and_read_back() {
        for id in RuleId::ALL {
            assert_eq!(RuleId::from_id(id.as_str()), Some(id));
            assert_eq!(serde_json::to_value(id).unwrap(), id.as_str());
        }
        assert_eq!(RuleId::from_id("no-such-rule"), None);
        let ids: Vec<&str> = RuleId::ALL.iter().map(|r| r.as_str()).collect();
        for contract in [
            "warmup-skipped",
            "stretch-skipped",
            "shoe-worn",
            "shoe-rotation",
            "hard-surface",
            "long-run-jump",
            "load-spike",
            "monotony",
            "no-rest",
            "pain-after-runs",
            "pain-rising",
            "pain-severe",
            "red-flag",
        ] {
            assert!(ids.contains(&contract), "{contract}");
        }
    }

    /// The words live in `output/`: no rule file imports it or formats text, and the model
    /// does not depend on the rules.
    #[test]
    fn rules_hold_no_words_and_model_does_not_import_rules() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        // The code of a file before its tests, without comments: tests may build strings, and
        // comments may name `output`; the rules themselves may not.
        let code = |path: &std::path::Path| {
            let text = std::fs::read_to_string(path).unwrap();
            let before_tests = text.split("#[cfg(test)]").next().unwrap_or_default().to_string();
            before_tests
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        let mut seen = 0;
        let rule_files = walkdir::WalkDir::new(root.join("rules"))
            .into_iter()
            .map(|e| e.unwrap().into_path())
            .filter(|p| p.extension().is_some_and(|x| x == "rs"))
            // A `tests.rs` is a test module through and through.
            .filter(|p| !p.ends_with("tests.rs"));
        for path in rule_files {
            for needle in ["crate::output", "output::", "super::super::output"] {
                assert!(
                    !code(&path).contains(needle),
                    "{} imports output ({needle})",
                    path.display()
                );
            }
            for needle in ["format!(", "println!(", "write!(", "to_string()"] {
                assert!(
                    !code(&path).contains(needle),
                    "{} builds text ({needle})",
                    path.display()
                );
            }
            seen += 1;
        }
        assert!(seen >= 13, "read {seen} rule files, the decision's among them");
        for e in std::fs::read_dir(root.join("model")).unwrap() {
            let path = e.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(!text.contains("crate::rules"), "{} imports rules", path.display());
        }
    }
}
