//! Errors that decide the exit code.
//!
//! Application code uses `anyhow`; the two kinds the exit code depends on are typed here:
//! [`InputError`] (something the person typed: exit 2) and [`UsageError`] (a request we cannot
//! serve as asked, such as a prompt off a terminal: exit 2). Everything else exits 1.

use std::fmt;
use std::process::ExitCode;

/// A value a person typed that we cannot accept. Names the field, echoes the value,
/// and says what is accepted (and, for names, the closest valid one).
#[derive(Debug, Clone, PartialEq)]
pub struct InputError {
    pub field: String,
    pub value: String,
    pub expected: String,
    pub forms: Option<String>,
    pub suggestion: Option<String>,
}

impl InputError {
    pub fn new(field: &str, value: &str, expected: &str) -> Self {
        InputError {
            field: field.to_string(),
            value: value.to_string(),
            expected: expected.to_string(),
            forms: None,
            suggestion: None,
        }
    }

    pub fn with_forms(mut self, forms: &str) -> Self {
        self.forms = Some(forms.to_string());
        self
    }

    /// For names: the valid name closest to what was typed, if any is close.
    pub fn suggesting(mut self, candidates: &[&str]) -> Self {
        self.suggestion = closest(&self.value, candidates).map(str::to_string);
        self
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The value was typed or read from a file, and `expected` may name shoes: shown with
        // control characters escaped, so nothing in them can drive the terminal.
        use crate::output::text::escape;
        if self.value.trim().is_empty() {
            write!(
                f,
                "{}: a value is needed; expected {}",
                self.field,
                escape(&self.expected)
            )?;
        } else {
            write!(
                f,
                "{} '{}' is not valid; expected {}",
                self.field,
                escape(&self.value),
                escape(&self.expected)
            )?;
        }
        if let Some(forms) = &self.forms {
            write!(f, " (accepted forms: {})", escape(forms))?;
        }
        if let Some(s) = &self.suggestion {
            write!(f, "\n  did you mean '{}'?", escape(s))?;
        }
        Ok(())
    }
}

impl std::error::Error for InputError {}

/// A request that cannot be served as given (exit 2), e.g. a confirmation needed off a terminal.
#[derive(Debug)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// Ends the process with a code and no further message (the command already said what it had to).
#[derive(Debug)]
pub struct SilentExit(pub u8);

impl fmt::Display for SilentExit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "exit {}", self.0)
    }
}

impl std::error::Error for SilentExit {}

/// The documented exit codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    Ok = 0,
    Failure = 1,
    BadInput = 2,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e as u8)
    }
}

/// Picks the exit code for an error anywhere in the chain.
pub fn exit_code_for(err: &anyhow::Error) -> ExitCode {
    for cause in err.chain() {
        if let Some(SilentExit(code)) = cause.downcast_ref::<SilentExit>() {
            return ExitCode::from(*code);
        }
        if cause.is::<InputError>() || cause.is::<UsageError>() {
            return Exit::BadInput.into();
        }
    }
    Exit::Failure.into()
}

/// True when the error is a closed stdout (e.g. `lumbar run list | head`), which is not a failure.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        let io = c.downcast_ref::<std::io::Error>().map(std::io::Error::kind);
        // serde_json wraps the I/O error of a writer it was streaming into.
        let json = c
            .downcast_ref::<serde_json::Error>()
            .and_then(serde_json::Error::io_error_kind);
        io.or(json) == Some(std::io::ErrorKind::BrokenPipe)
    })
}

/// The candidate nearest to `typed` by edit distance or prefix, when it is plausibly a typo.
pub fn closest<'a>(typed: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let typed = typed.trim().to_ascii_lowercase();
    if typed.is_empty() {
        return None;
    }
    if let Some(c) = candidates.iter().find(|c| c.starts_with(&typed)) {
        return Some(c);
    }
    candidates
        .iter()
        .map(|c| (strsim::damerau_levenshtein(&typed, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_name() {
        let names = ["concrete", "asphalt", "track", "trail"];
        assert_eq!(closest("concret", &names), Some("concrete"));
        assert_eq!(closest("trak", &names), Some("track"));
        assert_eq!(closest("asp", &names), Some("asphalt"));
        assert_eq!(closest("zzzzzzzz", &names), None);
    }

    #[test]
    fn message_names_field_value_and_forms() {
        let e = InputError::new("surface", "grss", "one of grass, sand").suggesting(&["grass", "sand"]);
        let text = e.to_string();
        assert!(text.contains("surface 'grss'"), "{text}");
        assert!(text.contains("one of grass, sand"), "{text}");
        assert!(text.contains("did you mean 'grass'"), "{text}");
    }
}
