//! Starting the platform: store, keys, seed, routers, event source, scheduler, server.

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    sync::Arc,
    time::Duration,
};

use axum::Router;
use futures::FutureExt;
use instainstru_shared::{
    AppState,
    auth::{KeyPair, TokenSigner, TokenVerifier},
    clock::{Clock, SystemClock, lesson_zone},
    config::Config,
    mail::Outbox,
    queue::local::{EventSource, LocalQueue, SqsHandler},
    schedule::{Cadence, ScheduledHandler, Scheduler},
    seed::{self, SeedOutcome},
    store::{Store, create_table},
};
use instainstru_testkit::{self as testkit, Endpoint};
use tokio::sync::watch;

use crate::{functions::http_functions, keys, template::Template};

pub const TABLE: &str = "instainstru";
pub const DATABASE_FILE: &str = "instainstru.db";

#[derive(Debug, Clone)]
pub struct Options {
    pub host: std::net::IpAddr,
    pub port: u16,
    /// Where the SQLite file and dev keys live; `None` keeps everything in memory.
    pub data_dir: Option<PathBuf>,
    pub daily: Cadence,
    /// How often the booking outbox sweep runs (EventBridge: every minute).
    pub outbox_sweep: Cadence,
    pub index_refresh: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            host: [127, 0, 0, 1].into(),
            port: 3000,
            data_dir: Some(PathBuf::from(".local")),
            daily: Cadence::DailyAt { time: jiff::civil::Time::constant(2, 30, 0, 0), zone: lesson_zone() },
            outbox_sweep: Cadence::Every(Duration::from_secs(15)),
            index_refresh: Duration::from_secs(2),
        }
    }
}

/// The store and the state every function runs with, without serving anything.
pub struct Backend {
    pub dynamo: Endpoint,
    pub store: Store,
    pub state: AppState,
    pub queue: LocalQueue,
    /// Booking events and due reminders, consumed by `booking-notify`.
    pub notifications: LocalQueue,
    /// Mail "sent" by the platform, for `instainstru-local outbox`.
    pub outbox: Outbox,
    pub keys: KeyPair,
}

pub async fn open_backend(data_dir: Option<&Path>, index_refresh: Duration) -> Result<Backend, String> {
    if let Some(dir) = data_dir {
        std::fs::create_dir_all(dir).map_err(|e| format!("create {dir:?}: {e}"))?;
    }
    let db_path = data_dir.map(|d| d.join(DATABASE_FILE));
    let dynamo = testkit::start_dynoxide(db_path.as_deref(), 0).await?;
    let client = testkit::dynamodb_client(&dynamo);
    create_table(&client, TABLE).await.map_err(|e| e.to_string())?;
    let store = Store::new(client, TABLE);
    let keys = keys::load_or_create(data_dir)?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let queue = testkit::events_queue(&store, clock.clone());
    let notifications = testkit::notifications_queue(&store, clock.clone());
    let verifier = Arc::new(TokenVerifier::from_pem(&keys.public_pem)?);
    // The state is shared by every function here; `for_function` keeps the signer for
    // `accounts` only, as on AWS where only its role may read the private key.
    let signer = Arc::new(TokenSigner::from_pem(&keys.private_pem)?);
    let outbox = Outbox::new(store.clone(), clock.clone());
    let config = Config { table_name: TABLE.to_owned(), index_refresh, ..Config::default() };
    let publisher = testkit::local_publisher(&queue, &notifications);
    let state = AppState::new(config, store.clone(), clock, publisher, verifier)
        .with_signer(signer)
        .with_mail(Arc::new(outbox.clone()))
        .with_queue_ops(instainstru_shared::queue::ops::local_ops([queue.clone(), notifications.clone()]));
    Ok(Backend { dynamo, store, state, queue, notifications, outbox, keys })
}

/// Every template route, sent to the function the template names. Anything else is a
/// problem+json 404, as API Gateway would refuse it.
pub fn mount(template: &Template, state: &AppState) -> Result<Router, String> {
    Ok(mount_with_table(template, state)?.0)
}

/// (method, path, function binary) of one mounted route.
pub type MountedRoute = (String, String, String);

/// One mounted route: a template path pattern and the function it goes to.
#[derive(Clone)]
struct Mount {
    method: http::Method,
    segments: Vec<String>,
    function: usize,
}

impl Mount {
    fn literal_segments(&self) -> usize {
        self.segments.iter().filter(|s| !s.starts_with('{')).count()
    }

    /// API Gateway's matching: literal segments equal, `{param}` any one non-empty segment.
    fn matches(&self, path: &str) -> bool {
        let parts: Vec<&str> = path.trim_end_matches('/').split('/').collect();
        parts.len() == self.segments.len()
            && self.segments.iter().zip(&parts).all(|(pattern, part)| {
                if pattern.starts_with('{') && pattern.ends_with('}') { !part.is_empty() } else { pattern == part }
            })
    }
}

/// [`mount`], and the (method, path, binary) table it mounted.
///
/// Dispatch is done here rather than by an outer axum Router: the function's own Router
/// must see the request exactly as Lambda hands it over (no outer path parameters or
/// matched path), so it routes it again itself.
pub fn mount_with_table(template: &Template, state: &AppState) -> Result<(Router, Vec<MountedRoute>), String> {
    let mut mounted = Vec::new();
    let mut mounts = Vec::new();
    let mut routers = Vec::new();
    for function in http_functions() {
        let Some(declared) = template.function(function.binary()) else {
            return Err(format!("template.yaml has no function with Binary {}", function.binary()));
        };
        routers.push((function.router)(state.clone()));
        for route in &declared.routes {
            mounted.push((route.method.to_string(), route.path.clone(), function.binary().to_owned()));
            mounts.push(Mount {
                method: route.method.clone(),
                segments: route.path.trim_end_matches('/').split('/').map(str::to_owned).collect(),
                function: routers.len() - 1,
            });
        }
    }
    let mounts = std::sync::Arc::new(mounts);
    let routers = std::sync::Arc::new(routers);
    let dispatch = tower::service_fn(move |req: axum::extract::Request| {
        let mounts = mounts.clone();
        let routers = routers.clone();
        async move {
            let path = req.uri().path().to_owned();
            // API Gateway prefers the most specific route: literal segments beat `{param}`
            // (`/instructors/me/stats` over `/instructors/{id}/stats`).
            let mut on_path: Vec<&Mount> = mounts.iter().filter(|m| m.matches(&path)).collect();
            on_path.sort_by_key(|m| std::cmp::Reverse(m.literal_segments()));
            // Preflight requests go to the path's function, whose CORS layer answers them
            // (API Gateway's CorsConfiguration does this on AWS).
            let chosen = on_path
                .iter()
                .find(|m| {
                    m.method == req.method() || (req.method() == http::Method::HEAD && m.method == http::Method::GET)
                })
                .or_else(|| on_path.first().filter(|_| req.method() == http::Method::OPTIONS));

            match chosen {
                Some(m) => tower::ServiceExt::oneshot(routers[m.function].clone(), req).await,
                None if !on_path.is_empty() => {
                    Ok(axum::response::IntoResponse::into_response(instainstru_shared::http::ApiError::new(
                        http::StatusCode::METHOD_NOT_ALLOWED,
                        "method_not_allowed",
                        "this path does not support that method",
                    )))
                }
                None => Ok(axum::response::IntoResponse::into_response(instainstru_shared::http::ApiError::not_found(
                    "route_not_found",
                    "no such route",
                ))),
            }
        }
    });
    Ok((Router::new().fallback_service(dispatch), mounted))
}

/// The worker handler, as the local event source calls it.
pub fn worker_handler(state: &AppState) -> SqsHandler {
    let state = state.for_function(instainstru_shared::function::Function::AnalyticsWorker);
    Arc::new(move |event| {
        let state = state.clone();
        async move { Ok(instainstru_analytics::handle_batch(&state, event).await) }.boxed()
    })
}

pub fn daily_handler(state: &AppState) -> ScheduledHandler {
    let state = state.for_function(instainstru_shared::function::Function::AnalyticsDaily);
    Arc::new(move |event| {
        let state = state.clone();
        async move { instainstru_analytics::run_daily(&state, event).await.map(|_| ()) }.boxed()
    })
}

pub fn notify_handler(state: &AppState) -> SqsHandler {
    let state = state.for_function(instainstru_shared::function::Function::BookingNotify);
    Arc::new(move |event| {
        let state = state.clone();
        async move { Ok(instainstru_booking::notify_batch(&state, event).await) }.boxed()
    })
}

pub fn outbox_handler(state: &AppState) -> ScheduledHandler {
    let state = state.for_function(instainstru_shared::function::Function::BookingOutbox);
    Arc::new(move |event| {
        let state = state.clone();
        async move { instainstru_booking::sweep_outbox(&state, event).await.map(|_| ()) }.boxed()
    })
}

/// A running platform.
pub struct Platform {
    pub addr: SocketAddr,
    pub backend: Backend,
    pub seeded: SeedOutcome,
    shutdown: watch::Sender<bool>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Platform {
    pub async fn start(options: Options, progress: &dyn Fn(usize, usize)) -> Result<Self, String> {
        let listener = tokio::net::TcpListener::bind(SocketAddr::new(options.host, options.port))
            .await
            .map_err(|e| format!("bind {}:{}: {e}", options.host, options.port))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let mut backend = open_backend(options.data_dir.as_deref(), options.index_refresh).await?;
        // Links in mail (password resets) point at this very platform.
        let config = Config { public_base_url: format!("http://{addr}"), ..(*backend.state.config).clone() };
        backend.state.config = Arc::new(config);
        let seeded =
            seed::apply(&backend.store, backend.state.clock.as_ref(), progress).await.map_err(|e| e.to_string())?;
        let template = Template::embedded()?;
        let app = mount(&template, &backend.state)?;
        let (shutdown, watcher) = watch::channel(false);

        let mut tasks = Vec::new();
        let mut server_watch = watcher.clone();
        tasks.push(tokio::spawn(async move {
            let stop = async move {
                let _ = server_watch.wait_for(|stop| *stop).await;
            };
            let app = app.into_make_service_with_connect_info::<SocketAddr>();
            if let Err(err) = axum::serve(listener, app).with_graceful_shutdown(stop).await {
                tracing::error!(error = %err, "server failed");
            }
        }));
        let source = EventSource::new(backend.queue.clone(), worker_handler(&backend.state));
        tasks.push(tokio::spawn(source.run(watcher.clone())));
        let notify = EventSource::new(backend.notifications.clone(), notify_handler(&backend.state));
        tasks.push(tokio::spawn(notify.run(watcher.clone())));
        let daily = Scheduler {
            name: "analytics-daily".into(),
            cadence: options.daily.clone(),
            handler: daily_handler(&backend.state),
        };
        tasks.push(tokio::spawn(daily.run(backend.state.clock.clone(), watcher.clone())));
        let outbox = Scheduler {
            name: "booking-outbox".into(),
            cadence: options.outbox_sweep.clone(),
            handler: outbox_handler(&backend.state),
        };
        tasks.push(tokio::spawn(outbox.run(backend.state.clock.clone(), watcher)));
        Ok(Self { addr, backend, seeded, shutdown, tasks })
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub async fn stop(self) {
        let _ = self.shutdown.send(true);
        for task in self.tasks {
            let _ = tokio::time::timeout(Duration::from_secs(5), task).await;
        }
    }
}
