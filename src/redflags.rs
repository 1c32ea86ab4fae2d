//! Red-flag triage: a pure function from (symptoms, age) to a level, its reasons and its action.
//!
//! The words (questions, what a symptom may point to, sources, actions, running advice) and the
//! symptom-pair combinations live in `data/redflags.json`, compiled in. The rules that depend on
//! age or on counting weak signs are the small named functions below. The thresholds are those of
//! EVIDENCE.md section 2 (v2); where a rule needs the age and it is not known, the more urgent
//! answer is taken (EVIDENCE.md: "when in doubt, the more urgent level") and the reason says so.
//!
//! [`logged`] reads the red flags a runner has logged (`pain add --symptom`) for the coach, and
//! [`coach_light`] says which light a level holds the coach at (EVIDENCE.md section 1).

use std::collections::VecDeque;
use std::fmt;
use std::sync::LazyLock;

use chrono::{DateTime, Duration, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::model::{DESCRIPTORS, Data, Pain};

/// Every red-flag symptom id of EVIDENCE.md section 2 (part of the CLI contract), in the order
/// the interview asks them: chest pain and collapse first (minutes matter), then the cauda
/// equina questions, then the rest, most severe level first.
pub const SYMPTOM_IDS: &[&str] = &[
    "chest-pain",
    "collapse",
    "bladder-change",
    "saddle-numbness",
    "bowel-change",
    "sexual-dysfunction",
    "both-legs",
    "leg-weakness",
    "major-trauma",
    "cancer-history",
    "fever",
    "infection-risk",
    "weight-loss",
    "night-pain",
    "cough-strain",
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

/// Whether `id` can change a triage: a red flag, or a descriptor a combination uses
/// (`radiating`).
pub fn can_raise(id: &str) -> bool {
    is_red_flag(id) || catalogue().descriptors.iter().any(|d| d.id == id)
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

    /// What to do about running at this level (EVIDENCE.md section 1, "about running").
    pub fn running(self) -> &'static str {
        &self.guide().running
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

/// The coach light a red flag holds the runner at (EVIDENCE.md sections 1 and 6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Light {
    /// An easy run no longer than the recent longest, or cross-training; no increase.
    Hold,
    /// No run.
    Rest,
}

impl Light {
    pub fn as_str(self) -> &'static str {
        match self {
            Light::Hold => "hold",
            Light::Rest => "rest",
        }
    }
}

/// The light a red flag of this level imposes until a clinician has seen it: `emergency` and
/// `urgent` → `rest`, `soon` → `hold`; `self-care` imposes nothing (the coach's other rules
/// decide).
pub fn coach_light(level: Level) -> Option<Light> {
    match level {
        Level::Emergency | Level::Urgent => Some(Light::Rest),
        Level::Soon => Some(Light::Hold),
        Level::SelfCare => None,
    }
}

/// One entry of the catalogue.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Symptom {
    pub id: String,
    /// A yes/no question in plain words: one sentence.
    pub question: String,
    /// The level this symptom raises on its own (before any age rule).
    pub level: Level,
    /// Finishes "this can come from ...": a possibility to rule out, not a diagnosis.
    pub may_point_to: String,
    /// What it can come from once an age rule has raised the level, when that differs.
    #[serde(default, skip_serializing)]
    pub raised_may_point_to: Option<String>,
    /// Said with the result when this symptom sets the level (not at an emergency, where it
    /// would soften the message).
    #[serde(default, skip_serializing)]
    pub note: Option<String>,
    pub source: String,
}

/// A plain descriptor that a combination uses, with the question the interview asks about it
/// once the other half of that combination is a yes.
#[derive(Clone, Debug, Deserialize)]
pub struct DescriptorQuestion {
    pub id: String,
    pub question: String,
}

/// A combination that raises the level above what each symptom raises alone.
#[derive(Clone, Debug, Deserialize)]
pub struct Combination {
    pub id: String,
    pub level: Level,
    /// Pair rule: one of `any_of` together with one of `with_any_of` (red-flag ids or
    /// descriptors).
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

impl Combination {
    /// Every id the combination looks at.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.any_of
            .iter()
            .chain(&self.with_any_of)
            .chain(&self.of)
            .map(String::as_str)
    }
}

#[derive(Clone, Debug, Deserialize)]
pub struct LevelGuide {
    /// The one-line action, e.g. "speak to a doctor today, within 24 hours".
    pub action: String,
    /// What to do about running, one sentence or two.
    pub running: String,
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
    pub emergency_care: String,
    pub levels: Levels,
    pub symptoms: Vec<Symptom>,
    pub descriptors: Vec<DescriptorQuestion>,
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

/// Whether asking about `s` can change the result at this age: a first back pain between 20 and
/// 50 is neither a flag nor a weak sign, so it is not asked then.
fn worth_asking(s: &Symptom, age: Option<u32>) -> bool {
    s.id != "first-episode" || first_episode_level(age).is_some() || counts_as_weak_sign(&s.id, age)
}

/// The questions in the order they are asked (the catalogue's order), leaving out those whose
/// answer cannot change the result at this age.
pub fn question_order(age: Option<u32>) -> Vec<&'static Symptom> {
    catalogue().symptoms.iter().filter(|s| worth_asking(s, age)).collect()
}

// Age thresholds of EVIDENCE.md section 2.
/// `minor-fall` is urgent from this age (fragility fracture).
pub const FALL_URGENT_FROM_AGE: u32 = 50;
/// `steroids-osteoporosis` is urgent from this age.
pub const STEROIDS_URGENT_FROM_AGE: u32 = 70;
/// `severe-pain` is urgent from this age (v2: older age is a fracture risk factor).
pub const SEVERE_PAIN_URGENT_FROM_AGE: u32 = 70;
/// `first-episode` is a flag below this age ...
pub const FIRST_EPISODE_YOUNG_BELOW: u32 = 20;
/// ... and above this one.
pub const FIRST_EPISODE_OLDER_ABOVE: u32 = 50;

/// A level that becomes `urgent` from an age on; `urgent` when the age is unknown.
fn urgent_from(age: Option<u32>, from: u32, below: Level) -> Level {
    match age {
        Some(a) if a < from => below,
        _ => Level::Urgent,
    }
}

/// `minor-fall` alone: soon, urgent at 50 or over; urgent when the age is unknown.
pub fn minor_fall_level(age: Option<u32>) -> Level {
    urgent_from(age, FALL_URGENT_FROM_AGE, Level::Soon)
}

/// `steroids-osteoporosis` alone: soon, urgent at 70 or over; urgent when the age is unknown.
pub fn steroids_level(age: Option<u32>) -> Level {
    urgent_from(age, STEROIDS_URGENT_FROM_AGE, Level::Soon)
}

/// `severe-pain` alone: soon, urgent at 70 or over; urgent when the age is unknown.
pub fn severe_pain_level(age: Option<u32>) -> Level {
    urgent_from(age, SEVERE_PAIN_URGENT_FROM_AGE, Level::Soon)
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

/// The symptoms whose answer depends on the age.
pub const AGE_DEPENDENT: &[&str] = &["minor-fall", "steroids-osteoporosis", "severe-pain", "first-episode"];

/// Ages on each side of every age threshold: if the level is the same at all of them, the age
/// cannot change it.
const AGES_TO_TRY: &[u32] = &[1, 19, 20, 49, 50, 51, 69, 70, 120];

/// Whether knowing the age could change the level these symptoms triage to.
pub fn age_would_change(symptoms: &[String]) -> bool {
    let unknown = assess(symptoms, None).level();
    AGES_TO_TRY
        .iter()
        .any(|&a| assess(symptoms, Some(a)).level() != unknown)
}

/// Why a reason fired.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Reason {
    /// The red-flag id, or the ids of a combination joined with `+`.
    pub symptom: String,
    pub level: Level,
    pub why: String,
}

impl Reason {
    /// The ids this reason is about (one, or each of a combination's).
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.symptom.split('+')
    }
}

/// The triage result (`--json`: TRIAGE of CLI.md).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Triage {
    pub level: Level,
    /// Every reason that fired, most severe first.
    pub reasons: Vec<Reason>,
    /// The action for the level.
    pub message: String,
    /// What to do about running at this level.
    pub running: String,
    pub advice: Vec<String>,
    /// How to reach emergency care, at `emergency` only (also the last advice line then).
    pub emergency_care: Option<String>,
    /// The program's one not-a-diagnosis line.
    pub not_a_diagnosis: String,
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

/// The level one symptom raises on its own, and the reason it gives. `None` when it is no flag
/// at this age (a first back pain between 20 and 50).
fn alone(s: &Symptom, age: Option<u32>) -> Option<Reason> {
    let (level, threshold) = match s.id.as_str() {
        "minor-fall" => (minor_fall_level(age), format!("{FALL_URGENT_FROM_AGE} or over")),
        "steroids-osteoporosis" => (steroids_level(age), format!("{STEROIDS_URGENT_FROM_AGE} or over")),
        "severe-pain" => (severe_pain_level(age), format!("{SEVERE_PAIN_URGENT_FROM_AGE} or over")),
        "first-episode" => (
            first_episode_level(age)?,
            format!("under {FIRST_EPISODE_YOUNG_BELOW} or over {FIRST_EPISODE_OLDER_ABOVE}"),
        ),
        _ => (s.level, String::new()),
    };
    let depends = !threshold.is_empty();
    let context = match age {
        _ if !depends => String::new(),
        None => format!("your age is not known, so lumbar takes the careful answer (as if {threshold}): "),
        Some(a) if level > s.level || s.id == "first-episode" => format!("at age {a} ({threshold}), "),
        Some(_) => String::new(),
    };
    let points_to = match &s.raised_may_point_to {
        Some(raised) if level > s.level => raised,
        _ => &s.may_point_to,
    };
    Some(Reason {
        symptom: s.id.clone(),
        level,
        why: format!("{context}{}", because(level, false, points_to)),
    })
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

/// The reasons that fire, most severe first, before any advice is chosen.
struct Assessment<'a> {
    /// The red-flag ids and descriptors given, each once, red flags in catalogue order first.
    present: Vec<&'a str>,
    reasons: Vec<Reason>,
}

impl Assessment<'_> {
    fn level(&self) -> Level {
        self.reasons.iter().map(|r| r.level).max().unwrap_or(Level::SelfCare)
    }
}

fn assess(symptoms: &[String], age: Option<u32>) -> Assessment<'static> {
    let cat = catalogue();
    let present: Vec<&'static str> = SYMPTOM_IDS
        .iter()
        .chain(DESCRIPTORS)
        .copied()
        .filter(|id| symptoms.iter().any(|s| s == id))
        .collect();
    let mut reasons: Vec<Reason> = cat
        .symptoms
        .iter()
        .filter(|s| present.contains(&s.id.as_str()))
        .filter_map(|s| alone(s, age))
        .collect();
    reasons.extend(cat.combinations.iter().filter_map(|c| combination(c, &present, age)));
    // Stable: within a level, single symptoms (catalogue order) come before combinations.
    reasons.sort_by_key(|r| std::cmp::Reverse(r.level));
    Assessment { present, reasons }
}

/// Triage: the level (the most severe reason wins), every reason that fired, the action, what to
/// do about running and the advice. Descriptors raise nothing on their own (only in a
/// combination); age alone raises nothing.
pub fn triage(symptoms: &[String], age: Option<u32>) -> Triage {
    let cat = catalogue();
    let found = assess(symptoms, age);
    let level = found.level();
    let mut notes = Vec::new();
    // Only a known age between 20 and 50 makes a first back pain no flag at all.
    if let Some(a) = age
        && found.present.contains(&"first-episode")
        && first_episode_level(age).is_none()
    {
        notes.push(format!(
            "first-episode: at age {a} a first back pain is not a warning sign on its own."
        ));
    }
    if level < Level::Emergency {
        // A note that softens (cough-strain: "most such pain is not serious") belongs only to the
        // level the symptom itself sets, never under an emergency.
        notes.extend(
            found
                .reasons
                .iter()
                .filter(|r| r.level == level && !r.symptom.contains('+'))
                .filter_map(|r| symptom(&r.symptom)?.note.as_ref())
                .cloned(),
        );
    }
    let in_a_reason = |id: &str| found.reasons.iter().any(|r| r.ids().any(|x| x == id));
    let plain: Vec<&str> = found
        .present
        .iter()
        .copied()
        .filter(|s| !is_red_flag(s) && !in_a_reason(s))
        .collect();
    if !plain.is_empty() {
        let not_signs = if plain.len() == 1 {
            "not a warning sign on its own"
        } else {
            "not warning signs on their own"
        };
        notes.push(format!("{}: common with back pain, {not_signs}.", plain.join(", ")));
    }
    if age.is_none() && level < Level::Emergency && age_would_change(symptoms) {
        notes.push(
            "Your age changes this answer: set it with `lumbar config set age N` (or give --age N to `lumbar redflags`) for a finer one."
                .to_string(),
        );
    }
    let guide = level.guide();
    let mut advice = guide.advice.clone();
    let emergency_care = (level == Level::Emergency).then(|| cat.emergency_care.clone());
    advice.extend(emergency_care.clone());
    advice.extend(notes);
    Triage {
        level,
        reasons: found.reasons,
        message: guide.action.clone(),
        running: guide.running.clone(),
        advice,
        emergency_care,
        not_a_diagnosis: crate::content::NOT_A_DIAGNOSIS.to_string(),
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
    /// The ids answered "yes", in the order asked (descriptors included).
    pub yes: Vec<String>,
    /// How many yes/no questions were answered.
    pub answered: usize,
    pub ending: Ending,
    /// The age the answers were judged at: the one given, or the one asked for.
    pub age: Option<u32>,
    /// The age was asked for during the interview (and given), so it may be worth saving.
    pub age_asked: bool,
}

/// One question of an interview, with its place in the list.
#[derive(Clone, Copy, Debug)]
pub struct Step<'a> {
    pub number: usize,
    /// The number of questions as planned now (it can change: a yes can bring a follow-up, and
    /// an age can make the first-episode question pointless).
    pub total: usize,
    /// The red-flag id or descriptor asked about.
    pub id: &'a str,
    pub question: &'a str,
}

/// Follow-up questions a yes to `id` brings: descriptors that a combination pairs with it.
fn follow_ups(id: &str) -> impl Iterator<Item = &'static DescriptorQuestion> {
    let cat = catalogue();
    cat.descriptors.iter().filter(move |d| {
        cat.combinations.iter().any(|c| {
            let pairs = |a: &[String], b: &[String]| a.iter().any(|x| x == id) && b.contains(&d.id);
            pairs(&c.any_of, &c.with_any_of) || pairs(&c.with_any_of, &c.any_of)
        })
    })
}

/// Asks the questions of [`question_order`], one at a time, through `ask` (the answer source:
/// `Ok(Some(yes))`, or `Ok(None)` when the answers have run out). A yes that brings a
/// combination with a descriptor (cancer history and pain spreading down a leg) is followed by
/// that descriptor's question. When the age is not known and a yes makes it matter, `ask_age` is
/// called once (`Ok(None)`: not given, the careful answer stands). Stops as soon as the answers
/// so far make an emergency: the remaining questions cannot lower it and every minute counts.
pub fn interview<E>(
    age: Option<u32>,
    mut ask: impl FnMut(Step<'_>) -> Result<Option<bool>, E>,
    mut ask_age: impl FnMut() -> Result<Option<u32>, E>,
) -> Result<Interview, E> {
    let mut result = Interview {
        yes: Vec::new(),
        answered: 0,
        ending: Ending::Complete,
        age,
        age_asked: false,
    };
    let mut asked: Vec<&str> = Vec::new();
    let mut pending: VecDeque<&DescriptorQuestion> = VecDeque::new();
    let mut age_tried = age.is_some();
    loop {
        let left: Vec<&Symptom> = catalogue()
            .symptoms
            .iter()
            .filter(|s| !asked.contains(&s.id.as_str()) && worth_asking(s, result.age))
            .collect();
        let (id, question) = match (pending.pop_front(), left.first()) {
            (Some(d), _) => (d.id.as_str(), d.question.as_str()),
            (None, Some(s)) => (s.id.as_str(), s.question.as_str()),
            (None, None) => break,
        };
        let step = Step {
            number: asked.len() + 1,
            // `left` still holds this question unless it is a follow-up.
            total: asked.len() + left.len() + pending.len() + usize::from(!is_red_flag(id)),
            id,
            question,
        };
        asked.push(id);
        let Some(yes) = ask(step)? else {
            result.ending = Ending::Unfinished;
            break;
        };
        result.answered += 1;
        if !yes {
            continue;
        }
        result.yes.push(id.to_string());
        if triage(&result.yes, result.age).level == Level::Emergency {
            result.ending = Ending::EmergencyStop;
            break;
        }
        pending.extend(follow_ups(id).filter(|d| !asked.contains(&d.id.as_str())));
        if !age_tried && age_would_change(&result.yes) {
            age_tried = true;
            if let Some(a) = ask_age()? {
                result.age = Some(a);
                result.age_asked = true;
                if triage(&result.yes, result.age).level == Level::Emergency {
                    result.ending = Ending::EmergencyStop;
                    break;
                }
            }
        }
    }
    Ok(result)
}

/// Days a `soon` red flag stays open when nobody has marked it seen (EVIDENCE.md section 4).
pub const SOON_OPEN_DAYS: i64 = 30;
/// Days red flags a clinician has seen stay on the coach's screen, as information only.
pub const SEEN_SHOWN_DAYS: i64 = 30;

/// The red flags a runner has logged, read together as a clinician would (for the coach's
/// `red-flag` flag and light).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Logged {
    /// The triage of everything still open, read together (a cancer history logged last month
    /// and leg numbness logged today are one emergency, not two lesser flags).
    pub triage: Triage,
    /// The ids behind the level's reasons, in catalogue order (descriptors after red flags).
    pub symptoms: Vec<String>,
    /// The pain entries that logged them, oldest first.
    pub pain_ids: Vec<u64>,
    /// When the latest of them was logged.
    pub last_at: DateTime<FixedOffset>,
    /// `Some`: a clinician has seen these (`lumbar redflags --seen` at that time); information only.
    pub seen_at: Option<DateTime<FixedOffset>>,
}

impl Logged {
    pub fn level(&self) -> Level {
        self.triage.level
    }

    pub fn is_seen(&self) -> bool {
        self.seen_at.is_some()
    }

    /// The light these red flags hold the coach at: none once seen.
    pub fn light(&self) -> Option<Light> {
        if self.is_seen() {
            None
        } else {
            coach_light(self.level())
        }
    }
}

/// Red flags that describe the person rather than an episode: they still count with new symptoms
/// after a clinician has seen them, or long after they were logged (a cancer history and new
/// leg numbness are an emergency whenever each was logged).
pub const LASTING: &[&str] = &["cancer-history", "infection-risk", "steroids-osteoporosis"];

/// The logged red flags that matter now, per EVIDENCE.md section 4's `red-flag` row:
/// - open (not yet seen: logged after the latest `redflags --seen` mark): `emergency` and
///   `urgent` entries stay open with no expiry, every other entry for [`SOON_OPEN_DAYS`]; their
///   symptoms are triaged together, and with any [`LASTING`] one logged before when that raises
///   the level above what the lasting ones give alone; `None` if that is self-care;
/// - with nothing open above self-care, the seen entries of the last [`SEEN_SHOWN_DAYS`] as
///   information (`seen_at` set), when they triage above self-care.
pub fn logged(data: &Data, age: Option<u32>, now: DateTime<FixedOffset>) -> Option<Logged> {
    logged_among(data.pain.iter(), data, age, now)
}

/// As [`logged`], as of the moment `at`: only the entries logged and the seen marks recorded at
/// or before it count (the coach's past days, and the days of a plan).
pub fn logged_as_of(data: &Data, age: Option<u32>, at: DateTime<FixedOffset>) -> Option<Logged> {
    logged_among(data.pain.iter().filter(|p| p.at <= at), data, age, at)
}

/// As [`logged`], with one more entry that is not stored yet (what `pain add` is about to log).
pub fn logged_with(data: &Data, entry: &Pain, age: Option<u32>, now: DateTime<FixedOffset>) -> Option<Logged> {
    logged_among(data.pain.iter().chain(std::iter::once(entry)), data, age, now)
}

fn logged_among<'a>(
    pain: impl Iterator<Item = &'a Pain> + Clone,
    data: &Data,
    age: Option<u32>,
    now: DateTime<FixedOffset>,
) -> Option<Logged> {
    // A mark after `now` (reading a past moment) was not there yet.
    let mark = data.red_flags_seen.iter().map(|s| s.at).filter(|m| *m <= now).max();
    let is_seen = |at: DateTime<FixedOffset>| mark.is_some_and(|m| at <= m);
    let soon_from = now - Duration::days(SOON_OPEN_DAYS);
    let mut open = Vec::new();
    let mut lasting = Vec::new();
    for p in pain.clone() {
        let entry = Entry::of(p, |_| true);
        if entry.symptoms.is_empty() {
            continue;
        }
        // Only a red flag can keep an entry open past the soon window (descriptors alone raise
        // nothing), so most old entries skip the assessment.
        let lasting_level =
            || entry.symptoms.iter().any(|s| is_red_flag(s)) && assess(&p.symptoms, age).level() >= Level::Urgent;
        let still_open = !is_seen(p.at) && (p.at >= soon_from || lasting_level());
        if still_open {
            open.push(entry);
        } else {
            let kept = Entry::of(p, |s| LASTING.contains(&s));
            if !kept.symptoms.is_empty() {
                lasting.push(kept);
            }
        }
    }
    let alone = read_together(&open, age, None);
    let with_lasting: Vec<Entry> = open.iter().chain(&lasting).cloned().collect();
    let raised = read_together(&with_lasting, age, None).filter(|all| {
        let from_lasting = read_together(&lasting, age, None).map_or(Level::SelfCare, |l| l.level());
        all.level() > from_lasting && all.level() > alone.as_ref().map_or(Level::SelfCare, Logged::level)
    });
    if let Some(found) = raised.or(alone) {
        return Some(found);
    }
    let shown_from = now - Duration::days(SEEN_SHOWN_DAYS);
    let seen: Vec<Entry> = pain
        .filter(|p| is_seen(p.at) && p.at >= shown_from)
        .map(|p| Entry::of(p, |_| true))
        .filter(|e| !e.symptoms.is_empty())
        .collect();
    read_together(&seen, age, mark)
}

/// What `pain add` shows for a new entry (`entry.id` the id it is about to get): its own
/// triage when it names a red flag; but when the entry, read together with the red flags still
/// open (see [`logged`]), makes something more severe (a fever logged on Monday and leg
/// numbness today; a cancer history and pain spreading down a leg), that triage, with a note
/// naming the earlier entries, so the entry's screen and the coach say the same. Without the
/// store (`data` is `None`: it could not be read), the entry's own triage.
pub fn for_new_entry(
    data: Option<&Data>,
    entry: &Pain,
    age: Option<u32>,
    now: DateTime<FixedOffset>,
) -> Option<Triage> {
    let own = entry
        .symptoms
        .iter()
        .any(|s| is_red_flag(s))
        .then(|| triage(&entry.symptoms, age));
    let Some(data) = data else { return own };
    let open = |l: &Logged| !l.is_seen();
    let Some(together) = logged_with(data, entry, age, now).filter(|l| open(l) && l.pain_ids.contains(&entry.id))
    else {
        return own;
    };
    let before = logged(data, age, now)
        .filter(open)
        .map_or(Level::SelfCare, |l| l.level());
    let raised = match &own {
        Some(t) => together.level() > t.level,
        None => together.level() > before,
    };
    if !raised {
        return own;
    }
    let earlier: Vec<String> = together
        .pain_ids
        .iter()
        .filter(|id| **id != entry.id)
        .filter_map(|id| data.pain_entry(*id))
        .map(|p| {
            let names: Vec<&str> = p
                .symptoms
                .iter()
                .map(String::as_str)
                .filter(|s| together.symptoms.iter().any(|x| x == s))
                .collect();
            format!("{} on {}", names.join(", "), p.at.format("%Y-%m-%d"))
        })
        .collect();
    let mut t = together.triage;
    t.advice.push(format!(
        "This reads the entry together with red flags you logged before: {}. Once a clinician has \
         seen them all, record it with `lumbar redflags --seen`.",
        earlier.join("; ")
    ));
    Some(t)
}

/// A pain entry's red flags and descriptors, as [`logged`] reads them.
#[derive(Clone, Debug)]
struct Entry<'a> {
    id: u64,
    at: DateTime<FixedOffset>,
    symptoms: Vec<&'a str>,
}

impl<'a> Entry<'a> {
    /// The entry with its known symptoms that pass `keep` (a store may hold names from older versions).
    fn of(p: &'a Pain, keep: impl Fn(&str) -> bool) -> Entry<'a> {
        let symptoms = p
            .symptoms
            .iter()
            .map(String::as_str)
            .filter(|s| (is_red_flag(s) || DESCRIPTORS.contains(s)) && keep(s))
            .collect();
        Entry {
            id: p.id,
            at: p.at,
            symptoms,
        }
    }
}

/// The triage of these entries' symptoms together, with the entries behind its reasons.
fn read_together(entries: &[Entry], age: Option<u32>, seen_at: Option<DateTime<FixedOffset>>) -> Option<Logged> {
    let mut all: Vec<String> = Vec::new();
    for s in entries.iter().flat_map(|e| &e.symptoms) {
        if !all.iter().any(|a| a == s) {
            all.push(s.to_string());
        }
    }
    let t = triage(&all, age);
    if t.level == Level::SelfCare {
        return None;
    }
    let symptoms: Vec<String> = SYMPTOM_IDS
        .iter()
        .chain(DESCRIPTORS)
        .filter(|id| t.reasons.iter().any(|r| r.ids().any(|x| x == **id)))
        .map(|id| id.to_string())
        .collect();
    let mut behind: Vec<(DateTime<FixedOffset>, u64)> = entries
        .iter()
        .filter(|e| e.symptoms.iter().any(|s| symptoms.iter().any(|x| x == s)))
        .map(|e| (e.at, e.id))
        .collect();
    behind.sort();
    behind.dedup();
    let last_at = behind.last()?.0;
    Some(Logged {
        triage: t,
        symptoms,
        pain_ids: behind.into_iter().map(|(_, id)| id).collect(),
        last_at,
        seen_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PainLevel, Seen};

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

    /// One sentence: ends with its only `?`, no `;`, and no full stop or `!` inside.
    fn one_sentence(q: &str) -> bool {
        q.ends_with('?') && q.matches('?').count() == 1 && !q.contains([';', '.', '!']) && q.len() <= 190
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
            assert!(!s.may_point_to.is_empty() && !s.source.is_empty(), "{}", s.id);
        }
        for d in &cat.descriptors {
            assert!(DESCRIPTORS.contains(&d.id.as_str()), "{} is not a descriptor", d.id);
            assert!(
                cat.combinations.iter().any(|c| c.ids().any(|id| id == d.id)),
                "descriptor question {} is asked for no combination",
                d.id
            );
        }
        for c in &cat.combinations {
            let pair = !c.any_of.is_empty() && !c.with_any_of.is_empty();
            let count = c.at_least.is_some_and(|n| n >= 2 && n <= c.of.len());
            assert!(pair != count, "{}: exactly one kind of rule", c.id);
            for id in c.ids() {
                assert!(
                    is_red_flag(id) || cat.descriptors.iter().any(|d| d.id == id),
                    "{}: {id} is neither a red flag nor a descriptor with a question",
                    c.id
                );
            }
        }
        for id in AGE_DEPENDENT {
            assert!(is_red_flag(id), "{id}");
        }
    }

    /// Must show (issue 13): every id has a question a lay runner answers with one yes or no,
    /// in one sentence.
    #[test]
    fn every_question_is_one_sentence() {
        let cat = catalogue();
        for s in &cat.symptoms {
            assert!(one_sentence(&s.question), "{}: {:?}", s.id, s.question);
        }
        for d in &cat.descriptors {
            assert!(one_sentence(&d.question), "{}: {:?}", d.id, d.question);
        }
        // The checker itself.
        assert!(!one_sentence("Is it sore? Is it bad?"));
        assert!(!one_sentence("Is it sore; or bad?"));
        assert!(!one_sentence("It hurts. Is it bad?"));
        assert!(!one_sentence("It hurts"));
        assert!(one_sentence("Is it sore, or is it bad (not just stiff)?"));
    }

    #[test]
    fn chest_pain_and_collapse_are_asked_first_then_cauda_equina() {
        let order: Vec<&str> = question_order(None).iter().map(|s| s.id.as_str()).collect();
        assert_eq!(order[..2], ["chest-pain", "collapse"]);
        let mut cauda: Vec<&str> = order[2..7].to_vec();
        cauda.sort();
        assert_eq!(
            cauda,
            [
                "bladder-change",
                "both-legs",
                "bowel-change",
                "saddle-numbness",
                "sexual-dysfunction"
            ]
        );
        let levels: Vec<Level> = question_order(None).iter().map(|s| s.level).collect();
        assert!(levels.windows(2).all(|w| w[0] >= w[1]), "most severe first: {levels:?}");
        assert_eq!(order.len(), SYMPTOM_IDS.len());
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
            ("cough-strain", Level::Urgent),
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
                "minor-fall" | "steroids-osteoporosis" | "severe-pain" => Level::Urgent,
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
            assert_eq!(t.running, t.level.running());
        }
    }

    #[test]
    fn nothing_or_descriptors_only_is_self_care() {
        for list in [
            &[][..],
            &["ache"],
            &["radiating"],
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

    const NERVE_SIGNS: [&str; 7] = [
        "leg-numbness",
        "leg-weakness",
        "both-legs",
        "saddle-numbness",
        "bladder-change",
        "bowel-change",
        "radiating",
    ];

    #[test]
    fn cancer_with_any_nerve_sign_is_an_emergency() {
        for nerve in NERVE_SIGNS {
            for age in [None, Some(40), Some(62)] {
                let t = triage(&ids(&["cancer-history", nerve]), age);
                assert_eq!(t.level, Level::Emergency, "cancer-history + {nerve} at {age:?}");
                let r = reason(&t, &format!("cancer-history+{nerve}")).expect("the combination is a reason");
                assert_eq!(r.level, Level::Emergency);
                assert!(r.why.contains("spinal cord"), "{}", r.why);
            }
        }
        // Issue 13: radiating with a cancer history is never called "not a warning sign".
        let t = triage(&ids(&["cancer-history", "radiating"]), Some(62));
        assert!(
            t.advice.iter().all(|a| !a.contains("not a warning sign")),
            "{:?}",
            t.advice
        );
        // Each is less alone: leg-numbness soon, cancer-history urgent, radiating nothing.
        assert_eq!(level(&["leg-numbness"], Some(40)), Level::Soon);
        assert_eq!(level(&["radiating"], Some(62)), Level::SelfCare);
        assert_eq!(level(&["cancer-history", "severe-pain"], Some(40)), Level::Urgent);
        assert_eq!(level(&["cancer-history", "ache", "stiffness"], Some(40)), Level::Urgent);
    }

    #[test]
    fn infection_with_any_nerve_sign_is_an_emergency() {
        for infection in ["fever", "infection-risk"] {
            for nerve in NERVE_SIGNS {
                let t = triage(&ids(&[infection, nerve]), Some(30));
                let r = reason(&t, &format!("{infection}+{nerve}")).expect("the combination is a reason");
                assert_eq!(r.level, Level::Emergency, "{infection} + {nerve}");
                assert_eq!(t.level, Level::Emergency);
            }
            // Without a nerve sign, urgent.
            assert_eq!(level(&[infection, "severe-pain", "ache"], Some(30)), Level::Urgent);
        }
        let t = triage(&ids(&["fever", "infection-risk", "leg-numbness"]), Some(30));
        assert!(
            reason(&t, "fever+infection-risk+leg-numbness").is_some(),
            "{:?}",
            t.reasons
        );
    }

    #[test]
    fn thin_bones_with_severe_pain_is_urgent_at_any_age() {
        for age in [Some(25), Some(64), Some(69), None] {
            let t = triage(&ids(&["steroids-osteoporosis", "severe-pain"]), age);
            assert_eq!(t.level, Level::Urgent, "{age:?}");
            let r = reason(&t, "steroids-osteoporosis+severe-pain").expect("combination fired");
            assert!(
                r.why.contains("without a fall") || r.why.contains("no fall"),
                "{}",
                r.why
            );
        }
        // Each alone at 64: soon (issue 13's case was the pair at 64).
        assert_eq!(level(&["steroids-osteoporosis"], Some(64)), Level::Soon);
        assert_eq!(level(&["severe-pain"], Some(64)), Level::Soon);
    }

    #[test]
    fn fall_with_thin_bones_is_urgent_at_any_age() {
        for age in [Some(25), Some(49), None] {
            let t = triage(&ids(&["minor-fall", "steroids-osteoporosis"]), age);
            assert_eq!(t.level, Level::Urgent, "{age:?}");
            assert!(reason(&t, "minor-fall+steroids-osteoporosis").is_some());
        }
    }

    #[test]
    fn weak_signs_count_only_together() {
        assert_eq!(level(&["not-improving"], Some(55)), Level::Soon);
        assert_eq!(level(&["first-episode"], Some(55)), Level::Soon);
        let t = triage(&ids(&["first-episode", "not-improving"]), Some(55));
        assert_eq!(t.level, Level::Urgent);
        assert!(reason(&t, "first-episode+not-improving").is_some());
        // At 19 first-episode is a flag alone but does not count as a weak sign.
        let t = triage(&ids(&["first-episode", "not-improving"]), Some(19));
        assert_eq!(t.level, Level::Soon);
        assert!(t.reasons.iter().all(|r| !r.symptom.contains('+')));
        assert_eq!(level(&["first-episode", "not-improving"], Some(50)), Level::Soon);
        assert_eq!(level(&["first-episode", "not-improving"], Some(51)), Level::Urgent);
        let t = triage(&ids(&["weight-loss", "night-pain"]), Some(30));
        assert_eq!(t.level, Level::Urgent);
        assert!(reason(&t, "weight-loss+night-pain").is_some());
        let t = triage(
            &ids(&["night-pain", "first-episode", "weight-loss", "not-improving"]),
            Some(60),
        );
        assert!(reason(&t, "first-episode+not-improving+weight-loss+night-pain").is_some());
        let t = triage(&ids(&["first-episode", "not-improving"]), None);
        assert_eq!(t.level, Level::Urgent);
        let r = reason(&t, "first-episode+not-improving").expect("combination fired");
        assert!(r.why.contains("age is not known"), "{}", r.why);
    }

    /// Must show: every age boundary (19/20, 49/50/51, 69/70, unknown) of every age rule.
    #[test]
    fn age_boundaries() {
        use Level::{SelfCare, Soon, Urgent};
        type Rows = &'static [(Option<u32>, Level)];
        let table: &[(&str, Rows)] = &[
            (
                "first-episode",
                &[
                    (Some(19), Soon),
                    (Some(20), SelfCare),
                    (Some(49), SelfCare),
                    (Some(50), SelfCare),
                    (Some(51), Soon),
                    (Some(69), Soon),
                    (Some(70), Soon),
                    (None, Soon),
                ],
            ),
            (
                "minor-fall",
                &[
                    (Some(19), Soon),
                    (Some(20), Soon),
                    (Some(49), Soon),
                    (Some(50), Urgent),
                    (Some(51), Urgent),
                    (Some(70), Urgent),
                    (None, Urgent),
                ],
            ),
            (
                "steroids-osteoporosis",
                &[
                    (Some(19), Soon),
                    (Some(50), Soon),
                    (Some(51), Soon),
                    (Some(69), Soon),
                    (Some(70), Urgent),
                    (None, Urgent),
                ],
            ),
            (
                "severe-pain",
                &[
                    (Some(19), Soon),
                    (Some(50), Soon),
                    (Some(51), Soon),
                    (Some(69), Soon),
                    (Some(70), Urgent),
                    (Some(71), Urgent),
                    (None, Urgent),
                ],
            ),
        ];
        for (id, rows) in table {
            for (age, want) in *rows {
                assert_eq!(level(&[id], *age), *want, "{id} at {age:?}");
            }
        }
        assert_eq!(first_episode_level(Some(20)), None);
        assert_eq!(first_episode_level(Some(50)), None);
        assert!(!counts_as_weak_sign("first-episode", Some(19)));
        assert!(!counts_as_weak_sign("first-episode", Some(50)));
        assert!(counts_as_weak_sign("first-episode", Some(51)));
        assert!(counts_as_weak_sign("first-episode", None));
        let t = triage(&ids(&["first-episode"]), Some(20));
        assert!(
            t.advice.iter().any(|a| a.starts_with("first-episode: at age 20")),
            "{:?}",
            t.advice
        );
        let t = triage(&ids(&["severe-pain"]), Some(70));
        assert!(
            t.reasons[0].why.starts_with("at age 70 (70 or over)"),
            "{}",
            t.reasons[0].why
        );
        assert!(t.reasons[0].why.contains("broken bone"), "{}", t.reasons[0].why);
        let t = triage(&ids(&["severe-pain"]), Some(69));
        assert!(!t.reasons[0].why.contains("broken bone"), "{}", t.reasons[0].why);
    }

    #[test]
    fn unknown_age_takes_the_more_urgent_answer_and_says_so() {
        for (id, want) in [
            ("minor-fall", Level::Urgent),
            ("steroids-osteoporosis", Level::Urgent),
            ("severe-pain", Level::Urgent),
            ("first-episode", Level::Soon),
        ] {
            let t = triage(&ids(&[id]), None);
            assert_eq!(t.level, want, "{id} with unknown age");
            assert!(t.reasons[0].why.contains("age is not known"), "{}", t.reasons[0].why);
            assert!(t.advice.iter().any(|a| a.contains("--age")), "{:?}", t.advice);
            // Never less urgent than at any known age.
            for a in AGES_TO_TRY {
                assert!(level(&[id], Some(*a)) <= want, "{id}: {a} beats unknown");
            }
        }
        // Rules that do not depend on age do not mention it.
        let t = triage(&ids(&["fever"]), None);
        assert!(!t.advice.iter().any(|a| a.contains("--age")));
        // Nor does an answer the age cannot change (urgent already).
        let t = triage(&ids(&["minor-fall", "fever"]), None);
        assert!(!t.advice.iter().any(|a| a.contains("--age")), "{:?}", t.advice);
    }

    #[test]
    fn age_would_change_only_when_it_can() {
        assert!(age_would_change(&ids(&["minor-fall"])));
        assert!(age_would_change(&ids(&["severe-pain"])));
        assert!(age_would_change(&ids(&["first-episode"])));
        assert!(age_would_change(&ids(&["first-episode", "not-improving"])));
        assert!(!age_would_change(&ids(&["fever"])));
        assert!(!age_would_change(&ids(&["severe-pain", "cough-strain"])));
        assert!(!age_would_change(&ids(&["steroids-osteoporosis", "severe-pain"])));
        assert!(!age_would_change(&ids(&["saddle-numbness", "minor-fall"])));
        assert!(!age_would_change(&[]));
    }

    #[test]
    fn cough_strain_is_urgent_and_says_most_such_pain_is_not_serious() {
        let t = triage(&ids(&["cough-strain"]), Some(38));
        assert_eq!(t.level, Level::Urgent);
        assert!(
            t.advice
                .iter()
                .any(|a| a.contains("not serious") && a.contains("not a trip")),
            "{:?}",
            t.advice
        );
        // Under an emergency the softer note is not said.
        let t = triage(&ids(&["cough-strain", "saddle-numbness"]), Some(38));
        assert_eq!(t.level, Level::Emergency);
        assert!(t.advice.iter().all(|a| !a.contains("not serious")), "{:?}", t.advice);
    }

    #[test]
    fn age_alone_is_not_a_flag() {
        for age in [None, Some(1), Some(15), Some(19), Some(50), Some(70), Some(99)] {
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
                ("fever+saddle-numbness", Level::Emergency),
                ("fever", Level::Urgent),
                ("not-improving", Level::Soon)
            ]
        );
        assert_eq!(t.message, Level::Emergency.guide().action);
        assert_eq!(level(&["severe-pain", "back-lump"], Some(40)), Level::Urgent);
        assert_eq!(level(&["severe-pain", "leg-numbness"], Some(40)), Level::Soon);
        assert_eq!(
            triage(&ids(&["fever", "leg-weakness"]), Some(40)),
            triage(&ids(&["leg-weakness", "fever"]), Some(40))
        );
    }

    #[test]
    fn every_triage_says_not_a_diagnosis_and_emergency_says_how_to_get_help() {
        for list in [&[][..], &["fever"], &["leg-numbness"], &["bowel-change"]] {
            let t = triage(&ids(list), Some(40));
            assert_eq!(t.not_a_diagnosis, crate::content::NOT_A_DIAGNOSIS);
            let emergency = t.level == Level::Emergency;
            assert_eq!(t.emergency_care.is_some(), emergency, "{list:?}");
            assert_eq!(t.advice.contains(&catalogue().emergency_care), emergency, "{list:?}");
        }
    }

    #[test]
    fn running_advice_follows_the_level() {
        assert!(Level::Emergency.running().starts_with("No running"));
        assert!(Level::Urgent.running().contains("until a clinician has seen you"));
        assert!(Level::Soon.running().contains("Easy runs only") && Level::Soon.running().contains("no longer"));
        assert!(Level::SelfCare.running().contains("lumbar coach"));
        let t = triage(&ids(&["weight-loss"]), Some(40));
        assert_eq!(t.running, Level::Urgent.running());
    }

    #[test]
    fn the_coach_light_of_each_level() {
        assert_eq!(coach_light(Level::Emergency), Some(Light::Rest));
        assert_eq!(coach_light(Level::Urgent), Some(Light::Rest));
        assert_eq!(coach_light(Level::Soon), Some(Light::Hold));
        assert_eq!(coach_light(Level::SelfCare), None);
        assert!(Light::Rest > Light::Hold, "rest is the more severe");
        assert_eq!(Light::Rest.as_str(), "rest");
    }

    #[test]
    fn no_reason_names_a_diagnosis_as_a_fact() {
        let mut all: Vec<&str> = SYMPTOM_IDS.to_vec();
        all.extend(DESCRIPTORS);
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

    /// Answers from a script, as a person at the terminal would give them; records what was asked.
    struct Script {
        yes: Vec<&'static str>,
        asked: Vec<String>,
        totals: Vec<usize>,
    }

    impl Script {
        fn new(yes: &[&'static str]) -> Script {
            Script {
                yes: yes.to_vec(),
                asked: Vec::new(),
                totals: Vec::new(),
            }
        }

        /// Runs the interview; `age_answer` is what the person says when asked for the age.
        fn run(&mut self, age: Option<u32>, age_answer: Option<u32>) -> (Interview, usize) {
            let mut age_questions = 0;
            let done = interview(
                age,
                |step| {
                    assert_eq!(step.number, self.asked.len() + 1);
                    self.asked.push(step.id.to_string());
                    self.totals.push(step.total);
                    Ok::<_, ()>(Some(self.yes.contains(&step.id)))
                },
                || {
                    age_questions += 1;
                    Ok(age_answer)
                },
            )
            .expect("no errors from a script");
            (done, age_questions)
        }
    }

    #[test]
    fn interview_with_no_yes_asks_everything_in_order() {
        let mut s = Script::new(&[]);
        let (done, age_questions) = s.run(Some(60), None);
        assert_eq!(done.ending, Ending::Complete);
        assert_eq!(done.answered, SYMPTOM_IDS.len());
        assert!(done.yes.is_empty());
        assert_eq!(s.asked, SYMPTOM_IDS, "every question once, in catalogue order");
        assert!(s.totals.iter().all(|t| *t == SYMPTOM_IDS.len()));
        assert_eq!(age_questions, 0);
        assert_eq!(triage(&done.yes, Some(60)).level, Level::SelfCare);
    }

    #[test]
    fn interview_stops_at_the_first_emergency_answer() {
        let mut s = Script::new(&["saddle-numbness", "fever"]);
        let (done, _) = s.run(Some(40), None);
        assert_eq!(done.ending, Ending::EmergencyStop);
        assert_eq!(
            s.asked,
            ["chest-pain", "collapse", "bladder-change", "saddle-numbness"],
            "nothing asked after the emergency answer"
        );
        assert_eq!(done.yes, ["saddle-numbness"]);
    }

    #[test]
    fn a_cancer_history_brings_the_spreading_pain_question() {
        let mut s = Script::new(&["cancer-history", "radiating"]);
        let (done, _) = s.run(Some(62), None);
        assert_eq!(done.ending, Ending::EmergencyStop);
        assert_eq!(s.asked.last().map(String::as_str), Some("radiating"));
        let at = s.asked.iter().position(|id| id == "cancer-history").expect("asked");
        assert_eq!(s.asked[at + 1], "radiating", "asked straight after the yes");
        assert_eq!(
            s.totals[at + 1],
            SYMPTOM_IDS.len() + 1,
            "the follow-up counts in the total"
        );
        assert_eq!(triage(&done.yes, Some(62)).level, Level::Emergency);
        // A no to it: the interview goes on, and it is not asked again after a fever.
        let mut s = Script::new(&["cancer-history", "fever"]);
        let (done, _) = s.run(Some(62), None);
        assert_eq!(done.ending, Ending::Complete);
        assert_eq!(s.asked.iter().filter(|id| *id == "radiating").count(), 1);
        assert_eq!(s.asked.len(), SYMPTOM_IDS.len() + 1);
        // Without a yes that needs it, never asked.
        let mut s = Script::new(&["leg-numbness"]);
        s.run(Some(40), None);
        assert!(!s.asked.iter().any(|id| id == "radiating"));
    }

    #[test]
    fn interview_stops_when_a_combination_makes_an_emergency() {
        let mut s = Script::new(&["cancer-history", "leg-numbness", "severe-pain"]);
        let (done, _) = s.run(Some(60), None);
        assert_eq!(done.ending, Ending::EmergencyStop);
        assert_eq!(s.asked.last().map(String::as_str), Some("leg-numbness"));
        assert_eq!(done.yes, ["cancer-history", "leg-numbness"]);
    }

    #[test]
    fn the_age_is_asked_once_when_an_answer_needs_it() {
        // Unknown age, yes to a minor fall: asked, and the answer is used.
        let mut s = Script::new(&["minor-fall", "severe-pain"]);
        let (done, age_questions) = s.run(None, Some(35));
        assert_eq!(age_questions, 1, "asked once, even with a second age-dependent yes");
        assert_eq!((done.age, done.age_asked), (Some(35), true));
        assert_eq!(triage(&done.yes, done.age).level, Level::Soon);
        // At 35 the first-episode question cannot matter, so it is dropped and the total shrinks.
        assert!(!s.asked.iter().any(|id| id == "first-episode"), "{:?}", s.asked);
        assert_eq!(s.totals.first(), Some(&SYMPTOM_IDS.len()));
        assert_eq!(s.totals.last(), Some(&(SYMPTOM_IDS.len() - 1)));
        assert_eq!(s.asked.len(), SYMPTOM_IDS.len() - 1);
        // Not given: the careful answer stands.
        let mut s = Script::new(&["minor-fall"]);
        let (done, age_questions) = s.run(None, None);
        assert_eq!((age_questions, done.age, done.age_asked), (1, None, false));
        assert_eq!(triage(&done.yes, done.age).level, Level::Urgent);
        // A known age is never asked for.
        let mut s = Script::new(&["minor-fall"]);
        assert_eq!(s.run(Some(52), None).1, 0);
        // Nor when the answers do not depend on it.
        let mut s = Script::new(&["fever", "night-pain"]);
        assert_eq!(s.run(None, Some(40)).1, 0);
        let mut s = Script::new(&["cough-strain", "minor-fall"]);
        assert_eq!(s.run(None, Some(40)).1, 0, "urgent already: the age cannot change it");
    }

    #[test]
    fn interview_that_runs_out_of_answers_is_unfinished() {
        let mut left = 3;
        let i = interview(
            None,
            |_| {
                left -= 1;
                Ok::<_, ()>((left >= 0).then_some(false))
            },
            || Ok(None),
        )
        .expect("no errors");
        assert_eq!(i.ending, Ending::Unfinished);
        assert_eq!(i.answered, 3);
    }

    #[test]
    fn interview_passes_errors_through() {
        let r = interview(None, |_| Err::<Option<bool>, &str>("stdin closed"), || Ok(None));
        assert_eq!(r, Err("stdin closed"));
        let r = interview(None, |s| Ok(Some(s.id == "minor-fall")), || Err("stdin closed"));
        assert_eq!(r, Err("stdin closed"));
    }

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).expect("test time")
    }

    const NOW: &str = "2026-12-01T12:00:00+00:00";

    /// A store with pain entries (time, symptoms) and `redflags --seen` marks.
    fn store(entries: &[(DateTime<FixedOffset>, &[&str])], seen: &[DateTime<FixedOffset>]) -> Data {
        let mut d = Data::default();
        for (when, symptoms) in entries {
            let mut p = Pain::new(*when, PainLevel(5));
            p.symptoms = ids(symptoms);
            d.add_pain(p);
        }
        d.red_flags_seen = seen.iter().map(|t| Seen { at: *t }).collect();
        d
    }

    fn days_ago(days: i64) -> DateTime<FixedOffset> {
        at(NOW) - Duration::days(days)
    }

    #[test]
    fn logged_soon_stays_open_for_30_days() {
        let now = at(NOW);
        let edge = days_ago(SOON_OPEN_DAYS);
        let l = logged(&store(&[(edge, &["leg-numbness"])], &[]), Some(40), now).expect("30 days: open");
        assert_eq!(l.level(), Level::Soon);
        assert_eq!(
            (l.symptoms.clone(), l.pain_ids.clone(), l.last_at),
            (ids(&["leg-numbness"]), vec![1], edge)
        );
        assert_eq!(l.light(), Some(Light::Hold));
        assert!(!l.is_seen());
        let past = edge - Duration::seconds(1);
        assert_eq!(logged(&store(&[(past, &["leg-numbness"])], &[]), Some(40), now), None);
    }

    #[test]
    fn logged_emergency_and_urgent_stay_open_until_seen() {
        let now = at(NOW);
        for (symptom, want) in [("saddle-numbness", Level::Emergency), ("fever", Level::Urgent)] {
            let old = days_ago(400);
            let l = logged(&store(&[(old, &[symptom])], &[]), Some(40), now).expect("no expiry");
            assert_eq!(l.level(), want);
            assert_eq!(l.light(), Some(Light::Rest));
            // Marked seen at the very time it was logged: information only, and after 30 days gone.
            let seen = store(&[(old, &[symptom])], &[old]);
            assert_eq!(logged(&seen, Some(40), now), None, "seen long ago");
            let recent = days_ago(3);
            let seen = store(&[(recent, &[symptom])], &[recent]);
            let l = logged(&seen, Some(40), now).expect("seen, still shown");
            assert_eq!((l.seen_at, l.light(), l.level()), (Some(recent), None, want));
            // A mark one second before the entry does not cover it.
            let before = store(&[(recent, &[symptom])], &[recent - Duration::seconds(1)]);
            assert!(!logged(&before, Some(40), now).expect("open").is_seen());
        }
    }

    #[test]
    fn logged_reads_open_entries_together() {
        let now = at(NOW);
        // A cancer history logged 20 days ago and pain spreading down a leg today.
        let d = store(
            &[
                (days_ago(20), &["cancer-history"]),
                (days_ago(0), &["radiating", "ache"]),
                (days_ago(5), &["stiffness"]),
            ],
            &[],
        );
        let l = logged(&d, Some(62), now).expect("open");
        assert_eq!(l.level(), Level::Emergency);
        assert_eq!(l.symptoms, ids(&["cancer-history", "radiating"]));
        assert_eq!(l.pain_ids, [1, 2], "only the entries behind the reasons");
        assert_eq!(l.last_at, days_ago(0));
        // An entry after the mark reopens. A seen episode is not read with it ...
        let d = store(
            &[(days_ago(20), &["fever"]), (days_ago(1), &["leg-numbness"])],
            &[days_ago(10)],
        );
        let l = logged(&d, Some(62), now).expect("open");
        assert_eq!(
            (l.level(), l.is_seen(), l.pain_ids.clone()),
            (Level::Soon, false, vec![2])
        );
        // ... but a lasting fact is, seen or not, however old, when it raises the level.
        for cancer_at in [days_ago(20), days_ago(900)] {
            let d = store(
                &[(cancer_at, &["cancer-history"]), (days_ago(1), &["leg-numbness"])],
                &[days_ago(10)],
            );
            let l = logged(&d, Some(62), now).expect("open");
            assert_eq!((l.level(), l.is_seen()), (Level::Emergency, false));
            assert_eq!(l.symptoms, ids(&["cancer-history", "leg-numbness"]));
            assert_eq!(l.last_at, days_ago(1));
        }
        let d = store(
            &[
                (days_ago(400), &["steroids-osteoporosis"]),
                (days_ago(1), &["severe-pain"]),
            ],
            &[days_ago(300)],
        );
        assert_eq!(logged(&d, Some(64), now).map(|l| l.level()), Some(Level::Urgent));
        // A lasting fact alone does not reopen once seen: an ache after a seen cancer history is
        // information only (the seen entry is recent), and nothing once that is old.
        let d = store(
            &[(days_ago(20), &["cancer-history"]), (days_ago(1), &["ache"])],
            &[days_ago(10)],
        );
        let l = logged(&d, Some(62), now).expect("seen, shown");
        assert_eq!((l.level(), l.seen_at), (Level::Urgent, Some(days_ago(10))));
        let d = store(
            &[(days_ago(90), &["cancer-history"]), (days_ago(1), &["ache"])],
            &[days_ago(80)],
        );
        assert_eq!(logged(&d, Some(62), now), None);
        // A first back pain at 35 triages to self-care: nothing, open or seen.
        let d = store(&[(days_ago(1), &["first-episode"])], &[]);
        assert_eq!(logged(&d, Some(35), now), None);
        let d = store(&[(days_ago(1), &["first-episode"])], &[days_ago(0)]);
        assert_eq!(logged(&d, Some(35), now), None);
        // Descriptors alone: nothing.
        assert_eq!(
            logged(&store(&[(days_ago(1), &["radiating"])], &[]), Some(62), now),
            None
        );
        // The latest mark counts, whatever the order of the list.
        let d = store(&[(days_ago(2), &["fever"])], &[days_ago(1), days_ago(9)]);
        assert!(logged(&d, Some(40), now).expect("seen").is_seen());
        // Unknown age: the careful answer, as in the triage.
        let d = store(&[(days_ago(2), &["minor-fall"])], &[]);
        assert_eq!(logged(&d, None, now).map(|l| l.level()), Some(Level::Urgent));
        assert_eq!(logged(&d, Some(30), now).map(|l| l.level()), Some(Level::Soon));
    }

    /// The entry `pain add` is about to log, with the id it will get.
    fn new_entry(d: &Data, symptoms: &[&str]) -> Pain {
        let mut p = Pain::new(days_ago(0), PainLevel(5));
        p.symptoms = ids(symptoms);
        p.id = d.next_id.pain;
        p
    }

    #[test]
    fn a_new_entry_is_read_with_what_is_still_open() {
        let now = at(NOW);
        // Nothing before: the entry's own triage, or none without a red flag.
        let d = store(&[], &[]);
        let own = for_new_entry(Some(&d), &new_entry(&d, &["leg-numbness"]), Some(40), now).expect("a red flag");
        assert_eq!(own, triage(&ids(&["leg-numbness"]), Some(40)));
        assert_eq!(
            for_new_entry(Some(&d), &new_entry(&d, &["radiating"]), Some(40), now),
            None
        );
        // A fever three days ago and leg numbness now: an emergency, and the note says why.
        let d = store(&[(days_ago(3), &["fever"])], &[]);
        let t = for_new_entry(Some(&d), &new_entry(&d, &["leg-numbness"]), Some(40), now).expect("shown");
        assert_eq!(t.level, Level::Emergency);
        assert!(reason(&t, "fever+leg-numbness").is_some(), "{:?}", t.reasons);
        assert!(
            t.advice.iter().any(|a| a.contains("fever on 2026-11-28")),
            "{:?}",
            t.advice
        );
        // Without the store, only what this entry says.
        let t = for_new_entry(None, &new_entry(&d, &["leg-numbness"]), Some(40), now).expect("own");
        assert_eq!(t.level, Level::Soon);
        // A cancer history, seen by a clinician long ago, and pain down a leg now (no red flag
        // in the entry itself).
        let d = store(&[(days_ago(200), &["cancer-history"])], &[days_ago(150)]);
        let t = for_new_entry(Some(&d), &new_entry(&d, &["radiating", "ache"]), Some(62), now).expect("shown");
        assert_eq!(t.level, Level::Emergency);
        assert!(
            t.advice.iter().any(|a| a.contains("cancer-history on")),
            "{:?}",
            t.advice
        );
        // Nothing more severe than the entry's own: its own triage, no note.
        let t = for_new_entry(Some(&d), &new_entry(&d, &["fever"]), Some(62), now).expect("own");
        assert_eq!(t, triage(&ids(&["fever"]), Some(62)));
        // An ache while an emergency is already open: nothing new to say here (the coach says it).
        let d = store(&[(days_ago(2), &["saddle-numbness"])], &[]);
        assert_eq!(for_new_entry(Some(&d), &new_entry(&d, &["ache"]), Some(40), now), None);
        // A seen episode does not come back with a new entry.
        let d = store(&[(days_ago(3), &["fever"])], &[days_ago(1)]);
        let t = for_new_entry(Some(&d), &new_entry(&d, &["leg-numbness"]), Some(40), now).expect("own");
        assert_eq!(t.level, Level::Soon);
    }
}
