//! `lumbar stats`.

use anyhow::{Result, bail};

use super::Ctx;
use crate::cli::StatsArgs;

pub fn run(_ctx: &mut Ctx, _a: StatsArgs) -> Result<()> {
    bail!("`lumbar stats` is not built yet")
}
