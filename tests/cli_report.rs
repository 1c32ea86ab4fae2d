//! `lumbar report` end to end: an empty store, 3 runs, 25 years, the figures of the page equal
//! to `--json`, hostile text escaped, no external reference and no path of the machine in the
//! page, and the file rules it shares with `export` (0600, no overwrite without --force, never
//! the store), and `--open`. The page in a real browser is tests/report_browser.rs.

mod common;

use std::os::unix::fs::PermissionsExt;

use chrono::{Duration, Utc};
use common::Env;
use serde_json::Value;

/// `YYYY-MM-DD` of `days` ago (the tests run in UTC).
fn days_ago(days: i64) -> String {
    (Utc::now() - Duration::days(days)).format("%Y-%m-%d").to_string()
}

/// A store with three runs and two pain entries in the last two weeks.
fn three_runs() -> Env {
    let env = Env::new();
    env.ok(&["shoes", "add", "Pegasus 41", "--default"]);
    for (days, distance, time, surface) in [
        (9, "5k", "28:00", "asphalt"),
        (5, "6k", "33:00", "trail"),
        (2, "8k", "45:00", "asphalt"),
    ] {
        let date = format!("{} 07:00", days_ago(days));
        env.ok(&[
            "run",
            "add",
            distance,
            time,
            "--date",
            &date,
            "--surface",
            surface,
            "--warmup",
            "--no-stretch",
        ]);
    }
    env.ok(&["pain", "add", "3", "--when", "after", "--run", "last", "--side", "left"]);
    env.ok(&[
        "pain",
        "add",
        "2",
        "--when",
        "next-day",
        "--date",
        &format!("{} 09:00", days_ago(1)),
    ]);
    env
}

/// Runs `lumbar report` with `args`, asserts success, returns stdout.
fn page(env: &Env, args: &[&str]) -> String {
    let mut all = vec!["report"];
    all.extend_from_slice(args);
    env.ok(&all)
}

/// What is wrong with the page as a file to share: any reference outside itself (a URL, a
/// `src`, an `href` other than a `#` fragment, a style `url()` other than a fragment, an
/// import), any script, or a tag that loads something.
fn external_references(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut found = Vec::new();
    for bad in [
        "http:",
        "https:",
        "ftp:",
        "file:",
        "javascript:",
        "src=",
        "srcset",
        "@import",
        "<script",
        "<link",
        "<iframe",
        "<object",
        "<embed",
        "<img",
        "<base",
        "<form",
        "<audio",
        "<video",
        "<meta http-equiv",
        "=\"//",
        "='//",
    ] {
        if lower.contains(bad) {
            found.push(bad.to_string());
        }
    }
    for (at, _) in lower.match_indices("href=") {
        let value = &lower[at + 5..];
        let value = value.trim_start_matches(['"', '\'']);
        if !(value.starts_with('#') || value.starts_with("data:")) {
            found.push(format!("href={}", &value[..value.len().min(30)]));
        }
    }
    for (at, _) in lower.match_indices("url(") {
        let value = lower[at + 4..].trim_start_matches(['"', '\'']);
        if !value.starts_with('#') {
            found.push(format!("url({}", &value[..value.len().min(30)]));
        }
    }
    found
}

/// The HTML character references the page uses, undone.
fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let end = tail.find(';').expect("a reference ends with ;");
        let name = &tail[1..end];
        let c = match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "#39" => '\'',
            n if n.starts_with('#') => char::from_u32(n[1..].parse().expect("a decimal reference")).expect("a char"),
            other => panic!("unexpected reference &{other};"),
        };
        out.push(c);
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Every figure the page marks: (JSON pointer, kind, the text shown).
fn marked_figures(html: &str) -> Vec<(String, String, String)> {
    let mut figs = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<span data-json=\"") {
        rest = &rest[i + 17..];
        let end = rest.find('"').unwrap();
        let pointer = rest[..end].to_string();
        let kind_at = rest.find("data-kind=\"").unwrap() + 11;
        let kind_end = kind_at + rest[kind_at..].find('"').unwrap();
        let kind = rest[kind_at..kind_end].to_string();
        let open = kind_end + rest[kind_end..].find('>').unwrap() + 1;
        let close = open + rest[open..].find("</span>").unwrap();
        figs.push((pointer, kind, unescape(&rest[open..close])));
        rest = &rest[close..];
    }
    figs
}

/// Decimal places of a shown number.
fn decimals(shown: &str) -> i32 {
    shown.split_once('.').map_or(0, |(_, d)| d.len() as i32)
}

/// Checks that every marked figure of the page says what `--json` says, and returns the pointers.
fn check_figures_against_json(html: &str, doc: &Value) -> Vec<String> {
    let figs = marked_figures(html);
    for (pointer, kind, shown) in &figs {
        let value = doc
            .pointer(pointer)
            .unwrap_or_else(|| panic!("{pointer} (shown as {shown:?}) is not in --json"));
        let close = |expected: f64, shown: &str| {
            let got: f64 = shown
                .trim_start_matches('+')
                .parse()
                .unwrap_or_else(|_| panic!("{pointer}: {shown:?}"));
            let tolerance = 0.5 * 10f64.powi(-decimals(shown)) + 1e-9;
            assert!(
                (got - expected).abs() <= tolerance,
                "{pointer}: the page shows {shown}, --json has {expected}"
            );
        };
        match kind.as_str() {
            "num" => close(value.as_f64().expect("a number"), shown),
            "km" => close(value.as_f64().expect("metres") / 1000.0, shown),
            "mi" => close(value.as_f64().expect("metres") / 1609.344, shown),
            "pct" => close(value.as_f64().expect("a share") * 100.0, shown),
            "date" => {
                let full = value.as_str().expect("a date");
                assert!(
                    full.starts_with(&shown.replace(' ', "T")),
                    "{pointer}: the page shows {shown}, --json has {full}"
                );
            }
            "text" => assert_eq!(value.as_str(), Some(shown.as_str()), "{pointer}"),
            other => panic!("{pointer}: unknown kind {other}"),
        }
    }
    figs.into_iter().map(|(p, _, _)| p).collect()
}

#[test]
fn an_empty_store_says_so_and_writes_no_page() {
    let env = Env::new();
    let out = env.cmd().arg("report").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "no page on stdout");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("nothing to report yet"), "{err}");
    assert!(err.contains("lumbar run add"), "says what to do: {err}");
    let file = env.dir.path().join("r.html");
    env.fails(&["report", "--output", file.to_str().unwrap()], 1);
    assert!(!file.exists(), "no file for an empty store");
    let out = env.cmd().args(["--json", "report"]).output().unwrap();
    assert_eq!((out.status.code(), out.stdout.is_empty()), (Some(1), true));
    // Only shoes is still nothing to report.
    env.ok(&["shoes", "add", "Pegasus"]);
    env.fails(&["report"], 1);
}

#[test]
fn three_runs_make_a_whole_page_whose_figures_are_the_json() {
    let env = three_runs();
    let file = env.dir.path().join("report.html");
    let doc = env.json(&["report", "--output", file.to_str().unwrap()]);
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"), "{}", &html[..40]);
    assert!(html.contains(r#"<meta name="viewport" content="width=device-width, initial-scale=1">"#));
    assert!(html.contains(">Summary</h2>") && html.contains(">Charts</h2>"));
    for part in [
        "Pain began",
        "Course",
        "Worst",
        "Typical",
        "Where",
        "When",
        "Symptoms",
        "Red flags",
        "Pain after runs",
        "Training",
        "Coach today",
    ] {
        assert!(html.contains(&format!("<dt>{part}</dt>")), "{part}");
    }
    for chart in ["weekly", "timeline", "long-runs", "habits", "shoes"] {
        assert!(html.contains(&format!("id=\"chart-{chart}\"")), "{chart}");
        assert!(
            html.contains(&format!("aria-labelledby=\"cap-{chart}\"")),
            "the {chart} chart is labelled by its caption"
        );
        assert!(html.contains(&format!("<figcaption id=\"cap-{chart}\">")), "{chart}");
    }
    assert!(html.contains("lumbar is not a diagnosis"), "the not-a-diagnosis line");
    assert!(html.is_ascii(), "beyond ASCII, characters are written as references");
    assert_eq!(external_references(&html), Vec::<String>::new());
    // The figures.
    assert_eq!(doc["period"]["runs"], 3);
    assert_eq!(doc["period"]["pain_entries"], 2);
    assert_eq!(doc["period"]["weeks"], 12);
    assert_eq!(doc["pain"]["worst"]["level"], 3);
    assert_eq!(doc["pain"]["typical"]["median"], 2.5);
    assert_eq!(doc["charts"]["weekly"].as_array().unwrap().len(), 12);
    assert_eq!(doc["charts"]["timeline"]["by_entry"], true);
    assert_eq!(doc["charts"]["timeline"]["entries"].as_array().unwrap().len(), 2);
    assert_eq!(
        doc["charts"]["timeline"]["entries"][0]["run_id"], doc["charts"]["timeline"]["runs"][2]["run_id"],
        "the entry linked with --run last belongs to the last run"
    );
    assert_eq!(doc["charts"]["habits"]["warmup_rate"], 1.0);
    assert_eq!(doc["charts"]["habits"]["stretch_rate"], 0.0);
    assert_eq!(doc["charts"]["shoes"][0]["name"], "Pegasus 41");
    assert_eq!(doc["charts"]["shoes"][0]["distance_m"], 19000.0);
    assert_eq!(doc["training"]["recent"]["runs"], 3);
    assert!(doc["decision"]["light"].is_string() && doc["not_a_diagnosis"].is_string());
    let shown = check_figures_against_json(&html, &doc);
    for required in [
        "/period/from",
        "/period/to",
        "/period/runs",
        "/pain/worst/level",
        "/pain/typical/median",
        "/pain/first_entry/at",
        "/training/recent/distance_m_per_week",
        "/decision/light",
        "/charts/shoes/0/distance_m",
    ] {
        assert!(
            shown.iter().any(|p| p == required),
            "{required} is not marked on the page"
        );
    }
    // The page without --output is the same page on stdout.
    let stdout = page(&env, &[]);
    assert!(stdout.starts_with("<!DOCTYPE html>") && stdout.contains("id=\"chart-shoes\""));
}

#[test]
fn the_demo_report_shows_every_figure_of_its_json() {
    let env = Env::new();
    env.ok(&["demo"]);
    let file = env.dir.path().join("demo.html");
    let doc = env.json(&["report", "--output", file.to_str().unwrap()]);
    let html = std::fs::read_to_string(&file).unwrap();
    let shown = check_figures_against_json(&html, &doc);
    // Every number of every bar and pair is on the page, not only a few.
    let mut expected = Vec::new();
    for (i, _) in doc["charts"]["weekly"].as_array().unwrap().iter().enumerate() {
        for key in ["from", "runs", "distance_m"] {
            expected.push(format!("/charts/weekly/{i}/{key}"));
        }
    }
    for (i, b) in doc["charts"]["long_runs"].as_array().unwrap().iter().enumerate() {
        expected.push(format!("/charts/long_runs/{i}/jumps"));
        if !b["longest"].is_null() {
            expected.push(format!("/charts/long_runs/{i}/longest/distance_m"));
        }
    }
    for (i, _) in doc["charts"]["shoes"].as_array().unwrap().iter().enumerate() {
        for key in ["name", "distance_m", "limit_m", "share", "status"] {
            expected.push(format!("/charts/shoes/{i}/{key}"));
        }
    }
    for (i, _) in doc["charts"]["timeline"]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
    {
        expected.push(format!("/charts/timeline/entries/{i}/level"));
    }
    for (i, _) in doc["pain"]["areas"].as_array().unwrap().iter().enumerate() {
        expected.push(format!("/pain/areas/{i}/entries"));
    }
    for (i, _) in doc["associations"].as_array().unwrap().iter().enumerate() {
        expected.push(format!("/associations/{i}/difference"));
    }
    for p in &expected {
        assert!(shown.contains(p), "{p} is in --json but not on the page");
    }
    assert!(expected.len() > 100, "{} figures", expected.len());
    assert!(
        !doc["associations"].as_array().unwrap().is_empty(),
        "the demo has insights"
    );
    assert_eq!(external_references(&html), Vec::<String>::new());
}

#[test]
fn twenty_five_years_are_drawn_in_blocks_and_stay_under_two_megabytes() {
    let env = Env::new();
    env.ok(&["demo", "--weeks", "1300", "--seed", "7"]);
    let data = serde_json::from_slice::<Value>(&env.store_bytes()).unwrap();
    let runs = data["runs"].as_array().unwrap().len();
    assert!(runs > 8000, "{runs} runs");
    for weeks in ["12", "1300"] {
        let file = env.dir.path().join(format!("r{weeks}.html"));
        let doc = env.json(&["report", "--weeks", weeks, "--output", file.to_str().unwrap()]);
        let size = std::fs::metadata(&file).unwrap().len();
        assert!(size < 2 * 1024 * 1024, "--weeks {weeks}: {size} bytes");
        let html = std::fs::read_to_string(&file).unwrap();
        assert_eq!(external_references(&html), Vec::<String>::new());
        check_figures_against_json(&html, &doc);
        let bars = doc["charts"]["weekly"].as_array().unwrap();
        assert!(bars.len() <= 26, "{} bars", bars.len());
        if weeks == "1300" {
            assert_eq!(doc["charts"]["bar_weeks"], 50);
            assert_eq!(
                doc["charts"]["timeline"]["by_entry"], false,
                "thousands of entries are drawn per block"
            );
            assert_eq!(
                doc["charts"]["timeline"]["blocks"].as_array().unwrap().len(),
                bars.len()
            );
            assert!(doc["period"]["runs"].as_u64().unwrap() as usize > 8000);
            assert!(
                doc["charts"]["shoes"].as_array().unwrap().len() <= 8,
                "at most 8 pairs drawn"
            );
            assert!(doc["charts"]["shoes_not_shown"].as_u64().unwrap() > 0);
        }
    }
}

#[test]
fn hostile_notes_and_shoe_names_are_escaped_and_nothing_refers_outside() {
    let env = Env::new();
    let shoe = "\"><svg onload=alert(1)>Peg";
    env.ok(&["shoes", "add", shoe, "--default"]);
    env.ok(&[
        "run",
        "add",
        "8k",
        "45:00",
        "--date",
        &days_ago(2),
        "--notes",
        "<script>run()</script>",
    ]);
    let note = "<script>alert('x')</script> \"><img src=x onerror=alert(1)> \u{1b}[2J\u{1b}]8;;https://evil.example/\u{7}link \u{202e}gnp.exe url(https://evil.example/a.css) <a href=\"https://evil.example\">x</a>";
    env.ok(&["pain", "add", "6", "--run", "last", "--when", "after", "--notes", note]);
    let html = page(&env, &[]);
    assert_eq!(external_references(&html), Vec::<String>::new());
    for raw in [
        "<script",
        "<img",
        "<svg onload",
        "<a href",
        "\u{1b}",
        "\u{7}",
        "\u{202e}",
    ] {
        assert!(!html.contains(raw), "{raw:?} reached the page as it was typed");
    }
    // What was typed is still there for the reader, as text.
    assert!(html.contains("&lt;script&gt;alert"), "the note is shown, escaped");
    assert!(html.contains("&lt;img src&#61;x onerror&#61;alert&#40;1)&gt;"));
    assert!(
        html.contains("\\u{1b}[2J"),
        "the escape sequence is shown as a visible escape"
    );
    assert!(
        html.contains("\\u{202e}gnp.exe"),
        "the bidi override is shown, not obeyed"
    );
    assert!(
        html.contains("&quot;&gt;&lt;svg onload&#61;alert&#40;1)&gt;Peg"),
        "the shoe name is escaped"
    );
    // The page has none of the run's note (run notes are not part of the report), and --json
    // keeps the pain note as it was typed.
    let doc = env.json(&["report"]);
    assert_eq!(
        doc["pain"]["notes"][0]["text"].as_str().unwrap(),
        note.chars().take(160).collect::<String>().trim_end().to_string() + "…"
    );
    assert_eq!(doc["charts"]["shoes"][0]["name"], shoe);
}

#[test]
fn no_path_of_the_machine_is_in_the_page() {
    let env = three_runs();
    // An imported run keeps the absolute path it came from; the page must not show it.
    let folder = env.dir.path().join("watch-export-folder");
    std::fs::create_dir(&folder).unwrap();
    let start = Utc::now() - Duration::days(1);
    let points: String = (0..40)
        .map(|i| {
            format!(
                "<trkpt lat=\"{:.5}\" lon=\"6.08200\"><time>{}</time></trkpt>",
                50.77 + 0.0005 * f64::from(i),
                (start + Duration::seconds(15 * i64::from(i))).format("%Y-%m-%dT%H:%M:%SZ")
            )
        })
        .collect();
    let gpx = format!(
        "<?xml version=\"1.0\"?><gpx version=\"1.1\" creator=\"test\"><trk><type>running</type><trkseg>{points}</trkseg></trk></gpx>"
    );
    let gpx_path = folder.join("morning-run.gpx");
    std::fs::write(&gpx_path, gpx).unwrap();
    let imported = env.json(&["import", gpx_path.to_str().unwrap()]);
    assert_eq!(imported["imported"].as_array().unwrap().len(), 1, "{imported}");
    let html = page(&env, &[]);
    let json = env.ok(&["--json", "report"]);
    let doc: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["period"]["runs"], 4, "the imported run is in the report");
    let tmp = env.dir.path().to_str().unwrap().to_string();
    for text in [&html, &json] {
        for path in [
            tmp.as_str(),
            "watch-export-folder",
            "morning-run.gpx",
            "lumbar.json",
            "/tmp/",
            "/home/",
            "/root",
        ] {
            assert!(!text.contains(path), "{path} is in the report");
        }
    }
}

#[test]
fn the_file_is_private_and_follows_the_export_rules() {
    let env = three_runs();
    let file = env.dir.path().join("report.html");
    let f = file.to_str().unwrap();
    let said = env.ok(&["report", "--output", f]);
    assert!(said.contains("Wrote the report of 12 weeks"), "{said}");
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "readable by the runner alone");
    // No overwrite without --force, and the file is left as it was.
    std::fs::write(&file, "keep me").unwrap();
    let err = env.fails(&["report", "--output", f], 2);
    assert!(err.contains("already exists") && err.contains("--force"), "{err}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");
    env.ok(&["report", "--output", f, "--force"]);
    assert!(std::fs::read_to_string(&file).unwrap().starts_with("<!DOCTYPE html>"));
    assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    // Never the store, even with --force; never a folder.
    let store = env.store_path();
    let before = env.store_bytes();
    let err = env.fails(&["report", "--output", store.to_str().unwrap(), "--force"], 2);
    assert!(err.contains("the lumbar store"), "{err}");
    assert_eq!(env.store_bytes(), before);
    env.fails(&["report", "--output", env.dir.path().to_str().unwrap()], 2);
    // --force and --open need --output; --weeks is 1 to 5200.
    env.fails(&["report", "--force"], 2);
    let err = env.fails(&["report", "--open"], 2);
    assert!(err.contains("--output"), "{err}");
    env.fails(&["report", "--output", "-", "--open"], 2);
    for weeks in ["0", "5201", "x"] {
        let err = env.fails(&["report", "--weeks", weeks], 2);
        assert!(
            err.contains("--weeks") && err.contains("a whole number of weeks from 1 to 5200"),
            "{err}"
        );
    }
}

#[test]
fn open_hands_the_written_file_to_the_system_opener() {
    let env = three_runs();
    let bin = env.dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let seen = env.dir.path().join("opened.txt");
    let opener = bin.join(if cfg!(target_os = "macos") { "open" } else { "xdg-open" });
    std::fs::write(
        &opener,
        format!("#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}'\n", seen.display()),
    )
    .unwrap();
    std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let file = env.dir.path().join("r.html");
    let out = env
        .cmd()
        .env("PATH", &path)
        .current_dir(env.dir.path())
        .args(["report", "--output", "r.html", "--open"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let opened = std::fs::read_to_string(&seen).expect("the opener ran");
    let real = std::fs::canonicalize(&file).unwrap();
    assert_eq!(
        opened.trim_end(),
        real.to_str().unwrap(),
        "one argument: the absolute path"
    );
    // A missing opener is a warning: the report is written all the same.
    std::fs::remove_file(&opener).unwrap();
    std::fs::remove_file(&file).unwrap();
    let out = env
        .cmd()
        .env("PATH", bin.to_str().unwrap())
        .args(["report", "--output", file.to_str().unwrap(), "--open"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("warning: could not start"));
    assert!(file.exists());
}

#[test]
fn a_period_with_nothing_in_it_says_how_far_back_the_log_goes() {
    let env = Env::new();
    env.ok(&["run", "add", "5k", "28:00", "--date", &days_ago(200)]);
    let html = page(&env, &["--weeks", "4"]);
    assert!(html.contains("Nothing was logged in these 4 weeks."), "{html}");
    assert!(html.contains("lumbar report --weeks"));
    let doc = env.json(&["report", "--weeks", "4"]);
    let weeks = doc["period"]["weeks_to_latest"].as_u64().unwrap();
    assert!((29..=31).contains(&weeks), "{weeks}");
    let covered = env.json(&["report", "--weeks", &weeks.to_string()]);
    assert_eq!(covered["period"]["runs"], 1, "that many weeks reach the run");
}
