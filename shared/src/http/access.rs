//! Route permissions, declared once and enforced in one place.
//!
//! Each handler's `#[utoipa::path]` says who may call it through its `security`:
//! `security(())` for a public route, `security(("bearer" = ["create_bookings"]))` for a
//! route that needs that permission. That is the single declaration: the router builder
//! reads it from the generated OpenAPI document into an [`AccessTable`], refuses to build
//! a router with an undeclared route, and the middleware below checks every request
//! against it. Clients see the same declaration in openapi.json.

use std::{collections::HashMap, sync::Arc};

use axum::{
    extract::{MatchedPath, Request, State},
    http::{Method, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use utoipa::openapi::{OpenApi, path::Operation};

use super::problem::ApiError;
use crate::{
    auth::{Identity, TokenError, TokenVerifier},
    clock::Clock,
    rbac::Permission,
};

/// The security scheme name used in route declarations.
pub const BEARER: &str = "bearer";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Public,
    Requires(Permission),
    /// Guests may call it (their data is keyed by their guest session); a signed-in caller
    /// needs the permission. Declared as `security((), ("bearer" = ["<permission>"]))`:
    /// OpenAPI's "no auth, or this auth".
    GuestOrRequires(Permission),
}

/// (method, path template) → declared access, for one function's routes.
#[derive(Debug, Clone, Default)]
pub struct AccessTable {
    routes: HashMap<(Method, String), Access>,
}

impl AccessTable {
    /// Reads every operation's declaration; an operation without one is an error that
    /// names it.
    pub fn from_openapi(doc: &OpenApi) -> Result<Self, String> {
        let mut routes = HashMap::new();
        for (path, item) in &doc.paths.paths {
            for (method, operation) in operations(item) {
                let access = declared_access(operation).map_err(|why| format!("{method} {path}: {why}"))?;
                routes.insert((method, path.clone()), access);
            }
        }
        Ok(Self { routes })
    }

    pub fn get(&self, method: &Method, path: &str) -> Option<Access> {
        let method = if method == Method::HEAD { &Method::GET } else { method };
        self.routes.get(&(method.clone(), path.to_owned())).copied()
    }

    pub fn has_path(&self, path: &str) -> bool {
        self.routes.keys().any(|(_, p)| p == path)
    }

    pub fn routes(&self) -> impl Iterator<Item = (&Method, &str, Access)> {
        self.routes.iter().map(|((m, p), a)| (m, p.as_str(), *a))
    }
}

/// The operations of one path, with their HTTP methods.
pub fn operations(item: &utoipa::openapi::PathItem) -> Vec<(Method, &Operation)> {
    [
        (Method::GET, &item.get),
        (Method::POST, &item.post),
        (Method::PUT, &item.put),
        (Method::PATCH, &item.patch),
        (Method::DELETE, &item.delete),
        (Method::HEAD, &item.head),
        (Method::OPTIONS, &item.options),
    ]
    .into_iter()
    .filter_map(|(m, op)| op.as_ref().map(|op| (m, op)))
    .collect()
}

fn declared_access(operation: &Operation) -> Result<Access, String> {
    let requirements =
        operation.security.as_ref().ok_or("no security declaration (use security(()) for public routes)")?;
    let requirements: Vec<serde_json::Value> =
        requirements.iter().map(|r| serde_json::to_value(r).unwrap_or_default()).collect();
    let is_empty = |r: &serde_json::Value| r.as_object().is_some_and(|o| o.is_empty());
    match requirements.as_slice() {
        [only] if is_empty(only) => Ok(Access::Public),
        [only] => bearer_permission(only).map(Access::Requires),
        [none, bearer] if is_empty(none) => bearer_permission(bearer).map(Access::GuestOrRequires),
        _ => Err("declare security(()), one bearer permission, or (() and one bearer permission)".to_owned()),
    }
}

fn bearer_permission(requirement: &serde_json::Value) -> Result<Permission, String> {
    let scopes =
        requirement.get(BEARER).and_then(|s| s.as_array()).ok_or(format!("security must use the `{BEARER}` scheme"))?;
    match scopes.as_slice() {
        [name] => name.as_str().and_then(Permission::parse).ok_or(format!("unknown permission {name}")),
        _ => Err("exactly one permission per route".to_owned()),
    }
}

#[derive(Clone)]
pub struct AccessContext {
    pub table: Arc<AccessTable>,
    pub verifier: Arc<TokenVerifier>,
    pub clock: Arc<dyn Clock>,
}

/// Route-layer middleware: identifies the caller and enforces the declared access.
/// 401 = no valid token; 403 = valid token without the permission.
pub async fn enforce(State(ctx): State<AccessContext>, mut req: Request, next: Next) -> Response {
    let Some(path) = req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned()) else {
        return ApiError::internal("access layer ran without a matched route").into_response();
    };
    let Some(access) = ctx.table.get(req.method(), &path) else {
        // Another method of a declared path: let the router answer 405 with its Allow
        // header. A path with no declaration at all is a bug and fails closed.
        if ctx.table.has_path(&path) {
            return next.run(req).await;
        }
        return ApiError::internal(format!("{} {path} has no access declaration", req.method())).into_response();
    };
    tracing::Span::current().record("route", path.as_str());
    let identity = match identify(&ctx, &req) {
        Ok(identity) => identity,
        Err(err) => return err.into_response(),
    };
    let required = match access {
        Access::Public => None,
        Access::Requires(permission) => Some(permission),
        Access::GuestOrRequires(permission) => matches!(identity, Identity::User(_)).then_some(permission),
    };
    if let Some(permission) = required {
        match &identity {
            Identity::Guest => {
                return ApiError::unauthorized("authentication_required", "sign in to use this endpoint")
                    .into_response();
            }
            Identity::User(caller) if !caller.can(permission) => {
                return ApiError::forbidden(
                    "permission_denied",
                    format!("this action needs the {permission} permission"),
                )
                .into_response();
            }
            Identity::User(_) => {}
        }
    }
    if let Identity::User(caller) = &identity {
        tracing::Span::current().record("user_id", caller.user_id.as_str());
    }
    req.extensions_mut().insert(identity);
    next.run(req).await
}

/// A present but bad token is a 401 even on a public route: a client that sends one
/// believes it is signed in and must learn otherwise.
fn identify(ctx: &AccessContext, req: &Request) -> Result<Identity, ApiError> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(Identity::Guest);
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::unauthorized("invalid_token", "Authorization must be `Bearer <access token>`"))?;
    ctx.verifier.verify(token, ctx.clock.now()).map(Identity::User).map_err(|err| {
        let code = match err {
            TokenError::Expired => "token_expired",
            TokenError::Invalid | TokenError::NotYetValid => "invalid_token",
        };
        ApiError::unauthorized(code, err.to_string())
    })
}
