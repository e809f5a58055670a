//! The project's `sam local invoke`: every function binary runs under cargo-lambda's Lambda
//! runtime emulator (`cargo lambda watch --only-lambda-apis`) with the environment
//! template.yaml gives it, pointed at an embedded DynamoDB (dynoxide, seeded) and moto's
//! SQS and SES; then every events/ fixture is sent with `cargo lambda invoke --data-file`
//! and the response checked against events/expected.yaml — HTTP fixtures through
//! lambda_http, the SQS batch's `batchItemFailures`, the schedule events' jobs.
//!
//! The binaries are the host-architecture debug builds (`cargo build --bins`, which reuses
//! the test build); the Lambda artifacts themselves are built by infra/scripts/artifacts.sh.
//! Needs cargo-lambda (installed into .venv by infra/scripts/test.sh, or `CARGO_LAMBDA`)
//! and moto (`MOTO_ENDPOINT`); without either it fails, never skips.

use std::{
    collections::BTreeMap,
    net::TcpListener,
    path::{Path, PathBuf},
    time::Duration,
};

use instainstru_local::{
    fixtures,
    lambda_env::{self, Resources},
    template::Template,
};
use instainstru_shared::{
    clock::Clock,
    history::{self, Owner},
    lambda::EMULATOR_NOW,
};
use instainstru_testkit::{TestEnv, moto_endpoint, sesv2_client, sqs_client};
use serde_json::Value;
use tokio::process::{Child, Command};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("workspace root")
}

fn cargo_lambda() -> PathBuf {
    if let Ok(path) = std::env::var("CARGO_LAMBDA") {
        return PathBuf::from(path);
    }
    let path = root().join(".venv/bin/cargo-lambda");
    assert!(
        path.exists(),
        "cargo-lambda not found at {path:?}: run infra/scripts/test.sh (it installs it) or set CARGO_LAMBDA"
    );
    path
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// The host debug builds of every binary. `cargo test --workspace --no-run` builds them with
/// exactly the features the test command's own build unified, so under the test command it
/// is a no-op (`cargo build --bins` would resolve features without dev-dependencies and
/// rebuild half the dependency tree a second time).
fn build_binaries() -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = std::process::Command::new(cargo)
        .current_dir(root())
        .args(["test", "--workspace", "--no-run", "--locked", "--quiet"])
        .status()
        .expect("run cargo test --no-run");
    assert!(status.success(), "cargo test --workspace --no-run failed");
    // This test runs from target/debug/deps/.
    let exe = std::env::current_exe().expect("test executable");
    exe.parent().and_then(Path::parent).expect("target/debug").to_path_buf()
}

async fn wait_for_port(port: u16, child: &mut Child, log: &Path) {
    for _ in 0..300 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            return;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("emulator exited ({status}):\n{}", std::fs::read_to_string(log).unwrap_or_default());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("emulator did not listen on {port}:\n{}", std::fs::read_to_string(log).unwrap_or_default());
}

struct Emulator {
    port: u16,
    dir: PathBuf,
    _children: Vec<Child>,
}

impl Emulator {
    /// Sends `event` to `function` as `cargo lambda invoke --data-file` does; the JSON it answers.
    async fn invoke(&self, function: &str, name: &str, event: &str) -> Result<Value, String> {
        let file = self.dir.join(format!("{name}.json"));
        std::fs::write(&file, event).map_err(|e| e.to_string())?;
        let output = Command::new(cargo_lambda())
            .current_dir(root())
            .args(["lambda", "invoke", function, "--data-file"])
            .arg(&file)
            .args(["--invoke-address", "127.0.0.1", "--invoke-port", &self.port.to_string()])
            .args(["--output-format", "json"])
            .output()
            .await
            .map_err(|e| e.to_string())?;
        if !output.status.success() {
            return Err(format!(
                "cargo lambda invoke failed: {}{}\n--- {function} log:\n{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr),
                self.log_tail(function)
            ));
        }
        serde_json::from_slice(&output.stdout)
            .map_err(|e| format!("not JSON ({e}): {}", String::from_utf8_lossy(&output.stdout)))
    }

    fn log_tail(&self, function: &str) -> String {
        let log = std::fs::read_to_string(self.dir.join(format!("{function}.log"))).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(15)..].join("\n")
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fixture_passes_through_the_lambda_runtime_emulator() {
    let target = tokio::task::spawn_blocking(build_binaries).await.unwrap();
    let template = Template::embedded().unwrap();
    let expectations = fixtures::expectations().unwrap();

    // The stack's resources, locally: a seeded table on dynoxide, a queue and the sender's
    // verified identity on moto.
    let env = TestEnv::seeded().await;
    let moto = moto_endpoint();
    let queue_name = instainstru_testkit::unique_table("emulator-events");
    let queue = sqs_client(&moto.url).create_queue().queue_name(&queue_name).send().await.expect("create queue");
    let queue_url = queue.queue_url.expect("queue url");
    let sender = template.document["Parameters"]["SenderEmail"]["Default"].as_str().unwrap().to_owned();
    sesv2_client(&moto.url).create_email_identity().email_identity(&sender).send().await.expect("verify sender");
    let mut resources: Resources =
        [("Table".to_owned(), env.store.table().to_owned()), ("EventsQueue".to_owned(), queue_url.clone())].into();
    let others = ["EventsDeadLetterQueue", "NotificationsQueue", "NotificationsDeadLetterQueue"];
    resources.extend(instainstru_testkit::queue_stand_ins(&moto.url, &others).await.expect("queues"));

    let dir = std::env::temp_dir().join(format!("instainstru-emulator-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let port = free_port();
    let emulator_log = dir.join("emulator.log");
    let mut emulator = Command::new(cargo_lambda())
        .current_dir(root())
        .args(["lambda", "watch", "--only-lambda-apis", "--invoke-address", "127.0.0.1"])
        .args(["--invoke-port", &port.to_string()])
        .stdout(std::fs::File::create(&emulator_log).unwrap())
        .stderr(std::fs::File::create(dir.join("emulator.err")).unwrap())
        .kill_on_drop(true)
        .spawn()
        .expect("start cargo lambda watch");
    wait_for_port(port, &mut emulator, &emulator_log).await;

    // Every function of the template, as Lambda starts it.
    let mut children = vec![emulator];
    for function in &template.functions {
        let binary = &function.binary;
        let mut vars = lambda_env::template_environment(&template, binary, &resources).unwrap();
        vars.extend(lambda_env::service_environment(
            &template,
            binary,
            &format!("http://127.0.0.1:{port}/.rt/{binary}"),
        ));
        vars.insert("AWS_ENDPOINT_URL_DYNAMODB".into(), env.endpoint.url.clone());
        vars.insert("AWS_ENDPOINT_URL_SQS".into(), moto.url.clone());
        vars.insert("AWS_ENDPOINT_URL_SESV2".into(), moto.url.clone());
        // The keys directly (SSM's `_PARAMETER` names stay set, as on AWS, and lose).
        vars.insert("JWT_PUBLIC_KEY".into(), env.keys.public_pem.clone());
        if vars.contains_key("JWT_PRIVATE_KEY_PARAMETER") {
            vars.insert("JWT_PRIVATE_KEY".into(), env.keys.private_pem.clone());
        }
        vars.insert(EMULATOR_NOW.into(), TestEnv::DEFAULT_NOW.into());
        let log = std::fs::File::create(dir.join(format!("{binary}.log"))).unwrap();
        let child = Command::new(target.join(binary))
            .env_clear()
            .envs(&vars)
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("start {binary}: {e}"));
        children.push(child);
    }
    let emulator = Emulator { port, dir: dir.clone(), _children: children };

    let mut failures = Vec::new();
    let mut invoked: BTreeMap<String, usize> = BTreeMap::new();
    for (name, event) in fixtures::http_fixtures().unwrap() {
        let expected = &expectations.http[&name];
        let (method, path) = fixtures::route_key(&event).unwrap();
        let owner = template
            .functions
            .iter()
            .find(|f| f.routes.iter().any(|r| r.method.as_str() == method && r.path == path))
            .unwrap_or_else(|| panic!("{name}: no function routed {method} {path}"));
        let mut tokens = BTreeMap::new();
        for email in fixtures::token_emails(&event) {
            tokens.insert(email.clone(), env.token_for_email(&email).await);
        }
        let event = fixtures::substitute_tokens(&event, |email| tokens[email].clone());
        *invoked.entry(owner.binary.clone()).or_default() += 1;
        match emulator.invoke(&owner.binary, &name, &event).await {
            Ok(response) => {
                if let Err(why) = fixtures::check(expected, &response) {
                    failures.push(format!("{name} ({}): {why}\n{}", owner.binary, emulator.log_tail(&owner.binary)));
                }
            }
            Err(why) => failures.push(format!("{name}: {why}")),
        }
    }
    for (name, event) in fixtures::sqs_fixtures().unwrap() {
        let expected = &expectations.sqs[&name];
        *invoked.entry(expected.function.clone()).or_default() += 1;
        match emulator.invoke(&expected.function, &name, &event).await {
            Ok(response) => {
                if let Err(why) = fixtures::check_sqs(expected, &response) {
                    failures.push(format!("{name}: {why}\n{}", emulator.log_tail(&expected.function)));
                }
            }
            Err(why) => failures.push(format!("{name}: {why}")),
        }
    }
    fixtures::prepare_schedules(&env.store, env.clock.now()).await.unwrap();
    for (name, event) in fixtures::schedule_fixtures().unwrap() {
        let expected = &expectations.schedule[&name];
        *invoked.entry(expected.function.clone()).or_default() += 1;
        match emulator.invoke(&expected.function, &name, &event).await {
            Ok(response) => {
                if let Err(why) = fixtures::check_pointers(&expected.json, &response) {
                    failures.push(format!("{name}: {why}\n{}", emulator.log_tail(&expected.function)));
                }
            }
            Err(why) => failures.push(format!("{name}: {why}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture(s) failed through the emulator:\n{}",
        failures.len(),
        failures.join("\n\n")
    );

    // Every function of the template was invoked; the redelivered search event was applied
    // once; the sweep's republished event reached the real queue.
    for function in &template.functions {
        assert!(invoked.get(&function.binary).is_some_and(|n| *n > 0), "{} was never invoked", function.binary);
    }
    let owner = Owner::Guest("7c9e6679-7425-40de-944b-e07fc1f90ae7".into());
    let entries = history::all(&env.store, &owner).await.unwrap();
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0].data.search_count, 1);
    let attributes = sqs_client(&moto.url)
        .get_queue_attributes()
        .queue_url(&queue_url)
        .attribute_names(aws_sdk_sqs::types::QueueAttributeName::ApproximateNumberOfMessages)
        .send()
        .await
        .expect("queue attributes");
    let waiting: u64 =
        attributes.attributes.and_then(|a| a.values().next().cloned()).and_then(|v| v.parse().ok()).unwrap_or_default();
    assert!(waiting >= 1, "the functions published their events to the queue");
    let _ = std::fs::remove_dir_all(&dir);
}
