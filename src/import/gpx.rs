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

use std::io::Read;

use super::timefmt::{self, Stamp};
use super::track::{Point, Totals};
use super::xml::{self, Ev};
use super::{Activity, Found, ImportError, Sport, geo, sport_from_name};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    None,
    Time,
    Type,
    Hr,
    Cad,
}

/// Parses one GPX document.
pub fn parse(reader: impl Read, source: &str) -> Result<Found, ImportError> {
    let mut totals = Totals::default();
    let mut seen_root = false;
    let (mut in_trk, mut in_trkpt) = (false, false);
    let mut route_points = 0u64;
    let mut tracks = 0u32;
    let mut sport = Sport::Unknown;
    let mut field = Field::None;
    let mut point = Point {
        lat: 0.0,
        lon: 0.0,
        time: None,
    };
    let mut point_ok = false;
    xml::stream(reader, |ev| {
        match ev {
            Ev::Start(tag, empty) => {
                let name = xml::name(&tag);
                if !seen_root {
                    if name != b"gpx" {
                        return Err(ImportError::new("the root element is not <gpx>"));
                    }
                    seen_root = true;
                    return Ok(());
                }
                match name {
                    b"trk" => {
                        in_trk = !empty;
                        tracks += 1;
                        totals.break_segment();
                    }
                    b"trkseg" => totals.break_segment(),
                    b"trkpt" if in_trk => {
                        let (lat, lon) = xml::two_attrs(&tag, b"lat", b"lon");
                        let (lat, lon) = (lat.and_then(xml::number), lon.and_then(xml::number));
                        point_ok = matches!((lat, lon), (Some(a), Some(o)) if geo::valid(a, o));
                        point = Point {
                            lat: lat.unwrap_or(0.0),
                            lon: lon.unwrap_or(0.0),
                            time: None,
                        };
                        if empty {
                            if point_ok {
                                totals.add(point.lat, point.lon, None);
                            }
                        } else {
                            in_trkpt = true;
                        }
                    }
                    b"rtept" => route_points += 1,
                    b"time" if in_trkpt => field = Field::Time,
                    b"type" if in_trk && !in_trkpt => field = Field::Type,
                    b"hr" if in_trkpt => field = Field::Hr,
                    b"cad" if in_trkpt => field = Field::Cad,
                    _ => field = Field::None,
                }
                if empty {
                    field = Field::None;
                }
            }
            Ev::Text(text) => {
                match field {
                    Field::Time => point.time = timefmt::parse(&text),
                    Field::Type => sport = sport_from_name(&String::from_utf8_lossy(&text)),
                    Field::Hr => {
                        if let Some(v) = xml::number(&text) {
                            totals.add_hr(v);
                        }
                    }
                    Field::Cad => {
                        if let Some(v) = xml::number(&text) {
                            totals.add_cadence(v);
                        }
                    }
                    Field::None => {}
                }
                field = Field::None;
            }
            Ev::End(tag) => {
                field = Field::None;
                match xml::end_name(&tag) {
                    b"trkpt" if in_trkpt => {
                        in_trkpt = false;
                        if point_ok {
                            totals.add(point.lat, point.lon, point.time);
                        }
                    }
                    b"trk" => in_trk = false,
                    _ => {}
                }
            }
        }
        Ok(())
    })?;
    if !seen_root {
        return Err(ImportError::new("no <gpx> element"));
    }
    let nothing = |reason: String| {
        Ok(Found::Nothing {
            source: source.to_string(),
            reason,
        })
    };
    if tracks == 0 && route_points > 0 {
        return nothing(format!(
            "a planned route ({route_points} route points) with no recorded track"
        ));
    }
    if let Sport::Other(s) = &sport {
        return nothing(format!("a {s} activity, not a run"));
    }
    if let Some(reason) = totals.nothing_reason() {
        return nothing(reason.to_string());
    }
    let start = totals
        .first
        .and_then(Stamp::to_datetime)
        .ok_or_else(|| ImportError::new("a timestamp out of range"))?;
    Ok(Found::Activity(Activity {
        sport,
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
