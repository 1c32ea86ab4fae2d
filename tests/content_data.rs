//! The coach's data: ids unique, every reference resolves, every item has a source and real
//! text, the contract ids exist with their factors, and every fact of the article is covered.

use std::collections::HashSet;
use std::path::Path;

use lumbar::content::{self, ARTICLE_SECTIONS, Advice, Routine};

/// Coach rule ids (CLI.md) plus the one-sided-pain rule of EVIDENCE.md section 4.
const FACTORS: &[&str] = &[
    "warmup-skipped",
    "stretch-skipped",
    "shoe-worn",
    "shoe-rotation",
    "hard-surface",
    "long-run-jump",
    "load-spike",
    "monotony",
    "no-rest",
    "pain-after-runs",
    "pain-rising",
    "pain-severe",
    "red-flag",
    "one-sided",
];

/// The advice ids the coach relies on, with the factors each must answer (the team contract).
const CONTRACT: &[(&str, &[&str])] = &[
    ("warmup-dynamic", &["warmup-skipped"]),
    ("stretch-after", &["stretch-skipped"]),
    ("shoes-replace", &["shoe-worn"]),
    ("shoes-fit", &["shoe-worn"]),
    ("shoes-rotate", &["shoe-rotation"]),
    ("surface-softer", &["hard-surface"]),
    ("load-build-gradually", &["long-run-jump", "load-spike", "monotony"]),
    (
        "recovery-rest",
        &["no-rest", "load-spike", "monotony", "pain-after-runs"],
    ),
    ("listen-to-pain", &["pain-after-runs", "pain-rising"]),
    ("cross-train-low-impact", &["no-rest", "monotony", "pain-after-runs"]),
    ("cross-train-strength", &[]),
    ("cross-train-yoga", &[]),
    ("pilates-core", &[]),
    ("form-cues", &["one-sided"]),
    ("form-gait-analysis", &["one-sided"]),
    ("muscle-imbalance", &["one-sided"]),
    ("relief-home-care", &["pain-after-runs", "pain-severe"]),
    ("see-doctor", &["pain-severe", "red-flag", "pain-rising"]),
    ("cause-herniated-disc", &[]),
    ("cause-stenosis", &[]),
    ("cause-muscle-strain", &[]),
    ("cause-joint-inflammation", &[]),
    ("cause-weak-core", &[]),
    ("cause-overtraining", &[]),
];

fn valid_source(s: &str) -> bool {
    content::is_article_source(s) || s.starts_with("general practice") || s.starts_with("EVIDENCE.md")
}

fn assert_unique<'a>(what: &str, ids: impl Iterator<Item = &'a str>) {
    let mut seen = HashSet::new();
    for id in ids {
        assert!(seen.insert(id), "duplicate {what} id '{id}'");
        assert!(
            !id.is_empty()
                && id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{what} id '{id}' should be lowercase-with-dashes"
        );
    }
}

fn not_blank(what: &str, text: &str) {
    let t = text.trim();
    assert!(!t.is_empty(), "{what} is empty");
    assert!(
        !t.contains("TODO") && !t.contains("TBD") && !t.contains("lorem"),
        "{what} is a placeholder: {t}"
    );
}

#[test]
fn ids_are_unique() {
    assert_unique("advice", content::advice().iter().map(|a| a.id.as_str()));
    assert_unique("routine", content::routines().iter().map(|r| r.id.as_str()));
}

#[test]
fn the_contract_ids_exist_with_their_factors() {
    for (id, factors) in CONTRACT {
        let a = content::advice_by_id(id).unwrap_or_else(|| panic!("advice '{id}' is in the contract but missing"));
        for f in *factors {
            assert!(a.factors.iter().any(|x| x == f), "advice '{id}' must answer '{f}'");
        }
    }
}

#[test]
fn every_factor_is_a_rule_and_every_rule_has_advice() {
    for a in content::advice() {
        for f in &a.factors {
            assert!(
                FACTORS.contains(&f.as_str()),
                "advice '{}' names unknown factor '{f}'",
                a.id
            );
        }
    }
    for f in FACTORS {
        assert!(!content::advice_for_factor(f).is_empty(), "no advice answers '{f}'");
    }
}

#[test]
fn every_advice_id_a_routine_refers_to_exists() {
    for r in content::routines() {
        assert!(!r.advice.is_empty(), "routine '{}' carries out no advice", r.id);
        for id in &r.advice {
            assert!(
                content::advice_by_id(id).is_some(),
                "routine '{}' refers to missing advice '{id}'",
                r.id
            );
        }
    }
    for a in content::advice() {
        if let Some(r) = &a.routine {
            assert!(
                content::routine(r).is_some(),
                "advice '{}' points to missing routine '{r}'",
                a.id
            );
        }
    }
}

/// Every advice id quoted in an `advice: vec![..]` list or an `advice_by_id("..")` call in the
/// source (the coach's rules, the red-flag screen) must exist in the data.
#[test]
fn every_advice_id_the_code_refers_to_exists() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&src).into_iter().filter_map(Result::ok) {
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).expect("read source");
        for id in referenced_advice_ids(&text) {
            checked += 1;
            assert!(
                content::advice_by_id(&id).is_some(),
                "{} refers to missing advice '{id}'",
                entry.path().display()
            );
        }
    }
    assert!(
        checked > 0,
        "found no advice references in src/: has the pattern changed?"
    );
}

/// String literals inside `advice: vec![ .. ]`, `advice: &[ .. ]` and `advice_by_id(" .. ")`.
fn referenced_advice_ids(text: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for opening in ["advice: vec![", "advice: &["] {
        for (i, _) in text.match_indices(opening) {
            let rest = &text[i + opening.len()..];
            let list = &rest[..rest.find(']').unwrap_or(rest.len())];
            ids.extend(list.split('"').skip(1).step_by(2).map(str::to_string));
        }
    }
    for (i, _) in text.match_indices("advice_by_id(\"") {
        let rest = &text[i + "advice_by_id(\"".len()..];
        if let Some(end) = rest.find('"') {
            ids.push(rest[..end].to_string());
        }
    }
    ids
}

#[test]
fn the_reference_scanner_finds_ids_in_each_form() {
    let code = r#"Flag { advice: vec!["a-1", "b-2"] }; Rule { advice: &["c-3"] }; advice_by_id("d-4")"#;
    assert_eq!(referenced_advice_ids(code), ["a-1", "b-2", "c-3", "d-4"]);
}

#[test]
fn every_item_has_a_source_and_real_text() {
    for a in content::advice() {
        for (what, text) in [
            ("id", &a.id),
            ("title", &a.title),
            ("text", &a.text),
            ("source", &a.source),
        ] {
            not_blank(&format!("advice '{}' {what}", a.id), text);
        }
        assert!(valid_source(&a.source), "advice '{}' has source '{}'", a.id, a.source);
    }
    for r in content::routines() {
        check_routine(r);
    }
}

fn check_routine(r: &Routine) {
    for (what, text) in [("title", &r.title), ("when", &r.when), ("summary", &r.summary)] {
        not_blank(&format!("routine '{}' {what}", r.id), text);
    }
    assert!(!r.steps.is_empty(), "routine '{}' has no steps", r.id);
    assert!(!r.sources.is_empty(), "routine '{}' has no sources", r.id);
    for s in &r.sources {
        assert!(valid_source(s), "routine '{}' source '{s}'", r.id);
    }
    for n in &r.notes {
        not_blank(&format!("routine '{}' note", r.id), n);
    }
    for step in &r.steps {
        let at = format!("routine '{}' step '{}'", r.id, step.name);
        not_blank(&at, &step.name);
        not_blank(&format!("{at} how"), &step.how);
        if let Some(why) = &step.why {
            not_blank(&format!("{at} why"), why);
        }
        assert!(valid_source(&step.source), "{at} source '{}'", step.source);
        assert!(
            step.seconds.is_some() != step.reps.is_some(),
            "{at}: exactly one of seconds and reps"
        );
        assert!(step.seconds.or(step.reps).is_some_and(|n| n > 0), "{at}: a zero dose");
        assert!(step.seconds.is_none_or(|s| s <= 3600), "{at}: over an hour");
        assert!(step.sets.is_none_or(|s| (1..=10).contains(&s)), "{at}: sets");
    }
}

#[test]
fn every_article_section_is_used() {
    let mut used: HashSet<&str> = HashSet::new();
    let sources = content::advice().iter().map(|a| a.source.as_str()).chain(
        content::routines()
            .iter()
            .flat_map(|r| r.sources.iter().map(String::as_str)),
    );
    for s in sources {
        if let Some(section) = s.strip_prefix("article: ") {
            used.insert(section);
        }
    }
    for section in ARTICLE_SECTIONS {
        assert!(
            used.contains(section),
            "nothing comes from the article section '{section}'"
        );
    }
}

/// All advice and routine text, lowercased, to look facts up in.
fn corpus(advice: &[Advice], routines: &[Routine]) -> String {
    let mut text = String::new();
    for a in advice {
        text.push_str(&format!("{} {} ", a.title, a.text));
    }
    for r in routines {
        text.push_str(&format!("{} {} {} ", r.title, r.summary, r.notes.join(" ")));
        for s in &r.steps {
            text.push_str(&format!("{} {} {} ", s.name, s.how, s.why.as_deref().unwrap_or("")));
        }
    }
    text.to_lowercase()
}

fn step_names(id: &str) -> String {
    let r = content::routine(id).expect("routine");
    r.steps
        .iter()
        .map(|s| s.name.to_lowercase())
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Each fact and recommendation of the article, by a word or two that must appear.
#[test]
fn every_fact_of_the_article_is_covered() {
    let all = corpus(content::advice(), content::routines());
    let facts: &[(&str, &[&str])] = &[
        (
            "causes",
            &["disc", "stenosis", "strain", "inflamed", "weak", "too much"],
        ),
        ("origins", &["muscles", "joint structures", "discs"]),
        ("form", &["one side", "sacroiliac", "compensates"]),
        ("guarding", &["arthritis", "tight hamstring", "blister"]),
        (
            "form cues",
            &[
                "look ahead",
                "shoulders relaxed",
                "arms forward and back",
                "from the hip",
                "land softly",
            ],
        ),
        ("gait", &["gait analysis", "trained professional"]),
        ("imbalance", &["front of the body", "physiotherapist"]),
        ("overuse", &["hard ground", "recover", "rest days"]),
        (
            "warm-up statistic",
            &["800 marathon runners", "2.6", "wu et al. 2021", "association"],
        ),
        ("stretches", &["cat-cow", "child's pose", "knees to your chest"]),
        ("surface", &["grass", "dirt", "concrete"]),
        (
            "shoes",
            &[
                "running style",
                "specialist running shop",
                "300 to 500 miles",
                "less supportive",
            ],
        ),
        (
            "cross-training",
            &[
                "swimming",
                "cycling",
                "yoga",
                "stretching",
                "weights or resistance bands",
            ],
        ),
        ("swimming", &["carries your weight", "strengthens the core"]),
        ("cycling", &["stamina", "leg strength", "rehabilitation"]),
        ("yoga", &["posture", "sciatic"]),
        ("stretch areas", &["hamstrings", "hip flexors", "lower back"]),
        (
            "home care",
            &[
                "heating pad",
                "compress",
                "bath",
                "hot tub",
                "sauna",
                "sleep",
                "water",
                "balanced",
                "pain reliever",
            ],
        ),
        ("doctor", &["numbness", "tingling", "bladder", "bowel"]),
    ];
    for (topic, words) in facts {
        for w in *words {
            assert!(all.contains(w), "{topic}: the data never mentions '{w}'");
        }
    }
    let pilates = step_names("pilates");
    for move_ in [
        "pelvic tilts",
        "bridges",
        "front plank",
        "side plank",
        "the saw",
        "roll-ups",
        "single straight-leg stretch",
        "back extension",
        "push-up with leg lift",
        "reverse plank",
    ] {
        assert!(pilates.contains(move_), "the Pilates routine lacks '{move_}'");
    }
    let strength = step_names("strength");
    for move_ in [
        "squats (glutes)",
        "deadlifts (glutes)",
        "leg curls (hamstrings)",
        "romanian deadlifts (hamstrings)",
        "lunges (legs)",
        "leg press (legs)",
        "back extensions (lower back)",
        "good mornings (lower back)",
    ] {
        assert!(strength.contains(move_), "the strength routine lacks '{move_}'");
    }
    let stretch = step_names("stretch");
    for move_ in ["cat-cow", "child's pose", "knees to chest", "hamstring", "hip flexor"] {
        assert!(stretch.contains(move_), "the stretch routine lacks '{move_}'");
    }
}

#[test]
fn the_warmup_moves_are_marked_as_general_practice() {
    // The article asks for a dynamic warm-up but names no moves.
    let warmup = content::routine("warmup").expect("warmup");
    assert!(warmup.steps.iter().all(|s| s.is_general_practice()));
    assert!(warmup.sources.iter().any(|s| s.starts_with("general practice")));
}

#[test]
fn the_ten_percent_rule_is_never_sold_as_protection() {
    for a in content::advice() {
        let t = a.text.to_lowercase();
        if t.contains("10 %") || t.contains("10%") || t.contains("ten percent") {
            assert!(
                t.contains("buist 2008") && t.contains("no fixed"),
                "'{}' must say the 10 % rule is unproven",
                a.id
            );
        }
    }
}

#[test]
fn home_care_carries_the_doctor_advice() {
    let relief = content::routine("relief").expect("relief");
    assert!(relief.advice.iter().any(|a| a == "see-doctor"));
    assert!(relief.advice.iter().any(|a| a == "relief-home-care"));
}

/// The article, when it is beside the repository (CI and dev machines); the checks that need it
/// say so and pass without it.
fn article() -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/source/lower-back-pain-when-running.txt");
    std::fs::read_to_string(path).ok()
}

/// The article's headings: short lines of their own, between blank lines, that do not end a
/// sentence (the title and the advert's lines included; no label may name those).
fn headings(article: &str) -> Vec<&str> {
    let lines: Vec<&str> = article.lines().collect();
    (1..lines.len().saturating_sub(1))
        .filter(|&i| lines[i - 1].trim().is_empty() && lines[i + 1].trim().is_empty())
        .map(|i| lines[i].trim())
        .filter(|l| !l.is_empty() && l.len() <= 60 && !l.starts_with('#') && !l.ends_with(['.', '!', ':']))
        .collect()
}

#[test]
fn section_labels_are_the_articles_headings() {
    let Some(article) = article() else {
        println!("skipped: the article is not beside the repository");
        return;
    };
    let heads = headings(&article);
    assert!(
        heads.contains(&"Poor running form") && heads.contains(&"When to talk to a doctor"),
        "{heads:?}"
    );
    for label in ARTICLE_SECTIONS {
        // A long heading is cut after its first words and marked with "…" (no long quotes).
        let found = match label.strip_suffix('…') {
            Some(start) => heads.iter().any(|h| h.starts_with(start) && h.len() > start.len()),
            None => heads.contains(label),
        };
        assert!(
            found,
            "'{label}' is not a heading of the article; the headings are {heads:#?}"
        );
    }
    for advert in ["Tackle the root cause of your pain", "Get Started For Free"] {
        assert!(
            !ARTICLE_SECTIONS.contains(&advert),
            "{advert} is the page's advert, not the article"
        );
    }
}

/// Every `text`/`how`/`why` that holds one of the details issue 13 names, and that comes from an
/// article section, tags it in `general_practice`; a routine note (which has no tag) never holds
/// one. Each entry: the words in the text, and a word the tag must use for it.
const ADDED_DETAILS: &[(&str, &str)] = &[
    ("10 to 20 metres", "10 to 20 metre"),
    ("right angle", "right angle"),
    ("hip drive", "hip drive"),
    ("repairs while you sleep", "repairs"),
    ("300 to 500 miles", "300 to 500"),
    ("cloth between", "cloth"),
    ("across your body", "crossing"),
    ("saddle so your knee", "saddle"),
    ("feel dizzy", "dizzy"),
];

#[test]
fn details_the_article_lacks_are_tagged_general_practice() {
    let mut checked = 0;
    let mut check = |at: &str, text: &str, source: &str, tag: Option<&String>| {
        for (words, tag_word) in ADDED_DETAILS {
            if !text.to_lowercase().contains(words) || !content::is_article_source(source) {
                continue;
            }
            checked += 1;
            let tag = tag.unwrap_or_else(|| panic!("{at}: '{words}' is not the article's but is not tagged"));
            assert!(
                tag.contains(tag_word),
                "{at}: the general_practice tag '{tag}' does not name '{words}'"
            );
        }
    };
    for a in content::advice() {
        check(
            &format!("advice '{}'", a.id),
            &a.text,
            &a.source,
            a.general_practice.as_ref(),
        );
    }
    for r in content::routines() {
        for s in &r.steps {
            let text = format!("{} {}", s.how, s.why.as_deref().unwrap_or(""));
            check(
                &format!("routine '{}' step '{}'", r.id, s.name),
                &text,
                &s.source,
                s.general_practice.as_ref(),
            );
        }
        for n in &r.notes {
            for (words, _) in ADDED_DETAILS {
                assert!(
                    !n.to_lowercase().contains(words),
                    "routine '{}' note holds an untagged '{words}': {n}",
                    r.id
                );
            }
        }
    }
    assert!(
        checked >= 8,
        "only {checked} tagged details found: has the data or the scan changed?"
    );
    // The tags themselves are real text, and only where they mean something.
    for a in content::advice() {
        if let Some(t) = &a.general_practice {
            not_blank(&format!("advice '{}' general_practice", a.id), t);
        }
    }
    for r in content::routines() {
        for s in &r.steps {
            if let Some(t) = &s.general_practice {
                not_blank(&format!("routine '{}' step '{}' general_practice", r.id, s.name), t);
                assert!(
                    !s.is_general_practice(),
                    "step '{}' is general practice already: no tag needed",
                    s.name
                );
            }
        }
    }
}

/// Everything a person reads from the data, lowercased, with where it is.
fn all_texts() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for a in content::advice() {
        let extra = [a.evidence.as_deref(), a.general_practice.as_deref()];
        let text = std::iter::once(a.text.as_str())
            .chain(extra.into_iter().flatten())
            .collect::<Vec<_>>()
            .join(" ");
        out.push((format!("advice '{}'", a.id), text.to_lowercase()));
    }
    for r in content::routines() {
        out.push((
            format!("routine '{}'", r.id),
            format!("{} {}", r.summary, r.notes.join(" ")).to_lowercase(),
        ));
        for s in &r.steps {
            let text = format!("{} {}", s.how, s.why.as_deref().unwrap_or(""));
            out.push((format!("routine '{}' step '{}'", r.id, s.name), text.to_lowercase()));
        }
    }
    out
}

#[test]
fn malisoux_2015_is_called_a_cohort_study() {
    let mut found = 0;
    for (at, text) in all_texts() {
        if text.contains("malisoux") || text.contains("0.61") {
            found += 1;
            assert!(text.contains("cohort"), "{at}: Malisoux 2015 is a cohort study: {text}");
            assert!(
                !text.replace("not a trial", "").contains("trial"),
                "{at}: Malisoux 2015 is not a trial: {text}"
            );
        }
    }
    assert!(found > 0, "the shoe-rotation advice is gone?");
    let rotate = content::advice_by_id("shoes-rotate").expect("shoes-rotate");
    assert!(!rotate.from_article(), "the article says nothing about rotating shoes");
}

#[test]
fn stretching_is_never_sold_as_preventing_back_pain() {
    for (at, text) in all_texts() {
        let about_stretching = text.contains("stretching") || text.contains("static stretch");
        if about_stretching && text.contains("prevent") {
            assert!(
                text.contains("not shown") || text.contains("weak"),
                "{at}: stretching is the article's advice, not proven prevention: {text}"
            );
        }
    }
    let after = content::advice_by_id("stretch-after").expect("stretch-after");
    assert!(
        after.text.contains("article"),
        "said to be the article's advice: {}",
        after.text
    );
}

/// The advice agrees with the triage (EVIDENCE.md section 2, v2): one numb or tingling leg is a
/// check within days, the emergency wording is for both legs, the saddle area, worsening weakness
/// and bladder or bowel change, and leg pain from a disc is not "stop running now".
#[test]
fn the_doctor_advice_agrees_with_the_triage_levels() {
    for (at, text) in all_texts() {
        assert!(
            !text.contains("straight away"),
            "{at}: 'straight away' for what the triage calls soon: {text}"
        );
        assert!(!text.contains("rather than more running"), "{at}: {text}");
    }
    for id in ["see-doctor", "cause-herniated-disc", "cause-stenosis"] {
        let t = content::advice_by_id(id).expect("advice").text.to_lowercase();
        assert!(t.contains("within days"), "{id}: one-leg symptoms are soon: {t}");
        assert!(t.contains("emergency"), "{id}: and what is an emergency: {t}");
        assert!(t.contains("both legs"), "{id}: {t}");
    }
    let doctor = content::advice_by_id("see-doctor")
        .expect("see-doctor")
        .text
        .to_lowercase();
    for emergency in ["genitals", "bladder", "bowels", "weaker"] {
        assert!(doctor.contains(emergency), "see-doctor lacks '{emergency}': {doctor}");
    }
}
