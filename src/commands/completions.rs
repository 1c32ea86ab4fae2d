//! `lumbar completions SHELL` and `lumbar man`.

use anyhow::{Result, bail};

use crate::cli::CompletionsArgs;

pub fn completions(_a: CompletionsArgs) -> Result<()> {
    bail!("`lumbar completions` is not built yet")
}

pub fn man() -> Result<()> {
    bail!("`lumbar man` is not built yet")
}
