//! `lumbar import`.

use anyhow::{Result, bail};

use super::Ctx;
use crate::cli::ImportArgs;

pub fn run(_ctx: &mut Ctx, _a: ImportArgs) -> Result<()> {
    bail!("`lumbar import` is not built yet")
}
