//! The `instainstru-local` binary, started as a developer starts it (for the tier-5 tests).

use std::{
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

pub struct Running {
    child: Child,
    pub base: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `serve` on a free port over `data_dir`; returns once it prints its banner, with
/// what it printed.
pub fn start(data_dir: &Path) -> (Running, Vec<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_instainstru-local"))
        .args(["--data-dir", data_dir.to_str().unwrap(), "serve", "--port", "0"])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start instainstru-local");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    // Keep reading stdout for the process's whole life, so it never writes to a closed pipe.
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut lines = Vec::new();
    let mut base = None;
    let started = Instant::now();
    while let Ok(line) = rx.recv_timeout(Duration::from_secs(120).saturating_sub(started.elapsed())) {
        if let Some(url) = line.trim().strip_prefix("API") {
            base = Some(url.trim().trim_end_matches("/api/v1").to_owned());
        }
        let done = line.starts_with("Ctrl-C");
        lines.push(line);
        if done || started.elapsed() > Duration::from_secs(120) {
            break;
        }
    }
    let base = base.unwrap_or_else(|| panic!("no API line in {lines:?}"));
    (Running { child, base }, lines)
}

/// A fresh folder for one test's data.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("instainstru-local-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}
