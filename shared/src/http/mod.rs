//! HTTP glue shared by every function: the router builder, middleware, errors,
//! extractors, caching helpers and the OpenAPI document.
//!
//! Every request-level concept lives here, once: the caller (`identity`), preconditions
//! and the one ETag format (`precondition`), the guest session (`guest`), the
//! `Idempotency-Key` header (`idempotency`), paging (`page`), rate-limit refusals
//! (`limit`), the search context (`context`) and the mapping of domain refusals to
//! problems (`domain`). The domain below never imports this module (shared/tests/layers.rs).
//!
//! One code path: the Router built here runs under `lambda_http::run` on Lambda, under
//! `axum::serve` in the local platform, and under `tower::ServiceExt::oneshot` in tests.

pub mod access;
pub mod cache;
pub mod client;
pub mod context;
pub mod domain;
pub mod extract;
pub mod guest;
pub mod health;
mod id_path;
pub mod idempotency;
mod identity;
pub mod limit;
mod middleware;
pub mod openapi;
pub mod page;
pub mod precondition;
pub mod problem;

use std::sync::Arc;

use axum::Router;
use utoipa_axum::{router::OpenApiRouter, routes};

pub use access::{Access, AccessTable};
pub use client::ClientIp;
pub use extract::{ValidJson, ValidQuery};
pub use guest::GuestSession;
pub use id_path::{IdPath, PathId};
pub use idempotency::IdempotencyKeyHeader;
pub use page::{Bounds, Page};
pub use precondition::IfMatch;
pub use problem::{ApiError, ApiResult, Problem};

use crate::state::AppState;

/// A function's routes, as its crate declares them (with their OpenAPI annotations).
pub type Routes = OpenApiRouter<AppState>;

/// Every function's routes start from here: the shared health route and the base document.
pub fn routes() -> Routes {
    OpenApiRouter::with_openapi(openapi::base()).routes(routes!(health::health))
}

/// Builds the finished Router for a function: permissions enforced from the declarations,
/// unknown paths as problem+json 404s, and the middleware stack.
///
/// Panics if a route lacks a permission declaration: that is a programming error, and
/// every test that builds a router (and the cold start itself) catches it at once.
pub fn build(routes: Routes, state: AppState) -> Router {
    let (router, doc) = routes.split_for_parts();
    let table = AccessTable::from_openapi(&doc).unwrap_or_else(|err| panic!("{}: {err}", state.function));
    let access =
        access::AccessContext { table: Arc::new(table), verifier: state.tokens.clone(), clock: state.clock.clone() };
    let router = router
        .route_layer(axum::middleware::from_fn_with_state(access, access::enforce))
        .fallback(middleware::not_found)
        .with_state(state.clone());
    middleware::stack(router, &state)
}

/// The access table of a function's routes (tests walk it).
pub fn access_table(routes: Routes) -> Result<AccessTable, String> {
    let (_, doc) = routes.split_for_parts();
    AccessTable::from_openapi(&doc)
}
