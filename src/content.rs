//! The coach's words: advice items and routines from data/*.json, compiled in and typed.
