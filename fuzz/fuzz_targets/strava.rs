//! A Strava `activities.csv` and `shoes.csv` on arbitrary bytes, and its date parser on any text:
//! rows may be skipped or refused, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first line that starts with "Shoe" onwards is shoes.csv; the rest is activities.csv.
    let split = data.windows(5).position(|w| w == b"\nShoe").map_or(data.len(), |p| p + 1);
    let (activities, shoes) = data.split_at(split);
    if let Ok(rows) = lumbar::import::strava::read_rows(activities, "fuzz.csv") {
        for row in rows {
            let _ = row.with_file(Err(lumbar::import::ImportError::new("no file")));
        }
    }
    let _ = lumbar::import::strava::shoe_names(shoes, "shoes.csv");
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = lumbar::import::strava::parse_date(text);
    }
});
