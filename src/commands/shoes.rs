//! `lumbar shoes`.

use anyhow::{Result, bail};

use super::Ctx;
use crate::cli::ShoesArgs;

pub fn run(_ctx: &mut Ctx, _a: ShoesArgs) -> Result<()> {
    bail!("`lumbar shoes` is not built yet")
}
