//! `lumbar report`: one self-contained HTML page for the runner and their clinician.
//!
//! - [`figures`]: every number the page shows, worked out once from the store (also the
//!   `--json` document), from the project's own functions: the weekly stats, the coach's
//!   decision and insights, the red-flag triage, shoe mileage;
//! - [`page`]: the summary a clinician reads in a minute, then the charts, as HTML (maud);
//! - [`charts`]: the charts as inline SVG, readable in black and white;
//! - [`words`]: how numbers and names are written, and the marks that tie each figure on the
//!   page to its place in `--json`.

pub mod charts;
pub mod figures;
pub mod page;
pub mod words;

pub use figures::{Inputs, Report, build};
pub use page::render;
