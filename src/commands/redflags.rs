//! `lumbar redflags`.

use anyhow::{Result, bail};

use super::Ctx;
use crate::cli::RedflagsArgs;

pub fn run(_ctx: &mut Ctx, _a: RedflagsArgs) -> Result<()> {
    bail!("`lumbar redflags` is not built yet")
}
