//! The session: a pure state machine over a routine's steps. Time comes in through
//! [`Session::elapse`] and keys through [`Session::press`]; nothing here reads a clock.

use std::time::Duration;

use crate::content::{Dose, Routine, Step};

/// Time to get into position before a timed step.
pub const GET_READY: Duration = Duration::from_secs(5);
/// Rest between two timed sets of the same step.
pub const REST_BETWEEN_SETS: Duration = Duration::from_secs(15);
/// Time to change sides in a hold done on each side.
pub const SWITCH_SIDES: Duration = Duration::from_secs(5);

/// What a key press means to the session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    /// Enter: move on (finish the count early, or confirm a set of reps is done).
    Next,
    /// s: skip the rest of this step.
    Skip,
    /// q, Esc or Ctrl-C: stop the session.
    Quit,
}

/// How one step ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Done,
    /// A count was cut short with Enter.
    Shortened,
    Skipped,
    NotReached,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Done => "done",
            Outcome::Shortened => "cut short",
            Outcome::Skipped => "skipped",
            Outcome::NotReached => "not reached",
        }
    }
}

/// Why the session is waiting before a timed segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LeadIn {
    GetReady,
    Rest,
    SwitchSides,
}

impl LeadIn {
    fn length(self) -> Duration {
        match self {
            LeadIn::GetReady => GET_READY,
            LeadIn::Rest => REST_BETWEEN_SETS,
            LeadIn::SwitchSides => SWITCH_SIDES,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            LeadIn::GetReady => "Get ready",
            LeadIn::Rest => "Rest",
            LeadIn::SwitchSides => "Switch sides",
        }
    }
}

/// Where the session is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Counting down to the start of a timed segment.
    Lead {
        kind: LeadIn,
        left: Duration,
    },
    /// A timed segment is running.
    Count {
        left: Duration,
    },
    /// Waiting for Enter after a set of reps.
    Reps,
    Finished,
}

/// One timed hold or one set of reps.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Segment {
    step: usize,
    dose: Dose,
    set: u32,
    sets: u32,
    /// 0 or 1 for a timed hold on each side; `None` otherwise.
    side: Option<u8>,
}

impl Segment {
    /// "set 2 of 3, first side"; reps on each side say so in their prompt instead.
    fn label(&self) -> String {
        let mut parts = Vec::new();
        if self.sets > 1 {
            parts.push(format!("set {} of {}", self.set, self.sets));
        }
        match self.side {
            Some(0) => parts.push("first side".to_string()),
            Some(_) => parts.push("second side".to_string()),
            None => {}
        }
        parts.join(", ")
    }
}

/// Splits a step into what the timer runs one after another.
fn segments_of(index: usize, step: &Step) -> Vec<Segment> {
    let dose = step.dose();
    let sets = step.sets();
    let sides: &[Option<u8>] = match dose {
        Dose::Seconds(_) if step.each_side => &[Some(0), Some(1)],
        _ => &[None],
    };
    let mut out = Vec::new();
    for set in 1..=sets {
        for &side in sides {
            out.push(Segment {
                step: index,
                dose,
                set,
                sets,
                side,
            });
        }
    }
    out
}

/// A guided run through one routine.
#[derive(Clone, Debug)]
pub struct Session<'a> {
    routine: &'a Routine,
    segments: Vec<Segment>,
    current: usize,
    phase: Phase,
    outcomes: Vec<Outcome>,
    elapsed: Duration,
    quit: bool,
}

/// Everything the screen shows at one moment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct View {
    pub routine: String,
    /// 1-based step number and the number of steps.
    pub step: usize,
    pub steps: usize,
    pub name: String,
    pub how: String,
    pub dose: String,
    pub general_practice: bool,
    /// "set 2 of 3, first side", or empty.
    pub segment: String,
    pub phase: Phase,
    /// Segments finished so far, and in all.
    pub done: usize,
    pub total: usize,
    /// The name of the step after this one, to get ready for.
    pub next: Option<String>,
}

/// How the session went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    pub routine: String,
    pub steps: Vec<(String, Outcome)>,
    pub elapsed: Duration,
    pub quit: bool,
}

impl Summary {
    pub fn count(&self, outcome: Outcome) -> usize {
        self.steps.iter().filter(|(_, o)| *o == outcome).count()
    }

    /// A few lines for the end of the session.
    pub fn lines(&self) -> Vec<String> {
        let total = self.steps.len();
        let mut head = format!(
            "{}: {} of {} steps done in {}",
            self.routine,
            self.count(Outcome::Done),
            total,
            clock(self.elapsed)
        );
        for outcome in [Outcome::Shortened, Outcome::Skipped, Outcome::NotReached] {
            let n = self.count(outcome);
            if n > 0 {
                head.push_str(&format!(", {n} {}", outcome.as_str()));
            }
        }
        head.push_str(if self.quit { " (stopped early)." } else { "." });
        let mut lines = crate::output::text::wrap_lines(&head, 80, "", "");
        for (name, outcome) in &self.steps {
            let mark = match outcome {
                Outcome::Done => "✓",
                Outcome::Shortened => "~",
                Outcome::Skipped => "–",
                Outcome::NotReached => " ",
            };
            lines.push(format!("  {mark} {name} ({})", outcome.as_str()));
        }
        lines
    }
}

impl<'a> Session<'a> {
    pub fn new(routine: &'a Routine) -> Session<'a> {
        let segments: Vec<Segment> = routine
            .steps
            .iter()
            .enumerate()
            .flat_map(|(i, s)| segments_of(i, s))
            .collect();
        let mut session = Session {
            routine,
            segments,
            current: 0,
            phase: Phase::Finished,
            outcomes: vec![Outcome::NotReached; routine.steps.len()],
            elapsed: Duration::ZERO,
            quit: false,
        };
        session.enter(0, None);
        session
    }

    pub fn phase(&self) -> Phase {
        self.phase
    }

    pub fn is_finished(&self) -> bool {
        self.phase == Phase::Finished
    }

    /// Index of the current step (the last one once finished).
    pub fn step_index(&self) -> usize {
        self.segments
            .get(self.current)
            .map(|s| s.step)
            .unwrap_or_else(|| self.routine.steps.len().saturating_sub(1))
    }

    /// Starts segment `index`; `previous` is the segment just left, which decides the lead-in.
    fn enter(&mut self, index: usize, previous: Option<usize>) {
        self.current = index;
        let Some(seg) = self.segments.get(index) else {
            self.phase = Phase::Finished;
            return;
        };
        if self.outcomes[seg.step] == Outcome::NotReached {
            self.outcomes[seg.step] = Outcome::Done;
        }
        self.phase = match seg.dose {
            Dose::Reps(_) => Phase::Reps,
            Dose::Seconds(_) => {
                let prev = previous.and_then(|p| self.segments.get(p));
                let kind = match prev {
                    Some(p) if p.step == seg.step && p.set == seg.set => LeadIn::SwitchSides,
                    Some(p) if p.step == seg.step => LeadIn::Rest,
                    _ => LeadIn::GetReady,
                };
                Phase::Lead {
                    kind,
                    left: kind.length(),
                }
            }
        };
    }

    fn seconds_of(&self, index: usize) -> Duration {
        match self.segments.get(index).map(|s| s.dose) {
            Some(Dose::Seconds(s)) => Duration::from_secs(u64::from(s)),
            _ => Duration::ZERO,
        }
    }

    /// Lets `dt` of time pass. Returns true when a timed segment ran to its end (a cue to beep).
    pub fn elapse(&mut self, dt: Duration) -> bool {
        if self.is_finished() {
            return false;
        }
        self.elapsed += dt;
        let mut left_over = dt;
        let mut count_ended = false;
        // A long gap (a suspended laptop, a test) may cross several phases: spend it phase by phase.
        while !left_over.is_zero() {
            match self.phase {
                Phase::Lead { kind, left } => {
                    if left_over < left {
                        self.phase = Phase::Lead {
                            kind,
                            left: left - left_over,
                        };
                        return count_ended;
                    }
                    left_over -= left;
                    self.phase = Phase::Count {
                        left: self.seconds_of(self.current),
                    };
                }
                Phase::Count { left } => {
                    if left_over < left {
                        self.phase = Phase::Count { left: left - left_over };
                        return count_ended;
                    }
                    left_over -= left;
                    count_ended = true;
                    self.enter(self.current + 1, Some(self.current));
                }
                Phase::Reps | Phase::Finished => return count_ended,
            }
        }
        count_ended
    }

    /// Handles one key press.
    pub fn press(&mut self, key: Key) {
        if self.is_finished() {
            return;
        }
        let step = self.step_index();
        match key {
            Key::Quit => {
                self.quit = true;
                self.outcomes[step] = match (self.outcomes[step], self.phase) {
                    (Outcome::Done, Phase::Reps | Phase::Lead { .. }) if self.starts_step() => Outcome::NotReached,
                    (Outcome::Done, _) => Outcome::Shortened,
                    (other, _) => other,
                };
                self.phase = Phase::Finished;
            }
            Key::Skip => {
                self.outcomes[step] = Outcome::Skipped;
                let next = self.first_segment_after(step);
                self.enter(next, None);
            }
            Key::Next => match self.phase {
                // Enter during a lead-in starts the count at once.
                Phase::Lead { .. } => {
                    self.phase = Phase::Count {
                        left: self.seconds_of(self.current),
                    }
                }
                Phase::Count { .. } => {
                    self.outcomes[step] = Outcome::Shortened;
                    self.enter(self.current + 1, Some(self.current));
                }
                Phase::Reps => self.enter(self.current + 1, Some(self.current)),
                Phase::Finished => {}
            },
        }
    }

    /// True while nothing of the current step has been done yet (its first segment, not started).
    fn starts_step(&self) -> bool {
        let first = self.current == 0 || self.segments[self.current - 1].step != self.segments[self.current].step;
        first && !matches!(self.phase, Phase::Count { .. })
    }

    fn first_segment_after(&self, step: usize) -> usize {
        self.segments
            .iter()
            .position(|s| s.step > step)
            .unwrap_or(self.segments.len())
    }

    /// How long until the display next changes by itself (the next whole second of a countdown).
    pub fn until_next_tick(&self) -> Option<Duration> {
        match self.phase {
            Phase::Lead { left, .. } | Phase::Count { left } => {
                let sub = left.as_nanos() % 1_000_000_000;
                Some(Duration::from_nanos(if sub == 0 { 1_000_000_000 } else { sub as u64 }))
            }
            Phase::Reps | Phase::Finished => None,
        }
    }

    pub fn view(&self) -> View {
        let index = self.step_index();
        let step = &self.routine.steps[index];
        let segment = self.segments.get(self.current).map(Segment::label).unwrap_or_default();
        View {
            routine: self.routine.title.clone(),
            step: index + 1,
            steps: self.routine.steps.len(),
            name: step.name.clone(),
            how: step.how.clone(),
            dose: step.dose_text(),
            general_practice: step.is_general_practice(),
            segment,
            phase: self.phase,
            done: self.current.min(self.segments.len()),
            total: self.segments.len(),
            next: self.routine.steps.get(index + 1).map(|s| s.name.clone()),
        }
    }

    pub fn summary(&self) -> Summary {
        Summary {
            routine: self.routine.title.clone(),
            steps: self
                .routine
                .steps
                .iter()
                .zip(&self.outcomes)
                .map(|(s, o)| (s.name.clone(), *o))
                .collect(),
            elapsed: self.elapsed,
            quit: self.quit,
        }
    }
}

/// Seconds left, rounded up, as a countdown shows them: 0.2 s left still reads "1".
pub fn seconds_left(d: Duration) -> u64 {
    d.as_millis().div_ceil(1000) as u64
}

/// "m:ss".
pub fn clock(d: Duration) -> String {
    let s = d.as_secs();
    format!("{}:{:02}", s / 60, s % 60)
}

#[cfg(test)]
mod tests {
    use super::super::render::{left_text, render};
    use super::super::testkit::*;
    use super::*;

    #[test]
    fn a_timed_step_waits_the_lead_in_then_counts_down_to_the_next_step() {
        let r = routine(vec![
            step("hold", Some(30), None, None, false),
            step("reps", None, Some(10), None, false),
        ]);
        let mut s = Session::new(&r);
        assert_eq!(
            s.phase(),
            Phase::Lead {
                kind: LeadIn::GetReady,
                left: GET_READY
            }
        );
        s.elapse(GET_READY - MS);
        assert!(matches!(s.phase(), Phase::Lead { .. }), "1 ms before the count starts");
        s.elapse(MS);
        assert_eq!(s.phase(), count(30));
        assert!(!s.elapse(29 * S), "still counting: no beep");
        assert_eq!(s.phase(), count(1));
        assert!(s.elapse(S), "the count ran out: beep");
        assert_eq!(s.phase(), Phase::Reps);
        assert_eq!(s.view().step, 2);
        s.press(Key::Next);
        assert!(s.is_finished());
        let sum = s.summary();
        assert_eq!(sum.count(Outcome::Done), 2);
        assert!(!sum.quit);
        assert_eq!(sum.elapsed, GET_READY + 30 * S);
    }

    #[test]
    fn one_long_gap_is_spent_across_phases() {
        let r = routine(vec![
            step("a", Some(10), None, None, false),
            step("b", Some(10), None, None, false),
        ]);
        let mut s = Session::new(&r);
        // 5 s lead-in + 10 s of a, 5 s lead-in of b, 3 s into b.
        s.elapse(23 * S);
        assert_eq!(s.view().step, 2);
        assert_eq!(s.phase(), count(7));
        s.elapse(Duration::from_secs(3600));
        assert!(s.is_finished());
        assert_eq!(s.summary().count(Outcome::Done), 2);
    }

    #[test]
    fn sets_rest_between_and_sides_switch() {
        let r = routine(vec![step("plank", Some(20), None, Some(2), true)]);
        let mut s = Session::new(&r);
        assert_eq!(s.view().total, 4, "2 sets × 2 sides");
        assert_eq!(s.view().segment, "set 1 of 2, first side");
        s.elapse(GET_READY + 20 * S);
        assert_eq!(
            s.phase(),
            Phase::Lead {
                kind: LeadIn::SwitchSides,
                left: SWITCH_SIDES
            }
        );
        assert_eq!(s.view().segment, "set 1 of 2, second side");
        s.elapse(SWITCH_SIDES + 20 * S);
        assert_eq!(
            s.phase(),
            Phase::Lead {
                kind: LeadIn::Rest,
                left: REST_BETWEEN_SETS
            }
        );
        assert_eq!(s.view().segment, "set 2 of 2, first side");
        assert_eq!(s.view().done, 2);
    }

    #[test]
    fn reps_on_each_side_are_one_prompt_per_set() {
        let r = routine(vec![step("lunges", None, Some(10), Some(3), true)]);
        let mut s = Session::new(&r);
        assert_eq!(s.view().total, 3);
        assert_eq!(s.view().segment, "set 1 of 3");
        let screen = render(&s.view(), 80, true);
        assert!(
            screen
                .iter()
                .any(|l| l == "Do 10 reps each side (set 1 of 3), then press Enter"),
            "{screen:#?}"
        );
        // Time alone never moves a rep step on.
        s.elapse(Duration::from_secs(600));
        assert_eq!(s.phase(), Phase::Reps);
        assert_eq!(s.until_next_tick(), None);
        s.press(Key::Next);
        s.press(Key::Next);
        assert_eq!(s.view().segment, "set 3 of 3");
        s.press(Key::Next);
        assert!(s.is_finished());
        assert_eq!(s.summary().count(Outcome::Done), 1);
    }

    #[test]
    fn enter_starts_a_lead_in_early_and_cuts_a_count_short() {
        let r = routine(vec![
            step("a", Some(30), None, None, false),
            step("b", Some(30), None, None, false),
        ]);
        let mut s = Session::new(&r);
        s.press(Key::Next);
        assert_eq!(s.phase(), count(30), "Enter skips the get-ready wait");
        s.elapse(10 * S);
        s.press(Key::Next);
        assert_eq!(s.view().step, 2);
        assert!(matches!(
            s.phase(),
            Phase::Lead {
                kind: LeadIn::GetReady,
                ..
            }
        ));
        s.elapse(GET_READY + 30 * S);
        let sum = s.summary();
        assert_eq!(sum.steps[0].1, Outcome::Shortened);
        assert_eq!(sum.steps[1].1, Outcome::Done);
    }

    #[test]
    fn skip_jumps_over_every_remaining_set_of_the_step() {
        let r = routine(vec![
            step("a", None, Some(10), Some(3), false),
            step("b", Some(30), None, Some(2), false),
        ]);
        let mut s = Session::new(&r);
        s.press(Key::Next);
        s.press(Key::Skip);
        assert_eq!(s.view().step, 2);
        assert_eq!(s.view().segment, "set 1 of 2");
        assert!(matches!(
            s.phase(),
            Phase::Lead {
                kind: LeadIn::GetReady,
                ..
            }
        ));
        s.press(Key::Skip);
        assert!(s.is_finished());
        let sum = s.summary();
        assert_eq!(sum.count(Outcome::Skipped), 2);
        assert_eq!(sum.count(Outcome::Done), 0);
    }

    #[test]
    fn quit_stops_and_counts_what_was_not_reached() {
        let r = routine(vec![
            step("a", None, Some(10), None, false),
            step("b", Some(30), None, None, false),
            step("c", None, Some(5), None, false),
        ]);
        let mut s = Session::new(&r);
        s.press(Key::Next);
        s.elapse(GET_READY + 3 * S);
        s.press(Key::Quit);
        assert!(s.is_finished());
        let sum = s.summary();
        assert!(sum.quit);
        assert_eq!(
            sum.steps.iter().map(|(_, o)| *o).collect::<Vec<_>>(),
            [Outcome::Done, Outcome::Shortened, Outcome::NotReached]
        );
        // Nothing changes after the end.
        s.elapse(60 * S);
        s.press(Key::Next);
        assert_eq!(s.summary(), sum);
    }

    #[test]
    fn quitting_before_a_step_starts_leaves_it_not_reached() {
        let r = routine(vec![
            step("a", None, Some(10), None, false),
            step("b", Some(30), None, None, false),
        ]);
        let mut s = Session::new(&r);
        s.press(Key::Next);
        s.elapse(2 * S);
        s.press(Key::Quit);
        let outcomes: Vec<Outcome> = s.summary().steps.iter().map(|(_, o)| *o).collect();
        assert_eq!(outcomes, [Outcome::Done, Outcome::NotReached]);
    }

    #[test]
    fn the_countdown_rounds_up_and_ticks_on_whole_seconds() {
        assert_eq!(seconds_left(Duration::from_millis(200)), 1);
        assert_eq!(seconds_left(Duration::from_millis(1000)), 1);
        assert_eq!(seconds_left(Duration::from_millis(1001)), 2);
        assert_eq!(seconds_left(Duration::ZERO), 0);
        assert_eq!(left_text(Duration::from_millis(59_001)), "1:00");
        assert_eq!(left_text(Duration::from_secs(59)), "59 s");
        assert_eq!(left_text(Duration::from_secs(180)), "3:00");
        let r = routine(vec![step("a", Some(30), None, None, false)]);
        let mut s = Session::new(&r);
        assert_eq!(s.until_next_tick(), Some(S));
        s.elapse(Duration::from_millis(300));
        assert_eq!(s.until_next_tick(), Some(Duration::from_millis(700)));
    }

    #[test]
    fn summary_reads_in_one_line_then_one_per_step() {
        let r = routine(vec![
            step("a", None, Some(1), None, false),
            step("b", None, Some(1), None, false),
        ]);
        let mut s = Session::new(&r);
        s.elapse(Duration::from_secs(75));
        s.press(Key::Skip);
        s.press(Key::Next);
        let lines = s.summary().lines();
        assert_eq!(lines[0], "Test routine: 1 of 2 steps done in 1:15, 1 skipped.");
        assert_eq!(lines[1], "  – a (skipped)");
        assert_eq!(lines[2], "  ✓ b (done)");
    }
}
