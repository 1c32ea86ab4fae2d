//! Case histories for the red-flag triage, written from the guidance EVIDENCE.md section 2 rests
//! on: NICE NG234 (spinal metastases and cord compression), NICE NG59 (low back pain and
//! sciatica), NICE NG65 (spondyloarthritis), NICE NG156 (aortic aneurysm), NICE CKS (red flags
//! in back pain), the NHS back pain and sciatica pages, BASS/SBNS 2018 (cauda equina) and the
//! IFOMPT framework (Finucane 2020).
//!
//! Each case says who the runner is, what they report, the level the guideline asks for, and
//! the level lumbar gives. lumbar must never be below the guideline (no under-triage); where it
//! is above, that is one of its stated careful choices (EVIDENCE.md), and there may be at most
//! three such cases, as for the held-out battery. Cases with an unknown age are not guideline
//! cases (a clinician would ask); they are checked separately against the rule that an unknown
//! age is never less careful than any known one.

use lumbar::model::DESCRIPTORS;
use lumbar::redflags::{Level, SYMPTOM_IDS, triage};

use Level::{Emergency, SelfCare, Soon, Urgent};

struct Case {
    story: &'static str,
    age: u32,
    symptoms: &'static [&'static str],
    /// What the guideline asks for.
    guideline: Level,
    /// What lumbar gives (EVIDENCE.md section 2, v2).
    lumbar: Level,
    source: &'static str,
}

const fn case(
    story: &'static str,
    age: u32,
    symptoms: &'static [&'static str],
    guideline: Level,
    lumbar: Level,
    source: &'static str,
) -> Case {
    Case {
        story,
        age,
        symptoms,
        guideline,
        lumbar,
        source,
    }
}

const NHS_999: &str = "NHS back pain: call 999 or go to A&E";
const NHS_URGENT: &str = "NHS back pain: urgent GP appointment or NHS 111";
const NHS_GP: &str = "NHS back pain: see a GP";
const BASS: &str = "BASS/SBNS 2018: any one cauda equina feature needs an emergency scan";
const NG234_NOW: &str = "NICE NG234: cancer with neurological symptoms, contact immediately";
const NG234_24H: &str = "NICE NG234: cancer with spinal pain, contact within 24 hours";
const CKS_FRACTURE: &str =
    "NICE CKS: suspected vertebral fracture (minor trauma with osteoporosis or steroids; older age)";
const CKS_INFECTION: &str = "NICE CKS: suspected spinal infection (fever, immunosuppression, drug injection)";
const IFOMPT_HIGH: &str = "IFOMPT 2020: high concern, emergency referral";
const CKS_CANCER: &str = "NICE CKS: possible cancer (new pain under 20 or over 50, not improving, history of cancer)";
const NG59: &str = "NICE NG59: non-specific low back pain or sciatica, self-management and staying active";

const CASES: &[Case] = &[
    // Emergency.
    case(
        "36-year-old, numb around the back passage after a long run",
        36,
        &["saddle-numbness"],
        Emergency,
        Emergency,
        BASS,
    ),
    case(
        "44-year-old who suddenly finds it hard to start peeing",
        44,
        &["bladder-change"],
        Emergency,
        Emergency,
        NHS_999,
    ),
    case(
        "51-year-old who has lost control of the bowels",
        51,
        &["bowel-change", "ache"],
        Emergency,
        Emergency,
        NHS_999,
    ),
    case(
        "29-year-old with new trouble keeping an erection since the back pain began",
        29,
        &["sexual-dysfunction"],
        Emergency,
        Emergency,
        BASS,
    ),
    case(
        "25-year-old with tingling in both legs since the pain began",
        25,
        &["both-legs", "ache"],
        Emergency,
        Emergency,
        NHS_999,
    ),
    case(
        "47-year-old whose foot has started to slap and catch, with shooting leg pain",
        47,
        &["leg-weakness", "radiating"],
        Emergency,
        Emergency,
        "NICE CKS: severe or progressive neurological deficit; NHS sciatica: 999",
    ),
    case(
        "22-year-old thrown off a bike by a car",
        22,
        &["major-trauma", "sharp"],
        Emergency,
        Emergency,
        NHS_999,
    ),
    case(
        "57-year-old with chest pain and back pain on a run",
        57,
        &["chest-pain", "not-improving"],
        Emergency,
        Emergency,
        NHS_999,
    ),
    case(
        "68-year-old with sudden severe back and belly pain who nearly fainted",
        68,
        &["collapse"],
        Emergency,
        Emergency,
        "NICE NG156: suspected ruptured abdominal aortic aneurysm",
    ),
    case(
        "62-year-old treated for prostate cancer, now with pain shooting down a leg",
        62,
        &["cancer-history", "radiating"],
        Emergency,
        Emergency,
        NG234_NOW,
    ),
    case(
        "58-year-old with breast cancer years ago and a numb leg",
        58,
        &["cancer-history", "leg-numbness"],
        Emergency,
        Emergency,
        NG234_NOW,
    ),
    case(
        "70-year-old with a cancer history whose legs feel like they could give way",
        70,
        &["cancer-history", "leg-weakness"],
        Emergency,
        Emergency,
        NG234_NOW,
    ),
    case(
        "45-year-old with a past melanoma and new trouble peeing",
        45,
        &["cancer-history", "bladder-change"],
        Emergency,
        Emergency,
        NG234_NOW,
    ),
    case(
        "39-year-old who injects drugs, now with a weakening leg",
        39,
        &["infection-risk", "leg-weakness"],
        Emergency,
        Emergency,
        IFOMPT_HIGH,
    ),
    case(
        "33-year-old with a fever and a tingling leg",
        33,
        &["fever", "leg-numbness"],
        Emergency,
        Emergency,
        "NICE CKS: spinal infection with a neurological deficit; IFOMPT 2020: high concern",
    ),
    case(
        "41-year-old, spinal injection last month, now pain shooting down a leg",
        41,
        &["infection-risk", "radiating"],
        Emergency,
        Emergency,
        IFOMPT_HIGH,
    ),
    case(
        "48-year-old with a fever and symptoms in both legs",
        48,
        &["fever", "both-legs"],
        Emergency,
        Emergency,
        NHS_999,
    ),
    case(
        "52-year-old with a fever, severe pain and new bowel trouble (the most severe wins)",
        52,
        &["bowel-change", "severe-pain", "fever", "ache"],
        Emergency,
        Emergency,
        NHS_999,
    ),
    // Urgent.
    case(
        "55-year-old who had breast cancer ten years ago, now back ache",
        55,
        &["cancer-history", "ache"],
        Urgent,
        Urgent,
        CKS_CANCER,
    ),
    case(
        "60-year-old with a cancer history and pain that wakes them at night",
        60,
        &["cancer-history", "night-pain"],
        Urgent,
        Urgent,
        NG234_24H,
    ),
    case(
        "64-year-old with a cancer history and pain between the shoulder blades",
        64,
        &["cancer-history", "upper-back-pain"],
        Urgent,
        Urgent,
        NG234_24H,
    ),
    case(
        "66-year-old with a cancer history whose pain is worse on coughing",
        66,
        &["cancer-history", "cough-strain"],
        Urgent,
        Urgent,
        NG234_24H,
    ),
    case(
        "33-year-old with a high temperature and back pain after a cold",
        33,
        &["fever"],
        Urgent,
        Urgent,
        NHS_URGENT,
    ),
    case(
        "45-year-old losing weight without trying",
        45,
        &["weight-loss", "stiffness"],
        Urgent,
        Urgent,
        NHS_URGENT,
    ),
    case(
        "40-year-old whose pain is worst at night and who is losing weight",
        40,
        &["night-pain", "weight-loss"],
        Urgent,
        Urgent,
        NHS_URGENT,
    ),
    case(
        "27-year-old with pain between the shoulder blades",
        27,
        &["upper-back-pain"],
        Urgent,
        Urgent,
        NHS_URGENT,
    ),
    case(
        "38-year-old whose pain is clearly worse when sneezing",
        38,
        &["cough-strain", "sharp"],
        Urgent,
        Urgent,
        NHS_URGENT,
    ),
    case(
        "35-year-old who has noticed a swelling on the back",
        35,
        &["back-lump"],
        Urgent,
        Urgent,
        NHS_URGENT,
    ),
    case(
        "52-year-old who tripped on a trail",
        52,
        &["minor-fall"],
        Urgent,
        Urgent,
        CKS_FRACTURE,
    ),
    case(
        "50-year-old who fell off a kerb (50 or over)",
        50,
        &["minor-fall", "ache"],
        Urgent,
        Urgent,
        CKS_FRACTURE,
    ),
    case(
        "74-year-old with osteoporosis and a new back ache",
        74,
        &["steroids-osteoporosis", "ache"],
        Urgent,
        Urgent,
        CKS_FRACTURE,
    ),
    case(
        "31-year-old on steroid tablets who fell off a low step",
        31,
        &["minor-fall", "steroids-osteoporosis"],
        Urgent,
        Urgent,
        CKS_FRACTURE,
    ),
    case(
        "64-year-old on long-term steroids with sudden pain that stops everything, no fall",
        64,
        &["steroids-osteoporosis", "severe-pain"],
        Urgent,
        Urgent,
        "NICE CKS: osteoporotic vertebral fracture, with or without a fall",
    ),
    case(
        "61-year-old on chemotherapy with back ache",
        61,
        &["infection-risk", "ache"],
        Urgent,
        Urgent,
        CKS_INFECTION,
    ),
    case(
        "42-year-old with a fever and pain that keeps getting worse",
        42,
        &["fever", "severe-pain"],
        Urgent,
        Urgent,
        CKS_INFECTION,
    ),
    case(
        "careful choice: 72-year-old whose pain stops everyday life (age 70 or over with severe pain)",
        72,
        &["severe-pain"],
        Soon,
        Urgent,
        "NHS back pain: see a GP for severe pain; EVIDENCE.md: urgent at 70 or over is lumbar's careful choice (CKS: age is a fracture risk factor)",
    ),
    case(
        "careful choice: 56-year-old, first back pain ever, no better after a month (weak signs together)",
        56,
        &["first-episode", "not-improving"],
        Soon,
        Urgent,
        "NICE CKS: each a flag to review; EVIDENCE.md: two weak signs together urgent is lumbar's careful choice (Henschke 2013)",
    ),
    // Soon.
    case(
        "28-year-old with tingling down the left leg after a tempo run",
        28,
        &["leg-numbness", "ache"],
        Soon,
        Soon,
        "NHS sciatica: see a GP; the article: see a doctor about numbness or tingling",
    ),
    case(
        "30-year-old with sciatica: pain spreading down one leg, with pins and needles",
        30,
        &["leg-numbness", "radiating"],
        Soon,
        Soon,
        NG59,
    ),
    case(
        "41-year-old, no better after five weeks",
        41,
        &["not-improving", "stiffness"],
        Soon,
        Soon,
        NHS_GP,
    ),
    case(
        "38-year-old who slipped on a wet kerb",
        38,
        &["minor-fall"],
        Soon,
        Soon,
        CKS_FRACTURE,
    ),
    case(
        "49-year-old who fell on the ice (under 50)",
        49,
        &["minor-fall"],
        Soon,
        Soon,
        CKS_FRACTURE,
    ),
    case(
        "29-year-old with years of morning stiffness that eases on a run",
        29,
        &["inflammatory-pattern", "stiffness"],
        Soon,
        Soon,
        "NICE NG65: refer with suspected axial spondyloarthritis",
    ),
    case(
        "17-year-old, first back pain ever",
        17,
        &["first-episode"],
        Soon,
        Soon,
        CKS_CANCER,
    ),
    case(
        "53-year-old, first back pain ever",
        53,
        &["first-episode", "ache"],
        Soon,
        Soon,
        CKS_CANCER,
    ),
    case(
        "69-year-old on long-term steroid tablets",
        69,
        &["steroids-osteoporosis"],
        Soon,
        Soon,
        CKS_FRACTURE,
    ),
    case(
        "64-year-old whose pain stops everyday life",
        64,
        &["severe-pain"],
        Soon,
        Soon,
        NHS_GP,
    ),
    case(
        "35-year-old whose pain stops everyday life, with one numb leg",
        35,
        &["severe-pain", "leg-numbness"],
        Soon,
        Soon,
        NHS_GP,
    ),
    case(
        "19-year-old, first episode and not improving (a first pain counts as a weak sign only over 50)",
        19,
        &["first-episode", "not-improving"],
        Soon,
        Soon,
        CKS_CANCER,
    ),
    case(
        "50-year-old, first back pain, no better after a month (50 is not over 50)",
        50,
        &["first-episode", "not-improving"],
        Soon,
        Soon,
        NHS_GP,
    ),
    // Self-care.
    case(
        "34-year-old, stiff back the morning after a long run",
        34,
        &["stiffness"],
        SelfCare,
        SelfCare,
        NG59,
    ),
    case(
        "72-year-old with a dull ache (age alone is not a flag)",
        72,
        &["ache"],
        SelfCare,
        SelfCare,
        NG59,
    ),
    case(
        "45-year-old with spasm, a sharp twinge and pain spreading into the buttock",
        45,
        &["spasm", "sharp", "radiating"],
        SelfCare,
        SelfCare,
        NG59,
    ),
    case(
        "24-year-old with pain spreading down a leg and nothing else",
        24,
        &["radiating"],
        SelfCare,
        SelfCare,
        "NHS sciatica: usually gets better in 4 to 6 weeks with self-care",
    ),
    case(
        "30-year-old, first back pain ever (not a flag between 20 and 50)",
        30,
        &["first-episode", "ache"],
        SelfCare,
        SelfCare,
        CKS_CANCER,
    ),
    case(
        "50-year-old, first back pain ever (50 is not over 50)",
        50,
        &["first-episode"],
        SelfCare,
        SelfCare,
        CKS_CANCER,
    ),
    case("16-year-old with no symptoms at all", 16, &[], SelfCare, SelfCare, NG59),
];

fn owned(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn case_histories() {
    let mut wrong = Vec::new();
    for c in CASES {
        let t = triage(&owned(c.symptoms), Some(c.age));
        if t.level != c.lumbar {
            wrong.push(format!(
                "{} ({}): expected {}, got {} ({:?})",
                c.story, c.source, c.lumbar, t.level, t.reasons
            ));
        }
        // The result is always complete: an action, a reason for anything above self-care, the
        // running advice and the not-a-diagnosis line.
        assert!(!t.message.is_empty() && !t.running.is_empty() && !t.not_a_diagnosis.is_empty());
        assert_eq!(
            t.reasons.is_empty(),
            t.level == SelfCare,
            "{}: {:?}",
            c.story,
            t.reasons
        );
        assert_eq!(
            t.reasons.iter().map(|r| r.level).max().unwrap_or(SelfCare),
            t.level,
            "{}",
            c.story
        );
    }
    assert!(wrong.is_empty(), "{} case(s) wrong:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn no_case_is_under_triaged_and_at_most_three_are_over_triaged() {
    let mut under = Vec::new();
    let mut over = Vec::new();
    for c in CASES {
        let got = triage(&owned(c.symptoms), Some(c.age)).level;
        if got < c.guideline {
            under.push(format!(
                "{}: {got} below the guideline's {} ({})",
                c.story, c.guideline, c.source
            ));
        }
        if got > c.guideline {
            over.push(c.story);
        }
    }
    assert!(under.is_empty(), "under-triaged:\n{}", under.join("\n"));
    assert!(over.len() <= 3, "over-triaged {} cases: {over:#?}", over.len());
    // Every over-triaged case is one of lumbar's named careful choices.
    assert!(over.iter().all(|s| s.starts_with("careful choice:")), "{over:#?}");
}

#[test]
fn the_battery_covers_every_level_every_combination_and_every_id() {
    assert!(CASES.len() >= 40, "{} cases", CASES.len());
    for level in Level::ALL {
        let n = CASES.iter().filter(|c| c.guideline == level).count();
        assert!(n >= 5, "only {n} cases at {level}");
    }
    // Every red-flag id and every combination appears in some case.
    for id in SYMPTOM_IDS {
        assert!(CASES.iter().any(|c| c.symptoms.contains(id)), "no case has {id}");
    }
    for c in &lumbar::redflags::catalogue().combinations {
        let fired = CASES.iter().any(|k| {
            triage(&owned(k.symptoms), Some(k.age))
                .reasons
                .iter()
                .any(|r| r.symptom.contains('+') && r.ids().all(|id| c.ids().any(|x| x == id)))
        });
        assert!(fired, "no case fires {}", c.id);
    }
    for c in CASES {
        assert!(!c.source.is_empty(), "{}: which guideline?", c.story);
    }
}

/// Unknown age: never less careful than at any known age, for every symptom alone and every
/// pair (the rule, not examples), and more careful exactly where an age rule applies.
#[test]
fn an_unknown_age_is_never_less_careful_than_a_known_one() {
    let all: Vec<&str> = SYMPTOM_IDS.iter().chain(DESCRIPTORS).copied().collect();
    let mut lists: Vec<Vec<String>> = all.iter().map(|a| owned(&[a])).collect();
    for (i, a) in all.iter().enumerate() {
        for b in &all[i + 1..] {
            lists.push(owned(&[a, b]));
        }
    }
    for list in &lists {
        let unknown = triage(list, None).level;
        for age in 1..=120 {
            let known = triage(list, Some(age)).level;
            assert!(
                known <= unknown,
                "{list:?}: {known} at {age} beats {unknown} with no age"
            );
        }
    }
    // The unknown-age cases the issue names.
    for (symptoms, want) in [
        (&["minor-fall"][..], Urgent),
        (&["steroids-osteoporosis"], Urgent),
        (&["severe-pain"], Urgent),
        (&["first-episode"], Soon),
        (&["first-episode", "not-improving"], Urgent),
        (&["cancer-history", "radiating"], Emergency),
        (&["leg-numbness"], Soon),
    ] {
        assert_eq!(triage(&owned(symptoms), None).level, want, "{symptoms:?} with no age");
    }
}

/// Saying yes to one more symptom never lowers the level, at any age.
#[test]
fn another_symptom_never_lowers_the_level() {
    let all: Vec<&str> = SYMPTOM_IDS.iter().chain(DESCRIPTORS).copied().collect();
    for age in [
        None,
        Some(15),
        Some(19),
        Some(20),
        Some(35),
        Some(50),
        Some(51),
        Some(69),
        Some(70),
        Some(90),
    ] {
        for a in &all {
            let one = triage(&owned(&[a]), age).level;
            for b in &all {
                let two = triage(&owned(&[a, b]), age).level;
                assert!(two >= one, "{a} + {b} at {age:?}: {two} below {one}");
            }
        }
    }
}
