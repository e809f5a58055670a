//! The daily job. EventBridge Scheduler calls it at 02:30 America/New_York; the local
//! platform calls it on its own timer and from `instainstru-local daily`.

use instainstru_shared::{
    AppState,
    store::{Key, Record},
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "entity", rename = "daily_run")]
pub struct DailyRun {
    /// The scheduled time of the run that finished last (RFC 3339 UTC).
    pub scheduled_for: String,
    pub finished_at: String,
}

pub fn last_run_key() -> Key {
    Key::new("META", "DAILY_RUN")
}

/// Runs the daily job for the event's scheduled time and records that it ran (the admin
/// monitoring endpoint reports the age of the last run).
pub async fn run_daily(state: &AppState, event: serde_json::Value) -> Result<DailyRun, String> {
    let scheduled_for = event
        .get("time")
        .and_then(|t| t.as_str())
        .and_then(|t| t.parse::<jiff::Timestamp>().ok())
        .unwrap_or_else(|| state.clock.now());
    let run = DailyRun { scheduled_for: scheduled_for.to_string(), finished_at: state.clock.now().to_string() };
    state.store.put(&Record::new(last_run_key(), run.clone())).await.map_err(|e| e.to_string())?;
    Ok(run)
}
