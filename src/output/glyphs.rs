//! lumbar's own glyphs in plain ASCII when the locale is not UTF-8, and text from outside lumbar
//! left exactly as typed.
//!
//! The mechanism, so that no command can forget it:
//! - everything lumbar prints passes through [`finish`] on its way out (`Output::print`, `done`,
//!   `note`, `warn`, every table cell, the prompts, clap's help and errors, the error chain in
//!   `main`), which folds lumbar's own glyphs to ASCII when the call's locale asks for it;
//! - text that came from outside (notes, shoe names, paths, typed values) goes through
//!   `output::text::escape`, which also wraps it in [`USER_START`]…[`USER_END`] marks when it
//!   holds a character that is neither ASCII nor one of lumbar's glyphs; [`finish`] leaves marked
//!   text as typed and removes the marks. A name is best escaped on its own, before it goes
//!   into a sentence: a sentence escaped whole with such a name in it keeps its glyphs too.
//!
//! The marks are Unicode noncharacters, which the standard reserves for a program's own
//! internal use: no text a person means to write contains them, and `escape` shows any that
//! arrive from outside as visible escapes.

use std::borrow::Cow;

/// Opens text from outside lumbar.
pub const USER_START: char = '\u{fdd0}';
/// Closes text from outside lumbar.
pub const USER_END: char = '\u{fdd1}';

/// `text` as it is to be written: lumbar's own glyphs folded to ASCII when `ascii` is set, text
/// between marks kept as it is, and the marks removed.
pub fn finish(text: &str, ascii: bool) -> Cow<'_, str> {
    let marked = text.contains([USER_START, USER_END]);
    if !marked && (!ascii || text.is_ascii()) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            USER_START => depth += 1,
            USER_END => depth = depth.saturating_sub(1),
            c if depth > 0 || !ascii || c.is_ascii() => out.push(c),
            c => out.push_str(fold_char(c)),
        }
    }
    Cow::Owned(out)
}

/// Wraps `text` (already escaped) in the marks that keep it as typed.
pub fn mark(text: &str) -> String {
    let mut s = String::with_capacity(text.len() + 6);
    s.push(USER_START);
    s.push_str(text);
    s.push(USER_END);
    s
}

/// Only the marks removed (for JSON, which carries every character as it is).
pub fn unmark(text: &str) -> Cow<'_, str> {
    finish(text, false)
}

/// lumbar's own text folded to ASCII (no marks expected).
pub fn fold(text: &str) -> Cow<'_, str> {
    finish(text, true)
}

/// `c` is one of the glyphs lumbar writes, which has an ASCII form.
pub fn is_ours(c: char) -> bool {
    !c.is_ascii() && fold_char(c) != "?"
}

/// A stream that applies [`finish`] to everything written through it, for code that writes to
/// stderr or the terminal itself (the red-flag questions, prompts). Bytes that end in the
/// middle of a character wait for the rest.
pub struct Finishing<W: std::io::Write> {
    inner: W,
    ascii: bool,
    pending: Vec<u8>,
}

impl<W: std::io::Write> Finishing<W> {
    pub fn new(inner: W, ascii: bool) -> Finishing<W> {
        Finishing {
            inner,
            ascii,
            pending: Vec::new(),
        }
    }
}

impl<W: std::io::Write> std::io::Write for Finishing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        let complete = match std::str::from_utf8(&self.pending) {
            Ok(_) => self.pending.len(),
            // An incomplete character at the end waits; anything else invalid goes through as is.
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(_) => {
                let bytes = std::mem::take(&mut self.pending);
                self.inner.write_all(&bytes)?;
                return Ok(buf.len());
            }
        };
        let text = String::from_utf8_lossy(&self.pending[..complete]).into_owned();
        self.inner.write_all(finish(&text, self.ascii).as_bytes())?;
        self.pending.drain(..complete);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// One of lumbar's glyphs in ASCII. Anything lumbar writes that has no ASCII form here becomes
/// `?`, so a locale that cannot show it never gets a byte it cannot show.
fn fold_char(c: char) -> &'static str {
    match c {
        '·' | '•' | '–' | '‐' | '‑' | '−' | '─' | '━' => "-",
        '—' => "--",
        '…' => "...",
        '→' | '⟶' => "->",
        '←' => "<-",
        '×' => "x",
        '÷' => "/",
        '≈' | '∼' => "~",
        '±' => "+/-",
        '≥' => ">=",
        '≤' => "<=",
        '≠' => "!=",
        '√' => "sqrt",
        '°' => " deg",
        '✓' | '✔' => "+",
        '✗' | '✘' => "x",
        '●' | '◆' | '★' => "*",
        '○' | '◇' => "o",
        '░' => ".",
        '▒' | '▓' => ":",
        '█' | '▉' | '▊' | '▋' | '▌' | '▍' | '▎' | '▏' | '■' => "#",
        '│' | '┃' => "|",
        '‘' | '’' | '‚' | '′' => "'",
        '“' | '”' | '„' | '«' | '»' | '″' => "\"",
        '\u{a0}' | '\u{2009}' | '\u{202f}' | '\u{2002}' | '\u{2003}' => " ",
        '\u{200b}' | '\u{2060}' | '\u{feff}' => "",
        'φ' => "phi",
        'µ' | 'μ' => "u",
        _ => "?",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn our_glyphs_fold_and_marked_text_stays() {
        assert_eq!(fold("5 km · 28:30 → ok – fine…"), "5 km - 28:30 -> ok - fine...");
        assert_eq!(fold("██▌░░ ●●·"), "###.. **-");
        assert_eq!(fold("“quoted” ‘x’"), "\"quoted\" 'x'");
        let typed = format!("shoe {} · ok", mark("Pégasus → blå"));
        assert_eq!(finish(&typed, true), "shoe Pégasus → blå - ok");
        assert_eq!(finish(&typed, false), "shoe Pégasus → blå · ok");
        assert!(finish("ASCII only", true).is_ascii());
        assert!(matches!(finish("plain · text", false), Cow::Borrowed(_)));
        assert!(matches!(finish("plain text", true), Cow::Borrowed(_)));
    }

    #[test]
    fn every_char_lumbar_writes_folds_to_ascii() {
        let ours = include_str!("../../data/advice.json").to_string()
            + include_str!("../../data/routines.json")
            + include_str!("../../data/redflags.json")
            + "·•–—…→×÷≈±≥≤√°✓●░█▉▊▋▌▍▎▏─‘’“”";
        assert!(fold(&ours).is_ascii());
        for c in ours.chars().filter(|c| !c.is_ascii()) {
            assert_ne!(fold_char(c), "?", "{c} has no ASCII form");
        }
    }

    #[test]
    fn a_finishing_stream_folds_what_passes_through() {
        use std::io::Write;
        let mut out = Finishing::new(Vec::new(), true);
        let bytes = "a → b · c".as_bytes();
        // Split inside the arrow's three bytes.
        out.write_all(&bytes[..3]).unwrap();
        out.write_all(&bytes[3..]).unwrap();
        assert_eq!(String::from_utf8(out.inner).unwrap(), "a -> b - c");
    }

    #[test]
    fn nested_and_unbalanced_marks() {
        let inner = format!("error: {}", mark("nöte"));
        let outer = format!("{} · {}", mark(&inner), "→");
        assert_eq!(finish(&outer, true), "error: nöte - ->");
        assert_eq!(finish("\u{fdd1}stray · end", true), "stray - end");
        assert_eq!(finish("\u{fdd0}open · to the end", true), "open · to the end");
        assert_eq!(unmark(&mark("x → y")), "x → y");
    }
}
