//! The `booking-outbox` handler: EventBridge Scheduler calls it every minute (the local
//! platform on its own timer); it republishes outbox events older than the grace period,
//! i.e. those whose request could not publish them after the booking change committed.

use instainstru_shared::{
    AppState,
    booking::outbox::{self, GRACE, SweepReport},
};

/// One sweep. An error (the queue still refuses) makes the invocation fail, so the
/// scheduler retries it and, past its retries, dead-letters the schedule event; the
/// events themselves stay in the outbox for the next run either way.
pub async fn sweep_outbox(state: &AppState, _event: serde_json::Value) -> Result<SweepReport, String> {
    let report = outbox::sweep(&state.store, state.events.as_ref(), state.clock.now(), GRACE).await?;
    if report.published > 0 {
        tracing::info!(published = report.published, "republished outbox events");
    }
    Ok(report)
}
