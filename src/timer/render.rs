//! What one view of a session looks like on screen, as lines no wider than the terminal.

use std::time::Duration;

use super::session::{Phase, View, clock, seconds_left};
use crate::output::text::wrap_lines;

/// The screen for one view, as lines no wider than `width`.
pub fn render(view: &View, width: usize, utf8: bool) -> Vec<String> {
    let width = width.clamp(20, 100);
    let mut lines = vec![
        format!("{} · step {} of {}", view.routine, view.step, view.steps),
        progress_bar(view.done, view.total, width.min(60), utf8),
        String::new(),
    ];
    let mut title = format!("{} — {}", view.name, view.dose);
    if view.general_practice {
        title.push_str(" (general practice)");
    }
    lines.extend(wrap(&title, width));
    lines.extend(wrap(&view.how, width - 2).into_iter().map(|l| format!("  {l}")));
    lines.push(String::new());
    let segment = if view.segment.is_empty() {
        String::new()
    } else {
        format!(" ({})", view.segment)
    };
    let (status, keys) = match view.phase {
        Phase::Lead { kind, left } => (
            format!("{}{segment}: starts in {} s", kind.label(), seconds_left(left)),
            "Enter: start now · s: skip step · q: quit",
        ),
        Phase::Count { left } => (
            format!("Time left{segment}: {}", left_text(left)),
            "Enter: end this now · s: skip step · q: quit",
        ),
        Phase::Reps => (
            format!("Do {}{segment}, then press Enter", rep_prompt(view)),
            "Enter: done · s: skip step · q: quit",
        ),
        Phase::Finished => ("Finished".to_string(), ""),
    };
    lines.push(status);
    if let Some(next) = &view.next {
        lines.push(format!("Next: {next}"));
    }
    lines.push(keys.to_string());
    lines.into_iter().map(|l| l.chars().take(width).collect()).collect()
}

/// "16 s" under a minute, "2:59" above.
pub(super) fn left_text(left: Duration) -> String {
    match seconds_left(left) {
        s @ 0..60 => format!("{s} s"),
        s => clock(Duration::from_secs(s)),
    }
}

fn rep_prompt(view: &View) -> String {
    // The dose text carries "× N sets"; the set number is in the segment label instead.
    view.dose.split(" × ").next().unwrap_or(&view.dose).to_string()
}

fn progress_bar(done: usize, total: usize, width: usize, utf8: bool) -> String {
    let label = format!(" {done}/{total}");
    let cells = width.saturating_sub(label.len() + 2).max(5);
    let filled = (done * cells).checked_div(total).unwrap_or(cells);
    let (full, empty) = if utf8 { ('█', '░') } else { ('#', '.') };
    let bar: String = std::iter::repeat_n(full, filled)
        .chain(std::iter::repeat_n(empty, cells - filled))
        .collect();
    format!("[{bar}]{label}")
}

/// Wraps text to `width` columns with the one wrap every renderer shares.
fn wrap(text: &str, width: usize) -> Vec<String> {
    if text.trim().is_empty() {
        return Vec::new();
    }
    wrap_lines(text, width, "", "")
}

#[cfg(test)]
mod tests {
    use super::super::session::*;
    use super::super::testkit::*;
    use super::*;

    #[test]
    fn the_screen_shows_step_dose_status_and_keys() {
        let r = routine(vec![
            step("Side plank", Some(20), None, None, true),
            step("b", None, Some(8), Some(2), false),
        ]);
        let mut s = Session::new(&r);
        s.elapse(GET_READY + Duration::from_millis(4500));
        let lines = render(&s.view(), 60, false);
        assert_eq!(lines[0], "Test routine · step 1 of 2");
        assert!(lines[1].starts_with("[.") && lines[1].ends_with(" 0/4"), "{}", lines[1]);
        assert!(
            lines
                .iter()
                .any(|l| l == "Side plank — 20 s each side (general practice)")
        );
        assert!(lines.iter().any(|l| l == "Time left (first side): 16 s"), "{lines:#?}");
        assert!(lines.iter().any(|l| l == "Next: b"), "{lines:#?}");
        s.elapse(16 * S + SWITCH_SIDES + 20 * S);
        let lines = render(&s.view(), 60, false);
        assert!(
            lines.iter().any(|l| l == "Do 8 reps (set 1 of 2), then press Enter"),
            "{lines:#?}"
        );
        assert!(lines.iter().all(|l| l.chars().count() <= 60));
        assert!(
            !lines.iter().any(|l| l.starts_with("Next:")),
            "the last step has no next"
        );
    }

    #[test]
    fn long_text_wraps_instead_of_being_cut() {
        let mut long = step("a", Some(30), None, None, false);
        long.how = "word ".repeat(60).trim_end().to_string();
        let r = routine(vec![long]);
        let lines = render(&Session::new(&r).view(), 40, true);
        assert!(lines.iter().all(|l| l.chars().count() <= 40), "{lines:#?}");
        let words: usize = lines
            .iter()
            .map(|l| l.split_whitespace().filter(|w| *w == "word").count())
            .sum();
        assert_eq!(words, 60, "every word of the how-to is on screen");
    }
}
