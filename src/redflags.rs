//! Red-flag triage: a pure function from (symptoms, age) to a level, its reasons and its action.
//!
//! The words (questions, what a symptom may point to, sources, actions, advice) and the
//! symptom-pair combinations live in `data/redflags.json`, compiled in. The rules that depend on
//! age or on counting weak signs are the small named functions below. The thresholds are those of
//! EVIDENCE.md section 2; where a rule needs the age and it is not known, the more urgent answer
//! is taken (EVIDENCE.md: "when in doubt, the more urgent level") and the reason says so.

use std::fmt;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

/// Every red-flag symptom id of EVIDENCE.md section 2 (part of the CLI contract), in the order
/// of the catalogue: emergency signs first.
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

/// Whether `id` is a red-flag symptom id (plain descriptors such as `ache` are not).
pub fn is_red_flag(id: &str) -> bool {
    SYMPTOM_IDS.contains(&id)
}

/// How soon to get checked. Ordered by severity, so `max` is "the most severe wins".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    SelfCare,
    Soon,
    Urgent,
    Emergency,
}

impl Level {
    /// Most severe first.
    pub const ALL: [Level; 4] = [Level::Emergency, Level::Urgent, Level::Soon, Level::SelfCare];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Emergency => "emergency",
            Level::Urgent => "urgent",
            Level::Soon => "soon",
            Level::SelfCare => "self-care",
        }
    }

    /// The time words that finish "this needs to be checked ...".
    fn within(self) -> &'static str {
        match self {
            Level::Emergency => "now",
            Level::Urgent => "today",
            Level::Soon | Level::SelfCare => "within days",
        }
    }

    /// What the runner is told to do at this level, with its advice.
    pub fn guide(self) -> &'static LevelGuide {
        let l = &catalogue().levels;
        match self {
            Level::Emergency => &l.emergency,
            Level::Urgent => &l.urgent,
            Level::Soon => &l.soon,
            Level::SelfCare => &l.self_care,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

// Callers written against the old `&'static str` level keep working: `t.level == "emergency"`.
impl PartialEq<&str> for Level {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for Level {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

/// One entry of the catalogue.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Symptom {
    pub id: String,
    /// A yes/no question in plain words.
    pub question: String,
    /// The level this symptom raises on its own (before any age rule).
    pub level: Level,
    /// Finishes "this can come from ...": a possibility to rule out, not a diagnosis.
    pub may_point_to: String,
    pub source: String,
}

/// A combination that raises the level above what each symptom raises alone.
#[derive(Clone, Debug, Deserialize)]
pub struct Combination {
    pub id: String,
    pub level: Level,
    /// Pair rule: one of `any_of` together with one of `with_any_of`.
    #[serde(default)]
    pub any_of: Vec<String>,
    #[serde(default)]
    pub with_any_of: Vec<String>,
    /// Count rule: at least this many of `of` (see [`counts_as_weak_sign`]).
    #[serde(default)]
    pub at_least: Option<usize>,
    #[serde(default)]
    pub of: Vec<String>,
    pub may_point_to: String,
    pub source: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct LevelGuide {
    /// The one-line action, e.g. "speak to a doctor today, within 24 hours".
    pub action: String,
    pub advice: Vec<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Levels {
    pub emergency: LevelGuide,
    pub urgent: LevelGuide,
    pub soon: LevelGuide,
    #[serde(rename = "self-care")]
    pub self_care: LevelGuide,
}

/// `data/redflags.json`, typed.
#[derive(Clone, Debug, Deserialize)]
pub struct Catalogue {
    pub version: u32,
    pub not_a_diagnosis: String,
    pub emergency_care: String,
    pub levels: Levels,
    pub symptoms: Vec<Symptom>,
    pub combinations: Vec<Combination>,
}

const CATALOGUE_JSON: &str = include_str!("../data/redflags.json");

static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(|| {
    // Compiled-in data, not user input: `catalogue_is_complete_and_consistent` checks it parses.
    serde_json::from_str(CATALOGUE_JSON).expect("data/redflags.json is valid (checked by a unit test)")
});

pub fn catalogue() -> &'static Catalogue {
    &CATALOGUE
}

/// The catalogue entry of a red-flag id.
pub fn symptom(id: &str) -> Option<&'static Symptom> {
    catalogue().symptoms.iter().find(|s| s.id == id)
}

/// The questions in the order they are asked: most severe level first, catalogue order within.
/// A question whose answer cannot change the result at this age is left out (a first back pain
/// between 20 and 50 is neither a flag nor a weak sign).
pub fn question_order(age: Option<u32>) -> Vec<&'static Symptom> {
    let mut all: Vec<&Symptom> = catalogue()
        .symptoms
        .iter()
        .filter(|s| s.id != "first-episode" || first_episode_level(age).is_some() || counts_as_weak_sign(&s.id, age))
        .collect();
    all.sort_by_key(|s| std::cmp::Reverse(s.level));
    all
}

// Age thresholds of EVIDENCE.md section 2.
/// `minor-fall` is urgent from this age (fragility fracture).
pub const FALL_URGENT_FROM_AGE: u32 = 50;
/// `steroids-osteoporosis` is urgent from this age.
pub const STEROIDS_URGENT_FROM_AGE: u32 = 70;
/// `first-episode` is a flag below this age ...
pub const FIRST_EPISODE_YOUNG_BELOW: u32 = 20;
/// ... and above this one.
pub const FIRST_EPISODE_OLDER_ABOVE: u32 = 50;

/// `minor-fall` alone: soon, urgent at 50 or over; urgent when the age is unknown.
pub fn minor_fall_level(age: Option<u32>) -> Level {
    match age {
        Some(a) if a < FALL_URGENT_FROM_AGE => Level::Soon,
        _ => Level::Urgent,
    }
}

/// `steroids-osteoporosis` alone: soon, urgent at 70 or over; urgent when the age is unknown.
pub fn steroids_level(age: Option<u32>) -> Level {
    match age {
        Some(a) if a < STEROIDS_URGENT_FROM_AGE => Level::Soon,
        _ => Level::Urgent,
    }
}

/// `first-episode` alone: soon below 20 or above 50, no flag in between; soon when the age is
/// unknown.
pub fn first_episode_level(age: Option<u32>) -> Option<Level> {
    match age {
        Some(a) if (FIRST_EPISODE_YOUNG_BELOW..=FIRST_EPISODE_OLDER_ABOVE).contains(&a) => None,
        _ => Some(Level::Soon),
    }
}

/// Whether a symptom counts toward the weak-signs rule. `first-episode` counts only above 50
/// (Henschke 2013), or when the age is unknown.
pub fn counts_as_weak_sign(id: &str, age: Option<u32>) -> bool {
    match id {
        "first-episode" => age.is_none_or(|a| a > FIRST_EPISODE_OLDER_ABOVE),
        _ => true,
    }
}

/// Whether the answer for `id` depends on the age.
fn depends_on_age(id: &str) -> bool {
    matches!(id, "minor-fall" | "steroids-osteoporosis" | "first-episode")
}

/// Why a reason fired.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Reason {
    /// The red-flag id, or the ids of a combination joined with `+`.
    pub symptom: String,
    pub level: Level,
    pub why: String,
}

/// The triage result (`--json`: TRIAGE of CLI.md).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Triage {
    pub level: Level,
    /// Every reason that fired, most severe first.
    pub reasons: Vec<Reason>,
    /// The action for the level.
    pub message: String,
    pub advice: Vec<String>,
}

/// "back pain with this needs to be checked today because it can come from ...": what to rule
/// out, never a diagnosis.
fn because(level: Level, together: bool, points_to: &str) -> String {
    let with = if together { "these together" } else { "this" };
    format!(
        "back pain with {with} needs to be checked {} because it can come from {points_to}",
        level.within()
    )
}

/// The level one symptom raises on its own, and any age wording in front of its reason.
fn alone(s: &Symptom, age: Option<u32>) -> Option<(Level, String)> {
    let (level, threshold) = match s.id.as_str() {
        "minor-fall" => (minor_fall_level(age), format!("{FALL_URGENT_FROM_AGE} or over")),
        "steroids-osteoporosis" => (steroids_level(age), format!("{STEROIDS_URGENT_FROM_AGE} or over")),
        "first-episode" => (
            first_episode_level(age)?,
            format!("under {FIRST_EPISODE_YOUNG_BELOW} or over {FIRST_EPISODE_OLDER_ABOVE}"),
        ),
        _ => return Some((s.level, String::new())),
    };
    let context = match age {
        None => format!("your age is not known, so lumbar takes the careful answer (as if {threshold}): "),
        Some(a) if level > s.level || s.id == "first-episode" => format!("at age {a} ({threshold}), "),
        Some(_) => String::new(),
    };
    Some((level, context))
}

/// The reason a combination gives, when it fires.
fn combination(c: &Combination, present: &[&str], age: Option<u32>) -> Option<Reason> {
    let has = |id: &String| present.contains(&id.as_str());
    let (fired, context): (Vec<&str>, String) = if let Some(n) = c.at_least {
        let counted: Vec<&str> =
            c.of.iter()
                .filter(|id| has(id) && counts_as_weak_sign(id, age))
                .map(String::as_str)
                .collect();
        if counted.len() < n {
            return None;
        }
        let careful = age.is_none() && counted.contains(&"first-episode");
        let context = if careful {
            "your age is not known, so lumbar counts first-episode as if over 50 (the careful answer); ".to_string()
        } else {
            String::new()
        };
        (counted, context)
    } else {
        let first: Vec<&str> = c.any_of.iter().filter(|id| has(id)).map(String::as_str).collect();
        let second: Vec<&str> = c.with_any_of.iter().filter(|id| has(id)).map(String::as_str).collect();
        if first.is_empty() || second.is_empty() {
            return None;
        }
        (first.into_iter().chain(second).collect(), String::new())
    };
    Some(Reason {
        symptom: fired.join("+"),
        level: c.level,
        why: format!("{context}{}", because(c.level, true, &c.may_point_to)),
    })
}

/// Triage: the level (the most severe reason wins), every reason that fired, the action and the
/// advice. Symptoms that are not red-flag ids (plain descriptors) raise nothing; age alone raises
/// nothing.
pub fn triage(symptoms: &[String], age: Option<u32>) -> Triage {
    let cat = catalogue();
    let present: Vec<&str> = SYMPTOM_IDS
        .iter()
        .copied()
        .filter(|id| symptoms.iter().any(|s| s == id))
        .collect();
    let mut reasons = Vec::new();
    let mut notes = Vec::new();
    for s in cat.symptoms.iter().filter(|s| present.contains(&s.id.as_str())) {
        match alone(s, age) {
            Some((level, context)) => reasons.push(Reason {
                symptom: s.id.clone(),
                level,
                why: format!("{context}{}", because(level, false, &s.may_point_to)),
            }),
            // Only a known age between 20 and 50 makes a first back pain no flag at all.
            None => notes.extend(
                age.map(|a| format!("first-episode: at age {a} a first back pain is not a warning sign on its own.")),
            ),
        }
    }
    reasons.extend(cat.combinations.iter().filter_map(|c| combination(c, &present, age)));
    // Stable: within a level, single symptoms (catalogue order) come before combinations.
    reasons.sort_by_key(|r| std::cmp::Reverse(r.level));
    let level = reasons.iter().map(|r| r.level).max().unwrap_or(Level::SelfCare);
    let plain: Vec<&str> = symptoms
        .iter()
        .map(String::as_str)
        .filter(|s| !is_red_flag(s))
        .collect();
    if !plain.is_empty() {
        let not_signs = if plain.len() == 1 {
            "not a warning sign on its own"
        } else {
            "not warning signs on their own"
        };
        notes.push(format!("{}: common with back pain, {not_signs}.", plain.join(", ")));
    }
    if age.is_none() && present.iter().any(|id| depends_on_age(id)) {
        notes.push(
            "Your age changes this answer: set it with `lumbar config set age N` (or give --age N to `lumbar redflags`) for a finer one."
                .to_string(),
        );
    }
    let guide = level.guide();
    let mut advice = guide.advice.clone();
    if level == Level::Emergency {
        advice.push(cat.emergency_care.clone());
    }
    advice.extend(notes);
    Triage {
        level,
        reasons,
        message: guide.action.clone(),
        advice,
    }
}

/// How an interview ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    /// Every question was answered.
    Complete,
    /// An answer already made it an emergency, so the rest were not asked.
    EmergencyStop,
    /// The answers ran out (end of input) before the last question.
    Unfinished,
}

/// The outcome of asking the questions one at a time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Interview {
    /// The ids answered "yes", in the order asked.
    pub yes: Vec<String>,
    /// How many questions were answered.
    pub answered: usize,
    pub ending: Ending,
}

/// One question of an interview, with its place in the list.
#[derive(Clone, Copy, Debug)]
pub struct Step<'a> {
    pub number: usize,
    pub total: usize,
    pub symptom: &'a Symptom,
}

/// Asks the questions of [`question_order`], one at a time, through `ask` (the answer source:
/// `Ok(Some(yes))`, or `Ok(None)` when the answers have run out). Stops as soon as the answers
/// so far make an emergency: the remaining questions cannot lower it and every minute counts.
pub fn interview<E>(
    age: Option<u32>,
    mut ask: impl FnMut(Step<'_>) -> Result<Option<bool>, E>,
) -> Result<Interview, E> {
    let order = question_order(age);
    let mut result = Interview {
        yes: Vec::new(),
        answered: 0,
        ending: Ending::Complete,
    };
    for (i, s) in order.iter().enumerate() {
        let step = Step {
            number: i + 1,
            total: order.len(),
            symptom: s,
        };
        let Some(yes) = ask(step)? else {
            result.ending = Ending::Unfinished;
            break;
        };
        result.answered += 1;
        if yes {
            result.yes.push(s.id.clone());
            if triage(&result.yes, age).level == Level::Emergency {
                result.ending = Ending::EmergencyStop;
                break;
            }
        }
    }
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn level(list: &[&str], age: Option<u32>) -> Level {
        triage(&ids(list), age).level
    }

    /// The fired reason for a combination, found by its joined symptoms.
    fn reason<'a>(t: &'a Triage, symptom: &str) -> Option<&'a Reason> {
        t.reasons.iter().find(|r| r.symptom == symptom)
    }

    #[test]
    fn catalogue_is_complete_and_consistent() {
        let cat: Catalogue = serde_json::from_str(CATALOGUE_JSON).expect("data/redflags.json parses");
        let json_ids: Vec<&str> = cat.symptoms.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(
            json_ids, SYMPTOM_IDS,
            "the catalogue and SYMPTOM_IDS list the same ids in the same order"
        );
        for s in &cat.symptoms {
            assert!(s.question.ends_with('?'), "{}: a question", s.id);
            assert!(!s.may_point_to.is_empty() && !s.source.is_empty(), "{}", s.id);
            assert!(s.question.len() <= 180, "{}: short enough to read at a glance", s.id);
        }
        for c in &cat.combinations {
            let pair = !c.any_of.is_empty() && !c.with_any_of.is_empty();
            let count = c.at_least.is_some_and(|n| n >= 2 && n <= c.of.len());
            assert!(pair != count, "{}: exactly one kind of rule", c.id);
            for id in c.any_of.iter().chain(&c.with_any_of).chain(&c.of) {
                assert!(is_red_flag(id), "{}: unknown id {id}", c.id);
            }
        }
    }

    #[test]
    fn levels_alone_match_evidence_md() {
        let expected = [
            ("bladder-change", Level::Emergency),
            ("saddle-numbness", Level::Emergency),
            ("bowel-change", Level::Emergency),
            ("sexual-dysfunction", Level::Emergency),
            ("both-legs", Level::Emergency),
            ("leg-weakness", Level::Emergency),
            ("major-trauma", Level::Emergency),
            ("chest-pain", Level::Emergency),
            ("collapse", Level::Emergency),
            ("cancer-history", Level::Urgent),
            ("fever", Level::Urgent),
            ("infection-risk", Level::Urgent),
            ("weight-loss", Level::Urgent),
            ("night-pain", Level::Urgent),
            ("back-lump", Level::Urgent),
            ("upper-back-pain", Level::Urgent),
            ("minor-fall", Level::Soon),
            ("steroids-osteoporosis", Level::Soon),
            ("leg-numbness", Level::Soon),
            ("first-episode", Level::Soon),
            ("not-improving", Level::Soon),
            ("severe-pain", Level::Soon),
            ("inflammatory-pattern", Level::Soon),
        ];
        assert_eq!(expected.len(), SYMPTOM_IDS.len());
        for (id, want) in expected {
            assert_eq!(symptom(id).map(|s| s.level), Some(want), "catalogue level of {id}");
        }
    }

    /// Every id alone, at an age where no age rule changes it (35) and at one where every age
    /// rule does (75).
    #[test]
    fn every_id_alone() {
        for &id in SYMPTOM_IDS {
            let base = symptom(id).map(|s| s.level).unwrap_or(Level::SelfCare);
            let at_35 = match id {
                "first-episode" => Level::SelfCare,
                _ => base,
            };
            let at_75 = match id {
                "minor-fall" | "steroids-osteoporosis" => Level::Urgent,
                _ => base,
            };
            let t = triage(&ids(&[id]), Some(35));
            assert_eq!(t.level, at_35, "{id} at 35");
            assert_eq!(level(&[id], Some(75)), at_75, "{id} at 75");
            if at_35 != Level::SelfCare {
                assert_eq!(t.reasons.len(), 1, "{id}: one reason");
                assert_eq!(t.reasons[0].symptom, id);
                assert_eq!(t.reasons[0].level, at_35);
                assert!(t.reasons[0].why.contains("can come from"), "{}", t.reasons[0].why);
            }
            assert_eq!(t.message, t.level.guide().action);
        }
    }

    #[test]
    fn nothing_or_descriptors_only_is_self_care() {
        for list in [
            &[][..],
            &["ache"],
            &["stiffness", "spasm"],
            &["sharp", "radiating", "ache"],
        ] {
            for age in [None, Some(19), Some(35), Some(80)] {
                let t = triage(&ids(list), age);
                assert_eq!(t.level, Level::SelfCare, "{list:?} at {age:?}");
                assert!(t.reasons.is_empty());
            }
        }
        let t = triage(&ids(&["ache", "stiffness"]), Some(40));
        assert!(
            t.advice
                .iter()
                .any(|a| *a == "ache, stiffness: common with back pain, not warning signs on their own."),
            "{:?}",
            t.advice
        );
    }

    #[test]
    fn cancer_with_any_nerve_sign_is_an_emergency() {
        for nerve in [
            "leg-numbness",
            "leg-weakness",
            "both-legs",
            "saddle-numbness",
            "bladder-change",
            "bowel-change",
        ] {
            let t = triage(&ids(&["cancer-history", nerve]), Some(40));
            assert_eq!(t.level, Level::Emergency, "cancer-history + {nerve}");
            let r = reason(&t, &format!("cancer-history+{nerve}")).expect("the combination is a reason");
            assert_eq!(r.level, Level::Emergency);
            assert!(r.why.contains("spinal cord"), "{}", r.why);
        }
        // leg-numbness alone is soon and cancer-history alone urgent: only together an emergency.
        assert_eq!(level(&["leg-numbness"], Some(40)), Level::Soon);
        assert_eq!(level(&["cancer-history", "severe-pain"], Some(40)), Level::Urgent);
    }

    #[test]
    fn infection_with_leg_signs_is_an_emergency() {
        for infection in ["fever", "infection-risk"] {
            for leg in ["leg-weakness", "both-legs"] {
                let t = triage(&ids(&[infection, leg]), Some(30));
                let r = reason(&t, &format!("{infection}+{leg}")).expect("the combination is a reason");
                assert_eq!(r.level, Level::Emergency);
            }
            // One leg numb with a fever: urgent (fever), not the abscess rule.
            let t = triage(&ids(&[infection, "leg-numbness"]), Some(30));
            assert_eq!(t.level, Level::Urgent);
            assert!(t.reasons.iter().all(|r| !r.symptom.contains('+')));
        }
    }

    #[test]
    fn fall_with_thin_bones_is_urgent_at_any_age() {
        for age in [Some(25), Some(49), None] {
            let t = triage(&ids(&["minor-fall", "steroids-osteoporosis"]), age);
            assert_eq!(t.level, Level::Urgent, "{age:?}");
            let r = reason(&t, "minor-fall+steroids-osteoporosis").expect("combination fired");
            assert_eq!(r.level, Level::Urgent);
        }
    }

    #[test]
    fn weak_signs_count_only_together() {
        // first-episode + not-improving: each soon alone (at 55), urgent together.
        assert_eq!(level(&["not-improving"], Some(55)), Level::Soon);
        assert_eq!(level(&["first-episode"], Some(55)), Level::Soon);
        let t = triage(&ids(&["first-episode", "not-improving"]), Some(55));
        assert_eq!(t.level, Level::Urgent);
        assert!(reason(&t, "first-episode+not-improving").is_some());
        // The same two at 19: first-episode is a flag alone but does not count as a weak sign.
        let t = triage(&ids(&["first-episode", "not-improving"]), Some(19));
        assert_eq!(t.level, Level::Soon);
        assert!(t.reasons.iter().all(|r| !r.symptom.contains('+')));
        // At 50 first-episode counts for neither.
        assert_eq!(level(&["first-episode", "not-improving"], Some(50)), Level::Soon);
        // weight-loss + night-pain: already urgent alone, and the combination fires as well.
        let t = triage(&ids(&["weight-loss", "night-pain"]), Some(30));
        assert_eq!(t.level, Level::Urgent);
        assert!(reason(&t, "weight-loss+night-pain").is_some());
        // All four at 60: one combination reason naming all four.
        let t = triage(
            &ids(&["night-pain", "first-episode", "weight-loss", "not-improving"]),
            Some(60),
        );
        assert!(reason(&t, "first-episode+not-improving+weight-loss+night-pain").is_some());
        // Unknown age: first-episode counts, the careful choice, and the reason says so.
        let t = triage(&ids(&["first-episode", "not-improving"]), None);
        assert_eq!(t.level, Level::Urgent);
        let r = reason(&t, "first-episode+not-improving").expect("combination fired");
        assert!(r.why.contains("age is not known"), "{}", r.why);
    }

    #[test]
    fn age_boundaries() {
        // first-episode: a flag below 20 and above 50.
        assert_eq!(first_episode_level(Some(19)), Some(Level::Soon));
        assert_eq!(first_episode_level(Some(20)), None);
        assert_eq!(first_episode_level(Some(49)), None);
        assert_eq!(first_episode_level(Some(50)), None);
        assert_eq!(first_episode_level(Some(51)), Some(Level::Soon));
        assert_eq!(first_episode_level(None), Some(Level::Soon));
        assert_eq!(level(&["first-episode"], Some(19)), Level::Soon);
        assert_eq!(level(&["first-episode"], Some(20)), Level::SelfCare);
        let t = triage(&ids(&["first-episode"]), Some(20));
        assert!(
            t.advice.iter().any(|a| a.starts_with("first-episode: at age 20")),
            "{:?}",
            t.advice
        );
        assert_eq!(level(&["first-episode"], Some(50)), Level::SelfCare);
        assert_eq!(level(&["first-episode"], Some(51)), Level::Soon);
        // Weak-sign counting: only above 50.
        assert!(!counts_as_weak_sign("first-episode", Some(19)));
        assert!(!counts_as_weak_sign("first-episode", Some(50)));
        assert!(counts_as_weak_sign("first-episode", Some(51)));
        // minor-fall: urgent from 50.
        assert_eq!(minor_fall_level(Some(49)), Level::Soon);
        assert_eq!(minor_fall_level(Some(50)), Level::Urgent);
        assert_eq!(minor_fall_level(Some(51)), Level::Urgent);
        assert_eq!(level(&["minor-fall"], Some(49)), Level::Soon);
        assert_eq!(level(&["minor-fall"], Some(50)), Level::Urgent);
        // steroids-osteoporosis: urgent from 70.
        assert_eq!(steroids_level(Some(69)), Level::Soon);
        assert_eq!(steroids_level(Some(70)), Level::Urgent);
        assert_eq!(level(&["steroids-osteoporosis"], Some(69)), Level::Soon);
        assert_eq!(level(&["steroids-osteoporosis"], Some(70)), Level::Urgent);
    }

    #[test]
    fn unknown_age_takes_the_more_urgent_answer_and_says_so() {
        for (id, want) in [
            ("minor-fall", Level::Urgent),
            ("steroids-osteoporosis", Level::Urgent),
            ("first-episode", Level::Soon),
        ] {
            let t = triage(&ids(&[id]), None);
            assert_eq!(t.level, want, "{id} with unknown age");
            assert!(t.reasons[0].why.contains("age is not known"), "{}", t.reasons[0].why);
            assert!(t.advice.iter().any(|a| a.contains("--age")), "{:?}", t.advice);
        }
        // Rules that do not depend on age do not mention it.
        let t = triage(&ids(&["fever"]), None);
        assert!(!t.advice.iter().any(|a| a.contains("--age")));
    }

    #[test]
    fn age_alone_is_not_a_flag() {
        for age in [None, Some(0), Some(15), Some(19), Some(50), Some(70), Some(99)] {
            assert_eq!(level(&[], age), Level::SelfCare, "{age:?}");
        }
    }

    #[test]
    fn the_most_severe_level_wins_and_every_reason_is_listed() {
        let t = triage(&ids(&["not-improving", "fever", "saddle-numbness", "ache"]), Some(40));
        assert_eq!(t.level, Level::Emergency);
        let listed: Vec<(&str, Level)> = t.reasons.iter().map(|r| (r.symptom.as_str(), r.level)).collect();
        assert_eq!(
            listed,
            [
                ("saddle-numbness", Level::Emergency),
                ("fever", Level::Urgent),
                ("not-improving", Level::Soon)
            ]
        );
        assert_eq!(t.message, Level::Emergency.guide().action);
        assert_eq!(level(&["severe-pain", "back-lump"], Some(40)), Level::Urgent);
        assert_eq!(level(&["severe-pain", "leg-numbness"], Some(40)), Level::Soon);
        // The order the symptoms are given in does not matter.
        assert_eq!(
            triage(&ids(&["fever", "leg-weakness"]), Some(40)),
            triage(&ids(&["leg-weakness", "fever"]), Some(40))
        );
    }

    #[test]
    fn emergency_advice_says_how_to_reach_emergency_care() {
        let t = triage(&ids(&["bowel-change"]), Some(40));
        assert!(t.advice.contains(&catalogue().emergency_care), "{:?}", t.advice);
        let t = triage(&ids(&["fever"]), Some(40));
        assert!(!t.advice.contains(&catalogue().emergency_care));
    }

    #[test]
    fn no_reason_names_a_diagnosis_as_a_fact() {
        let mut all: Vec<&str> = SYMPTOM_IDS.to_vec();
        all.extend(["ache"]);
        let t = triage(&ids(&all), None);
        for r in &t.reasons {
            assert!(r.why.contains("can come from"), "{}", r.why);
            assert!(!r.why.contains("you have"), "{}", r.why);
        }
    }

    #[test]
    fn self_care_points_to_the_relief_routine() {
        let t = triage(&[], Some(30));
        assert!(t.advice.iter().any(|a| a.contains("lumbar routine relief")));
    }

    #[test]
    fn level_serialises_as_the_contract_says() {
        let names: Vec<String> = Level::ALL
            .iter()
            .map(|l| {
                serde_json::to_value(l)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default()
            })
            .collect();
        assert_eq!(names, ["emergency", "urgent", "soon", "self-care"]);
        assert!(Level::SelfCare < Level::Soon && Level::Soon < Level::Urgent && Level::Urgent < Level::Emergency);
        assert!(Level::Urgent == "urgent");
    }

    /// Answers from a script, as a person at the terminal would give them.
    fn scripted(answers: &[(&str, bool)]) -> impl FnMut(Step<'_>) -> Result<Option<bool>, ()> {
        let answers: Vec<(String, bool)> = answers.iter().map(|(id, a)| (id.to_string(), *a)).collect();
        move |step: Step<'_>| {
            Ok(Some(
                answers
                    .iter()
                    .find(|(id, _)| *id == step.symptom.id)
                    .is_some_and(|(_, a)| *a),
            ))
        }
    }

    #[test]
    fn questions_come_most_severe_first() {
        let order: Vec<Level> = question_order(None).iter().map(|s| s.level).collect();
        assert_eq!(order.len(), SYMPTOM_IDS.len());
        assert!(order.windows(2).all(|w| w[0] >= w[1]), "{order:?}");
        assert_eq!(order[0], Level::Emergency);
    }

    #[test]
    fn first_episode_is_asked_only_where_it_can_matter() {
        let asks = |age| question_order(age).iter().any(|s| s.id == "first-episode");
        assert!(asks(None));
        assert!(asks(Some(19)));
        assert!(!asks(Some(20)));
        assert!(!asks(Some(50)));
        assert!(asks(Some(51)));
        assert_eq!(question_order(Some(35)).len(), SYMPTOM_IDS.len() - 1);
    }

    #[test]
    fn interview_with_no_yes_asks_everything() {
        let mut asked = Vec::new();
        let mut no = scripted(&[]);
        let i = interview(Some(60), |step| {
            asked.push(step.symptom.id.clone());
            assert_eq!(step.total, SYMPTOM_IDS.len());
            no(step)
        })
        .expect("no errors from a script");
        assert_eq!(i.ending, Ending::Complete);
        assert_eq!(i.answered, SYMPTOM_IDS.len());
        assert!(i.yes.is_empty());
        assert_eq!(asked, SYMPTOM_IDS, "every question once, in catalogue order");
        assert_eq!(triage(&i.yes, Some(60)).level, Level::SelfCare);
    }

    #[test]
    fn interview_stops_at_the_first_emergency_answer() {
        let mut asked = Vec::new();
        let mut answers = scripted(&[("saddle-numbness", true), ("fever", true)]);
        let i = interview(Some(40), |step| {
            asked.push(step.symptom.id.clone());
            answers(step)
        })
        .expect("no errors");
        assert_eq!(i.ending, Ending::EmergencyStop);
        assert_eq!(
            asked,
            ["bladder-change", "saddle-numbness"],
            "nothing asked after the emergency answer"
        );
        assert_eq!(i.yes, ["saddle-numbness"]);
    }

    #[test]
    fn interview_stops_when_a_combination_makes_an_emergency() {
        let mut asked = Vec::new();
        let mut answers = scripted(&[("cancer-history", true), ("leg-numbness", true), ("severe-pain", true)]);
        let i = interview(Some(60), |step| {
            asked.push(step.symptom.id.clone());
            answers(step)
        })
        .expect("no errors");
        assert_eq!(i.ending, Ending::EmergencyStop);
        assert_eq!(asked.last().map(String::as_str), Some("leg-numbness"));
        assert_eq!(i.yes, ["cancer-history", "leg-numbness"]);
        assert_eq!(triage(&i.yes, Some(60)).level, Level::Emergency);
    }

    #[test]
    fn interview_that_runs_out_of_answers_is_unfinished() {
        let mut left = 3;
        let i = interview(None, |_| {
            left -= 1;
            Ok::<_, ()>((left >= 0).then_some(false))
        })
        .expect("no errors");
        assert_eq!(i.ending, Ending::Unfinished);
        assert_eq!(i.answered, 3);
    }

    #[test]
    fn interview_passes_errors_through() {
        let r = interview(None, |_| Err::<Option<bool>, &str>("stdin closed"));
        assert_eq!(r, Err("stdin closed"));
    }
}
