//! The report as one HTML page: a summary a clinician reads in a minute, then the charts.
//!
//! Built with maud, whose `html!` escapes every value it is given (text and attributes), so a
//! note or a shoe name from the store can never become markup; only the page's own style
//! sheet is passed through unescaped. The page refers to nothing outside itself: no script, no
//! link, no image file, no font; the charts are inline SVG (see [`super::charts`]).

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::charts;
use super::figures::{Direction, Report, Trend};
use super::words::{area, capital, count, day, dist, dist_fig, fig, level, minute, pct, side, timing, typed};
use crate::model::Units;
use crate::redflags::Level;
use crate::rules::decision::Light;

/// The page's style sheet: screen, phone and print (two A4 or Letter pages).
const CSS: &str = include_str!("style.css");

/// The whole page.
pub fn render(r: &Report) -> String {
    let u = r.period.units;
    let title = format!("Back pain and running: {} to {}", day(r.period.from), day(r.period.to));
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="color-scheme" content="light";
                meta name="generator" content=(concat!("lumbar ", env!("CARGO_PKG_VERSION")));
                title { (title) }
                style { (PreEscaped(CSS)) }
            }
            body {
                main {
                    (header(r, u))
                    (summary(r, u))
                    (charts::section(r, u))
                    footer {
                        p {
                            "Made by lumbar " (env!("CARGO_PKG_VERSION")) " from the runner's own log on "
                            (minute(r.period.made_at)) ". Distances in " (u.label()) "."
                        }
                    }
                }
            }
        }
    }
    .into_string();
    ascii(&page)
}

/// The page with every character beyond ASCII written as a character reference: a browser
/// shows the same text, and the file reads the same whatever a mail program, an editor or the
/// locale of a terminal takes its encoding to be. (The style sheet, where references are not
/// read, is ASCII already: tested below.)
fn ascii(page: &str) -> String {
    let mut out = String::with_capacity(page.len() + page.len() / 16);
    for c in page.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(&format!("&#{};", u32::from(c)));
        }
    }
    out
}

fn header(r: &Report, u: Units) -> Markup {
    let p = &r.period;
    html! {
        header {
            h1 { "Back pain and running" }
            p.meta {
                "The last " (count(p.weeks as usize, "week", "weeks")) ": "
                (fig("/period/from", "date", day(p.from))) " to " (fig("/period/to", "date", day(p.to)))
                " · " (fig("/period/runs", "num", p.runs.to_string())) (if p.runs == 1 { " run, " } else { " runs, " })
                (dist_fig("/period/distance_m", u, p.distance_m)) " " (u.label())
                " · " (fig("/period/pain_entries", "num", p.pain_entries.to_string()))
                (if p.pain_entries == 1 { " pain entry" } else { " pain entries" })
            }
        }
    }
}

/// "Nothing was logged in these 12 weeks ..." when the period is empty.
fn empty_period(r: &Report) -> Markup {
    let p = &r.period;
    let last = [p.last_run_at, p.last_pain_at].into_iter().flatten().max();
    html! {
        p.empty {
            "Nothing was logged in these " (count(p.weeks as usize, "week", "weeks")) "."
            @if let Some(last) = last {
                " The latest entry in the log is from " (day(last.date_naive())) ": "
                code { "lumbar report --weeks " (p.weeks_to_latest.unwrap_or(p.weeks)) } " covers it."
            }
        }
    }
}

fn summary(r: &Report, u: Units) -> Markup {
    let empty = r.period.runs == 0 && r.period.pain_entries == 0;
    html! {
        section #summary aria-labelledby="summary-title" {
            h2 #summary-title { "Summary" }
            p.scale {
                "Pain is the runner's own rating from 0 (none) to 10 (worst imaginable): mild 1–4, moderate 5–6, \
                 severe 7–10. “Typical” is the median of the entries."
            }
            @if empty { (empty_period(r)) }
            dl.facts {
                dt { "Pain began" } dd { (began(r)) }
                dt { "Course" } dd { (course(r)) }
                dt { "Worst" } dd { (worst(r)) }
                dt { "Typical" } dd { (typical(r)) }
                dt { "Where" } dd { (where_(r)) }
                dt { "When" } dd { (when(r)) }
                dt { "Symptoms" } dd { (symptoms(r)) }
                dt { "Red flags" } dd { (red_flags(r)) }
                dt { "Pain after runs" } dd { (associations(r)) }
                dt { "Training" } dd { (training(r, u)) }
                dt { "Coach today" } dd { (decision(r)) }
                @if !r.pain.notes.is_empty() {
                    dt { "Notes" } dd { (notes(r)) }
                }
            }
            p.nad role="note" { (r.not_a_diagnosis) }
        }
    }
}

fn began(r: &Report) -> Markup {
    let Some(first) = &r.pain.first_entry else {
        return html! { "No pain above 0 logged." };
    };
    let before = first.at.date_naive() < r.period.from;
    html! {
        "First entry above 0 on " (fig("/pain/first_entry/at", "date", day(first.at.date_naive())))
        " (" (fig("/pain/first_entry/level", "num", first.level.to_string())) "/10, " (first.band) ")"
        @if let Some(d) = r.pain.first_entry_days_ago {
            ", " (fig("/pain/first_entry_days_ago", "num", d.to_string())) (if d == 1 { " day ago" } else { " days ago" })
        }
        @if before { ", before these weeks" }
        "."
    }
}

fn course(r: &Report) -> Markup {
    let Some(t) = &r.pain.trend else {
        return html! {
            "Too few entries to tell: a trend needs at least 2 entries in the first and in the last third of the time \
             since the first entry of these weeks."
        };
    };
    html! { (trend_word(t)) ": typical " (trend_spans(t)) "." }
}

fn trend_word(t: &Trend) -> &'static str {
    match (t.meaningful, t.direction) {
        (true, Direction::Better) => "Better",
        (true, Direction::Worse) => "Worse",
        _ => "No clear change",
    }
}

fn trend_spans(t: &Trend) -> Markup {
    let change = if t.change > 0.0 {
        format!("+{}", level(t.change))
    } else {
        level(t.change)
    };
    html! {
        (fig("/pain/trend/earlier/median", "num", level(t.earlier.median))) "/10 from "
        (fig("/pain/trend/earlier/from", "date", day(t.earlier.from))) " to "
        (fig("/pain/trend/earlier/to", "date", day(t.earlier.to)))
        " (" (count(t.earlier.entries, "entry", "entries")) "), then "
        (fig("/pain/trend/later/median", "num", level(t.later.median))) "/10 from "
        (fig("/pain/trend/later/from", "date", day(t.later.from))) " to "
        (fig("/pain/trend/later/to", "date", day(t.later.to)))
        " (" (count(t.later.entries, "entry", "entries")) "): "
        (fig("/pain/trend/change", "num", change)) " points, "
        (if t.meaningful { "a meaningful change" } else { "less than a meaningful change" })
        " (2 points or 30 %)"
    }
}

fn worst(r: &Report) -> Markup {
    let Some(w) = &r.pain.worst else {
        return html! { "No entries in these weeks." };
    };
    let others = r.pain.worst_entries.saturating_sub(1);
    html! {
        (fig("/pain/worst/level", "num", w.level.to_string())) "/10 (" (w.band) ") on "
        (fig("/pain/worst/at", "date", day(w.at.date_naive()))) ", " (timing(w.when))
        @if others > 0 { "; " (count(others, "other entry", "other entries")) " at that level" }
        "."
    }
}

fn typical(r: &Report) -> Markup {
    let Some(t) = &r.pain.typical else {
        return html! { "No entries in these weeks." };
    };
    html! {
        (fig("/pain/typical/median", "num", level(t.median))) "/10 (" (t.band) "), the median of "
        (fig("/pain/typical/entries", "num", t.entries.to_string())) (if t.entries == 1 { " entry" } else { " entries" })
        "; mean " (fig("/pain/typical/mean", "num", format!("{:.1}", t.mean))) "."
    }
}

/// "lower back 30 · buttock 5", each count marked.
fn counts<'a>(items: impl Iterator<Item = (String, &'a str, usize)>) -> Markup {
    html! {
        @for (i, (pointer, name, n)) in items.enumerate() {
            @if i > 0 { " · " }
            (name) " " (fig(&pointer, "num", n.to_string()))
        }
    }
}

fn where_(r: &Report) -> Markup {
    if r.pain.entries == 0 {
        return html! { "–" };
    }
    let areas = r
        .pain
        .areas
        .iter()
        .enumerate()
        .map(|(i, c)| (format!("/pain/areas/{i}/entries"), area(c.area), c.entries));
    let sides = r
        .pain
        .sides
        .iter()
        .enumerate()
        .map(|(i, c)| (format!("/pain/sides/{i}/entries"), side(c.side), c.entries));
    html! { (counts(areas)) br; (counts(sides)) }
}

fn when(r: &Report) -> Markup {
    if r.pain.entries == 0 {
        return html! { "–" };
    }
    let items = r
        .pain
        .when
        .iter()
        .enumerate()
        .map(|(i, c)| (format!("/pain/when/{i}/entries"), timing(c.when), c.entries));
    html! { (counts(items)) }
}

fn symptoms(r: &Report) -> Markup {
    if r.pain.symptoms.is_empty() {
        return html! { "None logged besides the level." };
    }
    html! {
        @for (i, s) in r.pain.symptoms.iter().enumerate() {
            @if i > 0 { " · " }
            (typed(&s.symptom)) " " (fig(&format!("/pain/symptoms/{i}/entries"), "num", s.entries.to_string()))
            @if s.red_flag { " (red flag)" }
        }
    }
}

fn level_class(l: Level) -> &'static str {
    match l {
        Level::Emergency | Level::Urgent => "flag high",
        Level::Soon => "flag",
        Level::SelfCare => "flag low",
    }
}

fn red_flags(r: &Report) -> Markup {
    let f = &r.red_flags;
    if f.entries.is_empty() && f.now.is_none() {
        return html! { "None logged in these weeks." };
    }
    let earlier = f.entries_total.saturating_sub(f.entries.len());
    html! {
        @if let Some(now) = &f.now {
            p class=(level_class(now.level)) {
                "Read together today: "
                strong { (fig("/red_flags/now/level", "text", now.level.as_str())) }
                " (" (joined(&now.symptoms)) ", latest "
                (fig("/red_flags/now/last_at", "date", day(now.last_at.date_naive()))) "): " (now.action) ". "
                @match now.seen_at {
                    Some(seen) => { "Marked as seen by a clinician on " (fig("/red_flags/now/seen_at", "date", day(seen.date_naive()))) "." }
                    None => { "Not yet marked as seen by a clinician." }
                }
            }
        }
        @if !f.entries.is_empty() {
            ul.flags {
                @for (i, e) in f.entries.iter().enumerate() {
                    li {
                        (fig(&format!("/red_flags/entries/{i}/at"), "date", day(e.at.date_naive()))) ": "
                        (joined(&e.symptoms)) " → "
                        (fig(&format!("/red_flags/entries/{i}/level"), "text", e.level.as_str()))
                        (if e.seen { ", seen by a clinician" } else { ", not marked as seen" })
                    }
                }
            }
            @if earlier > 0 { p { "and " (count(earlier, "earlier entry", "earlier entries")) " with a red flag in these weeks." } }
        } @else {
            p { "None logged in these weeks." }
        }
    }
}

/// Typed names joined with commas.
fn joined(names: &[String]) -> Markup {
    html! {
        @for (i, s) in names.iter().enumerate() {
            @if i > 0 { ", " }
            (typed(s))
        }
    }
}

fn associations(r: &Report) -> Markup {
    if r.associations.is_empty() {
        return html! {
            "Nothing to compare yet: each side of a comparison (for example runs with and without a warm-up) needs at \
             least 3 runs with pain logged after them."
        };
    }
    let mut order: Vec<usize> = (0..r.associations.len()).collect();
    order.sort_by(|&a, &b| r.associations[b].difference.total_cmp(&r.associations[a].difference));
    html! {
        ul.assoc {
            @for i in order {
                @let a = &r.associations[i];
                li {
                    (capital(&a.message)) ": "
                    (fig(&format!("/associations/{i}/difference"), "num", format!("{:+.1}", a.difference)))
                    " points."
                }
            }
        }
        p.small { "Associations in this runner's own log, not causes." }
    }
}

fn training(r: &Report, u: Units) -> Markup {
    let t = &r.training;
    let unit = u.label();
    let load = |name: &str, l: &super::figures::Load| {
        let p = format!("/training/{name}");
        html! {
            (dist_fig(&format!("{p}/distance_m_per_week"), u, l.distance_m_per_week)) " " (unit) " a week, "
            (fig(&format!("{p}/runs_per_week"), "num", format!("{:.1}", l.runs_per_week))) " runs a week"
            @if let Some(m) = l.longest_m {
                ", longest " (dist_fig(&format!("{p}/longest_m"), u, m)) " " (unit)
            }
        }
    };
    html! {
        "Last 4 weeks (" (fig("/training/recent/from", "date", day(t.recent.from))) " to " (day(t.recent.to)) "): "
        (load("recent", &t.recent)) ". The 8 weeks before: " (load("before", &t.before)) "."
        @if let Some(c) = t.change {
            " Distance a week " (if c >= 0.0 { "up " } else { "down " })
            (fig("/training/change", "pct", pct(c.abs()))) " %."
        }
    }
}

fn decision(r: &Report) -> Markup {
    let d = &r.decision;
    // The headline starts with the light ("HOLD: an easy run ..."), shown apart in its badge.
    let word = d.light.as_str().to_uppercase();
    let rest = d.headline.strip_prefix(&format!("{word}: ")).unwrap_or(&d.headline);
    let class = match d.light {
        Light::Go => "light go",
        Light::Hold => "light hold",
        Light::Rest => "light rest",
    };
    html! {
        // In capitals by the style sheet: the text stays the JSON's word.
        strong class=(class) { (fig("/decision/light", "text", d.light.as_str())) }
        " " (capital(rest)) ". " (capital(&d.reason)) "."
    }
}

fn notes(r: &Report) -> Markup {
    html! {
        ul.notes {
            @for n in &r.pain.notes {
                li { (day(n.at.date_naive())) ", " (n.level) "/10 " (timing(n.when)) ": “" (typed(&n.text)) "”" }
            }
        }
    }
}

/// A distance for words (not a marked figure): "12.3 km".
pub fn distance_words(u: Units, m: f64) -> String {
    format!("{} {}", dist(u, m), u.label())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_style_sheet_refers_to_nothing_outside_the_page() {
        let css = CSS.to_ascii_lowercase();
        for bad in ["url(", "@import", "http", "//"] {
            assert!(!css.contains(bad), "{bad}");
        }
        assert!(css.contains("@media print") && css.contains("@page"));
        assert!(CSS.is_ascii(), "character references are not read in a style sheet");
    }

    #[test]
    fn the_page_is_ascii_with_references_for_the_rest() {
        assert_eq!(ascii("a – b “c” é"), "a &#8211; b &#8220;c&#8221; &#233;");
        assert_eq!(ascii("plain"), "plain");
    }
}
