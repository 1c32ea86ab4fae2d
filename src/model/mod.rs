//! The runner's records (runs, pain entries, shoes, settings) and the typed values inside them.

pub mod kinds;
pub mod timefmt;
pub mod units;
pub mod when;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

pub use kinds::{Area, DESCRIPTORS, PainLevel, Rpe, Side, Surface, Timing};
pub use units::{Distance, DistanceInput, Duration, Pace, Units};
pub use when::WhenInput;

/// A map keyed by record id. Ids are small integers the store hands out, so a multiplicative
/// hash spreads them well and costs a fraction of the default SipHash, which matters when the
/// coach looks up every run of a 25-year history.
pub type IdMap<V> = std::collections::HashMap<u64, V, std::hash::BuildHasherDefault<IdHasher>>;

#[derive(Default)]
pub struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only u64 keys are hashed here; this fallback keeps the trait complete.
        for &b in bytes {
            self.write_u64(self.0.rotate_left(8) ^ u64::from(b));
        }
    }

    fn write_u64(&mut self, id: u64) {
        // Fibonacci hashing: the high bits of id × 2^64/φ, which hashbrown's top-7-bit tags need.
        self.0 = id.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// The name written at the top of every store file.
pub const FORMAT_NAME: &str = "lumbar";
/// The store layout this build writes. See `store::migrate` for what older versions looked like.
pub const FORMAT_VERSION: u32 = 3;

/// The years a stored time may fall in (the store refuses others; `--date` says so first).
pub const FIRST_YEAR: i32 = 1900;
pub const LAST_YEAR: i32 = 2200;

/// The default shoe limit: 300 miles, the low end of the usual 300–500-mile guidance.
pub const DEFAULT_SHOE_LIMIT_M: f64 = 300.0 * units::METRES_PER_MILE;

/// Consecutive days with runs before the coach says to rest, unless the runner sets
/// `config no-rest-days` (the article: rest days guard against overuse). The coach's
/// `rules::thresholds::NO_REST_DAYS` is this value.
pub const DEFAULT_NO_REST_DAYS: u32 = 7;

/// One logged run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Run {
    pub id: u64,
    #[serde(
        deserialize_with = "when::deserialize_rfc3339",
        serialize_with = "timefmt::serialize_stored"
    )]
    pub start: DateTime<FixedOffset>,
    pub distance_m: f64,
    pub duration_s: u64,
    /// Moving time, when a device recorded pauses.
    #[serde(default)]
    pub moving_s: Option<u64>,
    pub surface: Option<Surface>,
    /// `None` is "not answered", which is not the same as "skipped".
    pub warmup: Option<bool>,
    pub stretch: Option<bool>,
    pub shoe_id: Option<u64>,
    pub rpe: Option<Rpe>,
    pub notes: Option<String>,
    /// The file a run was imported from.
    pub source: Option<String>,
    #[serde(default)]
    pub avg_hr: Option<f64>,
    #[serde(default)]
    pub avg_cadence: Option<f64>,
}

impl Run {
    /// A run with only its start, distance and time known; everything else unanswered.
    pub fn new(start: DateTime<FixedOffset>, distance_m: f64, duration_s: u64) -> Run {
        Run {
            id: 0,
            start,
            distance_m,
            duration_s,
            moving_s: None,
            surface: None,
            warmup: None,
            stretch: None,
            shoe_id: None,
            rpe: None,
            notes: None,
            source: None,
            avg_hr: None,
            avg_cadence: None,
        }
    }

    pub fn distance(&self) -> Distance {
        Distance(self.distance_m)
    }

    pub fn duration(&self) -> Duration {
        Duration(self.duration_s)
    }

    pub fn pace(&self) -> Pace {
        Pace::of(self.distance(), self.duration())
    }

    /// When the run finished.
    pub fn end(&self) -> DateTime<FixedOffset> {
        self.start + chrono::Duration::seconds(self.duration_s as i64)
    }
}

/// One back-pain entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pain {
    pub id: u64,
    #[serde(
        deserialize_with = "when::deserialize_rfc3339",
        serialize_with = "timefmt::serialize_stored"
    )]
    pub at: DateTime<FixedOffset>,
    pub level: PainLevel,
    pub area: Area,
    pub side: Side,
    pub when: Option<Timing>,
    pub run_id: Option<u64>,
    #[serde(default)]
    pub symptoms: Vec<String>,
    pub notes: Option<String>,
}

impl Pain {
    /// A lower-back, centre entry with only its time and level; everything else unanswered.
    pub fn new(at: DateTime<FixedOffset>, level: PainLevel) -> Pain {
        Pain {
            id: 0,
            at,
            level,
            area: Area::LowerBack,
            side: Side::Center,
            when: None,
            run_id: None,
            symptoms: Vec::new(),
            notes: None,
        }
    }
}

/// A pair of running shoes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shoe {
    pub id: u64,
    pub name: String,
    /// Distance already on the pair when it was added to lumbar.
    #[serde(default)]
    pub start_m: f64,
    /// This pair's own limit; `None` follows `config shoe-limit`.
    #[serde(default)]
    pub limit_m: Option<f64>,
    #[serde(default)]
    pub default: bool,
    #[serde(default)]
    pub retired: bool,
    #[serde(default, serialize_with = "timefmt::serialize_stored_opt")]
    pub added: Option<DateTime<FixedOffset>>,
    /// Removed with `shoes rm --yes` while runs were logged in it: the record stays so those
    /// runs still name their pair, but it is hidden from every list and never matched by name.
    #[serde(default)]
    pub removed: bool,
}

/// `lumbar redflags --seen`: a clinician has seen the red-flag symptoms logged up to `at`, so
/// from then on the coach shows them as information only (EVIDENCE.md section 4, v2).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seen {
    #[serde(
        deserialize_with = "when::deserialize_rfc3339",
        serialize_with = "timefmt::serialize_stored"
    )]
    pub at: DateTime<FixedOffset>,
}

/// A coach flag that `run add` or `pain add` printed, and when, so the same flag is not repeated
/// after every entry (a flag shown in the last 7 days stays in `coach`; urgent ones always show).
/// Kept only as long as it matters (store version 3).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shown {
    /// The rule id (`hard-surface`, ...).
    pub flag: String,
    /// What the flag is about when a rule flags several things at once (the shoe id of `shoe-worn`).
    pub key: Option<u64>,
    #[serde(
        deserialize_with = "when::deserialize_rfc3339",
        serialize_with = "timefmt::serialize_stored"
    )]
    pub at: DateTime<FixedOffset>,
}

/// The runner's settings (`lumbar config`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub units: Units,
    #[serde(default = "default_shoe_limit")]
    pub shoe_limit_m: f64,
    #[serde(default)]
    pub surface: Option<Surface>,
    /// Used by the red-flag check when `--age` is not given.
    #[serde(default)]
    pub age: Option<u32>,
    /// Consecutive days with runs before the coach says to rest.
    #[serde(default = "default_no_rest_days")]
    pub no_rest_days: u32,
}

fn default_shoe_limit() -> f64 {
    DEFAULT_SHOE_LIMIT_M
}

fn default_no_rest_days() -> u32 {
    DEFAULT_NO_REST_DAYS
}

impl Default for Config {
    fn default() -> Self {
        Config {
            units: Units::Km,
            shoe_limit_m: DEFAULT_SHOE_LIMIT_M,
            surface: None,
            age: None,
            no_rest_days: default_no_rest_days(),
        }
    }
}

/// The next id of each kind. Ids only ever grow, so a deleted id is never handed out again.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NextIds {
    pub run: u64,
    pub pain: u64,
    pub shoe: u64,
}

impl Default for NextIds {
    fn default() -> Self {
        NextIds {
            run: 1,
            pain: 1,
            shoe: 1,
        }
    }
}

/// The whole store document, exactly as it sits on disk.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Data {
    pub format: String,
    pub version: u32,
    pub next_id: NextIds,
    pub config: Config,
    /// When a clinician saw the red flags logged so far, oldest first (store version 3).
    pub red_flags_seen: Vec<Seen>,
    /// The flags printed after recent entries, oldest first (store version 3).
    pub flags_shown: Vec<Shown>,
    pub shoes: Vec<Shoe>,
    pub runs: Vec<Run>,
    pub pain: Vec<Pain>,
}

impl Default for Data {
    fn default() -> Self {
        Data {
            format: FORMAT_NAME.to_string(),
            version: FORMAT_VERSION,
            next_id: NextIds::default(),
            config: Config::default(),
            red_flags_seen: Vec::new(),
            flags_shown: Vec::new(),
            shoes: Vec::new(),
            runs: Vec::new(),
            pain: Vec::new(),
        }
    }
}

impl Data {
    pub fn is_empty(&self) -> bool {
        self.runs.is_empty() && self.pain.is_empty() && self.shoes.is_empty()
    }

    /// Adds a run, giving it the next id, and keeps runs in start order.
    pub fn add_run(&mut self, mut run: Run) -> u64 {
        run.id = self.next_id.run;
        self.next_id.run += 1;
        let id = run.id;
        let at = self.runs.partition_point(|r| r.start <= run.start);
        self.runs.insert(at, run);
        id
    }

    /// Adds a pain entry, giving it the next id, and keeps entries in time order.
    pub fn add_pain(&mut self, mut pain: Pain) -> u64 {
        pain.id = self.next_id.pain;
        self.next_id.pain += 1;
        let id = pain.id;
        let at = self.pain.partition_point(|p| p.at <= pain.at);
        self.pain.insert(at, pain);
        id
    }

    pub fn add_shoe(&mut self, mut shoe: Shoe) -> u64 {
        shoe.id = self.next_id.shoe;
        self.next_id.shoe += 1;
        let id = shoe.id;
        self.shoes.push(shoe);
        id
    }

    pub fn run(&self, id: u64) -> Option<&Run> {
        self.runs.iter().find(|r| r.id == id)
    }

    pub fn pain_entry(&self, id: u64) -> Option<&Pain> {
        self.pain.iter().find(|p| p.id == id)
    }

    pub fn shoe(&self, id: u64) -> Option<&Shoe> {
        self.shoes.iter().find(|s| s.id == id)
    }

    pub fn default_shoe(&self) -> Option<&Shoe> {
        self.shoes.iter().find(|s| s.default && !s.retired)
    }

    /// Everything but the records: format, version, id counters and settings.
    pub fn clone_settings(&self) -> Data {
        Data {
            format: self.format.clone(),
            version: self.version,
            next_id: self.next_id.clone(),
            config: self.config.clone(),
            red_flags_seen: self.red_flags_seen.clone(),
            flags_shown: self.flags_shown.clone(),
            shoes: Vec::new(),
            runs: Vec::new(),
            pain: Vec::new(),
        }
    }

    /// Re-sorts after an edit that may have moved a run or entry in time.
    pub fn sort(&mut self) {
        self.runs.sort_by(|a, b| a.start.cmp(&b.start).then(a.id.cmp(&b.id)));
        self.pain.sort_by(|a, b| a.at.cmp(&b.at).then(a.id.cmp(&b.id)));
    }
}
