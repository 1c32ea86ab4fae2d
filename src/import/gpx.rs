//! GPX 1.0 and 1.1: every track point of every `<trk>` and `<trkseg>` in the file, as one
//! activity. Points are folded into running totals as they stream past; none is kept.
//!
//! - distance: the geodesic length of each segment, summed (no distance across a segment
//!   break: a break is where the device paused);
//! - elapsed time: first to last timestamp;
//! - moving time: the time between consecutive points of a segment when the runner covered at
//!   least [`MOVING_SPEED_M_S`](super::track::MOVING_SPEED_M_S) over it; a segment break, and
//!   standing still, do not count;
//! - heart rate and cadence: the mean of the per-point values (Garmin TrackPointExtension);
//! - routes (`<rte>`) and waypoints are plans, not runs: a file with only those is reported.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use super::track::{Point, Totals};
use crate::model::timefmt::{self, Stamp};
use quick_xml::events::BytesStart;

use super::xml;
use super::{Activity, Found, ImportError, Sport, geo, sport_from_name};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    None,
    Time,
    Type,
    Hr,
    Cad,
}

/// The parse state: where we are in the document, and the totals so far.
struct Gpx {
    totals: Totals,
    seen_root: bool,
    in_trk: bool,
    in_trkpt: bool,
    route_points: u64,
    tracks: u32,
    sport: Sport,
    field: Field,
    /// The track point being read, and whether its position is valid.
    point: Point,
    point_ok: bool,
    days: timefmt::DayCache,
}

impl xml::Handler for Gpx {
    fn start(&mut self, tag: &BytesStart<'_>, empty: bool) -> Result<(), ImportError> {
        let name = xml::name(tag);
        if !self.seen_root {
            if name != b"gpx" {
                return Err(ImportError::new("the root element is not <gpx>"));
            }
            self.seen_root = true;
            return Ok(());
        }
        self.field = Field::None;
        match name {
            b"trk" => {
                self.in_trk = !empty;
                self.tracks += 1;
                self.totals.break_segment();
            }
            b"trkseg" => self.totals.break_segment(),
            b"trkpt" if self.in_trk => self.start_point(tag, empty),
            b"rtept" => self.route_points += 1,
            _ if empty => {}
            b"time" if self.in_trkpt => self.field = Field::Time,
            b"type" if self.in_trk && !self.in_trkpt => self.field = Field::Type,
            b"hr" if self.in_trkpt => self.field = Field::Hr,
            b"cad" if self.in_trkpt => self.field = Field::Cad,
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, qname: &[u8]) -> Result<(), ImportError> {
        self.field = Field::None;
        // Only two closing tags matter; most are passed over without finding the local name.
        if !(qname.ends_with(b"trkpt") || qname.ends_with(b"trk")) {
            return Ok(());
        }
        match xml::local(qname) {
            b"trkpt" if self.in_trkpt => {
                self.in_trkpt = false;
                if self.point_ok {
                    self.totals.add(self.point.lat, self.point.lon, self.point.time);
                }
            }
            b"trk" => self.in_trk = false,
            _ => {}
        }
        Ok(())
    }

    fn text(&mut self, text: &[u8]) -> Result<(), ImportError> {
        match self.field {
            Field::Time => self.point.time = timefmt::parse_cached(text, &mut self.days),
            Field::Type => self.sport = sport_from_name(&String::from_utf8_lossy(text)),
            Field::Hr => {
                if let Some(v) = xml::number(text) {
                    self.totals.add_hr(v);
                }
            }
            Field::Cad => {
                if let Some(v) = xml::number(text) {
                    self.totals.add_cadence(v);
                }
            }
            Field::None => {}
        }
        self.field = Field::None;
        Ok(())
    }
}

impl Gpx {
    fn start_point(&mut self, tag: &BytesStart<'_>, empty: bool) {
        let (lat, lon) = xml::two_attrs(tag, b"lat", b"lon");
        let (lat, lon) = (lat.and_then(xml::number), lon.and_then(xml::number));
        self.point_ok = matches!((lat, lon), (Some(a), Some(o)) if geo::valid(a, o));
        self.point = Point {
            lat: lat.unwrap_or(0.0),
            lon: lon.unwrap_or(0.0),
            time: None,
        };
        if !empty {
            self.in_trkpt = true;
        } else if self.point_ok {
            self.totals.add(self.point.lat, self.point.lon, None);
        }
    }

    fn finish(self, source: &str) -> Result<Found, ImportError> {
        if !self.seen_root {
            return Err(ImportError::new("no <gpx> element"));
        }
        let nothing = |reason: String| {
            Ok(Found::Nothing {
                source: source.to_string(),
                reason,
            })
        };
        if self.tracks == 0 && self.route_points > 0 {
            return nothing(format!(
                "a planned route ({} route points) with no recorded track",
                self.route_points
            ));
        }
        if let Sport::Other(s) = &self.sport {
            return nothing(format!("a {s} activity, not a run"));
        }
        let totals = self.totals;
        if let Some(reason) = totals.nothing_reason() {
            return nothing(reason.to_string());
        }
        let start = totals
            .first
            .and_then(Stamp::to_datetime)
            .ok_or_else(|| ImportError::new("a timestamp out of range"))?;
        Ok(Found::Activity(Activity {
            sport: self.sport,
            start,
            distance_m: totals.distance_m,
            elapsed_s: totals.elapsed_s().unwrap_or(0.0),
            moving_s: Some(totals.moving_ms as f64 / 1000.0),
            avg_hr: totals.avg_hr(),
            avg_cadence: totals.avg_cadence_spm(),
            gear: None,
            source: source.to_string(),
        }))
    }
}

impl Gpx {
    fn new() -> Self {
        Gpx {
            totals: Totals::default(),
            seen_root: false,
            in_trk: false,
            in_trkpt: false,
            route_points: 0,
            tracks: 0,
            sport: Sport::Unknown,
            field: Field::None,
            point: Point {
                lat: 0.0,
                lon: 0.0,
                time: None,
            },
            point_ok: false,
            days: timefmt::DayCache::default(),
        }
    }

    /// The state for the second half of a split file, which starts at a `<trkpt>` inside
    /// `<gpx><trk><trkseg>`.
    fn continuing() -> Self {
        Gpx {
            seen_root: true,
            in_trk: true,
            ..Gpx::new()
        }
    }

    /// This half followed by the `later` one.
    fn merge(self, later: Gpx) -> Gpx {
        let sport = match (&self.sport, &later.sport) {
            (Sport::Other(_), _) | (Sport::Run, Sport::Unknown) => self.sport,
            (_, Sport::Other(_)) | (_, Sport::Run) => later.sport,
            _ => Sport::Unknown,
        };
        Gpx {
            totals: self.totals.merge(later.totals),
            route_points: self.route_points + later.route_points,
            tracks: self.tracks + later.tracks,
            sport,
            ..later
        }
    }
}

/// Parses one GPX document.
pub fn parse(reader: impl Read, source: &str) -> Result<Found, ImportError> {
    let mut gpx = Gpx::new();
    xml::stream(reader, &mut gpx)?;
    gpx.finish(source)
}

/// Plain GPX files at least this big are parsed in two halves, on two threads.
pub const SPLIT_MIN_BYTES: u64 = 8 << 20;
/// Track points sit inside `<gpx><trk><trkseg>`.
const POINT_DEPTH: usize = 3;

/// Parses a plain (not gzipped) GPX file, in two halves at once when it is big. The halves are
/// joined only when the first ends exactly where the second starts (inside a track segment,
/// with the same elements open); otherwise, or on any error, the file is parsed in one pass, so
/// the answer and the error messages are always those of [`parse`].
pub fn parse_file(path: &Path, source: &str) -> Result<Found, ImportError> {
    let len = std::fs::metadata(path)?.len();
    if len >= SPLIT_MIN_BYTES
        && let Some(split) = find_split(path, len)?
        && let Some(gpx) = parse_halves(path, split)
    {
        return gpx.finish(source);
    }
    parse(File::open(path)?, source)
}

/// The offset of a `<trkpt` tag near the middle of the file.
fn find_split(path: &Path, len: u64) -> Result<Option<u64>, ImportError> {
    let mut f = File::open(path)?;
    let mid = len / 2;
    f.seek(SeekFrom::Start(mid))?;
    let mut buf = Vec::with_capacity(1 << 20);
    f.take(1 << 20).read_to_end(&mut buf)?;
    let at = buf
        .windows(7)
        .position(|w| &w[..6] == b"<trkpt" && (w[6].is_ascii_whitespace() || w[6] == b'>' || w[6] == b'/'));
    Ok(at.map(|p| mid + p as u64))
}

fn parse_halves(path: &Path, split: u64) -> Option<Gpx> {
    let first = || -> Result<(Gpx, xml::PartEnds), ImportError> {
        let mut gpx = Gpx::new();
        let ends = xml::stream_part(File::open(path)?.take(split), &mut gpx, true, 0)?;
        Ok((gpx, ends))
    };
    let second = || -> Result<(Gpx, xml::PartEnds), ImportError> {
        let mut f = File::open(path)?;
        f.seek(SeekFrom::Start(split))?;
        let mut gpx = Gpx::continuing();
        let ends = xml::stream_part(f, &mut gpx, false, POINT_DEPTH)?;
        Ok((gpx, ends))
    };
    let (a, b) = std::thread::scope(|s| {
        let later = s.spawn(second);
        (first(), later.join())
    });
    let ((a, a_ends), (b, b_ends)) = (a.ok()?, b.ok()?.ok()?);
    let joins = a.seen_root
        && a.in_trk
        && !a.in_trkpt
        && a.field == Field::None
        && a_ends.depth() == POINT_DEPTH
        && a_ends.joins(&b_ends);
    joins.then(|| a.merge(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gpx(body: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">{body}</gpx>"#
        )
    }

    fn pt(lat: f64, lon: f64, time: &str) -> String {
        format!(r#"<trkpt lat="{lat}" lon="{lon}"><ele>10</ele><time>{time}</time></trkpt>"#)
    }

    fn run(doc: &str) -> Result<Found, ImportError> {
        parse(std::io::Cursor::new(doc.as_bytes().to_vec()), "t.gpx")
    }

    fn activity(doc: &str) -> Activity {
        match run(doc).unwrap() {
            Found::Activity(a) => a,
            other => panic!("expected an activity, got {other:?}"),
        }
    }

    fn reason(doc: &str) -> String {
        match run(doc).unwrap() {
            Found::Nothing { reason, .. } => reason,
            other => panic!("expected nothing, got {other:?}"),
        }
    }

    /// 0.001° of latitude at 45° N on WGS-84 (meridional radius M times the angle).
    const MILLI_DEG_LAT_45: f64 = 111.132_95;

    #[test]
    fn a_steady_track() {
        let doc = gpx(&format!(
            "<trk><type>running</type><trkseg>{}{}{}</trkseg></trk>",
            pt(45.0, 14.0, "2024-05-01T06:00:00Z"),
            pt(45.001, 14.0, "2024-05-01T06:00:30Z"),
            pt(45.002, 14.0, "2024-05-01T06:01:00Z"),
        ));
        let a = activity(&doc);
        assert_eq!(a.sport, Sport::Run);
        assert_eq!(a.start.to_rfc3339(), "2024-05-01T06:00:00+00:00");
        assert!((a.distance_m - 2.0 * MILLI_DEG_LAT_45).abs() < 0.05, "{}", a.distance_m);
        assert_eq!(a.elapsed_s, 60.0);
        assert_eq!(a.moving_s, Some(60.0));
        assert_eq!(a.avg_hr, None);
    }

    #[test]
    fn a_pause_in_place_is_not_moving_time() {
        // 30 s running, 120 s standing (0.3 m of jitter), 30 s running.
        let doc = gpx(&format!(
            "<trk><trkseg>{}{}{}{}</trkseg></trk>",
            pt(45.0, 14.0, "2024-05-01T06:00:00Z"),
            pt(45.001, 14.0, "2024-05-01T06:00:30Z"),
            pt(45.001_002_7, 14.0, "2024-05-01T06:02:30Z"),
            pt(45.002, 14.0, "2024-05-01T06:03:00Z"),
        ));
        let a = activity(&doc);
        assert_eq!(a.elapsed_s, 180.0);
        assert_eq!(a.moving_s, Some(60.0));
    }

    #[test]
    fn the_moving_threshold_is_inclusive() {
        // Exactly 0.5 m/s over 100 s counts; a little less does not.
        let step = 50.0 / (MILLI_DEG_LAT_45 * 1000.0);
        let at = |lat: f64| {
            let d = geo::distance_m(45.0, 14.0, lat, 14.0);
            let doc = gpx(&format!(
                "<trk><trkseg>{}{}</trkseg></trk>",
                pt(45.0, 14.0, "2024-05-01T06:00:00Z"),
                pt(lat, 14.0, "2024-05-01T06:01:40Z"),
            ));
            (d, activity(&doc).moving_s)
        };
        let (d, moving) = at(45.0 + step * 1.0001);
        assert!(d >= 50.0, "{d}");
        assert_eq!(moving, Some(100.0));
        let (d, moving) = at(45.0 + step * 0.999);
        assert!(d < 50.0, "{d}");
        assert_eq!(moving, Some(0.0));
    }

    #[test]
    fn segments_add_up_without_the_gap_between_them() {
        let doc = gpx(&format!(
            "<trk><trkseg>{}{}</trkseg><trkseg>{}{}</trkseg></trk>",
            pt(45.0, 14.0, "2024-05-01T06:00:00Z"),
            pt(45.001, 14.0, "2024-05-01T06:00:30Z"),
            // The device paused and the runner walked 1 km away: not counted.
            pt(45.01, 14.0, "2024-05-01T06:10:00Z"),
            pt(45.011, 14.0, "2024-05-01T06:10:30Z"),
        ));
        let a = activity(&doc);
        assert!((a.distance_m - 2.0 * MILLI_DEG_LAT_45).abs() < 0.05, "{}", a.distance_m);
        assert_eq!(a.elapsed_s, 630.0);
        assert_eq!(a.moving_s, Some(60.0));
    }

    #[test]
    fn gpx_1_0_and_garmin_extensions() {
        let doc = r#"<?xml version="1.0"?>
<gpx version="1.0" xmlns="http://www.topografix.com/GPX/1/0" xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">
<trk><trkseg>
<trkpt lat="45.0" lon="14.0"><time>2024-05-01T06:00:00Z</time><extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>140</gpxtpx:hr><gpxtpx:cad>85</gpxtpx:cad></gpxtpx:TrackPointExtension></extensions></trkpt>
<trkpt lat="45.001" lon="14.0"><time>2024-05-01T06:00:30Z</time><extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>150</gpxtpx:hr><gpxtpx:cad>87</gpxtpx:cad></gpxtpx:TrackPointExtension></extensions></trkpt>
</trkseg></trk></gpx>"#;
        let a = activity(doc);
        assert_eq!(a.avg_hr, Some(145.0));
        assert_eq!(a.avg_cadence, Some(172.0));
    }

    #[test]
    fn edges_are_reported_not_imported() {
        assert_eq!(reason(&gpx("")), "no track points");
        assert_eq!(reason(&gpx("<trk><trkseg></trkseg></trk>")), "no track points");
        assert_eq!(
            reason(&gpx(&format!(
                "<trk><trkseg>{}</trkseg></trk>",
                pt(45.0, 14.0, "2024-05-01T06:00:00Z")
            ))),
            "a single track point: no distance or duration"
        );
        let untimed = r#"<trk><trkseg><trkpt lat="45" lon="14"/><trkpt lat="45.001" lon="14"/></trkseg></trk>"#;
        assert_eq!(reason(&gpx(untimed)), "no timestamps, so no start time or duration");
        let route = r#"<rte><rtept lat="45" lon="14"/><rtept lat="45.1" lon="14"/></rte>"#;
        assert!(reason(&gpx(route)).contains("planned route"));
        let ride = format!(
            "<trk><type>cycling</type><trkseg>{}{}</trkseg></trk>",
            pt(45.0, 14.0, "2024-05-01T06:00:00Z"),
            pt(45.01, 14.0, "2024-05-01T06:00:30Z")
        );
        assert_eq!(reason(&gpx(&ride)), "a cycling activity, not a run");
    }

    fn temp_file(doc: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.gpx");
        std::fs::write(&path, doc).unwrap();
        (dir, path)
    }

    fn same(a: &Activity, b: &Activity) {
        assert!(
            (a.distance_m - b.distance_m).abs() < 1e-6,
            "{} vs {}",
            a.distance_m,
            b.distance_m
        );
        assert_eq!((a.start, a.elapsed_s, a.moving_s), (b.start, b.elapsed_s, b.moving_s));
        assert_eq!((a.avg_hr, a.avg_cadence, &a.sport), (b.avg_hr, b.avg_cadence, &b.sport));
    }

    #[test]
    fn halves_join_to_the_whole_wherever_the_split() {
        let hr = |lat: f64, t: &str, bpm: u32| {
            format!(
                r#"<trkpt lat="{lat}" lon="14"><time>{t}</time><extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{bpm}</gpxtpx:hr></gpxtpx:TrackPointExtension></extensions></trkpt>"#
            )
        };
        let doc = gpx(&format!(
            "<rte><rtept lat=\"1\" lon=\"1\"/></rte><trk><type>running</type><trkseg>{}{}{}</trkseg><trkseg>{}<trkpt lat=\"45.02\" lon=\"14\"/>{}</trkseg></trk>",
            hr(45.0, "2024-05-01T06:00:00Z", 120),
            hr(45.001, "2024-05-01T06:00:30Z", 130),
            hr(45.002, "2024-05-01T06:05:00Z", 140),
            hr(45.01, "2024-05-01T06:10:00Z", 150),
            hr(45.011, "2024-05-01T06:10:30Z", 160),
        ));
        let (_dir, path) = temp_file(&doc);
        let Found::Activity(whole) = parse(doc.as_bytes(), "t.gpx").unwrap() else {
            panic!()
        };
        let splits: Vec<usize> = doc.match_indices("<trkpt").map(|(i, _)| i).collect();
        assert_eq!(splits.len(), 6);
        for split in splits {
            let halves = parse_halves(&path, split as u64).unwrap_or_else(|| panic!("split at {split} should join"));
            let Found::Activity(joined) = halves.finish("t.gpx").unwrap() else {
                panic!()
            };
            same(&joined, &whole);
        }
    }

    #[test]
    fn splits_that_do_not_join_are_refused() {
        // The only "<trkpt" after the middle is inside a comment.
        let doc = gpx(&format!(
            "<trk><trkseg>{}{}<!-- <trkpt lat=\"1\" lon=\"1\"></trkpt> --></trkseg></trk>",
            pt(45.0, 14.0, "2024-05-01T06:00:00Z"),
            pt(45.01, 14.0, "2024-05-01T06:00:30Z")
        ));
        let (_dir, path) = temp_file(&doc);
        let split = doc.rfind("<trkpt").unwrap() as u64;
        assert!(parse_halves(&path, split).is_none());
        // A point outside any segment: not at the depth a split expects.
        let odd = gpx(r#"<trk><trkpt lat="1" lon="1"/><trkpt lat="1.1" lon="1"/></trk>"#);
        let (_dir2, path2) = temp_file(&odd);
        assert!(parse_halves(&path2, odd.rfind("<trkpt").unwrap() as u64).is_none());
    }

    #[test]
    fn big_real_files_split_and_join() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/gpx/garmin_with_extensions.gpx");
        let Found::Activity(whole) = parse(File::open(&path).unwrap(), "x").unwrap() else {
            panic!()
        };
        let len = std::fs::metadata(&path).unwrap().len();
        let split = find_split(&path, len).unwrap().expect("a track point past the middle");
        let Found::Activity(joined) = parse_halves(&path, split).expect("joins").finish("x").unwrap() else {
            panic!()
        };
        same(&joined, &whole);
    }

    #[test]
    fn damaged_files_fail_clearly() {
        let full = gpx(&format!(
            "<trk><trkseg>{}{}</trkseg></trk>",
            pt(45.0, 14.0, "2024-05-01T06:00:00Z"),
            pt(45.01, 14.0, "2024-05-01T06:00:30Z")
        ));
        for cut in [10, 60, full.len() / 2, full.len() - 8] {
            let err = run(&full[..cut]).unwrap_err();
            assert!(
                err.to_string().contains("truncated") || err.to_string().contains("damaged"),
                "{cut}: {err}"
            );
        }
        assert!(run("<kml></kml>").unwrap_err().to_string().contains("not <gpx>"));
        assert!(run("").is_err());
        assert!(run("<gpx><trk></gpx>").is_err());
    }
}
