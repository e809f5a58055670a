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

macro_rules! path_id {
    ($($id:ident => $not_found:expr;)*) => {$(
        impl PathId for $id {
            fn parse(text: &str) -> Option<Self> {
                $id::parse(text)
            }
            fn not_found() -> Refusal {
                $not_found
            }
        }
    )*};
}

path_id! {
    BookingId => Refusal::booking_not_found();
    InstructorId => Refusal::instructor_not_found();
    UserId => Refusal::user_not_found();
    OfferingId => Refusal::offering_not_found();
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
