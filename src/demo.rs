//! A realistic, seeded example history: runs, shoes and pain entries, ending today.
//!
//! The same seed and the same "now" give the same history, so a newcomer can follow the
//! README and a benchmark can build a store of any size in a moment.

use chrono::{DateTime, Datelike, Duration as ChronoDuration, FixedOffset, Local, NaiveDate, NaiveTime, TimeZone};

use crate::model::{Area, Data, Pain, PainLevel, Rpe, Run, Shoe, Side, Surface, Timing};

/// About how many weeks one pair of shoes lasts this runner.
const WEEKS_PER_PAIR: u32 = 43;

const SURFACES: &[(Surface, u32)] = &[
    (Surface::Asphalt, 34),
    (Surface::Concrete, 10),
    (Surface::Trail, 18),
    (Surface::Grass, 10),
    (Surface::Dirt, 10),
    (Surface::Track, 6),
    (Surface::Treadmill, 6),
    (Surface::Mixed, 6),
];

const SHOE_NAMES: &[&str] = &[
    "Pegasus",
    "Ghost",
    "Clifton",
    "Novablast",
    "Speedgoat",
    "Kinvara",
    "Cloudmonster",
    "Endorphin",
];

/// Builds `weeks` weeks of history ending at `now` (nothing after it).
pub fn generate(weeks: u32, seed: u64, now: DateTime<FixedOffset>) -> Data {
    let today = now.date_naive();
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut data = Data::default();
    let first_monday = today
        - ChronoDuration::days(today.weekday().num_days_from_monday() as i64)
        - ChronoDuration::weeks(weeks as i64 - 1);

    let pairs = (weeks / WEEKS_PER_PAIR + 1).max(2);
    let mut shoe_ids = Vec::new();
    for i in 0..pairs {
        let name = format!("{} {}", SHOE_NAMES[i as usize % SHOE_NAMES.len()], 30 + i);
        // Pairs are counted back from the newest, which covers the last weeks.
        let first_week = weeks.saturating_sub((pairs - i) * WEEKS_PER_PAIR);
        let added = local(first_monday + ChronoDuration::weeks(first_week as i64), 8, 0);
        shoe_ids.push(data.add_shoe(Shoe {
            id: 0,
            name,
            start_m: 0.0,
            limit_m: None,
            default: false,
            retired: false,
            added: Some(added),
            removed: false,
        }));
    }
    if let Some(last) = data.shoes.last_mut() {
        last.default = true;
    }

    for w in 0..weeks {
        let monday = first_monday + ChronoDuration::weeks(w as i64);
        // Volume drifts with the seasons and a training cycle; the final weeks build sharply.
        let season = (w as f64 / 26.0 * std::f64::consts::PI).sin();
        let mut week_km = 38.0 + 12.0 * season + rng.f64() * 8.0;
        let building = weeks >= 4 && w + 2 >= weeks;
        if building {
            week_km *= 1.45;
        }
        let days_running = if building { 7 } else { 5 + rng.usize(0..3) };
        let mut days: Vec<u32> = (0..7).collect();
        rng.shuffle(&mut days);
        let mut days: Vec<u32> = days.into_iter().take(days_running).collect();
        days.sort_unstable();
        let doubles = if rng.f64() < 0.6 { 1 + rng.usize(0..2) } else { 0 };
        // Counted back from the newest pair, so the last weeks are always in the default pair.
        let shoe_index = shoe_ids
            .len()
            .saturating_sub(1 + ((weeks - 1 - w) / WEEKS_PER_PAIR) as usize);
        for (i, &d) in days.iter().enumerate() {
            let day = monday + ChronoDuration::days(d as i64);
            if day > today {
                continue;
            }
            let long = i + 1 == days.len();
            let share = if long {
                0.3
            } else {
                0.7 / (days.len() - 1).max(1) as f64
            };
            let sessions = if i < doubles && !long { 2 } else { 1 };
            for s in 0..sessions {
                let km = (week_km * share / sessions as f64 * (0.85 + rng.f64() * 0.3)).max(2.0);
                let hour = if s == 0 { 6 + rng.u32(0..4) } else { 17 + rng.u32(0..3) };
                let start = local(day, hour, rng.u32(0..60));
                if start > now {
                    continue;
                }
                let pace = 285.0 + rng.f64() * 95.0 + if long { 15.0 } else { 0.0 };
                // The second pair in rotation takes some of the runs.
                let shoe = if shoe_index > 0 && rng.f64() < 0.3 {
                    shoe_ids[shoe_index - 1]
                } else {
                    shoe_ids[shoe_index]
                };
                let warmup = pick3(&mut rng, if building { 0.45 } else { 0.82 }, 0.1);
                let run = Run {
                    id: 0,
                    start,
                    distance_m: (km * 1000.0).round(),
                    duration_s: (km * pace).round() as u64,
                    moving_s: None,
                    surface: Some(weighted(&mut rng, SURFACES)),
                    warmup,
                    stretch: pick3(&mut rng, 0.65, 0.15),
                    shoe_id: Some(shoe),
                    rpe: (rng.f64() < 0.7).then(|| Rpe(if long { 6 + rng.u8(0..3) } else { 3 + rng.u8(0..4) })),
                    notes: None,
                    source: None,
                    avg_hr: None,
                    avg_cadence: None,
                };
                let hard = run.surface.is_some_and(Surface::is_hard);
                let skipped = run.warmup == Some(false);
                let run_end = run.end();
                let run_id = data.add_run(run);
                // Most runs get a pain note soon after; skipped warm-ups and hard surfaces hurt more.
                if rng.f64() < 0.97 {
                    let mut level = rng.u8(0..3) as i32
                        + if skipped { 2 } else { 0 }
                        + if hard { 1 } else { 0 }
                        + if building { 2 } else { 0 };
                    if rng.f64() < 0.03 {
                        level += 3;
                    }
                    let when = if rng.f64() < 0.75 {
                        Timing::After
                    } else {
                        Timing::NextDay
                    };
                    let at = run_end
                        + ChronoDuration::minutes(if when == Timing::After {
                            20 + rng.i64(0..90)
                        } else {
                            14 * 60
                        });
                    if at <= now {
                        data.add_pain(Pain {
                            id: 0,
                            at,
                            level: PainLevel(level.clamp(0, 10) as u8),
                            area: if rng.f64() < 0.85 {
                                Area::LowerBack
                            } else {
                                Area::Buttock
                            },
                            side: weighted(&mut rng, &[(Side::Center, 70), (Side::Left, 15), (Side::Right, 15)]),
                            when: Some(when),
                            run_id: Some(run_id),
                            symptoms: if level >= 4 {
                                vec!["stiffness".into()]
                            } else {
                                Vec::new()
                            },
                            notes: None,
                        });
                    }
                }
            }
        }
    }
    // The newest pair came with miles on it, so the shoe nudge has something to say: it ends
    // the history at 88 % of its limit.
    let newest = *shoe_ids.last().expect("at least two pairs");
    let worn = crate::shoes::mileage(&data, newest);
    if let Some(last) = data.shoes.last_mut() {
        last.start_m = (0.88 * data.config.shoe_limit_m - worn).max(0.0).round();
    }
    // Pairs older than the two in rotation are retired.
    let n = data.shoes.len();
    for s in data.shoes.iter_mut().take(n.saturating_sub(2)) {
        s.retired = true;
    }
    data
}

fn pick3(rng: &mut fastrand::Rng, yes: f64, unknown: f64) -> Option<bool> {
    let x = rng.f64();
    if x < unknown {
        None
    } else {
        Some(x < unknown + yes * (1.0 - unknown))
    }
}

fn weighted<T: Copy>(rng: &mut fastrand::Rng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut x = rng.u32(0..total);
    for (item, w) in items {
        if x < *w {
            return *item;
        }
        x -= w;
    }
    items[0].0
}

fn local(day: NaiveDate, hour: u32, minute: u32) -> chrono::DateTime<FixedOffset> {
    let naive = day.and_time(NaiveTime::from_hms_opt(hour, minute, 0).expect("valid time"));
    Local
        .from_local_datetime(&naive)
        .earliest()
        .unwrap_or_else(|| Local.from_utc_datetime(&naive))
        .fixed_offset()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn noon(y: i32, m: u32, d: u32) -> DateTime<FixedOffset> {
        local(NaiveDate::from_ymd_opt(y, m, d).unwrap(), 12, 0)
    }

    #[test]
    fn same_seed_same_history() {
        let today = noon(2026, 6, 10);
        let a = generate(20, 7, today);
        let b = generate(20, 7, today);
        assert_eq!(a, b);
        assert_ne!(a, generate(20, 8, today));
    }

    #[test]
    fn twenty_five_years_is_big_enough_for_the_benchmarks() {
        let d = generate(1300, 1, noon(2026, 6, 10));
        assert!(d.runs.len() >= 8000, "{} runs", d.runs.len());
        assert!(d.pain.len() >= 5000, "{} pain entries", d.pain.len());
        assert!(d.shoes.len() >= 25, "{} shoes", d.shoes.len());
        assert!(d.runs.windows(2).all(|w| w[0].start <= w[1].start));
    }

    #[test]
    fn nothing_is_logged_after_now() {
        let now = noon(2026, 6, 10);
        let d = generate(4, 3, now);
        assert!(d.runs.iter().all(|r| r.start <= now) && d.pain.iter().all(|p| p.at <= now));
        assert!(d.runs.last().unwrap().start.date_naive() >= now.date_naive() - ChronoDuration::days(7));
    }
}
