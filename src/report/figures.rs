//! The figures of `lumbar report`: everything the page shows, worked out once from the store,
//! in metres, seconds, shares from 0 to 1 and times with their offset. The page
//! ([`super::page`]) and `--json` both read this one value, so they cannot disagree.
//!
//! Pure: the caller passes the time zone, the moment and the number of weeks. The numbers come
//! from the project's own functions (weekly stats, the coach's decision and insights, the
//! red-flag triage, shoe mileage, which run an entry belongs to, what a spike is); nothing here
//! re-decides what those decide.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone};
use serde::Serialize;

use crate::content::NOT_A_DIAGNOSIS;
use crate::model::when::{serialize_rfc3339, serialize_rfc3339_opt};
use crate::model::{Area, Data, IdMap, Pain, PainLevel, Run, Side, Surface, Timing, Units};
use crate::output::decision::{headline, reason_sentence};
use crate::output::review::InsightView;
use crate::output::views::round;
use crate::redflags::{self, Level};
use crate::rules::belonging::Belonging;
use crate::rules::decision::{self, Light, Timeline, distance};
use crate::rules::{History, Thresholds, insights};
use crate::shoes;
use crate::stats::{self, Week};

/// At most this many bars in a chart: longer periods are added up in blocks of whole weeks.
pub const MAX_BARS: u32 = 26;
/// Pain entries drawn one by one on the time line (with runs up to [`MAX_TIMELINE_RUNS`]);
/// more are drawn per block as lowest, median and highest.
pub const MAX_TIMELINE_ENTRIES: usize = 250;
pub const MAX_TIMELINE_RUNS: usize = 400;
/// Red-flag entries listed one by one (the latest); the others are counted.
pub const MAX_RED_FLAG_ENTRIES: usize = 6;
/// Notes quoted from the painful entries (the latest), and from which level.
pub const MAX_NOTES: usize = 4;
pub const NOTE_FROM_LEVEL: u8 = 5;
/// A note is quoted up to this many characters (the page must stay two printed pages).
pub const MAX_NOTE_CHARS: usize = 160;
/// Pairs of shoes shown: those not retired and those run in during the period, latest used first.
pub const MAX_SHOES: usize = 8;
/// The training comparison: the last 4 weeks against the 8 before them.
pub const RECENT_DAYS: i64 = 28;
pub const BEFORE_DAYS: i64 = 56;
/// A change in typical pain is meaningful from 2 points or 30 % of the earlier level
/// (EVIDENCE.md section 3: Farrar 2001, Ostelo 2008).
pub const MEANINGFUL_POINTS: f64 = 2.0;
pub const MEANINGFUL_SHARE: f64 = 0.3;
/// A trend needs this many entries in each of the first and the last third of the time since
/// the period's first entry.
pub const TREND_MIN_ENTRIES: usize = 2;

/// Everything the report shows. Serialised as the `--json` document.
#[derive(Debug, Serialize)]
pub struct Report {
    pub period: Period,
    pub pain: PainSummary,
    pub red_flags: RedFlags,
    /// The coach's insights over the period: pain after runs with and without a factor.
    pub associations: Vec<InsightView>,
    pub training: Training,
    pub decision: DecisionFacts,
    pub not_a_diagnosis: &'static str,
    pub charts: Charts,
}

#[derive(Debug, Serialize)]
pub struct Period {
    /// The Monday the first week starts on.
    pub from: NaiveDate,
    /// Today.
    pub to: NaiveDate,
    pub weeks: u32,
    pub runs: usize,
    pub distance_m: f64,
    pub duration_s: u64,
    pub pain_entries: usize,
    /// The display units the page uses (JSON is in metres whatever they are).
    pub units: Units,
    #[serde(serialize_with = "serialize_rfc3339")]
    pub made_at: DateTime<FixedOffset>,
    /// The latest run and entry in the whole store: what a period with nothing in it points to.
    #[serde(serialize_with = "serialize_rfc3339_opt")]
    pub last_run_at: Option<DateTime<FixedOffset>>,
    #[serde(serialize_with = "serialize_rfc3339_opt")]
    pub last_pain_at: Option<DateTime<FixedOffset>>,
    /// The `--weeks` that would reach back to the latest of them.
    pub weeks_to_latest: Option<u32>,
}

/// One pain entry as the summary names it.
#[derive(Clone, Debug, Serialize)]
pub struct EntryFact {
    pub pain_id: u64,
    #[serde(serialize_with = "serialize_rfc3339")]
    pub at: DateTime<FixedOffset>,
    pub level: u8,
    pub band: &'static str,
    pub area: Area,
    pub side: Side,
    pub when: Option<Timing>,
    /// The run it belongs to (linked, or by time: EVIDENCE.md section 6), if any.
    pub run_id: Option<u64>,
}

#[derive(Debug, Serialize)]
pub struct PainSummary {
    /// Entries in the period.
    pub entries: usize,
    /// The first entry above 0 in the whole log: when the pain started, as far as lumbar knows.
    pub first_entry: Option<EntryFact>,
    pub first_entry_days_ago: Option<i64>,
    /// The highest level of the period (the latest entry among equals).
    pub worst: Option<EntryFact>,
    /// How many entries of the period reached that level.
    pub worst_entries: usize,
    pub typical: Option<Typical>,
    pub trend: Option<Trend>,
    pub areas: Vec<AreaCount>,
    pub sides: Vec<SideCount>,
    pub when: Vec<WhenCount>,
    pub symptoms: Vec<SymptomCount>,
    pub notes: Vec<Note>,
}

/// "Typical" is the median of the period's entries.
#[derive(Debug, Serialize)]
pub struct Typical {
    pub median: f64,
    pub band: &'static str,
    pub mean: f64,
    pub entries: usize,
}

/// Typical pain in the first third of the time since the period's first entry against the
/// last third.
#[derive(Debug, Serialize)]
pub struct Trend {
    pub earlier: Span,
    pub later: Span,
    /// `later.median - earlier.median`: below 0 is less pain.
    pub change: f64,
    pub direction: Direction,
    /// At least 2 points, or 30 % of the earlier median.
    pub meaningful: bool,
}

#[derive(Debug, Serialize)]
pub struct Span {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub entries: usize,
    pub median: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Better,
    Worse,
    Same,
}

#[derive(Debug, Serialize)]
pub struct AreaCount {
    pub area: Area,
    pub entries: usize,
}

#[derive(Debug, Serialize)]
pub struct SideCount {
    pub side: Side,
    pub entries: usize,
}

/// `when: null` counts the entries logged without a timing.
#[derive(Debug, Serialize)]
pub struct WhenCount {
    pub when: Option<Timing>,
    pub entries: usize,
}

#[derive(Debug, Serialize)]
pub struct SymptomCount {
    pub symptom: String,
    pub entries: usize,
    pub red_flag: bool,
}

/// A note from a painful entry, cut to [`MAX_NOTE_CHARS`].
#[derive(Debug, Serialize)]
pub struct Note {
    pub pain_id: u64,
    #[serde(serialize_with = "serialize_rfc3339")]
    pub at: DateTime<FixedOffset>,
    pub level: u8,
    pub when: Option<Timing>,
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct RedFlags {
    /// The period's entries that name a red flag, latest first, at most [`MAX_RED_FLAG_ENTRIES`].
    pub entries: Vec<RedFlagEntry>,
    /// All such entries in the period.
    pub entries_total: usize,
    /// The latest `lumbar redflags --seen` mark.
    #[serde(serialize_with = "serialize_rfc3339_opt")]
    pub marked_seen_at: Option<DateTime<FixedOffset>>,
    /// What is logged, read together as the coach reads it today (`redflags::logged`).
    pub now: Option<RedFlagsNow>,
}

#[derive(Debug, Serialize)]
pub struct RedFlagEntry {
    pub pain_id: u64,
    #[serde(serialize_with = "serialize_rfc3339")]
    pub at: DateTime<FixedOffset>,
    /// The red-flag ids of the entry (descriptors left out).
    pub symptoms: Vec<String>,
    /// The entry's own triage.
    pub level: Level,
    /// Logged before the latest `redflags --seen` mark.
    pub seen: bool,
}

#[derive(Debug, Serialize)]
pub struct RedFlagsNow {
    pub level: Level,
    pub symptoms: Vec<String>,
    #[serde(serialize_with = "serialize_rfc3339")]
    pub last_at: DateTime<FixedOffset>,
    #[serde(serialize_with = "serialize_rfc3339_opt")]
    pub seen_at: Option<DateTime<FixedOffset>>,
    /// What to do at this level.
    pub action: &'static str,
}

#[derive(Debug, Serialize)]
pub struct Training {
    /// The last 28 days, today included.
    pub recent: Load,
    /// The 56 days before them.
    pub before: Load,
    /// `recent.distance_m_per_week / before.distance_m_per_week - 1`; `null` without runs before.
    pub change: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct Load {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub weeks: u32,
    pub runs: usize,
    pub distance_m: f64,
    pub distance_m_per_week: f64,
    pub runs_per_week: f64,
    pub longest_m: Option<f64>,
}

/// The coach's answer today, in the page's units.
#[derive(Debug, Serialize)]
pub struct DecisionFacts {
    pub light: Light,
    pub headline: String,
    pub reason: String,
    pub max_distance_m: Option<f64>,
    #[serde(serialize_with = "serialize_rfc3339")]
    pub at: DateTime<FixedOffset>,
}

#[derive(Debug, Serialize)]
pub struct Charts {
    /// Weeks per bar: 1 up to [`MAX_BARS`] weeks, more in longer periods.
    pub bar_weeks: u32,
    pub weekly: Vec<WeekBar>,
    pub timeline: PainTimeline,
    pub long_runs: Vec<LongRunBar>,
    pub habits: Habits,
    pub shoes: Vec<ShoeBar>,
    /// Pairs in the store not shown (retired and not run in during the period, or past [`MAX_SHOES`]).
    pub shoes_not_shown: usize,
}

/// One bar: a week, or a block of weeks.
#[derive(Debug, Serialize)]
pub struct WeekBar {
    pub from: NaiveDate,
    /// The Sunday that ends it.
    pub to: NaiveDate,
    pub weeks: u32,
    pub runs: usize,
    pub distance_m: f64,
    pub duration_s: u64,
    pub pain_entries: usize,
    pub pain_mean: Option<f64>,
    pub pain_max: Option<u8>,
}

#[derive(Debug, Serialize)]
pub struct PainTimeline {
    /// `true`: every entry and run is drawn; `false`: per bar (too many to draw one by one).
    pub by_entry: bool,
    pub entries: Vec<TimelineEntry>,
    pub runs: Vec<TimelineRun>,
    pub blocks: Vec<PainBlock>,
}

#[derive(Debug, Serialize)]
pub struct TimelineEntry {
    pub pain_id: u64,
    #[serde(serialize_with = "serialize_rfc3339")]
    pub at: DateTime<FixedOffset>,
    pub level: u8,
    pub when: Option<Timing>,
    /// The run it belongs to, when that run is in the period.
    pub run_id: Option<u64>,
    pub notes: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct TimelineRun {
    pub run_id: u64,
    #[serde(serialize_with = "serialize_rfc3339")]
    pub start: DateTime<FixedOffset>,
    pub distance_m: f64,
}

#[derive(Debug, Serialize)]
pub struct PainBlock {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub entries: usize,
    pub lowest: Option<u8>,
    pub median: Option<f64>,
    pub highest: Option<u8>,
}

/// The longest run of a bar against the longest of the 30 days before it.
#[derive(Debug, Serialize)]
pub struct LongRunBar {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub longest: Option<LongRun>,
    /// Runs of the bar that were jumps (the coach's spikes).
    pub jumps: usize,
}

#[derive(Debug, Serialize)]
pub struct LongRun {
    pub run_id: u64,
    #[serde(serialize_with = "serialize_rfc3339")]
    pub start: DateTime<FixedOffset>,
    pub distance_m: f64,
    /// The longest run of the 30 days before it (since the return after a gap); `null` for a
    /// first run.
    pub longest_before_m: Option<f64>,
    /// More than 10 % longer than that.
    pub jump: bool,
}

#[derive(Debug, Serialize)]
pub struct Habits {
    pub bars: Vec<HabitBar>,
    /// Over the whole period.
    pub hard_share: Option<f64>,
    pub warmup_rate: Option<f64>,
    pub stretch_rate: Option<f64>,
    /// Distance per surface over the period, most first; `surface: null` is not recorded.
    pub surfaces: Vec<SurfaceShare>,
}

#[derive(Debug, Serialize)]
pub struct HabitBar {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub runs: usize,
    pub hard_share: Option<f64>,
    pub warmup_rate: Option<f64>,
    pub stretch_rate: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct SurfaceShare {
    pub surface: Option<Surface>,
    pub distance_m: f64,
    pub share: f64,
}

#[derive(Debug, Serialize)]
pub struct ShoeBar {
    pub shoe_id: u64,
    pub name: String,
    pub distance_m: f64,
    pub limit_m: f64,
    /// `distance_m / limit_m`.
    pub share: f64,
    /// `ok`, `nearing`, `replace` or `retired`.
    pub status: &'static str,
    pub runs_in_period: usize,
    pub reaches_limit_on: Option<NaiveDate>,
}

/// What a report is made from: the store, the runner's time zone, the moment, how many weeks,
/// and the display units.
pub struct Inputs<'a, Tz: TimeZone> {
    pub data: &'a Data,
    pub tz: &'a Tz,
    pub now: DateTime<FixedOffset>,
    pub weeks: u32,
    pub units: Units,
}

/// The report of `weeks` weeks up to `now`.
pub fn build<Tz: TimeZone>(i: &Inputs<'_, Tz>) -> Report {
    let data = i.data;
    let weeks = i.weeks.max(1);
    let today = i.now.with_timezone(i.tz).date_naive();
    let from = stats::monday_of(today) - Duration::weeks(i64::from(weeks) - 1);
    let from_at = midnight(i.tz, from);

    let timeline = Timeline::new(data);
    let (runs, pain) = (timeline.runs(), timeline.pain());
    let first_run = runs.partition_point(|r| r.start < from_at);
    let first_pain = pain.partition_point(|p| p.at < from_at);
    let period_pain = &pain[first_pain..];
    let owners = owners(runs, pain);

    let weekly = stats::weekly(data, i.tz, today, weeks);
    let blocks = Blocks::new(&weekly);
    let total = stats::total(&weekly);

    let thresholds = Thresholds::from_config(&data.config);
    let h = History::new(data, Some(from_at), i.now, thresholds);
    let next = decision::decide_now(&timeline, i.now);
    let (shoes, shoes_not_shown) = shoe_bars(data, &runs[first_run..], today);

    let period = Period {
        from,
        to: today,
        weeks,
        runs: runs.len() - first_run,
        distance_m: round(runs[first_run..].iter().map(|r| r.distance_m).sum(), 1),
        duration_s: runs[first_run..].iter().map(|r| r.duration_s).sum(),
        pain_entries: period_pain.len(),
        units: i.units,
        made_at: i.now,
        last_run_at: runs.last().map(|r| r.start),
        last_pain_at: pain.last().map(|p| p.at),
        weeks_to_latest: [runs.last().map(|r| r.start), pain.last().map(|p| p.at)]
            .into_iter()
            .flatten()
            .max()
            .map(|t| weeks_back_to(t.with_timezone(i.tz).date_naive(), today)),
    };
    Report {
        pain: pain_summary(pain, first_pain, &owners, today),
        red_flags: red_flags(data, period_pain, i.now),
        associations: insights::insights(&h).iter().map(InsightView::new).collect(),
        training: training(runs, i.tz, today),
        decision: DecisionFacts {
            light: next.light,
            headline: headline(&next, i.units),
            reason: reason_sentence(next.reason(), i.units),
            max_distance_m: next.max_distance_m.map(|m| round(m, 0)),
            at: next.at,
        },
        not_a_diagnosis: NOT_A_DIAGNOSIS,
        charts: Charts {
            bar_weeks: blocks.weeks,
            weekly: blocks.ranges().map(|(a, b)| week_bar(&weekly[a..b])).collect(),
            timeline: pain_timeline(runs, first_run, pain, first_pain, &owners, &weekly, &blocks, i.tz),
            long_runs: long_runs(runs, first_run, &weekly, &blocks, i.tz),
            habits: habits(&weekly, &blocks, &total, &runs[first_run..]),
            shoes,
            shoes_not_shown,
        },
        period,
    }
}

/// The number of weeks, this one included, that reach back to the week of `day`.
fn weeks_back_to(day: NaiveDate, today: NaiveDate) -> u32 {
    let weeks = (stats::monday_of(today) - stats::monday_of(day)).num_weeks() + 1;
    u32::try_from(weeks.max(1)).unwrap_or(u32::MAX)
}

/// Midnight at the start of `day` in `tz` (the first moment of the day in a clock change).
fn midnight<Tz: TimeZone>(tz: &Tz, day: NaiveDate) -> DateTime<FixedOffset> {
    let naive = day.and_time(NaiveTime::MIN);
    tz.from_local_datetime(&naive)
        .earliest()
        .unwrap_or_else(|| tz.from_utc_datetime(&naive))
        .fixed_offset()
}

/// The run each entry belongs to (EVIDENCE.md section 6), by entry index.
fn owners(runs: &[Run], pain: &[Pain]) -> Vec<Option<u64>> {
    let mut owner = vec![None; pain.len()];
    for &(r, p) in Belonging::new(runs, pain).pairs() {
        owner[p] = Some(runs[r].id);
    }
    owner
}

fn entry_fact(p: &Pain, run_id: Option<u64>) -> EntryFact {
    EntryFact {
        pain_id: p.id,
        at: p.at,
        level: p.level.0,
        band: p.level.band(),
        area: p.area,
        side: p.side,
        when: p.when,
        run_id,
    }
}

/// The median of some levels, which need not be sorted.
fn median(levels: &mut [u8]) -> Option<f64> {
    if levels.is_empty() {
        return None;
    }
    levels.sort_unstable();
    let n = levels.len();
    Some(if n % 2 == 1 {
        f64::from(levels[n / 2])
    } else {
        (f64::from(levels[n / 2 - 1]) + f64::from(levels[n / 2])) / 2.0
    })
}

/// The band of a median: a half rounds up, the careful side.
fn band_of(level: f64) -> &'static str {
    PainLevel(level.round().clamp(0.0, 10.0) as u8).band()
}

fn pain_summary(pain: &[Pain], first: usize, owners: &[Option<u64>], today: NaiveDate) -> PainSummary {
    let period = &pain[first..];
    let first_entry = pain
        .iter()
        .enumerate()
        .find(|(_, p)| p.level.0 > 0)
        .map(|(j, p)| entry_fact(p, owners[j]));
    let worst = period
        .iter()
        .enumerate()
        .max_by_key(|(_, p)| (p.level, p.at))
        .map(|(j, p)| entry_fact(p, owners[first + j]));
    let worst_entries = worst
        .as_ref()
        .map_or(0, |w| period.iter().filter(|p| p.level.0 == w.level).count());
    let mut levels: Vec<u8> = period.iter().map(|p| p.level.0).collect();
    let typical = median(&mut levels).map(|m| Typical {
        median: m,
        band: band_of(m),
        mean: round(
            levels.iter().map(|&l| f64::from(l)).sum::<f64>() / levels.len() as f64,
            2,
        ),
        entries: levels.len(),
    });
    PainSummary {
        entries: period.len(),
        first_entry_days_ago: first_entry.as_ref().map(|f| (today - f.at.date_naive()).num_days()),
        first_entry,
        worst,
        worst_entries,
        typical,
        trend: trend(period),
        areas: counted(period, Area::ALL, |p| p.area)
            .map(|(area, entries)| AreaCount { area, entries })
            .collect(),
        sides: counted(period, Side::ALL, |p| p.side)
            .map(|(side, entries)| SideCount { side, entries })
            .collect(),
        when: when_counts(period),
        symptoms: symptom_counts(period),
        notes: notes(period),
    }
}

/// How many entries have each value, in the values' own order, zeros left out.
fn counted<'a, T: Copy + PartialEq + 'a>(
    period: &'a [Pain],
    all: &'a [T],
    of: impl Fn(&Pain) -> T + 'a,
) -> impl Iterator<Item = (T, usize)> + 'a {
    all.iter()
        .map(move |v| (*v, period.iter().filter(|p| of(p) == *v).count()))
        .filter(|(_, n)| *n > 0)
}

fn when_counts(period: &[Pain]) -> Vec<WhenCount> {
    let timed = Timing::ALL.iter().map(|t| Some(*t));
    timed
        .chain(std::iter::once(None))
        .map(|when| WhenCount {
            when,
            entries: period.iter().filter(|p| p.when == when).count(),
        })
        .filter(|c| c.entries > 0)
        .collect()
}

fn symptom_counts(period: &[Pain]) -> Vec<SymptomCount> {
    let mut counts: Vec<SymptomCount> = Vec::new();
    for s in period.iter().flat_map(|p| &p.symptoms) {
        match counts.iter_mut().find(|c| c.symptom == *s) {
            Some(c) => c.entries += 1,
            None => counts.push(SymptomCount {
                symptom: s.clone(),
                entries: 1,
                red_flag: redflags::is_red_flag(s),
            }),
        }
    }
    // Red flags first, then the most logged.
    counts.sort_by(|a, b| {
        (b.red_flag, b.entries)
            .cmp(&(a.red_flag, a.entries))
            .then_with(|| a.symptom.cmp(&b.symptom))
    });
    counts
}

/// `text` cut to `max` characters, with "…" when it was longer.
pub fn cut(text: &str, max: usize) -> String {
    let text = text.trim();
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", text[..i].trim_end()),
        None => text.to_string(),
    }
}

fn notes(period: &[Pain]) -> Vec<Note> {
    period
        .iter()
        .rev()
        .filter(|p| p.level.0 >= NOTE_FROM_LEVEL)
        .filter_map(|p| {
            let text = p.notes.as_deref().map(str::trim).filter(|t| !t.is_empty())?;
            Some(Note {
                pain_id: p.id,
                at: p.at,
                level: p.level.0,
                when: p.when,
                text: cut(text, MAX_NOTE_CHARS),
            })
        })
        .take(MAX_NOTES)
        .collect()
}

/// The first third of the time since the period's first entry against the last third.
fn trend(period: &[Pain]) -> Option<Trend> {
    let (first, last) = (period.first()?, period.last()?);
    let third = (last.at - first.at) / 3;
    let earlier_end = first.at + third;
    let later_start = last.at - third;
    let mut earlier: Vec<u8> = period
        .iter()
        .filter(|p| p.at <= earlier_end)
        .map(|p| p.level.0)
        .collect();
    let mut later: Vec<u8> = period
        .iter()
        .filter(|p| p.at >= later_start)
        .map(|p| p.level.0)
        .collect();
    if third <= Duration::zero() || earlier.len() < TREND_MIN_ENTRIES || later.len() < TREND_MIN_ENTRIES {
        return None;
    }
    let span = |levels: &mut Vec<u8>, from: DateTime<FixedOffset>, to: DateTime<FixedOffset>| Span {
        from: from.date_naive(),
        to: to.date_naive(),
        entries: levels.len(),
        median: median(levels).unwrap_or_default(),
    };
    let earlier = span(&mut earlier, first.at, earlier_end);
    let later = span(&mut later, later_start, last.at);
    let change = later.median - earlier.median;
    Some(Trend {
        direction: if change < 0.0 {
            Direction::Better
        } else if change > 0.0 {
            Direction::Worse
        } else {
            Direction::Same
        },
        meaningful: is_meaningful(earlier.median, change),
        change,
        earlier,
        later,
    })
}

/// EVIDENCE.md section 3: 2 points, or 30 % of the earlier level.
pub fn is_meaningful(earlier: f64, change: f64) -> bool {
    let size = change.abs();
    size >= MEANINGFUL_POINTS || (earlier > 0.0 && size >= MEANINGFUL_SHARE * earlier)
}

fn red_flags(data: &Data, period: &[Pain], now: DateTime<FixedOffset>) -> RedFlags {
    let age = data.config.age;
    let seen_mark = data.red_flags_seen.iter().map(|s| s.at).filter(|m| *m <= now).max();
    let flagged: Vec<&Pain> = period
        .iter()
        .filter(|p| p.symptoms.iter().any(|s| redflags::is_red_flag(s)))
        .collect();
    let entries = flagged
        .iter()
        .rev()
        .take(MAX_RED_FLAG_ENTRIES)
        .map(|p| RedFlagEntry {
            pain_id: p.id,
            at: p.at,
            symptoms: p
                .symptoms
                .iter()
                .filter(|s| redflags::is_red_flag(s))
                .cloned()
                .collect(),
            level: redflags::triage(&p.symptoms, age).level,
            seen: seen_mark.is_some_and(|m| p.at <= m),
        })
        .collect();
    let now = redflags::logged(data, age, now).map(|l| RedFlagsNow {
        level: l.level(),
        symptoms: l.symptoms.clone(),
        last_at: l.last_at,
        seen_at: l.seen_at,
        action: l.level().guide().action.as_str(),
    });
    RedFlags {
        entries,
        entries_total: flagged.len(),
        marked_seen_at: seen_mark,
        now,
    }
}

fn training<Tz: TimeZone>(runs: &[Run], tz: &Tz, today: NaiveDate) -> Training {
    let recent_from = today - Duration::days(RECENT_DAYS - 1);
    let before_from = recent_from - Duration::days(BEFORE_DAYS);
    let load = |from: NaiveDate, days: i64| {
        let to = from + Duration::days(days - 1);
        let (start, end) = (midnight(tz, from), midnight(tz, to + Duration::days(1)));
        let a = runs.partition_point(|r| r.start < start);
        let b = runs.partition_point(|r| r.start < end);
        let runs = &runs[a..b.max(a)];
        let weeks = days as f64 / 7.0;
        let distance: f64 = runs.iter().map(|r| r.distance_m).sum();
        Load {
            from,
            to,
            weeks: (days / 7) as u32,
            runs: runs.len(),
            distance_m: round(distance, 1),
            distance_m_per_week: round(distance / weeks, 1),
            runs_per_week: round(runs.len() as f64 / weeks, 2),
            longest_m: runs.iter().map(|r| r.distance_m).reduce(f64::max),
        }
    };
    let recent = load(recent_from, RECENT_DAYS);
    let before = load(before_from, BEFORE_DAYS);
    let change = (before.distance_m_per_week > 0.0)
        .then(|| round(recent.distance_m_per_week / before.distance_m_per_week - 1.0, 3));
    Training { recent, before, change }
}

/// The weeks of the period gathered into at most [`MAX_BARS`] bars of `weeks` weeks each,
/// counted back from this week (so the first bar may be shorter).
struct Blocks {
    weeks: u32,
    /// The bar of each week.
    bar_of_week: Vec<usize>,
    bars: usize,
}

impl Blocks {
    fn new(weekly: &[Week]) -> Blocks {
        let n = weekly.len();
        let k = (n as u32).div_ceil(MAX_BARS).max(1) as usize;
        let bars = n.div_ceil(k);
        let short = bars * k - n;
        let bar_of_week = (0..n).map(|w| (w + short) / k).collect();
        Blocks {
            weeks: k as u32,
            bar_of_week,
            bars,
        }
    }

    /// The week index ranges of each bar.
    fn ranges(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        (0..self.bars).map(|b| {
            let a = self.bar_of_week.partition_point(|&x| x < b);
            let e = self.bar_of_week.partition_point(|&x| x <= b);
            (a, e)
        })
    }

    /// The bar of a local date, if it is in the period.
    fn bar_of(&self, weekly: &[Week], day: NaiveDate) -> Option<usize> {
        let first = weekly.first()?.start;
        let w = usize::try_from((stats::monday_of(day) - first).num_weeks()).ok()?;
        self.bar_of_week.get(w).copied()
    }
}

fn span_of(weeks: &[Week]) -> (NaiveDate, NaiveDate) {
    let from = weeks.first().map(|w| w.start).unwrap_or_default();
    let to = weeks.last().map(|w| w.start + Duration::days(6)).unwrap_or_default();
    (from, to)
}

fn week_bar(weeks: &[Week]) -> WeekBar {
    let t = stats::total(weeks);
    let (from, to) = span_of(weeks);
    WeekBar {
        from,
        to,
        weeks: weeks.len() as u32,
        runs: t.runs,
        distance_m: round(t.distance_m, 1),
        duration_s: t.duration_s,
        pain_entries: t.pain_count,
        pain_mean: t.pain_mean().map(|m| round(m, 1)),
        pain_max: t.pain_max,
    }
}

#[allow(clippy::too_many_arguments)]
fn pain_timeline<Tz: TimeZone>(
    runs: &[Run],
    first_run: usize,
    pain: &[Pain],
    first_pain: usize,
    owners: &[Option<u64>],
    weekly: &[Week],
    blocks: &Blocks,
    tz: &Tz,
) -> PainTimeline {
    let period_runs = &runs[first_run..];
    let period_pain = &pain[first_pain..];
    let by_entry = period_pain.len() <= MAX_TIMELINE_ENTRIES && period_runs.len() <= MAX_TIMELINE_RUNS;
    if by_entry {
        let in_period: IdMap<()> = period_runs.iter().map(|r| (r.id, ())).collect();
        return PainTimeline {
            by_entry,
            entries: period_pain
                .iter()
                .enumerate()
                .map(|(j, p)| TimelineEntry {
                    pain_id: p.id,
                    at: p.at,
                    level: p.level.0,
                    when: p.when,
                    run_id: owners[first_pain + j].filter(|id| in_period.contains_key(id)),
                    notes: p
                        .notes
                        .as_deref()
                        .map(|n| cut(n, MAX_NOTE_CHARS))
                        .filter(|n| !n.is_empty()),
                })
                .collect(),
            runs: period_runs
                .iter()
                .map(|r| TimelineRun {
                    run_id: r.id,
                    start: r.start,
                    distance_m: round(r.distance_m, 1),
                })
                .collect(),
            blocks: Vec::new(),
        };
    }
    let mut levels: Vec<Vec<u8>> = vec![Vec::new(); blocks.bars];
    for p in period_pain {
        if let Some(b) = blocks.bar_of(weekly, p.at.with_timezone(tz).date_naive()) {
            levels[b].push(p.level.0);
        }
    }
    let blocks = blocks
        .ranges()
        .zip(levels.iter_mut())
        .map(|((a, e), lv)| {
            let (from, to) = span_of(&weekly[a..e]);
            PainBlock {
                from,
                to,
                entries: lv.len(),
                lowest: lv.iter().copied().min(),
                highest: lv.iter().copied().max(),
                median: median(lv),
            }
        })
        .collect();
    PainTimeline {
        by_entry,
        entries: Vec::new(),
        runs: Vec::new(),
        blocks,
    }
}

fn long_runs<Tz: TimeZone>(
    runs: &[Run],
    first_run: usize,
    weekly: &[Week],
    blocks: &Blocks,
    tz: &Tz,
) -> Vec<LongRunBar> {
    let mut longest: Vec<Option<usize>> = vec![None; blocks.bars];
    let mut jumps = vec![0usize; blocks.bars];
    for (i, r) in runs.iter().enumerate().skip(first_run) {
        let Some(b) = blocks.bar_of(weekly, r.start.with_timezone(tz).date_naive()) else {
            continue;
        };
        jumps[b] += usize::from(distance::is_spike(runs, i));
        // The latest among equals.
        if longest[b].is_none_or(|l| runs[l].distance_m <= r.distance_m) {
            longest[b] = Some(i);
        }
    }
    blocks
        .ranges()
        .enumerate()
        .map(|(b, (a, e))| {
            let (from, to) = span_of(&weekly[a..e]);
            LongRunBar {
                from,
                to,
                longest: longest[b].map(|i| LongRun {
                    run_id: runs[i].id,
                    start: runs[i].start,
                    distance_m: round(runs[i].distance_m, 1),
                    longest_before_m: distance::spike_base(runs, i).map(|m| round(m, 1)),
                    jump: distance::is_spike(runs, i),
                }),
                jumps: jumps[b],
            }
        })
        .collect()
}

fn share(x: Option<f64>) -> Option<f64> {
    x.map(|s| round(s, 3))
}

fn habits(weekly: &[Week], blocks: &Blocks, total: &Week, period_runs: &[Run]) -> Habits {
    let bars = blocks
        .ranges()
        .map(|(a, e)| {
            let t = stats::total(&weekly[a..e]);
            let (from, to) = span_of(&weekly[a..e]);
            HabitBar {
                from,
                to,
                runs: t.runs,
                hard_share: share(t.hard_share()),
                warmup_rate: share(t.warmup_rate()),
                stretch_rate: share(t.stretch_rate()),
            }
        })
        .collect();
    let all: f64 = period_runs.iter().map(|r| r.distance_m).sum();
    let mut surfaces: Vec<SurfaceShare> = Surface::ALL
        .iter()
        .map(|s| Some(*s))
        .chain(std::iter::once(None))
        .map(|surface| {
            let d: f64 = period_runs
                .iter()
                .filter(|r| r.surface == surface)
                .map(|r| r.distance_m)
                .sum();
            SurfaceShare {
                surface,
                distance_m: round(d, 1),
                share: if all > 0.0 { round(d / all, 3) } else { 0.0 },
            }
        })
        .filter(|s| s.distance_m > 0.0)
        .collect();
    surfaces.sort_by(|a, b| b.distance_m.total_cmp(&a.distance_m));
    Habits {
        bars,
        hard_share: share(total.hard_share()),
        warmup_rate: share(total.warmup_rate()),
        stretch_rate: share(total.stretch_rate()),
        surfaces,
    }
}

fn shoe_bars(data: &Data, period_runs: &[Run], today: NaiveDate) -> (Vec<ShoeBar>, usize) {
    let mut in_period: IdMap<usize> = IdMap::default();
    for r in period_runs {
        if let Some(id) = r.shoe_id {
            *in_period.entry(id).or_default() += 1;
        }
    }
    let all = shoes::summaries(data, today);
    let mut shown: Vec<(usize, &shoes::ShoeSummary)> = all
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.shoe.retired || in_period.contains_key(&s.shoe.id))
        .collect();
    if shown.len() > MAX_SHOES {
        shown.sort_by_key(|(_, s)| std::cmp::Reverse(s.last_run));
        shown.truncate(MAX_SHOES);
        shown.sort_by_key(|(i, _)| *i);
    }
    let bars = shown
        .iter()
        .map(|(_, s)| ShoeBar {
            shoe_id: s.shoe.id,
            name: s.shoe.name.clone(),
            distance_m: round(s.distance_m, 1),
            limit_m: round(s.limit_m, 1),
            share: round(s.share(), 3),
            status: s.status.as_str(),
            runs_in_period: in_period.get(&s.shoe.id).copied().unwrap_or(0),
            reaches_limit_on: s.reaches_limit_on,
        })
        .collect();
    (bars, all.len() - shown.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn pain(when: &str, level: u8) -> Pain {
        Pain::new(at(when), PainLevel(level))
    }

    fn report(data: &Data, now: &str, weeks: u32) -> Report {
        build(&Inputs {
            data,
            tz: &Utc,
            now: at(now),
            weeks,
            units: Units::Km,
        })
    }

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [4]), Some(4.0));
        assert_eq!(median(&mut [5, 1, 3]), Some(3.0));
        assert_eq!(median(&mut [6, 1, 2, 3]), Some(2.5));
        assert_eq!(band_of(4.5), "moderate", "a half rounds to the higher band");
        assert_eq!(band_of(4.0), "mild");
        assert_eq!(band_of(0.0), "none");
    }

    #[test]
    fn a_change_is_meaningful_from_two_points_or_thirty_percent() {
        assert!(is_meaningful(6.0, -2.0), "2 points");
        assert!(!is_meaningful(7.0, -1.5), "1.5 of 7 is 21 %");
        assert!(is_meaningful(5.0, -1.5), "1.5 of 5 is 30 %");
        assert!(!is_meaningful(5.0, -1.0), "1 of 5 is 20 %");
        assert!(is_meaningful(3.0, 1.0), "1 of 3 is 33 %");
        assert!(!is_meaningful(0.0, 1.5), "from 0 only the points count");
        assert!(is_meaningful(0.0, 2.0));
        assert!(!is_meaningful(4.0, 0.0));
    }

    #[test]
    fn the_trend_compares_the_first_and_last_thirds_since_the_first_entry() {
        let mut d = Data::default();
        // 2026-11-01 .. 2026-11-28: 27 days, thirds of 9 days.
        for (day, level) in [(1, 6), (3, 5), (9, 6), (15, 4), (20, 3), (25, 2), (28, 2)] {
            d.add_pain(pain(&format!("2026-11-{day:02}T08:00:00Z"), level));
        }
        let r = report(&d, "2026-11-30T12:00:00Z", 12);
        let t = r.pain.trend.expect("a trend");
        assert_eq!((t.earlier.entries, t.earlier.median), (3, 6.0));
        assert_eq!((t.later.entries, t.later.median), (3, 2.0));
        assert_eq!(t.change, -4.0);
        assert_eq!(t.direction, Direction::Better);
        assert!(t.meaningful);
        let typical = r.pain.typical.unwrap();
        assert_eq!((typical.median, typical.band, typical.entries), (4.0, "mild", 7));
        let worst = r.pain.worst.unwrap();
        assert_eq!(
            (worst.level, worst.at),
            (6, at("2026-11-09T08:00:00Z")),
            "the latest of equals"
        );
        assert_eq!(r.pain.worst_entries, 2);
        // One entry in the first third: too few for a trend.
        let mut few = Data::default();
        for (day, level) in [(1, 6), (20, 3), (28, 2)] {
            few.add_pain(pain(&format!("2026-11-{day:02}T08:00:00Z"), level));
        }
        assert!(report(&few, "2026-11-30T12:00:00Z", 12).pain.trend.is_none());
    }

    #[test]
    fn the_pain_began_with_the_first_entry_above_zero_even_before_the_period() {
        let mut d = Data::default();
        d.add_pain(pain("2025-01-05T08:00:00Z", 0));
        d.add_pain(pain("2025-01-06T08:00:00Z", 3));
        d.add_pain(pain("2026-11-20T08:00:00Z", 2));
        let r = report(&d, "2026-11-30T12:00:00Z", 4);
        let first = r.pain.first_entry.unwrap();
        assert_eq!((first.level, first.at), (3, at("2025-01-06T08:00:00Z")));
        assert_eq!(r.pain.first_entry_days_ago, Some(693));
        assert_eq!(r.pain.entries, 1);
    }

    #[test]
    fn bars_are_weeks_up_to_the_limit_then_blocks_counted_back_from_this_week() {
        let weekly = |n: u32| stats::weekly(&Data::default(), &Utc, at("2026-11-30T12:00:00Z").date_naive(), n);
        let b = Blocks::new(&weekly(12));
        assert_eq!((b.weeks, b.bars), (1, 12));
        let b = Blocks::new(&weekly(26));
        assert_eq!((b.weeks, b.bars), (1, 26));
        let w = weekly(27);
        let b = Blocks::new(&w);
        assert_eq!((b.weeks, b.bars), (2, 14));
        let ranges: Vec<_> = b.ranges().collect();
        assert_eq!(ranges[0], (0, 1), "the first bar is the short one");
        assert_eq!(ranges[13], (25, 27), "this week closes the last bar");
        let b = Blocks::new(&weekly(1300));
        assert!(
            b.bars <= MAX_BARS as usize && b.weeks == 50,
            "{} bars of {}",
            b.bars,
            b.weeks
        );
        assert_eq!(b.ranges().map(|(a, e)| e - a).sum::<usize>(), 1300);
    }

    #[test]
    fn training_compares_the_last_28_days_with_the_56_before() {
        let mut d = Data::default();
        // Today 2026-11-30: the last 28 days start 2026-11-03; the 56 before start 2026-09-08.
        for day in ["2026-11-03", "2026-11-29"] {
            d.add_run(Run::new(at(&format!("{day}T07:00:00Z")), 10_000.0, 3000));
        }
        for day in ["2026-09-08", "2026-11-02"] {
            d.add_run(Run::new(at(&format!("{day}T07:00:00Z")), 8_000.0, 2400));
        }
        d.add_run(Run::new(at("2026-09-07T07:00:00Z"), 30_000.0, 9000));
        let t = report(&d, "2026-11-30T12:00:00Z", 12).training;
        assert_eq!((t.recent.from.to_string(), t.recent.runs), ("2026-11-03".into(), 2));
        assert_eq!(t.recent.distance_m_per_week, 5000.0);
        assert_eq!((t.before.from.to_string(), t.before.runs), ("2026-09-08".into(), 2));
        assert_eq!(t.before.distance_m_per_week, 2000.0);
        assert_eq!(t.before.longest_m, Some(8000.0), "the run a day earlier is outside");
        assert_eq!(t.change, Some(1.5));
    }

    #[test]
    fn notes_and_red_flags_are_the_latest_and_marked_seen_by_the_mark() {
        let mut d = Data::default();
        let mut flagged = pain("2026-11-10T08:00:00Z", 6);
        flagged.symptoms = vec!["leg-numbness".into(), "ache".into()];
        flagged.notes = Some("  tingling down the right leg  ".into());
        d.add_pain(flagged);
        let mut later = pain("2026-11-20T08:00:00Z", 3);
        later.symptoms = vec!["fever".into()];
        later.notes = Some("mild, not quoted".into());
        d.add_pain(later);
        d.red_flags_seen.push(crate::model::Seen {
            at: at("2026-11-12T08:00:00Z"),
        });
        let r = report(&d, "2026-11-30T12:00:00Z", 12);
        let e = &r.red_flags.entries;
        assert_eq!(r.red_flags.entries_total, 2);
        assert_eq!(
            (e[0].symptoms.clone(), e[0].level, e[0].seen),
            (vec!["fever".into()], Level::Urgent, false)
        );
        assert_eq!(
            (e[1].symptoms.clone(), e[1].level, e[1].seen),
            (vec!["leg-numbness".into()], Level::Soon, true)
        );
        let now = r.red_flags.now.expect("the fever is open");
        assert_eq!(now.level, Level::Urgent);
        assert_eq!(r.pain.notes.len(), 1, "only entries of 5 or more are quoted");
        assert_eq!(r.pain.notes[0].text, "tingling down the right leg");
        assert_eq!(r.pain.symptoms[0].symptom, "fever", "red flags first");
        assert!(r.pain.symptoms.iter().any(|s| s.symptom == "ache" && !s.red_flag));
        assert_eq!(cut("abcdef", 3), "abc…");
        assert_eq!(cut("abc", 3), "abc");
    }

    #[test]
    fn long_runs_mark_jumps_over_the_30_day_longest() {
        let mut d = Data::default();
        for (day, km) in [
            ("2026-11-02", 10.0),
            ("2026-11-05", 10.0),
            ("2026-11-09", 11.0),
            ("2026-11-16", 13.0),
        ] {
            d.add_run(Run::new(
                at(&format!("{day}T07:00:00Z")),
                km * 1000.0,
                (km * 300.0) as u64,
            ));
        }
        let r = report(&d, "2026-11-20T12:00:00Z", 4);
        let bars = &r.charts.long_runs;
        let l: Vec<_> = bars
            .iter()
            .map(|b| b.longest.as_ref().map(|l| (l.distance_m, l.longest_before_m, l.jump)))
            .collect();
        assert_eq!(
            l,
            [
                None,
                Some((10_000.0, Some(10_000.0), false)),
                Some((11_000.0, Some(10_000.0), false)),
                Some((13_000.0, Some(11_000.0), true)),
            ]
        );
        assert_eq!(bars[3].jumps, 1);
        assert_eq!(
            bars[1].longest.as_ref().unwrap().start,
            at("2026-11-05T07:00:00Z"),
            "the latest of equals"
        );
    }
}
