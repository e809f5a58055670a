//! Health and monitoring for operators (PRODUCT.md §9, `access_monitoring`): is the table
//! reachable, how deep are the queues and their dead-letter queues, are booking events
//! waiting in the outbox, when did the daily job last finish; and the dead letters
//! themselves, to inspect and redrive once the cause is fixed.

use std::time::Instant;

use axum::{
    Json,
    extract::{Path, State},
};
use instainstru_shared::{
    AppState,
    analytics::daily,
    auth::Caller,
    booking::outbox,
    http::{ApiError, ApiResult, Bounds, Problem, ValidQuery, page},
    queue::ops::{DeadMessage, Depth, QueueOps},
};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The daily job should finish once a day; a run older than this means it is not running.
const DAILY_RUN_STALE_HOURS: i64 = 26;

#[derive(Debug, Serialize, ToSchema)]
pub struct Monitoring {
    /// `ok`, or `degraded` when any problem is listed.
    pub status: &'static str,
    pub checked_at: String,
    pub table: TableHealth,
    pub queues: Vec<QueueHealth>,
    /// Booking events committed but not yet published (the sweep publishes them).
    pub outbox_pending: Option<usize>,
    pub daily_run: Option<DailyRunHealth>,
    /// What an operator should look at, in words.
    pub problems: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TableHealth {
    pub reachable: bool,
    /// One GetItem round trip.
    pub latency_ms: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QueueHealth {
    pub name: String,
    pub queue: Depth,
    pub dead_letter: Depth,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DailyRunHealth {
    pub scheduled_for: String,
    pub finished_at: String,
    pub age_hours: i64,
    pub stale: bool,
}

fn ops(state: &AppState) -> ApiResult<&dyn QueueOps> {
    state.queue_ops.as_deref().ok_or_else(|| ApiError::unavailable("queue operations are not configured"))
}

/// The platform's health in one call; never fails because a part is down (that part is
/// reported instead).
#[utoipa::path(get, path = "/api/v1/admin/monitoring", tag = "admin", security(("bearer" = ["access_monitoring"])),
    responses((status = 200, body = Monitoring), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn monitoring(State(state): State<AppState>) -> ApiResult<Json<Monitoring>> {
    let now = state.clock.now();
    let mut problems = Vec::new();

    let started = Instant::now();
    let last_run = daily::last_run(&state.store).await;
    let table = TableHealth { reachable: last_run.is_ok(), latency_ms: started.elapsed().as_millis() as u64 };
    if !table.reachable {
        problems.push("the table is not reachable".to_owned());
    }
    let daily_run = match last_run {
        Ok(Some(run)) => {
            let finished: Option<Timestamp> = run.finished_at.parse().ok();
            let age_hours = finished.map(|f| (now.as_second() - f.as_second()) / 3600).unwrap_or(i64::MAX);
            let stale = age_hours > DAILY_RUN_STALE_HOURS;
            if stale {
                problems.push(format!("the daily job last finished {} hours ago", age_hours));
            }
            Some(DailyRunHealth { scheduled_for: run.scheduled_for, finished_at: run.finished_at, age_hours, stale })
        }
        Ok(None) => {
            problems.push("the daily job has never run".to_owned());
            None
        }
        Err(_) => None,
    };
    let outbox_pending = outbox::pending(&state.store).await.ok();

    let mut queues = Vec::new();
    let ops = state.queue_ops.as_deref();
    if ops.is_none() {
        problems.push("queue operations are not configured (MONITORED_QUEUES)".to_owned());
    }
    for (ops, name) in ops.into_iter().flat_map(|o| o.names().into_iter().map(move |n| (o, n))) {
        match ops.depth(&name).await {
            Ok(Some((queue, dead_letter))) => {
                if dead_letter.visible + dead_letter.in_flight > 0 {
                    problems.push(format!(
                        "the {name} dead-letter queue holds {} messages",
                        dead_letter.visible + dead_letter.in_flight
                    ));
                }
                queues.push(QueueHealth { name, queue, dead_letter });
            }
            Ok(None) => {}
            Err(err) => {
                tracing::warn!(queue = %name, error = %err, "queue depth unavailable");
                problems.push(format!("the {name} queue cannot be read"));
            }
        }
    }
    Ok(Json(Monitoring {
        status: if problems.is_empty() { "ok" } else { "degraded" },
        checked_at: now.to_string(),
        table,
        queues,
        outbox_pending,
        daily_run,
        problems,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeekQuery {
    /// 1–10, default 10.
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeadLetters {
    pub queue: String,
    pub messages: Vec<DeadMessage>,
}

fn unknown_queue(name: &str) -> ApiError {
    ApiError::not_found("unknown_queue", format!("no operated queue is called {name:?}")).with_field("queue")
}

/// Dead-lettered messages of a queue (`events` or `notifications`), left where they are.
#[utoipa::path(get, path = "/api/v1/admin/queues/{queue}/dead-letters", tag = "admin",
    security(("bearer" = ["access_monitoring"])),
    params(("queue" = String, Path, description = "`events` or `notifications`"), PeekQuery),
    responses((status = 200, body = DeadLetters), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn dead_letters(
    State(state): State<AppState>,
    Path(queue): Path<String>,
    ValidQuery(query): ValidQuery<PeekQuery>,
) -> ApiResult<Json<DeadLetters>> {
    let limit = page::limit(query.limit, Bounds { default: 10, max: 10 })?;
    let messages = ops(&state)?
        .peek_dead(&queue, limit as usize)
        .await
        .map_err(ApiError::unavailable)?
        .ok_or_else(|| unknown_queue(&queue))?;
    Ok(Json(DeadLetters { queue, messages }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RedriveQuery {
    /// How many messages to move at most: 1–1000, default 100.
    pub max: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Redriven {
    pub queue: String,
    pub moved: usize,
}

/// Moves dead-lettered messages back to their queue for another try (after the cause is
/// fixed). Consumers apply each event once, so a message redriven twice does no harm.
#[utoipa::path(post, path = "/api/v1/admin/queues/{queue}/redrive", tag = "admin",
    security(("bearer" = ["access_monitoring"])),
    params(("queue" = String, Path, description = "`events` or `notifications`"), RedriveQuery),
    responses((status = 200, body = Redriven), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn redrive(
    State(state): State<AppState>,
    caller: Caller,
    Path(queue): Path<String>,
    ValidQuery(query): ValidQuery<RedriveQuery>,
) -> ApiResult<Json<Redriven>> {
    let max = query.max.unwrap_or(100);
    if !(1..=1000).contains(&max) {
        return Err(ApiError::invalid("max", "max must be between 1 and 1000"));
    }
    let moved = ops(&state)?
        .redrive(&queue, max as usize)
        .await
        .map_err(ApiError::unavailable)?
        .ok_or_else(|| unknown_queue(&queue))?;
    tracing::info!(queue = %queue, moved, admin = %caller.user_id, "dead letters redriven");
    Ok(Json(Redriven { queue, moved }))
}
