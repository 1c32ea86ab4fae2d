//! `lumbar export`: the whole store as JSON (restorable by copying it in as `lumbar.json`), or
//! runs or pain entries as CSV for a spreadsheet.
//!
//! A file given with --output is written by `fsutil::write_new_file`, like the store itself: a
//! temp file in the same folder, fsynced, then moved into place, so a reader never sees half an
//! export. It never replaces the store, its backups or its lock, nor anything that is not a
//! regular file; without --force it never replaces an existing file, even one that appears
//! between our check and the write.
//!
//! CSV cells that a spreadsheet would run as a formula are neutralised (see [`cell`]).

use std::borrow::Cow;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use serde::Serialize;

use super::Ctx;
use crate::cli::{ExportArgs, ExportFormat, ExportWhat};
use crate::error::UsageError;
use crate::model::{Data, Units};
use crate::output::views::{PainView, RunView};
use crate::store;

pub fn run(ctx: &mut Ctx, a: ExportArgs) -> Result<()> {
    let to_stdout = a.output.as_deref().is_none_or(|p| p == Path::new("-"));
    if to_stdout && ctx.out.json && a.format == ExportFormat::Csv {
        return Err(UsageError(
            "--json prints one JSON document, so CSV cannot go to stdout with it: add --output FILE".into(),
        )
        .into());
    }
    let target = if to_stdout { None } else { a.output.clone() };
    let keep = ctx.store.keep();
    if let Some(path) = &target {
        // Refuse before any work; the write checks again.
        crate::fsutil::check_new_file(path, a.force, &keep, crate::fsutil::OutputFlag::OUTPUT)?;
    }
    let data = ctx.load()?;
    if a.format == ExportFormat::Json && a.what == ExportWhat::Pain {
        ctx.out
            .warn("--what applies to CSV; the JSON export is the whole store, pain entries included");
    }
    let (bytes, records) = render(&data, &a, ctx.units(&data.config))?;
    let Some(path) = target else {
        if data.is_empty() {
            ctx.out.note("the store is empty: nothing logged yet");
        }
        let mut out = std::io::stdout().lock();
        out.write_all(&bytes)?;
        return Ok(out.flush()?);
    };
    crate::fsutil::write_new_file(&path, &bytes, a.force, &keep, crate::fsutil::OutputFlag::OUTPUT)?;
    let (what, summary) = describe(&data, &a, records);
    if ctx.out.json {
        return ctx.out.json(&Written {
            path: &path,
            format: if a.format == ExportFormat::Json { "json" } else { "csv" },
            what,
            records,
            bytes: bytes.len(),
        });
    }
    ctx.out
        .done(&format!("Exported {summary} to {}", crate::fsutil::shown(&path)));
    Ok(())
}

/// The export's bytes and how many records they hold.
fn render(data: &Data, a: &ExportArgs, units: Units) -> Result<(Vec<u8>, usize)> {
    Ok(match (a.format, a.what) {
        (ExportFormat::Json, _) => (
            store::serialize(data)?,
            data.runs.len() + data.pain.len() + data.shoes.len(),
        ),
        (ExportFormat::Csv, ExportWhat::Runs) => (runs_csv(data, units)?, data.runs.len()),
        (ExportFormat::Csv, ExportWhat::Pain) => (pain_csv(data)?, data.pain.len()),
    })
}

/// The `what` of `--json` and the words of the confirmation.
fn describe(data: &Data, a: &ExportArgs, records: usize) -> (&'static str, String) {
    match (a.format, a.what) {
        (ExportFormat::Json, _) => (
            "store",
            format!(
                "the whole store ({}, {}, {})",
                count(data.runs.len(), "run"),
                count(data.pain.len(), "pain entry"),
                count(data.shoes.len(), "shoe")
            ),
        ),
        (ExportFormat::Csv, ExportWhat::Runs) => ("runs", count(records, "run")),
        (ExportFormat::Csv, ExportWhat::Pain) => ("pain", count(records, "pain entry")),
    }
}

/// What `--json export --output FILE` prints.
#[derive(Serialize)]
struct Written<'a> {
    path: &'a Path,
    format: &'static str,
    /// `store`, `runs` or `pain`.
    what: &'static str,
    records: usize,
    bytes: usize,
}

/// "1 run", "3 pain entries".
fn count(n: usize, one: &str) -> String {
    match (n, one.strip_suffix('y')) {
        (1, _) => format!("1 {one}"),
        (_, Some(stem)) => format!("{n} {stem}ies"),
        (_, None) => format!("{n} {one}s"),
    }
}

/// The runs, one row each, in time order. Metres and seconds for programs, then the same
/// distance and pace in the display units for people.
fn runs_csv(data: &Data, units: Units) -> Result<Vec<u8>> {
    let u = units.label();
    let mut w = csv::Writer::from_writer(Vec::new());
    let distance_col = format!("distance_{u}");
    let pace_col = format!("pace_per_{u}");
    w.write_record([
        "id",
        "start",
        "distance_m",
        "duration_s",
        "moving_s",
        "pace_s_per_km",
        "surface",
        "warmup",
        "stretch",
        "shoe_id",
        "shoe",
        "rpe",
        "notes",
        "source",
        distance_col.as_str(),
        "time",
        pace_col.as_str(),
    ])?;
    for r in &data.runs {
        let v = RunView::new(r, data);
        let pace_shown = r.pace().display(units);
        w.write_record([
            v.id.to_string(),
            v.start,
            v.distance_m.to_string(),
            v.duration_s.to_string(),
            opt(r.moving_s),
            v.pace_s_per_km.to_string(),
            v.surface.unwrap_or_default().to_string(),
            opt(v.warmup),
            opt(v.stretch),
            opt(v.shoe_id),
            cell(v.shoe.unwrap_or_default()).into_owned(),
            opt(v.rpe),
            cell(v.notes.unwrap_or_default()).into_owned(),
            cell(v.source.unwrap_or_default()).into_owned(),
            format!("{:.2}", r.distance().in_units(units)),
            r.duration().to_string(),
            pace_shown.split(' ').next().unwrap_or_default().to_string(),
        ])?;
    }
    w.into_inner().context("cannot finish the CSV")
}

/// The pain entries, one row each, in time order; several symptoms are joined with `;`.
fn pain_csv(data: &Data) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "id", "at", "level", "area", "side", "when", "run_id", "symptoms", "notes", "date", "band",
    ])?;
    for p in &data.pain {
        let v = PainView::new(p);
        w.write_record([
            v.id.to_string(),
            v.at,
            v.level.to_string(),
            v.area.to_string(),
            v.side.to_string(),
            v.when.unwrap_or_default().to_string(),
            opt(v.run_id),
            cell(&v.symptoms.join(";")).into_owned(),
            cell(v.notes.unwrap_or_default()).into_owned(),
            p.at.format("%Y-%m-%d %H:%M").to_string(),
            v.band.to_string(),
        ])?;
    }
    w.into_inner().context("cannot finish the CSV")
}

/// An unknown value is an empty cell, which spreadsheets and the csv crate read as missing.
fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// A text cell as a spreadsheet will not run it: a cell starting with `=`, `+`, `-`, `@`, tab or
/// carriage return is read as a formula (`=HYPERLINK(...)`, `=cmd|...`), so it gets a leading `'`,
/// as OWASP's CSV-injection guidance recommends. Numbers are not passed through here, and no
/// lumbar CSV has a negative number.
fn cell(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::{cell, count};

    #[test]
    fn formula_cells_are_neutralised() {
        for bad in ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(cell(bad), format!("'{bad}"), "{bad:?}");
        }
        for fine in ["easy run", "5 km", "", "a=b", "'quoted"] {
            assert_eq!(cell(fine), fine);
        }
    }

    #[test]
    fn counts_read_as_english() {
        assert_eq!(count(1, "run"), "1 run");
        assert_eq!(count(0, "run"), "0 runs");
        assert_eq!(count(2, "pain entry"), "2 pain entries");
        assert_eq!(count(1, "pain entry"), "1 pain entry");
    }
}
