//! Forgotten passwords: request a reset link by mail, then set a new password with it.

use axum::{Json, extract::State, http::StatusCode};
use instainstru_shared::{
    AppState,
    accounts::{NewPassword, password},
    http::{ApiError, ApiResult, Problem, ValidJson, limit},
    ratelimit,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    pub email: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Accepted {
    pub status: &'static str,
    pub detail: &'static str,
}

const ACCEPTED: Accepted = Accepted {
    status: "accepted",
    detail: "If an account uses this email, a link to reset its password is on its way. It is valid for one hour.",
};

/// Sends a reset link if the email has an account. The answer is the same 202 either way
/// (rate-limited per email, 3 per hour, whether or not it has an account).
#[utoipa::path(post, path = "/api/v1/auth/password-reset", tag = "auth", security(()), request_body = ResetRequest,
    responses((status = 202, body = Accepted), (status = 400, body = Problem), (status = 429, body = Problem)))]
pub async fn request_reset(
    State(state): State<AppState>,
    ValidJson(body): ValidJson<ResetRequest>,
) -> ApiResult<(StatusCode, Json<Accepted>)> {
    let email = crate::auth::email(&body.email)?;
    limit::enforce(&state.store, state.clock.now(), ratelimit::PASSWORD_RESET, email.normalized()).await?;
    if let Some((user, token)) = password::request_reset(&state.store, state.clock.now(), &email).await? {
        let mail = password::reset_mail(&user, &state.config.public_base_url, &token);
        let sender = state.mail.as_deref().ok_or_else(|| ApiError::internal("accounts runs without a mail sender"))?;
        // A failed send must not answer differently from "no such account": log it.
        if let Err(err) = sender.send(&mail).await {
            tracing::error!(error = %err, user_id = %user.id, "password-reset mail not sent");
        }
    }
    Ok((StatusCode::ACCEPTED, Json(ACCEPTED)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetConfirm {
    /// The token from the reset link.
    pub token: String,
    /// At least 8 characters, not all of one class.
    pub new_password: String,
}

/// Sets a new password with a reset token. The token is spent, and every session of the
/// account ends.
#[utoipa::path(post, path = "/api/v1/auth/password-reset/confirm", tag = "auth", security(()),
    request_body = ResetConfirm,
    responses((status = 204, description = "Password changed; sign in again"), (status = 400, body = Problem)))]
pub async fn confirm_reset(
    State(state): State<AppState>,
    ValidJson(body): ValidJson<ResetConfirm>,
) -> ApiResult<StatusCode> {
    let new_password = NewPassword::parse("new_password", &body.new_password)?;
    password::confirm_reset(&state.store, state.clock.now(), &body.token, &new_password).await?;
    Ok(StatusCode::NO_CONTENT)
}
