//! A Strava `activities.csv` (with its `shoes.csv` beside it) on arbitrary bytes: rows may be
//! skipped or refused, never panic. The reader takes a path, so each input goes through a file.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("lumbar-fuzz-strava-{}", std::process::id()));
        std::fs::create_dir_all(&d).expect("temp dir");
        d
    })
}

fuzz_target!(|data: &[u8]| {
    // The first line that starts with "Shoe" onwards is shoes.csv; the rest is activities.csv.
    let split = data.windows(5).position(|w| w == b"\nShoe").map_or(data.len(), |p| p + 1);
    let (activities, shoes) = data.split_at(split);
    let csv = dir().join("activities.csv");
    std::fs::write(&csv, activities).expect("write");
    std::fs::write(dir().join("shoes.csv"), shoes).expect("write");
    if let Ok(rows) = lumbar::import::strava::read_rows(&csv) {
        for row in rows {
            let _ = row.resolve();
        }
    }
    let _ = lumbar::import::strava::shoe_names(dir());
});
