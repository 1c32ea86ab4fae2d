//! The pain conditions of the lights (EVIDENCE.md section 6): the pain-monitoring model of
//! tendon rehabilitation (Thomeé 1997; Silbernagel 2007), stricter (it holds at 3/10) and
//! untested for back pain.
//!
//! - Every entry of 6 or more is a `rest` condition until *settled* (a later entry, 12 h or more
//!   after it and not `--when during`, of 2 or less), or until *unstuck* (the last 72 h hold
//!   entries, all of 5 or less: `hold` with walk-run). A settled `rest` condition is a `hold`
//!   condition until the next run after the settling entry.
//! - Whatever settles or unsticks: 6 or more in the last 48 h, or 7 or more in the last 7
//!   days, is `rest`.
//! - `hold`: 3–5 in an entry of the last run or of the last 48 h; next-day pain above the
//!   pre-run level; no entry for the last run with 3 or more logged in 14 days; `pain-rising`.

use chrono::{DateTime, Duration, FixedOffset};

use super::{EntryRef, Moment, Reason};
use crate::model::{Pain, Timing};
use crate::rules::pain::rising;
use crate::rules::thresholds as th;

/// What the pain says at one moment.
#[derive(Debug, Default)]
pub(crate) struct Found {
    pub reasons: Vec<Reason>,
    /// The unsettled painful entry a `hold` with walk-run counts from, when unstuck.
    pub unstuck_from: Option<DateTime<FixedOffset>>,
    /// Resting for pain that nothing has settled, with no entry in the last 72 h.
    pub ask_how: bool,
}

/// Whether an entry can settle a condition: 2/10 or less, not logged during a run.
pub fn settles(p: &Pain) -> bool {
    p.level.0 <= th::SETTLED_LEVEL && p.when != Some(Timing::During)
}

/// The latest settling entry of `pain` (in time order).
fn latest_settler(pain: &[Pain]) -> Option<&Pain> {
    pain.iter().rev().find(|p| settles(p))
}

/// Unstuck: the last 72 h hold at least one entry and none above 5/10. The count and the worst.
fn unstuck(m: &Moment) -> Option<(usize, u8)> {
    let window = m.pain_after(m.at - Duration::hours(th::UNSTICK_HOURS));
    let worst = window.iter().map(|p| p.level.0).max()?;
    (worst <= th::UNSTICK_MAX_LEVEL).then_some((window.len(), worst))
}

/// Keeps, of the reasons of one kind, the one about the worst entry (the latest among equals).
fn worst_of(found: &mut Vec<Reason>, candidate: Reason) {
    let key = |r: &Reason| match r {
        Reason::PainAfterLastRun { entry, .. }
        | Reason::PainLast48h { entry, .. }
        | Reason::SeverePainThisWeek { entry, .. }
        | Reason::NotSettled { entry }
        | Reason::Unstuck { entry, .. }
        | Reason::Settled { entry, .. }
        | Reason::ModeratePainAfterLastRun { entry, .. }
        | Reason::ModeratePainLast48h { entry, .. } => Some((entry.level, entry.at)),
        _ => None,
    };
    let same = found
        .iter()
        .position(|r| std::mem::discriminant(r) == std::mem::discriminant(&candidate));
    match same {
        Some(i) if key(&found[i]) >= key(&candidate) => {}
        Some(i) => found[i] = candidate,
        None => found.push(candidate),
    }
}

/// Every pain condition that holds at the moment.
pub(crate) fn conditions(m: &Moment) -> Found {
    let mut out = Found::default();
    let mut reasons = Vec::new();
    let last = m.last_run();
    let of_last: Vec<&Pain> = last.map(|(i, _)| m.entries_of(i).collect()).unwrap_or_default();
    let belongs_to_last = |p: &Pain| of_last.iter().any(|q| q.id == p.id);

    // `rest` conditions: every entry of 6 or more that is recent, or not settled, or settled
    // with no run since the settling entry.
    let recent_from = m.at - Duration::hours(th::RECENT_HOURS);
    let week_from = m.at - Duration::days(th::PAIN_SEVERE_DAYS);
    let settle_gap = Duration::hours(th::SETTLE_AFTER_HOURS);
    let latest = latest_settler(m.pain).map(|p| p.at);
    // The latest settling entry before the last run started: a condition it settled has had a
    // run since, so only entries after it (less 12 h) can still matter, beyond the windows.
    let before_last_run = last.and_then(|(_, r)| latest_settler(&m.pain[..m.pain.partition_point(|p| p.at < r.start)]));
    let matters_from = before_last_run.map(|s| s.at - settle_gap);
    let candidates = match matters_from {
        Some(from) => m.pain_after(from.min(week_from)),
        None => m.pain,
    };
    let unstuck_now = unstuck(m);
    for p in candidates.iter().filter(|p| p.level.0 >= th::REST_LEVEL) {
        let entry = EntryRef::of(p);
        if p.at > recent_from {
            worst_of(
                &mut reasons,
                Reason::PainLast48h {
                    entry,
                    hours: th::RECENT_HOURS,
                },
            );
        }
        if p.level.0 >= th::PAIN_SEVERE_LEVEL && p.at > week_from {
            worst_of(
                &mut reasons,
                Reason::SeverePainThisWeek {
                    entry,
                    days: th::PAIN_SEVERE_DAYS,
                },
            );
        }
        if matters_from.is_some_and(|from| p.at <= from) {
            continue; // settled, and a run since
        }
        let settled = latest.is_some_and(|l| l >= p.at + settle_gap);
        if settled {
            // The first entry that settled it (the run-since test above ensures no run after it).
            let by = m
                .pain_from(p.at + settle_gap)
                .iter()
                .find(|q| settles(q))
                .expect("a settling entry exists");
            worst_of(
                &mut reasons,
                Reason::Settled {
                    entry,
                    settled_by: EntryRef::of(by),
                },
            );
        } else if let Some((entries, worst)) = unstuck_now {
            worst_of(
                &mut reasons,
                Reason::Unstuck {
                    entry,
                    hours: th::UNSTICK_HOURS,
                    entries,
                    worst,
                },
            );
            let from = out.unstuck_from.get_or_insert(p.at);
            *from = (*from).min(p.at);
        } else {
            match last {
                Some((_, r)) if belongs_to_last(p) => {
                    worst_of(&mut reasons, Reason::PainAfterLastRun { run_id: r.id, entry })
                }
                _ => worst_of(&mut reasons, Reason::NotSettled { entry }),
            }
            out.ask_how = m.pain_after(m.at - Duration::hours(th::UNSTICK_HOURS)).is_empty();
        }
    }

    // `hold` conditions.
    let moderate = |p: &&Pain| (th::HOLD_LEVEL..th::REST_LEVEL).contains(&p.level.0);
    if let Some((i, r)) = last {
        if let Some(p) = of_last.iter().copied().filter(moderate).max_by_key(|p| (p.level, p.at)) {
            reasons.push(Reason::ModeratePainAfterLastRun {
                run_id: r.id,
                entry: EntryRef::of(p),
            });
        }
        if let Some(nd) = m.next_day(i) {
            let pre = m.pre_run(i);
            if nd.level.0 > pre.map_or(th::PRE_RUN_DEFAULT, |p| p.level.0) {
                reasons.push(Reason::NextDayAbovePreRun {
                    run_id: r.id,
                    next_day: EntryRef::of(nd),
                    pre_run: pre.map(EntryRef::of),
                });
            }
        }
        if of_last.is_empty() {
            let from = m.at - Duration::days(th::NO_ENTRY_PAIN_DAYS);
            if let Some(p) = m
                .pain_after(from)
                .iter()
                .filter(|p| p.level.0 >= th::HOLD_LEVEL)
                .max_by_key(|p| (p.level, p.at))
            {
                reasons.push(Reason::NoEntryAfterLastRun {
                    run_id: r.id,
                    entry: EntryRef::of(p),
                    days: th::NO_ENTRY_PAIN_DAYS,
                });
            }
        }
    }
    if let Some(p) = m
        .pain_after(recent_from)
        .iter()
        .filter(moderate)
        .max_by_key(|p| (p.level, p.at))
    {
        reasons.push(Reason::ModeratePainLast48h {
            entry: EntryRef::of(p),
            hours: th::RECENT_HOURS,
        });
    }
    if let Some(r) = rising(m.pain, m.at, th::PAIN_RISING_POINTS) {
        reasons.push(Reason::PainRising {
            recent_mean: r.recent_mean,
            previous_mean: r.previous_mean,
            days: r.days,
        });
    }
    out.reasons = reasons;
    out
}
