//! Importers for GPX, TCX, FIT, Strava and Garmin exports and zip archives, recognised by content.
//!
//! Each file is opened once: its first bytes say what it is. A zip is read in place
//! ([`archive`]); gzip is un-gzipped on the fly; GPX, TCX and FIT are parsed as they stream past
//! (XML event by event, FIT record by record), so memory stays bounded whatever the size. A parser
//! returns [`Found`] items: an activity with the sport it declares, or a reason the file holds
//! nothing to log. Which activities are runs is decided once, later, by [`sport::decide`].

pub mod archive;
pub mod batch;
pub mod fit;
pub mod fitdec;
pub mod garmin;
pub mod geo;
pub mod gpx;
pub mod sport;
pub mod strava;
pub mod tcx;
pub mod track;
pub mod xml;

use std::fs::File;
use std::io::{self, Cursor, Read};
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use flate2::read::MultiGzDecoder;

pub use sport::Sport;

/// How many leading bytes are read to recognise a format.
pub const SNIFF_LEN: u64 = 4096;

/// A file format, as recognised from the bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Gpx,
    Tcx,
    Fit,
    StravaCsv,
    Zip,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Gpx => "GPX",
            Format::Tcx => "TCX",
            Format::Fit => "FIT",
            Format::StravaCsv => "Strava activities.csv",
            Format::Zip => "zip archive",
        }
    }
}

/// How fast an activity went, beyond its average: what tells a ride from a run when the file
/// names no sport (see [`sport::decide`]).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SpeedFacts {
    /// Share of the moving time spent faster than [`sport::RIDING_SPEED_M_S`].
    pub riding_share: Option<f64>,
    /// The speed the fastest tenth of the moving time was faster than, m/s.
    pub p90_m_s: Option<f64>,
}

/// One activity read from a file, before it becomes a [`crate::model::Run`].
#[derive(Clone, Debug, PartialEq)]
pub struct Activity {
    pub sport: Sport,
    /// What said the sport ("FIT sport", "GPX <type>", …), for the reason printed.
    pub sport_by: &'static str,
    /// The offset is the file's own (UTC for every format in practice).
    pub start: DateTime<FixedOffset>,
    pub distance_m: f64,
    pub elapsed_s: f64,
    pub moving_s: Option<f64>,
    pub avg_hr: Option<f64>,
    /// Steps per minute (both feet).
    pub avg_cadence: Option<f64>,
    /// Gear name, from a Strava export.
    pub gear: Option<String>,
    pub source: String,
    pub speed: SpeedFacts,
    /// A summary standing in for a file (a Strava row or Garmin summary with no file): a file
    /// with the same start wins over it.
    pub stand_in: bool,
}

/// Why something is skipped, as `--json` writes it (`skipped[].kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SkipKind {
    /// A run whose start is within a minute of one already logged.
    AlreadyLogged,
    /// Another sport, or judged not a run by its pace.
    NotARun,
    /// A fragment below the minimum distance or duration.
    TooShort,
    /// Starts more than a day in the future.
    Future,
    /// Not a recorded activity: a route, a workout plan, a settings or monitoring file, a photo…
    NotAnActivity,
    /// A recorded activity without what a run needs: timestamps, a distance, a date.
    Incomplete,
    /// A value `run add` would refuse (over 500 km or 48 h, faster than 2:00 /km).
    OutOfRange,
}

impl SkipKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SkipKind::AlreadyLogged => "already-logged",
            SkipKind::NotARun => "not-a-run",
            SkipKind::TooShort => "too-short",
            SkipKind::Future => "future",
            SkipKind::NotAnActivity => "not-an-activity",
            SkipKind::Incomplete => "incomplete",
            SkipKind::OutOfRange => "out-of-range",
        }
    }
}

/// What a file yields: activities, or reasons there is nothing to log in it.
#[derive(Clone, Debug, PartialEq)]
pub enum Found {
    Activity(Activity),
    /// Not an error: a route, a workout plan, a file with no timestamps…
    Nothing {
        source: String,
        reason: String,
        kind: SkipKind,
    },
}

impl Found {
    pub fn nothing(source: &str, kind: SkipKind, reason: impl Into<String>) -> Found {
        Found::Nothing {
            source: source.to_string(),
            reason: reason.into(),
            kind,
        }
    }
}

/// A file that cannot be read as what it claims to be. The batch goes on without it.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ImportError(pub String);

impl ImportError {
    pub fn new(msg: impl Into<String>) -> Self {
        ImportError(msg.into())
    }
}

impl From<io::Error> for ImportError {
    fn from(e: io::Error) -> Self {
        match e.kind() {
            io::ErrorKind::UnexpectedEof => ImportError::new("the file ends early (truncated?)"),
            io::ErrorKind::InvalidData | io::ErrorKind::InvalidInput => ImportError::new(format!("damaged data: {e}")),
            _ => ImportError::new(e.to_string()),
        }
    }
}

/// Recognises a format from the first bytes of (un-gzipped) content.
pub fn sniff(head: &[u8]) -> Option<Format> {
    // FIT: a 12- or 14-byte header with ".FIT" at offset 8.
    if head.len() >= 12 && (head[0] == 12 || head[0] == 14) && &head[8..12] == b".FIT" {
        return Some(Format::Fit);
    }
    // Zip: a local file header, or the end record of an empty archive.
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        return Some(Format::Zip);
    }
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = text.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(text.len());
    let text = &text[start..];
    if text.starts_with(b"<") {
        // The root element comes after the declaration and any comments; look for its name.
        if find_root(text, b"gpx") {
            return Some(Format::Gpx);
        }
        if find_root(text, b"TrainingCenterDatabase") {
            return Some(Format::Tcx);
        }
        return None;
    }
    if strava::is_activities_header(text) {
        return Some(Format::StravaCsv);
    }
    None
}

/// True when the first element in `text` is `<name` (optionally with a namespace prefix),
/// after any declaration, comments, processing instructions and DOCTYPE.
fn find_root(text: &[u8], name: &[u8]) -> bool {
    let mut i = 0;
    while let Some(p) = text[i..].iter().position(|&b| b == b'<') {
        let tag = &text[i + p + 1..];
        if tag.starts_with(b"!--") {
            // A comment may hold anything, tags included: jump past its end.
            match tag.windows(3).position(|w| w == b"-->") {
                Some(end) => {
                    i += p + 1 + end + 3;
                    continue;
                }
                None => return false,
            }
        }
        if tag.starts_with(b"?") || tag.starts_with(b"!") {
            i += p + 1;
            continue;
        }
        let end = tag
            .iter()
            .position(|&b| b.is_ascii_whitespace() || b == b'>' || b == b'/')
            .unwrap_or(tag.len());
        let qname = &tag[..end];
        let local = qname.rsplit(|&b| b == b':').next().unwrap_or(qname);
        return local == name;
    }
    false
}

/// An opened stream: its format and a reader positioned at its first byte (un-gzipped).
pub struct Opened<'r> {
    pub format: Option<Format>,
    pub reader: Box<dyn Read + 'r>,
    pub gzipped: bool,
}

/// Un-gzips a stream when its content is gzip and sniffs the format. The parsers do their own
/// buffering, so nothing here adds a copy beyond the sniffed head.
pub fn open_reader<'r>(mut inner: Box<dyn Read + 'r>) -> Result<Opened<'r>, ImportError> {
    let mut magic = Vec::with_capacity(2);
    inner.by_ref().take(2).read_to_end(&mut magic)?;
    let gzipped = magic == [0x1f, 0x8b];
    let raw = Cursor::new(magic).chain(inner);
    let mut reader: Box<dyn Read + 'r> = if gzipped {
        Box::new(MultiGzDecoder::new(raw))
    } else {
        Box::new(raw)
    };
    let mut head = Vec::with_capacity(SNIFF_LEN as usize);
    reader.by_ref().take(SNIFF_LEN).read_to_end(&mut head)?;
    let format = sniff(&head);
    Ok(Opened {
        format,
        reader: Box::new(Cursor::new(head).chain(reader)),
        gzipped,
    })
}

/// Reads every activity in one file on disk (a zip's activities included).
pub fn read_path(path: &Path) -> Result<Vec<Found>, ImportError> {
    let file = File::open(path).map_err(|e| ImportError::new(format!("cannot open it: {e}")))?;
    let mut piece = batch::read_file(
        file,
        path,
        &source_name(path),
        true,
        &batch::ReadOpts::default(),
        &|_| {},
    );
    if piece.activities.is_empty() && piece.skipped.is_empty() && !piece.failed.is_empty() {
        return Err(ImportError::new(piece.failed.swap_remove(0).1));
    }
    Ok(piece.into_found())
}

/// The error for content that is none of the formats.
pub fn not_activity_data() -> ImportError {
    ImportError::new("not GPX, TCX, FIT, a zip or a Strava activities.csv (recognised by content, not by name)")
}

/// Parses one GPX, TCX or FIT stream.
pub fn parse(format: Format, reader: Box<dyn Read + '_>, source: &str) -> Result<Vec<Found>, ImportError> {
    #[cfg(debug_assertions)]
    test_panic(source);
    match format {
        Format::Gpx => gpx::parse(reader, source),
        Format::Tcx => tcx::parse(reader, source),
        Format::Fit => fit::parse(reader, source),
        Format::StravaCsv => Err(ImportError::new("a Strava CSV is read with its folder")),
        Format::Zip => Err(ImportError::new(
            "a zip archive inside a gzip or a pipe cannot be read in place: unpack it, or give its path",
        )),
    }
}

/// A parser bug on purpose, for the test that proves one panicking file does not stop a batch:
/// only in builds with debug assertions, and only when `LUMBAR_TEST_PANIC_ON` names part of the
/// file's name.
#[cfg(debug_assertions)]
pub(crate) fn test_panic(source: &str) {
    if let Ok(part) = std::env::var("LUMBAR_TEST_PANIC_ON")
        && !part.is_empty()
        && source.contains(&part)
    {
        panic!("a parser bug, on purpose (LUMBAR_TEST_PANIC_ON)");
    }
}

/// The name a run keeps as its source: the absolute path when it can be had.
pub fn source_name(path: &Path) -> String {
    std::path::absolute(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

/// What `lumbar import -` reads, and the name its runs keep.
pub const STDIN_NAME: &str = "stdin";

/// One unit of work in a batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Job {
    /// A file to sniff and read; `explicit` when named on the command line.
    File { path: PathBuf, explicit: bool },
    /// `-`: one file on standard input.
    Stdin,
    /// A folder holding `activities.csv`: a Strava export, unless the CSV says otherwise.
    StravaFolder(PathBuf),
    /// A path that is not read, and why (it does not exist, or a link leaves the folder).
    Refused { path: PathBuf, error: String },
}

/// Turns the paths given into jobs: files as they are, `-` as standard input, folders walked
/// (sorted, hidden entries skipped), a Strava export folder as one job. Inside a folder, a link
/// is followed only when it leads to a file inside that same folder.
pub fn collect_jobs(paths: &[PathBuf]) -> Vec<Job> {
    let mut jobs = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            jobs.push(Job::Stdin);
        } else if p.is_dir() {
            walk(p, true, &mut jobs);
        } else if p.exists() {
            // A file, or something readable like a named pipe or /dev/stdin.
            jobs.push(Job::File {
                path: p.clone(),
                explicit: true,
            });
        } else {
            jobs.push(Job::Refused {
                path: p.clone(),
                error: "no such file or folder".into(),
            });
        }
    }
    jobs
}

/// True when `path`, with every link resolved, is inside `root` (itself resolved).
pub fn stays_inside(root: &Path, path: &Path) -> bool {
    match (root.canonicalize(), path.canonicalize()) {
        (Ok(root), Ok(target)) => target.starts_with(root),
        _ => false,
    }
}

/// The files of a folder, without taking the folder itself for a Strava export.
pub fn walk_plain(root: &Path) -> Vec<Job> {
    let mut jobs = Vec::new();
    walk(root, false, &mut jobs);
    jobs
}

fn walk(root: &Path, strava_at_root: bool, jobs: &mut Vec<Job>) {
    let mut it = walkdir::WalkDir::new(root).sort_by_file_name().into_iter();
    while let Some(entry) = it.next() {
        let Ok(entry) = entry else { continue };
        let hidden = entry.depth() > 0 && entry.file_name().to_string_lossy().starts_with('.');
        let path = entry.path().to_path_buf();
        if hidden {
            if entry.file_type().is_dir() {
                it.skip_current_dir();
            }
            continue;
        }
        if entry.file_type().is_dir() {
            if (strava_at_root || entry.depth() > 0) && path.join(strava::ACTIVITIES_CSV).is_file() {
                jobs.push(Job::StravaFolder(path));
                it.skip_current_dir();
            }
        } else if entry.file_type().is_file() {
            jobs.push(Job::File { path, explicit: false });
        } else if entry.path_is_symlink() {
            // Followed only to a file inside the folder walked; never out of it.
            if !stays_inside(root, &path) {
                jobs.push(Job::Refused {
                    error: link_outside(&path),
                    path,
                });
            } else if path.is_file() {
                jobs.push(Job::File { path, explicit: false });
            }
        }
    }
}

/// The error for a link that leads out of the folder being imported.
pub fn link_outside(path: &Path) -> String {
    let target = std::fs::read_link(path).map_or_else(|_| "?".into(), |t| t.display().to_string());
    format!("a link to {target}, outside the folder being imported: not read")
}

/// True when a file name looks like activity data, so content that is not is an error, not noise.
pub fn named_like_activity(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    [".gpx", ".tcx", ".fit"].iter().any(|ext| name.ends_with(ext))
}

/// Running cadence in files counts one foot (cycles per minute); runners read steps per minute.
pub fn steps_per_minute(cycles_per_minute: f64) -> f64 {
    cycles_per_minute * 2.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content() {
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?>\n<gpx version=\"1.1\">"),
            Some(Format::Gpx)
        );
        assert_eq!(sniff(b"\xEF\xBB\xBF  <gpx>"), Some(Format::Gpx));
        assert_eq!(
            sniff(b"<?xml version='1.0'?><!-- c --><TrainingCenterDatabase xmlns='x'>"),
            Some(Format::Tcx)
        );
        assert_eq!(sniff(b"<?xml version='1.0'?><kml><gpx/></kml>"), None);
        assert_eq!(
            sniff(b"<?xml version='1.0'?><!-- <b>a</b> --><gpx:gpx xmlns:gpx='x'>"),
            Some(Format::Gpx)
        );
        assert_eq!(sniff(b"<!-- <gpx> --><kml>"), None);
        assert_eq!(
            sniff(b"\x0e\x10\x00\x00\x00\x00\x00\x00.FIT\x00\x00"),
            Some(Format::Fit)
        );
        assert_eq!(sniff(b"\x0c\x10\x00\x00\x00\x00\x00\x00.FIT"), Some(Format::Fit));
        assert_eq!(
            sniff(b"Activity ID,Activity Date,Activity Name,Activity Type\n"),
            Some(Format::StravaCsv)
        );
        assert_eq!(sniff(b"PK\x03\x04\x14\x00"), Some(Format::Zip));
        assert_eq!(sniff(b"PK\x05\x06\x00\x00"), Some(Format::Zip));
        assert_eq!(sniff(b"hello world"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn gzip_is_recognised_by_magic_bytes() {
        use flate2::{Compression, write::GzEncoder};
        use std::io::Write;
        let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
        enc.write_all(b"<?xml version=\"1.0\"?><gpx></gpx>").unwrap();
        let gz = enc.finish().unwrap();
        let mut opened = open_reader(Box::new(Cursor::new(gz))).unwrap();
        assert!(opened.gzipped);
        assert_eq!(opened.format, Some(Format::Gpx));
        let mut all = String::new();
        opened.reader.read_to_string(&mut all).unwrap();
        assert_eq!(all, "<?xml version=\"1.0\"?><gpx></gpx>");
    }

    #[test]
    fn names_that_look_like_activity_data() {
        assert!(named_like_activity("a.GPX"));
        assert!(named_like_activity("123.fit.gz"));
        assert!(!named_like_activity("notes.txt"));
        assert!(!named_like_activity("fit"));
    }
}
