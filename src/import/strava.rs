//! Strava bulk exports: `activities.csv`, the activity files it links, and `shoes.csv`.
//!
//! The CSV is written in the account's language: the headers may not be English, and the dates
//! are written the way that language writes them ([`parse_date`]). Its first forty columns are the
//! same in every layout seen, so a header that is not English is read by position. Some column
//! names repeat: the first "Elapsed Time" and "Distance" are display values (distance in km for
//! runs, and written like "1,073" for swims), the second ones the raw metric values (seconds,
//! metres), which we prefer. "Activity Date" has no zone and is UTC. When the row's "Filename"
//! (e.g. `activities/123.fit.gz`) is in the export, that file's own data is used (exact start,
//! device totals, heart rate), with the row's sport and gear; otherwise the CSV's numbers are.
//! Cadence in the CSV counts one foot, like the device files, and is doubled to steps per minute.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Component, Path};

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::{Activity, Found, ImportError, SkipKind, SpeedFacts, Sport, sport, steps_per_minute};

pub const ACTIVITIES_CSV: &str = "activities.csv";
pub const SHOES_CSV: &str = "shoes.csv";

/// The first forty columns of every activities.csv layout seen (94 and 99 columns), in English.
const LAYOUT: [&str; 40] = [
    "Activity ID",
    "Activity Date",
    "Activity Name",
    "Activity Type",
    "Activity Description",
    "Elapsed Time",
    "Distance",
    "Max Heart Rate",
    "Relative Effort",
    "Commute",
    "Activity Private Note",
    "Activity Gear",
    "Filename",
    "Athlete Weight",
    "Bike Weight",
    "Elapsed Time",
    "Moving Time",
    "Distance",
    "Max Speed",
    "Average Speed",
    "Elevation Gain",
    "Elevation Loss",
    "Elevation Low",
    "Elevation High",
    "Max Grade",
    "Average Grade",
    "Average Positive Grade",
    "Average Negative Grade",
    "Max Cadence",
    "Average Cadence",
    "Max Heart Rate",
    "Average Heart Rate",
    "Max Watts",
    "Average Watts",
    "Calories",
    "Max Temperature",
    "Average Temperature",
    "Relative Effort",
    "Total Work",
    "Number of Runs",
];

/// True when text starts like Strava's activities.csv header: in English, or in any language
/// when its first line has the layout's repeated columns where the layout repeats them.
pub fn is_activities_header(text: &[u8]) -> bool {
    let text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
    if text.starts_with(b"Activity ID,Activity Date,") {
        return true;
    }
    let line = text.split(|&b| b == b'\n').next().unwrap_or(text);
    let fields: Vec<&[u8]> = line.split(|&b| b == b',').map(|f| f.trim_ascii()).collect();
    fields.len() >= LAYOUT.len()
        && !fields[5].is_empty()
        && fields[5] == fields[15]
        && fields[6] == fields[17]
        && fields[7] == fields[30]
        && fields[5] != fields[6]
}

/// Column positions by name; `nth` picks the first (0) or second (1) column of that name.
struct Columns(HashMap<String, Vec<usize>>);

impl Columns {
    /// By name when the header has `english` among its names, else by the English `layout`.
    fn new(headers: &csv::StringRecord, english: &str, layout: &[&str]) -> Self {
        let english = headers
            .iter()
            .any(|h| h.trim().trim_start_matches('\u{feff}') == english);
        let mut map: HashMap<String, Vec<usize>> = HashMap::new();
        if english {
            for (i, h) in headers.iter().enumerate() {
                map.entry(h.trim().trim_start_matches('\u{feff}').to_string())
                    .or_default()
                    .push(i);
            }
        } else {
            // Another language: the layout's names, by position.
            for (i, h) in layout.iter().enumerate().take(headers.len()) {
                map.entry(h.to_string()).or_default().push(i);
            }
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

/// Month names and abbreviations in the languages Strava writes (and their neighbours), lower
/// case; a word is that month when it starts with one of them. Longer names come first where
/// one is the start of another ("мар" before "ма").
const MONTHS: &[(&str, u32)] = &[
    // English, German, French, Spanish, Italian, Portuguese, Dutch, Scandinavian.
    ("jan", 1),
    ("ene", 1),
    ("gen", 1),
    ("feb", 2),
    ("fév", 2),
    ("fev", 2),
    ("mär", 3),
    ("mrz", 3),
    ("mrt", 3),
    ("mar", 3),
    ("apr", 4),
    ("avr", 4),
    ("abr", 4),
    ("may", 5),
    ("mai", 5),
    ("mag", 5),
    ("mei", 5),
    ("maj", 5),
    ("juin", 6),
    ("jun", 6),
    ("giu", 6),
    ("juil", 7),
    ("jul", 7),
    ("lug", 7),
    ("aug", 8),
    ("aoû", 8),
    ("aou", 8),
    ("ago", 8),
    ("sep", 9),
    ("set", 9),
    ("oct", 10),
    ("okt", 10),
    ("ott", 10),
    ("out", 10),
    ("nov", 11),
    ("dec", 12),
    ("déc", 12),
    ("dez", 12),
    ("dic", 12),
    ("des", 12),
    // Russian.
    ("янв", 1),
    ("фев", 2),
    ("мар", 3),
    ("апр", 4),
    ("ма", 5),
    ("июн", 6),
    ("июл", 7),
    ("авг", 8),
    ("сен", 9),
    ("окт", 10),
    ("ноя", 11),
    ("дек", 12),
    // Polish, Czech, Turkish.
    ("sty", 1),
    ("led", 1),
    ("oca", 1),
    ("lut", 2),
    ("úno", 2),
    ("şub", 2),
    ("bře", 3),
    ("kwi", 4),
    ("dub", 4),
    ("nis", 4),
    ("kvě", 5),
    ("cze", 6),
    ("čvc", 7),
    ("čer", 6),
    ("haz", 6),
    ("lip", 7),
    ("tem", 7),
    ("sie", 8),
    ("srp", 8),
    ("ağu", 8),
    ("wrz", 9),
    ("zář", 9),
    ("eyl", 9),
    ("paź", 10),
    ("říj", 10),
    ("eki", 10),
    ("lis", 11),
    ("kas", 11),
    ("gru", 12),
    ("pro", 12),
    ("ara", 12),
];

fn month_of(word: &str) -> Option<u32> {
    MONTHS.iter().find(|(name, _)| word.starts_with(name)).map(|(_, m)| *m)
}

/// "Activity Date" as Strava writes it in the account's language, all UTC: "Feb 3, 2024, 7:12:45
/// AM", "3 Feb 2024, 07:12:45", "03.02.2024, 07:12:45", "3 févr. 2024, 07:12:45", "3 de fev. de
/// 2024 07:12:45", "2024/02/03 7:12:45", "2024年2月3日 7:12:45", "3 февр. 2024 г., 7:12:45",
/// "오후 7:12:45"… Month names in the languages of [`MONTHS`], a 12-hour clock with its AM/PM
/// marker in any of them, and all-number dates (year first, or last with day before month, as
/// every language but US English writes them; month first with a 12-hour clock).
pub fn parse_date(raw: &str) -> Option<DateTime<FixedOffset>> {
    // ISO 8601, as the store and GPX write it (no zone is UTC here too).
    if let Some(t) = crate::model::timefmt::parse(raw.trim().as_bytes()).and_then(|s| s.to_datetime()) {
        return Some(t);
    }
    let text = raw.to_lowercase().replace(['\u{202f}', '\u{a0}'], " ");
    // The time: the first h:mm[:ss].
    let chars: Vec<char> = text.chars().collect();
    let mut time = None;
    let mut rest = String::new();
    let mut i = 0;
    while i < chars.len() {
        if time.is_none() && chars[i].is_ascii_digit() {
            let mut j = i;
            let mut parts = vec![String::new()];
            while j < chars.len() && (chars[j].is_ascii_digit() || chars[j] == ':') {
                if chars[j] == ':' {
                    parts.push(String::new());
                } else if let Some(last) = parts.last_mut() {
                    last.push(chars[j]);
                }
                j += 1;
            }
            if parts.len() >= 2 && parts.iter().all(|p| !p.is_empty() && p.len() <= 2) {
                let n: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
                time = Some((n[0], n[1], n.get(2).copied().unwrap_or(0)));
                rest.push(' ');
                i = j;
                continue;
            }
        }
        rest.push(chars[i]);
        i += 1;
    }
    let (mut hour, minute, second) = time?;
    // A 12-hour clock's marker, in the forms the languages write it.
    let words: Vec<String> = rest
        .split(|c: char| c.is_whitespace() || c == ',')
        .map(|w| w.replace('.', ""))
        .filter(|w| !w.is_empty())
        .collect();
    let joined = words.concat();
    let pm_words = ["pm", "午後", "下午", "오후", "nachm"];
    let am_words = ["am", "午前", "上午", "오전", "vorm"];
    let has = |list: &[&str]| {
        words.iter().any(|w| list.contains(&w.as_str()))
            || list.iter().any(|m| !m.is_ascii() && joined.contains(m))
            || words
                .windows(2)
                .any(|p| list.contains(&format!("{}{}", p[0], p[1]).as_str()))
    };
    let (pm, am) = (has(&pm_words), has(&am_words));
    if pm || am {
        if hour == 0 || hour > 12 {
            return None;
        }
        hour = match (pm, hour) {
            (true, 12) => 12,
            (true, h) => h + 12,
            (false, 12) => 0,
            (false, h) => h,
        };
    }
    let date = date_of(&rest, pm || am)?;
    let t = date.and_hms_opt(hour, minute, second)?;
    Some(t.and_utc().fixed_offset())
}

/// The calendar date in what is left once the time is taken out.
fn date_of(text: &str, twelve_hour: bool) -> Option<NaiveDate> {
    // East Asian dates name their parts: 2024年2月3日, 2024년 2월 3일.
    let marked = |marks: [char; 3]| -> Option<NaiveDate> {
        let mut parts = [None; 3];
        let mut digits = String::new();
        for c in text.chars() {
            if c.is_ascii_digit() {
                digits.push(c);
            } else {
                if let Some(k) = marks.iter().position(|m| *m == c) {
                    parts[k] = digits.parse::<u32>().ok();
                }
                if !c.is_whitespace() {
                    digits.clear();
                }
            }
        }
        NaiveDate::from_ymd_opt(parts[0]? as i32, parts[1]?, parts[2]?)
    };
    if text.contains('年') {
        return marked(['年', '月', '日']);
    }
    if text.contains('년') {
        return marked(['년', '월', '일']);
    }
    let dotted = text.contains('.');
    let tokens: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '/' | '-' | '.'))
        .filter(|t| !t.is_empty())
        .collect();
    let mut numbers: Vec<&str> = Vec::new();
    let mut month = None;
    for t in &tokens {
        if t.chars().all(|c| c.is_ascii_digit()) {
            numbers.push(t);
        } else if month.is_none() && t.chars().count() >= 2 {
            month = month_of(t);
        }
    }
    let n = |s: &str| s.parse::<u32>().ok();
    match (month, numbers.as_slice()) {
        (Some(m), [a, b]) => {
            let (year, day) = if a.len() == 4 { (a, b) } else { (b, a) };
            NaiveDate::from_ymd_opt(n(year)? as i32, m, n(day)?)
        }
        (None, [a, b, c]) if a.len() == 4 => NaiveDate::from_ymd_opt(n(a)? as i32, n(b)?, n(c)?),
        (None, [a, b, c]) if c.len() == 4 => {
            let (a, b, year) = (n(a)?, n(b)?, n(c)? as i32);
            // Day first everywhere but US English (which writes a 12-hour clock); a number over
            // 12 settles it either way.
            let month_first = !dotted && (b > 12 || (a <= 12 && twelve_hour));
            if month_first {
                NaiveDate::from_ymd_opt(year, a, b)
            } else {
                NaiveDate::from_ymd_opt(year, b, a)
            }
        }
        _ => None,
    }
}

/// A row of `activities.csv`: what the row says, and the file it links, if any.
#[derive(Debug)]
pub struct Row {
    /// The run as the CSV describes it (or why it is none): used when there is no file.
    pub found: Found,
    /// "Filename", when it names a path inside the export (never absolute, never `..`).
    pub file: Option<String>,
    /// The row's sport and gear, which the linked file's own data takes on.
    pub sport: Sport,
    pub gear: Option<String>,
}

impl Row {
    /// The file's activity, with the row's sport and gear (Strava's word on them is the
    /// runner's last); the CSV's own numbers when the file gives nothing.
    pub fn with_file(&self, from_file: Result<Vec<Found>, ImportError>) -> Found {
        let first = from_file.ok().and_then(|items| {
            items.into_iter().find_map(|f| match f {
                Found::Activity(a) => Some(a),
                Found::Nothing { .. } => None,
            })
        });
        match first {
            Some(mut a) => {
                a.sport = self.sport.clone();
                a.sport_by = SPORT_BY;
                a.gear = self.gear.clone();
                Found::Activity(a)
            }
            None => self.found.clone(),
        }
    }

    /// True when the linked file is worth reading: the row is an activity of a sport wanted.
    pub fn wants_file(&self, choice: sport::Choice) -> bool {
        self.file.is_some()
            && matches!(self.found, Found::Activity(_))
            && (choice == sport::Choice::Any || !matches!(self.sport, Sport::Other(_)))
    }
}

const SPORT_BY: &str = "Strava Activity Type";

/// Reads `activities.csv` from a reader. `csv_source` names it in messages.
pub fn read_rows(reader: impl Read, csv_source: &str) -> Result<Vec<Row>, ImportError> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let headers = reader
        .headers()
        .map_err(|e| ImportError::new(format!("damaged CSV header: {e}")))?
        .clone();
    let cols = Columns::new(&headers, "Activity Date", &LAYOUT);
    for needed in ["Activity Date", "Activity Type"] {
        if !cols.0.contains_key(needed) {
            return Err(ImportError::new(format!(
                "no \"{needed}\" column: not a Strava activities.csv"
            )));
        }
    }
    let mut rows = Vec::new();
    for (line, row) in reader.records().enumerate() {
        let row = row.map_err(|e| ImportError::new(format!("damaged CSV near row {}: {e}", line + 2)))?;
        rows.push(read_row(&cols, &row, csv_source));
    }
    if rows.is_empty() {
        rows.push(Row {
            found: Found::nothing(csv_source, SkipKind::NotAnActivity, "no activities in the CSV"),
            file: None,
            sport: Sport::Unknown(None),
            gear: None,
        });
    }
    Ok(rows)
}

/// True when "Filename" names a path inside the export folder: relative, with no `..`.
pub fn inside_export(name: &str) -> bool {
    !name.is_empty() && !name.contains('\\') && Path::new(name).components().all(|c| matches!(c, Component::Normal(_)))
}

fn read_row(cols: &Columns, row: &csv::StringRecord, csv_source: &str) -> Row {
    let id = cols.get(row, "Activity ID", 0).unwrap_or("?");
    let source = format!("{csv_source} (activity {id})");
    let kind = cols.get(row, "Activity Type", 0).unwrap_or("");
    let sport = sport::from_text(kind);
    let gear = cols.get(row, "Activity Gear", 0).map(str::to_string);
    let found = csv_numbers(cols, row, &sport, gear.clone(), source);
    // Only a file inside the export folder: a "Filename" that is absolute or climbs out with
    // `..` is ignored, so a crafted CSV cannot make lumbar read elsewhere.
    let file = cols
        .get(row, "Filename", 0)
        .filter(|f| inside_export(f))
        .map(str::to_string);
    Row {
        found,
        file,
        sport,
        gear,
    }
}

/// The run as the CSV row describes it.
fn csv_numbers(cols: &Columns, row: &csv::StringRecord, sport: &Sport, gear: Option<String>, source: String) -> Found {
    let nothing = |reason: String| Found::nothing(&source, SkipKind::Incomplete, reason);
    let Some(raw_date) = cols.get(row, "Activity Date", 0) else {
        return nothing("no \"Activity Date\"".into());
    };
    let Some(start) = parse_date(raw_date) else {
        return nothing(format!(
            "\"Activity Date\" \"{raw_date}\" is not a date Strava writes (e.g. \"Feb 3, 2024, 7:12:45 AM\", \"3 févr. 2024, 07:12:45\", \"03.02.2024, 07:12:45\")"
        ));
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
        sport: sport.clone(),
        sport_by: SPORT_BY,
        start,
        distance_m,
        elapsed_s,
        moving_s: num("Moving Time"),
        avg_hr: num("Average Heart Rate"),
        avg_cadence: num("Average Cadence").map(steps_per_minute),
        gear,
        source,
        speed: SpeedFacts::default(),
        stand_in: true,
    })
}

/// Shoe names from a `shoes.csv`: the shoe's own name, or brand and model.
pub fn shoe_names(reader: impl Read, name: &str) -> Result<Vec<String>, ImportError> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let headers = reader
        .headers()
        .map_err(|e| ImportError::new(format!("damaged header in {name}: {e}")))?
        .clone();
    // shoes.csv in another language: name, brand and model are its first three columns.
    let cols = Columns::new(&headers, "Shoe Name", &["Shoe Name", "Shoe Brand", "Shoe Model"]);
    let mut names = Vec::new();
    for row in reader.records() {
        let row = row.map_err(|e| ImportError::new(format!("damaged row in {name}: {e}")))?;
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

    fn utc(s: &str) -> Option<DateTime<FixedOffset>> {
        Some(DateTime::parse_from_rfc3339(s).unwrap())
    }

    #[test]
    fn dates_in_the_languages_strava_writes() {
        let want = utc("2024-02-03T07:12:45Z");
        for s in [
            "Feb 3, 2024, 7:12:45 AM",
            "Feb 03, 2024, 07:12:45 AM",
            "Feb 3, 2024, 7:12:45\u{202f}AM",
            "3 Feb 2024, 07:12:45",
            "2024-02-03 07:12:45",
            "2024-02-03T07:12:45",
            "03.02.2024, 07:12:45",
            "3. Feb. 2024, 07:12:45",
            "3 févr. 2024, 07:12:45",
            "3 févr. 2024 à 07:12:45",
            "3 feb 2024, 7:12:45",
            "3 feb. 2024 7:12:45",
            "3 de fev. de 2024 07:12:45",
            "3 febbraio 2024, 07:12:45",
            "3 feb. 2024 07:12:45",
            "2024/02/03 7:12:45",
            "2024年2月3日 7:12:45",
            "2024年2月3日 上午7:12:45",
            "2024. 2. 3. 오전 7:12:45",
            "3 февр. 2024 г., 7:12:45",
            "3 lut 2024, 07:12:45",
            "3 Şub 2024 07:12:45",
            "03/02/2024, 07:12:45",
            "02/03/2024, 7:12:45 AM",
            "2024-02-03T07:12:45Z",
        ] {
            assert_eq!(parse_date(s), want, "{s}");
        }
        let pm = utc("2024-02-03T19:12:45Z");
        assert_eq!(parse_date("Feb 3, 2024, 7:12:45 PM"), pm);
        assert_eq!(parse_date("3 feb. 2024, 7:12:45 p. m."), pm);
        assert_eq!(parse_date("2024年2月3日 下午7:12:45"), pm);
        assert_eq!(parse_date("2024. 2. 3. 오후 7:12:45"), pm);
        assert_eq!(
            parse_date("Feb 3, 2024, 12:00:00 AM").unwrap().to_rfc3339(),
            "2024-02-03T00:00:00+00:00"
        );
        // Other months, to be sure the tables line up.
        assert_eq!(parse_date("14 août 2023, 06:00:00"), utc("2023-08-14T06:00:00Z"));
        assert_eq!(parse_date("14 juil. 2023, 06:00:00"), utc("2023-07-14T06:00:00Z"));
        assert_eq!(parse_date("14 juin 2023, 06:00:00"), utc("2023-06-14T06:00:00Z"));
        assert_eq!(parse_date("14. Dez. 2023, 06:00:00"), utc("2023-12-14T06:00:00Z"));
        assert_eq!(parse_date("14 мая 2023 г., 6:00:00"), utc("2023-05-14T06:00:00Z"));
        assert_eq!(parse_date("14 мар. 2023 г., 6:00:00"), utc("2023-03-14T06:00:00Z"));
        assert_eq!(parse_date("13/12/2023, 06:00:00"), utc("2023-12-13T06:00:00Z"));
        for bad in [
            "yesterday",
            "",
            "Feb 30, 2024, 7:12:45 AM",
            "3 Foo 2024, 07:12:45",
            "2024-02-03",
            "13:99",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn numbers_with_thousands_separators() {
        assert_eq!(number("1,073"), Some(1073.0));
        assert_eq!(number("10.02"), Some(10.02));
        assert_eq!(number(""), None);
    }

    #[test]
    fn headers_in_any_language_by_their_layout() {
        let english = LAYOUT.join(",");
        assert!(is_activities_header(english.as_bytes()));
        let mut german: Vec<String> = LAYOUT.iter().map(|h| format!("{h} (de)")).collect();
        german[0] = "Aktivitäts-ID".into();
        assert!(is_activities_header(german.join(",").as_bytes()));
        german[15] = "Something else".into();
        assert!(!is_activities_header(german.join(",").as_bytes()));
        assert!(!is_activities_header(b"a,b,c\n1,2,3"));
    }

    #[test]
    fn filenames_stay_inside_the_export() {
        assert!(inside_export("activities/123.fit.gz"));
        assert!(!inside_export("../outside.gpx"));
        assert!(!inside_export("/etc/passwd"));
        assert!(!inside_export("activities/../../x"));
        assert!(!inside_export("activities\\..\\x"));
        assert!(!inside_export(""));
    }
}
