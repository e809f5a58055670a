//! The `booking-outbox` handler: EventBridge Scheduler calls it every minute (the local
//! platform on its own timer); it republishes outbox events older than the grace period,
//! i.e. those whose request could not publish them after the booking change committed,
//! and publishes the lesson reminders that have fallen due (`notify::reminders`).

use instainstru_shared::{
    AppState,
    booking::outbox::{self, GRACE, SweepReport},
    notify::reminders,
};

/// One sweep. An error (the queue still refuses) makes the invocation fail, so the
/// scheduler retries it and, past its retries, dead-letters the schedule event; the
/// events themselves stay in the outbox for the next run either way.
pub async fn sweep_outbox(state: &AppState, _event: serde_json::Value) -> Result<SweepReport, String> {
    let now = state.clock.now();
    let mut report = outbox::sweep(&state.store, state.events.as_ref(), now, GRACE).await?;
    if report.published > 0 {
        tracing::info!(published = report.published, "republished outbox events");
    }
    report.reminders = reminders::sweep(&state.store, state.events.as_ref(), now).await?;
    if report.reminders > 0 {
        tracing::info!(reminders = report.reminders, "published due lesson reminders");
    }
    Ok(report)
}
