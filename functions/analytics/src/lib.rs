//! Lambdas `analytics-worker` (SQS) and `analytics-daily` (EventBridge Scheduler).
//!
//! Both handlers are plain async functions over the shared [`AppState`]: Lambda calls
//! them through `lambda_runtime`, the local platform through its event source and
//! scheduler, tests directly.

pub mod daily;
pub mod worker;

pub use daily::{run_daily, run_for_day};
pub use worker::handle_batch;
