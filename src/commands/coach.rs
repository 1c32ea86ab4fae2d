//! `lumbar coach`.

use anyhow::{Result, bail};

use super::Ctx;
use crate::cli::CoachArgs;

pub fn run(_ctx: &mut Ctx, _a: CoachArgs) -> Result<()> {
    bail!("`lumbar coach` is not built yet")
}
