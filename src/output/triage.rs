//! How a red-flag triage result reads on a terminal.

use crate::output::{Output, Tone};
use crate::redflags::Triage;

/// Leads with the action in one line, then the reasons, then the not-a-diagnosis line.
pub fn render(out: &Output, t: &Triage) -> String {
    let tone = match t.level {
        "emergency" | "urgent" => Tone::Urgent,
        "soon" => Tone::Warn,
        _ => Tone::Good,
    };
    let mut lines = vec![out.paint(tone, &format!("{}: {}", t.level.to_uppercase(), t.message))];
    for r in &t.reasons {
        lines.push(format!("  - {} ({}): {}", r.symptom, r.level, r.why));
    }
    lines.push("lumbar is not a diagnosis.".into());
    lines.join("\n")
}
