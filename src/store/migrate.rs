//! Older store layouts, and how each becomes the current one.
//!
//! Version 2 had no `red_flags_seen` list (`lumbar redflags --seen`) nor `flags_shown` (the flags
//! printed after recent entries, so they are not repeated after every one), and left optional fields
//! out when they were empty; version 3 writes every field, `null` when unknown.
//!
//! Version 1 (the pre-release layout) had no `next_id` block: a new id was one more than the
//! largest present, so deleting the newest run freed its id for reuse. Migration fixes the
//! counters at one past the largest id ever present in the file, which is the best that can be
//! known, and from then on ids are never reused.

use serde_json::{Value, json};

use crate::model::{Data, FORMAT_VERSION};

pub fn from_older(bytes: &[u8], version: u32) -> Result<Data, String> {
    let mut doc: Value = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    if version < 2 {
        v1_to_v2(&mut doc)?;
    }
    if version < 3 {
        v2_to_v3(&mut doc)?;
    }
    serde_json::from_value(doc).map_err(|e| e.to_string())
}

fn v1_to_v2(doc: &mut Value) -> Result<(), String> {
    let obj = doc.as_object_mut().ok_or("the top level is not an object")?;
    let next = |key: &str| -> u64 {
        obj.get(key)
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|i| i.get("id").and_then(Value::as_u64))
                    .max()
                    .unwrap_or(0)
            })
            .unwrap_or(0)
            + 1
    };
    // Keep any counter the file already has if it is higher: ids must never go backwards.
    let had = |key: &str| {
        obj.get("next_id")
            .and_then(|n| n.get(key))
            .and_then(Value::as_u64)
            .unwrap_or(0)
    };
    let next_id = json!({
        "run": next("runs").max(had("run")),
        "pain": next("pain").max(had("pain")),
        "shoe": next("shoes").max(had("shoe")),
    });
    obj.insert("next_id".into(), next_id);
    for key in ["runs", "pain", "shoes"] {
        obj.entry(key).or_insert_with(|| json!([]));
    }
    obj.entry("config").or_insert_with(|| json!({}));
    obj.insert("version".into(), json!(2));
    Ok(())
}

fn v2_to_v3(doc: &mut Value) -> Result<(), String> {
    let obj = doc.as_object_mut().ok_or("the top level is not an object")?;
    obj.entry("red_flags_seen").or_insert_with(|| json!([]));
    obj.entry("flags_shown").or_insert_with(|| json!([]));
    obj.insert("version".into(), json!(FORMAT_VERSION));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_one_gets_counters_past_the_largest_id() {
        let v1 = br#"{"format":"lumbar","version":1,"config":{"units":"mi"},
            "runs":[{"id":7,"start":"2026-01-01T07:00:00Z","distance_m":5000.0,"duration_s":1500,
                     "surface":null,"warmup":null,"stretch":null,"shoe_id":null,"rpe":null,"notes":null,"source":null}],
            "pain":[]}"#;
        let data = from_older(v1, 1).unwrap();
        assert_eq!(data.version, FORMAT_VERSION);
        assert_eq!(data.next_id.run, 8);
        assert_eq!(data.next_id.pain, 1);
        assert_eq!(data.config.units, crate::model::Units::Mi);
        assert!(data.shoes.is_empty());
    }
}
