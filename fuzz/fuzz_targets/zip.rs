//! A zip archive (and whatever it holds: zips inside, Strava and Garmin exports) on arbitrary
//! bytes: entries may be refused, never panic, hang or grow memory past the archive limits.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn path() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| std::env::temp_dir().join(format!("lumbar-fuzz-zip-{}.zip", std::process::id())))
}

fuzz_target!(|data: &[u8]| {
    // Archives are read in place with positioned reads, so each input goes through a file.
    std::fs::write(path(), data).expect("write");
    let _ = lumbar::import::read_path(path());
});
