//! The guided routine timer: step logic without a clock ([`session`]), what a screen of it shows
//! ([`render`]), and the terminal front end ([`terminal`]).
//!
//! [`Session`] is a pure state machine. Time comes in through [`Session::elapse`] and keys
//! through [`Session::press`], so tests drive it with made-up durations and never sleep. The
//! terminal part ([`run_on_terminal`]) only reads the clock and the keyboard, feeds them in, and
//! draws what [`Session::view`] describes.
//!
//! A step is split into segments: one per set, and for timed holds one per side too, because a
//! hold is timed on each side separately while reps on each side are counted as one set. Before
//! a timed segment comes a short lead-in (get ready, rest between sets, switch sides), so the
//! runner is in position before the count starts. Rep segments wait for Enter.

mod render;
mod session;
mod terminal;

pub use render::render;
pub use session::*;
pub use terminal::{key_for, run_on_terminal};

#[cfg(test)]
pub(crate) mod testkit {
    //! Small routines for the timer's tests.

    use std::time::Duration;

    use super::session::Phase;
    use crate::content::{GENERAL_PRACTICE, Routine, Step};

    pub fn step(name: &str, seconds: Option<u32>, reps: Option<u32>, sets: Option<u32>, each_side: bool) -> Step {
        Step {
            name: name.into(),
            how: format!("how to do {name}"),
            seconds,
            reps,
            sets,
            each_side,
            why: None,
            source: GENERAL_PRACTICE.into(),
            general_practice: None,
        }
    }

    pub fn routine(steps: Vec<Step>) -> Routine {
        Routine {
            id: "test".into(),
            title: "Test routine".into(),
            when: "now".into(),
            summary: "s".into(),
            steps,
            notes: vec![],
            sources: vec![GENERAL_PRACTICE.into()],
            advice: vec![],
        }
    }

    pub const S: Duration = Duration::from_secs(1);
    pub const MS: Duration = Duration::from_millis(1);

    pub fn count(left: u64) -> Phase {
        Phase::Count {
            left: Duration::from_secs(left),
        }
    }
}
