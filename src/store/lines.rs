//! Reads the store line by line, as `write_to` lays it out, without holding the file in memory.
//!
//! A long history is mostly its lists, one entry per line, so parsing each line on its own keeps
//! the peak memory to the records themselves instead of records plus the whole file. Anything
//! that is not exactly that layout (a file edited by hand, an older version, damage) makes this
//! reader give up with `None`, and the caller parses the whole file the ordinary way, which also
//! gives the precise error. The fuzz target `store` checks that both readers agree.

use std::io::BufRead;

use serde::de::DeserializeOwned;

use crate::model::{Data, FORMAT_NAME, FORMAT_VERSION};

/// Which list the lines belong to.
#[derive(Clone, Copy, PartialEq)]
enum List {
    Seen,
    Shown,
    Shoes,
    Runs,
    Pain,
}

/// Parses the store from `reader`, or `None` when the file is not in the layout we write.
/// I/O errors are passed on.
pub fn parse(reader: &mut impl BufRead) -> std::io::Result<Option<Data>> {
    let mut line = String::new();
    let mut data = Data::default();
    let mut seen = 0u16; // one bit per top-level key
    let mut list: Option<List> = None;
    let mut first = true;
    let mut closed = false;
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            break;
        }
        if closed {
            return Ok(None); // something after the final brace
        }
        let text = line.strip_suffix('\n').unwrap_or(&line);
        if first {
            if text != "{" {
                return Ok(None);
            }
            first = false;
            continue;
        }
        if let Some(which) = list {
            let item = text.strip_prefix("    ").map(|t| t.strip_suffix(',').unwrap_or(t));
            match (text, item) {
                ("  ],", _) | ("  ]", _) => list = None,
                (_, Some(item)) => {
                    let ok = match which {
                        List::Seen => push(&mut data.red_flags_seen, item),
                        List::Shown => push(&mut data.flags_shown, item),
                        List::Shoes => push(&mut data.shoes, item),
                        List::Runs => push(&mut data.runs, item),
                        List::Pain => push(&mut data.pain, item),
                    };
                    if !ok {
                        return Ok(None);
                    }
                }
                _ => return Ok(None),
            }
            continue;
        }
        if text == "}" {
            closed = true;
            continue;
        }
        let Some((key, value)) = text.strip_prefix("  \"").and_then(|t| t.split_once("\": ")) else {
            return Ok(None);
        };
        let value = value.strip_suffix(',').unwrap_or(value);
        let (bit, ok) = match key {
            "format" => (0, set(&mut data.format, value)),
            "version" => (1, set(&mut data.version, value)),
            "next_id" => (2, set(&mut data.next_id, value)),
            "config" => (3, set(&mut data.config, value)),
            "red_flags_seen" => (7, open_list(value, List::Seen, &mut list)),
            "flags_shown" => (8, open_list(value, List::Shown, &mut list)),
            "shoes" => (4, open_list(value, List::Shoes, &mut list)),
            "runs" => (5, open_list(value, List::Runs, &mut list)),
            "pain" => (6, open_list(value, List::Pain, &mut list)),
            _ => return Ok(None),
        };
        if !ok || seen & (1 << bit) != 0 {
            return Ok(None);
        }
        seen |= 1 << bit;
    }
    let complete = closed && list.is_none() && seen == 0b1_1111_1111;
    let current = data.format == FORMAT_NAME && data.version == FORMAT_VERSION;
    Ok((complete && current).then_some(data))
}

fn set<T: DeserializeOwned>(slot: &mut T, json: &str) -> bool {
    match serde_json::from_str(json) {
        Ok(v) => {
            *slot = v;
            true
        }
        Err(_) => false,
    }
}

fn push<T: DeserializeOwned>(items: &mut Vec<T>, json: &str) -> bool {
    match serde_json::from_str(json) {
        Ok(v) => {
            items.push(v);
            true
        }
        Err(_) => false,
    }
}

/// `[` opens a list of entries on the lines that follow; `[]` is an empty one.
fn open_list(value: &str, which: List, list: &mut Option<List>) -> bool {
    match value {
        "[" => {
            *list = Some(which);
            true
        }
        "[]" => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{serialize, write_to};

    fn lines(bytes: &[u8]) -> Option<Data> {
        parse(&mut std::io::Cursor::new(bytes)).unwrap()
    }

    #[test]
    fn reads_what_we_write_exactly() {
        let today = chrono::DateTime::parse_from_rfc3339("2026-06-10T12:00:00+00:00").unwrap();
        for weeks in [0, 1, 30] {
            let data = if weeks == 0 {
                Data::default()
            } else {
                crate::demo::generate(weeks, 5, today)
            };
            let mut bytes = Vec::new();
            write_to(&data, &mut bytes).unwrap();
            assert_eq!(lines(&bytes), Some(data), "{weeks} weeks");
        }
    }

    #[test]
    fn gives_up_on_anything_else() {
        let data = crate::demo::generate(
            2,
            1,
            chrono::DateTime::parse_from_rfc3339("2026-06-10T12:00:00+00:00").unwrap(),
        );
        let good = String::from_utf8(serialize(&data).unwrap()).unwrap();
        let pretty = serde_json::to_string_pretty(&data).unwrap();
        let cases = [
            pretty.as_str(),                                                 // valid, but indented by hand
            &good[..good.len() / 2],                                         // truncated
            &good.replace("\"version\": 3", "\"version\": 1"),               // an older layout
            &good.replace("  \"pain\": [", "  \"pain\": [\n    {\"id\": }"), // a damaged entry
            &format!("{good}{{}}\n"),                                        // something after the end
            &good.replace("  \"config\"", "  \"extra\": 1,\n  \"config\""),
        ];
        for (i, text) in cases.iter().enumerate() {
            assert_eq!(lines(text.as_bytes()), None, "case {i}");
        }
    }
}
