//! How the domain's refusals become problems: each [`Kind`] gets its status here, once,
//! for every function that calls the domain. The code and field come from the domain.

use axum::http::StatusCode;

use super::problem::ApiError;
use crate::{
    accounts::AccountError,
    instructors::editing::EditError,
    refusal::{Failure, Kind, Refusal},
};

pub fn status(kind: Kind) -> StatusCode {
    match kind {
        Kind::Invalid => StatusCode::BAD_REQUEST,
        Kind::Unauthorized => StatusCode::UNAUTHORIZED,
        Kind::Forbidden => StatusCode::FORBIDDEN,
        Kind::NotFound => StatusCode::NOT_FOUND,
        Kind::Conflict => StatusCode::CONFLICT,
        Kind::Stale => StatusCode::PRECONDITION_FAILED,
        Kind::Unprocessable => StatusCode::UNPROCESSABLE_ENTITY,
        Kind::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
    }
}

impl From<Refusal> for ApiError {
    fn from(r: Refusal) -> Self {
        let mut err = ApiError::new(status(r.kind), r.code, r.detail);
        err.field = r.field;
        for (name, value) in r.extra {
            err = err.with_extra(name, value);
        }
        err
    }
}

impl From<Failure> for ApiError {
    fn from(err: Failure) -> Self {
        match err {
            Failure::Refused(r) => r.into(),
            Failure::Store(e) => e.into(),
            Failure::Transact(e) => e.into(),
            Failure::Internal(cause) => ApiError::internal(cause),
        }
    }
}

impl From<AccountError> for ApiError {
    fn from(err: AccountError) -> Self {
        Failure::from(err).into()
    }
}

impl From<EditError> for ApiError {
    fn from(err: EditError) -> Self {
        Failure::from(err).into()
    }
}
