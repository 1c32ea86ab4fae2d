//! Shared helpers for the end-to-end tests: every test drives the real binary against its own
//! temporary data folder, with colour off and a fixed time zone.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

pub struct Env {
    pub dir: TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// The data folder (created lazily by the first write).
    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn store_path(&self) -> PathBuf {
        self.data_dir().join("lumbar.json")
    }

    /// `lumbar` with this env's data dir, no colour, UTC, and no terminal.
    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("lumbar").expect("binary");
        c.env("LUMBAR_DATA_DIR", self.data_dir())
            .env("NO_COLOR", "1")
            .env("TZ", "UTC")
            .env_remove("LANG")
            .env_remove("LC_ALL");
        c
    }

    /// Runs lumbar with args, asserts success, and returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().expect("run lumbar");
        assert!(
            out.status.success(),
            "lumbar {args:?} failed ({}):\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    /// Runs lumbar --json with args, asserts success, and parses stdout.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut full = vec!["--json"];
        full.extend_from_slice(args);
        let text = self.ok(&full);
        serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("stdout of {args:?} is not one JSON document: {e}\n{text}"))
    }

    /// Runs lumbar and asserts the exit code; returns stderr.
    pub fn fails(&self, args: &[&str], code: i32) -> String {
        let out = self.cmd().args(args).output().expect("run lumbar");
        assert_eq!(
            out.status.code(),
            Some(code),
            "lumbar {args:?}: expected exit {code}, got {}\nstdout: {}\nstderr: {}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stderr).expect("utf-8 stderr")
    }

    /// The store's bytes, or empty when there is no store yet.
    pub fn store_bytes(&self) -> Vec<u8> {
        std::fs::read(self.store_path()).unwrap_or_default()
    }
}

/// The shared fixtures folder beside the repo, when it exists (CI and dev machines).
pub fn shared_dir() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    p.is_dir().then_some(p)
}
