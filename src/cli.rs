//! The command line, as clap types only: no logic here. The `///` comments are the help text.
//! `lumbar completions` and `lumbar man` are generated from these same types.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum, ValueHint};
use clap_complete::{ArgValueCandidates, ArgValueCompleter};

use crate::commands::completions::candidates;

use crate::model::{Area, DistanceInput, Duration, PainLevel, Rpe, Side, Surface, Timing, Units, WhenInput};

/// The long help of every WHEN option: the forms `model::when` reads.
const WHEN_HELP: &str = "\
When, in the local time zone (TZ): a date (2026-11-25, taken as noon), a date and time \
(2026-11-25T07:30, '2026-11-25 07:30', 'Tue 2026-11-25 07:30'), RFC 3339 with an offset \
(2026-11-25T07:30:00+01:00 or ...Z, as --json prints times), now, today, yesterday, \
'2 days ago', '3d ago', -3d, '1 week ago', -1w, a weekday (monday: the last Monday, \
or today when it is Monday), or 'last monday' (the Monday before today). \
Relative days keep the time of day of now; a list filter takes the whole day.";

const TOP_EXAMPLES: &str = "\
Examples:
  lumbar run add 8k 42:30 --surface trail --warmup --stretch
  lumbar pain add 3 --when after --run last
  lumbar coach
  lumbar redflags
  lumbar routine warmup --timer
  lumbar demo --data-dir /tmp/lumbar-demo && lumbar --data-dir /tmp/lumbar-demo coach

Data: a JSON file in --data-dir, $LUMBAR_DATA_DIR, $XDG_DATA_HOME/lumbar or ~/.local/share/lumbar.
lumbar gives information, not diagnoses: see a clinician for pain that persists.";

/// A running coach and lower-back-pain logger that keeps your data in one local JSON file.
#[derive(Debug, Parser)]
#[command(name = "lumbar", version, about, after_help = TOP_EXAMPLES, arg_required_else_help = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Folder that holds the store [default: $XDG_DATA_HOME/lumbar, else ~/.local/share/lumbar]
    #[arg(long, global = true, env = "LUMBAR_DATA_DIR", value_name = "DIR", value_hint = ValueHint::DirPath)]
    pub data_dir: Option<PathBuf>,

    /// Print exactly one JSON document on stdout (messages go to stderr)
    #[arg(long, global = true)]
    pub json: bool,

    /// Display units for this call [default: from `lumbar config`, itself km]
    #[arg(long, global = true, value_enum)]
    pub units: Option<Units>,

    /// When to use colour
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "WHEN",
        default_value_t = ColorWhen::Auto,
        overrides_with = "no_color"
    )]
    pub color: ColorWhen,

    /// Same as --color never
    #[arg(long, global = true, overrides_with = "color")]
    pub no_color: bool,

    /// Only essential output
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

/// `--color WHEN`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// On a terminal, unless NO_COLOR is set (CLICOLOR_FORCE=1 forces it)
    Auto,
    /// Always, even into a pipe or a file
    Always,
    /// Never
    Never,
}

impl GlobalArgs {
    /// `--color`, with `--no-color` taken as `--color never`.
    pub fn color_when(&self) -> ColorWhen {
        if self.no_color { ColorWhen::Never } else { self.color }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Log, list, show, edit and remove runs
    #[command(
        subcommand,
        after_help = "Examples:\n  lumbar run add 8k 42:30 --surface trail --warmup\n  lumbar run list --limit 5\n  lumbar run show 12\n  lumbar run edit 12 --surface grass\n  lumbar run rm 12 --yes"
    )]
    Run(RunCommand),
    /// Log, list, show, edit and remove back-pain entries
    #[command(
        subcommand,
        after_help = "Examples:\n  lumbar pain add 3 --when after --run last\n  lumbar pain list --since 2026-11-01\n  lumbar pain show 4\n  lumbar pain edit 4 --level 2\n  lumbar pain rm 4 --yes"
    )]
    Pain(PainCommand),
    /// Shoe mileage, limits and the nudge to replace a worn pair
    #[command(
        after_help = "Examples:\n  lumbar shoes\n  lumbar shoes --all\n  lumbar shoes add 'Pegasus 41' --default\n  lumbar shoes retire pegasus\n  lumbar shoes --json"
    )]
    Shoes(ShoesArgs),
    /// Should you run today, and how far? The decision first, then what in your history is tied to back pain
    #[command(
        after_help = "Examples:\n  lumbar coach                      (the decision, three flags, a pointer to --full)\n  lumbar coach --full\n  lumbar coach --check && echo 'go'\n  lumbar coach --since 2026-09-01 --full\n  lumbar coach --explain\n  lumbar coach --json | jq .next\n\nExit status with --check: 0 go, 3 hold, 4 rest (1 and 2 are errors, as for every command).\nThis is not a diagnosis. In an emergency call your local emergency number (999, 112, 911)."
    )]
    Coach(CoachArgs),
    /// The days ahead: runs, walk-run, cross-training and rest from the coach's own rules
    #[command(after_help = PLAN_EXAMPLES)]
    Plan(PlanArgs),
    /// Check back pain for symptoms that need a doctor, and how soon
    #[command(
        after_help = "Examples:\n  lumbar redflags                      (asks one question at a time)\n  lumbar redflags --symptom fever --age 55\n  lumbar redflags --none\n  lumbar redflags --list\n  lumbar redflags --seen               (a clinician has seen what you logged)\n  lumbar redflags --seen --date 2026-11-28\n\nThis is not a diagnosis. In an emergency call your local emergency number (999, 112, 911)."
    )]
    Redflags(RedflagsArgs),
    /// Warm-up, stretch, strength, Pilates and relief routines, with a guided timer
    #[command(
        after_help = "Examples:\n  lumbar routine\n  lumbar routine warmup\n  lumbar routine stretch --timer\n  lumbar routine pilates --json"
    )]
    Routine(RoutineArgs),
    /// Weekly totals and a chart of distance with pain beside it
    #[command(after_help = "Examples:\n  lumbar stats\n  lumbar stats --weeks 26 --units mi\n  lumbar stats --json")]
    Stats(StatsArgs),
    /// One HTML page for you and your physiotherapist: a one-minute summary, then charts
    #[command(after_help = REPORT_EXAMPLES)]
    Report(ReportArgs),
    /// Import runs from GPX, TCX, FIT files, zip archives and Strava or Garmin exports
    #[command(
        after_help = "Examples:\n  lumbar import ~/Downloads/morning-run.gpx\n  lumbar import ~/watch/ --surface trail\n  lumbar import ~/Downloads/export_12345.zip --dry-run\n  lumbar import activities.csv\n  gunzip -c run.gpx.gz | lumbar import -\n\nOnly runs are imported: files that name another sport are skipped with its name, and files that\nname none are judged by their pace (--sport changes that).\n\nExit status: 0 when every file was read, even if some held no run (a ride, a route, a fragment, a\nrun already logged: all listed as skipped); 2 when a file could not be read at all (damaged,\ntruncated, not activity data, refused by the archive limits); 1 when the store cannot be read or\nwritten. The runs that could be read are saved either way."
    )]
    Import(ImportArgs),
    /// Write the store as JSON, or runs or pain entries as CSV
    #[command(
        after_help = "Examples:\n  lumbar export > backup.json\n  lumbar export --format csv --output runs.csv\n  lumbar export --format csv --what pain --output pain.csv"
    )]
    Export(ExportArgs),
    /// Show or change settings: units, shoe-limit, surface, age
    #[command(
        after_help = "Examples:\n  lumbar config\n  lumbar config set units mi\n  lumbar config set shoe-limit 400mi\n  lumbar config set surface trail\n  lumbar config get shoe-limit"
    )]
    Config(ConfigArgs),
    /// Fill an empty data folder with a realistic, seeded example history
    #[command(
        after_help = "Examples:\n  lumbar --data-dir /tmp/lumbar-demo demo\n  lumbar --data-dir /tmp/big demo --weeks 1300 --seed 7\n  lumbar --data-dir /tmp/lumbar-demo demo --yes     (replace it; the old one is kept in backups/)"
    )]
    Demo(DemoArgs),
    /// Print a shell completion script
    #[command(
        after_help = "Examples:\n  source <(lumbar completions bash)\n  lumbar completions zsh > ~/.zfunc/_lumbar\n  lumbar completions fish > ~/.config/fish/completions/lumbar.fish"
    )]
    Completions(CompletionsArgs),
    /// Print a man page (roff), or write them all
    #[command(
        after_help = "Examples:\n  lumbar man | man -l -\n  lumbar man run add | man -l -\n  lumbar man --dir ~/.local/share/man/man1\n  lumbar man --dir ./man --force"
    )]
    Man(ManArgs),
}

#[derive(Debug, Subcommand)]
pub enum RunCommand {
    /// Log a finished run
    #[command(
        mut_arg("date", |a| defaulted(a, "now")),
        mut_arg("shoe", |a| defaulted(a, "your default shoe")),
        after_help = "Examples:\n  lumbar run add 5k 28:30\n  lumbar run add 10.2 55m --surface road --no-warmup --stretch\n  lumbar run add half 1:52:10 --date yesterday --shoe pegasus --rpe 8\n  lumbar run add 3.1mi 27:00 --date '2026-11-20 07:30' --notes 'hilly'"
    )]
    Add(RunAdd),
    /// List runs, newest first
    #[command(
        after_help = "Examples:\n  lumbar run list\n  lumbar run list --since 2026-11-01 --limit 5\n  lumbar run list --json"
    )]
    List(ListArgs),
    /// Show one run
    #[command(
        after_help = "Examples:\n  lumbar run show 12\n  lumbar run show 12 --units mi\n  lumbar run show 12 --json"
    )]
    Show(IdArg),
    /// Change a run
    #[command(
        after_help = "Examples:\n  lumbar run edit 12 --surface grass\n  lumbar run edit 12 --distance 8.4k --duration 44:10\n  lumbar run edit 12 --warmup --notes ''"
    )]
    Edit(RunEdit),
    /// Remove a run (asks first on a terminal)
    #[command(after_help = "Examples:\n  lumbar run rm 12\n  lumbar run rm 12 --yes")]
    Rm(RmArgs),
}

#[derive(Debug, Args)]
pub struct RunAdd {
    /// How far: 5k, 8.2km, 3.1mi, 800m, half, marathon, or a number in your units
    #[arg(allow_hyphen_values = true)]
    pub distance: DistanceInput,
    /// How long: 28:30, 1:02:03, 45m, 1h5m, 2700s, or a number of minutes
    #[arg(allow_hyphen_values = true)]
    pub duration: Duration,
    #[command(flatten)]
    pub details: RunDetails,
}

/// The options shared by `run add` and `run edit`.
#[derive(Debug, Args, Default)]
pub struct RunDetails {
    /// When the run started: 2026-11-25, '2026-11-25 07:30', yesterday, '2 days ago', monday
    #[arg(long, value_name = "WHEN", long_help = WHEN_HELP)]
    pub date: Option<WhenInput>,
    /// concrete, asphalt (road), track, treadmill, trail, grass, dirt, sand, mixed
    #[arg(long, value_name = "SURFACE", add = ArgValueCandidates::new(candidates::surfaces))]
    pub surface: Option<Surface>,
    /// You did a warm-up before the run
    #[arg(long, overrides_with = "no_warmup")]
    pub warmup: bool,
    /// You did not warm up
    #[arg(long)]
    pub no_warmup: bool,
    /// You stretched after the run
    #[arg(long, overrides_with = "no_stretch")]
    pub stretch: bool,
    /// You did not stretch
    #[arg(long)]
    pub no_stretch: bool,
    /// Shoe name (a unique prefix will do), id, or none
    #[arg(long, value_name = "NAME|ID", add = ArgValueCandidates::new(candidates::shoes))]
    pub shoe: Option<String>,
    /// Rate of perceived exertion, 1 (very easy) to 10 (all-out)
    #[arg(long)]
    pub rpe: Option<Rpe>,
    /// Free text
    #[arg(long)]
    pub notes: Option<String>,
}

impl RunDetails {
    /// `Some(true)` for `--warmup`, `Some(false)` for `--no-warmup`, `None` when neither was given.
    pub fn warmup(&self) -> Option<bool> {
        tri(self.warmup, self.no_warmup)
    }

    pub fn stretch(&self) -> Option<bool> {
        tri(self.stretch, self.no_stretch)
    }
}

fn tri(yes: bool, no: bool) -> Option<bool> {
    match (yes, no) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        _ => None,
    }
}

#[derive(Debug, Args)]
pub struct RunEdit {
    /// The run's id (see `lumbar run list`)
    #[arg(add = ArgValueCandidates::new(candidates::run_ids))]
    pub id: u64,
    /// New distance
    #[arg(long, allow_hyphen_values = true)]
    pub distance: Option<DistanceInput>,
    /// New duration
    #[arg(long, allow_hyphen_values = true)]
    pub duration: Option<Duration>,
    #[command(flatten)]
    pub details: RunDetails,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only entries on or after this date
    #[arg(long, value_name = "WHEN")]
    pub since: Option<WhenInput>,
    /// Only entries on or before this date
    #[arg(long, value_name = "WHEN")]
    pub until: Option<WhenInput>,
    /// At most this many (the newest)
    #[arg(long, short = 'n', value_name = "N")]
    pub limit: Option<usize>,
}

#[derive(Debug, Args)]
pub struct IdArg {
    /// The id (see the list command)
    #[arg(add = ArgValueCandidates::new(candidates::run_ids))]
    pub id: u64,
}

#[derive(Debug, Args)]
pub struct PainIdArg {
    /// The id (see `lumbar pain list`)
    #[arg(add = ArgValueCandidates::new(candidates::pain_ids))]
    pub id: u64,
}

#[derive(Debug, Args)]
pub struct PainRmArgs {
    /// The id (see `lumbar pain list`)
    #[arg(add = ArgValueCandidates::new(candidates::pain_ids))]
    pub id: u64,
    /// Do not ask for confirmation
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct RmArgs {
    /// The id (see the list command)
    #[arg(add = ArgValueCandidates::new(candidates::run_ids))]
    pub id: u64,
    /// Do not ask for confirmation
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Debug, Subcommand)]
pub enum PainCommand {
    /// Log back pain on the 0–10 scale (0 none, 10 worst imaginable)
    #[command(
        mut_arg("date", |a| defaulted(a, "now")),
        mut_arg("area", |a| defaulted(a, "lower-back")),
        mut_arg("side", |a| defaulted(a, "center")),
        after_help = "Examples:\n  lumbar pain add 3\n  lumbar pain add 5 --when after --run last --side left\n  lumbar pain add 2 --area buttock --when next-day --symptom stiffness\n  lumbar pain add 6 --symptom leg-numbness --notes 'tingling down the right leg'\n\nSymptoms: ache, stiffness, sharp, spasm, radiating, or a red-flag id (lumbar redflags --list).\nA red-flag symptom prints the red-flag check first."
    )]
    Add(PainAdd),
    /// List pain entries, newest first
    #[command(
        after_help = "Examples:\n  lumbar pain list\n  lumbar pain list --since 2026-11-01 --until 2026-11-15\n  lumbar pain list --limit 10 --json"
    )]
    List(ListArgs),
    /// Show one pain entry
    #[command(after_help = "Examples:\n  lumbar pain show 4\n  lumbar pain show 4 --json")]
    Show(PainIdArg),
    /// Change a pain entry
    #[command(after_help = "Examples:\n  lumbar pain edit 4 --level 2\n  lumbar pain edit 4 --when next-day --run 17")]
    Edit(PainEdit),
    /// Remove a pain entry (asks first on a terminal)
    #[command(after_help = "Examples:\n  lumbar pain rm 4\n  lumbar pain rm 4 --yes")]
    Rm(PainRmArgs),
}

#[derive(Debug, Args)]
pub struct PainAdd {
    /// 0 (no pain) to 10 (worst imaginable)
    #[arg(allow_hyphen_values = true)]
    pub level: PainLevel,
    #[command(flatten)]
    pub details: PainDetails,
}

#[derive(Debug, Args, Default)]
pub struct PainDetails {
    /// lower-back, buttock, hip, thigh, leg
    #[arg(long, add = ArgValueCandidates::new(candidates::areas))]
    pub area: Option<Area>,
    /// center, left, right, both
    #[arg(long, add = ArgValueCandidates::new(candidates::sides))]
    pub side: Option<Side>,
    /// during, after, next-day, rest, night
    #[arg(long, value_name = "TIMING", add = ArgValueCandidates::new(candidates::timings))]
    pub when: Option<Timing>,
    /// The run it follows: an id, or `last`
    #[arg(long, value_name = "ID|last", add = ArgValueCandidates::new(candidates::run_refs))]
    pub run: Option<RunRef>,
    /// A symptom; repeat for several (see `lumbar redflags --list`)
    #[arg(long = "symptom", value_name = "SYMPTOM", add = ArgValueCandidates::new(candidates::symptoms))]
    pub symptoms: Vec<String>,
    /// When it was felt: 2026-11-25, '2026-11-25 07:30', yesterday, '2 days ago', monday
    #[arg(long, value_name = "WHEN", long_help = WHEN_HELP)]
    pub date: Option<WhenInput>,
    /// Free text
    #[arg(long)]
    pub notes: Option<String>,
}

#[derive(Debug, Args)]
pub struct PainEdit {
    /// The entry's id (see `lumbar pain list`)
    #[arg(add = ArgValueCandidates::new(candidates::pain_ids))]
    pub id: u64,
    /// New level, 0–10
    #[arg(long, allow_hyphen_values = true)]
    pub level: Option<PainLevel>,
    #[command(flatten)]
    pub details: PainDetails,
}

/// `--run 12` or `--run last`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunRef {
    Id(u64),
    Last,
}

impl std::str::FromStr for RunRef {
    type Err = crate::error::InputError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "last" | "latest" => Ok(RunRef::Last),
            n => n
                .parse::<u64>()
                .ok()
                .filter(|&n| n > 0)
                .map(RunRef::Id)
                .ok_or_else(|| crate::error::InputError::new("run", s, "a run id (a positive number) or `last`")),
        }
    }
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ShoesArgs {
    #[command(subcommand)]
    pub command: Option<ShoesCommand>,
    /// Include retired pairs
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Subcommand)]
pub enum ShoesCommand {
    /// List pairs with their mileage and status
    #[command(after_help = "Examples:\n  lumbar shoes\n  lumbar shoes list --all")]
    List {
        /// Include retired pairs
        #[arg(long)]
        all: bool,
    },
    /// Add a pair
    #[command(
        after_help = "Examples:\n  lumbar shoes add 'Pegasus 41' --default\n  lumbar shoes add Trail --limit 500mi --start 120km"
    )]
    Add {
        /// A name you will recognise (a unique prefix will do later)
        name: String,
        /// When to replace them [default: config shoe-limit, itself 300 mi]
        #[arg(long, value_name = "DISTANCE")]
        limit: Option<DistanceInput>,
        /// Distance already on them
        #[arg(long, value_name = "DISTANCE")]
        start: Option<DistanceInput>,
        /// Use this pair when `run add` has no --shoe
        #[arg(long)]
        default: bool,
    },
    /// Retire a pair (its runs and history stay)
    #[command(after_help = "Examples:\n  lumbar shoes retire pegasus\n  lumbar shoes retire 2")]
    Retire {
        /// Name, unique prefix, or id
        #[arg(add = ArgValueCandidates::new(candidates::all_shoes))]
        shoe: String,
    },
    /// Make a pair the default for new runs
    #[command(after_help = "Examples:\n  lumbar shoes default trail\n  lumbar shoes default 3")]
    Default {
        /// Name, unique prefix, or id
        #[arg(add = ArgValueCandidates::new(candidates::all_shoes))]
        shoe: String,
    },
    /// Rename a pair
    #[command(after_help = "Examples:\n  lumbar shoes rename peg 'Pegasus 41 (blue)'\n  lumbar shoes rename 2 Racers")]
    Rename {
        /// Name, unique prefix, or id
        #[arg(add = ArgValueCandidates::new(candidates::all_shoes))]
        shoe: String,
        /// The new name
        new_name: String,
    },
    /// Remove a pair; its runs keep their record (needs --yes when it has runs)
    #[command(after_help = "Examples:\n  lumbar shoes rm 'Old trainers'\n  lumbar shoes rm 2 --yes")]
    Rm {
        /// Name, unique prefix, or id
        #[arg(add = ArgValueCandidates::new(candidates::all_shoes))]
        shoe: String,
        /// Remove even though runs were logged in it
        #[arg(long, short = 'y')]
        yes: bool,
    },
}

#[derive(Debug, Args)]
pub struct CoachArgs {
    /// The whole review: every flag with its evidence and advice, the insights, and the decision with all its reasons
    #[arg(long)]
    pub full: bool,
    /// Print only the decision line and exit 0 for go, 3 for hold, 4 for rest (for scripts and prompts)
    #[arg(long)]
    pub check: bool,
    /// Review only the flags and insights of the history from this date on (the decision always reads all of it)
    #[arg(long, value_name = "WHEN")]
    pub since: Option<WhenInput>,
    /// List every rule with its threshold, what it reads, its source and how strong the evidence is
    #[arg(long, conflicts_with_all = ["full", "check"])]
    pub explain: bool,
}

const PLAN_EXAMPLES: &str = "\
Examples:
  lumbar plan                                   (7 days from today)
  lumbar plan --days 14 --runs-per-week 4 --long-day saturday
  lumbar plan --ics ~/lumbar-plan.ics           (also a calendar to import)
  lumbar plan --ics - > plan.ics
  lumbar plan --json | jq '.days[] | {date, kind, distance_m}'

Day 1 is the coach's answer now (today, or tomorrow when a run is logged today). Each later day
is the coach's answer as of that day, counting the planned runs before it as done and your pain
as staying where you last logged it. Nothing is stored: the plan is worked out again each time,
so it changes as you log runs and pain.
This is not a diagnosis. In an emergency call your local emergency number (999, 112, 911).";

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// How many days to plan, 1 to 28
    #[arg(long, value_name = "N", default_value_t = crate::plan::DEFAULT_DAYS,
          value_parser = whole_number(1, crate::plan::MAX_DAYS, "days"))]
    pub days: u32,
    /// Runs a week, 1 to 7 [default: from your last 4 weeks, else 3]
    #[arg(long, value_name = "N", value_parser = whole_number(1, 7, "runs"))]
    pub runs_per_week: Option<u32>,
    /// The long run's weekday: monday to sunday, or mon to sun [default: your usual one of the last 8 weeks, else sunday]
    #[arg(long, value_name = "DAY", add = ArgValueCandidates::new(candidates::weekdays))]
    pub long_day: Option<LongDay>,
    /// Also write the plan as a calendar (RFC 5545, one all-day event a day); - prints it instead
    #[arg(long, value_name = "FILE")]
    pub ics: Option<PathBuf>,
    /// Replace FILE if it is a regular file (never the store, its backups or its lock)
    #[arg(long, requires = "ics")]
    pub force: bool,
}

/// `--long-day`: a weekday by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LongDay(pub chrono::Weekday);

impl LongDay {
    /// The weekdays as typed, Monday first.
    pub const NAMES: [&str; 7] = crate::model::when::WEEKDAY_NAMES;
}

impl std::str::FromStr for LongDay {
    type Err = crate::error::InputError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let typed = s.trim().to_ascii_lowercase();
        LongDay::NAMES
            .iter()
            .position(|n| typed.len() >= 3 && n.starts_with(typed.as_str()))
            .and_then(|i| chrono::Weekday::try_from(i as u8).ok())
            .map(LongDay)
            .ok_or_else(|| {
                crate::error::InputError::new("long-day", s, "a weekday: monday to sunday, or mon to sun")
                    .suggesting(&LongDay::NAMES)
            })
    }
}

#[derive(Debug, Args)]
pub struct RedflagsArgs {
    /// A symptom you have; repeat for several (see --list)
    #[arg(long = "symptom", value_name = "ID", add = ArgValueCandidates::new(candidates::symptoms))]
    pub symptoms: Vec<String>,
    /// Your age in years (some flags depend on it)
    #[arg(long)]
    pub age: Option<u32>,
    /// None of the red-flag symptoms apply
    #[arg(long, conflicts_with = "symptoms")]
    pub none: bool,
    /// List every red-flag id with its question
    #[arg(long)]
    pub list: bool,
    /// Record that a clinician has seen the red flags logged up to now (or --date)
    #[arg(long, conflicts_with_all = ["symptoms", "none", "list", "age"])]
    pub seen: bool,
    /// With --seen: when the clinician saw them: 2026-11-25, '2026-11-25 15:30', yesterday [default: now]
    #[arg(long, value_name = "WHEN", requires = "seen")]
    pub date: Option<WhenInput>,
}

#[derive(Debug, Args)]
pub struct RoutineArgs {
    /// warmup, stretch, strength, pilates, cross-training, form, relief
    #[arg(add = ArgValueCandidates::new(candidates::routines))]
    pub name: Option<String>,
    /// A guided session on the terminal: countdowns, Enter to skip, q to quit
    #[arg(long, requires = "name")]
    pub timer: bool,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// How many weeks back, this week included
    #[arg(long, default_value_t = 12, value_parser = whole_number(1, 5200, "weeks"))]
    pub weeks: u32,
}

const REPORT_EXAMPLES: &str = "\
Examples:
  lumbar report --output report.html --open
  lumbar report --weeks 26 --output back-pain.html
  lumbar report > report.html
  lumbar report --json | jq .pain.typical

The page needs nothing else: styles and charts are inside it (no script, no link, no image
file), it reads on a phone and prints on two A4 or Letter pages. Every text from your log is
escaped, no path of this machine is in it, and --output writes it readable by you alone (0600),
never over an existing file without --force.
This is not a diagnosis. In an emergency call your local emergency number (999, 112, 911).";

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Write the page to FILE instead of stdout
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace FILE if it is a regular file (never the store, its backups or its lock)
    #[arg(long, requires = "output")]
    pub force: bool,
    /// How many weeks back, this week included
    #[arg(long, default_value_t = 12, value_parser = whole_number(1, 5200, "weeks"))]
    pub weeks: u32,
    /// Open the written file with the system's opener (xdg-open, or open on macOS)
    #[arg(long, requires = "output")]
    pub open: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Files or folders (GPX, TCX, FIT, .gz, .zip, a Strava or Garmin export, activities.csv; - for stdin)
    #[arg(required = true, value_name = "PATH", value_hint = ValueHint::AnyPath)]
    pub paths: Vec<PathBuf>,
    /// Which activities to take: runs only, files that name no sport judged by pace (default);
    /// `run`: files that name no sport are runs, whatever their pace; `any`: every activity
    #[arg(long, value_name = "run|any")]
    pub sport: Option<SportArg>,
    /// Surface for every imported run
    #[arg(long, add = ArgValueCandidates::new(candidates::surfaces))]
    pub surface: Option<Surface>,
    /// Shoe for every imported run
    #[arg(long, value_name = "NAME|ID", add = ArgValueCandidates::new(candidates::shoes))]
    pub shoe: Option<String>,
    /// Mark every imported run as warmed up
    #[arg(long, overrides_with = "no_warmup")]
    pub warmup: bool,
    /// Mark every imported run as not warmed up
    #[arg(long)]
    pub no_warmup: bool,
    /// Show what would be imported; write nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// `import --sport`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SportArg {
    /// Files that name no sport are runs, whatever their pace.
    Run,
    /// Every activity, whatever sport it names.
    Any,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Json,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportWhat {
    Runs,
    Pain,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// json (the whole store) or csv
    #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
    pub format: ExportFormat,
    /// With csv: runs or pain entries
    #[arg(long, value_enum, default_value_t = ExportWhat::Runs)]
    pub what: ExportWhat,
    /// Write to this file instead of stdout
    #[arg(long, short = 'o', value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub output: Option<PathBuf>,
    /// Replace FILE if it is a regular file (never the store, its backups or its lock)
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ConfigArgs {
    #[command(subcommand)]
    pub command: Option<ConfigCommand>,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Every setting with its value
    #[command(after_help = "Examples:\n  lumbar config list\n  lumbar config list --json")]
    List,
    /// One setting's value
    #[command(after_help = "Examples:\n  lumbar config get units\n  lumbar config get shoe-limit")]
    Get {
        /// units, shoe-limit, surface, age, no-rest-days
        #[arg(add = ArgValueCandidates::new(candidates::config_keys))]
        key: String,
    },
    /// Change a setting (`none` clears surface or age)
    #[command(
        after_help = "Examples:\n  lumbar config set units mi\n  lumbar config set shoe-limit 500km\n  lumbar config set surface trail\n  lumbar config set age none"
    )]
    Set {
        /// units, shoe-limit, surface, age, no-rest-days
        #[arg(add = ArgValueCandidates::new(candidates::config_keys))]
        key: String,
        /// The new value
        #[arg(allow_hyphen_values = true, add = ArgValueCompleter::new(candidates::config_values))]
        value: String,
    },
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// How many weeks of history, ending this week
    #[arg(long, default_value_t = 12, value_parser = whole_number(1, 5200, "weeks"))]
    pub weeks: u32,
    /// The same seed makes the same history
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Replace a store that holds data without asking (what it replaces is kept as a dated copy)
    #[arg(long, short = 'y', alias = "force")]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// The command whose page to print, e.g. `run add` [default: the page of lumbar itself]
    #[arg(value_name = "COMMAND", add = ArgValueCompleter::new(candidates::command_words))]
    pub command: Vec<String>,
    /// Write every page (lumbar.1, lumbar-run-add.1, ...) into this folder instead
    #[arg(long, value_name = "DIR", conflicts_with = "command", value_hint = ValueHint::DirPath)]
    pub dir: Option<PathBuf>,
    /// With --dir: replace pages already there
    #[arg(long, requires = "dir")]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// An option shared by `add` and `edit` says its default only under `add`: `edit` keeps what
/// the entry has.
fn defaulted(arg: clap::Arg, default: &str) -> clap::Arg {
    let with = |text: Option<&clap::builder::StyledStr>| text.map(|t| format!("{t} [default: {default}]"));
    let (help, long) = (with(arg.get_help()), with(arg.get_long_help()));
    let arg = match help {
        Some(h) => arg.help(h),
        None => arg,
    };
    match long {
        Some(l) => arg.long_help(l),
        None => arg,
    }
}

/// A value parser for a whole number in `min..=max` whose error says so in words: clap names the
/// flag, this the range ("invalid value '0' for '--weeks <WEEKS>': must be a whole number of
/// weeks from 1 to 5200").
fn whole_number(min: u32, max: u32, unit: &'static str) -> impl Fn(&str) -> Result<u32, String> + Clone {
    move |s: &str| {
        let words = || format!("must be a whole number of {unit} from {min} to {max}");
        match s.trim().parse::<u64>() {
            Ok(n) if (u64::from(min)..=u64::from(max)).contains(&n) => Ok(n as u32),
            _ => Err(words()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn ranges_are_said_in_words() {
        let weeks = whole_number(1, 5200, "weeks");
        assert_eq!(weeks("12"), Ok(12));
        assert_eq!(weeks("5200"), Ok(5200));
        for bad in ["0", "5201", "-1", "x", "1.5", "99999999999999999999"] {
            assert_eq!(
                weeks(bad),
                Err("must be a whole number of weeks from 1 to 5200".into()),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
