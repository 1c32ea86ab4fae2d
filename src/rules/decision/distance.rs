//! The longest run allowed (EVIDENCE.md section 6): spikes, L30, L30-7, gaps and the caps.
//!
//! - *Spike*: a run more than 10 % longer than the longest of all runs (spikes included) in the
//!   30 days before it. A spike is a spike whether or not `long-run-jump` fired, and no cap is
//!   ever taken from one.
//! - *Gap*: 14 days or more between the end of one run and the start of the next (or now).
//!   After a gap only runs since the return count, for spikes as for L30 and L30-7. The first
//!   run back has no run since the return to compare with; it is compared with the 30 days
//!   before the gap instead (lumbar's careful reading: a first run back far longer than before
//!   the gap is a spike, so it cannot raise the cap).
//! - *L30*: the longest non-spike run of the last 30 days; *L30-7*: of the 30 days that end 7
//!   days ago.
//! - *Caps*: 1.1 × L30, never more than 1.2 × L30-7; at `hold` the longest non-spike run of the
//!   last 14 days; after a gap, half the longest non-spike run of the 30 days before it for the
//!   first run back, then 10 % over the longest since the return and never over the pre-gap cap,
//!   until 4 runs over 14 days or more have rebuilt the baseline.
//!
//! Frandsen 2025 associates single runs more than 10 % over the 30-day longest with injury; the
//! spike exclusion, the weekly limit and the return steps are general practice.

use chrono::{DateTime, Duration, FixedOffset};
use serde::Serialize;

use super::{Light, Moment, Reason};
use crate::model::Run;
use crate::rules::thresholds::{self as th, above};

/// Which rule a cap comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CapKind {
    /// 1.1 × L30.
    L30,
    /// 1.2 × L30-7.
    L30Minus7,
    /// At `hold`: the longest non-spike run of the last 14 days (of the last 30 with none).
    HoldLimit,
    /// The first run after a gap: half the longest non-spike run of the 30 days before it.
    FirstRunBack,
    /// Coming back: 10 % over the longest non-spike run since the return.
    ComingBack,
    /// Coming back: never over the cap from before the gap (1.1 × the same longest).
    PreGap,
}

/// One cap that applies: `limit_m = factor × base_m`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Cap {
    #[serde(rename = "id")]
    pub kind: CapKind,
    pub limit_m: f64,
    pub base_m: f64,
    pub factor: f64,
}

impl Cap {
    fn new(kind: CapKind, base_m: f64, factor: f64) -> Cap {
        Cap {
            kind,
            limit_m: base_m * factor,
            base_m,
            factor,
        }
    }
}

/// Where the runner is in the gap rules.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "id", rename_all = "kebab-case")]
pub enum Phase {
    /// No gap rule in force: the ordinary cap.
    Ordinary,
    /// 14 days or more since the last run ended: the next run is the first one back.
    Away { gap_days: i64, last_run_id: u64 },
    /// Back from a gap; the baseline is not rebuilt yet (4 runs over 14 days or more).
    ComingBack {
        gap_days: i64,
        return_run_id: u64,
        runs_since: usize,
    },
}

/// How far back the latest gap is looked for: a return longer ago than this has rebuilt its
/// baseline (4 runs over 14 days take at most 8 weeks without a new gap).
const ERA_LOOKBACK_DAYS: i64 = 120;

fn days(n: i64) -> Duration {
    Duration::days(n)
}

/// A gap between run `i - 1` and run `i`.
pub fn gap_before(runs: &[Run], i: usize) -> bool {
    i > 0 && runs[i].start - runs[i - 1].end() >= days(th::GAP_DAYS)
}

/// The first run that counts with run `i` in a window starting at `from`: the earliest run at
/// or after `from` with no gap between it and run `i`.
fn era_from(runs: &[Run], i: usize, from: DateTime<FixedOffset>) -> usize {
    let mut j = i;
    while j > 0 && runs[j - 1].start >= from && !gap_before(runs, j) {
        j -= 1;
    }
    j
}

/// What run `i` is compared with: the longest run (spikes included) of the 30 days before it
/// since the latest gap; for the first run after a gap, the longest of the 30 days before the
/// gap. `None` for the first run ever.
pub fn spike_base(runs: &[Run], i: usize) -> Option<f64> {
    let r = &runs[i];
    let j = era_from(runs, i, r.start - days(th::LONG_RUN_BASE_DAYS));
    let window = if j < i {
        &runs[j..i]
    } else if gap_before(runs, i) {
        let g = i - 1;
        &runs[era_from(runs, g, runs[g].end() - days(th::LONG_RUN_BASE_DAYS))..=g]
    } else {
        return None;
    };
    window.iter().map(|r| r.distance_m).reduce(f64::max)
}

/// Whether run `i` is a spike.
pub fn is_spike(runs: &[Run], i: usize) -> bool {
    spike_base(runs, i).is_some_and(|b| above(runs[i].distance_m, b * (1.0 + th::LONG_RUN_JUMP)))
}

/// The longest non-spike run among `runs[range]` (indices into `runs`).
fn longest_non_spike(runs: &[Run], range: std::ops::Range<usize>) -> Option<f64> {
    range
        .filter(|&i| !is_spike(runs, i))
        .map(|i| runs[i].distance_m)
        .reduce(f64::max)
}

/// The indices of the runs of `runs[era..]` that started in `[from, to]`.
fn window(runs: &[Run], era: usize, from: DateTime<FixedOffset>, to: DateTime<FixedOffset>) -> std::ops::Range<usize> {
    let a = runs.partition_point(|r| r.start < from).max(era);
    let b = runs.partition_point(|r| r.start <= to);
    a..b.max(a)
}

/// The base of the first-run-back cap and the pre-gap cap: the longest non-spike run of the 30
/// days before the gap that followed run `g`. With every such run a spike (a rare history), the
/// shortest of them: never a spike's length.
fn before_gap(runs: &[Run], g: usize) -> f64 {
    let j = era_from(runs, g, runs[g].end() - days(th::LONG_RUN_BASE_DAYS));
    longest_non_spike(runs, j..g + 1)
        .unwrap_or_else(|| runs[j..=g].iter().map(|r| r.distance_m).fold(f64::INFINITY, f64::min))
}

/// The load facts of one moment.
#[derive(Clone, Debug)]
pub(crate) struct Load {
    pub phase: Phase,
    /// L30 (since the return, when back from a gap).
    pub l30_m: Option<f64>,
    /// The first run that counts now (since the latest return).
    era: usize,
    /// The latest return after a gap within reach: (the run before the gap, the return), or,
    /// away, (the last run, none).
    pub gap: Option<(usize, Option<usize>)>,
    /// The longest non-spike run before the latest gap.
    pre_gap_m: Option<f64>,
}

impl Load {
    pub fn at(m: &Moment) -> Load {
        let runs = m.runs;
        let Some(last) = runs.len().checked_sub(1) else {
            return Load {
                phase: Phase::Ordinary,
                l30_m: None,
                era: 0,
                gap: None,
                pre_gap_m: None,
            };
        };
        let since_last = m.at - runs[last].end();
        if since_last >= days(th::GAP_DAYS) {
            return Load {
                phase: Phase::Away {
                    gap_days: since_last.num_days(),
                    last_run_id: runs[last].id,
                },
                l30_m: None,
                era: runs.len(),
                gap: Some((last, None)),
                pre_gap_m: Some(before_gap(runs, last)),
            };
        }
        let era = era_from(runs, last, m.at - days(ERA_LOOKBACK_DAYS));
        let returned = gap_before(runs, era).then_some(era);
        let gap = returned.map(|e| (e - 1, Some(e)));
        let pre_gap_m = returned.map(|e| before_gap(runs, e - 1));
        let phase = match returned {
            Some(e) => {
                let runs_since = last - e + 1;
                let span = runs[last].start - runs[e].start;
                let rebuilt = runs_since >= th::REBUILT_RUNS && span >= days(th::REBUILT_DAYS);
                if rebuilt {
                    Phase::Ordinary
                } else {
                    Phase::ComingBack {
                        gap_days: (runs[e].start - runs[e - 1].end()).num_days(),
                        return_run_id: runs[e].id,
                        runs_since,
                    }
                }
            }
            None => Phase::Ordinary,
        };
        let l30_m = longest_non_spike(runs, window(runs, era, m.at - days(th::LONG_RUN_BASE_DAYS), m.at));
        Load {
            phase,
            l30_m,
            era,
            gap,
            pre_gap_m,
        }
    }

    /// Every cap that applies at this light, the binding (smallest) first. Empty only with no
    /// run at all (and at `rest`, where the caller asks for none).
    pub fn caps(&self, m: &Moment, light: Light) -> Vec<Cap> {
        let runs = m.runs;
        let mut caps = Vec::new();
        let pre_gap = || self.pre_gap_m.unwrap_or(0.0);
        let l30_7 = || {
            let to = m.at - days(th::L30_7_OFFSET_DAYS);
            longest_non_spike(runs, window(runs, self.era, to - days(th::LONG_RUN_BASE_DAYS), to))
        };
        match &self.phase {
            Phase::Away { .. } => caps.push(Cap::new(CapKind::FirstRunBack, pre_gap(), th::FIRST_RUN_BACK_SHARE)),
            Phase::ComingBack { .. } => {
                match longest_non_spike(runs, self.era..runs.len()) {
                    Some(s) => caps.push(Cap::new(CapKind::ComingBack, s, 1.0 + th::COMING_BACK_STEP)),
                    // Every run since the return was a spike: the first-run-back cap still holds.
                    None => caps.push(Cap::new(CapKind::FirstRunBack, pre_gap(), th::FIRST_RUN_BACK_SHARE)),
                }
                caps.push(Cap::new(CapKind::PreGap, pre_gap(), th::CAP_L30));
                caps.extend(l30_7().map(|b| Cap::new(CapKind::L30Minus7, b, th::CAP_L30_7)));
            }
            Phase::Ordinary if !runs.is_empty() => {
                // With every run of the last 30 days a spike (a steady ramp), the longest
                // non-spike run of the lookback stands in: never a spike's length.
                let base = self
                    .l30_m
                    .or_else(|| longest_non_spike(runs, window(runs, self.era, m.at - days(ERA_LOOKBACK_DAYS), m.at)));
                caps.extend(base.map(|b| Cap::new(CapKind::L30, b, th::CAP_L30)));
                caps.extend(l30_7().map(|b| Cap::new(CapKind::L30Minus7, b, th::CAP_L30_7)));
            }
            Phase::Ordinary => {}
        }
        if light == Light::Hold && !matches!(self.phase, Phase::Away { .. }) {
            let recent = longest_non_spike(runs, window(runs, self.era, m.at - days(th::HOLD_LIMIT_DAYS), m.at));
            if let Some(b) = recent.or(self.l30_m) {
                caps.push(Cap::new(CapKind::HoldLimit, b, 1.0));
            }
        }
        caps.sort_by(|a, b| a.limit_m.total_cmp(&b.limit_m));
        caps
    }
}

/// `hold`: the last run was a spike.
pub(crate) fn last_run_spike(m: &Moment) -> Option<Reason> {
    let (i, r) = m.last_run()?;
    let base = spike_base(m.runs, i)?;
    is_spike(m.runs, i).then_some(Reason::LastRunSpike {
        run_id: r.id,
        distance_m: r.distance_m,
        longest_before_m: base,
    })
}
