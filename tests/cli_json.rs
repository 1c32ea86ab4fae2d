//! Every `--json` document against the README's "JSON shapes": each command of the documents
//! block is run on a demo store and its document checked against the shapes block (every
//! documented key present, none undocumented, so an optional field that went missing instead of
//! `null` fails), and every document follows the one naming scheme (snake_case keys, times in
//! RFC 3339 with their offset).

mod common;

use std::collections::HashMap;
use std::path::Path;

use common::Env;
use serde_json::Value;

/// A type of the README's little notation.
#[derive(Clone, Debug)]
enum Ty {
    Any,
    Null,
    Shape(String),
    List(Box<Ty>),
    Object(Vec<(String, Ty)>),
    Either(Box<Ty>, Box<Ty>),
}

/// The lines of the fenced block between `<!-- name -->` and `<!-- /name -->`.
fn block<'a>(readme: &'a str, name: &str) -> Vec<&'a str> {
    let start = readme
        .find(&format!("<!-- {name} -->"))
        .unwrap_or_else(|| panic!("README has no <!-- {name} --> block"));
    let end = readme[start..]
        .find(&format!("<!-- /{name} -->"))
        .expect("the block ends")
        + start;
    readme[start..end]
        .lines()
        .skip(1)
        .filter(|l| !l.starts_with("```") && !l.trim().is_empty())
        .collect()
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.s.get(self.i).is_some_and(|b| b.is_ascii_whitespace()) {
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        self.ws();
        if self.s.get(self.i) == Some(&c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn word(&mut self) -> String {
        self.ws();
        let start = self.i;
        while self
            .s
            .get(self.i)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
        {
            self.i += 1;
        }
        String::from_utf8(self.s[start..self.i].to_vec()).unwrap()
    }

    fn ty(&mut self) -> Ty {
        let one = if self.eat(b'{') {
            let mut fields = Vec::new();
            loop {
                assert!(self.eat(b'"'), "a key in quotes at {}", self.i);
                let key = self.word();
                assert!(self.eat(b'"'));
                let ty = if self.eat(b':') { self.ty() } else { Ty::Any };
                fields.push((key, ty));
                if !self.eat(b',') {
                    break;
                }
            }
            assert!(self.eat(b'}'), "}} at {}", self.i);
            Ty::Object(fields)
        } else if self.eat(b'[') {
            let inner = self.ty();
            assert!(self.eat(b']'));
            Ty::List(Box::new(inner))
        } else {
            match self.word().as_str() {
                "null" => Ty::Null,
                "" => panic!("a type at {}", self.i),
                name => Ty::Shape(name.to_string()),
            }
        };
        if self.eat(b'|') {
            Ty::Either(Box::new(one), Box::new(self.ty()))
        } else {
            one
        }
    }
}

fn parse_ty(text: &str) -> Ty {
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
    };
    let ty = p.ty();
    p.ws();
    assert_eq!(p.i, text.len(), "left over in {text:?}");
    ty
}

fn shapes(readme: &str) -> HashMap<String, Vec<(String, Ty)>> {
    block(readme, "json-shapes")
        .into_iter()
        .map(|line| {
            let mut words = line.split_whitespace();
            let name = words.next().unwrap().to_string();
            let fields = words
                .map(|w| match w.split_once(':') {
                    Some((k, t)) => (k.to_string(), parse_ty(t)),
                    None => (w.to_string(), Ty::Any),
                })
                .collect();
            (name, fields)
        })
        .collect()
}

fn check(v: &Value, ty: &Ty, shapes: &HashMap<String, Vec<(String, Ty)>>, at: &str) -> Result<(), String> {
    let fields = |fields: &[(String, Ty)]| -> Result<(), String> {
        let obj = v.as_object().ok_or(format!("{at}: not an object: {v}"))?;
        for (k, _) in fields {
            if !obj.contains_key(k) {
                return Err(format!(
                    "{at}: `{k}` is documented but missing (every field is always there)"
                ));
            }
        }
        for k in obj.keys() {
            if !fields.iter().any(|(f, _)| f == k) {
                return Err(format!("{at}: `{k}` is not documented in the README"));
            }
        }
        for (k, t) in fields {
            check(&obj[k], t, shapes, &format!("{at}.{k}"))?;
        }
        Ok(())
    };
    match ty {
        Ty::Any => Ok(()),
        Ty::Null if v.is_null() => Ok(()),
        Ty::Null => Err(format!("{at}: expected null, got {v}")),
        Ty::Either(a, b) => check(v, a, shapes, at).or_else(|_| check(v, b, shapes, at)),
        Ty::List(t) => {
            let items = v.as_array().ok_or(format!("{at}: not a list: {v}"))?;
            items
                .iter()
                .enumerate()
                .try_for_each(|(i, x)| check(x, t, shapes, &format!("{at}[{i}]")))
        }
        Ty::Object(f) => fields(f),
        Ty::Shape(name) => fields(shapes.get(name).ok_or(format!("{at}: no shape {name} in the README"))?),
    }
}

fn snake_case(key: &str) -> bool {
    let b = key.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_lowercase()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'_')
        && !key.contains("__")
        && !key.ends_with('_')
}

/// A value that reads as a date with a time of day.
fn looks_like_a_time(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 16
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[7] == b'-'
        && (b[10] == b'T' || b[10] == b' ')
        && b[13] == b':'
}

fn is_time_key(key: &str) -> bool {
    key == "at" || key == "start" || key.ends_with("_at")
}

/// The naming scheme, over a whole document.
fn naming(v: &Value, at: &str, problems: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, x) in map {
                let here = format!("{at}.{k}");
                if !snake_case(k) {
                    problems.push(format!("{here}: not snake_case"));
                }
                if is_time_key(k) && !x.is_null() {
                    let ok = x
                        .as_str()
                        .is_some_and(|s| chrono::DateTime::parse_from_rfc3339(s).is_ok());
                    if !ok {
                        problems.push(format!("{here}: a time key without an RFC 3339 time: {x}"));
                    }
                }
                naming(x, &here, problems);
            }
        }
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                naming(x, &format!("{at}[{i}]"), problems);
            }
        }
        Value::String(s) if looks_like_a_time(s) && chrono::DateTime::parse_from_rfc3339(s).is_err() => {
            problems.push(format!("{at}: {s:?} is a time without RFC 3339 and its offset"));
        }
        _ => {}
    }
}

fn words(line: &str) -> Vec<String> {
    // Single quotes group words, as the shell would.
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '\'' => quoted = !quoted,
            ' ' if !quoted => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[test]
fn every_documented_command_prints_its_documented_shape() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let shapes = shapes(&readme);
    let docs = block(&readme, "json-documents");
    assert!(docs.len() > 25, "{} documents", docs.len());
    let env = Env::new();
    env.ok(&["demo"]);
    let gpx = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/gpx/garmin-activity.gpx");
    let mut dirs = 0;
    for line in docs {
        // The command, then two spaces or more, then the type.
        let split = line.find("   ").unwrap_or_else(|| panic!("no type on {line:?}"));
        let (command, ty) = (line[..split].trim(), parse_ty(line[split..].trim()));
        let mut args = words(command);
        assert_eq!(args.remove(0), "lumbar");
        assert_eq!(args[0], "--json", "{line}");
        for a in &mut args {
            if a == "GPX" {
                *a = gpx.to_str().unwrap().into();
            } else if a == "DIR" {
                dirs += 1;
                *a = env.dir.path().join(format!("dir{dirs}")).to_str().unwrap().into();
            }
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let text = env.ok(&args);
        let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{command}: {e}\n{text}"));
        if let Err(e) = check(&doc, &ty, &shapes, command) {
            panic!("{e}\n{}", serde_json::to_string_pretty(&doc).unwrap());
        }
        let mut problems = Vec::new();
        naming(&doc, command, &mut problems);
        assert!(problems.is_empty(), "{problems:#?}");
    }
}

#[test]
fn every_document_follows_the_naming_scheme() {
    // Beyond the documented list: the store itself, and documents with every optional part filled.
    let env = Env::new();
    env.ok(&["demo", "--weeks", "8", "--seed", "9"]);
    env.ok(&["shoes", "add", "Trail pair", "--limit", "500km", "--start", "10km"]);
    env.ok(&[
        "run",
        "add",
        "9k",
        "50:00",
        "--shoe",
        "Trail",
        "--rpe",
        "7",
        "--notes",
        "hills",
        "--date",
        "yesterday",
    ]);
    env.ok(&[
        "pain",
        "add",
        "7",
        "--symptom",
        "leg-numbness",
        "--run",
        "last",
        "--when",
        "after",
    ]);
    env.ok(&["redflags", "--seen"]);
    let mut problems = Vec::new();
    for args in [
        vec!["export"],
        vec!["coach"],
        vec!["coach", "--since", "2 weeks ago"],
        vec!["shoes", "--all"],
        vec!["pain", "list"],
        vec!["run", "list"],
        vec!["stats", "--weeks", "10"],
        vec![
            "redflags",
            "--symptom",
            "leg-numbness",
            "--symptom",
            "cancer-history",
            "--age",
            "60",
        ],
        vec!["redflags", "--seen"],
        vec!["routine"],
        vec!["config"],
    ] {
        naming(&env.json(&args), &args.join(" "), &mut problems);
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn optional_fields_are_null_not_missing() {
    let env = Env::new();
    env.ok(&["run", "add", "5k", "28:30"]);
    env.ok(&["pain", "add", "2"]);
    env.ok(&["shoes", "add", "Unworn"]);
    let run = &env.json(&["run", "show", "1"])["run"];
    for k in [
        "surface",
        "warmup",
        "stretch",
        "shoe_id",
        "shoe",
        "rpe",
        "notes",
        "source",
        "moving_s",
        "avg_hr",
        "avg_cadence",
    ] {
        assert!(run.get(k).is_some_and(Value::is_null), "RUN {k}: {run}");
    }
    let pain = &env.json(&["pain", "show", "1"])["pain"];
    for k in ["when", "run_id", "notes"] {
        assert!(pain.get(k).is_some_and(Value::is_null), "PAIN {k}: {pain}");
    }
    let shoe = &env.json(&["shoes"])["shoes"][0];
    for k in ["first_run_at", "last_run_at", "reaches_limit_on"] {
        assert!(shoe.get(k).is_some_and(Value::is_null), "SHOE {k}: {shoe}");
    }
    let stats = env.json(&["stats", "--weeks", "2"]);
    assert!(stats["totals"]["week"].is_null(), "{stats}");
    let step = &env.json(&["routine", "warmup"])["routine"]["steps"][0];
    for k in ["reps", "sets", "why", "general_practice"] {
        assert!(step.get(k).is_some(), "STEP {k}: {step}");
    }
}

#[test]
fn config_names_its_keys_as_the_store_does() {
    let env = Env::new();
    let config = env.json(&["config"]);
    let keys: Vec<&String> = config["config"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["age", "no_rest_days", "shoe_limit_m", "surface", "units"]);
    env.ok(&["config", "set", "shoe-limit", "400km"]);
    let store: Value = serde_json::from_slice(&env.store_bytes()).unwrap();
    assert_eq!(store["config"]["shoe_limit_m"], 400_000.0);
    assert_eq!(
        env.json(&["config", "get", "shoe-limit"])["config"]["shoe_limit_m"],
        400_000.0
    );
}

#[test]
fn every_printed_time_reads_back() {
    let env = Env::new();
    env.ok(&["run", "add", "5k", "28:30", "--date", "2026-07-01T07:30:00-04:00"]);
    let start = env.json(&["run", "show", "1"])["run"]["start"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(start, "2026-07-01T07:30:00-04:00");
    // What --json printed, typed back: the same instant, the same offset.
    env.ok(&["run", "edit", "1", "--date", &start]);
    assert_eq!(env.json(&["run", "show", "1"])["run"]["start"], start.as_str());
    let listed = env.json(&["run", "list", "--since", &start, "--until", &start]);
    assert_eq!(listed["runs"].as_array().unwrap().len(), 1);
    // What the confirmation printed ("Tue 2026-11-24 07:30"), typed back.
    let said = env.ok(&["run", "add", "6k", "33:00", "--date", "2026-11-24 07:30"]);
    let when = said
        .split(": ")
        .nth(1)
        .unwrap()
        .split(" · ")
        .next()
        .unwrap()
        .to_string();
    assert_eq!(when, "Tue 2026-11-24 07:30");
    env.ok(&["run", "edit", "2", "--date", &when]);
    assert_eq!(
        env.json(&["run", "show", "2"])["run"]["start"],
        "2026-11-24T07:30:00+00:00"
    );
    // The pain table's date and time.
    env.ok(&["pain", "add", "3", "--date", "2026-11-24 08:00"]);
    let table = env.ok(&["pain", "list"]);
    let cell = table
        .lines()
        .nth(2)
        .unwrap()
        .split("  ")
        .map(str::trim)
        .nth(1)
        .unwrap()
        .to_string();
    assert_eq!(cell, "2026-11-24 08:00");
    env.ok(&["pain", "edit", "1", "--date", &cell]);
    assert_eq!(
        env.json(&["pain", "show", "1"])["pain"]["at"],
        "2026-11-24T08:00:00+00:00"
    );
    // Relative forms and their error.
    env.ok(&["run", "add", "5k", "28:30", "--date", "3d ago"]);
    env.ok(&["run", "add", "5k", "28:30", "--date", "last monday"]);
    let err = env.fails(&["run", "add", "5k", "28:30", "--date", "next friday"], 2);
    for form in [
        "2026-11-25T07:30:00+01:00",
        "2 days ago",
        "-3d",
        "monday",
        "last monday",
    ] {
        assert!(err.contains(form), "{form} in {err}");
    }
    assert_eq!(
        env.json(&["run", "list"])["runs"].as_array().unwrap().len(),
        4,
        "nothing stored by the error"
    );
}
