//! `instainstru-testkit`: the embedded DynamoDB (dynoxide) for the local platform and the
//! tests, and a test harness that assembles a complete [`AppState`] around it.
//!
//! A crate of its own so that nothing it needs (dynoxide and its SQLite, the moto server's
//! Python) can reach a Lambda: `instainstru-shared` has no feature that pulls them in, and
//! this crate is not among the workspace's `default-members`, which `sam build` builds.
//! infra/local depends on it; every other crate only dev-depends on it.
//!
//! dynoxide runs in-process behind its real HTTP front end on a loopback port, so the
//! AWS SDK talks to it exactly as it talks to DynamoDB: one code path.
//!
//! * [`dynamo`]: dynoxide on a loopback port and a store over a fresh table on it.
//! * [`clients`]: SDK clients for an emulator (dynoxide or moto).
//! * [`platform`]: the local platform's queues and what functions publish to.
//! * [`env`]: [`TestEnv`], everything a test needs.
//! * [`moto`]: the moto servers (the test command's, or a test's own) and [`Backend`],
//!   for tests checked against both emulators.
//! * [`http_test`]: driving a Router through HTTP, as clients do.
//! * [`sqs`]: SQS batches as a queue consumer's Lambda receives them.
//! * [`generate`]: synthetic analytics events.
//!
//! [`AppState`]: instainstru_shared::AppState

pub mod clients;
pub mod dynamo;
pub mod env;
pub mod generate;
pub mod http_test;
pub mod moto;
pub mod platform;
pub mod sqs;

pub use clients::{dynamodb_client, sesv2_client, sqs_client};
pub use dynamo::{Endpoint, start_dynoxide, store_on};
pub use env::TestEnv;
pub use moto::{Backend, PrivateMoto, moto_endpoint, queue_stand_ins, unique_table};
pub use platform::{
    EVENTS_DLQ, EVENTS_MAX_RECEIVES, EVENTS_QUEUE, NOTIFICATIONS_DLQ, NOTIFICATIONS_QUEUE, events_queue,
    local_publisher, notifications_queue,
};
pub use sqs::sqs_batch;
