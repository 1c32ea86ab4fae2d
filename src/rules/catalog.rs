//! The one table that says which advice answers which rule. (How each rule reads in
//! `coach --explain` is `output::explain`.)

use super::RuleId;

/// The advice ids (data/advice.json) that answer a rule, most useful first.
pub fn advice_for(id: RuleId) -> &'static [&'static str] {
    match id {
        RuleId::RedFlag => &["see-doctor"],
        RuleId::PainSevere => &["see-doctor", "relief-home-care", "listen-to-pain"],
        RuleId::PainRising => &["listen-to-pain", "recovery-rest", "relief-home-care"],
        RuleId::PainAfterRuns => &[
            "listen-to-pain",
            "relief-home-care",
            "cross-train-low-impact",
            "pilates-core",
        ],
        RuleId::LongRunJump => &["load-build-gradually"],
        RuleId::NoRest => &["recovery-rest", "cross-train-low-impact"],
        RuleId::LoadSpike => &["load-build-gradually", "recovery-rest"],
        RuleId::Monotony => &["recovery-rest", "cross-train-low-impact", "cross-train-yoga"],
        RuleId::WarmupSkipped => &["warmup-dynamic"],
        RuleId::StretchSkipped => &["stretch-after", "cross-train-yoga"],
        RuleId::ShoeWorn => &["shoes-replace", "shoes-fit"],
        RuleId::ShoeRotation => &["shoes-rotate"],
        RuleId::HardSurface => &["surface-softer"],
        RuleId::OneSided => &[
            "form-cues",
            "form-gait-analysis",
            "muscle-imbalance",
            "cross-train-strength",
        ],
    }
}

/// Advice that loads the back (strength and Pilates work): not suggested while the light is
/// `rest` (EVIDENCE.md section 6). Read from the routine each advice item points to.
pub fn is_loading(id: &str) -> bool {
    crate::content::advice_by_id(id)
        .and_then(|a| a.routine.as_deref())
        .is_some_and(|r| matches!(r, "strength" | "pilates"))
}

/// Advice that suggests an activity in place of running (cross-training, swimming, cycling,
/// yoga, strength, Pilates): not given while an `emergency` or `urgent` red flag holds the light
/// at `rest`, when only the triage's action is (EVIDENCE.md section 6).
pub fn is_activity(id: &str) -> bool {
    let routine = crate::content::advice_by_id(id).and_then(|a| a.routine.as_deref());
    is_loading(id)
        || matches!(routine, Some("cross-training"))
        || ["cross-train-", "strength-", "pilates-"]
            .iter()
            .any(|p| id.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ADVICE_IDS: &[&str] = &[
        "warmup-dynamic",
        "stretch-after",
        "shoes-replace",
        "shoes-fit",
        "shoes-rotate",
        "surface-softer",
        "load-build-gradually",
        "recovery-rest",
        "listen-to-pain",
        "cross-train-low-impact",
        "cross-train-strength",
        "cross-train-yoga",
        "pilates-core",
        "form-cues",
        "form-gait-analysis",
        "muscle-imbalance",
        "relief-home-care",
        "see-doctor",
    ];

    #[test]
    fn strength_and_pilates_advice_is_loading_home_care_is_not() {
        for id in ["pilates-core", "cross-train-strength"] {
            assert!(is_loading(id), "{id}");
        }
        for id in [
            "relief-home-care",
            "listen-to-pain",
            "cross-train-low-impact",
            "see-doctor",
        ] {
            assert!(!is_loading(id), "{id}");
        }
    }

    #[test]
    fn every_rule_has_advice_from_the_agreed_ids() {
        for id in RuleId::ALL {
            let advice = advice_for(id);
            assert!(!advice.is_empty(), "{id}");
            for a in advice {
                assert!(ADVICE_IDS.contains(a), "{id} → unknown advice id {a}");
                assert!(
                    crate::content::advice_by_id(a).is_some(),
                    "{a} is not in data/advice.json"
                );
            }
        }
    }
}
