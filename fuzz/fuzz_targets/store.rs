//! The store loaders on arbitrary bytes: they may refuse them, never panic; what they accept
//! must save and load back unchanged; and the line-by-line reader may only ever accept what the
//! whole-file parser accepts, with the same result.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lumbar::store;

fuzz_target!(|data: &[u8]| {
    let whole = store::parse(data);
    if let Some(by_lines) = store::parse_lines(data) {
        assert_eq!(whole.as_ref().ok(), Some(&by_lines), "the two readers disagree");
    }
    if let Ok(parsed) = whole {
        let bytes = store::serialize(&parsed).expect("a loaded store serialises");
        let again = store::parse(&bytes).expect("what we write we can read");
        assert_eq!(store::parse_lines(&bytes).as_ref(), Some(&again), "the line reader reads what we write");
        assert_eq!(store::serialize(&again).unwrap(), bytes);
    }
});
