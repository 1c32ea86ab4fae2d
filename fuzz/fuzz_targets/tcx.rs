//! The TCX parser on arbitrary bytes: it may refuse them with an error, never panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = lumbar::import::tcx::parse(data, "fuzz");
});
