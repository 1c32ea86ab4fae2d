use std::process::ExitCode;

use lumbar::error::{exit_code_for, is_broken_pipe};

fn main() -> ExitCode {
    // Before anything asks chrono for the local time: it reads the whole file TZ names.
    if let Some(why) = lumbar::fsutil::time_zone_problem(std::env::var("TZ").ok().as_deref()) {
        let ascii = !lumbar::settings::locale_is_utf8();
        eprintln!("warning: {}", lumbar::output::glyphs::finish(&why, ascii));
        // SAFETY: no other thread has started yet. An empty TZ is UTC to chrono.
        unsafe { std::env::set_var("TZ", "") };
    }
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
