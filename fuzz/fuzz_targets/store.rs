//! The store loaders on arbitrary bytes: they may refuse them, never panic (the checks and the
//! position finder included); what they accept passes every check and must save and load back
//! unchanged; and the line-by-line reader may only ever accept what the whole-file parser
//! accepts, with the same result. `fuzz/seeds/store/refused-*.json` are one refused store each.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lumbar::store;

fuzz_target!(|data: &[u8]| {
    let whole = store::parse(data);
    if let Some(by_lines) = store::parse_lines(data) {
        assert_eq!(whole.as_ref().ok(), Some(&by_lines), "the two readers disagree");
    }
    match whole {
        Ok(parsed) => {
            assert!(store::problems(&parsed).is_empty(), "an accepted store passes every check");
            let bytes = store::serialize(&parsed).expect("a loaded store serialises");
            let again = store::parse(&bytes).expect("what we write we can read");
            assert_eq!(store::parse_lines(&bytes).as_ref(), Some(&again), "the line reader reads what we write");
            assert_eq!(store::serialize(&again).unwrap(), bytes);
        }
        // Every refusal says how to fix it.
        Err(message) => assert!(message.contains("to fix it: "), "{message}"),
    }
});
