//! The walk-run ladder (general practice in return-to-run programmes, not a trial).
//!
//! A return starts as walk-run when the gap followed pain of 6/10 or more or an `emergency` or
//! `urgent` red flag (logged from a week before the last run before the gap up to the return),
//! and a `rest` for pain that is unstuck steps down to `hold` with walk-run. Each run done on the
//! ladder moves the runner:
//! - up one step when its next-day pain is back at the pre-run level (with no pre-run entry,
//!   2/10 or less);
//! - back one step when next-day pain rose 2 points or more over it (a meaningful change);
//! - nowhere otherwise: a smaller rise, or no next-day entry (which the coach asks for).
//!
//! Past the last step the runs are continuous again and the ordinary caps decide.

use chrono::{DateTime, Duration, FixedOffset};
use serde::Serialize;

use super::Moment;
use super::distance::Load;
use crate::redflags::{self, Level};
use crate::rules::thresholds as th;

/// One walk-run step: `repeats` × (`run_s` seconds running, `walk_s` walking).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct WalkRunStep {
    pub run_s: u32,
    pub walk_s: u32,
    pub repeats: u32,
}

impl WalkRunStep {
    const fn new(run_min: u32, walk_min: u32, repeats: u32) -> WalkRunStep {
        WalkRunStep {
            run_s: run_min * 60,
            walk_s: walk_min * 60,
            repeats,
        }
    }

    /// The whole session, in seconds.
    pub fn total_s(self) -> u32 {
        (self.run_s + self.walk_s) * self.repeats
    }
}

/// The ladder, first step first: about 20–30 minutes each, the running share growing.
pub const LADDER: [WalkRunStep; 6] = [
    WalkRunStep::new(1, 1, 10),
    WalkRunStep::new(2, 1, 8),
    WalkRunStep::new(3, 1, 6),
    WalkRunStep::new(5, 1, 5),
    WalkRunStep::new(8, 1, 3),
    WalkRunStep::new(12, 1, 2),
];

/// Why the run is walk-run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WalkRunWhy {
    /// Back from a gap that followed pain of 6/10 or more or a serious red flag.
    PainfulGap,
    /// A rest for pain, unstuck.
    Unstuck,
}

/// How the last run on the ladder moved the runner.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Move {
    Up,
    Stay,
    Back,
    /// No next-day entry for it (yet).
    NoNextDay,
}

/// The step to do next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct WalkRun {
    /// Index into [`LADDER`] (0 is the first step).
    pub step: usize,
    pub why: WalkRunWhy,
    /// Runs done on the ladder so far.
    pub runs_done: usize,
    /// How the last of them moved the runner.
    pub last_move: Option<Move>,
}

impl WalkRun {
    pub fn session(&self) -> WalkRunStep {
        LADDER[self.step]
    }

    pub fn steps(&self) -> usize {
        LADDER.len()
    }
}

/// The step reached after the runs `m.runs[from..]`, each done on the ladder. `None` once past
/// the last step (continuous running).
fn climb(m: &Moment, from: usize, why: WalkRunWhy) -> Option<WalkRun> {
    let mut step = 0usize;
    let mut last_move = None;
    for i in from..m.runs.len() {
        let pre = m.pre_run(i).map_or(th::PRE_RUN_DEFAULT, |p| p.level.0);
        let mv = match m.next_day(i).map(|p| p.level.0) {
            None => Move::NoNextDay,
            Some(nd) if nd <= pre => Move::Up,
            Some(nd) if nd >= pre + th::WALK_RUN_BACK_RISE => Move::Back,
            Some(_) => Move::Stay,
        };
        step = match mv {
            Move::Up => step + 1,
            Move::Back => step.saturating_sub(1),
            Move::Stay | Move::NoNextDay => step,
        };
        last_move = Some(mv);
        if step >= LADDER.len() {
            return None;
        }
    }
    Some(WalkRun {
        step,
        why,
        runs_done: m.runs.len() - from,
        last_move,
    })
}

/// Whether pain of 6/10 or more, or an `emergency`/`urgent` red flag, was logged in `[from, to]`.
fn painful(m: &Moment, from: DateTime<FixedOffset>, to: DateTime<FixedOffset>) -> bool {
    let entries = m.pain_between(from, to);
    if entries.iter().any(|p| p.level.0 >= th::REST_LEVEL) {
        return true;
    }
    let symptoms: Vec<String> = entries.iter().flat_map(|p| p.symptoms.iter().cloned()).collect();
    symptoms.iter().any(|s| redflags::is_red_flag(s)) && redflags::triage(&symptoms, m.t.age()).level >= Level::Urgent
}

/// The walk-run step to do now, if the run is walk-run: the lower step of the two triggers.
pub(crate) fn current(m: &Moment, load: &Load, unstuck_from: Option<DateTime<FixedOffset>>) -> Option<WalkRun> {
    let after_gap = load.gap.and_then(|(g, ret)| {
        let from = m.runs[g].start - Duration::days(7);
        let to = ret.map_or(m.at, |e| m.runs[e].start);
        painful(m, from, to).then(|| climb(m, ret.unwrap_or(m.runs.len()), WalkRunWhy::PainfulGap))?
    });
    let unstuck = unstuck_from.and_then(|t| climb(m, m.runs.partition_point(|r| r.start <= t), WalkRunWhy::Unstuck));
    [after_gap, unstuck].into_iter().flatten().min_by_key(|w| w.step)
}
