//! `lumbar routine`.

use anyhow::{Result, bail};

use super::Ctx;
use crate::cli::RoutineArgs;

pub fn run(_ctx: &mut Ctx, _a: RoutineArgs) -> Result<()> {
    bail!("`lumbar routine` is not built yet")
}
