//! Every number the coach's rules use, in one place, with where it comes from.
//!
//! The defaults are EVIDENCE.md section 4. [`Thresholds`] carries them into the rules so tests
//! can move one at a time; `config no-rest-days` is the one a runner can change.

use crate::model::Config;

/// Flags about single runs (a long-run jump) look at the runs of the last this many days.
pub const REVIEW_DAYS: i64 = 7;
/// How far back the flags printed after `run add` and `pain add` look: beyond every window
/// above (the longest is 8 weeks of load), so they match what `coach` would newly say.
pub const NEW_ENTRY_DAYS: i64 = 120;
/// ... and at least this many runs, for the rules that count recent runs.
pub const NEW_ENTRY_RUNS: usize = 20;
/// A flag printed after an entry is not printed again after another entry for this many
/// days (it stays in `coach`); urgent flags are printed every time.
pub const SHOWN_FOR_DAYS: i64 = 7;

/// warmup-skipped: the last this many runs with a known answer…
pub const WARMUP_WINDOW_RUNS: usize = 10;
/// …of which at least this share skipped the warm-up (warn). Wu et al. 2021.
pub const WARMUP_SKIP_SHARE: f64 = 0.30;

/// stretch-skipped: the last this many runs with a known answer…
pub const STRETCH_WINDOW_RUNS: usize = 10;
/// …of which at least this share had no stretch afterwards (info). The article.
pub const STRETCH_SKIP_SHARE: f64 = 0.50;

/// shoe-rotation: this many weeks…
pub const ROTATION_WEEKS: i64 = 4;
/// …with at least this many runs a week, all on one pair (info). Malisoux 2015.
pub const ROTATION_RUNS_PER_WEEK: usize = 3;

/// hard-surface: the distance of the last this many days…
pub const HARD_SURFACE_DAYS: i64 = 28;
/// …at least this share of it on concrete or asphalt (info only; van der Worp 2015).
pub const HARD_SURFACE_SHARE: f64 = 0.50;

/// long-run-jump: the longest run of this many days before a run is its yardstick…
pub const LONG_RUN_BASE_DAYS: i64 = 30;
/// …and a run more than this much longer is flagged (warn). Frandsen 2025.
pub const LONG_RUN_JUMP: f64 = 0.10;
/// Above this increase (more than double) the wording is stronger.
pub const LONG_RUN_STRONG: f64 = 1.00;

/// load-spike: the acute window…
pub const ACUTE_DAYS: i64 = 7;
/// …against the chronic window, which must be covered by history (Gabbett 2016).
pub const CHRONIC_DAYS: i64 = 28;
/// Acute:chronic ratio of distance at or above this (info).
pub const ACWR_LIMIT: f64 = 1.5;
/// A week more than this much above the mean of the weeks before it (info)…
pub const WEEK_JUMP: f64 = 0.30;
/// …where "before" is this many weeks.
pub const WEEK_JUMP_BASE_WEEKS: i64 = 4;

/// monotony: mean daily load ÷ its standard deviation over this many days…
pub const MONOTONY_DAYS: i64 = 7;
/// …above this (info). Foster 1998; the cut-off is a heuristic.
pub const MONOTONY_LIMIT: f64 = 2.0;

/// no-rest: this many consecutive days with runs (warn). The article. The runner's config
/// holds the value in use, so the default lives with the config.
pub const NO_REST_DAYS: u32 = crate::model::DEFAULT_NO_REST_DAYS;

/// pain-after-runs: pain at or above this level…
pub const PAIN_AFTER_LEVEL: u8 = 4;
/// …during or within this many hours after a run…
pub const PAIN_AFTER_HOURS: i64 = 24;
/// …after at least this many…
pub const PAIN_AFTER_MIN_RUNS: usize = 2;
/// …of the last this many runs (warn).
pub const PAIN_AFTER_WINDOW_RUNS: usize = 5;

/// pain-rising: the mean of the last this many days against the same span before it…
pub const PAIN_RISING_DAYS: i64 = 14;
/// …at least this many points higher (warn). Farrar 2001.
pub const PAIN_RISING_POINTS: f64 = 2.0;

/// pain-severe: a level at or above this (the NRS "severe" band)…
pub const PAIN_SEVERE_LEVEL: u8 = 7;
/// …in the last this many days (warn).
pub const PAIN_SEVERE_DAYS: i64 = 7;

/// red-flag: a `soon` red flag stays open this many days unless a clinician has seen it;
/// `emergency` and `urgent` ones until seen (EVIDENCE.md section 4, v2).
pub const RED_FLAG_SOON_DAYS: i64 = crate::redflags::SOON_OPEN_DAYS;

/// One-sided pain in the last this many days adds the form and muscle-imbalance advice.
pub const ONE_SIDED_DAYS: i64 = 28;

/// Insights compare two groups of runs only when each has at least this many.
pub const INSIGHT_MIN_RUNS: usize = 3;

// The next-run decision (EVIDENCE.md section 6, v2). The lights borrow the pain-monitoring
// model of tendon rehabilitation (Thomeé 1997; Silbernagel 2007), stricter and untested for
// back pain; the caps and the return steps are general practice (Frandsen 2025 for the 10 %).

/// A run's entries: an unlinked entry belongs to the latest run that started before it and
/// ended at most this many hours before it…
pub const BELONGS_HOURS: i64 = 24;
/// …or this many for an entry logged `--when next-day`.
pub const BELONGS_NEXT_DAY_HOURS: i64 = 36;
/// An entry of a run, not timed, logged this long after the run ended counts as next-day pain.
pub const NEXT_DAY_AFTER_HOURS: i64 = 12;
/// The pre-run level is the latest entry of this many hours before the run started.
pub const PRE_RUN_HOURS: i64 = 24;
/// With no pre-run entry, next-day pain above this counts as above the pre-run level (so ≥ 3).
pub const PRE_RUN_DEFAULT: u8 = 2;

/// Pain at or above this is a `rest` condition until settled.
pub const REST_LEVEL: u8 = 6;
/// Pain at or above this (and below [`REST_LEVEL`]) is a `hold` condition.
pub const HOLD_LEVEL: u8 = 3;
/// Any entry of the last this many hours counts (≥ 6 rests, 3–5 holds), settled or not.
pub const RECENT_HOURS: i64 = 48;
/// A condition is settled by a later entry at most this level…
pub const SETTLED_LEVEL: u8 = 2;
/// …logged at least this many hours after the painful one (and not `--when during`).
pub const SETTLE_AFTER_HOURS: i64 = 12;
/// The last run has no entry and pain of [`HOLD_LEVEL`] or more was logged in this many days.
pub const NO_ENTRY_PAIN_DAYS: i64 = 14;
/// The coach asks for the entry of a run that started in the last this many days.
pub const ASK_AFTER_RUN_DAYS: i64 = 14;

/// Unsticking: a `rest` for pain steps down to `hold` with walk-run after this many hours…
pub const UNSTICK_HOURS: i64 = 72;
/// …that hold at least one entry, every one at most this level.
pub const UNSTICK_MAX_LEVEL: u8 = 5;

/// The long-run cap: this times L30…
pub const CAP_L30: f64 = 1.1;
/// …and never more than this times L30-7 (the 30 days that end this many days ago).
pub const CAP_L30_7: f64 = 1.2;
pub const L30_7_OFFSET_DAYS: i64 = 7;
/// The hold limit: the longest non-spike run of this many days.
pub const HOLD_LIMIT_DAYS: i64 = 14;
/// A gap: this many days or more with no run.
pub const GAP_DAYS: i64 = 14;
/// The first run back after a gap: this share of the longest non-spike run before the gap.
pub const FIRST_RUN_BACK_SHARE: f64 = 0.5;
/// Each later run back: at most this much longer than the longest since the return.
pub const COMING_BACK_STEP: f64 = 0.10;
/// The baseline is rebuilt after this many runs since the return…
pub const REBUILT_RUNS: usize = 4;
/// …spread over at least this many days.
pub const REBUILT_DAYS: i64 = 14;
/// `long-run-jump` needs this many runs in the 30 days before a run (a baseline).
pub const JUMP_BASELINE_RUNS: usize = 3;

/// A walk-run step moves back one after next-day pain this many points above the pre-run
/// level (a meaningful change, Farrar 2001); a smaller rise stays on the step.
pub const WALK_RUN_BACK_RISE: u8 = 2;

/// Soon review: pain not at [`SETTLED_LEVEL`] or below within this many days of the first
/// `rest`…
pub const REVIEW_NOT_SETTLED_DAYS: i64 = 14;
/// …or no `go` for this many days in a row.
pub const REVIEW_HELD_DAYS: i64 = 28;
/// Past lights are read once a day, this far back at most.
pub const REVIEW_LOOKBACK_DAYS: i64 = 90;

/// An entry logged `--when during` in this many days brings the when-to-stop list.
pub const STOP_DURING_DAYS: i64 = 30;

/// The thresholds one review uses.
#[derive(Clone, Debug, PartialEq)]
pub struct Thresholds {
    pub warmup_window_runs: usize,
    pub warmup_skip_share: f64,
    pub stretch_window_runs: usize,
    pub stretch_skip_share: f64,
    pub rotation_weeks: i64,
    pub rotation_runs_per_week: usize,
    pub hard_surface_days: i64,
    pub hard_surface_share: f64,
    pub long_run_base_days: i64,
    pub long_run_jump: f64,
    pub acwr_limit: f64,
    pub week_jump: f64,
    pub monotony_limit: f64,
    pub no_rest_days: u32,
    pub pain_after_level: u8,
    pub pain_after_min_runs: usize,
    pub pain_after_window_runs: usize,
    pub pain_rising_points: f64,
    pub pain_severe_level: u8,
    pub insight_min_runs: usize,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            warmup_window_runs: WARMUP_WINDOW_RUNS,
            warmup_skip_share: WARMUP_SKIP_SHARE,
            stretch_window_runs: STRETCH_WINDOW_RUNS,
            stretch_skip_share: STRETCH_SKIP_SHARE,
            rotation_weeks: ROTATION_WEEKS,
            rotation_runs_per_week: ROTATION_RUNS_PER_WEEK,
            hard_surface_days: HARD_SURFACE_DAYS,
            hard_surface_share: HARD_SURFACE_SHARE,
            long_run_base_days: LONG_RUN_BASE_DAYS,
            long_run_jump: LONG_RUN_JUMP,
            acwr_limit: ACWR_LIMIT,
            week_jump: WEEK_JUMP,
            monotony_limit: MONOTONY_LIMIT,
            no_rest_days: NO_REST_DAYS,
            pain_after_level: PAIN_AFTER_LEVEL,
            pain_after_min_runs: PAIN_AFTER_MIN_RUNS,
            pain_after_window_runs: PAIN_AFTER_WINDOW_RUNS,
            pain_rising_points: PAIN_RISING_POINTS,
            pain_severe_level: PAIN_SEVERE_LEVEL,
            insight_min_runs: INSIGHT_MIN_RUNS,
        }
    }
}

impl Thresholds {
    /// The defaults with the runner's own settings applied.
    pub fn from_config(c: &Config) -> Thresholds {
        Thresholds {
            no_rest_days: c.no_rest_days,
            ..Thresholds::default()
        }
    }
}

/// Shares and ratios are compared with this much slack, so that 3 of 10 is 30 % however the
/// division rounds.
pub const EPSILON: f64 = 1e-9;

/// `value ≥ limit`, forgiving rounding.
pub fn at_least(value: f64, limit: f64) -> bool {
    value >= limit - EPSILON
}

/// `value > limit`, forgiving rounding (a value equal to the limit does not exceed it).
pub fn above(value: f64, limit: f64) -> bool {
    value > limit + EPSILON
}
