//! Rate limits trip at their counts and recover after the window; the daily salt rotates
//! and is gone after 48 hours.

use instainstru_shared::clock::Clock;
use instainstru_shared::{
    http,
    privacy::DailySalt,
    ratelimit::{self, Decision},
};
use instainstru_testkit::TestEnv;
use jiff::SignedDuration;

#[tokio::test]
async fn limits_trip_at_their_count_and_recover_after_the_window() {
    let env = TestEnv::new().await;
    for limit in
        [ratelimit::LOGIN, ratelimit::BOOKING_CREATE, ratelimit::SEARCH, ratelimit::REGISTER, ratelimit::PASSWORD_RESET]
    {
        let subject = format!("{}-subject", limit.name);
        for n in 1..=limit.max {
            let decision = ratelimit::check(&env.store, env.clock.now(), limit, &subject).await.unwrap();
            assert_eq!(decision, Decision::Allowed { remaining: limit.max - n }, "{}", limit.name);
        }
        let limited = ratelimit::check(&env.store, env.clock.now(), limit, &subject).await.unwrap();
        let Decision::Limited { retry_after_seconds } = limited else { panic!("{}: not limited", limit.name) };
        assert!(retry_after_seconds >= 1 && retry_after_seconds <= limit.window.as_secs(), "{}", limit.name);
        // Another subject is unaffected.
        let other = ratelimit::check(&env.store, env.clock.now(), limit, "someone else").await.unwrap();
        assert!(matches!(other, Decision::Allowed { .. }), "{}", limit.name);
        // After Retry-After, the subject may go again.
        env.clock.advance(SignedDuration::from_secs(i64::try_from(retry_after_seconds).unwrap()));
        let again = ratelimit::check(&env.store, env.clock.now(), limit, &subject).await.unwrap();
        assert_eq!(again, Decision::Allowed { remaining: limit.max - 1 }, "{}", limit.name);
    }
}

#[tokio::test]
async fn the_429_problem_carries_retry_after() {
    let env = TestEnv::new().await;
    for _ in 0..5 {
        http::limit::enforce(&env.store, env.clock.now(), ratelimit::LOGIN, "x").await.unwrap();
    }
    let err = http::limit::enforce(&env.store, env.clock.now(), ratelimit::LOGIN, "x").await.unwrap_err();
    assert_eq!(err.status.as_u16(), 429);
    assert_eq!(err.code, "rate_limited");
    let response = axum::response::IntoResponse::into_response(err);
    let retry: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry));
    assert_eq!(response.headers()["content-type"], "application/problem+json");
}

#[tokio::test]
async fn the_salt_is_stable_within_a_day_rotates_daily_and_is_gone_after_48_hours() {
    let env = TestEnv::new().await;
    let day1 = DailySalt::for_instant(&env.store, env.clock.now()).await.unwrap();
    let again = DailySalt::for_instant(&env.store, env.clock.now() + SignedDuration::from_hours(3)).await.unwrap();
    assert_eq!(day1.hash("203.0.113.7"), again.hash("203.0.113.7"), "same IP, same day, same hash");
    assert_ne!(day1.hash("203.0.113.7"), day1.hash("203.0.113.8"));
    assert_eq!(day1.hash("203.0.113.7").len(), 32);
    assert!(!day1.hash("203.0.113.7").contains("203"));

    let next_day = env.clock.now() + SignedDuration::from_hours(24);
    let day2 = DailySalt::for_instant(&env.store, next_day).await.unwrap();
    assert_ne!(day1.date, day2.date);
    assert_ne!(day1.hash("203.0.113.7"), day2.hash("203.0.113.7"), "a new day, a new hash");

    // Within 48 hours of its creation the old salt can still be read; after, it is gone
    // (filtered on read even before DynamoDB's TTL sweep deletes it).
    let created = env.clock.now();
    assert!(
        DailySalt::stored(&env.store, day1.date, created + SignedDuration::from_hours(47)).await.unwrap().is_some()
    );
    assert!(
        DailySalt::stored(&env.store, day1.date, created + SignedDuration::from_hours(48)).await.unwrap().is_none()
    );
}
