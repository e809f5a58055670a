//! Request extractors that turn bad input into a 400 problem naming the field.
//!
//! axum's own `Json`/`Query` rejections are plain text without the field; these parse
//! with `serde_path_to_error` so the problem says exactly which input was wrong. Request
//! body types carry `#[serde(deny_unknown_fields)]`, so a misspelt field is an error, not
//! silently ignored.

use axum::{
    body::Bytes,
    extract::{FromRequest, FromRequestParts, Request},
    http::{header, request::Parts},
};
use serde::de::DeserializeOwned;

use super::problem::ApiError;

/// A JSON body, strictly parsed.
#[derive(Debug, Clone)]
pub struct ValidJson<T>(pub T);

impl<S, T> FromRequest<S> for ValidJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|mime| {
                let mime = mime.trim().to_ascii_lowercase();
                mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
            })
            .unwrap_or(false);
        if !is_json {
            return Err(ApiError::new(
                axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "the body must be JSON (Content-Type: application/json)",
            )
            .with_field("Content-Type"));
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::bad_request("unreadable_body", e.body_text()))?;
        parse_json(&bytes).map(ValidJson)
    }
}

/// Parses a JSON document into `T`, naming the failing field on error.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            return ApiError::bad_request("malformed_json", format!("the body is not valid JSON: {inner}"));
        }
        let message = inner.to_string();
        let field = field_name(&path, &message);
        ApiError::new(axum::http::StatusCode::BAD_REQUEST, "invalid_body", clean(&message)).with_field(field)
    })?;
    de.end().map_err(|e| ApiError::bad_request("malformed_json", format!("trailing data after the JSON body: {e}")))?;
    Ok(value)
}

/// Query parameters, parsed into `T` (unknown parameters are ignored: caches and
/// analytics tools add their own).
#[derive(Debug, Clone)]
pub struct ValidQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ValidQuery<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parse_query(parts.uri.query().unwrap_or_default()).map(ValidQuery)
    }
}

pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let pairs = form_urlencoded_parse(query);
    let de = serde_urlencoded::Deserializer::new(pairs);
    serde_path_to_error::deserialize(de).map_err(|err| {
        let path = err.path().to_string();
        let message = err.into_inner().to_string();
        let field = field_name(&path, &message);
        let detail = if message.contains("invalid digit") || message.contains("invalid float") {
            format!("{field} must be a number")
        } else if message.contains("number too large") || message.contains("number too small") {
            format!("{field} is out of range")
        } else {
            clean(&message)
        };
        ApiError::invalid(field, detail)
    })
}

fn form_urlencoded_parse(query: &str) -> form_urlencoded::Parse<'_> {
    form_urlencoded::parse(query.as_bytes())
}

/// The field a serde error is about: the path where it happened (for an unknown field,
/// serde_path_to_error's path already ends with its name), or for a missing field
/// (reported at the parent) the parent path plus the name inside the backticks.
fn field_name(path: &str, message: &str) -> String {
    let missing =
        message.strip_prefix("missing field `").and_then(|rest| rest.split_once('`')).map(|(name, _)| name.to_owned());
    match (missing, path) {
        (Some(name), "." | "") => name,
        (Some(name), parent) => format!("{parent}.{name}"),
        (None, "." | "") => "body".to_owned(),
        (None, path) => path.to_owned(),
    }
}

/// serde's messages end with " at line 1 column 17"; clients don't need that.
fn clean(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        name: String,
        inner: Inner,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        count: u8,
    }

    #[test]
    fn names_the_failing_field() {
        let err = parse_json::<Body>(br#"{"name":"x","inner":{"count":-1}}"#).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("inner.count"));
        let err = parse_json::<Body>(br#"{"name":"x","inner":{"count":1},"extra":1}"#).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("extra"));
        let err = parse_json::<Body>(br#"{"name":"x"}"#).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("inner"));
        let err = parse_json::<Body>(br#"{"name":"x","inner":{"count":1,"bogus":2}}"#).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("inner.bogus"));
        let err = parse_json::<Body>(b"{not json").unwrap_err();
        assert_eq!(err.code, "malformed_json");
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Params {
        limit: Option<u32>,
    }

    #[test]
    fn query_errors_name_the_parameter() {
        let err = parse_query::<Params>("limit=abc").unwrap_err();
        assert_eq!(err.field.as_deref(), Some("limit"));
        assert_eq!(err.status, axum::http::StatusCode::BAD_REQUEST);
        let err = parse_query::<Params>("limit=-5").unwrap_err();
        assert_eq!(err.field.as_deref(), Some("limit"));
        assert_eq!(parse_query::<Params>("limit=5&utm=x").unwrap().limit, Some(5));
    }
}
