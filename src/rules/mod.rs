//! The coach's rules: pure functions over the history and settings, no I/O.
//!
//! Each rule has an id, a severity, a message, its evidence (the numbers it used) and the
//! advice ids that answer it. Thresholds and their sources are in EVIDENCE.md section 4.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::model::Data;
use crate::shoes::{self, ShoeStatus};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warn,
    Urgent,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warn => "warn",
            Severity::Urgent => "urgent",
        }
    }
}

/// One thing the coach flags, with the numbers behind it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Flag {
    pub id: &'static str,
    pub severity: Severity,
    pub message: String,
    pub evidence: Map<String, Value>,
    pub advice: Vec<&'static str>,
}

fn evidence(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// The flags a just-logged run raises (not the whole review).
pub fn flags_for_new_run(data: &Data, run_id: u64, _now: DateTime<FixedOffset>) -> Vec<Flag> {
    let Some(run) = data.run(run_id) else { return Vec::new() };
    let mut flags = Vec::new();
    if run.warmup == Some(false) {
        flags.push(Flag {
            id: "warmup-skipped",
            severity: Severity::Info,
            message: "no warm-up before this run".into(),
            evidence: evidence(json!({ "run_id": run.id })),
            advice: vec!["warmup-dynamic"],
        });
    }
    if let Some(shoe) = run.shoe_id.and_then(|id| data.shoe(id)) {
        let after = shoes::mileage(data, shoe.id);
        let before = after - run.distance_m;
        let limit = shoes::limit_of(shoe, data);
        let (was, is) = (
            ShoeStatus::for_distance(before, limit),
            ShoeStatus::for_distance(after, limit),
        );
        if is > was && is != ShoeStatus::Ok {
            flags.push(Flag {
                id: "shoe-worn",
                severity: Severity::Warn,
                message: format!("{} is now at {:.0} % of its limit ({})", shoe.name, after / limit * 100.0, is.as_str()),
                evidence: evidence(json!({ "shoe_id": shoe.id, "distance_m": after.round(), "limit_m": limit.round(), "status": is.as_str() })),
                advice: vec!["shoes-replace"],
            });
        }
    }
    flags
}

/// The flags a just-logged pain entry raises.
pub fn flags_for_new_pain(_data: &Data, _pain_id: u64, _now: DateTime<FixedOffset>) -> Vec<Flag> {
    Vec::new()
}
