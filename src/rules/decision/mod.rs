//! The next-run decision (EVIDENCE.md section 6, v2): "should I run today, and how far?".
//!
//! A pure function of the history and a moment: [`decide`]`(&`[`Timeline`]`, at)` returns a
//! [`Decision`] — a light ([`Light::Go`], [`Light::Hold`], [`Light::Rest`]), the reasons behind
//! it as typed facts with their numbers, the longest run allowed in metres (none at `rest`), the
//! walk-run step when a return starts as walk-run, the when-to-stop list, the routines, and what
//! the coach asks or advises (a missing pain entry, a `soon` review). `output::decision` words it.
//!
//! The decision reads only the history up to `at` (runs that started and entries logged at or
//! before it, red flags as they stood then), so it can be evaluated at any moment: the coach
//! evaluates past moments for the `soon` review, and `lumbar plan` evaluates the days ahead with
//! its planned runs added ([`Timeline::with`]). It always reads the whole history, whatever
//! `coach --since` says: a window must never hide pain from the answer.
//!
//! For `lumbar plan` and `lumbar report`:
//!
//! ```text
//! let t = Timeline::new(&data);                       // the store as it is
//! let today = decide(&t, settings.now);               // what `coach` says now
//! let past = decide(&t, settings.now - 7 days);       // what it said a week ago
//! // The days ahead: planned runs (ids from data.next_id.run upward) counted as done, and the
//! // pain the plan assumes (e.g. next-day entries at the pre-run level, so walk-run moves up).
//! let t = Timeline::with(&data, planned_runs, assumed_pain);
//! let day_3 = decide(&t, day_3_morning);              // reads only what is before that moment
//! ```
//!
//! The definitions are small named functions, one concern per file:
//! [`crate::rules::belonging`] (a run's entries), [`pain`] (the pain conditions, settled,
//! unsticking), [`distance`] (spikes, L30, L30-7, gaps, the caps, coming back) and [`walkrun`]
//! (the walk-run ladder). Where section 6 is silent the careful choice is taken; each is named
//! where it is made and listed in the README ("The coach").

pub mod distance;
pub mod pain;
pub mod walkrun;

use std::borrow::Cow;

use chrono::{DateTime, Duration, FixedOffset};
use serde::Serialize;

use super::belonging::{Belonging, is_next_day};
use super::thresholds as th;
use crate::model::{Data, Pain, Run, Side, Timing};
use crate::redflags::{self, Level, Logged};

pub use distance::{Cap, CapKind, Phase};
pub use walkrun::{WalkRun, WalkRunStep};

/// The coach's light for the next run. Ordered, so `max` is "the most severe wins".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Light {
    /// A run within the cap, with the routines before and after.
    Go,
    /// An easy run no longer than the longest recent run, or cross-training; no increase.
    Hold,
    /// No run.
    Rest,
}

impl Light {
    pub fn as_str(self) -> &'static str {
        match self {
            Light::Go => "go",
            Light::Hold => "hold",
            Light::Rest => "rest",
        }
    }

    /// The exit code of `coach --check`: 0 go, 3 hold, 4 rest.
    pub fn exit_code(self) -> u8 {
        match self {
            Light::Go => 0,
            Light::Hold => 3,
            Light::Rest => 4,
        }
    }
}

impl From<redflags::Light> for Light {
    fn from(l: redflags::Light) -> Light {
        match l {
            redflags::Light::Hold => Light::Hold,
            redflags::Light::Rest => Light::Rest,
        }
    }
}

/// One pain entry a reason points at.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct EntryRef {
    pub pain_id: u64,
    pub level: u8,
    #[serde(serialize_with = "crate::model::when::serialize_rfc3339")]
    pub at: DateTime<FixedOffset>,
}

impl EntryRef {
    pub fn of(p: &Pain) -> EntryRef {
        EntryRef {
            pain_id: p.id,
            level: p.level.0,
            at: p.at,
        }
    }
}

/// Why the light is what it is: one fact per condition of section 6 that holds, with its
/// numbers. Serialised with its `id` (kebab-case) and its fields.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "id", rename_all = "kebab-case")]
pub enum Reason {
    /// rest: an `emergency` or `urgent` red flag no clinician has seen yet (no expiry).
    RedFlag {
        level: Level,
        symptoms: Vec<String>,
        #[serde(serialize_with = "crate::model::when::serialize_rfc3339")]
        last_at: DateTime<FixedOffset>,
    },
    /// rest: pain of 6 or more in an entry of the last run, not settled yet.
    PainAfterLastRun { run_id: u64, entry: EntryRef },
    /// rest: pain of 6 or more in the last 48 h (settled or not).
    #[serde(rename = "pain-last-48h")]
    PainLast48h { entry: EntryRef, hours: i64 },
    /// rest: pain of 7 or more in the last 7 days (settled or not).
    SeverePainThisWeek { entry: EntryRef, days: i64 },
    /// rest: pain of 6 or more, not settled yet (no entry of 2 or less 12 h or more later).
    NotSettled { entry: EntryRef },
    /// hold, walk-run: a rest for pain unstuck: the last 72 h hold entries, all of 5 or less,
    /// though nothing has settled it.
    Unstuck {
        entry: EntryRef,
        hours: i64,
        entries: usize,
        worst: u8,
    },
    /// hold: a rest condition settled, until the next run after the settling entry.
    Settled { entry: EntryRef, settled_by: EntryRef },
    /// hold: pain of 3–5 in an entry of the last run.
    ModeratePainAfterLastRun { run_id: u64, entry: EntryRef },
    /// hold: next-day pain of the last run above the pre-run level (with no pre-run entry,
    /// next-day pain of 3 or more).
    NextDayAbovePreRun {
        run_id: u64,
        next_day: EntryRef,
        pre_run: Option<EntryRef>,
    },
    /// hold: pain of 3–5 in the last 48 h.
    #[serde(rename = "moderate-pain-last-48h")]
    ModeratePainLast48h { entry: EntryRef, hours: i64 },
    /// hold: the last run has no entry, and pain of 3 or more was logged in the last 14 days.
    NoEntryAfterLastRun { run_id: u64, entry: EntryRef, days: i64 },
    /// hold: `pain-rising` (the mean of the last 14 days at least 2 points above the 14 before).
    PainRising {
        recent_mean: f64,
        previous_mean: f64,
        days: i64,
    },
    /// hold: a `soon` red flag of the last 30 days no clinician has seen yet.
    RedFlagSoon {
        symptoms: Vec<String>,
        #[serde(serialize_with = "crate::model::when::serialize_rfc3339")]
        last_at: DateTime<FixedOffset>,
    },
    /// hold: the last run was a spike (more than 10 % over the longest of the 30 days before).
    LastRunSpike {
        run_id: u64,
        distance_m: f64,
        longest_before_m: f64,
    },
    /// go: no run logged yet: start with 20–30 minutes easy, walk breaks welcome.
    FirstRuns,
    /// go: coming back after a gap of 14 days or more, with the return's caps.
    ComingBack { gap_days: i64, runs_since: usize },
    /// go: fewer than 3 runs in the last 30 days: the coach is still learning the runner's
    /// baseline (the caps apply all the same).
    LearningBaseline { runs_30d: usize, needed: usize },
    /// go: none of the conditions holds.
    Clear,
}

impl Reason {
    /// The light this reason holds the runner at.
    pub fn light(&self) -> Light {
        use Reason::*;
        match self {
            RedFlag { .. }
            | PainAfterLastRun { .. }
            | PainLast48h { .. }
            | SeverePainThisWeek { .. }
            | NotSettled { .. } => Light::Rest,
            Unstuck { .. }
            | Settled { .. }
            | ModeratePainAfterLastRun { .. }
            | NextDayAbovePreRun { .. }
            | ModeratePainLast48h { .. }
            | NoEntryAfterLastRun { .. }
            | PainRising { .. }
            | RedFlagSoon { .. }
            | LastRunSpike { .. } => Light::Hold,
            FirstRuns | ComingBack { .. } | LearningBaseline { .. } | Clear => Light::Go,
        }
    }

    /// Listing order within a light: red flags first, then the pain of the last run, the most
    /// recent pain, and the load.
    fn order(&self) -> u8 {
        use Reason::*;
        match self {
            RedFlag { .. } => 0,
            PainAfterLastRun { .. } => 1,
            PainLast48h { .. } => 2,
            SeverePainThisWeek { .. } => 3,
            NotSettled { .. } => 4,
            RedFlagSoon { .. } => 5,
            Unstuck { .. } => 6,
            ModeratePainAfterLastRun { .. } => 7,
            NextDayAbovePreRun { .. } => 8,
            ModeratePainLast48h { .. } => 9,
            Settled { .. } => 10,
            NoEntryAfterLastRun { .. } => 11,
            PainRising { .. } => 12,
            LastRunSpike { .. } => 13,
            FirstRuns => 14,
            ComingBack { .. } => 15,
            LearningBaseline { .. } => 16,
            Clear => 17,
        }
    }

    /// Whether this reason is about pain (as opposed to a red flag or the load).
    pub fn is_pain(&self) -> bool {
        !matches!(
            self,
            Reason::RedFlag { .. }
                | Reason::RedFlagSoon { .. }
                | Reason::LastRunSpike { .. }
                | Reason::FirstRuns
                | Reason::ComingBack { .. }
                | Reason::LearningBaseline { .. }
                | Reason::Clear
        )
    }
}

/// A sign to stop a run (EVIDENCE.md section 6, "When to stop a run"): the first four mean stop
/// and walk home, the others call emergency services.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StopSign {
    /// The pain passes 5/10.
    PainAboveFive,
    /// The pain keeps rising as you go.
    PainKeepsRising,
    /// A limp, or a change of stride.
    Limp,
    /// New numbness, tingling or weakness in a leg.
    LegNerveSigns,
    /// Chest pain.
    ChestPain,
    /// Feeling faint.
    Faint,
    /// Numbness around the genitals or back passage.
    SaddleNumbness,
    /// New trouble controlling the bladder or bowels.
    BladderBowel,
}

impl StopSign {
    pub const ALL: [StopSign; 8] = [
        StopSign::PainAboveFive,
        StopSign::PainKeepsRising,
        StopSign::Limp,
        StopSign::LegNerveSigns,
        StopSign::ChestPain,
        StopSign::Faint,
        StopSign::SaddleNumbness,
        StopSign::BladderBowel,
    ];

    /// Call emergency services (rather than stop and walk home).
    pub fn is_emergency(self) -> bool {
        matches!(
            self,
            StopSign::ChestPain | StopSign::Faint | StopSign::SaddleNumbness | StopSign::BladderBowel
        )
    }
}

/// What the coach asks the runner to log.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "id", rename_all = "kebab-case")]
pub enum Ask {
    /// The last run has no pain entry, and pain was logged before: no answer is not "fine"
    /// (`lumbar pain add 0 --run last` records none).
    PainAfterRun { run_id: u64 },
    /// Resting for pain with nothing logged in the last 72 h: how is the back?
    HowIsYourBack { hours: i64 },
}

/// Advice to see a doctor or physiotherapist within days to two weeks (`soon`).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "id", rename_all = "kebab-case")]
pub enum SoonReview {
    /// The pain has not come down to 2/10 or less within 14 days of the first `rest`.
    NotSettling {
        #[serde(serialize_with = "crate::model::when::serialize_rfc3339")]
        rest_since: DateTime<FixedOffset>,
        days: i64,
    },
    /// No `go` for 28 days in a row.
    NoGo { days: i64 },
}

/// The runs of the last 30 days `long-run-jump` compares with: fewer than 3 and the coach is
/// still learning the runner's baseline (the spike and cap rules still apply).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Baseline {
    pub runs_30d: usize,
    pub needed: usize,
    pub learning: bool,
}

/// The coach's answer: what to do next, as facts. See the module documentation.
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    /// The moment it was decided for.
    pub at: DateTime<FixedOffset>,
    pub light: Light,
    /// Every reason that holds, most severe first: the first is "the reason"; never empty.
    pub reasons: Vec<Reason>,
    /// The longest run allowed, in metres: the smallest of `caps`. `None` only at `rest` and
    /// with no run in the history at all.
    pub max_distance_m: Option<f64>,
    /// Every cap that applies, the binding one first (empty at `rest`).
    pub caps: Vec<Cap>,
    /// Where the runner is in the gap rules: ordinary, away (a gap now), coming back.
    pub phase: Phase,
    /// The walk-run step to do, when the run is walk-run.
    pub walk_run: Option<WalkRun>,
    /// When to stop a run: the whole list, or empty when it is not shown.
    pub stop_if: Vec<StopSign>,
    /// Routine ids (`lumbar routine ID`) for before the run…
    pub before: Vec<&'static str>,
    /// …and after it.
    pub after: Vec<&'static str>,
    /// The routine for the day itself when it is not a run (`relief` at rest for pain).
    pub today: Option<&'static str>,
    /// Gentle alternatives to a run (walking, swimming, cycling); none for a red flag.
    pub cross_training: Vec<&'static str>,
    /// What the coach asks the runner to log, if anything.
    pub ask: Option<Ask>,
    /// A `soon` review with a doctor or physiotherapist, when the pain is not settling.
    pub review: Option<SoonReview>,
    pub baseline: Baseline,
    /// The longest non-spike run of the last 30 days (L30), since the return after a gap.
    pub longest_30d_m: Option<f64>,
    /// The red flags logged, read as the triage reads them: with an open `emergency` or
    /// `urgent` one the coach says only the triage's action.
    pub red_flags: Option<Logged>,
}

impl Decision {
    /// The one reason that leads.
    pub fn reason(&self) -> &Reason {
        &self.reasons[0]
    }

    /// Resting for an open `emergency` or `urgent` red flag: only the triage's action is said.
    pub fn red_flag_rest(&self) -> bool {
        matches!(self.reasons.first(), Some(Reason::RedFlag { .. }))
    }
}

/// What the decision reads: the runs and pain entries in time order, and the store for the
/// red flags, their seen marks and the age (`config age`; unknown takes the careful side).
pub struct Timeline<'a> {
    data: &'a Data,
    runs: Cow<'a, [Run]>,
    pain: Cow<'a, [Pain]>,
    belonging: Belonging,
}

impl<'a> Timeline<'a> {
    /// The whole store.
    pub fn new(data: &'a Data) -> Timeline<'a> {
        Timeline::with(data, Vec::new(), Vec::new())
    }

    /// The store with runs and pain entries that are not stored merged in: a plan's runs
    /// (assumed done as planned) and the pain it assumes. Their ids must not clash with stored
    /// ones: number them from `data.next_id` upward. Red flags are read from the store only.
    pub fn with(data: &'a Data, runs: Vec<Run>, pain: Vec<Pain>) -> Timeline<'a> {
        let mut all_runs = Cow::Borrowed(data.runs.as_slice());
        if !runs.is_empty() {
            all_runs.to_mut().extend(runs);
        }
        if !all_runs.is_sorted_by_key(|r| r.start) {
            all_runs.to_mut().sort_by_key(|r| r.start);
        }
        let mut all_pain = Cow::Borrowed(data.pain.as_slice());
        if !pain.is_empty() {
            all_pain.to_mut().extend(pain);
        }
        if !all_pain.is_sorted_by_key(|p| p.at) {
            all_pain.to_mut().sort_by_key(|p| p.at);
        }
        let belonging = Belonging::new(&all_runs, &all_pain);
        Timeline {
            data,
            runs: all_runs,
            pain: all_pain,
            belonging,
        }
    }

    pub fn runs(&self) -> &[Run] {
        &self.runs
    }

    pub fn pain(&self) -> &[Pain] {
        &self.pain
    }

    pub fn age(&self) -> Option<u32> {
        self.data.config.age
    }

    /// The history as it stood at `at`.
    fn moment(&self, at: DateTime<FixedOffset>) -> Moment<'_> {
        let runs = &self.runs[..self.runs.partition_point(|r| r.start <= at)];
        let pain = &self.pain[..self.pain.partition_point(|p| p.at <= at)];
        Moment {
            t: self,
            at,
            runs,
            pain,
        }
    }
}

/// The history as it stood at one moment: runs started and entries logged at or before `at`.
pub(crate) struct Moment<'t> {
    t: &'t Timeline<'t>,
    pub at: DateTime<FixedOffset>,
    pub runs: &'t [Run],
    pub pain: &'t [Pain],
}

impl<'t> Moment<'t> {
    /// The latest run by start, with its index.
    pub fn last_run(&self) -> Option<(usize, &'t Run)> {
        self.runs.len().checked_sub(1).map(|i| (i, &self.runs[i]))
    }

    /// The entries of run `i` logged by now, oldest first.
    pub fn entries_of(&self, i: usize) -> impl Iterator<Item = &'t Pain> + '_ {
        let pain = self.t.pain.as_ref();
        let at = self.at;
        self.t
            .belonging
            .of(i)
            .map(move |j| &pain[j])
            .filter(move |p| p.at <= at)
    }

    /// The entries logged after `from`.
    pub fn pain_after(&self, from: DateTime<FixedOffset>) -> &'t [Pain] {
        &self.pain[self.pain.partition_point(|p| p.at <= from)..]
    }

    /// The entries logged at or after `from`.
    pub fn pain_from(&self, from: DateTime<FixedOffset>) -> &'t [Pain] {
        &self.pain[self.pain.partition_point(|p| p.at < from)..]
    }

    /// The entries in `[from, to]`.
    pub fn pain_between(&self, from: DateTime<FixedOffset>, to: DateTime<FixedOffset>) -> &'t [Pain] {
        let a = self.pain.partition_point(|p| p.at < from);
        let b = self.pain.partition_point(|p| p.at <= to);
        &self.pain[a..b.max(a)]
    }

    /// The pre-run level of run `i`: the latest entry of the 24 h before it started.
    pub fn pre_run(&self, i: usize) -> Option<&'t Pain> {
        let start = self.runs[i].start;
        let before = &self.pain[..self.pain.partition_point(|p| p.at < start)];
        before
            .last()
            .filter(|p| p.at >= start - Duration::hours(th::PRE_RUN_HOURS))
    }

    /// The worst next-day entry of run `i` (latest among equals).
    pub fn next_day(&self, i: usize) -> Option<&'t Pain> {
        let run = &self.runs[i];
        self.entries_of(i)
            .filter(|p| is_next_day(run, p))
            .max_by_key(|p| (p.level, p.at))
    }
}

/// The light and its reasons at one moment, without the advice around them: what past moments
/// are read for.
pub(crate) struct Lights {
    pub light: Light,
    pub reasons: Vec<Reason>,
    /// The painful entry an unsticking walk-run counts from.
    pub unstuck_from: Option<DateTime<FixedOffset>>,
    pub ask_how: bool,
    pub red_flags: Option<Logged>,
}

impl Lights {
    /// At `rest` for pain (not only for a red flag).
    pub fn rest_for_pain(&self) -> bool {
        self.light == Light::Rest && self.reasons.iter().any(|r| r.light() == Light::Rest && r.is_pain())
    }

    /// Not `go` because of symptoms: a red flag, or pain whose latest entry is above 2/10. A
    /// hold only because no run has yet followed pain that came down, or after a spike, is not.
    pub fn symptomatic(&self, m: &Moment) -> bool {
        let flagged = self
            .reasons
            .iter()
            .any(|r| matches!(r, Reason::RedFlag { .. } | Reason::RedFlagSoon { .. }));
        let hurting = m.pain.last().is_some_and(|p| p.level.0 > th::SETTLED_LEVEL);
        self.light != Light::Go && (flagged || hurting)
    }
}

/// The lights of section 6 at one moment: most severe wins.
fn lights(m: &Moment) -> Lights {
    let red_flags = redflags::logged_as_of(m.t.data, m.t.age(), m.at);
    let mut reasons = Vec::new();
    if let Some(l) = red_flags.as_ref() {
        match l.light().map(Light::from) {
            Some(Light::Rest) => reasons.push(Reason::RedFlag {
                level: l.level(),
                symptoms: l.symptoms.clone(),
                last_at: l.last_at,
            }),
            Some(Light::Hold) => reasons.push(Reason::RedFlagSoon {
                symptoms: l.symptoms.clone(),
                last_at: l.last_at,
            }),
            _ => {}
        }
    }
    let found = pain::conditions(m);
    reasons.extend(found.reasons);
    if let Some(spike) = distance::last_run_spike(m) {
        reasons.push(spike);
    }
    let light = reasons.iter().map(Reason::light).max().unwrap_or(Light::Go);
    sort_reasons(&mut reasons);
    Lights {
        light,
        reasons,
        unstuck_from: found.unstuck_from,
        ask_how: found.ask_how,
        red_flags,
    }
}

fn sort_reasons(reasons: &mut [Reason]) {
    reasons.sort_by_key(|r| (std::cmp::Reverse(r.light()), r.order()));
}

/// Records may be dated up to a day ahead of the clock (`run add --date today` places a run at
/// noon): the present answer is read at the latest of now and those, so nothing logged is left
/// out of it.
pub const AHEAD_HOURS: i64 = 24;

/// The decision for the present: [`decide`] at `now`, or at the latest record dated after it
/// (up to a day ahead), so a run or an entry logged for later today counts at once.
pub fn decide_now(t: &Timeline, now: DateTime<FixedOffset>) -> Decision {
    let limit = now + Duration::hours(AHEAD_HOURS);
    // Both lists are in time order: only their tails can be ahead of now.
    let ahead = |times: &mut dyn Iterator<Item = DateTime<FixedOffset>>| {
        times.take_while(|&at| at > now).find(|&at| at <= limit)
    };
    let latest = [
        ahead(&mut t.runs.iter().rev().map(|r| r.start)),
        ahead(&mut t.pain.iter().rev().map(|p| p.at)),
    ];
    decide(t, latest.into_iter().flatten().fold(now, DateTime::max))
}

/// The next-run decision at `at` (see the module documentation). Pure: the same timeline and
/// moment always give the same decision.
pub fn decide(t: &Timeline, at: DateTime<FixedOffset>) -> Decision {
    let m = t.moment(at);
    let mut l = lights(&m);
    let load = distance::Load::at(&m);
    let baseline = baseline(&m);
    if l.light == Light::Go {
        l.reasons.push(match (&load.phase, m.runs.is_empty()) {
            (_, true) => Reason::FirstRuns,
            (Phase::Away { gap_days, .. }, _) => Reason::ComingBack {
                gap_days: *gap_days,
                runs_since: 0,
            },
            (
                Phase::ComingBack {
                    gap_days, runs_since, ..
                },
                _,
            ) => Reason::ComingBack {
                gap_days: *gap_days,
                runs_since: *runs_since,
            },
            (Phase::Ordinary, _) if baseline.learning => Reason::LearningBaseline {
                runs_30d: baseline.runs_30d,
                needed: baseline.needed,
            },
            (Phase::Ordinary, _) => Reason::Clear,
        });
    }
    let caps = if l.light == Light::Rest {
        Vec::new()
    } else {
        load.caps(&m, l.light)
    };
    let walk_run = if l.light == Light::Rest {
        None
    } else {
        walkrun::current(&m, &load, l.unstuck_from)
    };
    let red_flag_rest = matches!(l.reasons.first(), Some(Reason::RedFlag { .. }));
    let during = m
        .pain_after(at - Duration::days(th::STOP_DURING_DAYS))
        .iter()
        .any(|p| p.when == Some(Timing::During));
    let show_stop = !red_flag_rest && (l.light != Light::Go || during);
    let ask = if l.ask_how && !red_flag_rest {
        Some(Ask::HowIsYourBack {
            hours: th::UNSTICK_HOURS,
        })
    } else {
        ask_after_run(&m)
    };
    let review = if l.light == Light::Go || red_flag_rest {
        None
    } else {
        soon_review(t, &m, &l)
    };
    let (before, after, today, cross_training) = routines(&m, &l, red_flag_rest);
    Decision {
        at,
        light: l.light,
        max_distance_m: caps.first().map(|c| c.limit_m),
        caps,
        phase: load.phase.clone(),
        walk_run,
        stop_if: if show_stop { StopSign::ALL.to_vec() } else { Vec::new() },
        before,
        after,
        today,
        cross_training,
        ask,
        review,
        baseline,
        longest_30d_m: load.l30_m,
        reasons: l.reasons,
        red_flags: l.red_flags,
    }
}

/// No answer is not "fine": the last run (of the last 14 days) has no entry, and the runner has
/// logged pain before.
fn ask_after_run(m: &Moment) -> Option<Ask> {
    let (i, last) = m.last_run()?;
    let recent = last.start > m.at - Duration::days(th::ASK_AFTER_RUN_DAYS);
    let none = m.entries_of(i).next().is_none();
    (recent && none && !m.pain.is_empty()).then_some(Ask::PainAfterRun { run_id: last.id })
}

/// Fewer than 3 runs in the last 30 days: still learning the runner's baseline.
fn baseline(m: &Moment) -> Baseline {
    let from = m.at - Duration::days(th::LONG_RUN_BASE_DAYS);
    let runs_30d = m.runs.len() - m.runs.partition_point(|r| r.start <= from);
    Baseline {
        runs_30d,
        needed: th::JUMP_BASELINE_RUNS,
        learning: runs_30d < th::JUMP_BASELINE_RUNS,
    }
}

/// Low-impact alternatives, the article's picks for a sore back.
const LOW_IMPACT: &[&str] = &["swimming", "cycling"];
/// At rest for pain: gentle movement if comfortable (NICE NG59: stay active within what the
/// pain allows); no strength or Pilates.
const GENTLE: &[&str] = &["walking", "swimming", "cycling"];

type Routines = (
    Vec<&'static str>,
    Vec<&'static str>,
    Option<&'static str>,
    Vec<&'static str>,
);

/// The routines before and after the run, the routine for the day, and the alternatives. At
/// rest there is no run: for pain the relief routine and gentle movement, for a red flag
/// nothing but the triage's action. No strength or Pilates while resting.
fn routines(m: &Moment, l: &Lights, red_flag_rest: bool) -> Routines {
    match l.light {
        Light::Rest if red_flag_rest => (Vec::new(), Vec::new(), None, Vec::new()),
        Light::Rest => (Vec::new(), Vec::new(), Some("relief"), GENTLE.to_vec()),
        light => {
            let mut before = vec!["warmup"];
            if one_sided(m) {
                before.push("form");
            }
            let mut after = vec!["stretch"];
            let mut alternatives = Vec::new();
            if light == Light::Hold {
                alternatives.extend_from_slice(LOW_IMPACT);
                if l.reasons.iter().any(|r| r.light() == Light::Hold && r.is_pain()) {
                    after.push("relief");
                }
            }
            (before, after, None, alternatives)
        }
    }
}

/// Pain on one side only in the last 28 days: the form routine goes before the run.
fn one_sided(m: &Moment) -> bool {
    m.pain_after(m.at - Duration::days(th::ONE_SIDED_DAYS))
        .iter()
        .any(|p| p.level.0 > 0 && matches!(p.side, Side::Left | Side::Right))
}

/// The `soon` review, while symptoms hold the light now ([`Lights::symptomatic`]): read the
/// light once a day back from `at` while it is not `go` (at most 90 days); advise a review when
/// none of the last 28 days was `go`, or when the pain has not come down to 2/10 or less within
/// 14 days of the first `rest` for pain of this stretch.
fn soon_review(t: &Timeline, m: &Moment, now: &Lights) -> Option<SoonReview> {
    if !now.symptomatic(m) {
        return None;
    }
    let mut first_rest = now.rest_for_pain().then_some(m.at);
    let mut days_not_go = 0;
    for k in 1..=th::REVIEW_LOOKBACK_DAYS {
        let past = lights(&t.moment(m.at - Duration::days(k)));
        if past.light == Light::Go {
            break;
        }
        days_not_go = k;
        if past.rest_for_pain() {
            first_rest = Some(m.at - Duration::days(k));
        }
    }
    if days_not_go >= th::REVIEW_HELD_DAYS {
        return Some(SoonReview::NoGo { days: days_not_go });
    }
    let sampled = first_rest?;
    // The rest began with the painful entry of the day before the sample, if there is one.
    let began = m
        .pain_between(sampled - Duration::days(1), sampled)
        .iter()
        .find(|p| p.level.0 >= th::REST_LEVEL)
        .map_or(sampled, |p| p.at);
    let deadline = began + Duration::days(th::REVIEW_NOT_SETTLED_DAYS);
    let came_down = m
        .pain_between(began, deadline)
        .iter()
        .any(|p| p.level.0 <= th::SETTLED_LEVEL);
    (m.at >= deadline && !came_down).then(|| SoonReview::NotSettling {
        rest_since: began,
        days: (m.at - began).num_days(),
    })
}

#[cfg(test)]
mod tests;
