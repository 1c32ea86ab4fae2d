//! `lumbar export`.

use anyhow::{Result, bail};

use super::Ctx;
use crate::cli::ExportArgs;

pub fn run(_ctx: &mut Ctx, _a: ExportArgs) -> Result<()> {
    bail!("`lumbar export` is not built yet")
}
