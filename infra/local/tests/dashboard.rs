//! Tier 5: the admin dashboard in a real browser (Debian's headless Chromium, driven by
//! infra/browser/dashboard.mjs) against the local platform, with searches made over HTTP
//! and counted by the analytics worker. Everything the page shows must equal what the admin
//! API says; the page must reach nothing but its own origin, download a real CSV, switch to
//! 7 days, and refresh itself after five minutes (on a clock the driver moves).

mod common;

use std::{path::PathBuf, process::Command, time::Duration};

use common::{start, temp_dir};
use serde_json::{Value, json};

const ADMIN: &str = "admin@instainstru.com";
const PASSWORD: &str = instainstru_shared::seed::DEMO_PASSWORD;

/// Searches a guest makes before the admin looks: the same query twice (typed differently),
/// others once, and one for a service no instructor teaches (no result).
const SEARCHES: [&str; 5] =
    ["piano lessons in brooklyn", "Piano lessons in Brooklyn", "spanish tutor", "guitar", "harp lessons"];

async fn admin_token(client: &reqwest::Client, base: &str) -> String {
    let login: Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({ "email": ADMIN, "password": PASSWORD }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    login["access_token"].as_str().expect("admin login").to_owned()
}

async fn api(client: &reqwest::Client, base: &str, token: &str, path: &str) -> Value {
    let response = client.get(format!("{base}/api/v1{path}")).bearer_auth(token).send().await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
    response.json().await.unwrap()
}

fn node_modules() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../browser/node_modules/playwright-core")
}

#[tokio::test]
async fn the_dashboard_shows_what_the_api_says_in_a_real_browser() {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        std::path::Path::new(&chromium).exists() && node_modules().exists(),
        "Chromium ({chromium}) and infra/browser/node_modules are needed: run the tests through \
         infra/scripts/test.sh, which installs both"
    );
    let dir = temp_dir("dashboard");
    let (platform, _) = start(&dir);
    let base = platform.base.clone();
    let client = reqwest::Client::new();

    // The page is a public shell with a policy that forbids every other origin.
    let page = client.get(format!("{base}/api/v1/admin/dashboard")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let policy = page.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(policy.contains("default-src 'none'") && policy.contains("connect-src 'self'"), "{policy}");
    let html = page.text().await.unwrap();
    for external in ["src=\"http", "href=\"http", "src=\"//", "href=\"//", "url(", "@import", "stylesheet"] {
        assert!(!html.contains(external), "the page loads nothing from elsewhere ({external})");
    }

    for query in SEARCHES {
        let response = client
            .get(format!(
                "{base}/api/v1/search?q={}",
                form_urlencoded::byte_serialize(query.as_bytes()).collect::<String>()
            ))
            .header("X-Guest-Session-ID", "0b5c7c2e-7a55-4d51-9d1f-3c1f0c7e2a11")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{query}");
    }
    // The worker counts them off the request path; wait until it has.
    let token = admin_token(&client, &base).await;
    let mut summary = Value::Null;
    for _ in 0..120 {
        summary = api(&client, &base, &token, "/admin/analytics/summary?days=30").await;
        if summary["total_searches"] == SEARCHES.len() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert_eq!(summary["total_searches"], SEARCHES.len(), "the worker counted every search");

    let downloads = dir.join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    let output = Command::new("node")
        .arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../browser/dashboard.mjs"))
        .args([&base, ADMIN, PASSWORD, downloads.to_str().unwrap()])
        .env("CHROMIUM", &chromium)
        .output()
        .expect("run node");
    assert!(output.status.success(), "browser run failed:\n{}", String::from_utf8_lossy(&output.stderr));
    let seen: Value = serde_json::from_slice(&output.stdout).expect("the driver's JSON");

    // What the API says, for the same ranges.
    let trends = api(&client, &base, &token, "/admin/analytics/trends?days=30").await;
    let week = api(&client, &base, &token, "/admin/analytics/trends?days=7").await;
    let popular = api(&client, &base, &token, "/admin/analytics/popular-queries?days=30&limit=10").await;
    let zero = api(&client, &base, &token, "/admin/analytics/zero-result-queries?days=30&limit=10").await;
    let funnel = api(&client, &base, &token, "/admin/analytics/conversion?days=30").await;
    let monitoring = api(&client, &base, &token, "/admin/monitoring").await;
    let csv = client
        .get(format!("{base}/api/v1/admin/analytics/popular-queries/export?days=30"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();

    assert_eq!(seen["foreign_requests"], json!([]), "the page reached another origin");
    assert_eq!(seen["console_errors"], json!([]), "errors in the browser console (CSP violations show here)");
    let first = &seen["first"];
    assert_eq!(first["days"], 30);
    assert_eq!(first["load_errors"], json!([]), "every panel loaded");
    assert_eq!(first["chart_visible"], true);
    for field in ["total_searches", "unique_users", "unique_guests", "zero_result_rate"] {
        assert_eq!(first["headline"][field].as_f64(), summary[field].as_f64(), "{field}");
    }
    let bars = first["bars"].as_array().unwrap();
    let days = trends["days"].as_array().unwrap();
    assert_eq!(bars.len(), days.len());
    for (bar, day) in bars.iter().zip(days) {
        assert_eq!(
            (&bar["date"], &bar["searches"], &bar["zero"]),
            (&day["date"], &day["searches"], &day["zero_result_searches"])
        );
        assert_eq!(bar["height"].as_f64().unwrap() > 0.0, day["searches"].as_i64().unwrap() > 0, "{}", day["date"]);
    }
    let rows = |list: &Value| -> Vec<(String, i64)> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|r| (r["query"].as_str().unwrap().to_owned(), r["searches"].as_i64().unwrap()))
            .collect()
    };
    assert_eq!(rows(&first["popular"]), rows(&popular["items"]));
    assert_eq!(rows(&first["popular"])[0], ("piano lessons in brooklyn".to_owned(), 2));
    assert_eq!(rows(&first["zero"]), rows(&zero["items"]));
    assert!(rows(&first["zero"]).iter().any(|(q, _)| q == "harp lessons"), "{}", first["zero"]);
    for step in ["searches", "searches_with_click", "searches_with_profile_view", "searches_with_booking"] {
        assert_eq!(first["funnel"][step], funnel[step], "{step}");
    }
    let queue_names: Vec<&str> =
        monitoring["queues"].as_array().unwrap().iter().map(|q| q["name"].as_str().unwrap()).collect();
    let shown: Vec<&str> = first["queues"].as_array().unwrap().iter().map(|q| q["name"].as_str().unwrap()).collect();
    assert!(!shown.is_empty());
    assert_eq!(shown, queue_names);
    assert_eq!(first["queue_status"], monitoring["status"]);

    assert!(seen["csv"]["filename"].as_str().unwrap().ends_with(".csv"), "{}", seen["csv"]["filename"]);
    assert_eq!(seen["csv"]["text"], csv, "the downloaded file is the export");

    assert_eq!(seen["week"]["days"], 7);
    assert_eq!(seen["week"]["bars"].as_array().unwrap().len(), week["days"].as_array().unwrap().len());
    assert_eq!(seen["loads_before_five_minutes"], 2, "no refresh before five minutes");
    assert_eq!(seen["loads_after_five_minutes"], 3);
    assert_eq!(seen["reload_kept_session"], true);
    assert_eq!(seen["signed_out"], true);
    drop(platform);
    let _ = std::fs::remove_dir_all(&dir);
}
