//! The events/ fixtures and what each must produce (events/expected.yaml): shared by the
//! in-process replay test and the runtime-emulator test.

use std::{collections::BTreeMap, path::PathBuf};

use serde::Deserialize;
use serde_json::Value;

pub fn events_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../events")
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expected {
    pub status: u16,
    #[serde(default)]
    pub json: BTreeMap<String, serde_yaml::Value>,
    #[serde(default)]
    pub problem: Option<String>,
    #[serde(default)]
    pub contains: Option<String>,
    #[serde(default)]
    pub length: BTreeMap<String, usize>,
}

/// An SQS batch fixture: the function template.yaml feeds from a queue, and the message ids
/// it must report as failed (`batchItemFailures`), in order.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SqsExpected {
    pub function: String,
    pub batch_item_failures: Vec<String>,
}

/// A schedule fixture: the function the schedule invokes and what its result must hold
/// (JSON pointer → value).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleExpected {
    pub function: String,
    #[serde(default)]
    pub json: BTreeMap<String, serde_yaml::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectations {
    pub http: BTreeMap<String, Expected>,
    #[serde(default)]
    pub sqs: BTreeMap<String, SqsExpected>,
    #[serde(default)]
    pub schedule: BTreeMap<String, ScheduleExpected>,
}

pub fn expectations() -> Result<Expectations, String> {
    let text = std::fs::read_to_string(events_dir().join("expected.yaml")).map_err(|e| e.to_string())?;
    serde_yaml::from_str(&text).map_err(|e| format!("events/expected.yaml: {e}"))
}

/// (name, event JSON text) for every HTTP fixture, sorted by name.
pub fn http_fixtures() -> Result<Vec<(String, String)>, String> {
    fixtures_in("http")
}

/// (name, event JSON text) for every SQS batch fixture (events/sqs), sorted by name.
pub fn sqs_fixtures() -> Result<Vec<(String, String)>, String> {
    fixtures_in("sqs")
}

/// (name, event JSON text) for every schedule fixture (events/schedule), sorted by name.
pub fn schedule_fixtures() -> Result<Vec<(String, String)>, String> {
    fixtures_in("schedule")
}

fn fixtures_in(kind: &str) -> Result<Vec<(String, String)>, String> {
    let dir = events_dir().join(kind);
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).map_err(|e| format!("{dir:?}: {e}"))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().is_some_and(|e| e == "json") {
            let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
            out.push((name, std::fs::read_to_string(&path).map_err(|e| e.to_string())?));
        }
    }
    out.sort();
    Ok(out)
}

/// The `routeKey` of an HTTP fixture: "GET /api/v1/catalog/services/{slug}".
pub fn route_key(event: &str) -> Result<(String, String), String> {
    let value: Value = serde_json::from_str(event).map_err(|e| e.to_string())?;
    let key = value["routeKey"].as_str().ok_or("no routeKey")?;
    let (method, path) = key.split_once(' ').ok_or("routeKey is not METHOD PATH")?;
    Ok((method.to_owned(), path.to_owned()))
}

/// Replaces every `{{token:EMAIL}}` with `token(EMAIL)`.
pub fn substitute_tokens(event: &str, mut token: impl FnMut(&str) -> String) -> String {
    let mut out = String::with_capacity(event.len());
    let mut rest = event;
    while let Some(start) = rest.find("{{token:") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 8..];
        match after.find("}}") {
            Some(end) => {
                out.push_str(&token(&after[..end]));
                rest = &after[end + 2..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Every `{{token:EMAIL}}` email in a fixture.
pub fn token_emails(event: &str) -> Vec<String> {
    let mut emails = Vec::new();
    substitute_tokens(event, |email| {
        emails.push(email.to_owned());
        String::new()
    });
    emails
}

/// Checks an API Gateway v2 response (as Lambda returns it) against the expectation.
pub fn check(expected: &Expected, response: &Value) -> Result<(), String> {
    let status = response["statusCode"].as_u64().unwrap_or_default();
    let raw = response["body"].as_str().unwrap_or_default();
    let body = if response["isBase64Encoded"].as_bool() == Some(true) {
        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD.decode(raw).map_err(|e| e.to_string())?;
        String::from_utf8_lossy(&bytes).into_owned()
    } else {
        raw.to_owned()
    };
    if status != u64::from(expected.status) {
        return Err(format!("status {status}, expected {}; body: {body}", expected.status));
    }
    let needs_json = !expected.json.is_empty() || expected.problem.is_some() || !expected.length.is_empty();
    let json: Value = if needs_json {
        serde_json::from_str(&body).map_err(|e| format!("body is not JSON ({e}): {body}"))?
    } else {
        Value::Null
    };
    if let Some(code) = &expected.problem {
        let content_type = response["headers"]["content-type"].as_str().unwrap_or_default();
        if content_type != "application/problem+json" {
            return Err(format!("content-type {content_type}, expected application/problem+json"));
        }
        if json["code"] != code.as_str() {
            return Err(format!("problem code {}, expected {code}", json["code"]));
        }
    }
    check_pointers(&expected.json, &json)?;
    for (pointer, want) in &expected.length {
        let got = json.pointer(pointer).and_then(Value::as_array).map(Vec::len);
        if got != Some(*want) {
            return Err(format!("{pointer:?} has length {got:?}, expected {want}"));
        }
    }
    if let Some(text) = &expected.contains
        && !body.contains(text.as_str())
    {
        return Err(format!("body does not contain {text:?}"));
    }
    Ok(())
}

/// Every pointer holds its value.
pub fn check_pointers(expected: &BTreeMap<String, serde_yaml::Value>, json: &Value) -> Result<(), String> {
    for (pointer, want) in expected {
        let want: Value = serde_json::to_value(want).map_err(|e| e.to_string())?;
        let got = json.pointer(pointer).ok_or(format!("{pointer} missing in {json}"))?;
        // YAML scalars are loose: compare "3.1.0" with 3.1.0 and 250 with "250" as text.
        let same = got == &want || (got.to_string().trim_matches('"') == want.to_string().trim_matches('"'));
        if !same {
            return Err(format!("{pointer} is {got}, expected {want}"));
        }
    }
    Ok(())
}

/// Checks an SQS batch response (`{"batchItemFailures":[{"itemIdentifier":…}]}`).
pub fn check_sqs(expected: &SqsExpected, response: &Value) -> Result<(), String> {
    let failures = response["batchItemFailures"].as_array().ok_or(format!("no batchItemFailures in {response}"))?;
    let ids: Vec<&str> = failures.iter().filter_map(|f| f["itemIdentifier"].as_str()).collect();
    if ids != expected.batch_item_failures {
        return Err(format!("batchItemFailures {ids:?}, expected {:?}", expected.batch_item_failures));
    }
    Ok(())
}

/// What the schedule fixtures find when they run, set up identically for the in-process
/// and the emulator replay: one booking event left in the outbox five minutes before `now`
/// (its publish failed after the booking committed), for the sweep to republish.
pub async fn prepare_schedules(store: &instainstru_shared::store::Store, now: jiff::Timestamp) -> Result<(), String> {
    use instainstru_shared::{booking::outbox, queue::Envelope};
    let at = now - jiff::SignedDuration::from_mins(5);
    let envelope =
        Envelope::new("booking.created", at, serde_json::json!({ "booking_id": "01KFIXTURE0000000000000000" }));
    let (action, _) = outbox::stage(envelope, at).map_err(|e| e.to_string())?;
    store.transact(&[action]).await.map_err(|e| e.to_string())
}

/// The event template.yaml's `Input` makes EventBridge Scheduler send to `function`, for a
/// run scheduled at `time`: what a schedule fixture must be.
pub fn scheduler_input(template: &crate::template::Template, function: &str, time: &str) -> Result<Value, String> {
    let declared = template.function(function).ok_or(format!("{function} is not in template.yaml"))?;
    let events = declared.properties.get("Events").and_then(serde_yaml::Value::as_mapping);
    let input = events
        .into_iter()
        .flatten()
        .filter(|(_, e)| e.get("Type").and_then(serde_yaml::Value::as_str) == Some("ScheduleV2"))
        .find_map(|(_, e)| e.get("Properties")?.get("Input")?.as_str())
        .ok_or(format!("{function} has no ScheduleV2 event with an Input"))?;
    let input = input.replace("<aws.scheduler.scheduled-time>", time);
    serde_json::from_str(&input).map_err(|e| format!("{function}'s Input is not JSON: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_catches_each_kind_of_mismatch() {
        let response = serde_json::json!({
            "statusCode": 404,
            "headers": { "content-type": "application/problem+json" },
            "body": "{\"code\":\"unknown_service\",\"items\":[1,2]}",
            "isBase64Encoded": false
        });
        let ok = Expected { status: 404, problem: Some("unknown_service".into()), ..Expected::default() };
        assert!(check(&ok, &response).is_ok());
        assert!(check(&Expected { status: 200, ..Expected::default() }, &response).is_err());
        let wrong_code = Expected { status: 404, problem: Some("other".into()), ..Expected::default() };
        assert!(check(&wrong_code, &response).is_err());
        let length = Expected { status: 404, length: [("/items".to_owned(), 3)].into(), ..Expected::default() };
        assert!(check(&length, &response).is_err());
        let json = Expected {
            status: 404,
            json: [("/code".to_owned(), serde_yaml::Value::String("x".into()))].into(),
            ..Expected::default()
        };
        assert!(check(&json, &response).is_err());
        let contains = Expected { status: 404, contains: Some("nope".into()), ..Expected::default() };
        assert!(check(&contains, &response).is_err());
    }

    #[test]
    fn tokens_are_substituted() {
        let event = r#"{"authorization":"Bearer {{token:a@b.com}}","x":"{{token:c@d.com}}"}"#;
        assert_eq!(token_emails(event), ["a@b.com", "c@d.com"]);
        assert_eq!(
            substitute_tokens(event, |e| e.to_uppercase()),
            r#"{"authorization":"Bearer A@B.COM","x":"C@D.COM"}"#
        );
    }
}
