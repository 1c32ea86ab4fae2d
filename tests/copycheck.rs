//! Our own words: fails when any project file repeats a run of eight words from the source
//! article. The same check as `shared/tools/copycheck.py`, in Rust, so `cargo test` runs it.
//! The article lives beside the repository (../shared/source); without it the check is skipped
//! and says why.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

const RUN: usize = 8;
const ARTICLE: &str = "../shared/source/lower-back-pain-when-running.txt";
const EXTENSIONS: &[&str] = &["rs", "json", "md", "toml", "txt", "csv"];

/// Words as the Python tool sees them: lowercase runs of a–z and the straight apostrophe.
fn words(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let mut out = Vec::new();
    let mut word = String::new();
    for c in lower.chars() {
        if c.is_ascii_lowercase() || c == '\'' {
            word.push(c);
        } else if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// Every eight-word run of the article body (its first four lines are our header).
fn article_runs(article: &str) -> HashSet<Vec<String>> {
    let body = article.splitn(5, '\n').last().unwrap_or("");
    words(body).windows(RUN).map(<[String]>::to_vec).collect()
}

/// The runs of `text` that the article contains.
fn copied(text: &str, runs: &HashSet<Vec<String>>) -> Vec<String> {
    words(text)
        .windows(RUN)
        .filter(|w| runs.contains(*w))
        .map(|w| w.join(" "))
        .collect()
}

/// data/*.json, src/**, docs/**, tests/** and README.md.
fn project_files(root: &Path) -> Vec<PathBuf> {
    let mut files = vec![root.join("README.md")];
    for dir in ["data", "src", "docs", "tests"] {
        for entry in walkdir::WalkDir::new(root.join(dir)).into_iter().filter_map(Result::ok) {
            let path = entry.path();
            if path.is_file()
                && path
                    .extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| EXTENSIONS.contains(&e))
            {
                files.push(path.to_path_buf());
            }
        }
    }
    files.retain(|p| p.is_file());
    files
}

#[test]
fn no_run_of_eight_words_is_copied_from_the_article() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let Ok(article) = std::fs::read_to_string(root.join(ARTICLE)) else {
        println!("copycheck skipped: the article is not at {ARTICLE} (it lives beside the repository)");
        return;
    };
    let runs = article_runs(&article);
    assert!(runs.len() > 1000, "the article looks truncated");
    let files = project_files(root);
    assert!(
        files.iter().any(|f| f.ends_with("data/advice.json")),
        "data/ was not scanned"
    );
    let mut hits = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for run in copied(&text, &runs) {
            hits.push(format!(
                "{}: \"{run}\"",
                path.strip_prefix(root).unwrap_or(&path).display()
            ));
        }
    }
    assert!(hits.is_empty(), "copied from the article:\n{}", hits.join("\n"));
}

#[test]
fn the_check_catches_eight_words_and_allows_seven() {
    let article = "header 1\nheader 2\nheader 3\n\nOne two three four five six seven eight nine ten.";
    let runs = article_runs(article);
    assert!(
        copied("header one two three", &runs).is_empty(),
        "the header is not the article"
    );
    assert_eq!(
        copied("So: ONE two, three four five six-seven eight!", &runs),
        ["one two three four five six seven eight"]
    );
    assert!(copied("one two three four five six seven", &runs).is_empty());
    assert!(copied("two three four five six seven eight nine", &runs).len() == 1);
    // A curly apostrophe splits a word, as in the Python tool.
    assert_eq!(words("child’s pose"), ["child", "s", "pose"]);
    assert_eq!(words("don't"), ["don't"]);
}
