//! How a red-flag triage result reads on a terminal: the action first, in one line a worried
//! person cannot misread, then why, then what to do, then what to do about running, then the
//! not-a-diagnosis line and, at an emergency, how to reach emergency care.

use crate::output::{Output, Tone};
use crate::redflags::{Level, Triage};

/// Text width for the wrapped parts on a wide terminal.
const WIDTH: usize = 78;

/// The tone of a level's action line.
pub fn tone(level: Level) -> Tone {
    match level {
        Level::Emergency | Level::Urgent => Tone::Urgent,
        Level::Soon => Tone::Warn,
        Level::SelfCare => Tone::Good,
    }
}

/// The one action line, e.g. "URGENT: speak to a doctor today, within 24 hours".
pub fn action_line(t: &Triage) -> String {
    format!("{}: {}", t.level.as_str().to_uppercase(), t.message)
}

/// The whole result as text.
pub fn render(out: &Output, t: &Triage) -> String {
    let bullet = if out.utf8 { "•" } else { "-" };
    let width = out.prose_width().min(WIDTH);
    let wrap = |text: &str, first: &str, rest: &str| wrap_to(width, text, first, rest);
    // The action line is one line wherever it fits, and breaks only between words where not.
    let mut lines: Vec<String> = wrap(&action_line(t), "", "")
        .iter()
        .map(|l| out.paint(tone(t.level), l))
        .collect();
    lines.push(String::new());
    if t.reasons.is_empty() {
        lines.push("No red-flag symptoms.".into());
    } else {
        lines.push(out.paint(Tone::Bold, "Why:"));
        for r in &t.reasons {
            let head = format!("{} ({}): ", r.symptom.replace('+', " + "), r.level);
            lines.extend(wrap(&format!("{head}{}.", r.why), &format!("  {bullet} "), "    "));
        }
    }
    lines.push(String::new());
    lines.push(out.paint(Tone::Bold, "What to do:"));
    // The emergency-care line closes the result on its own, so it is not repeated here.
    for a in t.advice.iter().filter(|a| Some(*a) != t.emergency_care.as_ref()) {
        lines.extend(wrap(a, &format!("  {bullet} "), "    "));
    }
    lines.push(String::new());
    lines.extend(wrap(&t.running, "Running:", "         "));
    lines.push(String::new());
    lines.extend(wrap(&t.not_a_diagnosis, "", ""));
    if let Some(care) = &t.emergency_care {
        lines.extend(wrap(care, "", "").iter().map(|l| out.paint(Tone::Urgent, l)));
    }
    lines.join("\n")
}

/// Wraps text to `width` columns (at most [`WIDTH`]), with a prefix on the first line and an
/// indent on the others.
pub fn wrap_to(width: usize, text: &str, first: &str, rest: &str) -> Vec<String> {
    crate::output::text::wrap_lines(text, width.min(WIDTH), first, rest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Units;
    use crate::redflags::triage;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn leads_with_the_action_then_reasons_then_not_a_diagnosis() {
        let out = Output::plain(Units::Km);
        let text = render(&out, &triage(&ids(&["bladder-change", "fever"]), Some(40)));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "EMERGENCY: go to an emergency department or call emergency services now"
        );
        let why = text.find("bladder-change (emergency)").expect("reason listed");
        let fever = text.find("fever (urgent)").expect("reason listed");
        let not_dx = text.find("lumbar is not a diagnosis").expect("not-a-diagnosis line");
        assert!(why < fever && fever < not_dx);
        let care = text
            .find("Call your local emergency number")
            .expect("emergency care line");
        assert!(not_dx < care, "emergency care comes last");
        assert!(
            lines
                .last()
                .is_some_and(|l| l.ends_with("go to an emergency department now."))
        );
        assert_eq!(text.matches("999 in the UK").count(), 1, "emergency line said once");
    }

    #[test]
    fn no_emergency_line_below_emergency_and_self_care_points_to_relief() {
        let out = Output::plain(Units::Km);
        let text = render(&out, &triage(&[], Some(30)));
        assert!(text.starts_with("SELF-CARE: "));
        assert!(text.contains("lumbar routine relief"));
        assert!(!text.contains("999"));
        assert!(text.contains("lumbar is not a diagnosis"));
    }

    #[test]
    fn fits_80_columns_and_has_no_colour_when_plain() {
        let out = Output::plain(Units::Km);
        let all: Vec<String> = crate::redflags::SYMPTOM_IDS.iter().map(|s| s.to_string()).collect();
        for t in [
            triage(&all, None),
            triage(&[], None),
            triage(&ids(&["leg-numbness"]), Some(30)),
        ] {
            let text = render(&out, &t);
            assert!(!text.contains('\u{1b}'));
            for line in text.lines() {
                assert!(line.chars().count() <= 80, "{line}");
            }
        }
    }

    #[test]
    fn colour_only_when_on() {
        let mut out = Output::plain(Units::Km);
        out.color = true;
        let text = render(&out, &triage(&ids(&["fever"]), Some(30)));
        assert!(text.starts_with('\u{1b}'), "the action line is painted");
    }

    #[test]
    fn every_level_says_what_to_do_about_running_before_the_closing_lines() {
        let out = Output::plain(Units::Km);
        for (list, level) in [
            (&["collapse"][..], Level::Emergency),
            (&["cough-strain"], Level::Urgent),
            (&["leg-numbness"], Level::Soon),
            (&[], Level::SelfCare),
        ] {
            let t = triage(&ids(list), Some(40));
            assert_eq!(t.level, level);
            let text = render(&out, &t);
            let running = text.find("Running: ").expect("a running line");
            let flat = text[running..].split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(flat.starts_with(&format!("Running: {}", level.running())), "{text}");
            let not_dx = text.find("lumbar is not a diagnosis").expect("closing line");
            assert!(running < not_dx, "{text}");
            assert_eq!(text.matches("lumbar is not a diagnosis").count(), 1, "{text}");
        }
    }
}
