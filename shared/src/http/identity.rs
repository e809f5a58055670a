//! The caller as handlers take it: [`Identity`] (guest or user) and [`Caller`] (signed in,
//! else 401), read from what the access layer put in the request's extensions.

use axum::{extract::FromRequestParts, http::request::Parts};

use super::problem::ApiError;
use crate::auth::{Caller, Identity};

impl<S: Send + Sync> FromRequestParts<S> for Identity {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<Identity>().cloned().unwrap_or(Identity::Guest))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<Identity>() {
            Some(Identity::User(caller)) => Ok(caller.clone()),
            _ => Err(ApiError::unauthorized("authentication_required", "sign in to use this endpoint")),
        }
    }
}
