//! The report in a real browser: headless Chromium renders the demo report (and a busy one, and
//! 25 years of it) to PNG and to PDF on A4 and Letter paper. Each PDF must be at most two
//! pages, and the screenshot must not be blank.
//!
//! Without Chromium the test says so on stderr and passes, so `cargo test` needs only the Rust
//! toolchain; `.ci/run` installs Chromium and sets `LUMBAR_REQUIRE_CHROMIUM=1`, under which a
//! missing browser fails the test instead. `LUMBAR_CHROMIUM` names the browser to use.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use chrono::{Duration, Utc};
use common::Env;

/// Chromium, if this machine has it.
fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("LUMBAR_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|p| p.is_file())
}

/// Runs Chromium headless on `page` with `args`; fails the test after two minutes.
fn render(browser: &Path, page: &Path, args: &[String]) {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start Chromium");
    // A guard against a hung browser, not a measurement.
    for _ in 0..1200 {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "Chromium {args:?} exited with {status}");
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let _ = child.kill();
    panic!("Chromium {args:?} did not finish in two minutes");
}

/// The number of pages of a PDF Chromium wrote: its page objects, checked against the page
/// tree's count.
fn pdf_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    let objects = text.matches("/Type /Page").count() - text.matches("/Type /Pages").count();
    let count: usize = text
        .split("/Count ")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .expect("a page tree with a /Count");
    assert_eq!(objects, count, "page objects and the page tree agree");
    count
}

/// Whether a PDF's pages have the size of `paper`, in points.
fn pdf_paper(pdf: &[u8]) -> (f64, f64) {
    let text = String::from_utf8_lossy(pdf);
    let boxed = text.split("/MediaBox [").nth(1).expect("a MediaBox");
    let nums: Vec<f64> = boxed
        .split(']')
        .next()
        .unwrap()
        .split_whitespace()
        .map(|n| n.parse().unwrap())
        .collect();
    (nums[2] - nums[0], nums[3] - nums[1])
}

/// The share of pixels that are not white, and how many distinct colours (in steps of 16).
fn ink(png_path: &Path) -> (f64, usize, u32, u32) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(png_path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let pixels = &buf[..info.buffer_size()];
    let mut colours = std::collections::HashSet::new();
    let mut inked = 0usize;
    let total = pixels.len() / channels;
    for px in pixels.chunks(channels) {
        let rgb = &px[..3.min(channels)];
        if rgb.iter().any(|&c| c < 240) {
            inked += 1;
        }
        colours.insert(rgb.iter().map(|c| c >> 4).collect::<Vec<_>>());
    }
    (inked as f64 / total as f64, colours.len(), info.width, info.height)
}

/// The page with its paper size set, for printing on A4 or Letter.
fn on_paper(html: &str, paper: &str) -> String {
    html.replacen(
        "</head>",
        &format!("<style>@page {{ size: {paper}; }}</style></head>"),
        1,
    )
}

fn say(text: &str) {
    // Straight to stderr, past the test harness's capture, so a skip is seen.
    let _ = writeln!(std::io::stderr(), "{text}");
}

/// A store the page must still fit two pages for: red flags, notes on painful entries, several
/// pairs of shoes, every timing and side.
fn busy(env: &Env) {
    env.ok(&["demo"]);
    for (i, name) in [
        "Trail A",
        "Trail B",
        "Racer",
        "Old road pair",
        "Track spikes",
        "Treadmill pair",
    ]
    .iter()
    .enumerate()
    {
        env.ok(&["shoes", "add", name, "--start", &format!("{}km", 100 * (i + 1))]);
    }
    let day = |d: i64| (Utc::now() - Duration::days(d)).format("%Y-%m-%d 08:00").to_string();
    let note = "tingling down the right leg after the long run, worse when sitting, eased by walking; ".repeat(3);
    for (d, symptom) in [
        (20, "leg-numbness"),
        (15, "night-pain"),
        (9, "fever"),
        (6, "minor-fall"),
        (4, "leg-numbness"),
        (3, "not-improving"),
        (2, "severe-pain"),
        (1, "leg-numbness"),
    ] {
        env.ok(&[
            "pain",
            "add",
            "6",
            "--date",
            &day(d),
            "--symptom",
            symptom,
            "--symptom",
            "radiating",
            "--notes",
            &note,
            "--side",
            "right",
            "--when",
            "rest",
        ]);
    }
}

#[test]
fn the_report_renders_in_chromium_on_at_most_two_pages_and_is_not_blank() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("LUMBAR_REQUIRE_CHROMIUM").is_none(),
            "LUMBAR_REQUIRE_CHROMIUM is set but no Chromium was found (set LUMBAR_CHROMIUM or install chromium)"
        );
        say("report_browser: skipped, no Chromium on this machine (install chromium to run it)");
        return;
    };
    let out = tempfile::tempdir().unwrap();
    let demo = Env::new();
    demo.ok(&["demo"]);
    let crowded = Env::new();
    busy(&crowded);
    let years = Env::new();
    years.ok(&["demo", "--weeks", "1300"]);
    // (name, store, extra arguments, papers to print on, screenshot widths)
    type Case<'a> = (&'a str, &'a Env, &'a [&'a str], &'a [&'a str], &'a [u32]);
    let cases: [Case; 4] = [
        ("demo", &demo, &[], &["A4", "letter"], &[1100, 390]),
        ("demo-miles", &demo, &["--units", "mi"], &["letter"], &[]),
        ("busy", &crowded, &[], &["A4", "letter"], &[390]),
        ("years", &years, &["--weeks", "1300"], &["A4", "letter"], &[]),
    ];
    for (name, env, extra, papers, widths) in cases {
        let mut args = vec!["report"];
        args.extend_from_slice(extra);
        let html = env.ok(&args);
        for &paper in papers {
            let size = if paper == "A4" { (595.0, 842.0) } else { (612.0, 792.0) };
            let page = out.path().join(format!("{name}-{paper}.html"));
            std::fs::write(&page, on_paper(&html, paper)).unwrap();
            let pdf_path = out.path().join(format!("{name}-{paper}.pdf"));
            render(
                &browser,
                &page,
                &[
                    format!("--print-to-pdf={}", pdf_path.display()),
                    "--no-pdf-header-footer".into(),
                ],
            );
            let pdf = std::fs::read(&pdf_path).unwrap();
            assert!(pdf.starts_with(b"%PDF"), "{name} on {paper}: not a PDF");
            let (w, h) = pdf_paper(&pdf);
            assert!(
                (w - size.0).abs() < 2.0 && (h - size.1).abs() < 2.0,
                "{name}: printed on {w}x{h}, not {paper}"
            );
            let pages = pdf_pages(&pdf);
            assert!((1..=2).contains(&pages), "{name} prints on {pages} {paper} pages");
        }
        for &width in widths {
            let height = 1800;
            let page = out.path().join(format!("{name}.html"));
            std::fs::write(&page, &html).unwrap();
            let png_path = out.path().join(format!("{name}-{width}.png"));
            render(
                &browser,
                &page,
                &[
                    format!("--screenshot={}", png_path.display()),
                    format!("--window-size={width},{height}"),
                ],
            );
            let (inked, colours, w, h) = ink(&png_path);
            assert_eq!((w, h), (width, height), "{name}: the screenshot's size");
            assert!(
                inked > 0.02 && inked < 0.6,
                "{name} at {width}px: {:.1} % of the pixels inked",
                inked * 100.0
            );
            assert!(
                colours >= 8,
                "{name} at {width}px: only {colours} colours, a blank or broken page"
            );
        }
    }
}
