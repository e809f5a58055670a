//! Helpers shared by the booking function's tests: a world (table, clock, router),
//! instructors and students made to measure, and booking requests through HTTP.
#![allow(dead_code)] // each test file uses its own subset

use std::sync::Arc;

use aws_sdk_dynamodb::types::AttributeValue;
use axum::Router;
use instainstru_booking::Options;
use instainstru_shared::{
    AppState,
    accounts::{AccountStatus, User},
    availability::{BookingSettings, DayWindows, Schedule, WeeklyTemplate, Window, stored::AvailabilityItem},
    changes,
    ids::{InstructorId, OfferingId, UserId},
    instructors::{InstructorProfile, LocationType, Offering},
    money::Cents,
    queue::EventPublisher,
    rbac::Role,
    store::Item,
};
use instainstru_testkit::{
    Backend, TestEnv,
    http_test::{Call, TestResponse},
};
use serde_json::{Value, json};

pub struct World {
    pub env: TestEnv,
    pub router: Router,
}

pub struct Teacher {
    pub id: InstructorId,
    pub offering: OfferingId,
    pub token: String,
}

pub struct Pupil {
    pub id: UserId,
    pub token: String,
}

/// An instructor made to measure: the same windows every day by default.
pub struct Spec {
    pub name: &'static str,
    pub windows: Vec<(&'static str, &'static str)>,
    /// Windows per weekday instead of every day.
    pub template: Option<WeeklyTemplate>,
    pub settings: BookingSettings,
    pub durations: Vec<u16>,
    pub locations: Vec<LocationType>,
    pub rate: u32,
    pub status: AccountStatus,
}

impl Default for Spec {
    fn default() -> Self {
        Self {
            name: "Ada Teacher",
            windows: vec![("09:00", "17:00")],
            template: None,
            settings: BookingSettings::default(),
            durations: vec![30, 60, 90, 120, 240],
            locations: vec![LocationType::InPerson, LocationType::Online],
            rate: 6000,
            status: AccountStatus::Active,
        }
    }
}

pub fn settings(notice_hours: u16, buffer_minutes: u16, horizon_days: u16) -> BookingSettings {
    BookingSettings::new(notice_hours, buffer_minutes, horizon_days).unwrap()
}

pub fn day(windows: &[(&str, &str)]) -> DayWindows {
    DayWindows::new(windows.iter().map(|(s, e)| Window::parse(s, e).unwrap()).collect()).unwrap()
}

fn user(id: &UserId, name: &str, role: Role) -> User {
    User {
        id: id.clone(),
        email: format!("{}@example.test", id.as_str().to_lowercase()),
        full_name: name.to_owned(),
        phone: None,
        roles: vec![role],
        grants: Default::default(),
        revokes: Default::default(),
        status: AccountStatus::Active,
        password_hash: "not-a-real-hash".to_owned(),
        time_zone: "America/New_York".to_owned(),
        created_at: "2026-01-01T00:00:00Z".to_owned(),
        session_epoch: 0,
    }
}

impl World {
    /// The demo data, the default clock (Thursday 2026-11-26 10:00 New York).
    pub async fn seeded() -> Self {
        Self::around(TestEnv::seeded().await)
    }

    /// An empty table on one emulator.
    pub async fn on(backend: Backend) -> Self {
        Self::around(backend.env().await)
    }

    fn around(env: TestEnv) -> Self {
        // Errors a handler logs (the cause of a 500) show up in a failing test's output.
        let _ = tracing_subscriber::fmt().with_test_writer().with_env_filter("warn,dynoxide=error").try_init();
        let router = instainstru_booking::router(env.state.clone());
        Self { env, router }
    }

    /// The router rebuilt with other options (e.g. no per-user create limit).
    pub fn with_options(mut self, options: Options) -> Self {
        self.router = instainstru_booking::router_with(self.env.state.clone(), options);
        self
    }

    /// The router over a DynamoDB client with this interceptor (on the same table); the
    /// world's own `env.store` stays plain for the test's assertions. `warm` keeps the
    /// directory cached as a warm Lambda does (no version check per request).
    pub fn with_interceptor(
        mut self,
        interceptor: impl aws_sdk_dynamodb::config::Intercept + 'static,
        warm: bool,
    ) -> Self {
        let store = &self.env.store;
        let config = store.client().config().to_builder().interceptor(interceptor).build();
        let client = aws_sdk_dynamodb::Client::from_conf(config);
        let mut state =
            AppState { store: instainstru_shared::store::Store::new(client, store.table()), ..self.env.state.clone() };
        if warm {
            let config = instainstru_shared::config::Config {
                index_refresh: std::time::Duration::from_secs(3600),
                ..(*state.config).clone()
            };
            state.config = Arc::new(config);
        }
        self.router = instainstru_booking::router(state);
        self
    }

    /// The router rebuilt over another events publisher.
    pub fn with_events(mut self, events: Arc<dyn EventPublisher>) -> Self {
        let state = AppState { events, ..self.env.state.clone() };
        self.router = instainstru_booking::router(state);
        self
    }

    /// Moves the clock. Access tokens last 15 minutes: renew the ones still needed.
    pub fn at(&self, instant: &str) {
        self.env.clock.set(instant.parse().unwrap());
    }

    pub fn renew(&self, pupil: &mut Pupil) {
        pupil.token = self.env.token(&pupil.id, &[Role::Student], &[], &[]);
    }

    pub fn renew_teacher(&self, teacher: &mut Teacher) {
        teacher.token = self.env.token(&teacher.id.as_user(), &[Role::Instructor], &[], &[]);
    }

    pub async fn instructor(&self, spec: Spec) -> Teacher {
        let id = InstructorId::generate();
        let offering = OfferingId::generate();
        let profile = InstructorProfile {
            id: id.clone(),
            full_name: spec.name.to_owned(),
            bio: "Teaches with patience and a metronome.".to_owned(),
            years_experience: 5,
            areas: vec!["Brooklyn".to_owned()],
            settings: spec.settings,
            offerings: vec![Offering {
                id: offering.clone(),
                service: "piano".to_owned(),
                rate_cents: Cents(spec.rate),
                durations: spec.durations,
                levels: vec![],
                age_groups: vec![],
                location_types: spec.locations,
                description: String::new(),
                equipment: vec![],
                active: true,
            }],
            status: spec.status,
        };
        let mut account = user(&id.as_user(), spec.name, Role::Instructor);
        account.status = spec.status;
        let template = spec.template.unwrap_or_else(|| WeeklyTemplate::every_day(day(&spec.windows)));
        let store = &self.env.store;
        store.put(&account.record()).await.unwrap();
        store.put(&profile.record()).await.unwrap();
        store.put(&AvailabilityItem::record(&id, Schedule::from_template(template), 1)).await.unwrap();
        // As every writer does, so a warm directory picks the new instructor up.
        changes::record(store, changes::Change::Instructor { instructor_id: id.clone() }).await.unwrap();
        let token = self.env.token(&id.as_user(), &[Role::Instructor], &[], &[]);
        Teacher { id, offering, token }
    }

    pub async fn student(&self, name: &str) -> Pupil {
        let pupils = self.students(&[name]).await;
        pupils.into_iter().next().unwrap()
    }

    /// Many students at once (batch writes).
    pub async fn students(&self, names: &[&str]) -> Vec<Pupil> {
        let mut items: Vec<Item> = Vec::new();
        let mut pupils = Vec::new();
        for name in names {
            let id = UserId::generate();
            items.push(user(&id, name, Role::Student).record().to_item().unwrap());
            pupils.push(Pupil { token: self.env.token(&id, &[Role::Student], &[], &[]), id });
        }
        self.env.store.put_batch(items).await.unwrap();
        pupils
    }

    /// A seeded user's token.
    pub async fn seeded_token(&self, email: &str) -> String {
        self.env.token_for_email(email).await
    }

    pub async fn send(&self, call: Call) -> TestResponse {
        call.send(&self.router).await
    }

    /// `POST /bookings` for a lesson of `teacher`'s offering.
    pub async fn book(&self, pupil: &Pupil, teacher: &Teacher, date: &str, time: &str, minutes: u16) -> TestResponse {
        self.send(book_call(&pupil.token, teacher, date, time, minutes)).await
    }
}

pub fn booking_body(teacher: &Teacher, date: &str, time: &str, minutes: u16) -> Value {
    json!({
        "instructor_id": teacher.id,
        "offering_id": teacher.offering,
        "date": date,
        "start_time": time,
        "duration_minutes": minutes,
        "location_type": "online",
    })
}

pub fn book_call(token: &str, teacher: &Teacher, date: &str, time: &str, minutes: u16) -> Call {
    Call::post("/api/v1/bookings").token(token).json(booking_body(teacher, date, time, minutes))
}

/// Asserts a 201 and returns the booking id.
#[track_caller]
pub fn created(res: &TestResponse) -> String {
    assert_eq!(res.status, 201, "expected 201: {}", res.text());
    res.json()["id"].as_str().unwrap().to_owned()
}

pub fn post(uri: &str, token: &str, body: Value) -> Call {
    Call::post(uri).token(token).json(body)
}

pub async fn cancel(world: &World, token: &str, id: &str) -> TestResponse {
    world.send(post(&format!("/api/v1/bookings/{id}/cancel"), token, json!({ "reason": "change of plans" }))).await
}

/// The public slots of one date, as `HH:MM` labels.
pub async fn slots(world: &World, teacher: &Teacher, date: &str, minutes: u16) -> Vec<String> {
    let uri = format!("/api/v1/instructors/{}/availability?start={date}&end={date}&duration={minutes}", teacher.id);
    let res = world.send(Call::get(&uri)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    res.json()["days"][0]["slots"].as_array().unwrap().iter().map(|s| s["time"].as_str().unwrap().to_owned()).collect()
}

/// Every item whose PK starts with `prefix` (a scan: tests only).
pub async fn items_with_prefix(world: &World, prefix: &str) -> Vec<Item> {
    let store = &world.env.store;
    let mut found = Vec::new();
    let mut start: Option<Item> = None;
    loop {
        let out = store
            .client()
            .scan()
            .table_name(store.table())
            .filter_expression("begins_with(PK, :p)")
            .expression_attribute_values(":p", AttributeValue::S(prefix.to_owned()))
            .set_exclusive_start_key(start.take())
            .send()
            .await
            .unwrap();
        found.extend(out.items.unwrap_or_default());
        match out.last_evaluated_key {
            Some(key) if !key.is_empty() => start = Some(key),
            _ => return found,
        }
    }
}

pub fn attr<'a>(item: &'a Item, name: &str) -> &'a str {
    item.get(name).and_then(|v| v.as_s().ok()).map(String::as_str).unwrap_or_default()
}

/// The kinds of the events on the local queue, in order.
pub async fn event_kinds(world: &World) -> Vec<String> {
    world
        .env
        .queue
        .messages()
        .await
        .unwrap()
        .iter()
        .map(|m| serde_json::from_str::<Value>(&m.body).unwrap()["kind"].as_str().unwrap().to_owned())
        .collect()
}

/// A moto server of this test's own that handles one request at a time.
///
/// moto's stock server is threaded, and its `TransactWriteItems` is not safe under
/// concurrent requests: it deep-copies the table while other threads write it, and on a
/// failed condition restores that copy, discarding writes other requests committed in the
/// meantime. DynamoDB executes each request atomically; a moto that serves requests one
/// after another is a faithful (serialisable) stand-in, while the HTTP requests under test
/// still interleave freely between their DynamoDB calls. The process is killed on drop.
/// A serial moto of the test's own (see `instainstru_testkit::PrivateMoto`).
pub struct SerialMoto(instainstru_testkit::PrivateMoto);

impl SerialMoto {
    pub async fn start() -> Self {
        Self(instainstru_testkit::PrivateMoto::start(true).await)
    }

    pub async fn world(&self) -> World {
        World::around(self.0.env().await)
    }
}

/// A world on each emulator; moto serial (see [`SerialMoto`]).
pub async fn concurrent_worlds() -> (Vec<(Backend, World)>, SerialMoto) {
    let moto = SerialMoto::start().await;
    let worlds = vec![(Backend::Dynoxide, World::on(Backend::Dynoxide).await), (Backend::Moto, moto.world().await)];
    (worlds, moto)
}
