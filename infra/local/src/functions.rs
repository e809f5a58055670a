//! The functions this repository deploys, as the local platform runs them.

use axum::Router;
use instainstru_shared::{AppState, function::Function, http::Routes};

pub struct HttpFunction {
    pub function: Function,
    pub api: fn() -> Routes,
    pub router: fn(AppState) -> Router,
}

impl HttpFunction {
    /// The Lambda's binary name (template.yaml `Metadata.BuildProperties.Binary`).
    pub fn binary(&self) -> &'static str {
        self.function.label()
    }
}

pub fn http_functions() -> Vec<HttpFunction> {
    vec![
        HttpFunction { function: Function::Search, api: instainstru_search::api, router: instainstru_search::router },
        HttpFunction {
            function: Function::Booking,
            api: instainstru_booking::api,
            router: instainstru_booking::router,
        },
        HttpFunction { function: Function::Admin, api: instainstru_admin::api, router: instainstru_admin::router },
        HttpFunction {
            function: Function::Accounts,
            api: instainstru_accounts::api,
            router: instainstru_accounts::router,
        },
    ]
}

/// The whole-API OpenAPI document: every function's annotated routes, merged.
pub fn openapi() -> utoipa::openapi::OpenApi {
    instainstru_shared::http::openapi::merge(http_functions().into_iter().map(|f| (f.api)().into_openapi()))
}

/// The document as committed in openapi.json (pretty, trailing newline).
pub fn openapi_json() -> String {
    let mut text = serde_json::to_string_pretty(&openapi()).unwrap_or_default();
    text.push('\n');
    text
}

/// The event-driven functions (template.yaml: an SQS or schedule event), each as Lambda
/// runs it: the JSON event in, the JSON result out, over the function's own state.
pub const EVENT_FUNCTIONS: [Function; 4] =
    [Function::AnalyticsWorker, Function::AnalyticsDaily, Function::BookingOutbox, Function::BookingNotify];

pub async fn invoke_event(
    binary: &str,
    state: &AppState,
    event: serde_json::Value,
) -> Result<serde_json::Value, String> {
    fn json(value: impl serde::Serialize) -> Result<serde_json::Value, String> {
        serde_json::to_value(value).map_err(|e| e.to_string())
    }
    let function = Function::from_label(binary).ok_or(format!("{binary} is not a function"))?;
    let state = state.for_function(function);
    match function {
        Function::AnalyticsWorker => {
            let batch = serde_json::from_value(event).map_err(|e| format!("not an SQS event: {e}"))?;
            json(instainstru_analytics::handle_batch(&state, batch).await)
        }
        Function::AnalyticsDaily => json(instainstru_analytics::run_daily(&state, event).await?),
        Function::BookingOutbox => json(instainstru_booking::sweep_outbox(&state, event).await?),
        Function::BookingNotify => {
            let batch = serde_json::from_value(event).map_err(|e| format!("not an SQS event: {e}"))?;
            json(instainstru_booking::notify_batch(&state, batch).await)
        }
        other => Err(format!("{other} is not an event-driven function")),
    }
}
