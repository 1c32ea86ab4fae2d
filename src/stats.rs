//! Weekly totals over the history.
