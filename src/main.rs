use std::process::ExitCode;

use clap::Parser;
use lumbar::error::{exit_code_for, is_broken_pipe};

fn main() -> ExitCode {
    // Before anything asks chrono for the local time: it reads the whole file TZ names.
    if let Some(why) = lumbar::fsutil::time_zone_problem(std::env::var("TZ").ok().as_deref()) {
        eprintln!("warning: {why}");
        // SAFETY: no other thread has started yet. An empty TZ is UTC to chrono.
        unsafe { std::env::set_var("TZ", "") };
    }
    let cli = match lumbar::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => exit_for(e),
    };
    match lumbar::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            if !e.chain().any(|c| c.is::<lumbar::error::SilentExit>()) {
                // Each line with control characters escaped: a message may quote a file's content.
                let text = format!("{e:#}");
                let safe: Vec<_> = text.split('\n').map(lumbar::output::text::escape).collect();
                eprintln!("error: {}", safe.join("\n"));
            }
            exit_code_for(&e)
        }
    }
}

/// clap's own errors quote what was typed, and its coloured form would pass an escape sequence
/// in an argument straight to the terminal. When an argument holds a control character, the
/// error is printed plain with control characters escaped; otherwise as clap prints it.
fn exit_for(e: clap::Error) -> ! {
    use lumbar::output::text::escape;
    let typed_controls = std::env::args_os().any(|a| {
        let a = a.to_string_lossy();
        escape(&a) != a
    });
    if !e.use_stderr() || !typed_controls {
        e.exit()
    }
    let plain = e.render().to_string();
    let safe: Vec<_> = plain.split('\n').map(escape).collect();
    eprint!("{}", safe.join("\n"));
    std::process::exit(e.exit_code())
}
