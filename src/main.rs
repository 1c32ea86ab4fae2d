use std::process::ExitCode;

use lumbar::error::{exit_code_for, is_broken_pipe};

fn main() -> ExitCode {
    let cli = lumbar::launch::parse();
    match lumbar::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            if !e.chain().any(|c| c.is::<lumbar::error::SilentExit>()) {
                lumbar::launch::print_error(&e);
            }
            exit_code_for(&e)
        }
    }
}
