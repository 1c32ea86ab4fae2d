//! Case histories for the red-flag triage: who the runner is, what they report, and the level
//! EVIDENCE.md section 2 gives. Each row is a small story; the traps are marked.

use lumbar::redflags::{Level, triage};

struct Case {
    story: &'static str,
    age: Option<u32>,
    symptoms: &'static [&'static str],
    expected: Level,
}

use Level::{Emergency, SelfCare, Soon, Urgent};

const CASES: &[Case] = &[
    // Self-care: ordinary aches and stiffness, with and without an age.
    Case {
        story: "34-year-old, stiff back the morning after a long run",
        age: Some(34),
        symptoms: &["stiffness"],
        expected: SelfCare,
    },
    Case {
        story: "trap: 72-year-old with a dull ache (age alone is not a flag)",
        age: Some(72),
        symptoms: &["ache"],
        expected: SelfCare,
    },
    Case {
        story: "trap: 16-year-old with no symptoms at all (age alone is not a flag)",
        age: Some(16),
        symptoms: &[],
        expected: SelfCare,
    },
    Case {
        story: "45-year-old with spasm, a sharp twinge and pain radiating into the buttock",
        age: Some(45),
        symptoms: &["spasm", "sharp", "radiating"],
        expected: SelfCare,
    },
    Case {
        story: "age unknown, ache and stiffness only",
        age: None,
        symptoms: &["ache", "stiffness"],
        expected: SelfCare,
    },
    Case {
        story: "30-year-old, first back pain ever (not a flag between 20 and 50)",
        age: Some(30),
        symptoms: &["first-episode", "ache"],
        expected: SelfCare,
    },
    Case {
        story: "50-year-old, first back pain ever (50 is not over 50)",
        age: Some(50),
        symptoms: &["first-episode"],
        expected: SelfCare,
    },
    // Soon.
    Case {
        story: "28-year-old with tingling down the left leg after a tempo run",
        age: Some(28),
        symptoms: &["leg-numbness", "ache"],
        expected: Soon,
    },
    Case {
        story: "41-year-old, no better after five weeks",
        age: Some(41),
        symptoms: &["not-improving", "stiffness"],
        expected: Soon,
    },
    Case {
        story: "38-year-old who slipped on a wet kerb",
        age: Some(38),
        symptoms: &["minor-fall"],
        expected: Soon,
    },
    Case {
        story: "29-year-old with years of morning stiffness that eases on a run",
        age: Some(29),
        symptoms: &["inflammatory-pattern", "stiffness"],
        expected: Soon,
    },
    Case {
        story: "17-year-old, first back pain ever",
        age: Some(17),
        symptoms: &["first-episode"],
        expected: Soon,
    },
    Case {
        story: "69-year-old on long-term steroid tablets",
        age: Some(69),
        symptoms: &["steroids-osteoporosis"],
        expected: Soon,
    },
    Case {
        story: "19-year-old, first episode and not improving (first-episode counts as a weak sign only over 50)",
        age: Some(19),
        symptoms: &["first-episode", "not-improving"],
        expected: Soon,
    },
    Case {
        story: "35-year-old whose pain stops everyday life, with one numb leg",
        age: Some(35),
        symptoms: &["severe-pain", "leg-numbness"],
        expected: Soon,
    },
    Case {
        story: "50-year-old, first back pain, no better after a month (a first pain counts only over 50)",
        age: Some(50),
        symptoms: &["first-episode", "not-improving"],
        expected: Soon,
    },
    // Urgent.
    Case {
        story: "50-year-old who fell off a kerb (a minor fall at 50 or over)",
        age: Some(50),
        symptoms: &["minor-fall", "ache"],
        expected: Urgent,
    },
    Case {
        story: "51-year-old, first back pain, no better after a month (weak signs together)",
        age: Some(51),
        symptoms: &["first-episode", "not-improving", "stiffness"],
        expected: Urgent,
    },
    Case {
        story: "55-year-old who had breast cancer ten years ago, now back ache",
        age: Some(55),
        symptoms: &["cancer-history", "ache"],
        expected: Urgent,
    },
    Case {
        story: "33-year-old with a fever and back pain after a cold",
        age: Some(33),
        symptoms: &["fever"],
        expected: Urgent,
    },
    Case {
        story: "52-year-old who tripped on a trail (minor fall at 50 or over)",
        age: Some(52),
        symptoms: &["minor-fall"],
        expected: Urgent,
    },
    Case {
        story: "74-year-old with osteoporosis",
        age: Some(74),
        symptoms: &["steroids-osteoporosis", "ache"],
        expected: Urgent,
    },
    Case {
        story: "31-year-old on steroids who fell off a low step (fall with thin bones)",
        age: Some(31),
        symptoms: &["minor-fall", "steroids-osteoporosis"],
        expected: Urgent,
    },
    Case {
        story: "58-year-old, first back pain ever and not improving (weak signs together)",
        age: Some(58),
        symptoms: &["first-episode", "not-improving"],
        expected: Urgent,
    },
    Case {
        story: "40-year-old whose pain is worst at night and who is losing weight",
        age: Some(40),
        symptoms: &["night-pain", "weight-loss"],
        expected: Urgent,
    },
    Case {
        story: "27-year-old with pain between the shoulder blades",
        age: Some(27),
        symptoms: &["upper-back-pain"],
        expected: Urgent,
    },
    Case {
        story: "age unknown, pain began after a small fall (unknown age: the careful answer)",
        age: None,
        symptoms: &["minor-fall"],
        expected: Urgent,
    },
    // Emergency.
    Case {
        story: "trap: 36-year-old, only a numb saddle area (one cauda equina sign is enough)",
        age: Some(36),
        symptoms: &["saddle-numbness"],
        expected: Emergency,
    },
    Case {
        story: "trap: 44-year-old, only new trouble passing urine",
        age: Some(44),
        symptoms: &["bladder-change"],
        expected: Emergency,
    },
    Case {
        story: "trap: 25-year-old with tingling in both legs after a race",
        age: Some(25),
        symptoms: &["both-legs", "ache"],
        expected: Emergency,
    },
    Case {
        story: "62-year-old with a cancer history and a numb leg (cancer with a nerve sign)",
        age: Some(62),
        symptoms: &["cancer-history", "leg-numbness"],
        expected: Emergency,
    },
    Case {
        story: "39-year-old who injects drugs, now with a weakening leg",
        age: Some(39),
        symptoms: &["infection-risk", "leg-weakness"],
        expected: Emergency,
    },
    Case {
        story: "48-year-old with a fever and symptoms in both legs",
        age: Some(48),
        symptoms: &["fever", "both-legs"],
        expected: Emergency,
    },
    Case {
        story: "67-year-old, sudden severe back pain and fainting",
        age: Some(67),
        symptoms: &["collapse"],
        expected: Emergency,
    },
    Case {
        story: "22-year-old thrown off a bike by a car",
        age: Some(22),
        symptoms: &["major-trauma", "sharp"],
        expected: Emergency,
    },
    Case {
        story: "57-year-old with chest pain during a run",
        age: Some(57),
        symptoms: &["chest-pain", "not-improving"],
        expected: Emergency,
    },
    Case {
        story: "age unknown, bowel change with a mild ache (the most severe wins)",
        age: None,
        symptoms: &["bowel-change", "ache", "severe-pain", "fever"],
        expected: Emergency,
    },
];

#[test]
fn case_histories() {
    let mut wrong = Vec::new();
    for c in CASES {
        let symptoms: Vec<String> = c.symptoms.iter().map(|s| s.to_string()).collect();
        let t = triage(&symptoms, c.age);
        if t.level != c.expected {
            wrong.push(format!(
                "{}: expected {}, got {} ({:?})",
                c.story, c.expected, t.level, t.reasons
            ));
        }
        // The result is always complete: an action, and a reason for anything above self-care.
        assert!(!t.message.is_empty(), "{}", c.story);
        assert_eq!(
            t.reasons.is_empty(),
            t.level == SelfCare,
            "{}: reasons {:?}",
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
fn the_cases_cover_every_level_and_enough_stories() {
    assert!(CASES.len() >= 25, "{} cases", CASES.len());
    for level in Level::ALL {
        let n = CASES.iter().filter(|c| c.expected == level).count();
        assert!(n >= 4, "only {n} cases at {level}");
    }
}
