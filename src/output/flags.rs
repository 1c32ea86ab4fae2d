//! How coach flags, insights and the next-run guidance read on a terminal.
//!
//! Every piece of advice goes through [`advice_line`], which reads its words from `data/advice.json`.

use serde_json::{Map, Value};

use crate::model::Units;
use crate::output::text::wrap;
use crate::output::{Output, Tone};
use crate::rules::catalog::RuleInfo;
use crate::rules::next::Next;
use crate::rules::{Flag, Review, Severity};

/// Said after all health advice.
pub const NOT_A_DIAGNOSIS: &str = "lumbar is not a diagnosis: see a clinician for pain that persists or gets worse, \
     and call your local emergency number in an emergency.";

pub fn severity_tone(s: Severity) -> Tone {
    match s {
        Severity::Urgent => Tone::Urgent,
        Severity::Warn => Tone::Warn,
        Severity::Info => Tone::Info,
    }
}

/// One piece of advice, by id, as a line of text.
pub fn advice_line(id: &str) -> String {
    let Some(a) = crate::content::advice_by_id(id) else {
        return id.to_string();
    };
    match &a.routine {
        Some(r) => format!("{}: {} (lumbar routine {r})", a.title, a.text),
        None => format!("{}: {}", a.title, a.text),
    }
}

/// One piece of advice by its title alone, for the one-line summaries after `run add`.
pub fn advice_title(id: &str) -> String {
    match crate::content::advice_by_id(id) {
        Some(a) => match &a.routine {
            Some(r) => format!("{} (lumbar routine {r})", a.title),
            None => a.title.clone(),
        },
        None => id.to_string(),
    }
}

/// The short form printed after `run add` and `pain add`: per flag, a line with what was seen
/// (the message up to its first `;`, which every rule keeps to the essential) and a line with
/// the first advice to look at.
pub fn brief_flags(out: &Output, flags: &[Flag]) -> String {
    let mut lines = Vec::new();
    for f in flags {
        let tag = out.paint(severity_tone(f.severity), &format!("[{}]", f.severity.as_str()));
        // A message may name a shoe: escaped, as text from outside lumbar.
        let what = crate::output::text::escape(f.message.split(';').next().unwrap_or_default().trim());
        lines.push(format!("  {tag} {}: {what}", f.id));
        if let Some(a) = f.advice.first() {
            lines.push(format!("      → {}", advice_title(a)));
        }
    }
    if !flags.is_empty() {
        lines.push(out.paint(
            Tone::Dim,
            "  see `lumbar coach` for the numbers and what to do (lumbar is not a diagnosis)",
        ));
    }
    lines.join("\n")
}

/// The evidence as "key value · key value", distances in the display units, shares as
/// percentages; thresholds are left to `--explain`.
pub fn evidence_text(units: Units, evidence: &Map<String, Value>) -> String {
    let mut parts = Vec::new();
    for (k, v) in evidence {
        if k.contains("threshold") || k == "name" {
            continue;
        }
        let (label, shown) = if let Some(base) = k.strip_suffix("_m") {
            let shown = v.as_f64().map_or("-".to_string(), |m| {
                format!("{:.1} {}", m / units.metres(), units.label())
            });
            (base.to_string(), shown)
        } else if k == "share" || k == "increase" || k == "week_change" {
            let shown = v.as_f64().map_or("-".to_string(), |x| format!("{:.0} %", x * 100.0));
            (k.clone(), shown)
        } else {
            (k.clone(), plain(v))
        };
        parts.push(format!("{} {shown}", label.replace('_', " ")));
    }
    parts.join(" · ")
}

fn plain(v: &Value) -> String {
    match v {
        Value::Null => "-".into(),
        Value::String(s) => s.clone(),
        Value::Array(a) => a.iter().map(plain).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

/// One flag in full: the severity and id, the message, the evidence, and the advice not
/// already given for a flag above it.
fn flag_block(out: &Output, f: &Flag, given: &mut Vec<(&'static str, bool)>) -> String {
    let head = format!(
        "{} {}",
        out.paint(severity_tone(f.severity), &f.severity.as_str().to_uppercase()),
        out.paint(Tone::Bold, f.id)
    );
    let mut lines = vec![head, wrap(&crate::output::text::escape(&f.message), "  ", "  ")];
    let ev = evidence_text(out.units, &f.evidence);
    if !ev.is_empty() {
        lines.push(out.paint(Tone::Dim, &wrap(&ev, "  evidence:", "    ")));
    }
    // The first advice in full (once in the whole review); the others by title, once each.
    for (i, a) in f.advice.iter().enumerate() {
        let full = i == 0 && !given.contains(&(a, true));
        if !full && given.iter().any(|(g, _)| g == a) {
            continue;
        }
        given.push((a, full));
        let text = if full { advice_line(a) } else { advice_title(a) };
        lines.push(wrap(&text, "  →", "    "));
    }
    lines.join("\n")
}

fn distance(units: Units, m: f64) -> String {
    format!("{:.1} {}", m / units.metres(), units.label())
}

fn next_block(out: &Output, n: &Next) -> String {
    let u = out.units;
    let day = match n.activity {
        "see-clinician" => "Before your next run: have the red-flag symptom checked by a clinician.".to_string(),
        "rest" => "Next day: rest.".to_string(),
        "cross-train" => format!(
            "Next day: cross-train instead of running ({}).",
            n.cross_training.join(", ")
        ),
        _ => "Next day: a run is fine.".to_string(),
    };
    let mut lines = vec![out.paint(Tone::Bold, "Next"), wrap(&day, "  ", "  ")];
    for r in &n.reasons {
        lines.push(wrap(r, "  -", "    "));
    }
    if n.activity == "see-clinician" {
        return lines.join("\n");
    }
    match (n.max_distance_m, n.longest_30d_m) {
        (Some(max), Some(longest)) => lines.push(wrap(
            &format!(
                "Longest next run: {} (within 10 % of your longest in 30 days, {}).",
                distance(u, max),
                distance(u, longest)
            ),
            "  ",
            "  ",
        )),
        _ => lines.push("  No run in the last 30 days: start short and easy.".into()),
    }
    if let Some(r) = n.routine_today {
        lines.push(format!("  Today: lumbar routine {r}"));
    }
    let routines = |ids: &[&str]| {
        ids.iter()
            .map(|r| format!("lumbar routine {r}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    lines.push(wrap(&format!("Before: {}.", routines(&n.before)), "  ", "  "));
    lines.push(wrap(&format!("After: {}.", routines(&n.after)), "  ", "  "));
    lines.join("\n")
}

/// The whole `coach` review for a terminal. `scope` says what was reviewed.
pub fn render_review(out: &Output, review: &Review, scope: &str) -> String {
    let mut blocks = vec![out.paint(Tone::Bold, scope)];
    if review.flags.is_empty() {
        blocks.push(wrap(
            "No flags: nothing in your history crosses a threshold. Keep warming up, stretching and building gradually.",
            "",
            "",
        ));
    }
    let mut given = Vec::new();
    for f in &review.flags {
        blocks.push(flag_block(out, f, &mut given));
    }
    if !review.insights.is_empty() {
        let mut lines = vec![out.paint(Tone::Bold, "Insights (associations in your own log, not causes)")];
        for i in &review.insights {
            lines.push(wrap(&i.message, "  -", "    "));
        }
        blocks.push(lines.join("\n"));
    }
    blocks.push(next_block(out, &review.next));
    blocks.push(out.paint(Tone::Dim, &wrap(NOT_A_DIAGNOSIS, "", "")));
    blocks.join("\n\n")
}

/// What `coach` says with nothing logged.
pub fn how_to_start() -> String {
    [
        "Nothing logged yet, so there is nothing to review. To start:",
        "  lumbar shoes add 'Pegasus 41' --default     the pair you run in",
        "  lumbar run add 5k 28:30 --warmup --stretch  after each run",
        "  lumbar pain add 3 --run last                when your back hurts",
        "then run `lumbar coach` again. To see a review first, try a demo store:",
        "  lumbar --data-dir /tmp/lumbar-demo demo && lumbar --data-dir /tmp/lumbar-demo coach",
    ]
    .join("\n")
}

/// `coach --explain`: every rule with its threshold, what it reads and its source.
pub fn render_explain(out: &Output, rules: &[RuleInfo]) -> String {
    let mut blocks = vec![wrap(
        "The coach's rules. Thresholds are the defaults of EVIDENCE.md section 4 (no-rest-days is set with \
         `lumbar config`). A flag is an association worth acting on, not a diagnosis or a proof of cause.",
        "",
        "",
    )];
    for r in rules {
        let mut lines = vec![format!("{} ({})", out.paint(Tone::Bold, r.id), r.severity)];
        lines.push(wrap(&r.threshold, "  fires:", "    "));
        lines.push(wrap(r.reads, "  reads:", "    "));
        lines.push(wrap(r.source, "  source:", "    "));
        lines.push(wrap(&r.advice.join(", "), "  advice:", "    "));
        blocks.push(lines.join("\n"));
    }
    blocks.push(wrap(
        "Insights compare the mean pain logged during or up to 24 h after runs with and without a factor \
         (no warm-up, no stretch, hard surface, shoes at 80 % of their limit or more). Only runs with pain logged and the factor \
         known count, and a comparison is shown only when each side has at least 3 runs.",
        "",
        "",
    ));
    blocks.push(out.paint(Tone::Dim, &wrap(NOT_A_DIAGNOSIS, "", "")));
    blocks.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn brief_flags_take_two_lines_each() {
        let f = Flag::new(
            "no-rest",
            Severity::Warn,
            "you ran 9 days in a row; rest days help".into(),
            Value::Null,
        );
        let text = brief_flags(&Output::plain(Units::Km), &[f]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "  [warn] no-rest: you ran 9 days in a row");
        let title = &crate::content::advice_by_id("recovery-rest")
            .expect("in data/advice.json")
            .title;
        assert!(lines[1].starts_with(&format!("      → {title}")), "{}", lines[1]);
        assert_eq!(lines.len(), 3, "two lines and the closing note");
        assert!(brief_flags(&Output::plain(Units::Km), &[]).is_empty());
    }

    #[test]
    fn evidence_reads_in_the_display_units() {
        let ev = json!({ "distance_m": 16093.44, "share": 0.5, "threshold": 0.3, "run_ids": [1, 2] });
        let Value::Object(m) = ev else { unreachable!() };
        let text = evidence_text(Units::Mi, &m);
        assert!(text.contains("distance 10.0 mi"), "{text}");
        assert!(text.contains("share 50 %"), "{text}");
        assert!(text.contains("run ids 1, 2"), "{text}");
        assert!(!text.contains("threshold"), "{text}");
    }
}
