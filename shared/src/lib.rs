//! `instainstru-shared`: everything with logic, shared by every InstaInstru Lambda.
//!
//! Organised by domain (catalog, instructors, accounts, rbac, …) with the technical
//! glue (store, http, queue, lambda) beside it. Domain modules take and return plain Rust
//! types; only `store` speaks DynamoDB and only `http` speaks HTTP. ARCHITECTURE.md at
//! the repository root is the map.

pub mod accounts;
pub mod analytics;
pub mod audit;
pub mod auth;
pub mod availability;
pub mod booking;
pub mod catalog;
pub mod changes;
pub mod clock;
pub mod config;
pub mod directory;
pub mod env;
pub mod function;
pub mod history;
pub mod http;
pub mod ids;
pub mod instructors;
pub mod interval;
pub mod lambda;
pub mod mail;
pub mod money;
pub mod notify;
pub mod personal_data;
pub mod places;
pub mod privacy;
pub mod queue;
pub mod ratelimit;
pub mod rbac;
pub mod refusal;
pub mod schedule;
pub mod search;
pub mod seed;
pub mod state;
pub mod store;

pub use state::AppState;
