//! GPX 1.0 and 1.1: the track points of every `<trk>` and `<trkseg>`. Points are folded into
//! running totals as they stream past; none is kept.
//!
//! - distance: the geodesic length of each segment, summed (no distance across a segment
//!   break: a break is where the device paused);
//! - elapsed time: first to last timestamp;
//! - moving time: the time between consecutive points of a segment when the runner covered at
//!   least [`MOVING_SPEED_M_S`](super::track::MOVING_SPEED_M_S) over it; a segment break, and
//!   standing still, do not count;
//! - heart rate and cadence: the mean of the per-point values (Garmin TrackPointExtension);
//! - tracks: one activity, unless tracks are [`SPLIT_GAP_S`] or more apart (a file of several
//!   days, or several outings), which makes one activity per group of tracks;
//! - sport: the track's `<type>`, else the sport its `<name>` gives away ("Morning Ride");
//! - routes (`<rte>`) and waypoints are plans, not runs: a file with only those is reported.

use std::io::Read;

use super::archive::Window;
use super::track::{Point, Totals};
use crate::model::timefmt::{self, Stamp};
use quick_xml::events::BytesStart;

use super::xml;
use super::{Activity, Found, ImportError, SkipKind, Sport, geo, sport};

/// Tracks at least this far apart in time are separate activities.
pub const SPLIT_GAP_S: i64 = 3600;
/// More activities than this in one file is not a runner's file.
const MAX_ACTIVITIES: usize = 10_000;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    None,
    Time,
    Type,
    Name,
    Hr,
    Cad,
}

/// One `<trk>`, or a group of tracks close enough in time to be one activity.
#[derive(Default)]
struct Tracks {
    totals: Totals,
    kind: Option<String>,
    name: Option<String>,
    /// The 1-based number of the group's first track in the file.
    first: u32,
}

impl Tracks {
    /// True when `next` is close enough in time to belong to the same activity (tracks without
    /// times cannot be placed, so they join).
    fn joins(&self, next: &Tracks) -> bool {
        let gap_ms = SPLIT_GAP_S * 1000;
        match (
            self.totals.first,
            self.totals.last_ms,
            next.totals.first,
            next.totals.last_ms,
        ) {
            (Some(a_first), Some(a_last), Some(b_first), Some(b_last)) => {
                b_first.ms < a_last + gap_ms && b_last + gap_ms > a_first.ms
            }
            _ => true,
        }
    }

    fn add(mut self, next: Tracks) -> Tracks {
        self.totals = self.totals.merge(next.totals);
        self.kind = self.kind.or(next.kind);
        self.name = self.name.or(next.name);
        self
    }
}

/// The parse state: where we are in the document, and the totals so far.
struct Gpx {
    seen_root: bool,
    in_trk: bool,
    in_trkpt: bool,
    route_points: u64,
    tracks: u32,
    field: Field,
    /// The track being read, the group it may join, and the groups already complete.
    track: Tracks,
    group: Option<Tracks>,
    done: Vec<Tracks>,
    /// The second half of a split file keeps its tracks apart, to be grouped once joined.
    keep_tracks: bool,
    kept: Vec<Tracks>,
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
                self.close_track()?;
                self.tracks += 1;
                self.track.first = self.tracks;
                self.in_trk = !empty;
            }
            b"trkseg" => self.track.totals.break_segment(),
            b"trkpt" if self.in_trk => self.start_point(tag, empty),
            b"rtept" => self.route_points += 1,
            _ if empty => {}
            b"time" if self.in_trkpt => self.field = Field::Time,
            b"type" if self.in_trk && !self.in_trkpt => self.field = Field::Type,
            b"name" if self.in_trk && !self.in_trkpt => self.field = Field::Name,
            b"hr" if self.in_trkpt => self.field = Field::Hr,
            b"cad" if self.in_trkpt => self.field = Field::Cad,
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, local: &[u8]) -> Result<(), ImportError> {
        self.field = Field::None;
        match local {
            b"trkpt" if self.in_trkpt => {
                self.in_trkpt = false;
                if self.point_ok {
                    self.track.totals.add(self.point.lat, self.point.lon, self.point.time);
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
            Field::Type => self.track.kind = Some(String::from_utf8_lossy(text).trim().to_string()),
            Field::Name if self.track.name.is_none() => {
                self.track.name = Some(String::from_utf8_lossy(text).trim().to_string())
            }
            Field::Hr => {
                if let Some(v) = xml::number(text) {
                    self.track.totals.add_hr(v);
                }
            }
            Field::Cad => {
                if let Some(v) = xml::number(text) {
                    self.track.totals.add_cadence(v);
                }
            }
            Field::Name | Field::None => {}
        }
        self.field = Field::None;
        Ok(())
    }
}

impl Gpx {
    fn new() -> Self {
        Gpx {
            seen_root: false,
            in_trk: false,
            in_trkpt: false,
            route_points: 0,
            tracks: 0,
            field: Field::None,
            track: Tracks::default(),
            group: None,
            done: Vec::new(),
            keep_tracks: false,
            kept: Vec::new(),
            point: Point {
                lat: 0.0,
                lon: 0.0,
                time: None,
            },
            point_ok: false,
            days: timefmt::DayCache::default(),
        }
    }

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
            self.track.totals.add(self.point.lat, self.point.lon, None);
        }
    }

    /// Ends the track read so far: it joins the current group, or starts the next one.
    fn close_track(&mut self) -> Result<(), ImportError> {
        if self.tracks == 0 {
            return Ok(());
        }
        let track = std::mem::take(&mut self.track);
        if self.keep_tracks {
            self.kept.push(track);
            return Ok(());
        }
        self.group = Some(match self.group.take() {
            None => track,
            Some(group) if group.joins(&track) => group.add(track),
            Some(group) => {
                self.done.push(group);
                if self.done.len() >= MAX_ACTIVITIES {
                    return Err(ImportError::new(format!(
                        "more than {MAX_ACTIVITIES} separate tracks: not one runner's file"
                    )));
                }
                track
            }
        });
        Ok(())
    }

    fn finish(mut self, source: &str) -> Result<Vec<Found>, ImportError> {
        if !self.seen_root {
            return Err(ImportError::new("no <gpx> element"));
        }
        if self.tracks == 0 {
            let reason = if self.route_points > 0 {
                format!(
                    "a planned route ({} route points) with no recorded track",
                    self.route_points
                )
            } else {
                "no track points".to_string()
            };
            return Ok(vec![Found::nothing(source, SkipKind::NotAnActivity, reason)]);
        }
        self.close_track()?;
        let mut groups = std::mem::take(&mut self.done);
        groups.extend(self.group.take());
        let several = groups.len() > 1;
        groups
            .into_iter()
            .map(|g| {
                let name = if several {
                    format!("{source} (track {})", g.first)
                } else {
                    source.to_string()
                };
                activity(g, &name)
            })
            .collect()
    }
}

/// One group of tracks as an activity, or the reason it is none.
fn activity(g: Tracks, source: &str) -> Result<Found, ImportError> {
    let totals = g.totals;
    if let Some(reason) = totals.nothing_reason() {
        let kind = if totals.points == 0 {
            SkipKind::NotAnActivity
        } else {
            SkipKind::Incomplete
        };
        return Ok(Found::nothing(source, kind, reason));
    }
    let (sport, sport_by) = match g.kind.as_deref().map(sport::from_text) {
        Some(s) if s.is_known() => (s, "GPX <type>"),
        declared => match g.name.as_deref().and_then(sport::from_name) {
            Some(s) => (s, "the track name"),
            None => (declared.unwrap_or(Sport::Unknown(None)), "GPX <type>"),
        },
    };
    let start = totals
        .first
        .and_then(Stamp::to_datetime)
        .ok_or_else(|| ImportError::new("a timestamp out of range"))?;
    Ok(Found::Activity(Activity {
        sport,
        sport_by,
        start,
        distance_m: totals.distance_m,
        elapsed_s: totals.elapsed_s().unwrap_or(0.0),
        moving_s: Some(totals.moving_ms as f64 / 1000.0),
        avg_hr: totals.avg_hr(),
        avg_cadence: totals.avg_cadence_spm(),
        gear: None,
        source: source.to_string(),
        speed: totals.speed_facts(),
        stand_in: false,
    }))
}

/// Parses one GPX document: one activity per group of tracks.
pub fn parse(reader: impl Read, source: &str) -> Result<Vec<Found>, ImportError> {
    let mut gpx = Gpx::new();
    xml::stream(reader, &mut gpx)?;
    gpx.finish(source)
}

/// Plain GPX files at least this big are parsed in parts, on two threads.
pub const SPLIT_MIN_BYTES: u64 = 8 << 20;
/// The size of a part: held in memory while it is parsed, one part per thread.
const PART_BYTES: u64 = 4 << 20;
/// How far past a part's nominal end a `<trkpt` is looked for.
const CUT_SEARCH: u64 = 64 << 10;
/// Track points sit inside these, and every cut is made there.
const AROUND_POINTS: [&[u8]; 3] = [b"gpx", b"trk", b"trkseg"];

/// Parses a GPX file on disk. A big one is cut just before a `<trkpt` every few megabytes and
/// the parts are parsed at once on two threads, each read once into memory and parsed there by
/// quick-xml (which checks each part's end tags). The parts are joined only when each leaves
/// open exactly `<gpx><trk><trkseg>` and the next closes what is left open; otherwise (a cut fell
/// in a comment, or anywhere odd) the file is parsed in one pass, so results and errors never
/// depend on the cuts.
///
/// The file is read as UTF-8 (quick-xml checks it); a file that is not is read again from the
/// start with the Latin-1 fallback of [`parse`].
pub fn parse_file(file: Window, source: &str) -> Result<Vec<Found>, ImportError> {
    let len = file.len();
    if len >= SPLIT_MIN_BYTES
        && let Some(gpx) = parse_parts(&file, &cuts(&file, PART_BYTES))
    {
        return gpx.finish(source);
    }
    let mut gpx = Gpx::new();
    match xml::stream_part(file.part(0, len), &mut gpx, xml::Part::Whole, xml::Text::Utf8) {
        Ok(ends) if ends.depth == 0 => gpx.finish(source),
        // Not UTF-8, or damaged: the one-pass parse with the fallback, for its exact message.
        _ => parse(file.part(0, len), source),
    }
}

/// Offsets of a `<trkpt` tag just after every `every` bytes of the file.
fn cuts(file: &Window, every: u64) -> Vec<u64> {
    let mut cuts: Vec<u64> = Vec::new();
    let mut at = every;
    while at + every / 2 < file.len() {
        let mut near = Vec::with_capacity(CUT_SEARCH as usize);
        if file.part(at, CUT_SEARCH).read_to_end(&mut near).is_ok()
            && let Some(p) = near
                .windows(7)
                .position(|w| &w[..6] == b"<trkpt" && (w[6].is_ascii_whitespace() || w[6] == b'>' || w[6] == b'/'))
            && cuts.last().is_none_or(|last| *last < at + p as u64)
        {
            cuts.push(at + p as u64);
        }
        at += every;
    }
    cuts
}

/// The whole file's state from its parts cut at `cuts`, or `None` when they do not join.
fn parse_parts(file: &Window, cuts: &[u64]) -> Option<Gpx> {
    if cuts.is_empty() {
        return None;
    }
    let starts: Vec<u64> = std::iter::once(0).chain(cuts.iter().copied()).collect();
    let bounds: Vec<(u64, u64)> = starts
        .iter()
        .zip(cuts.iter().copied().chain([file.len()]))
        .map(|(a, b)| (*a, b))
        .collect();
    let parsed = super::batch::par_map(&bounds, 2, |&(from, to)| {
        let mut bytes = Vec::with_capacity((to - from) as usize);
        file.part(from, to - from).read_to_end(&mut bytes).ok()?;
        let (mut gpx, part) = if from == 0 {
            (Gpx::new(), xml::Part::First)
        } else {
            let outer = AROUND_POINTS.len();
            (Gpx::continuing(), xml::Part::Rest { outer })
        };
        let ends = xml::parse_slice(&bytes, &mut gpx, part).ok()?;
        Some((gpx, ends))
    });
    // The elements open at each cut: what the parts before it left open.
    let mut open: Vec<Vec<u8>> = Vec::new();
    let mut whole: Option<Gpx> = None;
    let last = parsed.len() - 1;
    for (i, part) in parsed.into_iter().enumerate() {
        let (gpx, ends) = part?;
        for closed in &ends.closed_before {
            if open.pop().as_ref() != Some(closed) {
                return None;
            }
        }
        if ends.open.len() != ends.depth {
            return None;
        }
        open.extend(ends.open);
        let at_a_cut =
            open.iter().map(Vec::as_slice).eq(AROUND_POINTS) && gpx.in_trk && !gpx.in_trkpt && gpx.field == Field::None;
        if (i < last && !at_a_cut) || (i == last && !open.is_empty()) {
            return None;
        }
        whole = Some(match whole {
            None => gpx,
            Some(w) => w.then(gpx).ok()?,
        });
    }
    whole
}

impl Gpx {
    /// The state for a later part of a split file, which starts at a `<trkpt>` inside
    /// `<gpx><trk><trkseg>`: inside the track the part before left open.
    fn continuing() -> Self {
        Gpx {
            seen_root: true,
            in_trk: true,
            tracks: 1,
            keep_tracks: true,
            ..Gpx::new()
        }
    }

    /// This part followed by the next: the track left open goes on in the next part's first
    /// track, and its other tracks are grouped as if read here.
    fn then(mut self, later: Gpx) -> Result<Gpx, ImportError> {
        let mut tracks = later.kept.into_iter().chain([later.track]);
        let continued = tracks.next().unwrap_or_default();
        self.track.totals = std::mem::take(&mut self.track.totals).merge(continued.totals);
        self.track.kind = self.track.kind.take().or(continued.kind);
        self.track.name = self.track.name.take().or(continued.name);
        for t in tracks {
            self.close_track()?;
            self.tracks += 1;
            self.track = Tracks {
                first: self.tracks,
                ..t
            };
        }
        self.route_points += later.route_points;
        self.in_trk = later.in_trk;
        Ok(self)
    }
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

    fn run(doc: &str) -> Result<Vec<Found>, ImportError> {
        parse(std::io::Cursor::new(doc.as_bytes().to_vec()), "t.gpx")
    }

    fn activities(doc: &str) -> Vec<Activity> {
        run(doc)
            .unwrap()
            .into_iter()
            .map(|f| match f {
                Found::Activity(a) => a,
                other => panic!("expected an activity, got {other:?}"),
            })
            .collect()
    }

    fn activity(doc: &str) -> Activity {
        let mut all = activities(doc);
        assert_eq!(all.len(), 1, "{all:?}");
        all.remove(0)
    }

    fn reason(doc: &str) -> String {
        match run(doc).unwrap().remove(0) {
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
        assert_eq!(a.sport, Sport::Run("running".into()));
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
    }

    #[test]
    fn the_sport_comes_from_the_type_then_the_name() {
        let track = |inner: &str| {
            gpx(&format!(
                "<trk>{inner}<trkseg>{}{}</trkseg></trk>",
                pt(45.0, 14.0, "2024-05-01T06:00:00Z"),
                pt(45.01, 14.0, "2024-05-01T06:05:00Z")
            ))
        };
        let of = |inner: &str| {
            let a = activity(&track(inner));
            (a.sport, a.sport_by)
        };
        assert_eq!(
            of("<type>cycling</type>"),
            (Sport::Other("cycling".into()), "GPX <type>")
        );
        assert_eq!(
            of("<type>1</type>"),
            (Sport::Other("ride (Strava type 1)".into()), "GPX <type>")
        );
        assert_eq!(
            of("<type>9</type>"),
            (Sport::Run("run (Strava type 9)".into()), "GPX <type>")
        );
        assert_eq!(
            of("<name>Afternoon Ride</name><type>1</type>"),
            (Sport::Other("ride (Strava type 1)".into()), "GPX <type>")
        );
        assert_eq!(
            of("<name>Running 9/21/13 2:03 pm</name>"),
            (Sport::Run("Running 9/21/13 2:03 pm".into()), "the track name")
        );
        assert_eq!(of("<name>Day 1</name>"), (Sport::Unknown(None), "GPX <type>"));
        assert_eq!(
            of("<type>jkljkl</type>"),
            (Sport::Unknown(Some("jkljkl".into())), "GPX <type>")
        );
    }

    #[test]
    fn tracks_hours_apart_are_separate_runs() {
        let trk = |day: u32| {
            format!(
                "<trk><name>Day {day}</name><trkseg>{}{}</trkseg></trk>",
                pt(45.0, 14.0, &format!("2024-05-0{day}T06:00:00Z")),
                pt(45.01, 14.0, &format!("2024-05-0{day}T06:10:00Z"))
            )
        };
        let three_days = gpx(&format!("{}{}{}", trk(1), trk(2), trk(3)));
        let runs = activities(&three_days);
        assert_eq!(runs.len(), 3, "{runs:?}");
        for (i, r) in runs.iter().enumerate() {
            assert_eq!(r.elapsed_s, 600.0);
            assert_eq!(r.source, format!("t.gpx (track {})", i + 1));
            assert_eq!(r.start.to_rfc3339(), format!("2024-05-0{}T06:00:00+00:00", i + 1));
        }
        // Two tracks 59 minutes apart are one run with a pause; 60 minutes apart, two runs.
        let pair = |second_start: &str, second_end: &str| {
            gpx(&format!(
                "<trk><trkseg>{}{}</trkseg></trk><trk><trkseg>{}{}</trkseg></trk>",
                pt(45.0, 14.0, "2024-05-01T06:00:00Z"),
                pt(45.01, 14.0, "2024-05-01T06:10:00Z"),
                pt(45.02, 14.0, second_start),
                pt(45.03, 14.0, second_end)
            ))
        };
        let one = activities(&pair("2024-05-01T07:09:59Z", "2024-05-01T07:20:00Z"));
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].elapsed_s, 4800.0);
        assert!((one[0].distance_m - 2.0 * 1111.3).abs() < 1.0, "{}", one[0].distance_m);
        assert_eq!(
            activities(&pair("2024-05-01T07:10:00Z", "2024-05-01T07:20:00Z")).len(),
            2
        );
    }

    fn window_of(doc: &str) -> (tempfile::TempDir, Window) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.gpx");
        std::fs::write(&path, doc).unwrap();
        let w = Window::whole(std::fs::File::open(&path).unwrap()).unwrap();
        (dir, w)
    }

    fn finish(g: Gpx) -> Vec<Activity> {
        g.finish("t.gpx")
            .unwrap()
            .into_iter()
            .filter_map(|f| match f {
                Found::Activity(a) => Some(a),
                Found::Nothing { .. } => None,
            })
            .collect()
    }

    #[test]
    fn halves_join_to_the_whole_wherever_the_cut() {
        let hr = |lat: f64, t: &str, bpm: u32| {
            format!(
                r#"<trkpt lat="{lat}" lon="14"><time>{t}</time><extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{bpm}</gpxtpx:hr></gpxtpx:TrackPointExtension></extensions></trkpt>"#
            )
        };
        // Two tracks an hour apart (two runs), the first with two segments; a route besides.
        let doc = gpx(&format!(
            "<rte><rtept lat=\"1\" lon=\"1\"/></rte><trk><type>running</type><trkseg>{}{}{}</trkseg><trkseg>{}<trkpt lat=\"45.02\" lon=\"14\"/>{}</trkseg></trk><trk><name>Evening Run</name><trkseg>{}{}{}</trkseg></trk>",
            hr(45.0, "2024-05-01T06:00:00Z", 120),
            hr(45.001, "2024-05-01T06:00:30Z", 130),
            hr(45.002, "2024-05-01T06:05:00Z", 140),
            hr(45.01, "2024-05-01T06:10:00Z", 150),
            hr(45.011, "2024-05-01T06:10:30Z", 160),
            hr(45.1, "2024-05-01T18:00:00Z", 140),
            hr(45.101, "2024-05-01T18:05:00Z", 141),
            hr(45.102, "2024-05-01T18:10:00Z", 142),
        ));
        let whole = activities(&doc);
        assert_eq!(whole.len(), 2);
        let (_dir, file) = window_of(&doc);
        let cuts: Vec<usize> = doc.match_indices("<trkpt").map(|(i, _)| i).collect();
        assert_eq!(cuts.len(), 9);
        // Every cut alone, and all of them at once (a part per point).
        let all: Vec<u64> = cuts.iter().map(|c| *c as u64).collect();
        let every = finish(parse_parts(&file, &all).expect("all cuts at once join"));
        assert_eq!(every.len(), whole.len());
        for (j, w) in every.iter().zip(&whole) {
            assert!((j.distance_m - w.distance_m).abs() < 1e-6);
            assert_eq!(
                (j.start, j.elapsed_s, j.moving_s, &j.source),
                (w.start, w.elapsed_s, w.moving_s, &w.source)
            );
        }
        for cut in cuts {
            let joined =
                finish(parse_parts(&file, &[cut as u64]).unwrap_or_else(|| panic!("a cut at {cut} should join")));
            assert_eq!(joined.len(), whole.len(), "cut at {cut}");
            for (j, w) in joined.iter().zip(&whole) {
                assert!(
                    (j.distance_m - w.distance_m).abs() < 1e-6,
                    "cut at {cut}: {} vs {}",
                    j.distance_m,
                    w.distance_m
                );
                assert_eq!(
                    (j.start, j.elapsed_s, j.moving_s),
                    (w.start, w.elapsed_s, w.moving_s),
                    "cut at {cut}"
                );
                assert_eq!(
                    (j.avg_hr, &j.sport, &j.source, j.speed),
                    (w.avg_hr, &w.sport, &w.source, w.speed),
                    "cut at {cut}"
                );
            }
        }
    }

    #[test]
    fn a_latin1_file_on_disk_is_read_again_with_the_fallback() {
        let doc = format!(
            "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><gpx><trk><name>Plan\u{e8}ina</name><type>running</type><trkseg>{}{}</trkseg></trk></gpx>",
            pt(45.0, 14.0, "2024-05-01T06:00:00Z"),
            pt(45.01, 14.0, "2024-05-01T06:10:00Z")
        );
        // The same text in Latin-1 bytes: one byte for the è.
        let bytes: Vec<u8> = doc.chars().map(|c| c as u32 as u8).collect();
        assert!(std::str::from_utf8(&bytes).is_err());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.gpx");
        std::fs::write(&path, &bytes).unwrap();
        let found = parse_file(Window::whole(std::fs::File::open(&path).unwrap()).unwrap(), "l.gpx").unwrap();
        assert!(
            matches!(&found[0], Found::Activity(a) if a.sport == Sport::Run("running".into())),
            "{found:?}"
        );
    }

    #[test]
    fn cuts_that_do_not_join_are_refused() {
        // The only "<trkpt" after the middle is inside a comment.
        let doc = gpx(&format!(
            "<trk><trkseg>{}{}<!-- <trkpt lat=\"1\" lon=\"1\"></trkpt> --></trkseg></trk>",
            pt(45.0, 14.0, "2024-05-01T06:00:00Z"),
            pt(45.01, 14.0, "2024-05-01T06:00:30Z")
        ));
        let (_dir, file) = window_of(&doc);
        assert!(parse_parts(&file, &[doc.rfind("<trkpt").unwrap() as u64]).is_none());
        // A point outside any segment: not at the depth a cut expects.
        let odd = gpx(r#"<trk><trkpt lat="1" lon="1"/><trkpt lat="1.1" lon="1"/></trk>"#);
        let (_dir2, file2) = window_of(&odd);
        assert!(parse_parts(&file2, &[odd.rfind("<trkpt").unwrap() as u64]).is_none());
        // A cut inside a segment nested in something else: quick-xml sees the same names, the
        // depth is not the one a cut expects.
        let nested = gpx(&format!(
            "<extensions><trk><trkseg>{}{}</trkseg></trk></extensions>",
            pt(45.0, 14.0, "2024-05-01T06:00:00Z"),
            pt(45.01, 14.0, "2024-05-01T06:00:30Z")
        ));
        let (_dir3, file3) = window_of(&nested);
        assert!(parse_parts(&file3, &[nested.rfind("<trkpt").unwrap() as u64]).is_none());
    }

    #[test]
    fn a_big_real_file_splits_and_joins() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/gpx/garmin_with_extensions.gpx");
        let whole = activity(&std::fs::read_to_string(&path).unwrap());
        let file = Window::whole(std::fs::File::open(&path).unwrap()).unwrap();
        // Parts of 64 KB: eight cuts.
        let cuts = cuts(&file, 64 << 10);
        assert!(cuts.len() >= 8, "{}", cuts.len());
        let joined = finish(parse_parts(&file, &cuts).expect("joins"));
        assert_eq!(joined.len(), 1);
        assert!((joined[0].distance_m - whole.distance_m).abs() < 1e-6);
        assert_eq!(
            (joined[0].elapsed_s, joined[0].moving_s),
            (whole.elapsed_s, whole.moving_s)
        );
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
        assert!(run("<gpx><trk><trkseg></trk></gpx>").is_err());
    }
}
