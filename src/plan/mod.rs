//! `lumbar plan`: the days ahead, built from the coach's own decision (EVIDENCE.md section 6,
//! "The plan"). A pure function of the history, the moment and the options; nothing is stored,
//! so the plan is recomputed (and adapts) each time runs and pain are logged.
//!
//! - **Day 1** is today, or tomorrow when a run is already logged today. It is the coach's
//!   decision: `lumbar coach` now (when day 1 is tomorrow, the more careful of that and the
//!   decision as of tomorrow morning), a run whenever that allows one and the week has room
//!   for it, whatever the weekday.
//! - **Each later day** is the decision evaluated as of that day (7:00, when its run would
//!   start) on the history with the planned runs before it counted as done, and the pain
//!   assumed to stay where it was last logged (when that was in the last 14 days; older, the
//!   plan assumes no new entries): an entry at that level each morning, linked as next-day pain
//!   to a planned run of the day before. After a planned walk-run the next-day pain is assumed
//!   back at the level before it, so the step moves up, and the plan names the morning to check
//!   that it did.
//! - **Never against the rules**: no run at `rest`; at `hold` an easy run no longer than the
//!   decision allows (no increase); no run beyond the longest run allowed that day; no run more
//!   than 10 % over the longest of the 30 days before it (logged and planned); no streak of days
//!   with runs reaching `config no-rest-days`; any 7 days holding a planned run at most 10 % over
//!   the mean week before them ([`week`]; general practice, a brake and not a promise).
//! - **Starting out or coming back** (no run logged yet, a gap's return, walk-run): never a run
//!   the day after a day with a run, whatever the weekday (general practice).
//! - **The week**: runs per week from the runner's last 4 weeks (at most 3 while coming back)
//!   unless given; the long run on the usual long-run weekday of the last 8 weeks, else Sunday
//!   ([`habits`]); the other run days are the runner's usual weekdays, spread. A day that is not
//!   a run is cross-training (at most two a week, and never all the days off) or rest.
//! - **Routines**: warm-up before and stretch after every run (and the form cues with one-sided
//!   pain), strength and Pilates twice a week each on days off or easy days (never at `rest`, nor
//!   on or before the long run, nor strength after a walk-run), relief on painful days; at
//!   `rest` for a red flag nothing but the triage's action.
//!
//! The days are facts ([`Day`], [`Why`], [`Bound`]); `output::plan` words them.

pub mod habits;
pub mod week;

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, TimeZone, Weekday};
use serde::Serialize;

use crate::model::{Data, Pain, Run, Timing};
use crate::rules::decision::distance::spike_base;
use crate::rules::decision::{Decision, Light, Phase, Timeline, WalkRun, decide, decide_now};
use crate::rules::thresholds as th;
pub use habits::Source;
pub use week::WeekLimit;

/// Days planned when `--days` is not given.
pub const DEFAULT_DAYS: u32 = 7;
/// The most `--days` takes: every later day rests on more assumptions.
pub const MAX_DAYS: u32 = 28;
/// Each later day is judged at this hour, when its run would start.
pub const RUN_HOUR: u32 = 7;
/// The morning entry the plan assumes comes this many minutes before.
const MORNING_ENTRY_MINUTES: i64 = 15;
/// A brand-new runner's runs are 20–30 minutes easy; the plan counts each as this far.
pub const FIRST_RUN_M: f64 = 3000.0;
/// No planned run is shorter than this…
pub const MIN_RUN_M: f64 = 1000.0;
/// …or than this share of what the day allowed before the plan's brakes: less, and the day
/// is not a run.
pub const MIN_RUN_SHARE: f64 = 0.5;
/// The walking pace of walk-run breaks: 5 km/h.
const WALK_M_PER_S: f64 = 5000.0 / 3600.0;
/// Distances are planned in whole 100 m, rounded down.
const STEP_M: f64 = 100.0;
/// At most this many cross-training days in 7, and always one full rest day among the days off.
const CROSS_TRAINING_PER_WEEK: usize = 2;
/// Strength twice a week (the issue; `lumbar routine strength` says 2–3 times)…
const STRENGTH_PER_WEEK: usize = 2;
/// …and Pilates twice a week.
const PILATES_PER_WEEK: usize = 2;

/// What `lumbar plan` was asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    pub days: u32,
    pub runs_per_week: Option<u32>,
    pub long_day: Option<Weekday>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            days: DEFAULT_DAYS,
            runs_per_week: None,
            long_day: None,
        }
    }
}

/// What a day holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Run,
    WalkRun,
    CrossTraining,
    Rest,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Run => "run",
            Kind::WalkRun => "walk-run",
            Kind::CrossTraining => "cross-training",
            Kind::Rest => "rest",
        }
    }

    pub fn is_run(self) -> bool {
        matches!(self, Kind::Run | Kind::WalkRun)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Effort {
    Easy,
    Long,
}

/// What set a planned run's distance: the smallest of what the day intended and the limits.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "id", rename_all = "kebab-case")]
pub enum Bound {
    /// The runner's usual distance (the median run of the last 28 days).
    Usual { median_m: f64 },
    /// The walk-run session, at the runner's pace with walking breaks.
    Session { estimate_m: f64 },
    /// A brand-new runner: 20–30 minutes easy.
    FirstRuns,
    /// The longest run the decision allows that day (its binding cap leads `Day::decision.caps`).
    Cap { limit_m: f64 },
    /// 10 % over the longest run of the 30 days before (logged and planned; after a gap the
    /// coach's reading, the runs since the return, when that is shorter).
    Spike { longest_m: f64 },
    /// The weekly brake.
    Week(WeekLimit),
}

/// Why a day is what it is, beyond the decision's own reason.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "id", rename_all = "kebab-case")]
pub enum Why {
    /// As the decision says: a run within what it allows, or rest.
    Decision,
    /// Not one of the week's run days.
    OffDay,
    /// The morning after a walk-run: how the back is decides the next step.
    CheckDay { walk_run_on: NaiveDate },
    /// Starting out, coming back from a gap, or walk-run: a day off after a day with a run.
    DayBetween { ran_on: NaiveDate },
    /// One more day with a run would make a streak of `config no-rest-days`.
    Streak { days: u32, limit: u32 },
    /// The 7 days up to this one already hold the week's runs.
    WeekRuns { runs: usize, per_week: u32 },
    /// Kept free so the long run keeps its day.
    KeepForLong { long_on: NaiveDate },
    /// The plan's brakes leave too little for a run.
    TooLittle { allowed_m: f64, bound: Bound },
}

/// One day of the plan.
#[derive(Clone, Debug)]
pub struct Day {
    pub date: NaiveDate,
    /// The moment the day is judged at (and its run starts at).
    pub at: DateTime<FixedOffset>,
    /// The coach's decision as of that day.
    pub decision: Decision,
    pub kind: Kind,
    pub effort: Option<Effort>,
    /// The planned distance; `None` on days off and for a brand-new runner's time-based runs.
    pub distance_m: Option<f64>,
    /// The distance the later days count the run as (the planned one, or 3 km for 20–30
    /// minutes).
    pub counted_m: Option<f64>,
    /// What set the distance.
    pub bound: Option<Bound>,
    /// The walk-run step of a walk-run day.
    pub walk_run: Option<WalkRun>,
    pub why: Why,
    /// Routine ids (`lumbar routine ID`), in the order they are done.
    pub routines: Vec<&'static str>,
    /// A walk-run day: the morning to check next-day pain before the next step.
    pub check_on: Option<NaiveDate>,
    /// A brand-new runner's run: 20–30 minutes easy, walk breaks welcome.
    pub first_runs: bool,
    /// The pain level before the day's run (the latest entry of the 24 h before it, logged or
    /// assumed; 2/10 with none): where a walk-run's next-day pain is assumed to settle.
    pub pre_run_level: u8,
}

/// The pain the plan assumes from day 2 on: the latest entry's level, when it is of the last
/// 14 days.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Assumed {
    pub level: u8,
    #[serde(serialize_with = "crate::model::when::serialize_rfc3339")]
    pub logged_at: DateTime<FixedOffset>,
}

/// The plan: its days and what they rest on.
#[derive(Clone, Debug)]
pub struct Plan {
    pub days: Vec<Day>,
    pub runs_per_week: u32,
    pub runs_per_week_from: Source,
    pub long_day: Weekday,
    pub long_day_from: Source,
    /// The week's run weekdays, Monday first.
    pub pattern: Vec<Weekday>,
    /// The pain assumed to stay; `None` with none logged in the last 14 days.
    pub assumed: Option<Assumed>,
    /// A run is logged today, so day 1 is tomorrow.
    pub ran_today: bool,
    pub no_rest_days: u32,
    /// The weekly brake on the first 7 days, when there is one.
    pub week: Option<WeekLimit>,
    /// The runs the plan counts as done, as the timeline of later days holds them.
    pub planned_runs: Vec<Run>,
    /// The pain entries it assumes.
    pub assumed_pain: Vec<Pain>,
}

impl Plan {
    /// Any walk-run day.
    pub fn has_walk_run(&self) -> bool {
        self.days.iter().any(|d| d.kind == Kind::WalkRun)
    }
}

/// The plan for `data` as of `now`.
pub fn make(data: &Data, now: DateTime<FixedOffset>, o: &Options) -> Plan {
    let off = *now.offset();
    let today = now.date_naive();
    let t0 = Timeline::new(data);
    let coach = decide_now(&t0, now);
    let real = t0.runs();
    let ran_today = real.iter().any(|r| habits::day_of(r.start, off) == today);
    let first = if ran_today { today + Duration::days(1) } else { today };
    // The pain that stays: the latest entry, when it is recent enough for the coach to read it
    // as the runner's pain now (the 14 days it counts a painful entry against a run without
    // one). Older, and the plan assumes no new entries at all.
    let recent_from = coach.at - Duration::days(th::NO_ENTRY_PAIN_DAYS);
    let latest_pain = t0
        .pain()
        .iter()
        .rev()
        .find(|p| p.at <= coach.at)
        .filter(|p| p.at > recent_from);
    let returning = !matches!(coach.phase, Phase::Ordinary) || coach.walk_run.is_some();
    let (runs_per_week, runs_per_week_from) = match (o.runs_per_week, habits::runs_per_week(real, off)) {
        (Some(n), _) => (n.clamp(1, 7), Source::Given),
        (None, Some(n)) if returning => (n.min(habits::RETURN_RUNS_PER_WEEK), Source::History),
        (None, Some(n)) => (n, Source::History),
        (None, None) => (habits::DEFAULT_RUNS_PER_WEEK, Source::Default),
    };
    let (long_day, long_day_from) = match (o.long_day, habits::usual_long_day(real, today, off)) {
        (Some(d), _) => (d, Source::Given),
        (None, Some(d)) => (d, Source::History),
        (None, None) => (habits::DEFAULT_LONG_DAY, Source::Default),
    };
    let pattern = habits::pattern(long_day, runs_per_week, &habits::weekday_counts(real, off));
    let mut p = Planner {
        data,
        off,
        today,
        coach,
        runs_per_week,
        long_day,
        pattern,
        usual_m: habits::usual_distance(real, now),
        pace: habits::pace_s_per_m(real),
        no_rest: data.config.no_rest_days.max(2),
        latest_pain,
        cal: week::Days::from_runs(real, off),
        runs: Vec::new(),
        pain: Vec::new(),
        next_run: data.next_id.run,
        next_pain: data.next_id.pain,
        days: Vec::new(),
    };
    for k in 0..o.days.clamp(1, MAX_DAYS) {
        p.day(k, first + Duration::days(k as i64));
    }
    assign_routines(&mut p.days);
    let all = merged(real, &p.runs);
    let week = week::week_limit(&p.cal, &week::returns(&all, off), first + Duration::days(6));
    Plan {
        days: p.days,
        runs_per_week,
        runs_per_week_from,
        long_day,
        long_day_from,
        pattern: p.pattern,
        assumed: latest_pain.map(|e| Assumed {
            level: e.level.0,
            logged_at: e.at,
        }),
        ran_today,
        no_rest_days: p.no_rest,
        week,
        planned_runs: p.runs,
        assumed_pain: p.pain,
    }
}

/// The logged runs and the planned ones, in time order.
fn merged(real: &[Run], planned: &[Run]) -> Vec<Run> {
    let mut all = real.to_vec();
    all.extend_from_slice(planned);
    all.sort_by_key(|r| r.start);
    all
}

/// The more careful of two decisions: the more severe light (the first on a tie), with the
/// smaller longest run allowed of the two, and walk-run when either says so.
pub fn more_careful(a: Decision, b: Decision) -> Decision {
    let (mut keep, other) = if b.light > a.light { (b, a) } else { (a, b) };
    if keep.light == Light::Rest {
        return keep;
    }
    if let (Some(k), Some(o)) = (keep.max_distance_m, other.max_distance_m)
        && o < k
    {
        keep.max_distance_m = Some(o);
        if let Some(c) = other.caps.first() {
            keep.caps.insert(0, *c);
        }
    }
    if keep.walk_run.is_none() {
        keep.walk_run = other.walk_run;
    }
    keep
}

/// `hour`:00 on `date`, in `off`.
fn local(date: NaiveDate, hour: u32, off: FixedOffset) -> DateTime<FixedOffset> {
    let naive = date.and_hms_opt(hour, 0, 0).unwrap_or_default();
    off.from_local_datetime(&naive)
        .single()
        .unwrap_or_else(|| off.from_utc_datetime(&naive))
}

fn floor_step(m: f64) -> f64 {
    (m / STEP_M + 1e-9).floor() * STEP_M
}

/// The state of the plan as it is built, day by day.
struct Planner<'a> {
    data: &'a Data,
    off: FixedOffset,
    today: NaiveDate,
    coach: Decision,
    runs_per_week: u32,
    long_day: Weekday,
    pattern: Vec<Weekday>,
    usual_m: Option<f64>,
    /// Seconds per metre.
    pace: f64,
    no_rest: u32,
    latest_pain: Option<&'a Pain>,
    /// Distance per day, logged and planned.
    cal: week::Days,
    runs: Vec<Run>,
    pain: Vec<Pain>,
    next_run: u64,
    next_pain: u64,
    days: Vec<Day>,
}

/// What a day's choice comes to before the routines.
struct Choice {
    kind: Kind,
    effort: Option<Effort>,
    distance_m: Option<f64>,
    counted_m: Option<f64>,
    bound: Option<Bound>,
    walk_run: Option<WalkRun>,
    why: Why,
    first_runs: bool,
}

impl Choice {
    fn off(kind: Kind, why: Why) -> Choice {
        Choice {
            kind,
            effort: None,
            distance_m: None,
            counted_m: None,
            bound: None,
            walk_run: None,
            why,
            first_runs: false,
        }
    }
}

impl Planner<'_> {
    /// An assumed entry at `level`, `at`, with the next pain id (where the latest one was felt).
    fn entry(&mut self, at: DateTime<FixedOffset>, level: u8) -> Pain {
        let mut e = Pain::new(at, crate::model::PainLevel(level));
        if let Some(last) = self.latest_pain {
            e.area = last.area;
            e.side = last.side;
        }
        e.id = self.next_pain;
        self.next_pain += 1;
        e
    }

    /// The level before a run starting at `start`: the latest entry, logged or assumed, of the
    /// 24 h before it; with none, the decision's default (2/10).
    fn pre_run_level(&self, start: DateTime<FixedOffset>) -> u8 {
        let from = start - Duration::hours(th::PRE_RUN_HOURS);
        self.data
            .pain
            .iter()
            .chain(&self.pain)
            .filter(|p| p.at < start && p.at >= from)
            .max_by_key(|p| p.at)
            .map_or(th::PRE_RUN_DEFAULT, |p| p.level.0)
    }

    /// The morning's assumed entry: after a planned walk-run, next-day pain back at the level
    /// before it (so the step moves up); after another planned run, next-day pain at the level
    /// that stays; otherwise that level; nothing when no recent pain is logged.
    fn morning_entry(&mut self, date: NaiveDate, at: DateTime<FixedOffset>) {
        let yesterday = self.days.last().filter(|d| d.date == date - Duration::days(1));
        let after = yesterday.filter(|d| d.kind.is_run()).and_then(|d| {
            let run = self.runs.last()?;
            let level = match d.kind {
                Kind::WalkRun => Some(d.pre_run_level),
                _ => self.latest_pain.map(|p| p.level.0),
            }?;
            Some((run.id, level))
        });
        let e = match after {
            Some((run_id, level)) => {
                let mut e = self.entry(at, level);
                e.run_id = Some(run_id);
                e.when = Some(Timing::NextDay);
                e
            }
            None => match self.latest_pain {
                Some(p) => self.entry(at, p.level.0),
                None => return,
            },
        };
        self.pain.push(e);
    }

    fn day(&mut self, k: u32, date: NaiveDate) {
        let is_today = date == self.today;
        let at = if is_today {
            self.coach.at
        } else {
            local(date, RUN_HOUR, self.off)
        };
        if !is_today {
            self.morning_entry(date, at - Duration::minutes(MORNING_ENTRY_MINUTES));
        }
        let decision = if is_today {
            self.coach.clone()
        } else {
            let t = Timeline::with(self.data, self.runs.clone(), self.pain.clone());
            let d = decide(&t, at);
            if k == 0 { more_careful(self.coach.clone(), d) } else { d }
        };
        // Today's run at the coach's own moment (still today, should a record be dated
        // tomorrow), so it is judged exactly as the coach judged it; later ones at `at`.
        let start = if is_today {
            self.coach.at.min(local(date, 23, self.off) + Duration::minutes(59))
        } else {
            at
        };
        let c = self.choose(k, date, start, &decision);
        let pre_run_level = self.pre_run_level(start);
        if let Some(m) = c.counted_m {
            let duration = match c.walk_run {
                Some(w) => w.session().total_s() as u64,
                None => (m * self.pace).round().max(60.0) as u64,
            };
            let mut r = Run::new(start, m, duration);
            r.id = self.next_run;
            self.next_run += 1;
            self.runs.push(r);
            self.cal.add(date, m);
        }
        self.days.push(Day {
            date,
            at,
            decision,
            kind: c.kind,
            effort: c.effort,
            distance_m: c.distance_m,
            counted_m: c.counted_m,
            bound: c.bound,
            walk_run: c.walk_run,
            why: c.why,
            routines: Vec::new(),
            check_on: (c.kind == Kind::WalkRun).then(|| date + Duration::days(1)),
            first_runs: c.first_runs,
            pre_run_level,
        });
    }

    /// A day off: cross-training at most twice in 7 days and never on all the days off, nor
    /// the day before a long run; otherwise rest.
    fn off_day(&self, date: NaiveDate, why: Why) -> Choice {
        let week_from = date - Duration::days(6);
        let cross = self
            .days
            .iter()
            .filter(|d| d.date >= week_from && d.kind == Kind::CrossTraining)
            .count();
        let quota = CROSS_TRAINING_PER_WEEK.min(6usize.saturating_sub(self.runs_per_week as usize));
        let before_long = (date + Duration::days(1)).weekday() == self.long_day;
        if cross < quota && !before_long {
            Choice::off(Kind::CrossTraining, why)
        } else {
            Choice::off(Kind::Rest, why)
        }
    }

    /// The next long-run day after `date`, within the 7 days that hold `date`.
    fn long_day_after(&self, date: NaiveDate) -> Option<NaiveDate> {
        (1..7)
            .map(|n| date + Duration::days(n))
            .find(|d| d.weekday() == self.long_day)
    }

    fn choose(&self, k: u32, date: NaiveDate, start: DateTime<FixedOffset>, d: &Decision) -> Choice {
        if d.light == Light::Rest {
            return Choice::off(Kind::Rest, Why::Decision);
        }
        if let Some(prev) = self.days.last()
            && prev.kind == Kind::WalkRun
            && prev.date == date - Duration::days(1)
        {
            return self.off_day(date, Why::CheckDay { walk_run_on: prev.date });
        }
        // Starting out or building back up (after a gap, or walk-run after pain): a day off
        // between runs, whatever the weekday (general practice, the more careful choice).
        let yesterday = date - Duration::days(1);
        let building = self.data.runs.is_empty() || d.walk_run.is_some() || !matches!(d.phase, Phase::Ordinary);
        if building && self.cal.ran(yesterday) {
            return self.off_day(date, Why::DayBetween { ran_on: yesterday });
        }
        let streak = self.cal.streak_before(date);
        if streak + 1 >= self.no_rest {
            return self.off_day(
                date,
                Why::Streak {
                    days: streak,
                    limit: self.no_rest,
                },
            );
        }
        let is_long_day = date.weekday() == self.long_day;
        // Day 1 is the coach's decision: a run whenever it allows one and the week has room,
        // whatever the weekday. The later days keep to the week's run days.
        if k > 0 && !self.pattern.contains(&date.weekday()) {
            return self.off_day(date, Why::OffDay);
        }
        let runs = self.cal.run_days(date - Duration::days(6), date - Duration::days(1));
        if runs >= self.runs_per_week as usize {
            return self.off_day(
                date,
                Why::WeekRuns {
                    runs,
                    per_week: self.runs_per_week,
                },
            );
        }
        if !is_long_day
            && let Some(long_on) = self.long_day_after(date)
            && self.cal.run_days(long_on - Duration::days(6), date - Duration::days(1)) + 1
                >= self.runs_per_week as usize
        {
            return self.off_day(date, Why::KeepForLong { long_on });
        }
        self.run_day(date, start, d, is_long_day)
    }

    /// A run day: what the day intends, within every limit; too little left and it is a day off.
    fn run_day(&self, date: NaiveDate, start: DateTime<FixedOffset>, d: &Decision, is_long_day: bool) -> Choice {
        let first_runs = self.data.runs.is_empty();
        let cap = d.max_distance_m;
        let (kind, effort, intent) = match d.walk_run {
            Some(w) => {
                let s = w.session();
                let estimate_m = s.repeats as f64 * (s.run_s as f64 / self.pace + s.walk_s as f64 * WALK_M_PER_S);
                (Kind::WalkRun, Effort::Easy, Some(Bound::Session { estimate_m }))
            }
            None if first_runs => (Kind::Run, Effort::Easy, Some(Bound::FirstRuns)),
            None => match (&d.phase, d.light) {
                (Phase::Ordinary, Light::Go) if is_long_day => (Kind::Run, Effort::Long, None),
                (Phase::Ordinary, _) => (
                    Kind::Run,
                    Effort::Easy,
                    self.usual_m.map(|median_m| Bound::Usual { median_m }),
                ),
                // Coming back: each run is the return's next step, at its cap.
                _ => (Kind::Run, Effort::Easy, None),
            },
        };
        let intent_m = |b: &Bound| match b {
            Bound::Usual { median_m } => *median_m,
            Bound::Session { estimate_m } => *estimate_m,
            Bound::FirstRuns => FIRST_RUN_M,
            _ => f64::INFINITY,
        };
        let mut bound = intent;
        let mut allowed = intent.as_ref().map_or(f64::INFINITY, intent_m);
        if let Some(c) = cap
            && c < allowed
        {
            allowed = c;
            bound = Some(Bound::Cap { limit_m: c });
        }
        // What the decision allows the day; the plan's own brakes come on top.
        let wanted = allowed;
        let mut all = merged(self.data.runs.as_slice(), &self.runs);
        let mut candidate = Run::new(start, 0.0, 0);
        candidate.id = self.next_run;
        let i = all.partition_point(|r| r.start <= start);
        all.insert(i, candidate);
        // The coach's spike rule (after a gap, the runs since the return; for the first run
        // back, the month before the gap) and, more careful still, every run of the 30 days
        // before: no run more than 10 % over the longer of the two.
        let month = start - Duration::days(th::LONG_RUN_BASE_DAYS);
        let literal = all[..i]
            .iter()
            .filter(|r| r.start >= month)
            .map(|r| r.distance_m)
            .reduce(f64::max);
        let longest = match (spike_base(&all, i), literal) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if let Some(longest_m) = longest {
            let limit = longest_m * (1.0 + th::LONG_RUN_JUMP);
            if limit < allowed {
                allowed = limit;
                bound = Some(Bound::Spike { longest_m });
            }
        }
        if let Some((room, limit)) = week::room(&self.cal, &week::returns(&all, self.off), date)
            && room < allowed
        {
            allowed = room;
            bound = Some(Bound::Week(limit));
        }
        let Some(bound) = bound.filter(|_| allowed.is_finite()) else {
            // No distance to plan at all (cannot happen: only a brand-new runner has no cap,
            // and their runs are time-based); careful: no run.
            return self.off_day(date, Why::Decision);
        };
        let planned = floor_step(allowed);
        if planned < MIN_RUN_M.max(MIN_RUN_SHARE * wanted) {
            return self.off_day(
                date,
                Why::TooLittle {
                    allowed_m: allowed.max(0.0),
                    bound,
                },
            );
        }
        Choice {
            kind,
            effort: Some(effort),
            distance_m: (!first_runs).then_some(planned),
            counted_m: Some(planned),
            bound: Some(bound),
            walk_run: d.walk_run,
            why: Why::Decision,
            first_runs,
        }
    }
}

/// Whether the day's decision holds back because of pain (not a red flag or the load).
fn painful(d: &Decision) -> bool {
    d.light != Light::Go && !d.red_flag_rest() && d.reasons.iter().any(|r| r.light() == d.light && r.is_pain())
}

/// The routines of each day: warm-up and stretch around every run, relief on painful days,
/// cross-training on its days, and strength and Pilates twice a week each (never at `rest`,
/// never on or the day before a long run, not on two days in a row), in 7-day blocks from day 1.
fn assign_routines(days: &mut [Day]) {
    for d in days.iter_mut() {
        let dec = &d.decision;
        let mut r: Vec<&'static str> = match d.kind {
            Kind::Run | Kind::WalkRun => dec.before.iter().chain(dec.after.iter()).copied().collect(),
            Kind::CrossTraining => vec!["cross-training"],
            Kind::Rest => dec.today.into_iter().collect(),
        };
        if painful(dec) && !r.contains(&"relief") {
            r.push("relief");
        }
        d.routines = r;
    }
    let long = |d: &Day| d.effort == Some(Effort::Long);
    let n = days.len();
    let near_long: Vec<bool> = (0..n)
        .map(|i| long(&days[i]) || (i + 1 < n && long(&days[i + 1])))
        .collect();
    let loading_ok: Vec<bool> = days.iter().map(|d| d.decision.light != Light::Rest).collect();
    let none = vec![false; n];
    let mut strength = vec![false; n];
    let mut pilates = vec![false; n];
    let mut block = 0;
    while block < n {
        let end = (block + 7).min(n);
        let pick = |taken: &mut Vec<bool>, other: &[bool], rank: &dyn Fn(&Day) -> u8, most: usize| {
            let mut order: Vec<usize> = (block..end)
                .filter(|&i| loading_ok[i] && !near_long[i] && !other[i] && rank(&days[i]) < u8::MAX)
                .collect();
            order.sort_by_key(|&i| (rank(&days[i]), i));
            let mut count = 0;
            for i in order {
                let next_to = (i > 0 && taken[i - 1]) || (i + 1 < n && taken[i + 1]);
                if count < most && !next_to {
                    taken[i] = true;
                    count += 1;
                }
            }
        };
        // Strength on cross-training days first, then easy runs, then days off; not after a
        // walk-run (a return's session is load enough).
        pick(
            &mut strength,
            &none,
            &|d: &Day| match d.kind {
                Kind::CrossTraining => 0,
                Kind::Run => 1,
                Kind::Rest => 2,
                Kind::WalkRun => u8::MAX,
            },
            STRENGTH_PER_WEEK,
        );
        let strength_days = strength.clone();
        // Pilates on rest days first, then cross-training, then easy runs.
        pick(
            &mut pilates,
            &strength_days,
            &|d: &Day| match d.kind {
                Kind::Rest => 0,
                Kind::CrossTraining => 1,
                Kind::Run | Kind::WalkRun => 2,
            },
            PILATES_PER_WEEK,
        );
        block = end;
    }
    for (i, d) in days.iter_mut().enumerate() {
        if strength[i] {
            d.routines.push("strength");
        }
        if pilates[i] {
            d.routines.push("pilates");
        }
    }
}

#[cfg(test)]
mod tests;
