//! Numbers and names as the report page writes them, and the mark that ties a number on the
//! page to its place in `--json`.

use chrono::{DateTime, FixedOffset, NaiveDate};
use maud::{Markup, PreEscaped, html};

use crate::model::{Area, Side, Timing, Units};
use crate::output::text::escape;

/// A figure on the page, marked with its JSON pointer in the `--json` document and how it is
/// shown (`num`, `km`/`mi` for metres, `pct` for a share, `date`, `text`), so a test can check
/// that the page and `--json` say the same thing (tests/cli_report.rs).
pub fn fig(pointer: &str, kind: &str, shown: impl AsRef<str>) -> Markup {
    html! { span data-json=(pointer) data-kind=(kind) { (shown.as_ref()) } }
}

/// A distance in metres as a figure in `u`.
pub fn dist_fig(pointer: &str, u: Units, m: f64) -> Markup {
    fig(pointer, u.label(), dist(u, m))
}

/// A share (0 to 1) as a figure in whole percent.
pub fn pct_fig(pointer: &str, share: f64) -> Markup {
    fig(pointer, "pct", pct(share))
}

/// "12.3": metres in `u`, one decimal.
pub fn dist(u: Units, m: f64) -> String {
    format!("{:.1}", m / u.metres())
}

/// "42": a share in whole percent (without the sign).
pub fn pct(share: f64) -> String {
    format!("{:.0}", share * 100.0)
}

/// "3" or "3.5": a pain level or median, without a needless ".0".
pub fn level(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}

/// "2026-11-30".
pub fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// "2026-11-30 07:45".
pub fn minute(t: DateTime<FixedOffset>) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

pub fn area(a: Area) -> &'static str {
    match a {
        Area::LowerBack => "lower back",
        Area::Buttock => "buttock",
        Area::Hip => "hip",
        Area::Thigh => "thigh",
        Area::Leg => "leg",
    }
}

pub fn side(s: Side) -> &'static str {
    match s {
        Side::Center => "centre",
        Side::Left => "left",
        Side::Right => "right",
        Side::Both => "both sides",
    }
}

/// "after a run", "not said".
pub fn timing(t: Option<Timing>) -> &'static str {
    match t {
        Some(Timing::During) => "during a run",
        Some(Timing::After) => "after a run",
        Some(Timing::NextDay) => "the next day",
        Some(Timing::Rest) => "at rest",
        Some(Timing::Night) => "at night",
        None => "not said",
    }
}

/// Text a person typed (a note, a shoe name) for the page: control characters (escape
/// sequences, bidirectional overrides) shown as visible escapes, then escaped by maud, then `:`
/// `=` `(` `/` written as character references. A browser shows the same characters, but even
/// as text nothing from the store reads as a URL, an attribute or a style reference to a tool
/// that scans the file before it is shared (a mail filter, a clinic's upload check).
pub fn typed(text: &str) -> Markup {
    let safe = html! { (escape(text).as_ref()) }.into_string();
    let mut out = String::with_capacity(safe.len() + 8);
    for c in safe.chars() {
        match c {
            ':' => out.push_str("&#58;"),
            '=' => out.push_str("&#61;"),
            '(' => out.push_str("&#40;"),
            '/' => out.push_str("&#47;"),
            c => out.push(c),
        }
    }
    PreEscaped(out)
}

/// "1 run", "2 runs".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The first letter in capitals.
pub fn capital(text: &str) -> String {
    let mut c = text.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_the_page_writes_them() {
        assert_eq!(dist(Units::Km, 12_345.0), "12.3");
        assert_eq!(dist(Units::Mi, 1609.344), "1.0");
        assert_eq!(pct(0.425), "42");
        assert_eq!(level(3.0), "3");
        assert_eq!(level(3.5), "3.5");
        assert_eq!(capital("after runs"), "After runs");
        assert_eq!(typed("a\u{1b}[31mred").into_string(), "a\\u{1b}[31mred");
        assert_eq!(
            typed("<b>x</b> a=b: c(d)").into_string(),
            "&lt;b&gt;x&lt;&#47;b&gt; a&#61;b&#58; c&#40;d)"
        );
        assert_eq!(
            fig("/a/b", "num", "<1>").into_string(),
            r#"<span data-json="/a/b" data-kind="num">&lt;1&gt;</span>"#
        );
    }
}
