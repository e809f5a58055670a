//! Starting the platform: store, keys, seed, routers, event source, scheduler, server.

use std::{
    collections::BTreeMap,
    net::SocketAddr,
    path::{Path, PathBuf},
    sync::Arc,
    time::Duration,
};

use axum::{
    Router,
    routing::{MethodFilter, MethodRouter},
};
use futures::FutureExt;
use instainstru_shared::{
    AppState,
    auth::{KeyPair, TokenVerifier},
    clock::{Clock, SystemClock, lesson_zone},
    config::Config,
    embedded::{self, Endpoint},
    queue::local::{EventSource, LocalQueue, SqsHandler},
    schedule::{Cadence, ScheduledHandler, Scheduler},
    seed::{self, SeedOutcome},
    store::{Store, create_table},
};
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
    pub index_refresh: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            host: [127, 0, 0, 1].into(),
            port: 3000,
            data_dir: Some(PathBuf::from(".local")),
            daily: Cadence::DailyAt { time: jiff::civil::Time::constant(2, 30, 0, 0), zone: lesson_zone() },
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
    pub keys: KeyPair,
}

pub async fn open_backend(data_dir: Option<&Path>, index_refresh: Duration) -> Result<Backend, String> {
    if let Some(dir) = data_dir {
        std::fs::create_dir_all(dir).map_err(|e| format!("create {dir:?}: {e}"))?;
    }
    let db_path = data_dir.map(|d| d.join(DATABASE_FILE));
    let dynamo = embedded::start_dynoxide(db_path.as_deref(), 0).await?;
    let client = embedded::dynamodb_client(&dynamo);
    create_table(&client, TABLE).await.map_err(|e| e.to_string())?;
    let store = Store::new(client, TABLE);
    let keys = keys::load_or_create(data_dir)?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let queue = embedded::events_queue(&store, clock.clone());
    let verifier = Arc::new(TokenVerifier::from_pem(&keys.public_pem)?);
    let config = Config { table_name: TABLE.to_owned(), index_refresh, ..Config::default() };
    let state = AppState::new(config, store.clone(), clock, Arc::new(queue.clone()), verifier);
    Ok(Backend { dynamo, store, state, queue, keys })
}

/// Every template route, sent to the function the template names. Anything else is a
/// problem+json 404, as API Gateway would refuse it.
pub fn mount(template: &Template, state: &AppState) -> Result<Router, String> {
    let mut by_path: BTreeMap<String, MethodRouter> = BTreeMap::new();
    for function in http_functions() {
        let Some(declared) = template.function(function.binary) else {
            return Err(format!("template.yaml has no function with Binary {}", function.binary));
        };
        // The platform's own routing sets MatchedPath; the function routes the request
        // again, as on Lambda, and must see it fresh (axum would otherwise prefix it).
        let router =
            tower::ServiceExt::map_request((function.router)(state.clone()), |mut req: axum::extract::Request| {
                req.extensions_mut().remove::<axum::extract::MatchedPath>();
                req
            });
        for route in &declared.routes {
            let filter = MethodFilter::try_from(route.method.clone()).map_err(|e| e.to_string())?;
            let entry = by_path.remove(&route.path).unwrap_or_default();
            // Preflight requests go to the same function, whose CORS layer answers them
            // (API Gateway's CorsConfiguration does this on AWS).
            let entry = entry.on_service(filter, router.clone()).on_service(MethodFilter::OPTIONS, router.clone());
            by_path.insert(route.path.clone(), entry);
        }
    }
    let mut app = Router::new();
    for (path, method_router) in by_path {
        app = app.route(&path, method_router);
    }
    Ok(app.fallback(|| async { instainstru_shared::http::ApiError::not_found("route_not_found", "no such route") }))
}

/// The worker handler, as the local event source calls it.
pub fn worker_handler(state: &AppState) -> SqsHandler {
    let state = state.for_function("analytics-worker");
    Arc::new(move |event| {
        let state = state.clone();
        async move { Ok(instainstru_analytics::handle_batch(&state, event).await) }.boxed()
    })
}

pub fn daily_handler(state: &AppState) -> ScheduledHandler {
    let state = state.for_function("analytics-daily");
    Arc::new(move |event| {
        let state = state.clone();
        async move { instainstru_analytics::run_daily(&state, event).await.map(|_| ()) }.boxed()
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
        let backend = open_backend(options.data_dir.as_deref(), options.index_refresh).await?;
        let seeded =
            seed::apply(&backend.store, backend.state.clock.as_ref(), progress).await.map_err(|e| e.to_string())?;
        let template = Template::embedded()?;
        let app = mount(&template, &backend.state)?;
        let listener = tokio::net::TcpListener::bind(SocketAddr::new(options.host, options.port))
            .await
            .map_err(|e| format!("bind {}:{}: {e}", options.host, options.port))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let (shutdown, watcher) = watch::channel(false);

        let mut tasks = Vec::new();
        let mut server_watch = watcher.clone();
        tasks.push(tokio::spawn(async move {
            let stop = async move {
                let _ = server_watch.wait_for(|stop| *stop).await;
            };
            if let Err(err) = axum::serve(listener, app).with_graceful_shutdown(stop).await {
                tracing::error!(error = %err, "server failed");
            }
        }));
        let source = EventSource::new(backend.queue.clone(), worker_handler(&backend.state));
        tasks.push(tokio::spawn(source.run(watcher.clone())));
        let daily = Scheduler {
            name: "analytics-daily".into(),
            cadence: options.daily.clone(),
            handler: daily_handler(&backend.state),
        };
        tasks.push(tokio::spawn(daily.run(backend.state.clock.clone(), watcher)));
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
