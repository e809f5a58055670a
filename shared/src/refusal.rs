//! The one way the domain says no. Every domain operation that can refuse returns a
//! [`Refusal`] (wrapped in [`Failure`] beside the store's own errors): a [`Kind`] that
//! `http::domain` maps to a status, once, and a stable `code` that clients match on.
//! Domain enums that name their cases (`AccountError`, `instructors::editing::EditError`)
//! convert into it, so their codes are written in the domain, next to the rule.

use serde_json::Value;

use crate::store::{StoreError, TransactError};

/// What sort of refusal it is (`http::domain::status` gives each its HTTP status).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The input is malformed (400).
    Invalid,
    /// The caller's credentials are wrong or spent (401).
    Unauthorized,
    /// The caller may not do this at all (403).
    Forbidden,
    /// No such object, or not one the caller may see (404; never reveal which).
    NotFound,
    /// The current state of the data is in the way (409).
    Conflict,
    /// The caller's `If-Match` is stale (412).
    Stale,
    /// Valid input the rules refuse (422).
    Unprocessable,
    /// A write needs `If-Match` and had none (428).
    PreconditionRequired,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    pub kind: Kind,
    pub code: &'static str,
    pub detail: String,
    pub field: Option<String>,
    /// Extra problem members (e.g. `conflict_with`).
    pub extra: Vec<(&'static str, Value)>,
}

impl Refusal {
    pub fn new(kind: Kind, code: &'static str, detail: impl Into<String>) -> Self {
        Self { kind, code, detail: detail.into(), field: None, extra: Vec::new() }
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn extra(mut self, name: &'static str, value: impl Into<Value>) -> Self {
        self.extra.push((name, value.into()));
        self
    }

    pub fn invalid(code: &'static str, field: &str, detail: impl Into<String>) -> Self {
        Self::new(Kind::Invalid, code, detail).field(field)
    }

    pub fn unauthorized(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(Kind::Unauthorized, code, detail)
    }

    pub fn unprocessable(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(Kind::Unprocessable, code, detail)
    }

    pub fn conflict(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(Kind::Conflict, code, detail)
    }

    pub fn not_found(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(Kind::NotFound, code, detail)
    }

    pub fn forbidden(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(Kind::Forbidden, code, detail)
    }

    /// A write's `If-Match` no longer names the stored version.
    pub fn stale(detail: impl Into<String>) -> Self {
        Self::new(Kind::Stale, "stale_version", detail).field("If-Match")
    }

    /// The one answer for "no such booking" and "not yours": the two must look alike.
    pub fn booking_not_found() -> Self {
        Self::not_found("booking_not_found", "no such booking")
    }

    pub fn instructor_not_found() -> Self {
        Self::not_found("instructor_not_found", "no such instructor")
    }

    pub fn user_not_found() -> Self {
        Self::not_found("user_not_found", "no such user")
    }

    /// One of the caller's own offerings that does not exist.
    pub fn offering_not_found() -> Self {
        Self::not_found("offering_not_found", "no such offering")
    }
}

/// A domain operation's error: a refusal (the caller's to fix), or the store's or our own
/// failure (a 5xx).
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error("{}: {}", .0.code, .0.detail)]
    Refused(Refusal),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Transact(TransactError),
    /// A bug or a broken dependency (hashing, randomness); logged once, where it becomes a 500.
    #[error("{0}")]
    Internal(String),
}

impl From<Refusal> for Failure {
    fn from(refusal: Refusal) -> Self {
        Self::Refused(refusal)
    }
}

impl From<TransactError> for Failure {
    fn from(err: TransactError) -> Self {
        match err {
            TransactError::Store(e) => Self::Store(e),
            other => Self::Transact(other),
        }
    }
}
