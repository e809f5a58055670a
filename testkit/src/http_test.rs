//! Test helpers for driving a Router through HTTP, as clients do.

use std::collections::BTreeSet;

use axum::{Router, body::Body, http::Request};
use http_body_util::BodyExt;
use instainstru_shared::{
    accounts::UserItem,
    auth::Caller,
    ids::{self, UserId},
    rbac::{Permission, Role, effective_permissions},
    seed,
    store::{Record, keys},
};
use tower::ServiceExt;

use crate::TestEnv;

/// A response, read whole.
#[derive(Debug)]
pub struct TestResponse {
    pub status: u16,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl TestResponse {
    /// The body as JSON (panics with the body text if it is not JSON).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("body is not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts a problem+json response with this status and code; returns the body.
    #[track_caller]
    pub fn assert_problem(&self, status: u16, code: &str) -> serde_json::Value {
        assert_eq!(self.status, status, "unexpected status; body: {}", self.text());
        assert_eq!(self.header("content-type"), Some("application/problem+json"), "body: {}", self.text());
        let body = self.json();
        assert_eq!(body["code"], code, "body: {body}");
        assert_eq!(body["status"], status);
        body
    }
}

/// A request builder bound to a router.
pub struct Call {
    request: axum::http::request::Builder,
    body: Body,
}

impl Call {
    pub fn new(method: &str, uri: &str) -> Self {
        Self { request: Request::builder().method(method).uri(uri), body: Body::empty() }
    }

    pub fn get(uri: &str) -> Self {
        Self::new("GET", uri)
    }

    pub fn post(uri: &str) -> Self {
        Self::new("POST", uri)
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.request = self.request.header(name, value);
        self
    }

    /// The caller's IP, as the local platform's socket (or API Gateway) would give it.
    pub fn client_ip(mut self, ip: &str) -> Self {
        let ip: std::net::IpAddr = ip.parse().expect("valid test IP");
        self.request = self.request.extension(axum::extract::ConnectInfo(std::net::SocketAddr::new(ip, 40000)));
        self
    }

    pub fn token(self, token: &str) -> Self {
        self.header("authorization", &format!("Bearer {token}"))
    }

    pub fn json(mut self, body: serde_json::Value) -> Self {
        self.request = self.request.header("content-type", "application/json");
        self.body = Body::from(body.to_string());
        self
    }

    pub fn raw_body(mut self, content_type: &str, body: impl Into<Body>) -> Self {
        self.request = self.request.header("content-type", content_type);
        self.body = body.into();
        self
    }

    pub async fn send(self, router: &Router) -> TestResponse {
        let request = self.request.body(self.body).expect("valid test request");
        let response = router.clone().oneshot(request).await.expect("routers are infallible");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.expect("readable body").to_bytes().to_vec();
        TestResponse { status, headers, body }
    }
}

impl TestEnv {
    /// A valid access token for `user_id` with these roles and per-user changes,
    /// signed with this environment's key (what `accounts` would issue).
    pub fn token(&self, user_id: &UserId, roles: &[Role], grants: &[Permission], revokes: &[Permission]) -> String {
        let grants: BTreeSet<_> = grants.iter().copied().collect();
        let revokes: BTreeSet<_> = revokes.iter().copied().collect();
        let caller = Caller {
            user_id: user_id.clone(),
            roles: roles.to_vec(),
            permissions: effective_permissions(roles, &grants, &revokes),
            session_id: ids::new_id(),
        };
        self.signer.issue(self.clock.as_ref(), &caller).expect("sign test token").0
    }

    /// A token for a seeded user, looked up by email, with that user's real roles.
    pub async fn token_for_email(&self, email: &str) -> String {
        let id = seed::user_id(email);
        let user: Record<UserItem> = self
            .store
            .get(&keys::user(&id))
            .await
            .expect("read user")
            .unwrap_or_else(|| panic!("no seeded user {email}"));
        self.token(&id, &user.data.user.roles, &[], &[])
    }
}
