//! `lumbar redflags`: the red-flag symptom check, from `--symptom`/`--none` or, on a terminal,
//! one yes/no question at a time. It never writes the store, so stopping it (Ctrl-C) at any
//! point leaves nothing half-written.

use std::io::{self, BufRead, Write};

use anyhow::{Result, bail};
use serde_json::json;

use super::Ctx;
use super::pain::check_symptoms;
use crate::cli::RedflagsArgs;
use crate::error::{InputError, UsageError};
use crate::model::DESCRIPTORS;
use crate::output::triage::{self, wrap};
use crate::redflags::{self, Ending, Level, Step, Triage};

pub fn run(ctx: &mut Ctx, a: RedflagsArgs) -> Result<()> {
    if a.list {
        return list(ctx);
    }
    // Check what was typed before anything else.
    let symptoms = check_symptoms(&a.symptoms)?;
    let age = match a.age {
        Some(n) => Some(check_age(n)?),
        None => stored_age(ctx),
    };
    let symptoms = if a.none || !symptoms.is_empty() {
        symptoms
    } else if ctx.out.interactive {
        ask(ctx, age)?
    } else {
        return Err(refusal().into());
    };
    show(ctx, &redflags::triage(&symptoms, age))
}

fn check_age(n: u32) -> Result<u32, InputError> {
    if (1..=120).contains(&n) {
        Ok(n)
    } else {
        Err(InputError::new("age", &n.to_string(), "whole years from 1 to 120"))
    }
}

/// The age from the config. A safety check must work even when the store cannot be read, so a
/// broken store only costs the age (and unknown age takes the careful answer).
fn stored_age(ctx: &mut Ctx) -> Option<u32> {
    match ctx.load() {
        Ok(data) => data.config.age,
        Err(e) => {
            ctx.out.warn(&format!(
                "cannot read your age from the store ({e:#}); checking without it"
            ));
            None
        }
    }
}

fn show(ctx: &Ctx, t: &Triage) -> Result<()> {
    if ctx.out.json {
        return ctx.out.json(t);
    }
    ctx.out.print(&triage::render(&ctx.out, t))
}

/// Off a terminal with no answers: say which flags give them, and which symptoms there are.
fn refusal() -> UsageError {
    let mut text = String::from(
        "no answers given, and no terminal to ask the questions on.\n  \
         pass --symptom ID for each symptom you have, or --none if none apply\n  \
         (each id with its question: lumbar redflags --list). The ids, by level:",
    );
    for level in Level::ALL {
        let ids: Vec<&str> = redflags::catalogue()
            .symptoms
            .iter()
            .filter(|s| s.level == level)
            .map(|s| s.id.as_str())
            .collect();
        if !ids.is_empty() {
            let head = format!("    {level}: ");
            text.push('\n');
            text.push_str(&wrap(&ids.join(", "), &head, &" ".repeat(head.len())).join("\n"));
        }
    }
    UsageError(text)
}

/// `--list`: every id with its question.
fn list(ctx: &mut Ctx) -> Result<()> {
    let cat = redflags::catalogue();
    if ctx.out.json {
        return ctx
            .out
            .json(&json!({ "symptoms": cat.symptoms, "descriptors": DESCRIPTORS }));
    }
    let mut t = ctx.out.table(&["id", "alone", "question"]);
    for s in &cat.symptoms {
        t.add_row(vec![s.id.as_str(), s.level.as_str(), s.question.as_str()]);
    }
    crate::output::Output::keep_width(&mut t, &[0, 1]);
    ctx.out.print(&t.to_string())?;
    let footer = format!(
        "minor-fall, steroids-osteoporosis and first-episode depend on age (--age N, or `lumbar config set age N`). \
         Combinations can raise the level. Also accepted, but not red flags: {}.",
        DESCRIPTORS.join(", ")
    );
    ctx.out.print(&format!("\n{}", wrap(&footer, "", "").join("\n")))
}

/// The interactive check on a terminal: questions on stderr, answers from stdin lines.
fn ask(ctx: &Ctx, age: Option<u32>) -> Result<Vec<String>> {
    let mut input = io::stdin().lock();
    let mut err = io::stderr().lock();
    let intro = "A few yes/no questions about your back pain, the most serious first. Answer y or n; if you are \
                 not sure, answer y (getting checked is the safer side). Ctrl-C stops at any time; nothing is saved.";
    writeln!(err, "{}", wrap(intro, "", "").join("\n"))?;
    let done = redflags::interview(age, |step| read_answer(&mut input, &mut err, step))?;
    drop(err);
    match done.ending {
        Ending::Complete => {}
        Ending::EmergencyStop => {
            ctx.out
                .note("\nStopping the questions here: that answer already needs emergency care.\n");
        }
        Ending::Unfinished if done.yes.is_empty() => {
            bail!(
                "the check stopped after {} of {} questions (no more input) with no symptom reported, so it cannot \
                 say anything yet: run it again, or pass --symptom ID / --none",
                done.answered,
                redflags::question_order(age).len()
            )
        }
        Ending::Unfinished => {
            ctx.out
                .note("\nThe questions stopped early (no more input); this is what your answers so far mean.\n");
        }
    }
    Ok(done.yes)
}

/// Asks one question and reads lines until a yes or a no. `None` at the end of input.
fn read_answer(input: &mut impl BufRead, out: &mut impl Write, step: Step<'_>) -> io::Result<Option<bool>> {
    let head = format!("[{}/{}] ", step.number, step.total);
    writeln!(out)?;
    writeln!(
        out,
        "{}",
        wrap(&step.symptom.question, &head, &" ".repeat(head.len())).join("\n")
    )?;
    loop {
        write!(out, "{}y/n> ", " ".repeat(head.len()))?;
        out.flush()?;
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            writeln!(out)?;
            return Ok(None);
        }
        match parse_answer(&line) {
            Some(yes) => return Ok(Some(yes)),
            None if line.trim().is_empty() => writeln!(out, "Please answer y or n.")?,
            None => writeln!(out, "Please answer y or n. If you are not sure, answer y.")?,
        }
    }
}

fn parse_answer(line: &str) -> Option<bool> {
    match line.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" => Some(true),
        "n" | "no" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step() -> Step<'static> {
        Step {
            number: 2,
            total: 23,
            symptom: redflags::symptom("saddle-numbness").expect("in the catalogue"),
        }
    }

    fn answer(typed: &str) -> (io::Result<Option<bool>>, String) {
        let mut input = io::Cursor::new(typed.as_bytes().to_vec());
        let mut out = Vec::new();
        let got = read_answer(&mut input, &mut out, step());
        (got, String::from_utf8_lossy(&out).into_owned())
    }

    #[test]
    fn reads_yes_and_no_in_any_case() {
        for (typed, want) in [("y\n", true), ("YES\n", true), (" n \n", false), ("No\n", false)] {
            assert_eq!(answer(typed).0.ok(), Some(Some(want)), "{typed:?}");
        }
    }

    #[test]
    fn asks_again_until_it_gets_an_answer() {
        let (got, shown) = answer("maybe\n\ny\n");
        assert_eq!(got.ok(), Some(Some(true)));
        assert!(shown.contains("[2/23] Is there numbness"), "{shown}");
        assert!(shown.contains("If you are not sure, answer y."), "{shown}");
        assert_eq!(shown.matches("y/n> ").count(), 3, "{shown}");
    }

    #[test]
    fn end_of_input_is_no_answer() {
        assert_eq!(answer("").0.ok(), Some(None));
        assert_eq!(answer("what\n").0.ok(), Some(None));
    }

    /// The whole interview, fed from a stdin-like buffer through the real line reader.
    #[test]
    fn interview_through_the_line_reader() {
        // No to bladder-change, yes to saddle-numbness: stops there, the third line is never read.
        let mut input = io::Cursor::new(b"n\ny\nn\n".to_vec());
        let mut out = Vec::new();
        let done = redflags::interview(Some(40), |s| read_answer(&mut input, &mut out, s)).expect("in memory");
        assert_eq!(done.ending, Ending::EmergencyStop);
        assert_eq!(done.yes, ["saddle-numbness"]);
        let shown = String::from_utf8_lossy(&out);
        assert!(
            shown.contains("[1/22]") && shown.contains("[2/22]") && !shown.contains("[3/22]"),
            "{shown}"
        );
        assert_eq!(redflags::triage(&done.yes, Some(40)).level, Level::Emergency);
    }

    #[test]
    fn age_range() {
        assert!(check_age(0).is_err());
        assert_eq!(check_age(1).ok(), Some(1));
        assert_eq!(check_age(120).ok(), Some(120));
        assert!(check_age(121).is_err());
    }

    #[test]
    fn refusal_names_the_flags_and_every_id() {
        let text = refusal().0;
        assert!(text.contains("--symptom") && text.contains("--none"), "{text}");
        for id in redflags::SYMPTOM_IDS {
            assert!(text.contains(id), "{id} missing from:\n{text}");
        }
    }
}
