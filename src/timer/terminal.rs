//! The terminal front end: reads the clock and the keyboard, feeds them to the session, and draws
//! what the session's view describes. The only part of the timer that touches the terminal.

use std::io::Write;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use super::render::render;
use super::session::{Key, Session, Summary};
use crate::content::Routine;

/// What a key on the keyboard means, if anything.
pub fn key_for(event: &crossterm::event::KeyEvent) -> Option<Key> {
    use crossterm::event::{KeyCode, KeyEventKind, KeyModifiers};
    if event.kind == KeyEventKind::Release {
        return None;
    }
    match event.code {
        KeyCode::Char('c') if event.modifiers.contains(KeyModifiers::CONTROL) => Some(Key::Quit),
        KeyCode::Enter | KeyCode::Char(' ') => Some(Key::Next),
        KeyCode::Char('s') | KeyCode::Char('S') => Some(Key::Skip),
        KeyCode::Char('q') | KeyCode::Char('Q') | KeyCode::Esc => Some(Key::Quit),
        _ => None,
    }
}

/// Puts the terminal in raw mode on an alternate screen, and restores it when dropped (also on
/// an early return or a panic), so the runner's shell is never left broken.
struct Screen;

impl Screen {
    fn enter() -> Result<Screen> {
        crossterm::terminal::enable_raw_mode().context("cannot switch the terminal to raw mode")?;
        let screen = Screen;
        crossterm::execute!(
            std::io::stdout(),
            crossterm::terminal::EnterAlternateScreen,
            crossterm::cursor::Hide
        )
        .context("cannot prepare the terminal")?;
        Ok(screen)
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        let _ = crossterm::execute!(
            std::io::stdout(),
            crossterm::cursor::Show,
            crossterm::terminal::LeaveAlternateScreen
        );
        let _ = crossterm::terminal::disable_raw_mode();
    }
}

fn draw(lines: &[String], beep: bool) -> Result<()> {
    use crossterm::{cursor, queue, terminal};
    let mut out = std::io::stdout().lock();
    queue!(out, cursor::MoveTo(0, 0), terminal::Clear(terminal::ClearType::All))?;
    if beep {
        out.write_all(b"\x07")?;
    }
    for line in lines {
        // Raw mode: a newline does not return the carriage.
        write!(out, "{line}\r\n")?;
    }
    out.flush()?;
    Ok(())
}

/// Runs a session on the real terminal and clock; returns how it went.
pub fn run_on_terminal(routine: &Routine, utf8: bool) -> Result<Summary> {
    use crossterm::event::{self, Event};
    let screen = Screen::enter()?;
    let mut session = Session::new(routine);
    let mut last = Instant::now();
    let mut shown: Option<Vec<String>> = None;
    let mut beep = false;
    while !session.is_finished() {
        let width = crossterm::terminal::size().map(|(w, _)| usize::from(w)).unwrap_or(80);
        let lines: Vec<String> = render(&session.view(), width.saturating_sub(1), utf8)
            .iter()
            .map(|l| crate::output::glyphs::finish(l, !utf8).into_owned())
            .collect();
        if shown.as_ref() != Some(&lines) {
            draw(&lines, beep)?;
            beep = false;
            shown = Some(lines);
        }
        // Wake for the next second of a countdown, but also often enough to feel responsive.
        let wait = session
            .until_next_tick()
            .unwrap_or(Duration::from_millis(250))
            .min(Duration::from_millis(250));
        if event::poll(wait)? {
            match event::read()? {
                Event::Key(k) => {
                    if let Some(key) = key_for(&k) {
                        let now = Instant::now();
                        beep |= session.elapse(now - last);
                        last = now;
                        session.press(key);
                    }
                }
                // Force a full redraw at the new size.
                Event::Resize(..) => shown = None,
                _ => {}
            }
        }
        let now = Instant::now();
        beep |= session.elapse(now - last);
        last = now;
    }
    drop(screen);
    Ok(session.summary())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_map_to_actions() {
        use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
        let k = |code, mods| KeyEvent::new(code, mods);
        assert_eq!(key_for(&k(KeyCode::Enter, KeyModifiers::NONE)), Some(Key::Next));
        assert_eq!(key_for(&k(KeyCode::Char('s'), KeyModifiers::NONE)), Some(Key::Skip));
        assert_eq!(key_for(&k(KeyCode::Char('q'), KeyModifiers::NONE)), Some(Key::Quit));
        assert_eq!(key_for(&k(KeyCode::Esc, KeyModifiers::NONE)), Some(Key::Quit));
        assert_eq!(key_for(&k(KeyCode::Char('c'), KeyModifiers::CONTROL)), Some(Key::Quit));
        assert_eq!(key_for(&k(KeyCode::Char('x'), KeyModifiers::NONE)), None);
        let mut release = k(KeyCode::Enter, KeyModifiers::NONE);
        release.kind = KeyEventKind::Release;
        assert_eq!(key_for(&release), None);
    }
}
