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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectations {
    pub http: BTreeMap<String, Expected>,
    #[serde(default)]
    pub sqs: BTreeMap<String, serde_yaml::Value>,
    #[serde(default)]
    pub schedule: BTreeMap<String, serde_yaml::Value>,
}

pub fn expectations() -> Result<Expectations, String> {
    let text = std::fs::read_to_string(events_dir().join("expected.yaml")).map_err(|e| e.to_string())?;
    serde_yaml::from_str(&text).map_err(|e| format!("events/expected.yaml: {e}"))
}

/// (name, event JSON text) for every HTTP fixture, sorted by name.
pub fn http_fixtures() -> Result<Vec<(String, String)>, String> {
    let dir = events_dir().join("http");
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
    for (pointer, want) in &expected.json {
        let want: Value = serde_json::to_value(want).map_err(|e| e.to_string())?;
        let got = json.pointer(pointer).ok_or(format!("{pointer} missing in {body}"))?;
        // YAML scalars are loose: compare "3.1.0" with 3.1.0 and 250 with "250" as text.
        let same = got == &want || (got.to_string().trim_matches('"') == want.to_string().trim_matches('"'));
        if !same {
            return Err(format!("{pointer} is {got}, expected {want}"));
        }
    }
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
