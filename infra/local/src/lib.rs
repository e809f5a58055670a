//! `instainstru-local`: the whole InstaInstru platform in one local process.
//!
//! dynoxide (embedded DynamoDB on SQLite) on a loopback port, every function's Router
//! mounted at exactly the routes template.yaml gives it, the events queue delivered to the
//! analytics worker in SQS-shaped batches, and the daily job on its schedule.

pub mod checks;
pub mod fixtures;
pub mod functions;
pub mod keys;
pub mod lambda_env;
pub mod platform;
pub mod template;
