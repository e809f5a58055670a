//! Registration, login, refresh and logout.

use axum::{Json, extract::State, http::StatusCode};
use instainstru_shared::{
    AppState,
    accounts::{
        AccountError, Email, FullName, NewPassword, TimeZoneName, User, guest,
        guest::GuestSessionId,
        login,
        register::{self, Registration},
        sessions::{self, IssuedRefresh},
    },
    auth::Identity,
    http::{ApiError, ApiResult, ClientIp, GuestSession, Problem, ValidJson, limit},
    ratelimit,
    rbac::Role,
};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::{extract::OptionalJson, views::Tokens};

/// Passwords longer than this are refused before hashing: hashing cost stays bounded.
const MAX_PASSWORD_BYTES: usize = 1024;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    pub email: String,
    /// At least 8 characters, not all of one class (letters, digits, symbols).
    pub password: String,
    pub full_name: String,
    /// `student` or `instructor` (admins are made by admins).
    pub role: String,
    /// IANA time zone; America/New_York when absent.
    pub time_zone: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LogoutRequest {
    pub refresh_token: Option<String>,
}

pub fn email(text: &str) -> ApiResult<Email> {
    Email::parse(text).map_err(|e| ApiError::invalid("email", e.to_string()))
}

fn registration(body: &RegisterRequest) -> Result<Registration, AccountError> {
    let role =
        Role::parse(&body.role).ok_or_else(|| AccountError::invalid("role", "role must be student or instructor"))?;
    if !register::self_assignable(role) {
        return Err(AccountError::invalid_with(
            "role",
            "role_not_allowed",
            "you can register as a student or an instructor",
        ));
    }
    Ok(Registration {
        email: Email::parse(&body.email).map_err(|e| AccountError::invalid("email", e.to_string()))?,
        password: NewPassword::parse("password", &body.password)?,
        full_name: FullName::parse("full_name", &body.full_name)?,
        role,
        time_zone: match &body.time_zone {
            Some(zone) => TimeZoneName::parse("time_zone", zone)?,
            None => TimeZoneName::default_zone(),
        },
    })
}

/// Mints the access token for a session and assembles the response.
fn tokens(state: &AppState, user: &User, refresh: IssuedRefresh) -> ApiResult<Tokens> {
    let signer = state.signer.as_deref().ok_or_else(|| ApiError::internal("accounts runs without a token signer"))?;
    let (access, claims) =
        signer.issue(state.clock.as_ref(), &user.caller(&refresh.session_id)).map_err(ApiError::internal)?;
    Ok(Tokens::new(access, &claims, refresh, user))
}

/// Hands the guest's id to the history conversion. Signing in never fails because of it:
/// a failure is logged and the guest's history stays theirs.
async fn convert_guest(state: &AppState, guest: Option<GuestSessionId>, user: &User) {
    if let Some(guest) = guest
        && let Err(err) = guest::convert(&state.store, state.events.as_ref(), state.clock.now(), &guest, &user.id).await
    {
        tracing::error!(error = %err, "guest history conversion not recorded");
    }
}

/// Creates a student or instructor account and signs it in. An instructor also gets an
/// empty profile, unlisted until complete. Rate-limited per IP (10 per hour).
#[utoipa::path(post, path = "/api/v1/auth/register", tag = "auth", security(()), request_body = RegisterRequest,
    params(("X-Guest-Session-ID" = Option<String>, Header, description = "Guest session id (UUID) whose search history moves to the new account")),
    responses((status = 201, body = Tokens), (status = 400, body = Problem), (status = 409, body = Problem),
        (status = 429, body = Problem)))]
pub async fn register(
    State(state): State<AppState>,
    ip: ClientIp,
    GuestSession(guest): GuestSession,
    ValidJson(body): ValidJson<RegisterRequest>,
) -> ApiResult<(StatusCode, Json<Tokens>)> {
    limit::enforce(&state.store, state.clock.now(), ratelimit::REGISTER, &ip.subject()).await?;
    let registration = registration(&body)?;
    let user = register::register(&state.store, state.clock.now(), registration).await?;
    let refresh = sessions::start(&state.store, state.clock.now(), &user).await?;
    let tokens = tokens(&state, &user, refresh)?;
    convert_guest(&state, guest, &user).await;
    tracing::info!(user_id = %user.id, "registered");
    Ok((StatusCode::CREATED, Json(tokens)))
}

/// Signs in with email and password. Unknown email and wrong password are the same 401,
/// in the same time. Rate-limited per IP and email (5 per minute).
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", security(()), request_body = LoginRequest,
    params(("X-Guest-Session-ID" = Option<String>, Header, description = "Guest session id (UUID) whose search history moves to the account")),
    responses((status = 200, body = Tokens), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, description = "The account is deactivated", body = Problem), (status = 429, body = Problem)))]
pub async fn login(
    State(state): State<AppState>,
    ip: ClientIp,
    GuestSession(guest): GuestSession,
    ValidJson(body): ValidJson<LoginRequest>,
) -> ApiResult<Json<Tokens>> {
    let email = email(&body.email)?;
    if body.password.len() > MAX_PASSWORD_BYTES {
        return Err(ApiError::invalid("password", "password is too long"));
    }
    let subject = format!("{} {}", ip.subject(), email.normalized());
    limit::enforce(&state.store, state.clock.now(), ratelimit::LOGIN, &subject).await?;
    let user = login::authenticate(&state.store, &email, &body.password).await?;
    let refresh = sessions::start(&state.store, state.clock.now(), &user).await?;
    let tokens = tokens(&state, &user, refresh)?;
    convert_guest(&state, guest, &user).await;
    Ok(Json(tokens))
}

/// Exchanges a refresh token for a new access token and a new refresh token. The old one
/// is spent: presenting it again revokes the whole session.
#[utoipa::path(post, path = "/api/v1/auth/refresh", tag = "auth", security(()), request_body = RefreshRequest,
    responses((status = 200, body = Tokens), (status = 400, body = Problem),
        (status = 401, description = "Invalid, reused or ended", body = Problem)))]
pub async fn refresh(
    State(state): State<AppState>,
    ValidJson(body): ValidJson<RefreshRequest>,
) -> ApiResult<Json<Tokens>> {
    let (user, refresh) = sessions::rotate(&state.store, state.clock.now(), &body.refresh_token).await?;
    Ok(Json(tokens(&state, &user, refresh)?))
}

/// Ends a session: the one the refresh token in the body belongs to, and the one the
/// bearer token (if any) was issued for. Unknown tokens are not an error.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", security(()), request_body(content = Option<LogoutRequest>),
    responses((status = 204, description = "Signed out"),
        (status = 400, description = "Neither a refresh token nor a bearer token was given", body = Problem)))]
pub async fn logout(
    State(state): State<AppState>,
    identity: Identity,
    OptionalJson(body): OptionalJson<LogoutRequest>,
) -> ApiResult<StatusCode> {
    let refresh_token = body.and_then(|b| b.refresh_token);
    let caller = identity.caller();
    if refresh_token.is_none() && caller.is_none() {
        return Err(ApiError::bad_request("nothing_to_revoke", "send the refresh token, a bearer token, or both")
            .with_field("refresh_token"));
    }
    if let Some(token) = &refresh_token {
        sessions::revoke_by_token(&state.store, state.clock.now(), token).await?;
    }
    if let Some(caller) = caller {
        sessions::revoke(&state.store, &caller.session_id, Some(&caller.user_id)).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}
