//! Cold start of every function, beside a minimal `lambda_runtime` hello-world built the
//! same way (infra/scripts/coldstart.sh builds them all and runs this).
//!
//! Each run starts a fresh process exactly as Lambda does: the environment template.yaml
//! gives the function (local stand-ins for the table and queue: an embedded, seeded
//! DynamoDB and moto's SQS at `MOTO_ENDPOINT`) plus what the Lambda service sets, with
//! `AWS_LAMBDA_RUNTIME_API` pointing at a Runtime API served here. Serving the Runtime API
//! ourselves, rather than through cargo-lambda's emulator, gives exact timestamps:
//!
//! * init: process spawned → its first `GET /runtime/invocation/next` (ready for an event);
//! * first invocation: that event handed over → its response posted (what the first
//!   caller waits for on top of init);
//! * warm: the same for the second event the same process receives.
//!
//! Each function gets one events/ fixture representative of its traffic, checked against
//! events/expected.yaml, so the timings are of real work and not of an error path.
//!
//!     coldstart <dir> [runs] [binary ...]
//!
//! `<dir>/<binary>/bootstrap` (cargo-lambda's layout) or `<dir>/<binary>`; naming binaries
//! measures only those beside the baseline (infra/scripts/profiles.sh builds just one).

use std::{
    collections::{BTreeMap, VecDeque},
    path::{Path, PathBuf},
    process::Stdio,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use axum::{
    Router,
    body::Bytes,
    extract::State,
    http::{HeaderMap, HeaderValue, StatusCode},
    response::IntoResponse,
    routing::{get, post},
};
use instainstru_local::{
    fixtures::{self, Expectations},
    lambda_env::{self, Resources},
    template::Template,
};
use instainstru_shared::{clock::Clock, lambda::EMULATOR_NOW};
use instainstru_testkit::{TestEnv, moto_endpoint, sesv2_client, sqs_client, unique_table};
use tokio::sync::mpsc;

/// The baseline: infra/hello, built with the functions.
const HELLO: &str = "hello";

/// Each function's representative event: (kind, events/ fixture name).
const EVENTS: [(&str, &str, &str); 8] = [
    ("search", "http", "search-piano-brooklyn"),
    ("booking", "http", "availability-instructor"),
    ("booking-outbox", "schedule", "booking-outbox"),
    ("admin", "http", "admin-users"),
    ("accounts", "http", "accounts-me"),
    ("analytics-worker", "sqs", "analytics-worker-batch"),
    ("booking-notify", "sqs", "booking-notify-batch"),
    ("analytics-daily", "schedule", "analytics-daily"),
];

/// What the Runtime API saw of one process.
#[derive(Default)]
struct Seen {
    /// Events still to hand out, in order.
    events: VecDeque<String>,
    /// When each `next` arrived, and when each response (or error) was posted, with its body.
    next_at: Vec<Instant>,
    responses: Vec<(Instant, Bytes, bool)>,
}

type Shared = Arc<Mutex<(Seen, Option<mpsc::UnboundedSender<()>>)>>;

async fn next(State(shared): State<Shared>) -> impl IntoResponse {
    let event = {
        let mut guard = shared.lock().unwrap_or_else(|p| p.into_inner());
        guard.0.next_at.push(Instant::now());
        if let Some(tx) = &guard.1 {
            let _ = tx.send(());
        }
        guard.0.events.pop_front()
    };
    let Some(event) = event else {
        // No more events: the process waits here, as it would between invocations.
        let never: std::convert::Infallible = std::future::pending().await;
        match never {}
    };
    let mut headers = HeaderMap::new();
    let id = format!("coldstart-{}", request_number());
    let deadline = jiff::Timestamp::now().as_millisecond() + 30_000;
    for (name, value) in [
        ("lambda-runtime-aws-request-id", id),
        ("lambda-runtime-deadline-ms", deadline.to_string()),
        ("lambda-runtime-invoked-function-arn", "arn:aws:lambda:us-east-1:000000000000:function:coldstart".into()),
        ("lambda-runtime-trace-id", "Root=1-00000000-000000000000000000000000".into()),
        ("content-type", "application/json".into()),
    ] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    (StatusCode::OK, headers, event).into_response()
}

/// A request id unique enough for one process's two invocations.
fn request_number() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or_default()
}

fn record(shared: &Shared, body: Bytes, error: bool) -> StatusCode {
    let mut guard = shared.lock().unwrap_or_else(|p| p.into_inner());
    guard.0.responses.push((Instant::now(), body, error));
    if let Some(tx) = &guard.1 {
        let _ = tx.send(());
    }
    StatusCode::ACCEPTED
}

async fn response(State(shared): State<Shared>, body: Bytes) -> StatusCode {
    record(&shared, body, false)
}

async fn error(State(shared): State<Shared>, body: Bytes) -> StatusCode {
    record(&shared, body, true)
}

fn runtime_api(shared: Shared) -> Router {
    Router::new()
        .route("/2018-06-01/runtime/invocation/next", get(next))
        .route("/2018-06-01/runtime/invocation/{id}/response", post(response))
        .route("/2018-06-01/runtime/invocation/{id}/error", post(error))
        .route("/2018-06-01/runtime/init/error", post(error))
        .with_state(shared)
}

/// One cold start: (init, first invocation, warm invocation) and the first response.
struct Sample {
    init: Duration,
    first: Duration,
    warm: Duration,
    response: serde_json::Value,
}

async fn run_once(binary: &Path, vars: &BTreeMap<String, String>, event: &str) -> Result<Sample, String> {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let seen = Seen { events: [event.to_owned(), event.to_owned()].into(), ..Seen::default() };
    let shared: Shared = Arc::new(Mutex::new((seen, Some(tx))));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.map_err(|e| e.to_string())?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    let server = tokio::spawn(axum::serve(listener, runtime_api(shared.clone())).into_future());

    let spawned = Instant::now();
    let mut child = tokio::process::Command::new(binary)
        .env_clear()
        .envs(vars)
        .env("AWS_LAMBDA_RUNTIME_API", address.to_string())
        // COLDSTART_LOGS=1 passes the functions' JSON logs through (with RUST_LOG), to see
        // where a slow phase goes; they cost time, so the measured runs keep them off.
        .stdout(if std::env::var_os("COLDSTART_LOGS").is_some() { Stdio::inherit() } else { Stdio::null() })
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("start {}: {e}", binary.display()))?;
    let outcome = tokio::time::timeout(Duration::from_secs(60), async {
        loop {
            {
                let guard = shared.lock().unwrap_or_else(|p| p.into_inner());
                // Done when the second event's response is in and the third `next` waits.
                if guard.0.responses.len() >= 2 && guard.0.next_at.len() >= 3 {
                    return Ok(());
                }
            }
            tokio::select! {
                _ = rx.recv() => {}
                status = child.wait() => return Err(format!("exited early: {status:?}")),
            }
        }
    })
    .await;
    let _ = child.start_kill();
    let stderr = match child.wait_with_output().await {
        Ok(output) => String::from_utf8_lossy(&output.stderr).into_owned(),
        Err(e) => e.to_string(),
    };
    server.abort();
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(why)) => return Err(format!("{}: {why}\n{stderr}", binary.display())),
        Err(_) => return Err(format!("{}: no response within 60 s\n{stderr}", binary.display())),
    }
    let guard = shared.lock().unwrap_or_else(|p| p.into_inner());
    let (next_at, responses) = (&guard.0.next_at, &guard.0.responses);
    if let Some((_, body, true)) = responses.iter().find(|r| r.2) {
        return Err(format!("{}: invocation error {}", binary.display(), String::from_utf8_lossy(body)));
    }
    let response = serde_json::from_slice(&responses[0].1).map_err(|e| format!("response is not JSON: {e}"))?;
    Ok(Sample {
        init: next_at[0] - spawned,
        first: responses[0].0 - next_at[0],
        warm: responses[1].0 - next_at[1],
        response,
    })
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values.get(values.len() / 2).copied().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

/// Checks a response against what events/expected.yaml says.
type Check = Box<dyn Fn(&serde_json::Value) -> Result<(), String>>;

/// The event to send `binary` and a check of its response.
fn event_for(binary: &str, expectations: &Expectations) -> Result<(String, Check), String> {
    if binary == HELLO {
        return Ok((
            "{\"ping\":1}".into(),
            Box::new(|r| if r["hello"]["ping"] == 1 { Ok(()) } else { Err(r.to_string()) }),
        ));
    }
    let (_, kind, name) =
        EVENTS.iter().find(|(b, _, _)| *b == binary).ok_or(format!("no event chosen for {binary}"))?;
    let all = match *kind {
        "http" => fixtures::http_fixtures()?,
        "sqs" => fixtures::sqs_fixtures()?,
        _ => fixtures::schedule_fixtures()?,
    };
    let event = all.into_iter().find(|(n, _)| n == name).map(|(_, e)| e).ok_or(format!("no fixture {name}"))?;
    let check: Check = match *kind {
        "http" => {
            let expected = expectations.http.get(*name).cloned().ok_or(format!("{name}: no expectation"))?;
            Box::new(move |r| fixtures::check(&expected, r))
        }
        "sqs" => {
            let expected = expectations.sqs.get(*name).cloned().ok_or(format!("{name}: no expectation"))?;
            Box::new(move |r| fixtures::check_sqs(&expected, r))
        }
        _ => {
            // A repeated sweep finds nothing left to publish; the daily job's shape is fixed.
            let expected = expectations.schedule.get(*name).cloned().ok_or(format!("{name}: no expectation"))?;
            let keys: Vec<String> = expected.json.keys().cloned().collect();
            Box::new(move |r| match keys.iter().find(|k| r.pointer(k).is_none()) {
                Some(missing) => Err(format!("{missing} missing from {r}")),
                None => Ok(()),
            })
        }
    };
    Ok((event, check))
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().ok_or("usage: coldstart <dir of <binary>/bootstrap> [runs] [binary ...]")?);
    let runs: usize = args.next().map(|r| r.parse().map_err(|e| format!("runs: {e}"))).transpose()?.unwrap_or(10);

    let template = Template::embedded()?;
    let expectations = fixtures::expectations()?;
    let env = TestEnv::seeded().await;
    let moto = moto_endpoint();
    let queue = sqs_client(&moto.url)
        .create_queue()
        .queue_name(unique_table("coldstart-events"))
        .send()
        .await
        .map_err(|e| format!("create queue: {e:?}"))?;
    let queue_url = queue.queue_url.ok_or("no queue url")?;
    if let Some(sender) = template.document["Parameters"]["SenderEmail"]["Default"].as_str() {
        let _ = sesv2_client(&moto.url).create_email_identity().email_identity(sender).send().await;
    }
    fixtures::prepare_schedules(&env.store, env.clock.now()).await?;
    let mut resources: Resources =
        [("Table".to_owned(), env.store.table().to_owned()), ("EventsQueue".to_owned(), queue_url)].into();
    let others = ["EventsDeadLetterQueue", "NotificationsQueue", "NotificationsDeadLetterQueue"];
    resources.extend(instainstru_testkit::queue_stand_ins(&moto.url, &others).await?);

    let only: Vec<String> = args.collect();
    if let Some(unknown) = only.iter().find(|b| !template.functions.iter().any(|f| &f.binary == *b)) {
        return Err(format!("{unknown} is not a binary template.yaml names"));
    }
    let mut binaries: Vec<String> = vec![HELLO.to_owned()];
    binaries
        .extend(template.functions.iter().map(|f| f.binary.clone()).filter(|b| only.is_empty() || only.contains(b)));
    let mut rows = Vec::new();
    let mut hello_init = None;
    for binary in &binaries {
        let lambda_layout = dir.join(binary).join("bootstrap");
        let path = if lambda_layout.is_file() { lambda_layout } else { dir.join(binary) };
        let size = std::fs::metadata(&path).map_err(|e| format!("{}: {e}", path.display()))?.len();
        let mut vars = if binary == HELLO {
            BTreeMap::new()
        } else {
            let mut vars = lambda_env::template_environment(&template, binary, &resources)?;
            vars.insert("JWT_PUBLIC_KEY".into(), env.keys.public_pem.clone());
            if vars.contains_key("JWT_PRIVATE_KEY_PARAMETER") {
                vars.insert("JWT_PRIVATE_KEY".into(), env.keys.private_pem.clone());
            }
            vars
        };
        vars.extend(lambda_env::service_environment(&template, binary, ""));
        vars.remove("AWS_LAMBDA_RUNTIME_API");
        vars.insert("AWS_ENDPOINT_URL_DYNAMODB".into(), env.endpoint.url.clone());
        vars.insert("AWS_ENDPOINT_URL_SQS".into(), moto.url.clone());
        vars.insert("AWS_ENDPOINT_URL_SESV2".into(), moto.url.clone());
        vars.insert(EMULATOR_NOW.into(), TestEnv::DEFAULT_NOW.into());
        if let (Some(_), Ok(level)) = (std::env::var_os("COLDSTART_LOGS"), std::env::var("RUST_LOG")) {
            vars.insert("RUST_LOG".into(), level);
        }

        let (mut event, check) = event_for(binary, &expectations)?;
        let emails = fixtures::token_emails(&event);
        let mut tokens = BTreeMap::new();
        for email in emails {
            tokens.insert(email.clone(), env.token_for_email(&email).await);
        }
        event = fixtures::substitute_tokens(&event, |email| tokens.get(email).cloned().unwrap_or_default());

        let (mut init, mut first, mut warm) = (Vec::new(), Vec::new(), Vec::new());
        for run in 0..runs {
            let sample = run_once(&path, &vars, &event).await?;
            check(&sample.response).map_err(|why| format!("{binary} run {run}: {why}"))?;
            init.push(sample.init);
            first.push(sample.first);
            warm.push(sample.warm);
        }
        let (init, first, warm) = (median(init), median(first), median(warm));
        let baseline = *hello_init.get_or_insert(init);
        let memory = if binary == HELLO { 128 } else { lambda_env::memory_size(&template, binary) };
        rows.push(format!(
            "| {binary} | {memory} | {:.1} MB | {} | {:.2}× | {} | {} |",
            size as f64 / 1_048_576.0,
            ms(init),
            init.as_secs_f64() / baseline.as_secs_f64(),
            ms(first),
            ms(warm),
        ));
        eprintln!("{binary}: init {} ms, first {} ms, warm {} ms", ms(init), ms(first), ms(warm));
    }
    println!("Cold start, median of {runs} fresh processes per function ({})", dir.display());
    println!();
    println!(
        "| binary | memory (MB) | bootstrap | init (ms) | init ÷ hello | first invocation (ms) | warm invocation (ms) |"
    );
    println!("|---|---|---|---|---|---|---|");
    for row in rows {
        println!("{row}");
    }
    Ok(())
}
