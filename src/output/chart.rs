//! A horizontal bar chart in plain text: one row per week, the bar scaled to the largest week,
//! and the week's mean pain beside it as a number and a 0–10 gauge.
//!
//! Unicode eighth-blocks give bars a resolution of an eighth of a column; where the terminal is
//! not UTF-8 the same chart is drawn with `#`. Every line fits [`WIDTH`] columns, or the
//! terminal when it is narrower; on a very narrow one the gauge gives way to the bar, and the
//! mean stays as a number.

use crate::model::PainLevel;
use crate::output::{Output, Tone};

/// The chart never goes wider than this, whatever the terminal.
pub const WIDTH: usize = 80;
/// The narrowest bar worth drawing, should labels ever be long.
const MIN_BAR: usize = 10;
/// Cells in the pain gauge: one per point of the 0–10 scale.
const GAUGE: usize = 10;
/// Partial blocks from one eighth to seven eighths of a cell.
const EIGHTHS: [char; 7] = ['▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/// One row of the chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    /// The length of the bar, in display units (never negative).
    pub value: f64,
    /// Mean pain that week on the 0–10 scale, `None` when nothing was logged.
    pub pain_mean: Option<f64>,
}

/// Draws the chart; `unit` heads the value column ("km", "mi").
pub fn weekly_chart(out: &Output, unit: &str, bars: &[Bar]) -> String {
    let label_w = bars.iter().map(|b| b.label.chars().count()).max().unwrap_or(0).max(4);
    let value_w = 6;
    // label, two spaces, value, two spaces, BAR, two spaces, "mean" (4), a space, gauge.
    let width = out.width().map_or(WIDTH, |w| w.min(WIDTH));
    let fixed = label_w + 2 + value_w + 2 + 2 + 4;
    let gauge = width.saturating_sub(fixed + 1 + GAUGE) >= MIN_BAR;
    let bar_w = width
        .saturating_sub(fixed + if gauge { 1 + GAUGE } else { 0 })
        .max(MIN_BAR);
    let max = bars.iter().map(|b| b.value).fold(0.0, f64::max);

    let mut lines = Vec::with_capacity(bars.len() + 1);
    lines.push(
        format!(
            "{:<label_w$}  {:>value_w$}  {:<bar_w$}  {}",
            "week",
            unit,
            "distance",
            if gauge { "mean pain" } else { "pain" }
        )
        .trim_end()
        .to_string(),
    );
    for b in bars {
        let (bar, drawn) = bar_cells(b.value, max, bar_w, out.utf8);
        let pad = " ".repeat(bar_w - drawn);
        let line = format!(
            "{:<label_w$}  {:>value_w$.1}  {}{pad}  {}",
            b.label,
            b.value,
            out.paint(Tone::Info, &bar),
            pain_cell(out, b.pain_mean, gauge)
        );
        lines.push(line.trim_end().to_string());
    }
    lines.join("\n")
}

/// The bar for `value` out of `max` in `width` cells, and how many cells it takes.
/// A positive value always shows at least the smallest mark, so a short week is not mistaken
/// for a week off.
fn bar_cells(value: f64, max: f64, width: usize, utf8: bool) -> (String, usize) {
    if !(value > 0.0 && max > 0.0) {
        return (String::new(), 0);
    }
    let cells = (value / max).min(1.0) * width as f64;
    if !utf8 {
        let n = (cells.round() as usize).clamp(1, width);
        return ("#".repeat(n), n);
    }
    let eighths = ((cells * 8.0).round() as usize).clamp(1, width * 8);
    let (full, part) = (eighths / 8, eighths % 8);
    let mut s = "█".repeat(full);
    if part > 0 {
        s.push(EIGHTHS[part - 1]);
    }
    (s, full + usize::from(part > 0))
}

/// "2.5 ●●●·······", or "-" for a week with no pain logged. The gauge is coloured by the band
/// of the rounded mean (moderate 5–6, severe 7–10) when colour is on.
fn pain_cell(out: &Output, mean: Option<f64>, gauge: bool) -> String {
    let Some(mean) = mean else {
        return format!("{:>4}", "-");
    };
    if !gauge {
        return format!("{mean:>4.1}");
    }
    let filled = (mean.round().clamp(0.0, GAUGE as f64)) as usize;
    let (on, off) = if out.utf8 { ('●', '·') } else { ('*', '.') };
    let on_part: String = std::iter::repeat_n(on, filled).collect();
    let off_part: String = std::iter::repeat_n(off, GAUGE - filled).collect();
    let tone = match PainLevel(filled as u8).band() {
        "severe" => Some(Tone::Urgent),
        "moderate" => Some(Tone::Warn),
        _ => None,
    };
    let on_part = match tone {
        Some(t) if !on_part.is_empty() => out.paint(t, &on_part),
        _ => on_part,
    };
    format!("{mean:>4.1} {on_part}{}", out.paint(Tone::Dim, &off_part))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Units;

    fn output(utf8: bool) -> Output {
        let mut o = Output::plain(Units::Km);
        o.utf8 = utf8;
        o
    }

    fn bars() -> Vec<Bar> {
        vec![
            Bar {
                label: "2026-W46".into(),
                value: 42.0,
                pain_mean: Some(2.5),
            },
            Bar {
                label: "2026-W47".into(),
                value: 0.0,
                pain_mean: None,
            },
            Bar {
                label: "2026-W48".into(),
                value: 21.0,
                pain_mean: Some(7.2),
            },
            Bar {
                label: "2026-W49".into(),
                value: 0.01,
                pain_mean: Some(0.0),
            },
        ]
    }

    /// The length of a drawn bar in eighths of a cell.
    fn eighths_in(line: &str) -> usize {
        line.chars()
            .map(|c| match c {
                '█' => 8,
                c => EIGHTHS.iter().position(|&e| e == c).map_or(0, |i| i + 1),
            })
            .sum()
    }

    fn widths(text: &str) -> Vec<usize> {
        text.lines().map(|l| l.chars().count()).collect()
    }

    #[test]
    fn fits_eighty_columns_in_both_modes() {
        for utf8 in [true, false] {
            let text = weekly_chart(&output(utf8), "km", &bars());
            assert_eq!(text.lines().count(), 5, "a header and one line per week");
            for w in widths(&text) {
                assert!(w <= WIDTH, "line of {w} columns:\n{text}");
            }
        }
    }

    #[test]
    fn ascii_mode_is_pure_ascii_and_utf8_mode_uses_blocks() {
        let ascii = weekly_chart(&output(false), "km", &bars());
        assert!(ascii.is_ascii(), "{ascii}");
        assert!(ascii.contains('#'));
        let utf8 = weekly_chart(&output(true), "km", &bars());
        assert!(utf8.contains('█'));
        assert!(!utf8.contains('#'));
    }

    #[test]
    fn the_largest_week_fills_the_bar_and_half_is_half() {
        let text = weekly_chart(&output(true), "km", &bars());
        let lines: Vec<&str> = text.lines().collect();
        let full = eighths_in(lines[1]);
        let half = eighths_in(lines[3]);
        assert!(full >= MIN_BAR * 8);
        assert!(
            half * 2 == full || half * 2 == full + 1,
            "{half} of {full} eighths:\n{text}"
        );
        let ascii = weekly_chart(&output(false), "km", &bars());
        let lines: Vec<&str> = ascii.lines().collect();
        assert_eq!(lines[1].matches('#').count() * 8, full);
    }

    #[test]
    fn an_empty_week_has_no_bar_and_a_short_week_still_shows() {
        let text = weekly_chart(&output(true), "km", &bars());
        let lines: Vec<&str> = text.lines().collect();
        assert!(!lines[2].contains('█') && !EIGHTHS.iter().any(|c| lines[2].contains(*c)));
        assert!(lines[2].contains("0.0") && lines[2].ends_with('-'), "{}", lines[2]);
        assert!(lines[4].contains('▏'), "{}", lines[4]);
    }

    #[test]
    fn eighths_of_a_cell() {
        assert_eq!(bar_cells(1.0, 8.0, 1, true), ("▏".to_string(), 1));
        assert_eq!(bar_cells(4.0, 8.0, 1, true), ("▌".to_string(), 1));
        assert_eq!(bar_cells(7.0, 8.0, 1, true), ("▉".to_string(), 1));
        assert_eq!(bar_cells(8.0, 8.0, 1, true), ("█".to_string(), 1));
        assert_eq!(bar_cells(9.0, 8.0, 2, true), ("██".to_string(), 2));
        assert_eq!(bar_cells(0.0, 8.0, 2, true), (String::new(), 0));
        assert_eq!(bar_cells(3.0, 0.0, 2, true), (String::new(), 0));
    }

    fn pain_cell_g(out: &Output, mean: Option<f64>) -> String {
        pain_cell(out, mean, true)
    }

    #[test]
    fn a_narrow_terminal_keeps_the_bar_and_the_mean() {
        for cols in [40u16, 60] {
            let mut o = output(true);
            o.term.stdout = true;
            o.term.width = Some(cols);
            let text = weekly_chart(&o, "km", &bars());
            assert!(widths(&text).iter().all(|w| *w <= cols as usize), "{text}");
            assert!(text.contains("2.5") && text.contains('█'), "{text}");
        }
    }

    #[test]
    fn pain_gauge_rounds_the_mean() {
        let o = output(true);
        assert_eq!(pain_cell_g(&o, Some(2.5)), " 2.5 ●●●·······");
        assert_eq!(pain_cell_g(&o, Some(0.0)), " 0.0 ··········");
        assert_eq!(pain_cell_g(&o, Some(10.0)), "10.0 ●●●●●●●●●●");
        assert_eq!(pain_cell_g(&o, None), "   -");
        assert_eq!(pain_cell_g(&output(false), Some(4.4)), " 4.4 ****......");
    }

    #[test]
    fn colour_only_when_asked() {
        let mut o = output(true);
        let plain = weekly_chart(&o, "km", &bars());
        assert!(!plain.contains('\u{1b}'));
        o.color = true;
        let painted = weekly_chart(&o, "km", &bars());
        assert!(painted.contains('\u{1b}'));
    }
}
