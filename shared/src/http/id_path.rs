//! Typed ids from the URL path: `IdPath<BookingId>` parses `{id}` once, at the edge.
//!
//! A malformed id answers exactly like a well-formed id that names nothing (the same 404
//! problem and code): the caller learns nothing from the difference, and the handler and
//! the domain only ever see ids that could be ours.

use axum::{
    extract::{FromRequestParts, Path},
    http::request::Parts,
};

use super::ApiError;
use crate::{
    ids::{BookingId, InstructorId, OfferingId, UserId},
    refusal::Refusal,
};

/// An id kind that can come from a path, and the 404 for one that names nothing.
pub trait PathId: Sized {
    fn parse(text: &str) -> Option<Self>;
    fn not_found() -> Refusal;
}

impl PathId for BookingId {
    fn parse(text: &str) -> Option<Self> {
        BookingId::parse(text)
    }
    fn not_found() -> Refusal {
        Refusal::booking_not_found()
    }
}

impl PathId for InstructorId {
    fn parse(text: &str) -> Option<Self> {
        InstructorId::parse(text)
    }
    fn not_found() -> Refusal {
        Refusal::instructor_not_found()
    }
}

impl PathId for UserId {
    fn parse(text: &str) -> Option<Self> {
        UserId::parse(text)
    }
    fn not_found() -> Refusal {
        Refusal::not_found("user_not_found", "no such user")
    }
}

impl PathId for OfferingId {
    fn parse(text: &str) -> Option<Self> {
        OfferingId::parse(text)
    }
    fn not_found() -> Refusal {
        Refusal::not_found("offering_not_found", "no such offering")
    }
}

/// The route's single `{id}` segment as a typed id.
pub struct IdPath<T>(pub T);

impl<T: PathId, S: Send + Sync> FromRequestParts<S> for IdPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let not_found = || ApiError::from(T::not_found());
        let Path(text) = Path::<String>::from_request_parts(parts, state).await.map_err(|_| not_found())?;
        T::parse(&text).map(IdPath).ok_or_else(not_found)
    }
}
