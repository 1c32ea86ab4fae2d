//! Zip archives, read in place: a zip of activity files, a Strava bulk export (`export_123.zip`),
//! a Garmin Connect export with zips inside it. Nothing is unpacked to disk.
//!
//! The archive on disk is read with positioned reads, so threads share it without seeking each
//! other's place. A zip inside it that is stored (not compressed) is a window onto the same file;
//! one that is compressed is inflated as a stream that can seek ([`Inflated`]): forward by reading
//! on, back within its last few megabytes from memory, further back by inflating again from the
//! start (the zip reader reads the directory at the end, then the entries in order, so that
//! happens about once).
//!
//! Entry names are untrusted: a name that would lead outside the archive (`../`, an absolute
//! path) is not read, nor is a link. Sizes have limits ([`Limits`]) checked before an entry is
//! read and again on the bytes as they come, since a header may lie: each entry, its ratio of
//! unpacked to packed size, all entries together, their number, and how deep zips nest.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use flate2::read::DeflateDecoder;
use zip::ZipArchive;
use zip::read::ZipFile;

use super::batch::{Piece, Progress, ReadOpts, par_map_with};
use super::{Found, ImportError, SkipKind, garmin, strava};

/// The size limits an archive is read under (see the README's "Archives").
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// One entry, unpacked.
    pub entry_bytes: u64,
    /// Unpacked size over packed size, for an entry and for the whole archive.
    pub ratio: u64,
    /// Below this an entry may have any ratio (a small file of zeros packs to almost nothing).
    pub ratio_floor_bytes: u64,
    /// All entries of one archive (zips inside it included), unpacked.
    pub total_bytes: u64,
    /// Entries in one archive.
    pub entries: usize,
    /// Zips inside zips: an archive is level 1, a zip inside it level 2.
    pub depth: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            entry_bytes: 4 << 30,
            ratio: 100,
            ratio_floor_bytes: 1 << 20,
            total_bytes: 64 << 30,
            entries: 200_000,
            depth: 2,
        }
    }
}

/// A part of a file on disk, read with positioned reads: cheap to clone, and clones do not
/// disturb each other.
#[derive(Clone)]
pub struct Window {
    file: Arc<File>,
    start: u64,
    len: u64,
    pos: u64,
}

impl Window {
    pub fn whole(file: File) -> io::Result<Window> {
        let len = file.metadata()?.len();
        Ok(Window {
            file: Arc::new(file),
            start: 0,
            len,
            pos: 0,
        })
    }

    /// How many bytes the window holds.
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The bytes `[start, start + len)` of this window (cut to what it holds).
    pub fn part(&self, start: u64, len: u64) -> Window {
        let start = (self.start + start).min(self.start + self.len);
        Window {
            file: self.file.clone(),
            start,
            len: len.min(self.start + self.len - start),
            pos: 0,
        }
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], at: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, at)
}

#[cfg(windows)]
fn read_at(file: &File, buf: &mut [u8], at: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, at)
}

impl Read for Window {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.len.saturating_sub(self.pos);
        let n = (buf.len() as u64).min(left) as usize;
        if n == 0 {
            return Ok(0);
        }
        let got = read_at(&self.file, &mut buf[..n], self.start + self.pos)?;
        self.pos += got as u64;
        Ok(got)
    }
}

impl Seek for Window {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        self.pos = seek_target(to, self.pos, self.len)?;
        Ok(self.pos)
    }
}

fn seek_target(to: SeekFrom, pos: u64, len: u64) -> io::Result<u64> {
    let target = match to {
        SeekFrom::Start(n) => Some(n),
        SeekFrom::End(d) => len.checked_add_signed(d),
        SeekFrom::Current(d) => pos.checked_add_signed(d),
    };
    target.ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek before the start"))
}

/// How much of the inflated stream is kept behind the read position, for seeks back (the zip
/// reader's look at the directory at the end: 4 MB holds that of some 40,000 entries).
const KEEP_BEHIND: usize = 4 << 20;

/// A deflated entry of an archive on disk (a zip inside a zip), inflated as it is read, with seeks.
pub struct Inflated {
    packed: Window,
    /// The unpacked size its header declares: more data than that is refused.
    len: u64,
    pos: u64,
    decoder: DeflateDecoder<Window>,
    /// Inflated bytes `[kept_from, decoded)` kept in memory.
    kept: Vec<u8>,
    kept_from: u64,
    decoded: u64,
}

impl Inflated {
    fn new(packed: Window, len: u64) -> Inflated {
        Inflated {
            decoder: DeflateDecoder::new(packed.clone()),
            packed,
            len,
            pos: 0,
            kept: Vec::new(),
            kept_from: 0,
            decoded: 0,
        }
    }

    /// The memory kept, allocated once at its largest so it never grows past it.
    fn keep(&mut self, bytes: &[u8]) {
        if self.kept.capacity() == 0 {
            self.kept.reserve_exact(2 * KEEP_BEHIND + 64 * 1024);
        }
        self.kept.extend_from_slice(bytes);
        if self.kept.len() > 2 * KEEP_BEHIND {
            let drop = self.kept.len() - KEEP_BEHIND;
            self.kept.drain(..drop);
            self.kept_from += drop as u64;
        }
    }

    /// Inflates on until `until` is in memory (or the data ends).
    fn advance(&mut self, until: u64) -> io::Result<()> {
        let mut chunk = vec![0u8; 64 * 1024];
        while self.decoded < until {
            let n = self.decoder.read(&mut chunk)?;
            if n == 0 {
                break;
            }
            self.decoded += n as u64;
            if self.decoded > self.len {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "a zip inside the archive unpacks to more than its header says (a zip bomb?)",
                ));
            }
            self.keep(&chunk[..n]);
        }
        Ok(())
    }
}

impl Read for Inflated {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos >= self.len || buf.is_empty() {
            return Ok(0);
        }
        if self.pos < self.kept_from {
            // Further back than memory holds: inflate again from the start.
            self.decoder = DeflateDecoder::new(self.packed.clone());
            self.kept.clear();
            self.kept_from = 0;
            self.decoded = 0;
        }
        let want = (self.pos + buf.len() as u64).min(self.len);
        self.advance(want)?;
        let from = (self.pos - self.kept_from) as usize;
        let to = ((want.min(self.decoded)) - self.kept_from) as usize;
        if from >= to {
            return Ok(0);
        }
        let n = to - from;
        buf[..n].copy_from_slice(&self.kept[from..to]);
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for Inflated {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        self.pos = seek_target(to, self.pos, self.len)?;
        Ok(self.pos)
    }
}

/// Counts what an entry unpacks to, and stops at what its header declared (a header may lie)
/// and at what the whole archive may still unpack to.
struct Counted<'a, R> {
    inner: R,
    left: u64,
    total: &'a AtomicU64,
    total_limit: u64,
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.left {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "it unpacks to more than its header says (a zip bomb?)",
            ));
        }
        self.left -= n as u64;
        if self.total.fetch_add(n as u64, Ordering::Relaxed) + n as u64 > self.total_limit {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "the archive unpacks to more than the limit for one archive",
            ));
        }
        Ok(n)
    }
}

/// Everything an archive reader needs to know of where it is.
struct Place<'a> {
    /// The archive's display name (its path, or the path of the zip it is in plus its name).
    name: String,
    level: u32,
    opts: &'a ReadOpts,
    progress: &'a (dyn Fn(Progress) + Sync),
    /// What every entry of the outermost archive has unpacked to so far, and may.
    total: &'a AtomicU64,
    total_limit: u64,
}

/// Reads a zip archive on disk. `name` names it in messages.
pub fn read_zip(file: File, name: &str, opts: &ReadOpts, progress: &(dyn Fn(Progress) + Sync)) -> Piece {
    let mut piece = Piece::default();
    let window = match Window::whole(file) {
        Ok(w) => w,
        Err(e) => {
            piece.failed.push((name.to_string(), format!("cannot read it: {e}")));
            return piece;
        }
    };
    let limits = opts.limits;
    let total = AtomicU64::new(0);
    let place = Place {
        name: name.to_string(),
        level: 1,
        opts,
        progress,
        total: &total,
        total_limit: limits
            .total_bytes
            .min(window.len.saturating_mul(limits.ratio).max(limits.ratio_floor_bytes)),
    };
    read_window(window, &place, &mut piece);
    piece
}

fn zip_error(e: zip::result::ZipError) -> String {
    format!("not a readable zip archive: {e}")
}

/// An archive whose bytes are a window of the file on disk: entries are read in parallel.
fn read_window(window: Window, place: &Place, piece: &mut Piece) {
    let mut archive = match ZipArchive::new(window.clone()) {
        Ok(a) => a,
        Err(e) => {
            piece.failed.push((place.name.clone(), zip_error(e)));
            return;
        }
    };
    if !entries_ok(archive.len(), place, piece) {
        return;
    }
    // Entries that share bytes are the "overlapping" zip bomb.
    if archive.has_overlapping_entries().unwrap_or(true) {
        piece
            .failed
            .push((place.name.clone(), "its entries overlap (a zip bomb): not read".into()));
        return;
    }
    let plan = plan(&archive);
    (place.progress)(Progress::More(plan.entries.len() as u64));
    let threads = place.opts.threads.max(1);
    let pieces = par_map_with(
        &plan.entries,
        threads,
        || archive.clone(),
        |archive, &index| {
            let mut p = Piece::default();
            entry(archive, index, Some(&window), place, &mut p);
            (place.progress)(Progress::Done);
            p
        },
    );
    for p in pieces {
        piece.absorb(p);
    }
    if let Some(export) = plan.strava {
        strava_export(&mut archive, &export, place, piece);
    }
}

/// An archive inflated from a deflated entry: read in order, on one thread.
fn read_inflated(inflated: Inflated, place: &Place, piece: &mut Piece) {
    let mut archive = match ZipArchive::new(inflated) {
        Ok(a) => a,
        Err(e) => {
            piece.failed.push((place.name.clone(), zip_error(e)));
            return;
        }
    };
    if !entries_ok(archive.len(), place, piece) {
        return;
    }
    let plan = plan(&archive);
    (place.progress)(Progress::More(plan.entries.len() as u64));
    for &index in &plan.entries {
        entry(&mut archive, index, None, place, piece);
        (place.progress)(Progress::Done);
    }
    if let Some(export) = plan.strava {
        strava_export(&mut archive, &export, place, piece);
    }
}

fn entries_ok(n: usize, place: &Place, piece: &mut Piece) -> bool {
    if n > place.opts.limits.entries {
        piece.failed.push((
            place.name.clone(),
            format!(
                "{n} entries, more than the {} an archive may have: not read",
                place.opts.limits.entries
            ),
        ));
        return false;
    }
    true
}

/// A Strava export inside an archive: where its `activities.csv` is, and the folder it is in.
struct StravaExport {
    csv: usize,
    /// The folder, with its trailing `/` ("" at the root).
    prefix: String,
}

/// Which entries are read one by one, and the Strava export among them, if any.
struct Plan {
    entries: Vec<usize>,
    strava: Option<StravaExport>,
}

fn plan<R: Read + Seek>(archive: &ZipArchive<R>) -> Plan {
    let names: Vec<String> = (0..archive.len())
        .map(|i| {
            archive
                .name_for_index(i)
                .and_then(Result::ok)
                .map(|n| n.into_owned())
                .unwrap_or_default()
        })
        .collect();
    // The shallowest activities.csv is the export's; its folder is read through the CSV.
    let strava = names
        .iter()
        .enumerate()
        .filter(|(_, n)| n.rsplit('/').next() == Some(strava::ACTIVITIES_CSV))
        .min_by_key(|(_, n)| n.matches('/').count())
        .map(|(i, n)| StravaExport {
            csv: i,
            prefix: n[..n.len() - strava::ACTIVITIES_CSV.len()].to_string(),
        });
    let mut entries = Vec::new();
    for (i, n) in names.iter().enumerate() {
        if let Some(s) = &strava
            && n.starts_with(&s.prefix)
            && safe_name(n)
        {
            // Read through the export's CSV (its activity files, shoes.csv), not one by one.
            continue;
        }
        if n.ends_with('/') {
            continue;
        }
        entries.push(i);
    }
    Plan { entries, strava }
}

/// True when an entry name stays inside the archive: relative, no `..`, no drive or backslash.
pub fn safe_name(name: &str) -> bool {
    !name.starts_with('/') && !name.contains('\\') && !name.contains(':') && name.split('/').all(|part| part != "..")
}

/// Checks an entry's declared sizes against the limits; the reason when it may not be read.
fn too_big(file: &ZipFile<'_, impl Read>, limits: &Limits) -> Option<String> {
    let (size, packed) = (file.size(), file.compressed_size());
    if size > limits.entry_bytes {
        return Some(format!(
            "unpacks to {} MB, more than the {} MB one entry may: not read",
            size >> 20,
            limits.entry_bytes >> 20
        ));
    }
    if size > limits.ratio_floor_bytes && size > packed.saturating_mul(limits.ratio) {
        return Some(format!(
            "packed {}:1 (over {}:1, a zip bomb?): not read",
            size / packed.max(1),
            limits.ratio
        ));
    }
    None
}

/// Reads entry `index`: an activity file, a zip inside the zip, Garmin's summary, or nothing.
fn entry<R: Read + Seek>(
    archive: &mut ZipArchive<R>,
    index: usize,
    base: Option<&Window>,
    place: &Place,
    piece: &mut Piece,
) {
    let listed = archive
        .name_for_index(index)
        .and_then(Result::ok)
        .map(|n| n.into_owned())
        .unwrap_or_default();
    let mut file = match archive.by_index(index) {
        Ok(f) => f,
        Err(e) => {
            piece
                .failed
                .push((format!("{}/{listed}", place.name), format!("cannot read it: {e}")));
            return;
        }
    };
    let raw_name = file.name().unwrap_or_default().to_string();
    let source = format!("{}/{}", place.name, raw_name);
    if !safe_name(&raw_name) || file.enclosed_name().is_none() {
        piece
            .failed
            .push((source, "a name that leads outside the archive: not read".into()));
        return;
    }
    if file.is_dir() {
        return;
    }
    piece.files += 1;
    if file.is_symlink() {
        piece.push(Found::nothing(
            &source,
            SkipKind::NotAnActivity,
            "a link inside the archive: not followed",
        ));
        return;
    }
    if file.encrypted() {
        piece.failed.push((source, "encrypted: not read".into()));
        return;
    }
    if let Some(why) = too_big(&file, &place.opts.limits) {
        piece.failed.push((source, why));
        return;
    }
    let declared = file.size();
    let stored = file.compression() == zip::CompressionMethod::Stored;
    let data_start = file.data_start();
    let packed = file.compressed_size();
    let counted = Counted {
        inner: &mut file,
        left: declared,
        total: place.total,
        total_limit: place.total_limit,
    };
    if garmin::is_summary_name(&raw_name) {
        match garmin::read_summary(counted, &source) {
            Ok(list) => piece.extend(list.into_iter().map(Found::Activity)),
            Err(e) => piece.failed.push((source, e.to_string())),
        }
        return;
    }
    let opened = match super::open_reader(Box::new(counted)) {
        Ok(o) => o,
        Err(e) => {
            piece.failed.push((source, e.to_string()));
            return;
        }
    };
    match opened.format {
        Some(super::Format::Zip) if !opened.gzipped => {
            drop(opened);
            drop(file);
            nested(base, data_start, packed, declared, stored, source, place, piece);
        }
        Some(super::Format::StravaCsv) | None => {
            if super::named_like_activity(&raw_name) {
                piece.failed.push((source, super::not_activity_data().to_string()));
            } else {
                piece.push(Found::nothing(&source, SkipKind::NotAnActivity, "not an activity file"));
            }
        }
        Some(format) => match super::batch::parse_isolated(format, opened.reader, &source) {
            Ok(found) => piece.extend(found),
            Err(e) => piece.failed.push((source, e)),
        },
    }
}

/// A zip inside the zip: a window onto the file when stored, inflated as a stream when not.
#[allow(clippy::too_many_arguments)]
fn nested(
    base: Option<&Window>,
    data_start: Option<u64>,
    packed: u64,
    declared: u64,
    stored: bool,
    source: String,
    place: &Place,
    piece: &mut Piece,
) {
    let limits = place.opts.limits;
    let (Some(base), Some(start)) = (base, data_start) else {
        piece.failed.push((
            source,
            format!(
                "a zip inside a zip inside a zip: not read ({} levels at most)",
                limits.depth
            ),
        ));
        return;
    };
    if place.level >= limits.depth {
        piece
            .failed
            .push((source, format!("zips nested more than {} deep: not read", limits.depth)));
        return;
    }
    let inner = Place {
        name: source,
        level: place.level + 1,
        opts: place.opts,
        progress: place.progress,
        total: place.total,
        total_limit: place.total_limit,
    };
    if stored {
        read_window(base.part(start, declared), &inner, piece);
    } else {
        read_inflated(Inflated::new(base.part(start, packed), declared), &inner, piece);
    }
}

/// A Strava export inside an archive: `activities.csv`, the files its rows name, `shoes.csv`.
fn strava_export<R: Read + Seek>(archive: &mut ZipArchive<R>, export: &StravaExport, place: &Place, piece: &mut Piece) {
    let csv_source = format!("{}/{}{}", place.name, export.prefix, strava::ACTIVITIES_CSV);
    // A CSV entry, streamed to `read` under the archive's limits.
    fn with_entry<R: Read + Seek, T>(
        archive: &mut ZipArchive<R>,
        index: usize,
        place: &Place,
        read: impl FnOnce(&mut dyn Read) -> Result<T, ImportError>,
    ) -> Result<T, String> {
        let mut file = archive.by_index(index).map_err(|e| format!("cannot read it: {e}"))?;
        if let Some(why) = too_big(&file, &place.opts.limits) {
            return Err(why);
        }
        let declared = file.size();
        let mut counted = Counted {
            inner: &mut file,
            left: declared,
            total: place.total,
            total_limit: place.total_limit,
        };
        read(&mut counted).map_err(|e| e.to_string())
    }
    piece.files += 1;
    let rows = match with_entry(archive, export.csv, place, |r| strava::read_rows(r, &csv_source)) {
        Ok(rows) => rows,
        Err(e) => {
            piece.failed.push((csv_source, e));
            return;
        }
    };
    let shoes_name = format!("{}{}", export.prefix, strava::SHOES_CSV);
    if let Some(i) = archive.index_for_name(&shoes_name) {
        match with_entry(archive, i, place, |r| strava::shoe_names(r, &shoes_name)) {
            Ok(names) => piece.shoes.extend(names),
            Err(e) => piece.failed.push((format!("{}/{shoes_name}", place.name), e)),
        }
    }
    let linked = rows.iter().filter(|r| r.wants_file(place.opts.choice)).count();
    (place.progress)(Progress::More(linked as u64));
    for row in rows {
        let found = match row.file.as_deref().filter(|_| row.wants_file(place.opts.choice)) {
            None => row.found.clone(),
            Some(file) => {
                let name = format!("{}{file}", export.prefix);
                let source = format!("{}/{name}", place.name);
                let result = match archive.index_for_name(&name) {
                    None => Err(ImportError::new("not in the archive")),
                    Some(i) => {
                        piece.files += 1;
                        (place.progress)(Progress::Done);
                        linked_entry(archive, i, &source, place)
                    }
                };
                row.with_file(result)
            }
        };
        piece.push(found);
    }
}

/// A file a Strava row names, inside the archive.
fn linked_entry<R: Read + Seek>(
    archive: &mut ZipArchive<R>,
    index: usize,
    source: &str,
    place: &Place,
) -> Result<Vec<Found>, ImportError> {
    let mut file = archive
        .by_index(index)
        .map_err(|e| ImportError::new(format!("cannot read it: {e}")))?;
    if file.is_symlink() {
        return Err(ImportError::new("a link inside the archive: not followed"));
    }
    if let Some(why) = too_big(&file, &place.opts.limits) {
        return Err(ImportError::new(why));
    }
    let declared = file.size();
    let opened = super::open_reader(Box::new(Counted {
        inner: &mut file,
        left: declared,
        total: place.total,
        total_limit: place.total_limit,
    }))?;
    match opened.format {
        Some(f @ (super::Format::Gpx | super::Format::Tcx | super::Format::Fit)) => {
            super::batch::parse_isolated(f, opened.reader, source).map_err(ImportError::new)
        }
        _ => Err(super::not_activity_data()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_names_that_leave_the_archive_are_unsafe() {
        for bad in [
            "../x.gpx",
            "a/../../x.gpx",
            "/etc/passwd",
            "C:\\x.gpx",
            "c:/x",
            "a\\..\\b",
        ] {
            assert!(!safe_name(bad), "{bad}");
        }
        for good in ["x.gpx", "activities/1.fit.gz", "a/b/c.tcx", "a..b.gpx"] {
            assert!(safe_name(good), "{good}");
        }
    }

    #[test]
    fn an_inflated_stream_seeks_back_and_forth() {
        use std::io::Write;
        let data: Vec<u8> = (0..3_000_000u32).flat_map(|i| (i % 251).to_le_bytes()).collect();
        let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(&data).unwrap();
        let packed = enc.finish().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p");
        std::fs::write(&path, &packed).unwrap();
        let window = Window::whole(File::open(&path).unwrap()).unwrap();
        let mut inf = Inflated::new(window.clone(), data.len() as u64);
        let mut buf = [0u8; 16];
        for at in [data.len() as u64 - 16, 100, 11_999_000, 5, data.len() as u64 - 100] {
            inf.seek(SeekFrom::Start(at)).unwrap();
            inf.read_exact(&mut buf).unwrap();
            assert_eq!(&buf[..], &data[at as usize..at as usize + 16], "at {at}");
        }
        // A header that says less than the data holds is refused.
        let mut liar = Inflated::new(window, 1000);
        let mut all = Vec::new();
        let err = liar.read_to_end(&mut all).unwrap_err();
        assert!(err.to_string().contains("more than its header says"), "{err}");
    }
}
