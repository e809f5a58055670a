//! Booking create latency (p50/p99) through the booking function's router over an
//! in-process dynoxide, beside two baselines measured in the same run:
//!
//! * one DynamoDB `GetItem` round trip on the same dynoxide (the unit every booking call
//!   is made of);
//! * `GET /api/v1/health` through the same router (the middleware and access layer, no I/O).
//!
//!     cargo bench -p instainstru-booking --bench create_latency
//!
//! Each create is a new student booking one of 40 instructors, each on a new day (so
//! every request takes the full path: rate limit, reads, rules, claim, event, and an
//! instructor's day holds a few lessons, not hundreds), in a warm Lambda (directory
//! cached). Requests are sequential: this measures latency, not throughput.

use instainstru_shared::ids::{InstructorId, OfferingId, UserId};
use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use instainstru_shared::{
    AppState,
    accounts::{AccountStatus, User},
    availability::{BookingSettings, DayWindows, Schedule, WeeklyTemplate, Window, stored::AvailabilityItem},
    instructors::{InstructorProfile, LocationType, Offering},
    money::Cents,
    rbac::Role,
    store::keys,
};
use instainstru_testkit::{TestEnv, http_test::Call};
use serde_json::json;

const WARMUP: usize = 50;
const SAMPLES: usize = 1000;
const INSTRUCTORS: usize = 40;

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort_unstable();
    let rank = ((p / 100.0) * samples.len() as f64).ceil() as usize;
    samples[rank.clamp(1, samples.len()) - 1]
}

fn user(id: &UserId, role: Role) -> User {
    User {
        id: id.clone(),
        email: format!("{}@bench.test", id.as_str().to_lowercase()),
        full_name: "Bench User".to_owned(),
        phone: None,
        roles: vec![role],
        grants: Default::default(),
        revokes: Default::default(),
        status: AccountStatus::Active,
        password_hash: "-".to_owned(),
        time_zone: "America/New_York".to_owned(),
        created_at: "2026-01-01T00:00:00Z".to_owned(),
        session_epoch: 0,
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(run());
}

async fn run() {
    let env = TestEnv::seeded().await;
    let all_day = DayWindows::new(vec![Window::parse("00:00", "24:00").unwrap()]).unwrap();
    let mut teachers = Vec::new();
    for i in 0..INSTRUCTORS {
        let teacher = InstructorId::generate();
        let offering = OfferingId::generate();
        let profile = InstructorProfile {
            id: teacher.clone(),
            full_name: format!("Bench Teacher {i}"),
            bio: "Benchmarks every lesson.".to_owned(),
            years_experience: 3,
            areas: vec!["Brooklyn".to_owned()],
            settings: BookingSettings::new(0, 15, 365).unwrap(),
            offerings: vec![Offering {
                id: offering.clone(),
                service: "piano".to_owned(),
                rate_cents: Cents(6000),
                durations: vec![60],
                levels: vec![],
                age_groups: vec![],
                location_types: vec![LocationType::Online],
                description: String::new(),
                equipment: vec![],
                active: true,
            }],
            status: AccountStatus::Active,
        };
        env.store.put(&user(&teacher.as_user(), Role::Instructor).record()).await.unwrap();
        env.store.put(&profile.record()).await.unwrap();
        let schedule = Schedule::from_template(WeeklyTemplate::every_day(all_day.clone()));
        env.store.put(&AvailabilityItem::record(&teacher, schedule, 1)).await.unwrap();
        teachers.push((teacher, offering));
    }

    let students: Vec<UserId> = (0..WARMUP + SAMPLES).map(|_| UserId::generate()).collect();
    let items = students.iter().map(|id| user(id, Role::Student).record().to_item().unwrap()).collect();
    env.store.put_batch(items).await.unwrap();

    // A warm Lambda: the directory is loaded once and then served from memory.
    let config =
        instainstru_shared::config::Config { index_refresh: Duration::from_secs(3600), ..(*env.state.config).clone() };
    let state = AppState { config: Arc::new(config), ..env.state.clone() };
    let router = instainstru_booking::router(state);

    let first: jiff::civil::Date = "2026-11-27".parse().unwrap();
    let mut create = Vec::with_capacity(SAMPLES);
    for (i, student) in students.iter().enumerate() {
        let token = env.token(student, &[Role::Student], &[], &[]);
        let (teacher, offering) = &teachers[i % INSTRUCTORS];
        let date = first.checked_add(jiff::Span::new().days((i / INSTRUCTORS) as i64)).unwrap();
        let body = json!({
            "instructor_id": teacher, "offering_id": offering, "date": date.to_string(),
            "start_time": "10:00", "duration_minutes": 60, "location_type": "online",
        });
        let call = Call::post("/api/v1/bookings").token(&token).json(body);
        let started = Instant::now();
        let res = call.send(&router).await;
        let took = started.elapsed();
        assert_eq!(res.status, 201, "{}", res.text());
        if i >= WARMUP {
            create.push(took);
        }
    }

    let key = keys::instructor_profile(&teachers[0].0);
    let mut get_item = Vec::with_capacity(SAMPLES);
    for i in 0..WARMUP + SAMPLES {
        let started = Instant::now();
        let found: Option<instainstru_shared::store::Record<serde_json::Value>> = env.store.get(&key).await.unwrap();
        let took = started.elapsed();
        assert!(found.is_some());
        if i >= WARMUP {
            get_item.push(took);
        }
    }

    let mut health = Vec::with_capacity(SAMPLES);
    for i in 0..WARMUP + SAMPLES {
        let started = Instant::now();
        let res = Call::get("/api/v1/health").send(&router).await;
        let took = started.elapsed();
        assert_eq!(res.status, 200);
        if i >= WARMUP {
            health.push(took);
        }
    }

    let report = |name: &str, samples: &mut Vec<Duration>| {
        let (p50, p99) = (percentile(samples, 50.0), percentile(samples, 99.0));
        println!("{name:<34} p50 {:>9.3} ms   p99 {:>9.3} ms", p50.as_secs_f64() * 1e3, p99.as_secs_f64() * 1e3);
        (p50, p99)
    };
    println!("booking create latency, {SAMPLES} samples each after {WARMUP} warm-up (dynoxide in-process)");
    let (c50, c99) = report("POST /api/v1/bookings", &mut create);
    let (g50, g99) = report("baseline: DynamoDB GetItem", &mut get_item);
    let (h50, h99) = report("baseline: GET /api/v1/health", &mut health);
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
    println!("create / GetItem: p50 {:.1}x  p99 {:.1}x", ratio(c50, g50), ratio(c99, g99));
    println!("create / health:  p50 {:.1}x  p99 {:.1}x", ratio(c50, h50), ratio(c99, h99));
}
