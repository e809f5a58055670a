//! The middleware stack every function shares (outermost first): panic catcher, request
//! id, tracing span, problem normaliser, CORS, compression, timeout.

use std::time::Duration;

use axum::{
    Router,
    body::Body,
    http::{HeaderName, HeaderValue, Method, Request, Response, StatusCode, header},
    response::IntoResponse,
};
use tower_http::{
    catch_panic::CatchPanicLayer,
    compression::CompressionLayer,
    cors::{AllowOrigin, CorsLayer},
    request_id::{MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer},
    timeout::TimeoutLayer,
    trace::TraceLayer,
};
use tracing::Span;

use super::problem::{ApiError, PROBLEM_JSON};
use crate::state::AppState;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// API Gateway's timeout is 30 s; answer before it does, with a problem body.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(25);

pub fn stack(router: Router, state: &AppState) -> Router {
    let function = state.function.label();
    router
        .layer(TimeoutLayer::with_status_code(StatusCode::GATEWAY_TIMEOUT, REQUEST_TIMEOUT))
        .layer(CompressionLayer::new().gzip(true))
        .layer(cors(&state.config.cors_allowed_origins))
        .layer(axum::middleware::map_response(normalize_errors))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(move |req: &Request<Body>| {
                    let request_id =
                        req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
                    // The route template and user id are recorded by the access layer, once
                    // routing has happened and the token has been checked.
                    tracing::info_span!(
                        "request",
                        function,
                        request_id,
                        method = %req.method(),
                        route = tracing::field::Empty,
                        user_id = tracing::field::Empty,
                    )
                })
                .on_request(())
                .on_response(|res: &Response<Body>, latency: Duration, _span: &Span| {
                    tracing::info!(status = res.status().as_u16(), latency_ms = latency.as_secs_f64() * 1e3, "request");
                })
                .on_failure(()),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID, RequestIds))
        .layer(CatchPanicLayer::custom(|_panic: Box<dyn std::any::Any + Send>| {
            // The payload may hold request data: log that a panic happened, not what it said.
            ApiError::internal("handler panicked").into_response()
        }))
}

/// Request ids: API Gateway's own id when running on Lambda (so logs join up with
/// API Gateway's), a fresh ULID otherwise.
#[derive(Clone, Copy)]
struct RequestIds;

impl MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, req: &Request<B>) -> Option<RequestId> {
        use lambda_http::RequestExt;
        let from_gateway = req.request_context_ref().and_then(|ctx| match ctx {
            lambda_http::request::RequestContext::ApiGatewayV2(c) => c.request_id.clone(),
            _ => None,
        });
        let id = from_gateway.unwrap_or_else(crate::ids::new_id);
        HeaderValue::from_str(&id).ok().map(RequestId::new)
    }
}

fn cors(origins: &[String]) -> CorsLayer {
    let allow_origin = if origins.is_empty() {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()))
    };
    CorsLayer::new()
        .allow_origin(allow_origin)
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_MATCH,
            header::IF_NONE_MATCH,
            HeaderName::from_static("idempotency-key"),
            HeaderName::from_static("x-guest-session-id"),
            HeaderName::from_static("x-session-id"),
            HeaderName::from_static("x-search-origin"),
        ])
        .expose_headers([header::ETAG, header::RETRY_AFTER, header::LOCATION, REQUEST_ID])
        .max_age(Duration::from_secs(600))
}

/// Errors produced outside our handlers (axum's 405, a body over the limit, the timeout)
/// come without a problem body; give them one so every error looks the same.
async fn normalize_errors(response: Response<Body>) -> Response<Body> {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(PROBLEM_JSON));
    if is_problem {
        return response;
    }
    let (code, detail) = match status {
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "this path does not support that method"),
        StatusCode::PAYLOAD_TOO_LARGE => ("payload_too_large", "the request body is too large"),
        StatusCode::GATEWAY_TIMEOUT | StatusCode::REQUEST_TIMEOUT => ("timeout", "the request took too long"),
        StatusCode::NOT_FOUND => ("not_found", "no such resource"),
        s if s.is_server_error() => ("internal_error", "an unexpected error occurred"),
        _ => ("bad_request", "the request could not be processed"),
    };
    let mut problem = ApiError::new(status, code, detail).into_response();
    // Keep headers such as Allow (405) that tell the client what to do instead.
    for (name, value) in response.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            problem.headers_mut().insert(name.clone(), value.clone());
        }
    }
    problem
}

pub async fn not_found() -> ApiError {
    ApiError::not_found("route_not_found", "no such route")
}
