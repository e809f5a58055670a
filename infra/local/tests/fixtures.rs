//! Every events/ fixture, replayed as `sam local invoke` would: deserialised as Lambda
//! delivers it, run through lambda_http's adapter around the function's real Router (HTTP)
//! or the function's event handler (SQS, schedules), and the response checked against
//! events/expected.yaml. Every DynamoDB call and every publish each function makes is
//! recorded on the way and checked against what template.yaml grants that function.
//! (`emulator.rs` replays the same fixtures through the built binaries.)

use std::{
    collections::{BTreeMap, BTreeSet},
    sync::{Arc, Mutex},
};

use aws_sdk_dynamodb::config::{
    ConfigBag, Intercept, RuntimeComponents,
    interceptors::{
        AfterDeserializationInterceptorContextRef, BeforeTransmitInterceptorContextMut,
        BeforeTransmitInterceptorContextRef,
    },
};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_types::body::SdkBody;
use instainstru_local::{
    checks::grants::{self, Grant},
    fixtures,
    functions::{EVENT_FUNCTIONS, http_functions, invoke_event},
    template::Template,
};
use instainstru_shared::{
    AppState,
    clock::Clock,
    history::{self, Owner},
    queue::{Envelope, EventPublisher, PublishError},
    store::Store,
};
use instainstru_testkit::TestEnv;
use lambda_http::{Adapter, Context, LambdaEvent, Service, request::LambdaRequest};
use serde_json::Value;

/// (DynamoDB action, partition key of the item written, if a write) per function.
type Calls = Arc<Mutex<BTreeMap<String, BTreeSet<(String, Option<String>)>>>>;

/// Records each DynamoDB request of one function: its action, and for writes the
/// partition key of every item written (IAM authorises `TransactWriteItems` and
/// `BatchWriteItem` per item action, and `dynamodb:LeadingKeys` per partition key).
#[derive(Debug, Clone)]
struct RecordCalls {
    function: String,
    calls: Calls,
}

impl Intercept for RecordCalls {
    fn name(&self) -> &'static str {
        "RecordCalls"
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let request = context.request();
        let target = request.headers().get("x-amz-target").unwrap_or_default();
        let action = target.rsplit('.').next().unwrap_or_default().to_owned();
        let body: Value = request.body().bytes().and_then(|b| serde_json::from_slice(b).ok()).unwrap_or_default();
        let pk = |item: &Value| item["PK"]["S"].as_str().map(str::to_owned);
        let mut found: Vec<(String, Option<String>)> = Vec::new();
        match action.as_str() {
            "PutItem" => found.push((action.clone(), pk(&body["Item"]))),
            "UpdateItem" | "DeleteItem" => found.push((action.clone(), pk(&body["Key"]))),
            "TransactWriteItems" => {
                for item in body["TransactItems"].as_array().into_iter().flatten() {
                    for (kind, action, key) in [
                        ("Put", "PutItem", "Item"),
                        ("Update", "UpdateItem", "Key"),
                        ("Delete", "DeleteItem", "Key"),
                        ("ConditionCheck", "ConditionCheckItem", "Key"),
                    ] {
                        if item.get(kind).is_some() {
                            found.push((action.to_owned(), pk(&item[kind][key])));
                        }
                    }
                }
            }
            "BatchWriteItem" => {
                for request in body["RequestItems"]
                    .as_object()
                    .into_iter()
                    .flat_map(|t| t.values())
                    .flat_map(|v| v.as_array().cloned().unwrap_or_default())
                {
                    if request.get("PutRequest").is_some() {
                        found.push(("PutItem".into(), pk(&request["PutRequest"]["Item"])));
                    }
                    if request.get("DeleteRequest").is_some() {
                        found.push(("DeleteItem".into(), pk(&request["DeleteRequest"]["Key"])));
                    }
                }
            }
            // TransactGetItems is authorised as GetItem.
            "TransactGetItems" => found.push(("GetItem".into(), None)),
            _ => found.push((action.clone(), None)),
        }
        let mut calls = self.calls.lock().unwrap_or_else(|p| p.into_inner());
        calls.entry(self.function.clone()).or_default().extend(found);
        Ok(())
    }
}

/// DynamoDB's own count of what each fixture consumed: every request asks for
/// `ReturnConsumedCapacity: TOTAL` and the units in each answer are added to the fixture
/// being replayed. COST.md's DynamoDB line is built from this table.
#[derive(Debug, Clone, Default)]
struct MeasureCapacity {
    current: Arc<Mutex<String>>,
    per_fixture: Arc<Mutex<BTreeMap<String, Consumed>>>,
}

#[derive(Debug, Clone, Default)]
struct Consumed {
    calls: u32,
    /// Requests whose answer carried no ConsumedCapacity (must stay 0 for the figures to hold).
    unmeasured: u32,
    read_units: f64,
    write_units: f64,
}

const READS: [&str; 5] = ["GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems"];

/// The request's DynamoDB action, carried in the request's config bag to its answer.
#[derive(Debug, Clone)]
struct Action(String);

impl aws_smithy_types::config_bag::Storable for Action {
    type Storer = aws_smithy_types::config_bag::StoreReplace<Self>;
}

impl Intercept for MeasureCapacity {
    fn name(&self) -> &'static str {
        "MeasureCapacity"
    }

    fn modify_before_signing(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let request = context.request_mut();
        cfg.interceptor_state().store_put(Action(operation(request.headers())));
        let Some(mut body) = request.body().bytes().and_then(|b| serde_json::from_slice::<Value>(b).ok()) else {
            return Ok(());
        };
        if let Some(object) = body.as_object_mut() {
            object.insert("ReturnConsumedCapacity".into(), "TOTAL".into());
            let bytes = serde_json::to_vec(&body)?;
            request.headers_mut().insert("content-length", bytes.len().to_string());
            *request.body_mut() = SdkBody::from(bytes);
        }
        Ok(())
    }

    fn read_after_deserialization(
        &self,
        context: &AfterDeserializationInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let action = cfg.load::<Action>().map(|a| a.0.clone()).unwrap_or_default();
        let body: Value =
            context.response().body().bytes().and_then(|b| serde_json::from_slice(b).ok()).unwrap_or_default();
        let consumed = match &body["ConsumedCapacity"] {
            Value::Array(items) => Some(items.iter().filter_map(|c| c["CapacityUnits"].as_f64()).sum::<f64>()),
            Value::Object(one) => one.get("CapacityUnits").and_then(Value::as_f64),
            _ => None,
        };
        let fixture = self.current.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let mut all = self.per_fixture.lock().unwrap_or_else(|p| p.into_inner());
        let entry = all.entry(fixture).or_default();
        entry.calls += 1;
        match consumed {
            Some(units) if READS.contains(&action.as_str()) => entry.read_units += units,
            Some(units) => entry.write_units += units,
            // An error answer carries no ConsumedCapacity (a refused conditional write is
            // still billed its write units): not counted here, as COST.md says.
            None if body.get("__type").is_some() => {}
            None => entry.unmeasured += 1,
        }
        Ok(())
    }
}

fn operation(headers: &aws_smithy_runtime_api::http::Headers) -> String {
    headers.get("x-amz-target").unwrap_or_default().rsplit('.').next().unwrap_or_default().to_owned()
}

/// Publishes through the real queue and remembers which function published.
struct RecordPublishes {
    function: String,
    inner: Arc<dyn EventPublisher>,
    published: Arc<Mutex<BTreeSet<String>>>,
}

#[async_trait::async_trait]
impl EventPublisher for RecordPublishes {
    async fn publish(&self, events: &[Envelope]) -> Result<(), PublishError> {
        self.published.lock().unwrap_or_else(|p| p.into_inner()).insert(self.function.clone());
        self.inner.publish(events).await
    }
}

struct Recorder {
    calls: Calls,
    published: Arc<Mutex<BTreeSet<String>>>,
    capacity: MeasureCapacity,
}

impl Recorder {
    /// `function`'s state: the environment's, with its DynamoDB and queue calls recorded.
    fn state(&self, env: &TestEnv, function: &str) -> AppState {
        let interceptor = RecordCalls { function: function.to_owned(), calls: self.calls.clone() };
        let config = env
            .store
            .client()
            .config()
            .to_builder()
            .interceptor(interceptor)
            .interceptor(self.capacity.clone())
            .build();
        let store = Store::new(aws_sdk_dynamodb::Client::from_conf(config), env.store.table());
        let events = Arc::new(RecordPublishes {
            function: function.to_owned(),
            inner: env.state.events.clone(),
            published: self.published.clone(),
        });
        AppState { store, events, ..env.state.clone() }
    }
}

#[tokio::test]
async fn every_fixture_gives_its_expected_response_and_calls_only_what_its_function_is_granted() {
    let env = TestEnv::seeded().await;
    let template = Template::embedded().unwrap();
    let expectations = fixtures::expectations().unwrap();
    let recorder = Recorder { calls: Arc::default(), published: Arc::default(), capacity: MeasureCapacity::default() };
    let replaying = |name: &str| *recorder.capacity.current.lock().unwrap() = name.to_owned();
    let mut failures = Vec::new();

    // HTTP, in name order (some fixtures build on earlier ones, as a client's requests do).
    let http = fixtures::http_fixtures().unwrap();
    assert!(!http.is_empty());
    let routers: BTreeMap<&str, axum::Router> =
        http_functions().into_iter().map(|f| (f.binary(), (f.router)(recorder.state(&env, f.binary())))).collect();
    for (name, event) in &http {
        let Some(expected) = expectations.http.get(name) else {
            failures.push(format!("{name}: no entry in events/expected.yaml"));
            continue;
        };
        let (method, path) = fixtures::route_key(event).unwrap();
        let owner = template
            .functions
            .iter()
            .find(|f| f.routes.iter().any(|r| r.method.as_str() == method && r.path == path))
            .unwrap_or_else(|| panic!("{name}: template.yaml routes no function at {method} {path}"));
        let mut tokens = std::collections::HashMap::new();
        for email in fixtures::token_emails(event) {
            tokens.insert(email.clone(), env.token_for_email(&email).await);
        }
        let event = fixtures::substitute_tokens(event, |email| tokens[email].clone());
        let request: LambdaRequest = serde_json::from_str(&event).unwrap_or_else(|e| panic!("{name}: {e}"));
        replaying(name);
        let mut adapter = Adapter::from(routers[owner.binary.as_str()].clone());
        let response = adapter.call(LambdaEvent::new(request, Context::default())).await.unwrap();
        let response = serde_json::to_value(&response).unwrap();
        if let Err(why) = fixtures::check(expected, &response) {
            failures.push(format!("{name}: {why}"));
        }
    }
    let unused: Vec<_> = expectations.http.keys().filter(|k| !http.iter().any(|(name, _)| name == *k)).collect();
    assert!(unused.is_empty(), "expectations without a fixture: {unused:?}");

    // SQS batches, to the worker.
    let sqs = fixtures::sqs_fixtures().unwrap();
    assert_eq!(sqs.len(), expectations.sqs.len(), "events/sqs and expected.yaml's sqs section differ");
    for (name, event) in &sqs {
        let expected = expectations.sqs.get(name).unwrap_or_else(|| panic!("{name}: no sqs entry in expected.yaml"));
        let state = recorder.state(&env, &expected.function);
        replaying(name);
        let response = invoke_event(&expected.function, &state, serde_json::from_str(event).unwrap()).await;
        match response {
            Ok(response) => {
                if let Err(why) = fixtures::check_sqs(expected, &response) {
                    failures.push(format!("{name}: {why}"));
                }
            }
            Err(why) => failures.push(format!("{name}: invocation failed: {why}")),
        }
    }
    // The duplicate was applied once.
    let owner = Owner::Guest("7c9e6679-7425-40de-944b-e07fc1f90ae7".into());
    let entries = history::all(&env.store, &owner).await.unwrap();
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0].data.search_count, 1, "a redelivered event is applied once");

    // Schedules.
    fixtures::prepare_schedules(&env.store, env.clock.now()).await.unwrap();
    let schedules = fixtures::schedule_fixtures().unwrap();
    assert_eq!(schedules.len(), expectations.schedule.len(), "events/schedule and expected.yaml differ");
    for (name, event) in &schedules {
        let expected = expectations.schedule.get(name).unwrap_or_else(|| panic!("{name}: no schedule entry"));
        let state = recorder.state(&env, &expected.function);
        replaying(name);
        match invoke_event(&expected.function, &state, serde_json::from_str(event).unwrap()).await {
            Ok(response) => {
                if let Err(why) = fixtures::check_pointers(&expected.json, &response) {
                    failures.push(format!("{name}: {why}"));
                }
            }
            Err(why) => failures.push(format!("{name}: invocation failed: {why}")),
        }
    }
    assert!(failures.is_empty(), "{} fixture(s) failed:\n{}", failures.len(), failures.join("\n"));

    // What each fixture cost in DynamoDB request units (printed for COST.md; see there).
    let capacity = recorder.capacity.per_fixture.lock().unwrap().clone();
    let unmeasured: Vec<_> = capacity.iter().filter(|(_, c)| c.unmeasured > 0).map(|(n, _)| n).collect();
    assert!(unmeasured.is_empty(), "DynamoDB answers without ConsumedCapacity in {unmeasured:?}");
    assert!(capacity.get("booking-create").is_some_and(|c| c.write_units > 0.0 && c.read_units > 0.0));
    println!("DynamoDB per fixture (ConsumedCapacity as the emulator reports it):");
    println!("| fixture | calls | read units | write units |\n|---|---|---|---|");
    for (name, c) in &capacity {
        println!("| {name} | {} | {} | {} |", c.calls, c.read_units, c.write_units);
    }

    // What each function called, against what the template grants it.
    let calls = recorder.calls.lock().unwrap().clone();
    let published = recorder.published.lock().unwrap().clone();
    let mut over = Vec::new();
    for function in &template.functions {
        let policies = function.properties.get("Policies").cloned().unwrap_or(serde_yaml::Value::Null);
        let (granted, unknown) = grants::granted(&template, &function.logical_id, &policies);
        assert!(unknown.is_empty(), "{unknown:?}");
        let made = calls.get(&function.binary).cloned().unwrap_or_default();
        assert!(!made.is_empty(), "{}: no DynamoDB call observed; does a fixture reach it?", function.binary);
        for (action, pk) in &made {
            assert!(
                grants::allows(&granted, action, pk.as_deref()),
                "{} calls {action} on {pk:?}, which template.yaml does not grant it ({granted:?})",
                function.binary
            );
        }
        if published.contains(&function.binary) {
            assert!(
                granted.contains(&Grant::QueueSend("EventsQueue".into())),
                "{} publishes events but may not send to the queue",
                function.binary
            );
        }
        // A function granted every write must be seen writing, or the grant is too wide.
        let writes = made.iter().any(|(a, _)| grants::WRITE_ACTIONS.contains(&a.as_str()));
        if granted.contains(&Grant::TableWrite) && !writes {
            over.push(function.binary.clone());
        }
    }
    assert!(over.is_empty(), "granted DynamoDB writes but never seen writing: {over:?}");
    // Search, specifically: its only writes are its own small items.
    let search_writes: Vec<_> = calls["search"].iter().filter(|(_, pk)| pk.is_some()).collect();
    assert!(!search_writes.is_empty(), "the fixtures exercise search's rate limit at least");
}

#[tokio::test]
async fn every_template_route_and_event_source_has_a_fixture() {
    let template = Template::embedded().unwrap();
    let fixtures = fixtures::http_fixtures().unwrap();
    let keys: Vec<(String, String)> = fixtures.iter().map(|(_, e)| fixtures::route_key(e).unwrap()).collect();
    let mut missing = Vec::new();
    for function in &template.functions {
        for route in &function.routes {
            if !keys.iter().any(|(m, p)| m == route.method.as_str() && p == &route.path) {
                missing.push(format!("{} {}", route.method, route.path));
            }
        }
    }
    assert!(missing.is_empty(), "routes without an events/http fixture: {missing:?}");

    // Every SQS consumer and every scheduled function has a fixture of its kind, and the
    // template agrees on which kind of event each receives.
    let expectations = fixtures::expectations().unwrap();
    for function in &template.functions {
        let kinds: BTreeSet<String> = function
            .properties
            .get("Events")
            .and_then(serde_yaml::Value::as_mapping)
            .into_iter()
            .flatten()
            .filter_map(|(_, e)| e.get("Type").and_then(serde_yaml::Value::as_str).map(str::to_owned))
            .collect();
        let binary = &function.binary;
        if kinds.contains("SQS") {
            assert!(expectations.sqs.values().any(|e| &e.function == binary), "{binary}: no events/sqs fixture");
        }
        if kinds.contains("ScheduleV2") {
            assert!(expectations.schedule.values().any(|e| &e.function == binary), "{binary}: no schedule fixture");
        }
        assert_eq!(
            EVENT_FUNCTIONS.iter().any(|f| f.label() == binary),
            kinds.contains("SQS") || kinds.contains("ScheduleV2"),
            "{binary}: functions::EVENT_FUNCTIONS disagrees with template.yaml"
        );
    }
    for expected in expectations.sqs.values() {
        let function = template.function(&expected.function).expect("sqs fixture names a template function");
        let events = function.properties.get("Events").and_then(serde_yaml::Value::as_mapping).unwrap();
        assert!(events.values().any(|e| e.get("Type").and_then(serde_yaml::Value::as_str) == Some("SQS")));
    }
}

#[test]
fn schedule_fixtures_are_what_the_template_makes_the_scheduler_send() {
    let template = Template::embedded().unwrap();
    let expectations = fixtures::expectations().unwrap();
    for (name, event) in fixtures::schedule_fixtures().unwrap() {
        let event: Value = serde_json::from_str(&event).unwrap();
        let expected = &expectations.schedule[&name];
        let time = event["time"].as_str().unwrap_or_else(|| panic!("{name}: no time"));
        assert!(time.parse::<jiff::Timestamp>().is_ok(), "{name}: time {time} is not RFC 3339");
        let input = fixtures::scheduler_input(&template, &expected.function, time).unwrap();
        assert_eq!(event, input, "{name} is not the event template.yaml's Input produces");
    }
}
