//! Every events/ fixture, replayed as `sam local invoke` would: deserialised as Lambda
//! delivers it, run through lambda_http's adapter around the function's real Router, and the
//! API Gateway response checked against events/expected.yaml.

use instainstru_local::{fixtures, functions::http_functions, template::Template};
use instainstru_shared::embedded::TestEnv;
use lambda_http::{Adapter, Context, LambdaEvent, Service, request::LambdaRequest};

#[tokio::test]
async fn every_http_fixture_gives_its_expected_response() {
    let env = TestEnv::seeded().await;
    let template = Template::embedded().unwrap();
    let expectations = fixtures::expectations().unwrap();
    let fixtures = fixtures::http_fixtures().unwrap();
    assert!(!fixtures.is_empty());
    let mut failures = Vec::new();
    for (name, event) in &fixtures {
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
        let function = http_functions().into_iter().find(|f| f.binary == owner.binary).unwrap();
        let mut tokens = std::collections::HashMap::new();
        for email in fixtures::token_emails(event) {
            tokens.insert(email.clone(), env.token_for_email(&email).await);
        }
        let event = fixtures::substitute_tokens(event, |email| tokens[email].clone());
        let request: LambdaRequest = serde_json::from_str(&event).unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut adapter = Adapter::from((function.router)(env.state.clone()));
        let response = adapter.call(LambdaEvent::new(request, Context::default())).await.unwrap();
        let response = serde_json::to_value(&response).unwrap();
        if let Err(why) = fixtures::check(expected, &response) {
            failures.push(format!("{name}: {why}"));
        }
    }
    let unused: Vec<_> = expectations.http.keys().filter(|k| !fixtures.iter().any(|(name, _)| name == *k)).collect();
    assert!(unused.is_empty(), "expectations without a fixture: {unused:?}");
    assert!(failures.is_empty(), "{} fixture(s) failed:\n{}", failures.len(), failures.join("\n"));
}

#[tokio::test]
async fn every_template_route_has_a_fixture() {
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
}
