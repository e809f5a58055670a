//! Why a booking operation was refused, in domain terms. The function crate maps each
//! [`Kind`] to an HTTP status; the `code` is the stable problem+json code.

use serde_json::Value;

use crate::store::{StoreError, TransactError};

/// What sort of refusal it is (the function maps these to 400/403/404/409/412/422).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The input is malformed.
    Invalid,
    /// The caller may not do this at all.
    Forbidden,
    /// No such object, or not one the caller may see (never reveal which).
    NotFound,
    /// Valid input the rules refuse.
    Unprocessable,
    /// The current state of the data (another booking, the booking's status) is in the way.
    Conflict,
    /// The caller's `If-Match` is stale.
    Stale,
    /// A write needs `If-Match` and had none.
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

    /// The one answer for "no such booking" and "not yours": the two must look alike.
    pub fn booking_not_found() -> Self {
        Self::not_found("booking_not_found", "no such booking")
    }

    pub fn instructor_not_found() -> Self {
        Self::not_found("instructor_not_found", "no such instructor")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BookingError {
    #[error("{}: {}", .0.code, .0.detail)]
    Refused(Refusal),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Transact(TransactError),
}

impl From<Refusal> for BookingError {
    fn from(refusal: Refusal) -> Self {
        Self::Refused(refusal)
    }
}

impl From<TransactError> for BookingError {
    fn from(err: TransactError) -> Self {
        match err {
            TransactError::Store(e) => Self::Store(e),
            other => Self::Transact(other),
        }
    }
}

pub type BookingResult<T> = Result<T, BookingError>;
