//! The named values a runner types: surface, pain area, side and timing, plus the two
//! 0–10 scales (pain, RPE). Each name parses case-insensitively, and a typo gets the closest
//! valid name suggested.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::InputError;

/// Declares a kebab-case name enum with aliases, `FromStr` (with suggestions), `Display`
/// and serde as the canonical name.
macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident, $field:literal { $($variant:ident => $text:literal $(| $alias:literal)*),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub const NAMES: &'static [&'static str] = &[$($text),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            fn accepted() -> String {
                let mut names: Vec<String> = Vec::new();
                $(
                    let aliases: &[&str] = &[$($alias),*];
                    if aliases.is_empty() {
                        names.push($text.to_string());
                    } else {
                        names.push(format!("{} (or {})", $text, aliases.join(", ")));
                    }
                )+
                format!("one of {}", names.join(", "))
            }
        }

        impl FromStr for $name {
            type Err = InputError;
            fn from_str(raw: &str) -> Result<Self, Self::Err> {
                let s = raw.trim().to_ascii_lowercase().replace('_', "-");
                $(
                    if s == $text $(|| s == $alias)* { return Ok($name::$variant); }
                )+
                Err(InputError::new($field, raw, &Self::accepted()).suggesting(Self::NAMES))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                // The store holds canonical names: match them without allocating.
                $(if s == $text { return Ok($name::$variant); })+
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

named_enum!(
    /// What the run was on. Concrete and asphalt count as hard.
    Surface, "surface" {
        Concrete => "concrete" | "pavement" | "sidewalk",
        Asphalt => "asphalt" | "road" | "tarmac",
        Track => "track",
        Treadmill => "treadmill",
        Trail => "trail",
        Grass => "grass",
        Dirt => "dirt" | "gravel",
        Sand => "sand",
        Mixed => "mixed",
    }
);

impl Surface {
    /// Concrete and asphalt: the surfaces the article and the coach call hard.
    pub fn is_hard(self) -> bool {
        matches!(self, Surface::Concrete | Surface::Asphalt)
    }
}

named_enum!(
    /// Where the pain is.
    Area, "area" {
        LowerBack => "lower-back" | "back" | "low-back",
        Buttock => "buttock" | "glute" | "buttocks",
        Hip => "hip",
        Thigh => "thigh",
        Leg => "leg",
    }
);

named_enum!(
    /// Which side the pain is on.
    Side, "side" {
        Center => "center" | "centre" | "middle",
        Left => "left",
        Right => "right",
        Both => "both",
    }
);

named_enum!(
    /// When the pain came, relative to running.
    Timing, "when" {
        During => "during",
        After => "after",
        NextDay => "next-day",
        Rest => "rest",
        Night => "night",
    }
);

/// A 0–10 numeric rating scale value (0 none, 10 worst imaginable).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PainLevel(pub u8);

impl PainLevel {
    /// The band the evidence uses: mild 1–4, moderate 5–6, severe 7–10.
    pub fn band(self) -> &'static str {
        match self.0 {
            0 => "none",
            1..=4 => "mild",
            5..=6 => "moderate",
            _ => "severe",
        }
    }
}

impl FromStr for PainLevel {
    type Err = InputError;
    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        match raw.trim().parse::<u8>() {
            Ok(n) if n <= 10 => Ok(PainLevel(n)),
            _ => Err(InputError::new(
                "pain level",
                raw,
                "a whole number from 0 (no pain) to 10 (worst imaginable)",
            )),
        }
    }
}

impl fmt::Display for PainLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/10", self.0)
    }
}

/// Rate of perceived exertion, 1 (very easy) to 10 (maximal).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Rpe(pub u8);

impl FromStr for Rpe {
    type Err = InputError;
    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        match raw.trim().parse::<u8>() {
            Ok(n @ 1..=10) => Ok(Rpe(n)),
            _ => Err(InputError::new(
                "rpe",
                raw,
                "a whole number from 1 (very easy) to 10 (all-out)",
            )),
        }
    }
}

impl fmt::Display for Rpe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Plain pain descriptors: worth recording, never red flags.
pub const DESCRIPTORS: &[&str] = &["ache", "stiffness", "sharp", "spasm", "radiating"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_surface_name_and_alias_parses() {
        for (i, name) in Surface::NAMES.iter().enumerate() {
            assert_eq!(name.parse::<Surface>().unwrap(), Surface::ALL[i]);
            assert_eq!(name.to_uppercase().parse::<Surface>().unwrap(), Surface::ALL[i]);
        }
        assert_eq!("road".parse::<Surface>().unwrap(), Surface::Asphalt);
        assert!(Surface::Concrete.is_hard() && Surface::Asphalt.is_hard());
        assert!(!Surface::Grass.is_hard() && !Surface::Track.is_hard());
    }

    #[test]
    fn unknown_names_suggest() {
        let e = "concret".parse::<Surface>().unwrap_err();
        assert_eq!(e.field, "surface");
        assert_eq!(e.suggestion.as_deref(), Some("concrete"));
        let e = "lowerback".parse::<Area>().unwrap_err();
        assert_eq!(e.suggestion.as_deref(), Some("lower-back"));
        assert!("".parse::<Side>().is_err());
        assert_eq!("next_day".parse::<Timing>().unwrap(), Timing::NextDay);
    }

    #[test]
    fn scales_have_their_ranges() {
        assert!("0".parse::<PainLevel>().is_ok());
        assert!("10".parse::<PainLevel>().is_ok());
        for bad in ["11", "-1", "3.5", "", "ten"] {
            assert!(bad.parse::<PainLevel>().is_err(), "{bad}");
        }
        assert!("0".parse::<Rpe>().is_err());
        assert!("1".parse::<Rpe>().is_ok());
        assert!("10".parse::<Rpe>().is_ok());
        assert!("11".parse::<Rpe>().is_err());
        assert_eq!(PainLevel(4).band(), "mild");
        assert_eq!(PainLevel(5).band(), "moderate");
        assert_eq!(PainLevel(7).band(), "severe");
    }

    proptest::proptest! {
        #[test]
        fn names_display_then_parse(i in 0usize..9, j in 0usize..5, k in 0usize..4, l in 0usize..5) {
            proptest::prop_assert_eq!(Surface::ALL[i].to_string().parse::<Surface>().unwrap(), Surface::ALL[i]);
            proptest::prop_assert_eq!(Area::ALL[j].to_string().parse::<Area>().unwrap(), Area::ALL[j]);
            proptest::prop_assert_eq!(Side::ALL[k].to_string().parse::<Side>().unwrap(), Side::ALL[k]);
            proptest::prop_assert_eq!(Timing::ALL[l].to_string().parse::<Timing>().unwrap(), Timing::ALL[l]);
        }

        #[test]
        fn pain_display_then_parse(n in 0u8..=10) {
            let shown = PainLevel(n).to_string();
            let number = shown.trim_end_matches("/10");
            proptest::prop_assert_eq!(number.parse::<PainLevel>().unwrap(), PainLevel(n));
        }
    }
}
