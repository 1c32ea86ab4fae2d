//! Importers for GPX, TCX, FIT and Strava exports, recognised by content.
//!
//! Each file is opened once, un-gzipped when it starts with the gzip magic bytes, sniffed
//! ([`sniff`]) and handed to one parser per format. Every parser streams: memory stays bounded
//! whatever the file size (XML is read event by event, never as a tree). A parser returns
//! [`Found`] items: an activity, or a reason the file holds nothing to log.

pub mod batch;
pub mod fit;
pub mod fitdec;
pub mod geo;
pub mod gpx;
pub mod strava;
pub mod tcx;
pub mod track;
pub mod xml;

use std::fs::File;
use std::io::{self, Cursor, Read};
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use flate2::read::MultiGzDecoder;

/// How many leading bytes are read to recognise a format.
const SNIFF_LEN: u64 = 4096;
/// FIT files are read whole; real ones are a few MB at most.
pub const MAX_FIT_BYTES: u64 = 64 * 1024 * 1024;

/// A file format, as recognised from the bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Gpx,
    Tcx,
    Fit,
    StravaCsv,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Gpx => "GPX",
            Format::Tcx => "TCX",
            Format::Fit => "FIT",
            Format::StravaCsv => "Strava activities.csv",
        }
    }
}

/// The sport a file declares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sport {
    Run,
    /// The file does not say (most GPX files): taken as a run, since the runner chose to import it.
    Unknown,
    Other(String),
}

/// One activity read from a file, before it becomes a [`crate::model::Run`].
#[derive(Clone, Debug, PartialEq)]
pub struct Activity {
    pub sport: Sport,
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
}

/// What a file yields: activities, or reasons there is nothing to log in it.
#[derive(Clone, Debug, PartialEq)]
pub enum Found {
    Activity(Activity),
    /// Not an error: a route, a workout plan, a file with no timestamps, a bike ride…
    Nothing {
        source: String,
        reason: String,
    },
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

/// An opened file: its format and a reader positioned at its first byte (un-gzipped).
pub struct Opened {
    pub format: Option<Format>,
    pub reader: Box<dyn Read>,
    pub gzipped: bool,
}

/// Opens a file, un-gzips it when its content is gzip, and sniffs the format.
pub fn open(path: &Path) -> Result<Opened, ImportError> {
    let file = File::open(path).map_err(|e| ImportError::new(format!("cannot open it: {e}")))?;
    open_reader(Box::new(file))
}

/// [`open`] over any reader (used by tests with generated streams). The parsers do their own
/// buffering, so nothing here adds a copy.
pub fn open_reader(mut inner: Box<dyn Read>) -> Result<Opened, ImportError> {
    let mut magic = Vec::with_capacity(2);
    inner.by_ref().take(2).read_to_end(&mut magic)?;
    let gzipped = magic == [0x1f, 0x8b];
    let raw = Cursor::new(magic).chain(inner);
    let mut reader: Box<dyn Read> = if gzipped {
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

/// Reads every activity in one file.
pub fn read_path(path: &Path) -> Result<Vec<Found>, ImportError> {
    let opened = open(path)?;
    parse_opened(opened, path, &source_name(path))
}

/// Parses a file opened with [`open`]. A plain GPX file is read again by its path, so that a
/// big one can be parsed in two halves at once ([`gpx::parse_file`]).
pub fn parse_opened(opened: Opened, path: &Path, source: &str) -> Result<Vec<Found>, ImportError> {
    match opened.format {
        Some(Format::Gpx) if !opened.gzipped => gpx::parse_file(path, source).map(|f| vec![f]),
        Some(Format::StravaCsv) => strava::read_csv(path),
        Some(f) => parse(f, opened.reader, source),
        None => Err(not_activity_data()),
    }
}

/// The error for content that is none of the formats.
pub fn not_activity_data() -> ImportError {
    ImportError::new("not GPX, TCX, FIT or a Strava activities.csv (recognised by content, not by name)")
}

/// Parses one GPX, TCX or FIT stream.
pub fn parse(format: Format, reader: Box<dyn Read>, source: &str) -> Result<Vec<Found>, ImportError> {
    match format {
        Format::Gpx => gpx::parse(reader, source).map(|f| vec![f]),
        Format::Tcx => tcx::parse(reader, source),
        Format::Fit => fit::parse(reader, source),
        Format::StravaCsv => Err(ImportError::new("a Strava CSV cannot be read from a stream")),
    }
}

/// The name a run keeps as its source: the absolute path when it can be had.
pub fn source_name(path: &Path) -> String {
    std::path::absolute(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

/// One unit of work in a batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Job {
    /// A file to sniff and parse; `explicit` when named on the command line.
    File { path: PathBuf, explicit: bool },
    /// A Strava bulk-export folder (it holds `activities.csv`).
    StravaFolder(PathBuf),
}

/// Turns the paths given into jobs: files as they are, folders walked (sorted, hidden entries
/// skipped), a Strava export folder as one job. Paths that do not exist come back as errors.
pub fn collect_jobs(paths: &[PathBuf]) -> (Vec<Job>, Vec<(PathBuf, ImportError)>) {
    let mut jobs = Vec::new();
    let mut missing = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut jobs);
        } else if p.exists() {
            // A file, or something readable like a named pipe.
            jobs.push(Job::File {
                path: p.clone(),
                explicit: true,
            });
        } else {
            missing.push((p.clone(), ImportError::new("no such file or folder")));
        }
    }
    (jobs, missing)
}

fn walk(root: &Path, jobs: &mut Vec<Job>) {
    let mut it = walkdir::WalkDir::new(root).sort_by_file_name().into_iter();
    while let Some(entry) = it.next() {
        let Ok(entry) = entry else { continue };
        let hidden = entry.depth() > 0 && entry.file_name().to_string_lossy().starts_with('.');
        if entry.file_type().is_dir() {
            if hidden {
                it.skip_current_dir();
            } else if strava::is_export_folder(entry.path()) {
                jobs.push(Job::StravaFolder(entry.path().to_path_buf()));
                it.skip_current_dir();
            }
        } else if entry.file_type().is_file() && !hidden {
            jobs.push(Job::File {
                path: entry.path().to_path_buf(),
                explicit: false,
            });
        }
    }
}

/// True when a file name looks like activity data, so content that is not is an error, not noise.
pub fn named_like_activity(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    [".gpx", ".tcx", ".fit"].iter().any(|ext| name.ends_with(ext))
}

/// Running cadence in files counts one foot (cycles per minute); runners read steps per minute.
pub fn steps_per_minute(cycles_per_minute: f64) -> f64 {
    cycles_per_minute * 2.0
}

/// Words that name a sport that is not running (in GPX `<type>`, FIT `sport`, TCX `Sport`).
const NOT_RUNNING: &[&str] = &[
    "bik",
    "cycl",
    "ride",
    "swim",
    "walk",
    "hik",
    "ski",
    "row",
    "paddl",
    "kayak",
    "canoe",
    "sail",
    "surf",
    "skat",
    "golf",
    "yoga",
    "climb",
    "transition",
    "elliptical",
    "strength",
    "training",
    "fitness",
    "motor",
    "driv",
    "boat",
    "fly",
    "flight",
    "snow",
    "tennis",
    "soccer",
    "football",
    "workout",
    "other",
];

/// Classifies a sport name written in a file. A name we do not recognise (GPX `<type>` is free
/// text) leaves the sport unknown: the runner chose to import the file.
pub fn sport_from_name(name: &str) -> Sport {
    let n = name.trim().to_ascii_lowercase();
    if n.contains("run") || n == "9" {
        // "9" is the running type number Strava writes in its GPX files.
        Sport::Run
    } else if NOT_RUNNING.iter().any(|w| n.contains(w)) {
        Sport::Other(name.trim().to_string())
    } else {
        Sport::Unknown
    }
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
        assert_eq!(sniff(b"hello world"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn sport_names() {
        assert_eq!(sport_from_name("running"), Sport::Run);
        assert_eq!(sport_from_name("Trail Run"), Sport::Run);
        assert_eq!(sport_from_name(""), Sport::Unknown);
        assert_eq!(sport_from_name("cycling"), Sport::Other("cycling".into()));
        assert_eq!(sport_from_name("Biking"), Sport::Other("Biking".into()));
        assert_eq!(sport_from_name("transition"), Sport::Other("transition".into()));
        assert_eq!(sport_from_name("generic"), Sport::Unknown);
        assert_eq!(sport_from_name("..."), Sport::Unknown);
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
}
