//! Who is on the other end of the connection, as far as we can trust it.
//!
//! On Lambda the client IP is API Gateway's `requestContext.http.sourceIp` (it sets it from
//! the TCP connection; `X-Forwarded-For` is client-controlled and ignored). Locally it is
//! the socket's peer address (the local platform serves with connect info). The IP is used
//! for rate limits and, hashed under the daily salt, for analytics; it is never logged or
//! stored raw.

use std::net::{IpAddr, SocketAddr};

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::request::Parts,
};
use lambda_http::RequestExt;

use super::ApiError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub Option<IpAddr>);

impl ClientIp {
    /// The subject string for per-IP limits ("unknown" callers share one bucket).
    pub fn subject(&self) -> String {
        self.0.map(|ip| ip.to_string()).unwrap_or_else(|| "unknown".to_owned())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let from_gateway = parts.request_context_ref().and_then(|ctx| match ctx {
            lambda_http::request::RequestContext::ApiGatewayV2(c) => c.http.source_ip.as_deref()?.parse().ok(),
            _ => None,
        });
        let from_socket = || parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
        Ok(ClientIp(from_gateway.or_else(from_socket)))
    }
}
