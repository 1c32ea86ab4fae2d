//! Every parser for what a person types: none may panic, and whatever parses must display as
//! something that parses back to the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lumbar::model::{Area, DistanceInput, Duration, PainLevel, Rpe, Side, Surface, Timing, Units, WhenInput};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok(d) = s.parse::<Duration>() {
        assert_eq!(d.to_string().parse::<Duration>().ok(), Some(d), "duration round trip for {s:?}");
    }
    if let Ok(d) = s.parse::<DistanceInput>() {
        if let Ok(m) = d.resolve(Units::Km, "distance") {
            assert!(m.metres() > 0.0 && m.metres() <= 500_000.0);
            let _ = m.display(Units::Mi);
        }
    }
    if let Ok(x) = s.parse::<Surface>() {
        assert_eq!(x.to_string().parse::<Surface>().ok(), Some(x));
    }
    let _ = s.parse::<Area>();
    let _ = s.parse::<Side>();
    let _ = s.parse::<Timing>();
    if let Ok(p) = s.parse::<PainLevel>() {
        assert!(p.0 <= 10);
    }
    if let Ok(r) = s.parse::<Rpe>() {
        assert!((1..=10).contains(&r.0));
    }
    if let Ok(w) = s.parse::<WhenInput>() {
        let now = lumbar::model::when::now();
        let _ = w.resolve_at(now, "date");
        let _ = w.bound(now, true, "until");
    }
});
