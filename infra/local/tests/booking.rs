//! Tier 5 for bookings: the `instainstru-local` binary, started as a developer starts it,
//! books a lesson over HTTP with a token signed by the platform's development key, shows
//! it in the slots and the student's lessons, and cancels it.

use std::{
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use instainstru_shared::{
    auth::{Caller, TokenSigner},
    clock::SystemClock,
    rbac::{Role, effective_permissions},
    seed,
};
use serde_json::{Value, json};

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the binary on a free port over `data_dir` and returns it with its base URL.
fn start(data_dir: &std::path::Path) -> (Running, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_instainstru-local"))
        .args(["--data-dir", data_dir.to_str().unwrap(), "serve", "--port", "0"])
        .env("RUST_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start instainstru-local");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let started = Instant::now();
    let mut base = None;
    while let Ok(line) = rx.recv_timeout(Duration::from_secs(120).saturating_sub(started.elapsed())) {
        if let Some(url) = line.trim().strip_prefix("API") {
            base = Some(url.trim().trim_end_matches("/api/v1").to_owned());
        }
        if line.starts_with("Ctrl-C") {
            break;
        }
    }
    (Running(child), base.expect("the platform printed its API address"))
}

fn student_token(data_dir: &std::path::Path, email: &str) -> String {
    let keys = instainstru_local::keys::load_or_create(Some(data_dir)).unwrap();
    let signer = TokenSigner::from_pem(&keys.private_pem).unwrap();
    let roles = vec![Role::Student];
    let caller = Caller {
        user_id: seed::user_id(email),
        permissions: effective_permissions(&roles, &Default::default(), &Default::default()),
        roles,
        session_id: instainstru_shared::ids::new_id(),
    };
    signer.issue(&SystemClock, &caller).unwrap().0
}

#[tokio::test]
async fn a_student_books_and_cancels_a_lesson_on_the_running_platform() {
    let dir = std::env::temp_dir().join(format!("instainstru-local-booking-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let (platform, base) = start(&dir);
    let http = reqwest::Client::new();
    let token = student_token(&dir, "john.smith@example.com");
    let sarah = seed::user_id("sarah.chen@example.com");

    let next: Value = http
        .get(format!("{base}/api/v1/instructors/{sarah}/next-available?duration=60"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let slot = &next["next"];
    assert!(slot["date"].is_string(), "{next}");
    let body = json!({
        "instructor_id": sarah,
        "offering_id": seed::offering_id("sarah.chen@example.com", "piano"),
        "date": slot["date"],
        "start_time": slot["time"],
        "duration_minutes": 60,
        "location_type": "online",
    });
    let res = http.post(format!("{base}/api/v1/bookings")).bearer_auth(&token).json(&body).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 201);
    let booking: Value = res.json().await.unwrap();
    assert_eq!(booking["start"], slot["start"]);

    // The slot is gone, the lesson is listed, and a cancel frees the slot again.
    let after: Value = http
        .get(format!("{base}/api/v1/instructors/{sarah}/next-available?duration=60"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_ne!(after["next"]["start"], slot["start"]);
    let mine: Value =
        http.get(format!("{base}/api/v1/bookings")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(mine["items"][0]["id"], booking["id"]);
    let res = http
        .post(format!("{base}/api/v1/bookings/{}/cancel", booking["id"].as_str().unwrap()))
        .bearer_auth(&token)
        .json(&json!({ "reason": "testing the platform" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let again: Value = http
        .get(format!("{base}/api/v1/instructors/{sarah}/next-available?duration=60"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(again["next"]["start"], slot["start"]);
    drop(platform);
    let _ = std::fs::remove_dir_all(&dir);
}
