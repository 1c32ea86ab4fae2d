//! `lumbar redflags`: the red-flag symptom check, from `--symptom`/`--none` or, on a terminal,
//! one yes/no question at a time; and `--seen`, which records that a clinician has seen the red
//! flags logged so far. The check itself never writes the store (stopping it with Ctrl-C leaves
//! nothing half-written); it only saves the age when asked to, after the result is shown.

use std::cell::RefCell;
use std::io::{self, BufRead, Write};

use anyhow::{Result, bail};
use serde_json::json;

use super::Ctx;
use super::pain::check_symptoms;
use crate::cli::RedflagsArgs;
use crate::error::{InputError, UsageError};
use crate::model::{DESCRIPTORS, Seen, WhenInput};
use crate::output::text::escape;
use crate::output::triage::{self, wrap_to};
use crate::output::views::{rfc3339, short_time};
use crate::redflags::{self, Ending, Level, Step, Triage};

pub fn run(ctx: &mut Ctx, a: RedflagsArgs) -> Result<()> {
    if a.list {
        return list(ctx);
    }
    if a.seen {
        return seen(ctx, a.date);
    }
    // Check what was typed before anything else.
    let symptoms = check_symptoms(&a.symptoms)?;
    let (age, store_readable) = match a.age {
        Some(n) => (Some(check_age(n)?), true),
        None => stored_age(ctx),
    };
    if a.none || !symptoms.is_empty() {
        return show(ctx, &redflags::triage(&symptoms, age));
    }
    if !ctx.out.interactive {
        return Err(refusal().into());
    }
    let done = ask(ctx, age)?;
    let t = redflags::triage(&done.yes, done.age);
    show(ctx, &t)?;
    // Only after the result, and never in the way of an emergency.
    match done.age {
        Some(n) if done.age_asked && t.level != Level::Emergency => offer_to_save(ctx, n, store_readable),
        _ => Ok(()),
    }
}

fn check_age(n: u32) -> Result<u32, InputError> {
    if (1..=120).contains(&n) {
        Ok(n)
    } else {
        Err(InputError::new("age", &n.to_string(), "whole years from 1 to 120"))
    }
}

/// The age from the config, and whether the store could be read. A safety check must work even
/// when the store cannot be read, so a broken store only costs the age (and unknown age takes
/// the careful answer).
fn stored_age(ctx: &mut Ctx) -> (Option<u32>, bool) {
    match ctx.load() {
        Ok(data) => (data.config.age, true),
        Err(e) => {
            ctx.out.warn(&format!(
                "cannot read your age from the store ({e:#}); checking without it"
            ));
            (None, false)
        }
    }
}

fn show(ctx: &Ctx, t: &Triage) -> Result<()> {
    if ctx.out.json {
        return ctx.out.json(t);
    }
    ctx.out.print(&triage::render(&ctx.out, t))
}

/// The age given during the check, saved as `config age` if the person says so.
fn offer_to_save(ctx: &Ctx, age: u32, store_readable: bool) -> Result<()> {
    if !store_readable {
        ctx.out.note(&format!(
            "Your age is not saved: the store cannot be read (`lumbar config set age {age}` once it is fixed)."
        ));
        return Ok(());
    }
    eprintln!();
    let question = format!("Save {age} as your age, so the check need not ask again (`lumbar config set age {age}`)?");
    if !ctx.confirm(&question)? {
        return Ok(());
    }
    let saved = ctx.store.update(|d| {
        d.config.age = Some(age);
        Ok(())
    });
    match saved {
        Ok(()) => ctx.out.note(&format!("Saved: age {age}.")),
        Err(e) => ctx.out.warn(&format!("could not save your age ({e:#})")),
    }
    Ok(())
}

/// `--seen [--date WHEN]`: appends `{"at"}` to `red_flags_seen` and says which logged red flags
/// that covers (those logged after the previous mark, up to this one).
fn seen(ctx: &mut Ctx, date: Option<WhenInput>) -> Result<()> {
    let now = ctx.settings.now;
    let at = match date {
        Some(w) => w.resolve_at(now, "date")?,
        None => now,
    };
    if at > now {
        return Err(InputError::new(
            "date",
            &at.format("%Y-%m-%d %H:%M").to_string(),
            "a time no later than now (a clinician can only have seen what is already logged)",
        )
        .into());
    }
    let (covered, previous) = ctx.store.update(|data| {
        let previous = data.red_flags_seen.iter().map(|s| s.at).max();
        let covered: Vec<(u64, chrono::DateTime<chrono::FixedOffset>, Vec<String>)> = data
            .pain
            .iter()
            .filter(|p| p.at <= at && previous.is_none_or(|m| p.at > m))
            .filter(|p| p.symptoms.iter().any(|s| redflags::is_red_flag(s)))
            .map(|p| {
                (
                    p.id,
                    p.at,
                    p.symptoms
                        .iter()
                        .filter(|s| redflags::is_red_flag(s))
                        .cloned()
                        .collect(),
                )
            })
            .collect();
        data.red_flags_seen.push(Seen { at });
        data.red_flags_seen.sort_by_key(|s| s.at);
        Ok((covered, previous))
    })?;
    if ctx.out.json {
        let covers: Vec<_> = covered
            .iter()
            .map(|(id, at, symptoms)| json!({ "id": id, "at": rfc3339(*at), "symptoms": symptoms }))
            .collect();
        return ctx.out.json(&json!({
            "seen": { "at": rfc3339(at) },
            "previous_at": previous.map(rfc3339),
            "covers": covers,
        }));
    }
    let mut lines = vec![format!(
        "Recorded: a clinician has seen the red flags logged up to {}.",
        short_time(at)
    )];
    if covered.is_empty() {
        let since = previous.map_or(String::new(), |m| format!(" since the last mark ({})", short_time(m)));
        lines.push(format!("No red-flag symptom was logged{since}."));
    } else {
        lines.push("This covers:".into());
        for (id, when, symptoms) in &covered {
            let names: Vec<String> = symptoms.iter().map(|s| escape(s).into_owned()).collect();
            lines.push(format!("  pain {id} · {} · {}", short_time(*when), names.join(", ")));
        }
    }
    lines.extend(wrap_to(
        ctx.out.prose_width(),
        "The coach now shows these as information only. A red flag logged after this counts again, \
         and a new or worse symptom needs checking again: run `lumbar redflags`.",
        "",
        "",
    ));
    ctx.out.print(&lines.join("\n"))
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
            text.push_str(&wrap_to(78, &ids.join(", "), &head, &" ".repeat(head.len())).join("\n"));
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
    use crate::output::{Column, Table};
    let mut t = Table::new(vec![
        Column::new("id"),
        // On a narrow terminal the level goes first: the question is what is read.
        Column::new("alone").priority(1),
        Column::new("question").wrap(),
    ]);
    for s in &cat.symptoms {
        t.row([s.id.as_str(), s.level.as_str(), s.question.as_str()]);
    }
    ctx.out.print(&ctx.out.render(&t))?;
    let footer = format!(
        "In the order the check asks them. {} depend on age (--age N, or `lumbar config set age N`; \
         unknown takes the careful answer). Combinations can raise the level. Also accepted, but not red \
         flags on their own: {}.",
        and_list(redflags::AGE_DEPENDENT),
        DESCRIPTORS.join(", ")
    );
    let lines = crate::output::text::wrap_lines(&footer, ctx.out.prose_width(), "", "");
    ctx.out.print(&format!("\n{}", lines.join("\n")))
}

/// "a, b and c".
fn and_list(items: &[&str]) -> String {
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => items.join(""),
    }
}

/// The interactive check on a terminal: questions on stderr, answers from stdin lines.
fn ask(ctx: &Ctx, age: Option<u32>) -> Result<redflags::Interview> {
    let stderr = crate::output::glyphs::Finishing::new(io::stderr().lock(), ctx.out.ascii());
    let io = RefCell::new((io::stdin().lock(), stderr));
    let width = ctx.out.prose_width();
    let intro = "A few yes/no questions about your back pain, the most serious first. Answer y or n; if you are \
                 not sure, answer y (getting checked is the safer side). Ctrl-C stops at any time; nothing is saved.";
    writeln!(io.borrow_mut().1, "{}", wrap_to(width, intro, "", "").join("\n"))?;
    let done = redflags::interview(
        age,
        |step| {
            let (input, err) = &mut *io.borrow_mut();
            read_answer(input, err, step, width)
        },
        || {
            let (input, err) = &mut *io.borrow_mut();
            read_age(input, err, width)
        },
    )?;
    drop(io);
    match done.ending {
        Ending::Complete => {}
        Ending::EmergencyStop => {
            ctx.out
                .note("\nStopping the questions here: that answer already needs emergency care.\n");
        }
        Ending::Unfinished if done.yes.is_empty() => {
            bail!(
                "the check stopped after {} questions (no more input) with no symptom reported, so it cannot \
                 say anything yet: run it again, or pass --symptom ID / --none",
                done.answered,
            )
        }
        Ending::Unfinished => {
            ctx.out
                .note("\nThe questions stopped early (no more input); this is what your answers so far mean.\n");
        }
    }
    Ok(done)
}

/// Asks one question and reads lines until a yes or a no. `None` at the end of input.
fn read_answer(
    input: &mut impl BufRead,
    out: &mut impl Write,
    step: Step<'_>,
    width: usize,
) -> io::Result<Option<bool>> {
    let head = format!("[{}/{}] ", step.number, step.total);
    writeln!(out)?;
    writeln!(
        out,
        "{}",
        wrap_to(width, step.question, &head, &" ".repeat(head.len())).join("\n")
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

/// Asks for the age, once a yes makes it matter. `None` when skipped (Enter) or at the end of input.
fn read_age(input: &mut impl BufRead, out: &mut impl Write, width: usize) -> io::Result<Option<u32>> {
    writeln!(out)?;
    writeln!(
        out,
        "{}",
        wrap_to(
            width,
            "Your age changes what that answer means. How old are you? (whole years; Enter to skip, \
             and lumbar takes the careful answer)",
            "",
            ""
        )
        .join("\n")
    )?;
    loop {
        write!(out, "age> ")?;
        out.flush()?;
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            writeln!(out)?;
            return Ok(None);
        }
        let typed = line.trim();
        if typed.is_empty() {
            return Ok(None);
        }
        match typed.parse::<u32>().ok().and_then(|n| check_age(n).ok()) {
            Some(n) => return Ok(Some(n)),
            None => writeln!(
                out,
                "Please type your age in whole years (1 to 120), or press Enter to skip."
            )?,
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
        let s = redflags::symptom("saddle-numbness").expect("in the catalogue");
        Step {
            number: 4,
            total: 24,
            id: &s.id,
            question: &s.question,
        }
    }

    fn answer(typed: &str) -> (io::Result<Option<bool>>, String) {
        let mut input = io::Cursor::new(typed.as_bytes().to_vec());
        let mut out = Vec::new();
        let got = read_answer(&mut input, &mut out, step(), 78);
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
        assert!(shown.contains("[4/24] Is there numbness"), "{shown}");
        assert!(shown.contains("If you are not sure, answer y."), "{shown}");
        assert_eq!(shown.matches("y/n> ").count(), 3, "{shown}");
    }

    #[test]
    fn end_of_input_is_no_answer() {
        assert_eq!(answer("").0.ok(), Some(None));
        assert_eq!(answer("what\n").0.ok(), Some(None));
    }

    fn age(typed: &str) -> (Option<u32>, String) {
        let mut input = io::Cursor::new(typed.as_bytes().to_vec());
        let mut out = Vec::new();
        let got = read_age(&mut input, &mut out, 78).expect("in memory");
        (got, String::from_utf8_lossy(&out).into_owned())
    }

    #[test]
    fn reads_an_age_or_a_skip() {
        assert_eq!(age("52\n").0, Some(52));
        assert_eq!(age(" 7 \n").0, Some(7));
        assert_eq!(age("\n").0, None, "Enter skips");
        assert_eq!(age("").0, None, "end of input skips");
        let (got, shown) = age("fifty\n0\n121\n64\n");
        assert_eq!(got, Some(64));
        assert_eq!(shown.matches("whole years (1 to 120)").count(), 3, "{shown}");
    }

    /// The whole interview, fed from a stdin-like buffer through the real line readers.
    #[test]
    fn interview_through_the_line_reader() {
        // No to chest pain, collapse and bladder-change, yes to saddle-numbness: stops there.
        let input = RefCell::new(io::Cursor::new(b"n\nn\nn\ny\nn\n".to_vec()));
        let out = RefCell::new(Vec::new());
        let done = redflags::interview(
            Some(40),
            |s| read_answer(&mut *input.borrow_mut(), &mut *out.borrow_mut(), s, 78),
            || read_age(&mut *input.borrow_mut(), &mut *out.borrow_mut(), 78),
        )
        .expect("in memory");
        assert_eq!(done.ending, Ending::EmergencyStop);
        assert_eq!(done.yes, ["saddle-numbness"]);
        let shown = String::from_utf8_lossy(&out.borrow()).into_owned();
        assert!(shown.contains("[1/23] Do you have pain in your chest"), "{shown}");
        assert!(shown.contains("[4/23]") && !shown.contains("[5/23]"), "{shown}");
        assert_eq!(redflags::triage(&done.yes, Some(40)).level, Level::Emergency);
    }

    #[test]
    fn the_age_is_asked_through_the_line_reader() {
        // Unknown age: no to everything up to minor-fall (the 18th question), yes to it, then 45.
        let mut typed = "n\n".repeat(17);
        typed.push_str("y\n45\n");
        typed.push_str(&"n\n".repeat(10));
        let input = RefCell::new(io::Cursor::new(typed.into_bytes()));
        let out = RefCell::new(Vec::new());
        let done = redflags::interview(
            None,
            |s| read_answer(&mut *input.borrow_mut(), &mut *out.borrow_mut(), s, 78),
            || read_age(&mut *input.borrow_mut(), &mut *out.borrow_mut(), 78),
        )
        .expect("in memory");
        assert_eq!(
            (done.yes.clone(), done.age, done.age_asked),
            (vec!["minor-fall".to_string()], Some(45), true)
        );
        assert_eq!(redflags::triage(&done.yes, done.age).level, Level::Soon);
        let shown = String::from_utf8_lossy(&out.borrow()).into_owned();
        assert!(shown.contains("How old are you?"), "{shown}");
        assert!(
            shown.contains("[18/24] Did the pain start after a small fall"),
            "{shown}"
        );
        assert!(
            shown.contains("[19/23]"),
            "at 45 the first-episode question is dropped: {shown}"
        );
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

    #[test]
    fn lists_read_as_english() {
        assert_eq!(and_list(&["a"]), "a");
        assert_eq!(and_list(&["a", "b", "c"]), "a, b and c");
    }
}
