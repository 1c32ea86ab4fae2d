//! Which activities are runs: every sport code the formats carry, read into one [`Sport`], and
//! the one decision ([`decide`]) the batch makes from it.
//!
//! - FIT: the `sport` and `sub_sport` enums of the FIT profile. `running` is a run whatever its
//!   sub-sport (street, trail, track, treadmill, indoor, virtual…); `generic` says nothing.
//! - TCX: `Sport="Running"` (in any case) is a run; `Biking` and `Other` are not.
//! - GPX `<type>`, Strava's "Activity Type" and Garmin's `activityType` are free text in the
//!   app's (or the runner's) language: matched word by word against the names below. Strava writes
//!   numbers in its GPX files (9 a run, 1 a ride, 4 a hike, 10 a walk, 17 a virtual ride).
//! - Where nothing is said, the pace decides: see [`decide`] and the limits beside it.

use super::Activity;

/// The sport an activity declares, as read from its file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sport {
    /// A kind of run, by the name the file gives it.
    Run(String),
    /// Any other sport, by name.
    Other(String),
    /// No sport recorded (or a generic one); the text that named none, if any.
    Unknown(Option<String>),
}

impl Sport {
    /// The sport's name for `--json` (`null` when unknown).
    pub fn name(&self) -> Option<&str> {
        match self {
            Sport::Run(n) | Sport::Other(n) => Some(n),
            Sport::Unknown(_) => None,
        }
    }

    pub fn is_known(&self) -> bool {
        !matches!(self, Sport::Unknown(_))
    }
}

/// `--sport`: which activities the runner wants.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Choice {
    /// Runs only; an activity that names no sport is judged by its pace.
    #[default]
    Auto,
    /// Runs only; an activity that names no sport is taken as a run, whatever its pace.
    Run,
    /// Every activity, whatever sport it names.
    Any,
}

/// The fastest average pace taken for a run when no sport is recorded: 3:00 /km (20 km/h).
pub const FASTEST_RUN_PACE_S_PER_KM: f64 = 180.0;
/// The slowest average (moving) pace taken for a run when no sport is recorded: 15:00 /km.
pub const SLOWEST_RUN_PACE_S_PER_KM: f64 = 900.0;
/// A speed no runner holds for ten seconds in training: 24 km/h (2:30 /km).
pub const RIDING_SPEED_M_S: f64 = 24.0 / 3.6;
/// More than this share of the moving time at [`RIDING_SPEED_M_S`] or faster: not on foot.
pub const RIDING_SHARE: f64 = 0.05;
/// A run has at least a tenth of its moving time faster than this: 6 km/h (10:00 /km).
pub const RUNNING_SPEED_M_S: f64 = 6.0 / 3.6;
/// Shorter than this is a fragment (a watch started by mistake), not a run.
pub const MIN_RUN_DISTANCE_M: f64 = 300.0;
/// Shorter than this is a fragment, not a run.
pub const MIN_RUN_DURATION_S: f64 = 120.0;

/// What [`decide`] says of one activity.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// A run. `note` says how it was decided when the file did not say (a warning to print).
    Run { note: Option<String> },
    /// Not a run: the reason, in words.
    NotARun { reason: String },
}

/// Decides, once, whether an activity is a run.
pub fn decide(a: &Activity, choice: Choice) -> Verdict {
    match (&a.sport, choice) {
        (_, Choice::Any) | (Sport::Run(_), _) => Verdict::Run { note: None },
        (Sport::Other(name), _) => Verdict::NotARun {
            reason: format!("not a run: {name} ({})", a.sport_by),
        },
        (Sport::Unknown(_), Choice::Run) => Verdict::Run { note: None },
        (Sport::Unknown(text), Choice::Auto) => by_pace(a, text.as_deref()),
    }
}

fn by_pace(a: &Activity, text: Option<&str>) -> Verdict {
    let said = match text {
        Some(t) => format!("sport \"{t}\" not recognised"),
        None => "no sport recorded".to_string(),
    };
    let km = a.distance_m / 1000.0;
    if km <= 0.0 || a.elapsed_s <= 0.0 {
        // Nothing to judge by: the value checks that follow report what is missing.
        return Verdict::Run { note: None };
    }
    // Each limit is checked on the time that favours a run: too fast on the elapsed time (stops
    // included), too slow on the moving time (stops left out).
    let elapsed_pace = a.elapsed_s / km;
    let pace = a.moving_s.filter(|m| *m > 0.0).map_or(elapsed_pace, |m| m / km);
    let shown = pace_text(pace);
    if elapsed_pace < FASTEST_RUN_PACE_S_PER_KM {
        return Verdict::NotARun {
            reason: format!(
                "{said} and too fast for a run: {} on average (a ride?)",
                pace_text(elapsed_pace)
            ),
        };
    }
    if let Some(share) = a.speed.riding_share.filter(|s| *s > RIDING_SHARE) {
        return Verdict::NotARun {
            reason: format!(
                "{said} and too fast for a run: {:.0} % of the time at over 24 km/h (a ride?)",
                share * 100.0
            ),
        };
    }
    if pace > SLOWEST_RUN_PACE_S_PER_KM {
        return Verdict::NotARun {
            reason: format!("{said} and too slow for a run: {shown} on average (a walk or a hike?)"),
        };
    }
    if let Some(p90) = a.speed.p90_m_s.filter(|s| *s < RUNNING_SPEED_M_S) {
        return Verdict::NotARun {
            reason: format!(
                "{said} and never at a running pace: the fastest tenth of it is slower than {} (a walk or a hike?)",
                pace_text(1000.0 / p90)
            ),
        };
    }
    Verdict::Run {
        note: Some(format!("{said}: taken as a run by its pace ({shown})")),
    }
}

/// A pace as `m:ss /km`.
pub fn pace_text(s_per_km: f64) -> String {
    let s = s_per_km.round() as u64;
    format!("{}:{:02} /km", s / 60, s % 60)
}

/// True when an activity is too short to be a run (a fragment), whatever its sport.
pub fn too_short(distance_m: f64, elapsed_s: f64) -> bool {
    distance_m < MIN_RUN_DISTANCE_M || elapsed_s < MIN_RUN_DURATION_S
}

/// The FIT profile's `sport` names (FIT SDK `Profile.xlsx`, type `sport`).
const FIT_SPORTS: &[(u8, &str)] = &[
    (0, "generic"),
    (1, "running"),
    (2, "cycling"),
    (3, "transition"),
    (4, "fitness equipment"),
    (5, "swimming"),
    (6, "basketball"),
    (7, "soccer"),
    (8, "tennis"),
    (9, "american football"),
    (10, "training"),
    (11, "walking"),
    (12, "cross-country skiing"),
    (13, "alpine skiing"),
    (14, "snowboarding"),
    (15, "rowing"),
    (16, "mountaineering"),
    (17, "hiking"),
    (18, "multisport"),
    (19, "paddling"),
    (20, "flying"),
    (21, "e-biking"),
    (22, "motorcycling"),
    (23, "boating"),
    (24, "driving"),
    (25, "golf"),
    (26, "hang gliding"),
    (27, "horseback riding"),
    (28, "hunting"),
    (29, "fishing"),
    (30, "inline skating"),
    (31, "rock climbing"),
    (32, "sailing"),
    (33, "ice skating"),
    (34, "sky diving"),
    (35, "snowshoeing"),
    (36, "snowmobiling"),
    (37, "stand-up paddleboarding"),
    (38, "surfing"),
    (39, "wakeboarding"),
    (40, "water skiing"),
    (41, "kayaking"),
    (42, "rafting"),
    (43, "windsurfing"),
    (44, "kitesurfing"),
    (45, "tactical"),
    (46, "jumpmaster"),
    (47, "boxing"),
    (48, "floor climbing"),
    (49, "baseball"),
    (53, "diving"),
    (56, "shooting"),
    (57, "auto racing"),
    (58, "winter sport"),
    (59, "grinding"),
    (62, "HIIT"),
    (63, "video gaming"),
    (64, "racket sports"),
    (65, "wheelchair push walk"),
    (66, "wheelchair push run"),
    (67, "meditation"),
    (68, "para sport"),
    (69, "disc golf"),
    (70, "team sport"),
    (71, "cricket"),
    (72, "rugby"),
    (73, "hockey"),
    (74, "lacrosse"),
    (75, "volleyball"),
    (76, "water tubing"),
    (77, "wakesurfing"),
    (80, "mixed martial arts"),
    (82, "snorkeling"),
    (83, "dance"),
    (84, "jump rope"),
];

/// The FIT profile's `sub_sport` names, as far as they refine a sport's name.
const FIT_SUB_SPORTS: &[(u8, &str)] = &[
    (1, "treadmill"),
    (2, "street"),
    (3, "trail"),
    (4, "track"),
    (5, "spin"),
    (6, "indoor"),
    (7, "road"),
    (8, "mountain"),
    (9, "downhill"),
    (10, "recumbent"),
    (11, "cyclocross"),
    (12, "hand cycling"),
    (13, "track cycling"),
    (14, "indoor rowing"),
    (15, "elliptical"),
    (16, "stair climbing"),
    (17, "lap swimming"),
    (18, "open water"),
    (19, "flexibility training"),
    (20, "strength training"),
    (21, "warm-up"),
    (22, "match"),
    (23, "exercise"),
    (24, "challenge"),
    (25, "indoor skiing"),
    (26, "cardio training"),
    (27, "indoor walking"),
    (28, "e-bike fitness"),
    (29, "BMX"),
    (30, "casual walking"),
    (31, "speed walking"),
    (32, "bike to run transition"),
    (33, "run to bike transition"),
    (34, "swim to bike transition"),
    (37, "backcountry"),
    (38, "resort"),
    (41, "whitewater"),
    (42, "skate skiing"),
    (43, "yoga"),
    (44, "pilates"),
    (45, "indoor running"),
    (46, "gravel cycling"),
    (47, "e-mountain"),
    (48, "commuting"),
    (49, "mixed surface"),
    (58, "virtual"),
    (59, "obstacle"),
    (62, "breathing"),
    (67, "ultra"),
    (68, "indoor climbing"),
    (69, "bouldering"),
    (70, "HIIT"),
    (84, "pickleball"),
    (85, "padel"),
];

/// The FIT sport enum's name; `None` for a number the profile does not define.
pub fn fit_sport_name(n: u8) -> Option<&'static str> {
    FIT_SPORTS.iter().find(|(k, _)| *k == n).map(|(_, v)| *v)
}

/// A FIT `sport` and `sub_sport` as a [`Sport`]. `generic`, and a number the profile does not
/// define, say nothing; a treadmill on "fitness equipment" may be a walk or a run, so says nothing
/// either (its pace decides).
pub fn fit(sport: Option<u8>, sub_sport: Option<u8>) -> Sport {
    let sub = sub_sport
        .filter(|s| *s != 0)
        .and_then(|s| FIT_SUB_SPORTS.iter().find(|(k, _)| *k == s).map(|(_, v)| *v));
    let Some(n) = sport else {
        return Sport::Unknown(None);
    };
    let Some(name) = fit_sport_name(n) else {
        return Sport::Unknown(Some(format!("FIT sport {n}")));
    };
    let full = match sub {
        Some(s) => format!("{name} ({s})"),
        None => name.to_string(),
    };
    match n {
        1 => Sport::Run(full),
        0 => Sport::Unknown(None),
        4 if sub_sport == Some(1) => Sport::Unknown(Some(full)),
        _ => Sport::Other(full),
    }
}

/// Strava's activity type numbers, as its GPX files write them in `<type>`.
const STRAVA_CODES: &[(u32, &str, bool)] = &[
    (1, "ride", false),
    (4, "hike", false),
    (9, "run", true),
    (10, "walk", false),
    (17, "virtual ride", false),
];

/// Words that name running, in the languages apps and exports are written in. A word matches
/// when it starts with one of these (so "running", "runs", "laufen").
const RUN_WORDS: &[&str] = &[
    "run",
    "jog",
    "treadmill",
    "trail",
    "track",
    "lauf",
    "joggen",
    "course",
    "corr",
    "carrera",
    "corsa",
    "hardlop",
    "löp",
    "lop",
    "løb",
    "løp",
    "juoks",
    "bieg",
    "běh",
    "beh",
    "бег",
    "пробеж",
    "koşu",
    "kosu",
    "跑",
    "ラン",
    "러닝",
    "달리기",
    "ランニング",
];

/// Words that name other sports (a word matches when it starts with one of these).
const OTHER_WORDS: &[&str] = &[
    "bik",
    "cycl",
    "rid",
    "velo",
    "vélo",
    "rad",
    "fiets",
    "cicl",
    "bicic",
    "cykl",
    "pyöräil",
    "rower",
    "велос",
    "swim",
    "schwimm",
    "natat",
    "natac",
    "nuot",
    "zwem",
    "nata",
    "simn",
    "svøm",
    "uima",
    "pływ",
    "плав",
    "walk",
    "gehen",
    "geh",
    "spazier",
    "wander",
    "marche",
    "randon",
    "camin",
    "cammin",
    "escurs",
    "senderi",
    "wandel",
    "promen",
    "caminh",
    "gång",
    "gang",
    "vandr",
    "kävel",
    "spacer",
    "ходьб",
    "прогул",
    "hik",
    "trek",
    "ski",
    "snow",
    "board",
    "row",
    "ruder",
    "aviron",
    "remo",
    "roei",
    "paddl",
    "sup",
    "kayak",
    "kajak",
    "canoe",
    "kanu",
    "raft",
    "sail",
    "segel",
    "voile",
    "surf",
    "kite",
    "skat",
    "golf",
    "yoga",
    "pilates",
    "climb",
    "kletter",
    "escal",
    "boulder",
    "transition",
    "wechsel",
    "elliptic",
    "crosstrainer",
    "stair",
    "step",
    "strength",
    "weight",
    "kraft",
    "muscu",
    "fuerza",
    "crossfit",
    "hiit",
    "cardio",
    "workout",
    "training",
    "fitness",
    "gym",
    "motor",
    "driv",
    "boat",
    "fly",
    "flight",
    "tennis",
    "soccer",
    "football",
    "fußball",
    "fussball",
    "basket",
    "volley",
    "hockey",
    "rugby",
    "cricket",
    "baseball",
    "badminton",
    "squash",
    "racquet",
    "pickleball",
    "padel",
    "dance",
    "tanz",
    "box",
    "martial",
    "wheelchair",
    "rollstuhl",
    "handcycle",
    "velomobile",
    "meditat",
    "breath",
    "horse",
    "hunt",
    "fish",
    "dive",
    "diving",
    "snorkel",
    "swimrun",
    "e-bike",
    "ebike",
    "mtb",
    "骑",
    "自転車",
    "ウォーキング",
    "步行",
    "徒步",
    "수영",
    "자전거",
    "걷기",
];

/// Words that say nothing about the sport (Garmin's "uncategorized", a "generic" profile…).
const SILENT_WORDS: &[&str] = &[
    "generic",
    "other",
    "others",
    "uncategorized",
    "unknown",
    "none",
    "default",
    "activity",
    "sport",
    "sports",
    "all",
    "multisport",
    "multi",
    "custom",
];

/// Splits free text into lower-case words: at spaces, punctuation and `CamelCase` joins
/// ("TrailRun" is "trail run", "road_biking" is "road biking").
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut prev_lower = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if c.is_uppercase() && prev_lower && !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            prev_lower = c.is_lowercase() || c.is_numeric();
            word.extend(c.to_lowercase());
        } else {
            prev_lower = false;
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

fn starts_with_any(word: &str, stems: &[&str]) -> bool {
    stems.iter().any(|s| word.starts_with(s))
}

/// What a word says: `Some(true)` running, `Some(false)` another sport, `None` nothing.
fn word_says(word: &str) -> Option<bool> {
    if SILENT_WORDS.contains(&word) {
        None
    } else if starts_with_any(word, OTHER_WORDS) && !starts_with_any(word, &["run", "trail", "track", "treadmill"]) {
        Some(false)
    } else if starts_with_any(word, RUN_WORDS) {
        Some(true)
    } else {
        None
    }
}

/// A sport named in free text (GPX `<type>`, TCX `Sport`, Strava's "Activity Type", Garmin's
/// `activityType`). Another sport named anywhere wins over a running word ("track cycling",
/// "bike to run transition"); text that names no sport we know leaves it unknown.
pub fn from_text(text: &str) -> Sport {
    let text = text.trim();
    if text.is_empty() {
        return Sport::Unknown(None);
    }
    if let Ok(code) = text.parse::<u32>() {
        return match STRAVA_CODES.iter().find(|(c, _, _)| *c == code) {
            Some((_, name, true)) => Sport::Run(format!("{name} (Strava type {code})")),
            Some((_, name, false)) => Sport::Other(format!("{name} (Strava type {code})")),
            None => Sport::Unknown(Some(format!("Strava type {code}"))),
        };
    }
    let said: Vec<Option<bool>> = words(text).iter().map(|w| word_says(w)).collect();
    if said.contains(&Some(false)) {
        Sport::Other(text.to_string())
    } else if said.contains(&Some(true)) {
        Sport::Run(text.to_string())
    } else if words(text).iter().all(|w| SILENT_WORDS.contains(&w.as_str())) {
        Sport::Unknown(None)
    } else {
        Sport::Unknown(Some(text.to_string()))
    }
}

/// The sport an activity's name gives away, as apps name them by default ("Morning Run",
/// "Running 9/21/13 2:03 pm", "Afternoon Ride"): the first or the last word, when only one of the
/// two names a sport. A name is a weaker word than a type, so it is only asked when the file
/// records no sport.
pub fn from_name(name: &str) -> Option<Sport> {
    let w = words(name);
    let (first, last) = (w.first()?, w.last()?);
    let says: Vec<bool> = [first, last]
        .iter()
        .take(if w.len() == 1 { 1 } else { 2 })
        .filter_map(|x| word_says(x))
        .collect();
    match says.as_slice() {
        [true] | [true, true] => Some(Sport::Run(name.trim().to_string())),
        [false] | [false, false] => Some(Sport::Other(name.trim().to_string())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::SpeedFacts;

    fn run(s: &str) -> bool {
        matches!(from_text(s), Sport::Run(_))
    }

    fn other(s: &str) -> bool {
        matches!(from_text(s), Sport::Other(_))
    }

    fn unknown(s: &str) -> bool {
        matches!(from_text(s), Sport::Unknown(_))
    }

    #[test]
    fn free_text_in_the_names_apps_write() {
        for s in [
            "running",
            "Running",
            "RUNNING",
            "Run",
            "Trail Run",
            "TrailRun",
            "trail_running",
            "treadmill_running",
            "street_running",
            "track_running",
            "indoor_running",
            "VirtualRun",
            "Virtual Run",
            "ultra_run",
            "obstacle_run",
            "jogging",
            "Laufen",
            "Course à pied",
            "Correr",
            "Corsa",
            "Hardlopen",
            "Corrida",
            "Löpning",
            "Бег",
            "9",
        ] {
            assert!(run(s), "{s}: {:?}", from_text(s));
        }
        for s in [
            "cycling",
            "Biking",
            "Ride",
            "VirtualRide",
            "EBikeRide",
            "mountain_biking",
            "road_biking",
            "Swim",
            "lap_swimming",
            "Walk",
            "walking",
            "casual_walking",
            "Hike",
            "hiking",
            "Alpine Ski",
            "NordicSki",
            "Rowing",
            "Kayaking",
            "Stand Up Paddling",
            "Elliptical",
            "strength_training",
            "Weight Training",
            "Workout",
            "Yoga",
            "Radfahren",
            "Vélo",
            "Ciclismo",
            "Fietsen",
            "Wandern",
            "Marche",
            "Caminar",
            "Randonnée",
            "Schwimmen",
            "track cycling",
            "bike to run transition",
            "Wheelchair",
            "1",
            "4",
            "10",
            "17",
        ] {
            assert!(other(s), "{s}: {:?}", from_text(s));
        }
        for s in [
            "",
            "generic",
            "other",
            "uncategorized",
            "Other",
            "jkljkl",
            "...",
            "12",
            "multi_sport",
        ] {
            assert!(unknown(s), "{s}: {:?}", from_text(s));
        }
        assert_eq!(from_text("1"), Sport::Other("ride (Strava type 1)".into()));
        assert_eq!(from_text("12"), Sport::Unknown(Some("Strava type 12".into())));
    }

    #[test]
    fn fit_codes_by_name_never_by_number() {
        assert_eq!(fit(Some(1), None), Sport::Run("running".into()));
        assert_eq!(fit(Some(1), Some(3)), Sport::Run("running (trail)".into()));
        assert_eq!(fit(Some(1), Some(1)), Sport::Run("running (treadmill)".into()));
        assert_eq!(fit(Some(1), Some(4)), Sport::Run("running (track)".into()));
        assert_eq!(fit(Some(1), Some(45)), Sport::Run("running (indoor running)".into()));
        assert_eq!(fit(Some(0), None), Sport::Unknown(None));
        assert_eq!(fit(Some(0), Some(1)), Sport::Unknown(None));
        assert_eq!(fit(None, None), Sport::Unknown(None));
        assert_eq!(fit(Some(2), Some(7)), Sport::Other("cycling (road)".into()));
        assert_eq!(fit(Some(37), None), Sport::Other("stand-up paddleboarding".into()));
        assert_eq!(fit(Some(11), Some(1)), Sport::Other("walking (treadmill)".into()));
        assert_eq!(
            fit(Some(4), Some(1)),
            Sport::Unknown(Some("fitness equipment (treadmill)".into()))
        );
        assert_eq!(
            fit(Some(4), Some(15)),
            Sport::Other("fitness equipment (elliptical)".into())
        );
        assert_eq!(fit(Some(66), None), Sport::Other("wheelchair push run".into()));
        assert_eq!(fit(Some(200), None), Sport::Unknown(Some("FIT sport 200".into())));
        // Every sport the table names is a run only when it is running.
        for (n, name) in FIT_SPORTS {
            let s = fit(Some(*n), None);
            assert_eq!(matches!(s, Sport::Run(_)), *n == 1, "{n} {name}");
        }
    }

    #[test]
    fn names_as_apps_write_them() {
        assert!(matches!(from_name("Morning Run"), Some(Sport::Run(_))));
        assert!(matches!(from_name("Running 9/21/13 2:03 pm"), Some(Sport::Run(_))));
        assert!(matches!(from_name("Afternoon Ride"), Some(Sport::Other(_))));
        assert!(matches!(from_name("Cycling 9/21/13"), Some(Sport::Other(_))));
        assert!(matches!(from_name("Evening Walk"), Some(Sport::Other(_))));
        assert_eq!(from_name("casual stroll"), None);
        assert_eq!(from_name("Day 01"), None);
        assert_eq!(from_name("Walk then run"), None, "both: the pace decides");
        assert_eq!(from_name(""), None);
    }

    fn activity(km: f64, secs: f64, sport: Sport) -> Activity {
        Activity {
            sport,
            sport_by: "test",
            start: chrono::DateTime::parse_from_rfc3339("2024-05-01T06:00:00Z").unwrap(),
            distance_m: km * 1000.0,
            elapsed_s: secs,
            moving_s: Some(secs),
            avg_hr: None,
            avg_cadence: None,
            gear: None,
            source: "t".into(),
            speed: SpeedFacts::default(),
            stand_in: false,
        }
    }

    #[test]
    fn with_no_sport_the_pace_decides_at_each_limit() {
        let none = Sport::Unknown(None);
        let verdict = |km: f64, secs: f64| decide(&activity(km, secs, none.clone()), Choice::Auto);
        // 3:00 /km is the fastest pace taken; a second faster is not.
        assert!(
            matches!(verdict(10.0, 1800.0), Verdict::Run { note: Some(n) } if n.contains("by its pace (3:00 /km)"))
        );
        assert!(matches!(verdict(10.0, 1799.0), Verdict::NotARun { reason } if reason.contains("too fast")));
        assert!(matches!(verdict(50.0, 7250.0), Verdict::NotARun { reason } if reason.contains("2:25 /km")));
        // 15:00 /km is the slowest.
        assert!(matches!(verdict(4.0, 3600.0), Verdict::Run { .. }));
        assert!(matches!(verdict(4.0, 3601.0), Verdict::NotARun { reason } if reason.contains("too slow")));
        // Fast stretches give a ride away even at a runner's average.
        let mut a = activity(10.0, 2400.0, none.clone());
        a.speed.riding_share = Some(0.051);
        assert!(matches!(decide(&a, Choice::Auto), Verdict::NotARun { reason } if reason.contains("24 km/h")));
        a.speed.riding_share = Some(0.05);
        assert!(matches!(decide(&a, Choice::Auto), Verdict::Run { .. }));
        // Never faster than a walk.
        let mut w = activity(6.0, 3500.0, none.clone());
        w.speed.p90_m_s = Some(RUNNING_SPEED_M_S - 0.01);
        assert!(
            matches!(decide(&w, Choice::Auto), Verdict::NotARun { reason } if reason.contains("never at a running pace"))
        );
        w.speed.p90_m_s = Some(RUNNING_SPEED_M_S);
        assert!(matches!(decide(&w, Choice::Auto), Verdict::Run { .. }));
        // --sport run takes it whatever the pace; --sport any takes every sport.
        assert_eq!(
            decide(&activity(50.0, 7250.0, none), Choice::Run),
            Verdict::Run { note: None }
        );
        let ride = activity(50.0, 7250.0, Sport::Other("cycling".into()));
        assert!(
            matches!(decide(&ride, Choice::Run), Verdict::NotARun { reason } if reason == "not a run: cycling (test)")
        );
        assert_eq!(decide(&ride, Choice::Any), Verdict::Run { note: None });
        // A declared run is a run, whatever its pace.
        let run = activity(10.0, 1000.0, Sport::Run("running".into()));
        assert_eq!(decide(&run, Choice::Auto), Verdict::Run { note: None });
    }

    #[test]
    fn fragments_are_too_short_below_either_minimum() {
        assert!(!too_short(300.0, 120.0));
        assert!(too_short(299.9, 3600.0));
        assert!(too_short(5000.0, 119.0));
        assert!(too_short(5.73, 13.7));
    }
}
