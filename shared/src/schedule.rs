//! Schedules: when a scheduled handler runs. On AWS, EventBridge Scheduler calls the
//! handler (template.yaml gives the cron and its time zone); the local platform runs the
//! same handler from [`Scheduler`].

use std::{sync::Arc, time::Duration};

use futures::future::BoxFuture;
use jiff::{Timestamp, civil::Time, tz::TimeZone};

use crate::clock::Clock;

#[derive(Debug, Clone)]
pub enum Cadence {
    /// Every day at a wall-clock time in a zone (EventBridge Scheduler's
    /// `cron(m h * * ? *)` with `ScheduleExpressionTimezone`).
    DailyAt { time: Time, zone: TimeZone },
    /// A fixed period (tests, and frequent local chores).
    Every(Duration),
}

impl Cadence {
    /// The first run strictly after `after`. A daily time inside a DST gap resolves as if
    /// the clock had not jumped yet (02:30 → 03:30 EDT); one inside a fold runs once, at
    /// the first occurrence: jiff's "compatible" rule, the same as RFC 5545 calendars.
    pub fn next_after(&self, after: Timestamp) -> Timestamp {
        match self {
            Cadence::Every(period) => {
                after + jiff::SignedDuration::try_from(*period).unwrap_or(jiff::SignedDuration::from_secs(60))
            }
            Cadence::DailyAt { time, zone } => {
                let mut date = after.to_zoned_datetime(zone.clone()).date();
                for _ in 0..3 {
                    if let Ok(at) = date.to_datetime(*time).to_zoned_datetime(zone.clone()) {
                        let at = at.timestamp();
                        if at > after {
                            return at;
                        }
                    }
                    date = date.tomorrow().unwrap_or(date);
                }
                after + jiff::SignedDuration::from_hours(24)
            }
        }
    }
}

/// The payload a scheduled handler receives: the shape template.yaml's Scheduler target
/// `Input` produces (`time` is the scheduled time).
pub fn scheduled_event(name: &str, time: Timestamp) -> serde_json::Value {
    serde_json::json!({
        "version": "0",
        "id": crate::ids::new_id(),
        "detail-type": "Scheduled Event",
        "source": "aws.scheduler",
        "account": "000000000000",
        "time": time.to_string(),
        "region": "local",
        "resources": [format!("arn:aws:scheduler:local:000000000000:schedule/default/{name}")],
        "detail": {}
    })
}

pub type ScheduledHandler = Arc<dyn Fn(serde_json::Value) -> BoxFuture<'static, Result<(), String>> + Send + Sync>;

/// Runs a handler on its cadence until shut down (the local platform's EventBridge).
#[derive(Clone)]
pub struct Scheduler {
    pub name: String,
    pub cadence: Cadence,
    pub handler: ScheduledHandler,
}

impl Scheduler {
    pub async fn run(self, clock: Arc<dyn Clock>, shutdown: tokio::sync::watch::Receiver<bool>) {
        self.run_with_timer(clock, shutdown, tokio::time::sleep).await
    }

    /// [`Scheduler::run`] with the wait until each run supplied by the caller (`run` sleeps
    /// in real time), so that a test can drive the scheduler with a clock it moves by hand.
    pub async fn run_with_timer<W, F>(
        self,
        clock: Arc<dyn Clock>,
        mut shutdown: tokio::sync::watch::Receiver<bool>,
        mut timer: W,
    ) where
        W: FnMut(Duration) -> F,
        F: std::future::Future<Output = ()>,
    {
        loop {
            let now = clock.now();
            let next = self.cadence.next_after(now);
            let wait = (next - now).unsigned_abs();
            tokio::select! {
                _ = timer(wait) => {}
                _ = shutdown.changed() => return,
            }
            let event = scheduled_event(&self.name, next);
            match (self.handler)(event).await {
                Ok(()) => tracing::info!(schedule = %self.name, "scheduled run finished"),
                Err(err) => tracing::error!(schedule = %self.name, error = %err, "scheduled run failed"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn daily_0230() -> Cadence {
        Cadence::DailyAt { time: Time::constant(2, 30, 0, 0), zone: crate::clock::lesson_zone() }
    }

    #[test]
    fn daily_runs_at_new_york_wall_time_across_dst() {
        let cadence = daily_0230();
        // Before the run on an ordinary EST day: same day, 07:30 UTC.
        let next = cadence.next_after("2026-11-26T05:00:00Z".parse().unwrap());
        assert_eq!(next, "2026-11-26T07:30:00Z".parse::<Timestamp>().unwrap());
        // After it: the next day.
        let next = cadence.next_after("2026-11-26T07:30:00Z".parse().unwrap());
        assert_eq!(next, "2026-11-27T07:30:00Z".parse::<Timestamp>().unwrap());
        // Summer (EDT): 06:30 UTC.
        let next = cadence.next_after("2026-07-01T00:00:00Z".parse().unwrap());
        assert_eq!(next, "2026-07-01T06:30:00Z".parse::<Timestamp>().unwrap());
        // Spring forward, 2026-03-08: 02:30 does not exist; run at 03:30 EDT = 07:30 UTC,
        // once.
        let next = cadence.next_after("2026-03-08T05:00:00Z".parse().unwrap());
        assert_eq!(next, "2026-03-08T07:30:00Z".parse::<Timestamp>().unwrap());
        let next = cadence.next_after(next);
        assert_eq!(next, "2026-03-09T06:30:00Z".parse::<Timestamp>().unwrap());
        // Fall back, 2026-11-01: 02:30 (after the fold, EST) is 07:30 UTC.
        let next = cadence.next_after("2026-11-01T04:00:00Z".parse().unwrap());
        assert_eq!(next, "2026-11-01T07:30:00Z".parse::<Timestamp>().unwrap());
    }
}
