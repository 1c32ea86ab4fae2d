//! The store loader on arbitrary bytes: it may refuse them, never panic, and what it accepts
//! must save and load back unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lumbar::store;

fuzz_target!(|data: &[u8]| {
    if let Ok(parsed) = store::parse(data) {
        let bytes = store::serialize(&parsed).expect("a loaded store serialises");
        let again = store::parse(&bytes).expect("what we write we can read");
        assert_eq!(store::serialize(&again).unwrap(), bytes);
    }
});
