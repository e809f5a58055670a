//! Cold start on AWS Lambda: JSON logs, configuration, SDK clients, keys. Everything
//! expensive happens here, once, not per request.

use std::sync::Arc;

use crate::{
    auth::{TokenSigner, TokenVerifier},
    clock::{Clock, FixedClock, SystemClock},
    config::Config,
    function::Function,
    mail::SesMailer,
    notify,
    queue::{
        EventPublisher, Fanout, SqsPublisher,
        ops::{SqsOps, SqsPair},
    },
    state::AppState,
    store::Store,
};

pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// Freezes the function's clock at this RFC 3339 instant. Only the runtime-emulator test
/// sets it, so that the events/ fixtures (written for a fixed day) give the same answers
/// through the real binaries as in process; the template self-check refuses any function
/// whose template environment sets it.
pub const EMULATOR_NOW: &str = "INSTAINSTRU_EMULATOR_NOW";

/// The real clock, or the emulator test's frozen one.
fn clock_from_env() -> Result<Arc<dyn Clock>, Error> {
    match std::env::var(EMULATOR_NOW) {
        Ok(at) if !at.trim().is_empty() => {
            let at = at.trim().parse().map_err(|e| format!("{EMULATOR_NOW}: {e}"))?;
            tracing::warn!(%at, "clock frozen by {EMULATOR_NOW} (emulator test only)");
            Ok(Arc::new(FixedClock::new(at)))
        }
        _ => Ok(Arc::new(SystemClock)),
    }
}

/// JSON logs on stdout, which Lambda ships to CloudWatch; level from `RUST_LOG`
/// (default info). Span fields (request id, route, user id) appear on every line.
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter)
        .with_current_span(true)
        .with_span_list(false)
        .with_target(false)
        .without_time() // Lambda timestamps every line itself.
        .try_init();
}

/// Reads a secret or key: from the environment variable `name` if set (local runs),
/// else from the SSM parameter named by `<name>_PARAMETER` (on AWS).
pub async fn secret(sdk: &aws_config::SdkConfig, name: &str) -> Result<String, Error> {
    if let Ok(value) = std::env::var(name)
        && !value.trim().is_empty()
    {
        return Ok(value);
    }
    let parameter = std::env::var(format!("{name}_PARAMETER"))
        .map_err(|_| format!("neither {name} nor {name}_PARAMETER is set"))?;
    let ssm = aws_sdk_ssm::Client::new(sdk);
    let out = ssm.get_parameter().name(&parameter).with_decryption(true).send().await?;
    out.parameter.and_then(|p| p.value).ok_or_else(|| format!("SSM parameter {parameter} has no value").into())
}

/// The state a function runs with on Lambda.
pub async fn state_from_env(function: Function) -> Result<AppState, Error> {
    let config = Config::from_env();
    let sdk = aws_config::load_from_env().await;
    let store = Store::new(aws_sdk_dynamodb::Client::new(&sdk), config.table_name.clone());
    let sqs = aws_sdk_sqs::Client::new(&sdk);
    let mut events: Arc<dyn EventPublisher> = match &config.events_queue_url {
        Some(url) => Arc::new(SqsPublisher::new(sqs.clone(), url.clone())),
        None => return Err("EVENTS_QUEUE_URL is not set".into()),
    };
    if let Some(url) = &config.notifications_queue_url {
        let notifications = Arc::new(SqsPublisher::new(sqs.clone(), url.clone()));
        events = Arc::new(Fanout::new().to(notify::analytics_takes, events).to(notify::takes, notifications));
    }
    let monitored = match std::env::var("MONITORED_QUEUES") {
        Ok(list) => Some(SqsPair::parse_list(&list)?),
        Err(_) => None,
    };
    let public_key = secret(&sdk, "JWT_PUBLIC_KEY").await?;
    let tokens = Arc::new(TokenVerifier::from_pem(&public_key)?);
    let mut state = AppState::new(config, store, clock_from_env()?, events, tokens);
    if function.signs_tokens() {
        // Only accounts signs tokens; only its IAM role may read the private key
        // parameter (template.yaml).
        let private_key = secret(&sdk, "JWT_PRIVATE_KEY").await?;
        state = state.with_signer(Arc::new(TokenSigner::from_pem(&private_key)?));
    }
    if function.sends_mail() {
        let sender = std::env::var("SENDER_EMAIL").map_err(|_| "SENDER_EMAIL is not set")?;
        state = state.with_mail(Arc::new(SesMailer::new(aws_sdk_sesv2::Client::new(&sdk), sender)));
    }
    if let Some(pairs) = monitored {
        // Only admin's role may read and redrive the queues (template.yaml).
        state = state.with_queue_ops(Arc::new(SqsOps::new(sqs, pairs)));
    }
    Ok(state.for_function(function))
}

/// Builds the search directory before the first event, so Lambda's init phase (which is
/// not billed at the request's latency and runs with a full CPU burst) pays for it instead
/// of the first student's request. A failure here is logged, not fatal: the first request
/// then loads it, as it would after any refresh, rather than the instance never starting.
pub async fn warm_directory(state: &AppState) {
    let started = std::time::Instant::now();
    match state.directory.get(&state.store, state.clock.now()).await {
        Ok(dir) => tracing::info!(
            listed = dir.listed().count(),
            millis = started.elapsed().as_millis() as u64,
            "directory loaded in init"
        ),
        Err(error) => tracing::warn!(%error, "directory not loaded in init; the first request will load it"),
    }
}

/// Runs an HTTP function: the one Router, under lambda_http.
pub async fn run_http(router: axum::Router) -> Result<(), Error> {
    lambda_http::run(router).await
}
