//! Tier 5: the `instainstru-local` binary, started as a developer starts it and driven over
//! HTTP like a client.

mod common;

use std::{
    path::{Path, PathBuf},
    process::Command,
};

use common::{start, temp_dir};

async fn get(base: &str, path: &str) -> (u16, serde_json::Value) {
    let response = reqwest::get(format!("{base}{path}")).await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn serves_the_seeded_catalog_and_keeps_data_across_a_restart() {
    let dir = temp_dir("restart");
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

async fn post(base: &str, path: &str, body: serde_json::Value) -> (u16, String) {
    let response = reqwest::Client::new().post(format!("{base}{path}")).json(&body).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// `instainstru-local outbox`, run beside the serving platform as a developer would.
fn outbox(data_dir: &Path) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_instainstru-local"))
        .args(["--data-dir", data_dir.to_str().unwrap(), "outbox", "--limit", "1"])
        .env("RUST_LOG", "warn")
        .output()
        .expect("run instainstru-local outbox");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[tokio::test]
async fn a_developer_follows_a_reset_link_from_the_outbox() {
    let dir = temp_dir("outbox");
    let (platform, _) = start(&dir);
    let base = platform.base.clone();
    let (status, _) =
        post(&base, "/api/v1/auth/password-reset", serde_json::json!({ "email": "john.smith@example.com" })).await;
    assert_eq!(status, 202);

    let mail = outbox(&dir);
    assert!(mail.contains("to john.smith@example.com"), "{mail}");
    let link =
        mail.split_whitespace().find(|w| w.contains("/reset-password?token=")).unwrap_or_else(|| panic!("{mail}"));
    assert!(link.starts_with(&base), "the link points at this platform: {link}");
    let token = link.split("token=").nth(1).unwrap();

    let confirm = serde_json::json!({ "token": token, "new_password": "Fresh start 1" });
    let (status, body) = post(&base, "/api/v1/auth/password-reset/confirm", confirm).await;
    assert_eq!(status, 204, "{body}");
    let (status, _) = post(
        &base,
        "/api/v1/auth/login",
        serde_json::json!({ "email": "john.smith@example.com", "password": "Test1234" }),
    )
    .await;
    assert_eq!(status, 401);
    let login = serde_json::json!({ "email": "john.smith@example.com", "password": "Fresh start 1" });
    let (status, body) = post(&base, "/api/v1/auth/login", login).await;
    assert_eq!(status, 200, "{body}");
    let tokens: serde_json::Value = serde_json::from_str(&body).unwrap();
    let response = reqwest::Client::new()
        .get(format!("{base}/api/v1/me"))
        .bearer_auth(tokens["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    drop(platform);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The deploy smoke test (README "Deploy to AWS") against the local platform, as it is run
/// against a stage: health, catalog, a search, register → login → book a bookable slot →
/// cancel → the slot is bookable again.
#[test]
fn the_smoke_test_passes_against_the_local_platform() {
    let dir = temp_dir("smoke");
    let (platform, _) = start(&dir);
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scripts/smoke.py");
    let output = Command::new("python3").arg(&script).arg(&platform.base).output().expect("run python3 smoke.py");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    for step in ["health", "catalog", "search", "register", "login", "availability", "book", "cancel", "released"] {
        assert!(stdout.contains(&format!("ok   {step}")), "{step} not checked:\n{stdout}");
    }
    drop(platform);

    // And it fails, naming the step, when the stage does not answer.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let output = Command::new("python3").arg(&script).arg(format!("http://{closed}")).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("FAIL GET /health"), "{output:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `seed --table` loads the demo data into a deployed stage's table through the AWS SDK's
/// usual configuration (here pointed at moto's DynamoDB), and a second run is a no-op.
#[tokio::test]
async fn seed_table_loads_a_fresh_stage_through_the_aws_sdk() {
    let moto = instainstru_testkit::moto_endpoint();
    let table = instainstru_testkit::unique_table("stage");
    let client = instainstru_testkit::dynamodb_client(&moto);
    instainstru_shared::store::create_table(&client, &table).await.unwrap();
    let seed = || {
        Command::new(env!("CARGO_BIN_EXE_instainstru-local"))
            .args(["seed", "--table", &table])
            .env("AWS_ENDPOINT_URL", &moto.url)
            .env("AWS_REGION", "us-east-1")
            .env("AWS_ACCESS_KEY_ID", "local")
            .env("AWS_SECRET_ACCESS_KEY", "local")
            .env("RUST_LOG", "warn")
            .output()
            .expect("run instainstru-local seed --table")
    };
    let first = seed();
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(first.status.success(), "{stdout}{}", String::from_utf8_lossy(&first.stderr));
    assert!(stdout.contains(&format!("into table {table}")), "{stdout}");
    let admin = client
        .get_item()
        .table_name(&table)
        .key("PK", aws_sdk_dynamodb::types::AttributeValue::S("EMAIL#admin@instainstru.com".into()))
        .key("SK", aws_sdk_dynamodb::types::AttributeValue::S("EMAIL".into()))
        .send()
        .await
        .unwrap();
    assert!(admin.item.is_some(), "the admin's e-mail claim was written");
    let second = seed();
    assert!(String::from_utf8_lossy(&second.stdout).contains("already holds this seed"), "{second:?}");
}
