//! Red-flag triage: a pure function from (symptoms, age) to a level, its reasons and its action.

use serde::Serialize;

/// Every red-flag symptom id of EVIDENCE.md section 2 (part of the CLI contract).
pub const SYMPTOM_IDS: &[&str] = &[
    "bladder-change",
    "saddle-numbness",
    "bowel-change",
    "sexual-dysfunction",
    "both-legs",
    "leg-weakness",
    "major-trauma",
    "chest-pain",
    "collapse",
    "cancer-history",
    "fever",
    "infection-risk",
    "weight-loss",
    "night-pain",
    "back-lump",
    "upper-back-pain",
    "minor-fall",
    "steroids-osteoporosis",
    "leg-numbness",
    "first-episode",
    "not-improving",
    "severe-pain",
    "inflammatory-pattern",
];

pub fn is_red_flag(id: &str) -> bool {
    SYMPTOM_IDS.contains(&id)
}

#[derive(Clone, Debug, Serialize)]
pub struct Reason {
    pub symptom: String,
    pub level: &'static str,
    pub why: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Triage {
    pub level: &'static str,
    pub reasons: Vec<Reason>,
    pub message: String,
    pub advice: Vec<String>,
}

/// Placeholder until the catalogue lands: anything flagged is treated as an emergency,
/// the conservative choice.
pub fn triage(symptoms: &[String], _age: Option<u32>) -> Triage {
    let flagged: Vec<&String> = symptoms.iter().filter(|s| is_red_flag(s)).collect();
    if flagged.is_empty() {
        return Triage {
            level: "self-care",
            reasons: vec![],
            message: "look after it at home".into(),
            advice: vec![],
        };
    }
    Triage {
        level: "emergency",
        reasons: flagged
            .iter()
            .map(|s| Reason {
                symptom: s.to_string(),
                level: "emergency",
                why: String::new(),
            })
            .collect(),
        message: "go to an emergency department or call emergency services now".into(),
        advice: vec![],
    }
}
