//! Finds where a value sits in the store's text, for messages: "line 12, column 40".
//!
//! serde gives a position for a syntax error, but a problem found after parsing (a duplicate id,
//! an RPE of 99) is known only by its path (`runs`, entry 3, `rpe`). This walks the JSON text
//! (already known to be valid) to that path. A position is only ever used in a message, so a
//! path it cannot follow gives `None`, never an error.

use super::check::Step;

/// The byte offset of the value at `path`.
pub fn offset(text: &[u8], path: &[Step]) -> Option<usize> {
    let mut s = Scanner { b: text, i: 0 };
    s.ws();
    for step in path {
        match *step {
            Step::Key(key) => s.enter_key(key)?,
            Step::Index(n) => s.enter_index(n)?,
        }
    }
    Some(s.i)
}

/// The byte offset of the first object key spelled exactly `key`, at any depth.
pub fn key_offset(text: &[u8], key: &str) -> Option<usize> {
    let mut s = Scanner { b: text, i: 0 };
    while s.i < s.b.len() {
        if s.b[s.i] == b'"' {
            let start = s.i;
            let raw = s.string()?;
            s.ws();
            if s.peek() == Some(b':') && raw == key.as_bytes() {
                return Some(start);
            }
        } else {
            s.i += 1;
        }
    }
    None
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &[u8], offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let start = before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
    (line, column)
}

struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Scanner<'a> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.i += 1;
        }
    }

    /// At a `"`: skips the string and returns its raw bytes (escapes left as written).
    fn string(&mut self) -> Option<&'a [u8]> {
        let start = self.i + 1;
        self.i += 1;
        loop {
            match self.peek()? {
                b'\\' => self.i += 2,
                b'"' => {
                    self.i += 1;
                    return Some(&self.b[start..self.i - 1]);
                }
                _ => self.i += 1,
            }
        }
    }

    /// Skips one value of any kind.
    fn value(&mut self) -> Option<()> {
        self.ws();
        match self.peek()? {
            b'"' => {
                self.string()?;
            }
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.peek()? {
                        b'"' => {
                            self.string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.i += 1;
                                return Some(());
                            }
                        }
                        _ => {}
                    }
                    self.i += 1;
                }
            }
            _ => {
                while !matches!(
                    self.peek(),
                    None | Some(b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t')
                ) {
                    self.i += 1;
                }
            }
        }
        Some(())
    }

    /// At an object: moves to the value of `key`.
    fn enter_key(&mut self, key: &str) -> Option<()> {
        self.ws();
        if self.peek()? != b'{' {
            return None;
        }
        self.i += 1;
        loop {
            self.ws();
            match self.peek()? {
                b'}' => return None,
                b',' => self.i += 1,
                b'"' => {
                    let found = self.string()? == key.as_bytes();
                    self.ws();
                    if self.peek()? != b':' {
                        return None;
                    }
                    self.i += 1;
                    self.ws();
                    if found {
                        return Some(());
                    }
                    self.value()?;
                }
                _ => return None,
            }
        }
    }

    /// At an array: moves to element `n`.
    fn enter_index(&mut self, n: usize) -> Option<()> {
        self.ws();
        if self.peek()? != b'[' {
            return None;
        }
        self.i += 1;
        for _ in 0..n {
            self.value()?;
            self.ws();
            if self.peek()? != b',' {
                return None;
            }
            self.i += 1;
        }
        self.ws();
        (self.peek()? != b']').then_some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "{\n  \"a\": {\"x\": \"}]\\\"\", \"y\": [1, {\"z\": 2}]},\n  \"runs\": [\n    {\"id\":1,\"rpe\":5},\n    {\"id\":2,\"rpe\":99}\n  ]\n}\n";

    fn at(path: &[Step]) -> Option<(usize, usize)> {
        offset(DOC.as_bytes(), path).map(|o| line_col(DOC.as_bytes(), o))
    }

    #[test]
    fn finds_values_by_path() {
        assert_eq!(
            at(&[Step::Key("runs"), Step::Index(1), Step::Key("rpe")]),
            Some((5, 19))
        );
        assert_eq!(at(&[Step::Key("runs"), Step::Index(0)]), Some((4, 5)));
        assert_eq!(
            at(&[Step::Key("a"), Step::Key("y"), Step::Index(1), Step::Key("z")]),
            Some((2, 37))
        );
        assert_eq!(at(&[Step::Key("runs"), Step::Index(2)]), None);
        assert_eq!(at(&[Step::Key("nope")]), None);
    }

    #[test]
    fn finds_keys_anywhere_but_not_in_values() {
        let text = br#"{"note": "shoe_Id", "runs": [{"shoe_Id": 1}]}"#;
        assert_eq!(key_offset(text, "shoe_Id"), Some(30));
        assert_eq!(key_offset(text, "missing"), None);
    }
}
