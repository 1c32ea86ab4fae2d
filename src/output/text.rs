//! Text helpers every renderer shares: one word wrap (on `textwrap`) and the escaping of text
//! that came from outside lumbar (notes, names, file paths, rejected values) before it reaches a
//! terminal.

use std::borrow::Cow;

use super::glyphs::{USER_END, USER_START};

/// The width prose is wrapped to when the terminal's is not known.
pub const DEFAULT_WIDTH: usize = 80;

/// A no-break space stands in for the spaces of a `quoted command` while wrapping, so the
/// command is never split across lines; it is turned back into a space afterwards.
const HOLD: char = '\u{a0}';

/// Wraps `text` to `width` columns at spaces, with `first` in front of the first line and
/// `rest` in front of the others. A word longer than the line stays whole rather than being
/// cut, and a `command in backticks` is kept on one line.
pub fn wrap_lines(text: &str, width: usize, first: &str, rest: &str) -> Vec<String> {
    let (first, rest) = (spaced(first), spaced(rest));
    let held = hold_quoted(text);
    let options = textwrap::Options::new(width.max(first.chars().count() + 1))
        .initial_indent(&first)
        .subsequent_indent(&rest)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .break_words(false);
    // textwrap keeps runs of spaces; prose here never means them. (ASCII only: the held
    // no-break spaces must survive.)
    let words = held.split_ascii_whitespace().collect::<Vec<_>>().join(" ");
    textwrap::wrap(&words, options)
        .into_iter()
        .map(|l| l.replace(HOLD, " "))
        .collect()
}

/// [`wrap_lines`] at [`DEFAULT_WIDTH`], joined with newlines.
pub fn wrap(text: &str, first: &str, rest: &str) -> String {
    wrap_lines(text, DEFAULT_WIDTH, first, rest).join("\n")
}

/// A prefix that is not empty gets a space after it, so `"  -"` reads as a bullet.
fn spaced(prefix: &str) -> String {
    if prefix.is_empty() || prefix.ends_with(' ') {
        prefix.to_string()
    } else {
        format!("{prefix} ")
    }
}

/// The spaces inside backticks become [`HOLD`].
fn hold_quoted(text: &str) -> String {
    let mut open = false;
    text.chars()
        .map(|c| {
            if c == '`' {
                open = !open;
            }
            if open && c == ' ' { HOLD } else { c }
        })
        .collect()
}

/// Text from outside lumbar made safe for a terminal: control characters (escape sequences,
/// carriage returns, bells, and the C1 and bidirectional-override characters that can reorder
/// or hide what is shown) are written as visible escapes such as `\u{1b}`. Printable text,
/// non-ASCII letters included, is left exactly as typed: when it holds a character beyond ASCII
/// that is not one of lumbar's own glyphs, it is marked as text from outside (see
/// [`super::glyphs`]), so the ASCII folding under a locale that is not UTF-8 leaves it alone.
/// (Text that holds only ASCII and lumbar's glyphs is not marked: a sentence of ours with a name
/// in it may be escaped whole and still be folded.) Text already marked is not marked again.
pub fn escape(text: &str) -> Cow<'_, str> {
    let mark =
        text.chars().any(|c| !c.is_ascii() && !super::glyphs::is_ours(c)) && !text.contains([USER_START, USER_END]);
    if !mark && !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) => out.push_str(&c.escape_unicode().to_string()),
            c => out.push(c),
        }
    }
    // Marked only when what is shown holds something beyond ASCII (escapes are ASCII).
    Cow::Owned(if mark && !out.is_ascii() {
        super::glyphs::mark(&out)
    } else {
        out
    })
}

fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_within_the_width_with_prefixes() {
        let text = "word ".repeat(60);
        let lines = wrap_lines(&text, 40, "  -", "    ");
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| l.chars().count() <= 40), "{lines:?}");
        assert!(lines[0].starts_with("  - word"));
        assert!(lines[1].starts_with("    word"));
        assert_eq!(lines.iter().map(|l| l.matches("word").count()).sum::<usize>(), 60);
        assert_eq!(wrap("a b", "  -", "    "), "  - a b");
        assert_eq!(wrap("a  b\n c", "", ""), "a b c");
    }

    #[test]
    fn keeps_quoted_commands_and_long_words_whole() {
        let text = format!("{} see `lumbar config set age N` for more", "word ".repeat(12));
        let lines = wrap_lines(&text, 40, "", "");
        assert!(
            lines.iter().any(|l| l.contains("`lumbar config set age N`")),
            "{lines:?}"
        );
        assert_eq!(wrap_lines("aaaa not-improving", 12, "", ""), ["aaaa", "not-improving"]);
        let long = "x".repeat(50);
        assert_eq!(
            wrap_lines(&format!("a {long} b"), 20, "", ""),
            ["a", long.as_str(), "b"]
        );
    }

    #[test]
    fn escapes_control_characters_only() {
        assert_eq!(
            escape("Pegasus 41 — blå"),
            super::super::glyphs::mark("Pegasus 41 — blå")
        );
        assert_eq!(
            escape("ours · only"),
            "ours · only",
            "lumbar's glyphs alone are not marked"
        );
        assert_eq!(escape(&escape("blå")), escape("blå"), "marked once");
        assert!(matches!(escape("plain"), Cow::Borrowed(_)));
        assert_eq!(escape("a\u{1b}[31mred"), "a\\u{1b}[31mred");
        assert_eq!(escape("line\nnext\r"), "line\\nnext\\r");
        assert_eq!(escape("\u{7}\u{9b}"), "\\u{7}\\u{9b}");
        assert_eq!(escape("abc\u{202e}def"), "abc\\u{202e}def");
    }
}
