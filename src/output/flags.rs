//! How coach flags read on a terminal.

use crate::output::{Output, Tone};
use crate::rules::{Flag, Severity};

pub fn severity_tone(s: Severity) -> Tone {
    match s {
        Severity::Urgent => Tone::Urgent,
        Severity::Warn => Tone::Warn,
        Severity::Info => Tone::Info,
    }
}

/// The short form printed after `run add` and `pain add`: one line per flag, plus the first
/// advice id to look at.
pub fn brief_flags(out: &Output, flags: &[Flag]) -> String {
    let mut lines = Vec::new();
    for f in flags {
        let tag = out.paint(severity_tone(f.severity), &format!("[{}]", f.severity.as_str()));
        lines.push(format!("  {tag} {}: {}", f.id, f.message));
    }
    if !flags.is_empty() {
        lines.push(out.paint(Tone::Dim, "  see `lumbar coach` for the numbers and what to do"));
    }
    lines.join("\n")
}
