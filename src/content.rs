//! The coach's words: advice items and routines from data/*.json, compiled in and typed.
//!
//! The data is embedded with `include_str!` and parsed once on first use. It is ours, not the
//! user's, so a parse failure is a bug in the data files; `tests/content_data.rs` parses and
//! cross-checks everything, so such a bug cannot ship.

use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::error::InputError;

/// The program's one not-a-diagnosis line: it ends every screen of health advice (red-flag
/// triage, routines, the coach) and is the `not_a_diagnosis` field of every `--json` triage.
pub const NOT_A_DIAGNOSIS: &str = "lumbar is not a diagnosis and cannot say what is wrong. See a doctor or \
physiotherapist if pain persists, gets worse or worries you, and in an emergency call your local emergency number.";

/// The article's section headings, as the `source` of an item names them after `article: `.
/// Two headings are questions of eight words or more; they are cut with "…" after their first
/// words, so that no heading is quoted at length (`tests/copycheck.rs`).
pub const ARTICLE_SECTIONS: &[&str] = &[
    "What causes lower back pain in runners?",
    "Poor running form",
    "Muscle imbalances",
    "Recognizing signs of overuse injuries",
    "How do you prevent lower back pain…",
    "Dynamic warm-up",
    "Stretch post-run",
    "Change the surface you run on",
    "Choosing the right running shoes",
    "Exercises to supplement your running efforts",
    "Strength training",
    "Swimming & cycling",
    "How to treat lower back pain…",
    "When to talk to a doctor",
];

/// Sources that are not the article: our general practice, or research cited in EVIDENCE.md.
pub const GENERAL_PRACTICE: &str = "general practice";

/// One piece of advice, answering one or more of the coach's risk factors.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Advice {
    /// Stable id; rules and routines refer to it.
    pub id: String,
    pub title: String,
    /// The advice, in the project's own words.
    pub text: String,
    /// Coach rule ids (and `one-sided`) this advice answers.
    pub factors: Vec<String>,
    /// `article: <section>`, `general practice`, or `EVIDENCE.md: <study>`.
    pub source: String,
    /// The routine that puts this advice into practice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routine: Option<String>,
    /// Research behind a number in the text, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    /// The details in the text that are general practice, not the article's (which the source
    /// names), so an article-sourced item never passes off our additions as the article's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub general_practice: Option<String>,
}

impl Advice {
    /// True when the item comes from the source article rather than general practice or research.
    pub fn from_article(&self) -> bool {
        is_article_source(&self.source)
    }
}

/// A routine a runner can follow, step by step.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Routine {
    pub id: String,
    pub title: String,
    pub when: String,
    pub summary: String,
    pub steps: Vec<Step>,
    /// Advice that is not a step (sleep, fluids), printed after the steps.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    pub sources: Vec<String>,
    /// Advice ids this routine carries out.
    #[serde(default)]
    pub advice: Vec<String>,
}

/// One step: what to do, how, and how much. Exactly one of `seconds` and `reps` is set.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub name: String,
    pub how: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seconds: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reps: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sets: Option<u32>,
    /// The dose is for each side (each leg, each direction).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub each_side: bool,
    /// What the move does for the back, when the article says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    /// `article: <section>` or `general practice`.
    pub source: String,
    /// In a step from the article, the details of `how` or `why` that are general practice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub general_practice: Option<String>,
}

/// How much of a step to do, per set (and per side when `each_side`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dose {
    Seconds(u32),
    Reps(u32),
}

impl Step {
    /// The dose; a hold of zero seconds if the data is broken (the data test rules that out).
    pub fn dose(&self) -> Dose {
        match (self.seconds, self.reps) {
            (_, Some(r)) => Dose::Reps(r),
            (Some(s), None) => Dose::Seconds(s),
            (None, None) => Dose::Seconds(0),
        }
    }

    /// Number of sets, at least one.
    pub fn sets(&self) -> u32 {
        self.sets.unwrap_or(1).max(1)
    }

    /// True when the step is our choice rather than the article's.
    pub fn is_general_practice(&self) -> bool {
        !is_article_source(&self.source)
    }

    /// "30 s each side", "10 reps × 3 sets", "3 min".
    pub fn dose_text(&self) -> String {
        let mut text = match self.dose() {
            Dose::Seconds(s) => seconds_text(s),
            Dose::Reps(r) => format!("{r} reps"),
        };
        if self.each_side {
            text.push_str(" each side");
        }
        if self.sets() > 1 {
            text.push_str(&format!(" × {} sets", self.sets()));
        }
        text
    }
}

/// "45 s", "3 min", "1 min 30 s".
pub fn seconds_text(s: u32) -> String {
    match (s / 60, s % 60) {
        (0, sec) => format!("{sec} s"),
        (min, 0) => format!("{min} min"),
        (min, sec) => format!("{min} min {sec} s"),
    }
}

impl fmt::Display for Dose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Dose::Seconds(s) => f.write_str(&seconds_text(*s)),
            Dose::Reps(r) => write!(f, "{r} reps"),
        }
    }
}

/// True for `article: <one of the article's sections>`.
pub fn is_article_source(source: &str) -> bool {
    source
        .strip_prefix("article: ")
        .is_some_and(|s| ARTICLE_SECTIONS.contains(&s))
}

#[derive(Deserialize)]
struct AdviceFile {
    advice: Vec<Advice>,
}

#[derive(Deserialize)]
struct RoutineFile {
    routines: Vec<Routine>,
}

/// Every advice item, in the order of the data file.
pub fn advice() -> &'static [Advice] {
    static ADVICE: OnceLock<Vec<Advice>> = OnceLock::new();
    ADVICE.get_or_init(|| {
        let file: AdviceFile = serde_json::from_str(include_str!("../data/advice.json"))
            .expect("data/advice.json is valid (checked by tests/content_data.rs)");
        file.advice
    })
}

/// The advice item with this id.
pub fn advice_by_id(id: &str) -> Option<&'static Advice> {
    advice().iter().find(|a| a.id == id)
}

/// Advice items answering a coach rule id (or `one-sided`).
pub fn advice_for_factor(factor: &str) -> Vec<&'static Advice> {
    advice()
        .iter()
        .filter(|a| a.factors.iter().any(|f| f == factor))
        .collect()
}

/// Every routine, in the order `lumbar routine` lists them.
pub fn routines() -> &'static [Routine] {
    static ROUTINES: OnceLock<Vec<Routine>> = OnceLock::new();
    ROUTINES.get_or_init(|| {
        let file: RoutineFile = serde_json::from_str(include_str!("../data/routines.json"))
            .expect("data/routines.json is valid (checked by tests/content_data.rs)");
        file.routines
    })
}

/// The routine with this id.
pub fn routine(id: &str) -> Option<&'static Routine> {
    routines().iter().find(|r| r.id == id)
}

/// The routine ids, for help text and suggestions.
pub fn routine_ids() -> Vec<&'static str> {
    routines().iter().map(|r| r.id.as_str()).collect()
}

/// A routine name typed by a person: case and surrounding space do not matter; anything else is
/// an input error naming the closest routine.
pub fn parse_routine(typed: &str) -> Result<&'static Routine, InputError> {
    let wanted = typed.trim().to_ascii_lowercase();
    routine(&wanted).ok_or_else(|| {
        let ids = routine_ids();
        InputError::new("routine", typed, &format!("one of {}", ids.join(", "))).suggesting(&ids)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_parses_and_is_not_empty() {
        assert!(advice().len() >= 20);
        assert_eq!(
            routine_ids(),
            [
                "warmup",
                "stretch",
                "strength",
                "pilates",
                "cross-training",
                "form",
                "relief"
            ]
        );
    }

    #[test]
    fn routine_names_are_forgiving_about_case_only() {
        assert_eq!(parse_routine(" Warmup ").map(|r| r.id.as_str()), Ok("warmup"));
        let e = parse_routine("warm-up").unwrap_err();
        assert_eq!(e.field, "routine");
        assert_eq!(e.suggestion.as_deref(), Some("warmup"));
        let e = parse_routine("pilats").unwrap_err();
        assert_eq!(e.suggestion.as_deref(), Some("pilates"));
        assert!(parse_routine("").is_err());
    }

    #[test]
    fn doses_read_naturally() {
        let step = |seconds, reps, sets, each_side| Step {
            name: "x".into(),
            how: "y".into(),
            seconds,
            reps,
            sets,
            each_side,
            why: None,
            source: GENERAL_PRACTICE.into(),
            general_practice: None,
        };
        assert_eq!(step(Some(30), None, None, true).dose_text(), "30 s each side");
        assert_eq!(step(None, Some(10), Some(3), false).dose_text(), "10 reps × 3 sets");
        assert_eq!(step(Some(180), None, Some(1), false).dose_text(), "3 min");
        assert_eq!(step(Some(90), None, None, false).dose_text(), "1 min 30 s");
        assert_eq!(
            step(None, Some(8), Some(2), true).dose_text(),
            "8 reps each side × 2 sets"
        );
        assert!(step(Some(1), None, None, false).is_general_practice());
    }

    #[test]
    fn article_sources_must_name_a_real_section() {
        assert!(is_article_source("article: Strength training"));
        assert!(!is_article_source("article: Strength"));
        assert!(!is_article_source("general practice"));
        assert!(!is_article_source("EVIDENCE.md: Malisoux 2015"));
    }
}
