//! What `lumbar import` does with one file's bytes: un-gzip if gzip, sniff the format by content,
//! parse. Arbitrary input may be refused, never panic.
#![no_main]

use std::io::Cursor;

use libfuzzer_sys::fuzz_target;
use lumbar::import::{self, Format};

fuzz_target!(|data: &[u8]| {
    let Ok(opened) = import::open_reader(Box::new(Cursor::new(data.to_vec()))) else { return };
    if let Some(format) = opened.format.filter(|f| *f != Format::StravaCsv) {
        let _ = import::parse(format, opened.reader, "fuzz");
    }
});
