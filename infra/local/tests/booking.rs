//! Tier 5 for bookings: the `instainstru-local` binary, started as a developer starts it,
//! books a lesson over HTTP with a token signed by the platform's development key, shows
//! it in the slots and the student's lessons, and cancels it.

mod common;

use instainstru_shared::{
    auth::{Caller, TokenSigner},
    clock::SystemClock,
    rbac::{Role, effective_permissions},
    seed,
};
use serde_json::{Value, json};

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

/// The bookable starts of `date` in an availability response.
fn starts_on(days: &Value, date: &str) -> Vec<Value> {
    days["days"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["date"] == date)
        .flat_map(|d| d["slots"].as_array().unwrap().iter().cloned())
        .collect()
}

#[tokio::test]
async fn a_student_books_and_cancels_a_lesson_on_the_running_platform() {
    let dir = common::temp_dir("booking");
    let (platform, _) = common::start(&dir);
    let base = platform.base.clone();
    let http = reqwest::Client::new();
    let token = student_token(&dir, "john.smith@example.com");
    let sarah = seed::user_id("sarah.chen@example.com");
    let get = |url: String| {
        let http = http.clone();
        async move {
            let res = http.get(url).send().await.unwrap();
            assert_eq!(res.status().as_u16(), 200);
            res.json::<Value>().await.unwrap()
        }
    };

    // The platform runs on the real clock: the earliest bookable start (now + notice, on a
    // quarter hour) moves on while the test runs, and a quarter-hour boundary passing between
    // two requests would make it unbookable or change what next-available says. The slot is
    // therefore taken on a later date than the earliest start, which the notice edge cannot
    // reach in the seconds the test takes, and checked through the availability of its date.
    let next = get(format!("{base}/api/v1/instructors/{sarah}/next-available?duration=60")).await;
    let earliest: jiff::civil::Date =
        next["next"]["date"].as_str().unwrap_or_else(|| panic!("{next}")).parse().unwrap();
    let (from, to) = (earliest.tomorrow().unwrap(), earliest.checked_add(jiff::Span::new().days(14)).unwrap());
    let availability = format!("{base}/api/v1/instructors/{sarah}/availability?start={from}&end={to}&duration=60");
    let days = get(availability.clone()).await;
    let (date, slot) = days["days"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|d| {
            d["slots"].as_array().unwrap().first().map(|s| (d["date"].as_str().unwrap().to_owned(), s.clone()))
        })
        .unwrap_or_else(|| panic!("nothing bookable from {from} to {to}: {days}"));
    let body = json!({
        "instructor_id": sarah,
        "offering_id": seed::offering_id("sarah.chen@example.com", "piano"),
        "date": date,
        "start_time": slot["time"],
        "duration_minutes": 60,
        "location_type": "online",
    });
    let res = http.post(format!("{base}/api/v1/bookings")).bearer_auth(&token).json(&body).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 201);
    let booking: Value = res.json().await.unwrap();
    assert_eq!(booking["start"], slot["start"]);

    // Public availability answers from the warm directory, which learns of a booking or a
    // cancel within its refresh interval (the platform's is 2 s): ask until then.
    let offered = |want: bool| {
        let (availability, date, slot) = (availability.clone(), date.clone(), slot.clone());
        async move {
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(8);
            loop {
                if starts_on(&get(availability.clone()).await, &date).contains(&slot) == want {
                    return true;
                }
                if std::time::Instant::now() > deadline {
                    return false;
                }
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
        }
    };
    // The slot is gone, the lesson is listed, and a cancel frees the slot again.
    assert!(offered(false).await, "{date} {slot} still offered 8 s after the booking");
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
    let cancelled: Value = res.json().await.unwrap();
    assert_eq!(cancelled["status"], "cancelled");
    assert!(offered(true).await, "{date} {slot} not bookable again 8 s after the cancel");
    drop(platform);
    let _ = std::fs::remove_dir_all(&dir);
}
