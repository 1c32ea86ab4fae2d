//! Strava bulk exports: `activities.csv`, the activity files it links, and `shoes.csv`.
//!
//! The CSV repeats some column names: the first "Elapsed Time" and "Distance" are display values
//! (distance in km for runs, and written like "1,073" for swims), the second ones the raw metric
//! values (seconds, metres), which we prefer. "Activity Date" has no zone and is UTC. When the
//! row's "Filename" (e.g. `activities/123.fit.gz`) exists beside the CSV, that file's own data is
//! used (exact start, device totals, heart rate); otherwise the CSV's numbers are. Only rows whose
//! "Activity Type" is a kind of run (Run, Trail Run, Virtual Run) are runs. Cadence in the CSV
//! counts one foot, like the device files, and is doubled to steps per minute.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, NaiveDateTime};

use super::{Activity, Found, ImportError, Sport, sport_from_name, steps_per_minute};

pub const ACTIVITIES_CSV: &str = "activities.csv";
pub const SHOES_CSV: &str = "shoes.csv";

/// True when text starts like Strava's activities.csv header.
pub fn is_activities_header(text: &[u8]) -> bool {
    let text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
    text.starts_with(b"Activity ID,Activity Date,")
}

/// A folder holding a Strava export: an `activities.csv` with Strava's header.
pub fn is_export_folder(dir: &Path) -> bool {
    let path = dir.join(ACTIVITIES_CSV);
    let mut head = [0u8; 64];
    let Ok(mut f) = std::fs::File::open(&path) else {
        return false;
    };
    let n = std::io::Read::read(&mut f, &mut head).unwrap_or(0);
    is_activities_header(&head[..n])
}

/// Column positions by name; `nth` picks the first (0) or second (1) column of that name.
struct Columns(HashMap<String, Vec<usize>>);

impl Columns {
    fn new(headers: &csv::StringRecord) -> Self {
        let mut map: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, h) in headers.iter().enumerate() {
            map.entry(h.trim().trim_start_matches('\u{feff}').to_string())
                .or_default()
                .push(i);
        }
        Columns(map)
    }

    fn get<'r>(&self, row: &'r csv::StringRecord, name: &str, nth: usize) -> Option<&'r str> {
        let i = *self.0.get(name)?.get(nth)?;
        row.get(i).map(str::trim).filter(|v| !v.is_empty())
    }

    /// The raw (second) column when there is one and it holds a number, else the first.
    fn raw_number(&self, row: &csv::StringRecord, name: &str) -> Option<(f64, bool)> {
        if let Some(v) = self.get(row, name, 1).and_then(number) {
            return Some((v, true));
        }
        self.get(row, name, 0).and_then(number).map(|v| (v, false))
    }
}

/// A number as Strava writes it, with thousands separators dropped ("1,073" is 1073).
fn number(s: &str) -> Option<f64> {
    let v: f64 = s.replace(',', "").trim().parse().ok()?;
    v.is_finite().then_some(v)
}

/// "Feb 3, 2024, 7:12:45 AM" and the other layouts Strava writes, all UTC.
pub fn parse_date(raw: &str) -> Option<DateTime<FixedOffset>> {
    let s: String = raw
        .chars()
        .map(|c| if c == '\u{202f}' || c == '\u{a0}' { ' ' } else { c })
        .collect();
    let s = s.trim();
    for fmt in [
        "%b %d, %Y, %I:%M:%S %p",
        "%b %d, %Y %I:%M:%S %p",
        "%d %b %Y, %H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(t.and_utc().fixed_offset());
        }
    }
    DateTime::parse_from_rfc3339(s).ok()
}

/// A row of `activities.csv`: done, or waiting for its linked file to be read.
#[derive(Debug)]
pub enum Row {
    Done(Found),
    /// The linked file exists; `fallback` is the row's own numbers, used if the file fails.
    Linked {
        file: PathBuf,
        gear: Option<String>,
        fallback: Found,
    },
}

impl Row {
    /// Reads the linked file, if any: its own data wins, the CSV's numbers are the fallback.
    pub fn resolve(&self) -> Found {
        match self {
            Row::Done(f) => f.clone(),
            Row::Linked { file, gear, fallback } => {
                let from_file = super::read_path(file).ok().and_then(|items| {
                    items.into_iter().find_map(|f| match f {
                        Found::Activity(a) => Some(a),
                        Found::Nothing { .. } => None,
                    })
                });
                match from_file {
                    Some(mut a) => {
                        a.sport = Sport::Run;
                        a.gear = gear.clone();
                        Found::Activity(a)
                    }
                    None => fallback.clone(),
                }
            }
        }
    }
}

/// Reads `activities.csv` and the files it links, one after another.
pub fn read_csv(path: &Path) -> Result<Vec<Found>, ImportError> {
    Ok(read_rows(path)?.iter().map(Row::resolve).collect())
}

/// Reads `activities.csv`; linked files are looked for beside it but not read yet.
pub fn read_rows(path: &Path) -> Result<Vec<Row>, ImportError> {
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let csv_source = super::source_name(path);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .map_err(|e| ImportError::new(format!("cannot read it: {e}")))?;
    let headers = reader
        .headers()
        .map_err(|e| ImportError::new(format!("damaged CSV header: {e}")))?
        .clone();
    let cols = Columns::new(&headers);
    for needed in ["Activity Date", "Activity Type"] {
        if !cols.0.contains_key(needed) {
            return Err(ImportError::new(format!(
                "no \"{needed}\" column: not a Strava activities.csv"
            )));
        }
    }
    let mut found = Vec::new();
    for (line, row) in reader.records().enumerate() {
        let row = row.map_err(|e| ImportError::new(format!("damaged CSV near row {}: {e}", line + 2)))?;
        found.push(read_row(&cols, &row, &dir, &csv_source));
    }
    if found.is_empty() {
        found.push(Row::Done(Found::Nothing {
            source: csv_source,
            reason: "no activities in the CSV".into(),
        }));
    }
    Ok(found)
}

fn read_row(cols: &Columns, row: &csv::StringRecord, dir: &Path, csv_source: &str) -> Row {
    let id = cols.get(row, "Activity ID", 0).unwrap_or("?");
    let source = format!("{csv_source} (activity {id})");
    let kind = cols.get(row, "Activity Type", 0).unwrap_or("");
    let sport = sport_from_name(kind);
    if sport != Sport::Run {
        let kind = if kind.is_empty() { "activity with no type" } else { kind };
        return Row::Done(Found::Nothing {
            source,
            reason: format!("a {kind}, not a run"),
        });
    }
    let gear = cols.get(row, "Activity Gear", 0).map(str::to_string);
    let fallback = csv_numbers(cols, row, sport, gear.clone(), source);
    // The linked file, when it is there, knows the run best.
    // Only a file inside the export folder: a "Filename" that is absolute or climbs out with
    // `..` is ignored, so a crafted CSV cannot make lumbar read elsewhere.
    let inside = |f: &&str| {
        Path::new(f)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
    };
    match cols.get(row, "Filename", 0).filter(inside).map(|f| dir.join(f)) {
        Some(file) if file.is_file() => Row::Linked { file, gear, fallback },
        _ => Row::Done(fallback),
    }
}

/// The run as the CSV row describes it.
fn csv_numbers(cols: &Columns, row: &csv::StringRecord, sport: Sport, gear: Option<String>, source: String) -> Found {
    let nothing = |reason: String| Found::Nothing {
        source: source.clone(),
        reason,
    };
    let Some(start) = cols.get(row, "Activity Date", 0).and_then(parse_date) else {
        return nothing("no readable \"Activity Date\"".into());
    };
    let Some((elapsed_s, _)) = cols.raw_number(row, "Elapsed Time") else {
        return nothing("no \"Elapsed Time\"".into());
    };
    let distance_m = match cols.raw_number(row, "Distance") {
        Some((m, true)) => m,
        // Only the display column: kilometres for runs.
        Some((km, false)) => km * 1000.0,
        None => 0.0,
    };
    let num = |name: &str| cols.get(row, name, 0).and_then(number).filter(|v| *v > 0.0);
    Found::Activity(Activity {
        sport,
        start,
        distance_m,
        elapsed_s,
        moving_s: num("Moving Time"),
        avg_hr: num("Average Heart Rate"),
        avg_cadence: num("Average Cadence").map(steps_per_minute),
        gear,
        source,
    })
}

/// Shoe names from `shoes.csv` beside `activities.csv`: the shoe's own name, or brand and model.
pub fn shoe_names(dir: &Path) -> Result<Vec<String>, ImportError> {
    let path = dir.join(SHOES_CSV);
    if !path.is_file() {
        return Ok(Vec::new());
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(&path)
        .map_err(|e| ImportError::new(format!("cannot read {}: {e}", path.display())))?;
    let headers = reader
        .headers()
        .map_err(|e| ImportError::new(format!("damaged header in {}: {e}", path.display())))?
        .clone();
    let cols = Columns::new(&headers);
    let mut names = Vec::new();
    for row in reader.records() {
        let row = row.map_err(|e| ImportError::new(format!("damaged row in {}: {e}", path.display())))?;
        let name = cols.get(&row, "Shoe Name", 0).map(str::to_string).or_else(|| {
            let brand = cols.get(&row, "Shoe Brand", 0).unwrap_or("");
            let model = cols.get(&row, "Shoe Model", 0).unwrap_or("");
            let both = format!("{brand} {model}").trim().to_string();
            (!both.is_empty()).then_some(both)
        });
        if let Some(n) = name
            && !names.iter().any(|x: &String| x.eq_ignore_ascii_case(&n))
        {
            names.push(n);
        }
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_strava_layouts() {
        let want = DateTime::parse_from_rfc3339("2024-02-03T07:12:45Z").unwrap();
        assert_eq!(parse_date("Feb 3, 2024, 7:12:45 AM"), Some(want));
        assert_eq!(parse_date("Feb 03, 2024, 07:12:45 AM"), Some(want));
        assert_eq!(parse_date("Feb 3, 2024, 7:12:45\u{202f}AM"), Some(want));
        assert_eq!(parse_date("3 Feb 2024, 07:12:45"), Some(want));
        assert_eq!(parse_date("2024-02-03 07:12:45"), Some(want));
        let pm = DateTime::parse_from_rfc3339("2024-02-03T19:12:45Z").unwrap();
        assert_eq!(parse_date("Feb 3, 2024, 7:12:45 PM"), Some(pm));
        assert_eq!(
            parse_date("Feb 3, 2024, 12:00:00 AM").unwrap().to_rfc3339(),
            "2024-02-03T00:00:00+00:00"
        );
        assert_eq!(parse_date("yesterday"), None);
    }

    #[test]
    fn numbers_with_thousands_separators() {
        assert_eq!(number("1,073"), Some(1073.0));
        assert_eq!(number("10.02"), Some(10.02));
        assert_eq!(number(""), None);
    }
}
