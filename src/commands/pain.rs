//! `lumbar pain add|list|show|edit|rm`.

use anyhow::Result;
use serde_json::json;

use super::Ctx;
use super::run::{print_decision, print_flags, shown_after_entry};
use crate::cli::{ListArgs, PainAdd, PainCommand, PainDetails, PainEdit, PainRmArgs, RunRef};
use crate::error::{InputError, UsageError};
use crate::model::{Area, DESCRIPTORS, Data, Pain, Side};
use crate::output::decision::NextView;
use crate::output::flags::flag_views;
use crate::output::triage;
use crate::output::views::{PainView, pain_table, short_time};
use crate::rules::decision::{Timeline, decide_now};
use crate::rules::entry::Entry;
use crate::rules::{History, Thresholds};
use crate::{redflags, rules};

pub fn run(ctx: &mut Ctx, cmd: PainCommand) -> Result<()> {
    match cmd {
        PainCommand::Add(a) => add(ctx, a),
        PainCommand::List(a) => list(ctx, a),
        PainCommand::Show(a) => show(ctx, a.id),
        PainCommand::Edit(a) => edit(ctx, a),
        PainCommand::Rm(a) => rm(ctx, a),
    }
}

/// Checks every symptom name: a red-flag id or a plain descriptor.
pub fn check_symptoms(symptoms: &[String]) -> Result<Vec<String>, InputError> {
    let mut valid: Vec<&str> = DESCRIPTORS.to_vec();
    valid.extend_from_slice(redflags::SYMPTOM_IDS);
    let mut out: Vec<String> = Vec::new();
    for s in symptoms {
        let id = s.trim().to_ascii_lowercase().replace('_', "-");
        if !valid.contains(&id.as_str()) {
            let expected = format!(
                "a descriptor ({}) or a red-flag id (see `lumbar redflags --list`)",
                DESCRIPTORS.join(", ")
            );
            return Err(InputError::new("symptom", s, &expected).suggesting(&valid));
        }
        if !out.contains(&id) {
            out.push(id);
        }
    }
    Ok(out)
}

fn run_ref(data: &Data, r: RunRef, at: chrono::DateTime<chrono::FixedOffset>) -> Result<u64, InputError> {
    match r {
        RunRef::Id(id) => data.run(id).map(|r| r.id).ok_or_else(|| {
            InputError::new(
                "run",
                &id.to_string(),
                "the id of a logged run (see `lumbar run list`) or `last`",
            )
        }),
        RunRef::Last => data
            .runs
            .iter()
            .rev()
            .find(|r| r.start <= at)
            .map(|r| r.id)
            .ok_or_else(|| InputError::new("run", "last", "a logged run before this pain entry (you have none yet)")),
    }
}

fn add(ctx: &mut Ctx, a: PainAdd) -> Result<()> {
    let d = a.details;
    let symptoms = check_symptoms(&d.symptoms)?;
    let now = ctx.settings.now;
    let at = match d.date {
        Some(w) => w.resolve_at(now, "date")?,
        None => now,
    };
    // A red flag is said first, before the store is written, and said even when the store
    // cannot be read or written: a store that cannot be read costs the age (the careful
    // answer) and the earlier entries, never the advice. The earlier red flags still open count
    // with this entry (a cancer history, and now pain down a leg), as in the coach.
    let result = if symptoms.iter().any(|s| redflags::can_raise(s)) {
        let stored = ctx.load().ok();
        let mut entry = Pain::new(at, a.level);
        entry.symptoms = symptoms.clone();
        entry.id = stored.as_ref().map_or(0, |d| d.next_id.pain);
        let age = stored.as_ref().and_then(|d| d.config.age);
        redflags::for_new_entry(stored.as_ref(), &entry, age, now)
    } else {
        None
    };
    if let Some(t) = result.as_ref().filter(|_| !ctx.out.json) {
        // Never silenced: under -q it goes to stderr, so stdout holds only the new id.
        ctx.out.essential(&format!("{}\n", triage::render(&ctx.out, t)))?;
    }
    // Under --json the triage is in the one document; if the entry cannot be logged, it still is.
    let unlogged = |ctx: &Ctx| {
        if let Some(t) = result.as_ref().filter(|_| ctx.out.json) {
            let _ = ctx
                .out
                .json(&json!({ "pain": null, "triage": t, "flags": [], "next": null }));
        }
    };
    let pain = Pain {
        id: 0,
        at,
        level: a.level,
        area: d.area.unwrap_or(Area::LowerBack),
        side: d.side.unwrap_or(Side::Center),
        when: d.when,
        run_id: None,
        symptoms,
        notes: d.notes.filter(|n| !n.is_empty()),
    };
    let settings = ctx.settings;
    // As for `run add`: one read, one evaluation of the recent history, one write.
    let (entry, units, flags, next) = ctx
        .store
        .update(|data| {
            let mut pain = pain;
            pain.run_id = d.run.map(|r| run_ref(data, r, at)).transpose()?;
            let id = data.add_pain(pain);
            let (entry, mut flags) = {
                let entry = data.pain_entry(id).expect("just added");
                let h = History::recent(data, entry.at, now, Thresholds::from_config(&data.config));
                let flags = rules::entry::flags_after(&h, Entry::Pain(entry), &data.flags_shown);
                (entry.clone(), shown_after_entry(&settings, flags))
            };
            rules::entry::remember(&mut data.flags_shown, &flags, now);
            let next = decide_now(&Timeline::new(data), now);
            crate::rules::fit_advice_to(&next, &mut flags);
            Ok((entry, settings.units(&data.config), flags, next))
        })
        .inspect_err(|_| unlogged(ctx))?;
    if ctx.out.json {
        return ctx.out.json(&json!({
            "pain": PainView::new(&entry),
            "triage": result,
            "flags": flag_views(&flags, units),
            "next": NextView::new(&next, units),
        }));
    }
    if ctx.out.quiet {
        // `-q`: the new id alone on stdout, for scripts.
        ctx.out.print(&entry.id.to_string())?;
    }
    ctx.out.done(
        &ctx.out
            .wrap_on_terminal(&format!("Logged pain {}: {}", entry.id, describe(&entry)), "", "  "),
    );
    // The answer first (the light and the cap), then what the entry raised.
    print_decision(ctx, units, &next)?;
    print_flags(ctx, units, &flags)
}

fn describe(p: &Pain) -> String {
    let mut parts = vec![
        short_time(p.at),
        format!("{} ({})", p.level, p.level.band()),
        format!("{} {}", p.side, p.area),
    ];
    if let Some(w) = p.when {
        parts.push(w.to_string());
    }
    if let Some(r) = p.run_id {
        parts.push(format!("after run {r}"));
    }
    if !p.symptoms.is_empty() {
        parts.push(p.symptoms.join(", "));
    }
    parts.join(" · ")
}

fn list(ctx: &mut Ctx, a: ListArgs) -> Result<()> {
    let data = ctx.load()?;
    let now = ctx.settings.now;
    let since = a.since.map(|w| w.bound(now, false, "since")).transpose()?;
    let until = a.until.map(|w| w.bound(now, true, "until")).transpose()?;
    let mut entries: Vec<&Pain> = data
        .pain
        .iter()
        .rev()
        .filter(|p| since.is_none_or(|s| p.at >= s) && until.is_none_or(|u| p.at <= u))
        .collect();
    if let Some(n) = a.limit {
        entries.truncate(n);
    }
    if ctx.out.json {
        let views: Vec<PainView> = entries.iter().map(|p| PainView::new(p)).collect();
        return ctx.out.json(&json!({ "pain": views }));
    }
    if entries.is_empty() {
        let hint = if data.pain.is_empty() {
            "no pain entries yet: log one with `lumbar pain add 3`"
        } else {
            "no pain entries in that range"
        };
        ctx.out.note(hint);
        return Ok(());
    }
    ctx.out.print(&ctx.out.render(&pain_table(entries.into_iter())))
}

fn find(data: &Data, id: u64) -> Result<&Pain, InputError> {
    data.pain_entry(id).ok_or_else(|| {
        InputError::new(
            "pain id",
            &id.to_string(),
            "the id of a pain entry (see `lumbar pain list`)",
        )
    })
}

fn show(ctx: &mut Ctx, id: u64) -> Result<()> {
    let data = ctx.load()?;
    let p = find(&data, id)?;
    if ctx.out.json {
        return ctx.out.json(&json!({ "pain": PainView::new(p) }));
    }
    ctx.out.print(&ctx.out.render(&pain_table(std::iter::once(p))))?;
    if let Some(n) = &p.notes {
        ctx.out.print(&format!("notes: {}", crate::output::text::escape(n)))?;
    }
    Ok(())
}

fn edit(ctx: &mut Ctx, a: PainEdit) -> Result<()> {
    let d = &a.details;
    let nothing = a.level.is_none()
        && d.area.is_none()
        && d.side.is_none()
        && d.when.is_none()
        && d.run.is_none()
        && d.symptoms.is_empty()
        && d.date.is_none()
        && d.notes.is_none();
    if nothing {
        return Err(UsageError(
            "nothing to change: give at least one option, e.g. --level 2 (see `lumbar pain edit --help`)".into(),
        )
        .into());
    }
    let symptoms = if d.symptoms.is_empty() {
        None
    } else {
        Some(check_symptoms(&d.symptoms)?)
    };
    let now = ctx.settings.now;
    let at = d.date.map(|w| w.resolve_at(now, "date")).transpose()?;
    ctx.load()?;
    let entry = ctx.store.update(|data| {
        let run = match d.run {
            Some(r) => {
                let at = at.or_else(|| data.pain_entry(a.id).map(|p| p.at)).unwrap_or(now);
                Some(run_ref(data, r, at)?)
            }
            None => None,
        };
        let p = data.pain.iter_mut().find(|p| p.id == a.id);
        let p = p.ok_or_else(|| {
            InputError::new(
                "pain id",
                &a.id.to_string(),
                "the id of a pain entry (see `lumbar pain list`)",
            )
        })?;
        apply(p, &a, d, symptoms, at, run);
        let p = p.clone();
        data.sort();
        Ok(p)
    })?;
    if ctx.out.json {
        return ctx.out.json(&json!({ "pain": PainView::new(&entry) }));
    }
    ctx.out
        .done(&format!("Updated pain {}: {}", entry.id, describe(&entry)));
    Ok(())
}

fn apply(
    p: &mut Pain,
    a: &PainEdit,
    d: &PainDetails,
    symptoms: Option<Vec<String>>,
    at: Option<chrono::DateTime<chrono::FixedOffset>>,
    run: Option<u64>,
) {
    if let Some(l) = a.level {
        p.level = l;
    }
    if let Some(x) = d.area {
        p.area = x;
    }
    if let Some(x) = d.side {
        p.side = x;
    }
    if let Some(x) = d.when {
        p.when = Some(x);
    }
    if let Some(r) = run {
        p.run_id = Some(r);
    }
    if let Some(s) = symptoms {
        p.symptoms = s;
    }
    if let Some(t) = at {
        p.at = t;
    }
    if let Some(n) = &d.notes {
        p.notes = if n.is_empty() { None } else { Some(n.clone()) };
    }
}

fn rm(ctx: &mut Ctx, a: PainRmArgs) -> Result<()> {
    let data = ctx.load()?;
    let p = find(&data, a.id)?;
    let what = format!("pain entry {} ({}, {})", p.id, short_time(p.at), p.level);
    if !ctx.confirm_removal(&what, a.yes)? {
        ctx.out.note("kept it");
        return Ok(());
    }
    ctx.store.update(|data| {
        let before = data.pain.len();
        data.pain.retain(|p| p.id != a.id);
        if data.pain.len() == before {
            return Err(InputError::new(
                "pain id",
                &a.id.to_string(),
                "the id of a pain entry (it was just removed)",
            )
            .into());
        }
        Ok(())
    })?;
    if ctx.out.json {
        return ctx.out.json(&json!({ "removed": { "pain_id": a.id } }));
    }
    ctx.out.done(&format!("Removed {what}"));
    Ok(())
}
