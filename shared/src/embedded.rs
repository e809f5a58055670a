//! The embedded DynamoDB (dynoxide) for the local platform and tests, and a test harness
//! that assembles a complete [`AppState`] around it. Never compiled into a Lambda.
//!
//! dynoxide runs in-process behind its real HTTP front end on a loopback port, so the
//! AWS SDK talks to it exactly as it talks to DynamoDB: one code path.

use std::{net::SocketAddr, sync::Arc};

use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};

use crate::{
    auth::{KeyPair, TokenSigner, TokenVerifier},
    clock::{Clock, FixedClock},
    config::Config,
    mail::Outbox,
    queue::local::LocalQueue,
    state::AppState,
    store::{Store, StoreError, create_table},
};

/// Where an embedded or emulated DynamoDB listens.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub url: String,
}

/// Starts dynoxide on 127.0.0.1 (port 0 = any free port), backed by `path` or memory.
pub async fn start_dynoxide(path: Option<&std::path::Path>, port: u16) -> Result<Endpoint, String> {
    let db = match path {
        Some(path) => dynoxide::Database::new(&path.to_string_lossy()).map_err(|e| format!("open {path:?}: {e}"))?,
        None => dynoxide::Database::memory().map_err(|e| e.to_string())?,
    };
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port)))
        .await
        .map_err(|e| format!("bind dynoxide: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    tokio::spawn(dynoxide::server::serve_on(listener, db));
    Ok(Endpoint { url: format!("http://{addr}") })
}

/// An SDK client for an emulator: fixed dummy credentials, a fixed region.
pub fn dynamodb_client(endpoint: &Endpoint) -> aws_sdk_dynamodb::Client {
    let config = aws_sdk_dynamodb::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("local", "local", None, None, "instainstru-local"))
        .endpoint_url(&endpoint.url)
        .build();
    aws_sdk_dynamodb::Client::from_conf(config)
}

pub fn sesv2_client(endpoint_url: &str) -> aws_sdk_sesv2::Client {
    let config = aws_sdk_sesv2::Config::builder()
        .behavior_version(aws_sdk_sesv2::config::BehaviorVersion::latest())
        .region(aws_sdk_sesv2::config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_sesv2::config::Credentials::new(
            "local",
            "local",
            None,
            None,
            "instainstru-local",
        ))
        .endpoint_url(endpoint_url)
        .build();
    aws_sdk_sesv2::Client::from_conf(config)
}

pub fn sqs_client(endpoint_url: &str) -> aws_sdk_sqs::Client {
    let config = aws_sdk_sqs::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("local", "local", None, None, "instainstru-local"))
        .endpoint_url(endpoint_url)
        .build();
    aws_sdk_sqs::Client::from_conf(config)
}

/// A store over a fresh table on `endpoint`.
pub async fn store_on(endpoint: &Endpoint, table: &str) -> Result<Store, StoreError> {
    let client = dynamodb_client(endpoint);
    create_table(&client, table).await?;
    Ok(Store::new(client, table))
}

/// The name of the local platform's events queue and its dead-letter queue.
pub const EVENTS_QUEUE: &str = "events";
pub const EVENTS_DLQ: &str = "events-dlq";
/// Matches template.yaml's `maxReceiveCount` for the events queue.
pub const EVENTS_MAX_RECEIVES: u32 = 3;

/// The local events queue over `store`.
pub fn events_queue(store: &Store, clock: Arc<dyn Clock>) -> LocalQueue {
    LocalQueue::new(store.clone(), clock, EVENTS_QUEUE).with_dead_letter(EVENTS_DLQ, EVENTS_MAX_RECEIVES)
}

/// The local notifications queue and its dead-letter queue (template.yaml's
/// `NotificationsQueue`, same `maxReceiveCount`).
pub const NOTIFICATIONS_QUEUE: &str = "notifications";
pub const NOTIFICATIONS_DLQ: &str = "notifications-dlq";

pub fn notifications_queue(store: &Store, clock: Arc<dyn Clock>) -> LocalQueue {
    LocalQueue::new(store.clone(), clock, NOTIFICATIONS_QUEUE).with_dead_letter(NOTIFICATIONS_DLQ, EVENTS_MAX_RECEIVES)
}

/// What functions publish to locally: as on AWS for booking and booking-outbox, each
/// event kind goes to the queue(s) that consume it.
pub fn local_publisher(events: &LocalQueue, notifications: &LocalQueue) -> Arc<dyn crate::queue::EventPublisher> {
    Arc::new(
        crate::queue::Fanout::new()
            .to(crate::notify::analytics_takes, Arc::new(events.clone()))
            .to(crate::notify::takes, Arc::new(notifications.clone())),
    )
}

/// Everything a test needs: a fresh in-memory table, a clock it controls, a key pair,
/// the local outbox, and the state every router takes (with the signer and the outbox as
/// its mailer, as the local platform has them).
pub struct TestEnv {
    pub endpoint: Endpoint,
    pub store: Store,
    pub clock: Arc<FixedClock>,
    pub keys: KeyPair,
    pub signer: Arc<TokenSigner>,
    pub queue: LocalQueue,
    /// Booking events and due reminders, for the `booking-notify` consumer.
    pub notifications: LocalQueue,
    pub outbox: Outbox,
    pub state: AppState,
}

impl TestEnv {
    /// Fixed "now": Thursday 2026-11-26, 10:00 in New York.
    pub const DEFAULT_NOW: &'static str = "2026-11-26T15:00:00Z";

    pub async fn new() -> Self {
        let endpoint = start_dynoxide(None, 0).await.expect("start dynoxide");
        Self::on(endpoint, "instainstru-test").await
    }

    /// A test environment over an existing endpoint (moto, for the peer checks).
    pub async fn on(endpoint: Endpoint, table: &str) -> Self {
        let store = store_on(&endpoint, table).await.expect("create table");
        let clock = Arc::new(FixedClock::new(Self::DEFAULT_NOW.parse().expect("valid instant")));
        let keys = KeyPair::generate().expect("generate keys");
        let signer = Arc::new(TokenSigner::from_pem(&keys.private_pem).expect("signer"));
        let verifier = Arc::new(TokenVerifier::from_pem(&keys.public_pem).expect("verifier"));
        let queue = events_queue(&store, clock.clone());
        let notifications = notifications_queue(&store, clock.clone());
        let config =
            Config { table_name: table.to_owned(), index_refresh: std::time::Duration::ZERO, ..Config::default() };
        let outbox = Outbox::new(store.clone(), clock.clone());
        let publisher = local_publisher(&queue, &notifications);
        let state = AppState::new(config, store.clone(), clock.clone(), publisher, verifier)
            .with_signer(signer.clone())
            .with_mail(Arc::new(outbox.clone()))
            .with_queue_ops(crate::queue::ops::local_ops([queue.clone(), notifications.clone()]));
        Self { endpoint, store, clock, keys, signer, queue, notifications, outbox, state }
    }

    /// A test environment with the demo data seeded.
    pub async fn seeded() -> Self {
        let env = Self::new().await;
        crate::seed::apply(&env.store, env.clock.as_ref(), &|_, _| {}).await.expect("seed demo data");
        env
    }
}

/// The moto server the test command started. The storage and queue tests run against it
/// as well as dynoxide; without it they fail (never skip): run `infra/scripts/test.sh`.
pub fn moto_endpoint() -> Endpoint {
    let url = std::env::var("MOTO_ENDPOINT")
        .expect("MOTO_ENDPOINT is not set: run the tests through infra/scripts/test.sh, which starts moto");
    Endpoint { url }
}

/// A fresh queue for each of the stack's queue logical ids on an SQS endpoint (moto):
/// (logical id, queue URL) pairs, for running the real binaries with the template's
/// environment.
pub async fn queue_stand_ins(url: &str, logical_ids: &[&str]) -> Result<Vec<(String, String)>, String> {
    let sqs = sqs_client(url);
    let mut out = Vec::new();
    for id in logical_ids {
        let name = unique_table(&id.to_lowercase());
        let created = sqs.create_queue().queue_name(&name).send().await.map_err(|e| format!("create {id}: {e:?}"))?;
        out.push(((*id).to_owned(), created.queue_url.ok_or(format!("{id}: no queue url"))?));
    }
    Ok(out)
}

/// A moto server of one test's own, stopped when dropped.
///
/// moto's `TransactWriteItems` deep-copies its table before each transaction (to roll back
/// on failure), so a transaction costs time in proportion to the table. A test that races
/// transactions gets its own server: `serial` turns off moto's request threads, which are
/// not safe for concurrent transactions.
pub struct PrivateMoto {
    child: std::process::Child,
    pub endpoint: Endpoint,
}

/// moto's server as the test command runs it (with its one-copy-per-table backup fix).
const MOTO_SERVER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../infra/scripts/moto_server.py");

impl PrivateMoto {
    pub async fn start(serial: bool) -> Self {
        let python = concat!(env!("CARGO_MANIFEST_DIR"), "/../.venv/bin/python");
        assert!(
            std::path::Path::new(python).exists(),
            "{python} is missing: run the tests through infra/scripts/test.sh, which installs moto"
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0").expect("free port").local_addr().expect("addr").port();
        let mode = if serial { "serial" } else { "threaded" };
        let child = std::process::Command::new(python)
            .args([MOTO_SERVER, &port.to_string(), mode])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start a private moto");
        let moto = Self { child, endpoint: Endpoint { url: format!("http://127.0.0.1:{port}") } };
        for _ in 0..200 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return moto;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("private moto did not start on port {port}");
    }

    /// A fresh environment with its own table on this server.
    pub async fn env(&self) -> TestEnv {
        TestEnv::on(self.endpoint.clone(), &unique_table("test")).await
    }
}

impl Drop for PrivateMoto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Which emulator a peer-checked test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Dynoxide,
    Moto,
}

impl Backend {
    pub const BOTH: [Backend; 2] = [Backend::Dynoxide, Backend::Moto];

    /// A fresh environment (its own table) on this emulator.
    pub async fn env(self) -> TestEnv {
        match self {
            Backend::Dynoxide => TestEnv::new().await,
            Backend::Moto => TestEnv::on(moto_endpoint(), &unique_table("test")).await,
        }
    }
}

/// A unique table name per test, for shared emulators (moto).
pub fn unique_table(prefix: &str) -> String {
    format!("{prefix}-{}", crate::ids::new_id().to_lowercase())
}

/// Test helpers for driving a Router through HTTP, as clients do.
pub mod http_test {
    use std::collections::BTreeSet;

    use axum::{Router, body::Body, http::Request};
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    use super::TestEnv;
    use crate::{
        auth::Caller,
        rbac::{Permission, Role, effective_permissions},
    };

    /// A response, read whole.
    #[derive(Debug)]
    pub struct TestResponse {
        pub status: u16,
        pub headers: axum::http::HeaderMap,
        pub body: Vec<u8>,
    }

    impl TestResponse {
        /// The body as JSON (panics with the body text if it is not JSON).
        pub fn json(&self) -> serde_json::Value {
            serde_json::from_slice(&self.body)
                .unwrap_or_else(|e| panic!("body is not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
        }

        pub fn text(&self) -> String {
            String::from_utf8_lossy(&self.body).into_owned()
        }

        pub fn header(&self, name: &str) -> Option<&str> {
            self.headers.get(name).and_then(|v| v.to_str().ok())
        }

        /// Asserts a problem+json response with this status and code; returns the body.
        #[track_caller]
        pub fn assert_problem(&self, status: u16, code: &str) -> serde_json::Value {
            assert_eq!(self.status, status, "unexpected status; body: {}", self.text());
            assert_eq!(self.header("content-type"), Some("application/problem+json"), "body: {}", self.text());
            let body = self.json();
            assert_eq!(body["code"], code, "body: {body}");
            assert_eq!(body["status"], status);
            body
        }
    }

    /// A request builder bound to a router.
    pub struct Call {
        request: axum::http::request::Builder,
        body: Body,
    }

    impl Call {
        pub fn new(method: &str, uri: &str) -> Self {
            Self { request: Request::builder().method(method).uri(uri), body: Body::empty() }
        }

        pub fn get(uri: &str) -> Self {
            Self::new("GET", uri)
        }

        pub fn post(uri: &str) -> Self {
            Self::new("POST", uri)
        }

        pub fn header(mut self, name: &str, value: &str) -> Self {
            self.request = self.request.header(name, value);
            self
        }

        /// The caller's IP, as the local platform's socket (or API Gateway) would give it.
        pub fn client_ip(mut self, ip: &str) -> Self {
            let ip: std::net::IpAddr = ip.parse().expect("valid test IP");
            self.request = self.request.extension(axum::extract::ConnectInfo(std::net::SocketAddr::new(ip, 40000)));
            self
        }

        pub fn token(self, token: &str) -> Self {
            self.header("authorization", &format!("Bearer {token}"))
        }

        pub fn json(mut self, body: serde_json::Value) -> Self {
            self.request = self.request.header("content-type", "application/json");
            self.body = Body::from(body.to_string());
            self
        }

        pub fn raw_body(mut self, content_type: &str, body: impl Into<Body>) -> Self {
            self.request = self.request.header("content-type", content_type);
            self.body = body.into();
            self
        }

        pub async fn send(self, router: &Router) -> TestResponse {
            let request = self.request.body(self.body).expect("valid test request");
            let response = router.clone().oneshot(request).await.expect("routers are infallible");
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let body = response.into_body().collect().await.expect("readable body").to_bytes().to_vec();
            TestResponse { status, headers, body }
        }
    }

    impl TestEnv {
        /// A valid access token for `user_id` with these roles and per-user changes,
        /// signed with this environment's key (what `accounts` would issue).
        pub fn token(&self, user_id: &str, roles: &[Role], grants: &[Permission], revokes: &[Permission]) -> String {
            let grants: BTreeSet<_> = grants.iter().copied().collect();
            let revokes: BTreeSet<_> = revokes.iter().copied().collect();
            let caller = Caller {
                user_id: user_id.to_owned(),
                roles: roles.to_vec(),
                permissions: effective_permissions(roles, &grants, &revokes),
                session_id: crate::ids::new_id(),
            };
            self.signer.issue(self.clock.as_ref(), &caller).expect("sign test token").0
        }

        /// A token for a seeded user, looked up by email, with that user's real roles.
        pub async fn token_for_email(&self, email: &str) -> String {
            let id = crate::seed::user_id(email);
            let user: crate::store::Record<crate::accounts::UserItem> = self
                .store
                .get(&crate::store::keys::user(&id))
                .await
                .expect("read user")
                .unwrap_or_else(|| panic!("no seeded user {email}"));
            self.token(&id, &user.data.user.roles, &[], &[])
        }
    }
}

/// Envelopes as the SQS batch Lambda would receive them (message id = envelope id), for
/// tests that drive a queue consumer's handler directly.
pub fn sqs_batch(events: &[crate::queue::Envelope]) -> aws_lambda_events::sqs::SqsEvent {
    let mut batch = aws_lambda_events::sqs::SqsEvent::default();
    batch.records = events
        .iter()
        .map(|e| {
            let mut m = aws_lambda_events::sqs::SqsMessage::default();
            m.message_id = Some(e.id.clone());
            m.body = serde_json::to_string(e).ok();
            m
        })
        .collect();
    batch
}
