//! The importers on real files from watches and apps, checked against numbers computed
//! independently of lumbar:
//! - GPX: gpxpy 1.6.2 (`gpxpy.parse(f).length_2d()`, start and end from the points' times) and
//!   the geodesic length by Karney's algorithm (Python `geographiclib`, WGS-84, summed per
//!   segment like gpxpy);
//! - TCX: Python's ElementTree over the file: the sum of the laps' `DistanceMeters` and
//!   `TotalTimeSeconds`, the `<Id>` start, and the end as the later of the last `<Time>` and the
//!   last lap's start plus its time;
//! - FIT: the session message as decoded by fitparse 1.2.0 (lumbar has its own decoder) (`start_time`, `total_distance`,
//!   `total_elapsed_time`, `total_timer_time`).
//!
//! Tolerances: 0.5 % for distance, 1 s for times. Files from GPL (GPSBabel) and CC BY-SA
//! (dblock/tcx) sources are read from ../shared/fixtures/realdata and skipped when it is absent.
//!
//! Values are checked on every activity a file holds, whatever its sport; which of them are runs
//! is checked apart, through the one decision the import makes (`sport::decide`).

mod common;

use std::path::{Path, PathBuf};

use chrono::DateTime;
use lumbar::import::sport::{self, Choice, Verdict};
use lumbar::import::{Activity, Found, read_path};

fn own(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rel)
}

fn shared(rel: &str) -> Option<PathBuf> {
    match common::shared_dir() {
        Some(d) => Some(d.join("fixtures/realdata").join(rel)),
        None => {
            eprintln!(
                "skipped: ../shared/fixtures/realdata is absent, so {rel} (GPL or CC BY-SA, not copied here) cannot be read"
            );
            None
        }
    }
}

/// One expected activity: start (RFC 3339), distance references (m), elapsed and moving (s).
struct Expect {
    start: &'static str,
    distances: &'static [f64],
    elapsed_s: f64,
    moving_s: Option<f64>,
}

fn activities(path: &Path) -> Vec<Activity> {
    read_path(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .into_iter()
        .filter_map(|f| match f {
            Found::Activity(a) => Some(a),
            Found::Nothing { .. } => None,
        })
        .collect()
}

/// The activities of a file the import takes for runs.
fn runs(path: &Path) -> Vec<Activity> {
    activities(path)
        .into_iter()
        .filter(|a| matches!(sport::decide(a, Choice::Auto), Verdict::Run { .. }))
        .collect()
}

/// Why the rest is skipped: nothing to log in it, or not a run.
fn reasons(path: &Path) -> Vec<String> {
    read_path(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .into_iter()
        .filter_map(|f| match f {
            Found::Nothing { reason, .. } => Some(reason),
            Found::Activity(a) => match sport::decide(&a, Choice::Auto) {
                Verdict::NotARun { reason } => Some(reason),
                Verdict::Run { .. } => None,
            },
        })
        .collect()
}

fn check(path: &Path, got: &Activity, want: &Expect) {
    let name = path.file_name().unwrap().to_string_lossy();
    let start = DateTime::parse_from_rfc3339(want.start).unwrap();
    let dt = (got.start - start).num_milliseconds().abs();
    assert!(dt <= 1000, "{name}: start {} vs {}", got.start, want.start);
    for &d in want.distances {
        let rel = (got.distance_m - d).abs() / d;
        assert!(
            rel <= 0.005,
            "{name}: distance {:.3} vs {d:.3} ({:.3} %)",
            got.distance_m,
            rel * 100.0
        );
    }
    assert!(
        (got.elapsed_s - want.elapsed_s).abs() <= 1.0,
        "{name}: elapsed {} vs {}",
        got.elapsed_s,
        want.elapsed_s
    );
    if let Some(m) = want.moving_s {
        let got_m = got.moving_s.unwrap_or_else(|| panic!("{name}: no moving time"));
        assert!((got_m - m).abs() <= 1.0, "{name}: moving {got_m} vs {m}");
    }
}

fn check_one(path: &Path, want: &Expect) {
    let got = activities(path);
    assert_eq!(got.len(), 1, "{}: {got:?}", path.display());
    check(path, &got[0], want);
}

/// GPX: [gpxpy length_2d, Karney geodesic]; start and first-to-last time from gpxpy.
const GPX: &[(&str, Expect)] = &[
    (
        // Two tracks, "Day 01" and "Day 02", 17 hours apart: two activities. The first has one
        // time for all its points (nothing to log); the second is checked against its own track.
        "gpx/caltopo-export.gpx",
        Expect {
            start: "2019-08-13T16:51:00Z",
            distances: &[10974.168, 10981.185],
            elapsed_s: 17700.0,
            moving_s: None,
        },
    ),
    (
        "gpx/cerknicko-jezero.gpx",
        Expect {
            start: "2010-08-05T14:23:59Z",
            distances: &[4580.137, 4576.907],
            elapsed_s: 7190.0,
            moving_s: None,
        },
    ),
    (
        // Only a handful of its points have times: the start and duration come from those.
        "gpx/cerknicko-without-times.gpx",
        Expect {
            start: "2010-08-05T16:22:52Z",
            distances: &[4580.137, 4576.907],
            elapsed_s: 57.0,
            moving_s: None,
        },
    ),
    (
        "gpx/garmin-activity.gpx",
        Expect {
            start: "2017-07-29T14:46:35Z",
            distances: &[12835.545, 12817.524],
            elapsed_s: 5498.0,
            moving_s: None,
        },
    ),
    (
        "gpx/garmin_with_extensions.gpx",
        Expect {
            start: "2019-05-01T04:31:11Z",
            distances: &[18208.314, 18214.494],
            elapsed_s: 36624.0,
            moving_s: None,
        },
    ),
    (
        "gpx/korita-zbevnica.gpx",
        Expect {
            start: "2010-10-03T09:36:30Z",
            distances: &[14913.748, 14914.283],
            elapsed_s: 13381.0,
            moving_s: None,
        },
    ),
    (
        "gpx/track-with-empty-segment.gpx",
        Expect {
            start: "2013-07-06T17:26:26Z",
            distances: &[85.949, 85.987],
            elapsed_s: 76.0,
            moving_s: None,
        },
    ),
    (
        "gpx/track-with-less-sec-time.gpx",
        Expect {
            start: "2015-12-11T14:43:13Z",
            distances: &[1.563, 1.564],
            elapsed_s: 0.994,
            moving_s: None,
        },
    ),
    (
        "gpx/track_with_speed.gpx",
        Expect {
            start: "2009-03-02T14:05:52Z",
            distances: &[18.665, 18.658],
            elapsed_s: 13.0,
            moving_s: None,
        },
    ),
];

#[test]
fn gpx_files_agree_with_gpxpy_and_karney() {
    for (rel, want) in GPX {
        check_one(&own(rel), want);
    }
}

/// Which GPX files (none of them names a sport the import knows, but two) are runs.
#[test]
fn gpx_files_are_runs_or_not_by_their_type_or_pace() {
    let cases: &[(&str, Option<&str>)] = &[
        ("gpx/garmin-activity.gpx", None),
        // A day out on foot and on wheels: stretches at 17-20 km/h.
        ("gpx/cerknicko-jezero.gpx", Some("too fast for a run")),
        ("gpx/garmin_with_extensions.gpx", Some("never at a running pace")),
        (
            "gpx/korita-zbevnica.gpx",
            Some("sport \"jkljkl\" not recognised and never at a running pace"),
        ),
        ("gpx/caltopo-export.gpx", Some("too slow for a run")),
        ("gpx/with_accuracy.gpx", Some("not a run: Cycling (the track name)")),
        ("gpx/track-with-less-sec-time.gpx", None),
    ];
    for (rel, why) in cases {
        let path = own(rel);
        match why {
            None => assert_eq!(runs(&path).len(), 1, "{rel}: {:?}", reasons(&path)),
            Some(why) => {
                assert!(runs(&path).is_empty(), "{rel}");
                let r = reasons(&path);
                assert!(r.iter().any(|x| x.contains(why)), "{rel}: {r:?}");
            }
        }
    }
}

#[test]
fn gpx_files_with_nothing_to_log_say_why() {
    let cases = [
        ("gpx/Mojstrovka.gpx", "same time"),
        ("gpx/ecology-trail-and-lovers-lane-loop.gpx", "planned route"),
        ("gpx/strava_route_example.gpx", "no timestamps"),
    ];
    for (rel, why) in cases {
        let r = reasons(&own(rel));
        assert!(r.len() == 1 && r[0].contains(why), "{rel}: {r:?}");
    }
    // Three points on one spot: an activity with no distance (the batch skips it, see cli_import).
    let wahoo = activities(&own("gpx/wahoo_example.gpx"));
    assert_eq!(wahoo[0].distance_m, 0.0);
    assert_eq!(wahoo[0].elapsed_s, 2.0);
}

#[test]
fn gpx_from_gpsbabel_shared() {
    let cases = [
        (
            "gpx/segmented_tracks.gpx",
            Expect {
                start: "2007-07-27T05:24:05Z",
                distances: &[2933.112, 2927.153],
                elapsed_s: 655.0,
                moving_s: None,
            },
        ),
        (
            "gpx/globalsat_gh625XT.gpx",
            Expect {
                start: "2016-01-15T20:58:59Z",
                distances: &[2380.992, 2383.814],
                elapsed_s: 930.0,
                moving_s: None,
            },
        ),
    ];
    for (rel, want) in &cases {
        let Some(p) = shared(rel) else { return };
        check_one(&p, want);
        // Neither names a sport; both have a runner's pace.
        assert_eq!(runs(&p).len(), 1, "{rel}: {:?}", reasons(&p));
    }
}

#[test]
fn tcx_from_python_tcxparser() {
    check_one(
        &own("tcx/test.tcx"),
        &Expect {
            start: "2012-12-26T21:29:53Z",
            distances: &[4689.243],
            elapsed_s: 1992.51,
            moving_s: Some(1992.78),
        },
    );
}

#[test]
fn tcx_from_dblock_and_gpsbabel_shared() {
    let cases: &[(&str, &[Expect])] = &[
        (
            "tcx/20090528-202902.tcx",
            &[Expect {
                start: "2009-05-28T20:29:02Z",
                distances: &[6188.301],
                elapsed_s: 3058.0,
                moving_s: Some(2878.86),
            }],
        ),
        (
            "tcx/gtrnctr-lap_s.tcx",
            &[Expect {
                start: "2013-09-06T14:27:17Z",
                distances: &[10746.51],
                elapsed_s: 3926.0,
                moving_s: Some(3922.99),
            }],
        ),
        (
            "tcx/multiple_running_activities.tcx",
            &[
                Expect {
                    start: "2014-12-26T10:00:39Z",
                    distances: &[14332.28],
                    elapsed_s: 3271.0,
                    moving_s: Some(3270.0),
                },
                Expect {
                    start: "2016-07-29T15:00:26Z",
                    distances: &[19150.97],
                    elapsed_s: 5280.0,
                    moving_s: Some(5259.0),
                },
            ],
        ),
        (
            "tcx/running_workout_1.tcx",
            &[Expect {
                start: "2025-09-24T13:40:09Z",
                distances: &[12934.31],
                elapsed_s: 4369.7,
                moving_s: Some(4369.146),
            }],
        ),
        (
            "tcx/treadmill_1.tcx",
            &[Expect {
                start: "2025-10-24T15:25:26Z",
                distances: &[4111.48],
                elapsed_s: 1638.498,
                moving_s: Some(1638.071),
            }],
        ),
    ];
    for (rel, wants) in cases {
        let Some(p) = shared(rel) else { return };
        let got = activities(&p);
        assert_eq!(got.len(), wants.len(), "{rel}");
        for (g, w) in got.iter().zip(wants.iter()) {
            check(&p, g, w);
        }
    }
    let skips = [
        ("tcx/kona2013.tcx", "Biking"),
        ("tcx/sup_activity_1.tcx", "neither running nor biking"),
        ("tcx/gtrnctr-readcp.tcx", "course"),
        ("tcx/simple_workout_1.tcx", "workout"),
    ];
    for (rel, why) in skips {
        let Some(p) = shared(rel) else { return };
        let r = reasons(&p);
        assert!(r.len() == 1 && r[0].contains(why), "{rel}: {r:?}");
    }
}

/// FIT: the session as fitparse decodes it.
const FIT: &[(&str, Expect)] = &[
    (
        "fit/2013-02-06-12-11-14.fit",
        Expect {
            start: "2013-02-06T12:11:14Z",
            distances: &[4835.38],
            elapsed_s: 2625.14,
            moving_s: Some(2625.14),
        },
    ),
    (
        "fit/Activity.fit",
        Expect {
            start: "2012-04-09T21:22:26Z",
            distances: &[5.73],
            elapsed_s: 13.749,
            moving_s: Some(13.749),
        },
    ),
    (
        "fit/activity-small-fenix2-run.fit",
        Expect {
            start: "2015-08-15T14:45:08Z",
            distances: &[9008.22],
            elapsed_s: 2832.0,
            moving_s: Some(2832.0),
        },
    ),
    (
        "fit/developer-types-sample.fit",
        Expect {
            start: "2017-01-17T17:06:47Z",
            distances: &[6753.99],
            elapsed_s: 3424.0,
            moving_s: Some(3424.0),
        },
    ),
];

#[test]
fn fit_sessions_agree_with_fitparse() {
    for (rel, want) in FIT {
        check_one(&own(rel), want);
    }
    let small = &activities(&own("fit/activity-small-fenix2-run.fit"))[0];
    // avg_running_cadence 81 strides/min is 162 steps/min.
    assert_eq!(small.avg_cadence, Some(162.0));
}

#[test]
fn a_triathlon_yields_only_its_run() {
    let p = own("fit/sample_mulitple_header.fit");
    let run = runs(&p);
    assert_eq!(run.len(), 1);
    check(
        &p,
        &run[0],
        &Expect {
            start: "2018-05-27T09:23:41Z",
            distances: &[9805.92],
            elapsed_s: 2850.694,
            moving_s: Some(2850.694),
        },
    );
    assert_eq!(runs(&p).len(), 1);
    let r = reasons(&p);
    assert_eq!(r.len(), 4, "{r:?}");
    for sport in [
        "not a run: swimming (open water)",
        "not a run: cycling",
        "not a run: transition",
    ] {
        assert!(r.iter().any(|x| x.contains(sport)), "{r:?}");
    }
}

#[test]
fn fit_files_with_nothing_to_log_say_why() {
    let cases = [
        ("fit/Settings.fit", "settings"),
        ("fit/coros-pace-2-cycling-misaligned-fields.fit", "cycling"),
        ("fit/compressed-speed-distance.fit", "device clock"),
    ];
    for (rel, why) in cases {
        let r = reasons(&own(rel));
        assert!(r.len() == 1 && r[0].contains(why), "{rel}: {r:?}");
    }
}

#[test]
fn damaged_fit_files_fail_with_a_reason() {
    let cases = [
        ("fit/activity-activity-filecrc.fit", "checksum mismatch"),
        ("fit/activity-unexpected-eof.fit", "truncated"),
        // fitparse: "Tried to read 2 bytes from .FIT file but got 0".
        ("fit/nick.fit", "checksum mismatch"),
        // fitparse: "Got data message with invalid local message type 11".
        ("fit/strava-android-app-201.10-b1218918.fit", "ends early"),
    ];
    for (rel, why) in cases {
        let err = read_path(&own(rel)).expect_err(rel).to_string();
        assert!(err.contains(why), "{rel}: {err}");
    }
}

#[test]
fn fit_from_gpsbabel_shared() {
    let cases = [
        (
            "fit/garmin-forerunner-10.fit",
            Expect {
                start: "2013-06-13T03:56:35Z",
                distances: &[10207.73],
                elapsed_s: 1695.242,
                moving_s: Some(1499.417),
            },
        ),
        (
            "fit/garmin-vivosmart-hr.fit",
            Expect {
                start: "2016-04-07T10:36:04Z",
                distances: &[46.46],
                elapsed_s: 31.736,
                moving_s: Some(31.736),
            },
        ),
    ];
    for (rel, want) in &cases {
        let Some(p) = shared(rel) else { return };
        check_one(&p, want);
    }
    let Some(p) = shared("fit/wahoo-element-bolt.fit") else {
        return;
    };
    assert!(reasons(&p)[0].contains("cycling"));
    let Some(p) = shared("fit/lezyne_super_gps-garmin_fit-sample-bad-endian.fit") else {
        return;
    };
    assert!(read_path(&p).is_err());
}

/// Every fixture cut short at many places: each cut is an error or a result, never a crash.
#[test]
fn truncated_copies_of_every_fixture_fail_cleanly() {
    for dir in ["gpx", "tcx", "fit"] {
        for entry in std::fs::read_dir(own(dir)).unwrap() {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            let step = (bytes.len() / 11).max(1);
            for cut in (0..bytes.len()).step_by(step) {
                let data = bytes[..cut].to_vec();
                let opened = lumbar::import::open_reader(Box::new(std::io::Cursor::new(data))).unwrap();
                if let Some(format) = opened.format {
                    // Ok (a cut that lands between activities) or a clear error; never a panic.
                    if let Err(e) = lumbar::import::parse(format, opened.reader, "cut") {
                        assert!(!e.to_string().is_empty());
                    }
                }
            }
        }
    }
}

/// A gigabyte of `<a><a><a>…` after a GPX header, generated on the fly (nothing is written to
/// disk): the import stops at the nesting limit after reading a few kilobytes.
#[test]
fn a_gigabyte_of_nesting_fails_fast() {
    struct Nest {
        produced: std::sync::Arc<std::sync::atomic::AtomicU64>,
    }
    impl std::io::Read for Nest {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            const HEAD: &[u8] = b"<?xml version=\"1.0\"?><gpx version=\"1.1\">";
            let done = self.produced.load(std::sync::atomic::Ordering::Relaxed) as usize;
            let n = out.len().min((1usize << 30).saturating_sub(done));
            for (k, byte) in out[..n].iter_mut().enumerate() {
                let i = done + k;
                *byte = if i < HEAD.len() {
                    HEAD[i]
                } else {
                    b"<a>"[(i - HEAD.len()) % 3]
                };
            }
            self.produced.fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
            Ok(n)
        }
    }
    let produced = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let opened = lumbar::import::open_reader(Box::new(Nest {
        produced: produced.clone(),
    }))
    .unwrap();
    assert_eq!(opened.format, Some(lumbar::import::Format::Gpx));
    let err = lumbar::import::parse(lumbar::import::Format::Gpx, opened.reader, "nest").unwrap_err();
    assert!(err.to_string().contains("nested more than 64"), "{err}");
    let read = produced.load(std::sync::atomic::Ordering::Relaxed);
    assert!(read < 1 << 20, "read {read} bytes before stopping");
}

/// Every fixture with bytes overwritten here and there: an error or a result, never a crash.
#[test]
fn corrupted_copies_of_every_fixture_fail_cleanly() {
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for dir in ["gpx", "tcx", "fit"] {
        for entry in std::fs::read_dir(own(dir)).unwrap() {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            for _ in 0..16 {
                let mut data = bytes.clone();
                for _ in 0..4 {
                    let at = (next() % data.len() as u64) as usize;
                    data[at] = next() as u8;
                }
                if dir == "fit" {
                    // Make the checksum right again, so the damage reaches the decoder itself.
                    let header = data[0] as usize;
                    let size = u32::from_le_bytes([data[4], data[5], data[6], data[7]]) as usize;
                    if let Some(end) = header.checked_add(size).filter(|e| e + 2 <= data.len()) {
                        let crc = lumbar::import::fitdec::crc(&data[..end]);
                        data[end..end + 2].copy_from_slice(&crc.to_le_bytes());
                    }
                }
                let opened = lumbar::import::open_reader(Box::new(std::io::Cursor::new(data))).unwrap();
                if let Some(format) = opened.format {
                    let _ = lumbar::import::parse(format, opened.reader, "corrupt");
                }
            }
        }
    }
}
