//! Tier 5: the `instainstru-local` binary, started as a developer starts it and driven over
//! HTTP like a client.

use std::{
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

struct Running {
    child: Child,
    base: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(data_dir: &Path) -> (Running, Vec<String>) {
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

fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("instainstru-local-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

async fn get(base: &str, path: &str) -> (u16, serde_json::Value) {
    let response = reqwest::get(format!("{base}{path}")).await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn serves_the_seeded_catalog_and_keeps_data_across_a_restart() {
    let dir = temp_dir();
    let (platform, output) = start(&dir);
    assert!(output.iter().any(|l| l.contains("seeded")), "{output:?}");
    assert!(output.iter().any(|l| l.contains("/api/v1/docs")), "{output:?}");

    let (status, body) = get(&platform.base, "/api/v1/catalog/all-services").await;
    assert_eq!(status, 200);
    assert_eq!(body["categories"].as_array().unwrap().len(), 7);
    assert_eq!(body["total_services"], 250);
    let counted: usize =
        body["categories"].as_array().unwrap().iter().map(|c| c["services"].as_array().unwrap().len()).sum();
    assert_eq!(counted, 250);

    let sarah = instainstru_shared::seed::user_id("sarah.chen@example.com");
    let (status, profile) = get(&platform.base, &format!("/api/v1/instructors/{sarah}")).await;
    assert_eq!(status, 200);
    assert!(!profile.to_string().contains("@example.com"), "no email in a public profile");
    assert!(!profile.to_string().contains("+1212"), "no phone in a public profile");

    let suspended = instainstru_shared::seed::user_id("david.martinez@example.com");
    let (status, problem) = get(&platform.base, &format!("/api/v1/instructors/{suspended}")).await;
    assert_eq!((status, problem["code"].as_str()), (404, Some("instructor_not_found")));
    drop(platform);

    // Restart on the same folder: the data is there, and it is not seeded again.
    let (platform, output) = start(&dir);
    assert!(output.iter().any(|l| l.contains("already present")), "{output:?}");
    let (status, body) = get(&platform.base, "/api/v1/catalog/all-services").await;
    assert_eq!((status, body["total_services"].as_u64()), (200, Some(250)));
    drop(platform);
    let _ = std::fs::remove_dir_all(&dir);
}
