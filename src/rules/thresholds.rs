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

/// red-flag: a red-flag symptom logged in the last this many days (urgent).
pub const RED_FLAG_DAYS: i64 = 30;

/// One-sided pain in the last this many days adds the form and muscle-imbalance advice.
pub const ONE_SIDED_DAYS: i64 = 28;

/// Insights compare two groups of runs only when each has at least this many.
pub const INSIGHT_MIN_RUNS: usize = 3;

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
    pub red_flag_days: i64,
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
            red_flag_days: RED_FLAG_DAYS,
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
