//! `lumbar config [list|get KEY|set KEY VALUE]`.

use anyhow::Result;
use serde_json::{Value, json};

use super::Ctx;
use crate::cli::{ConfigArgs, ConfigCommand};
use crate::error::InputError;
use crate::model::units::MAX_SHOE_DISTANCE_M;
use crate::model::{Config, Distance, DistanceInput, Surface, Units};
use crate::output::{Column, Table};

/// Every key: as typed, as named in `--json` (the store's own field, with its unit), and what it
/// means. The one place a new setting is named.
pub(crate) const KEYS: &[(&str, &str, &str)] = &[
    ("units", "units", "display units: km or mi"),
    (
        "shoe-limit",
        "shoe_limit_m",
        "distance after which a pair should be replaced (default 300 mi)",
    ),
    (
        "surface",
        "surface",
        "surface for runs logged without --surface, or none",
    ),
    (
        "age",
        "age",
        "your age, for the red-flag check when --age is not given, or none",
    ),
    (
        "no-rest-days",
        "no_rest_days",
        "days in a row with runs before the coach says to rest (default 7)",
    ),
];

/// The `--json` name of a key.
fn json_name(key: &str) -> &'static str {
    KEYS.iter().find(|(k, _, _)| *k == key).map_or("", |(_, j, _)| j)
}

/// `{"config": {NAME: VALUE, ...}}` for these keys.
fn config_doc<'a>(c: &Config, keys: impl IntoIterator<Item = &'a str>) -> Value {
    let map: serde_json::Map<String, Value> = keys
        .into_iter()
        .map(|k| (json_name(k).to_string(), raw(c, k)))
        .collect();
    json!({ "config": map })
}

fn key_names() -> Vec<&'static str> {
    KEYS.iter().map(|(k, _, _)| *k).collect()
}

fn check_key(key: &str) -> Result<&'static str, InputError> {
    let k = key.trim().to_ascii_lowercase().replace('_', "-");
    key_names().into_iter().find(|n| *n == k).ok_or_else(|| {
        InputError::new("config key", key, &format!("one of {}", key_names().join(", "))).suggesting(&key_names())
    })
}

/// The value as a person reads it.
fn shown(c: &Config, key: &str, units: Units) -> String {
    match key {
        "units" => c.units.to_string(),
        "shoe-limit" => Distance(c.shoe_limit_m).display(units),
        "surface" => c.surface.map_or("none".into(), |s| s.to_string()),
        "age" => c.age.map_or("none".into(), |a| a.to_string()),
        "no-rest-days" => c.no_rest_days.to_string(),
        _ => unreachable!("keys are checked"),
    }
}

/// The value in JSON: metres for distances, as everywhere.
fn raw(c: &Config, key: &str) -> Value {
    match key {
        "units" => json!(c.units),
        "shoe-limit" => json!(c.shoe_limit_m),
        "surface" => json!(c.surface),
        "age" => json!(c.age),
        "no-rest-days" => json!(c.no_rest_days),
        _ => unreachable!("keys are checked"),
    }
}

fn set(c: &mut Config, key: &str, value: &str) -> Result<(), InputError> {
    let none = value.trim().eq_ignore_ascii_case("none");
    match key {
        "units" => c.units = value.parse()?,
        "shoe-limit" => {
            let d: DistanceInput = value.parse().map_err(|e: InputError| InputError {
                field: "shoe-limit".into(),
                ..e
            })?;
            c.shoe_limit_m = d.resolve_within(c.units, "shoe-limit", MAX_SHOE_DISTANCE_M)?.metres();
        }
        "surface" => c.surface = if none { None } else { Some(value.parse::<Surface>()?) },
        "age" => {
            c.age = if none {
                None
            } else {
                let age = value.trim().parse::<u32>().ok().filter(|a| (1..=120).contains(a));
                Some(age.ok_or_else(|| InputError::new("age", value, "whole years from 1 to 120, or none"))?)
            }
        }
        "no-rest-days" => {
            let days = value.trim().parse::<u32>().ok().filter(|d| (2..=30).contains(d));
            c.no_rest_days =
                days.ok_or_else(|| InputError::new("no-rest-days", value, "a whole number of days from 2 to 30"))?;
        }
        _ => unreachable!("keys are checked"),
    }
    Ok(())
}

pub fn run(ctx: &mut Ctx, a: ConfigArgs) -> Result<()> {
    match a.command.unwrap_or(ConfigCommand::List) {
        ConfigCommand::List => {
            let data = ctx.load()?;
            if ctx.out.json {
                return ctx.out.json(&config_doc(&data.config, key_names()));
            }
            // Key and value always stay; the meaning wraps at words, and goes on a very narrow terminal.
            let mut t = Table::new(vec![
                Column::new("key"),
                Column::new("value"),
                Column::new("meaning").wrap().priority(1),
            ]);
            for (k, _, meaning) in KEYS {
                t.row([
                    k.to_string(),
                    shown(&data.config, k, ctx.units(&data.config)),
                    meaning.to_string(),
                ]);
            }
            ctx.out.print(&ctx.out.render(&t))
        }
        ConfigCommand::Get { key } => {
            let key = check_key(&key)?;
            let data = ctx.load()?;
            if ctx.out.json {
                return ctx.out.json(&config_doc(&data.config, [key]));
            }
            ctx.out.print(&shown(&data.config, key, ctx.units(&data.config)))
        }
        ConfigCommand::Set { key, value } => {
            let key = check_key(&key)?;
            // Check the value first, so bad input does not even create the data folder.
            set(&mut ctx.load()?.config, key, &value)?;
            let config = ctx.store.update(|d| {
                set(&mut d.config, key, &value)?;
                Ok(d.config.clone())
            })?;
            if ctx.out.json {
                return ctx.out.json(&config_doc(&config, [key]));
            }
            ctx.out
                .done(&format!("{key} = {}", shown(&config, key, ctx.units(&config))));
            Ok(())
        }
    }
}
