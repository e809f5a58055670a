//! The daily job. EventBridge Scheduler calls it at 02:30 America/New_York; the local
//! platform calls it on its own timer and from `instainstru-local daily`. The work is in
//! `instainstru_shared::analytics::daily`; this is the Lambda's edge: which day, and the
//! record that it ran (the admin monitoring endpoint reports its age).

use instainstru_shared::{
    AppState,
    analytics::daily::{self, DailyOutcome, DailyRun},
};
use jiff::{Timestamp, civil::Date};

/// Runs the job for the day before the event's scheduled time (New York), or before now
/// when the event has no usable `time`.
pub async fn run_daily(state: &AppState, event: serde_json::Value) -> Result<DailyRun, String> {
    let scheduled_for = event
        .get("time")
        .and_then(|t| t.as_str())
        .and_then(|t| t.parse::<Timestamp>().ok())
        .unwrap_or_else(|| state.clock.now());
    let day = daily::day_for_schedule(scheduled_for);
    let outcome = run_for_day(state, day).await?;
    tracing::info!(
        day = %outcome.day,
        services = outcome.services,
        reordered = outcome.reordered,
        salts_deleted = outcome.salts_deleted,
        raw_events_deleted = outcome.raw_events_deleted,
        "daily analytics job finished"
    );
    daily::record_run(&state.store, scheduled_for, state.clock.now(), day).await.map_err(|e| e.to_string())
}

/// The job for one given day (a scheduled run, a rerun, one day of a backfill).
pub async fn run_for_day(state: &AppState, day: Date) -> Result<DailyOutcome, String> {
    daily::run(&state.store, state.clock.now(), day).await.map_err(|e| e.to_string())
}
