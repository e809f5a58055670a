//! The audit log of every admin change to accounts.

use axum::{Json, extract::State};
use instainstru_shared::{
    AppState,
    audit::{self, AuditEntry},
    http::{ApiError, ApiResult, Problem, ValidQuery},
    ids,
    store::Cursor,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::views::limit;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only entries about this user (id).
    pub target: Option<String>,
    pub cursor: Option<String>,
    /// 1–100, default 50.
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    /// Pass as `cursor` for the next page; absent on the last.
    pub next_cursor: Option<String>,
}

/// Who changed what about whom, and when, with the state before and after; newest first.
#[utoipa::path(get, path = "/api/v1/admin/audit-log", tag = "admin", security(("bearer" = ["view_all_users"])),
    params(AuditQuery),
    responses((status = 200, body = AuditPage), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem)))]
pub async fn audit_log(
    State(state): State<AppState>,
    ValidQuery(query): ValidQuery<AuditQuery>,
) -> ApiResult<Json<AuditPage>> {
    let limit = limit(query.limit, 50)?;
    let target = query
        .target
        .as_deref()
        .map(|t| ids::parse_id(t).ok_or_else(|| ApiError::invalid("target", "target must be a user id")))
        .transpose()?;
    let cursor = query.cursor.as_deref().map(Cursor::decode).transpose()?;
    let page = audit::list(&state.store, target.as_deref(), cursor, limit).await?;
    Ok(Json(AuditPage { items: page.items, next_cursor: page.next.map(|c| c.encode()) }))
}
