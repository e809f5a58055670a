//! Domain refusals and errors as problem+json.

use axum::http::StatusCode;
use instainstru_shared::{
    booking::{BookingError, Kind, Refusal},
    http::ApiError,
};

pub fn status(kind: Kind) -> StatusCode {
    match kind {
        Kind::Invalid => StatusCode::BAD_REQUEST,
        Kind::Forbidden => StatusCode::FORBIDDEN,
        Kind::NotFound => StatusCode::NOT_FOUND,
        Kind::Unprocessable => StatusCode::UNPROCESSABLE_ENTITY,
        Kind::Conflict => StatusCode::CONFLICT,
        Kind::Stale => StatusCode::PRECONDITION_FAILED,
        Kind::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
    }
}

pub fn refusal(r: Refusal) -> ApiError {
    let mut err = ApiError::new(status(r.kind), r.code, r.detail);
    err.field = r.field;
    for (name, value) in r.extra {
        err = err.with_extra(name, value);
    }
    err
}

pub fn booking(err: BookingError) -> ApiError {
    match err {
        BookingError::Refused(r) => refusal(r),
        BookingError::Store(e) => e.into(),
        BookingError::Transact(e) => e.into(),
    }
}
