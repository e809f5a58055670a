//! The admin analytics reports (PRODUCT.md §7), each computed from a window's aggregates
//! and each also a [`Table`] for its CSV export. Every figure is defined here once; the
//! tests recompute them from the raw events they generated.
//!
//! The reports are a registry: one file per report (its figures, how they are computed,
//! their CSV table) and one row in [`REGISTRY`] (name, description, compute, schema). The
//! admin API's routes, its OpenAPI description and the dashboard's list of downloads are
//! all read from the registry, so a new report is one new file plus one row.
//!
//! Definitions worth knowing:
//! * A search counts on its New York date; an interaction or booking event on its own.
//! * "Unique" figures are distinct within the window (the union of the days' sets); the
//!   per-day trend gives each day's own distinct count.
//! * Funnel stages count distinct searches that led to at least one interaction of the
//!   stage's type (a click, a profile view, a booking started from the results).
//! * Rates are rounded to 4 decimals, averages to 2; a rate over nothing is 0.

mod conversion;
mod performance;
mod popular_queries;
mod queries;
mod referrers;
mod services;
mod summary;
mod trends;
mod user_behavior;
mod zero_result_queries;

use std::{future::Future, pin::Pin};

use serde::Serialize;
use utoipa::{
    ToSchema,
    openapi::{RefOr, Schema, schema::Ref},
};

pub use conversion::{Funnel, conversion};
pub use performance::{FEW_RESULTS, PROBLEM_MIN_SEARCHES, Performance, ProblemQuery, ResultBucket, performance};
pub use popular_queries::popular_queries;
pub use queries::{QueryFigure, QueryList};
pub use referrers::{Referrers, SourceFigure, referrers};
pub use services::{ServiceDemand, ServiceDemandReport, service_demand};
pub use summary::{Summary, summary};
pub use trends::{TrendDay, Trends, trends};
pub use user_behavior::{IdentityBucket, Share, UserBehavior, identity_bucket, user_behavior};
pub use zero_result_queries::zero_result_queries;

use super::{table::Table, window::Window};
use crate::store::{Store, StoreError};

/// Most rows a ranked list returns.
pub const MAX_LIMIT: usize = 100;
pub const DEFAULT_LIMIT: usize = 20;

/// Every report, in the order the API documents and the dashboard lists them.
pub const REGISTRY: &[Report] = &[
    Report {
        name: "trends",
        description: "per day: searches, unique users, guests and IPs, zero-result and do-not-track searches",
        compute: trends::compute,
        schema: schema::<Trends>,
    },
    Report {
        name: "popular-queries",
        description: "the most searched queries (up to `limit`)",
        compute: popular_queries::compute,
        schema: schema::<QueryList>,
    },
    Report {
        name: "zero-result-queries",
        description: "queries that found nothing at least once (up to `limit`)",
        compute: zero_result_queries::compute,
        schema: schema::<QueryList>,
    },
    Report {
        name: "referrers",
        description: "referring hosts and origin pages of searches (up to `limit` each)",
        compute: referrers::compute,
        schema: schema::<Referrers>,
    },
    Report {
        name: "summary",
        description: "the window's totals: searches by kind of searcher and type, unique people, guest conversions, interactions",
        compute: summary::compute,
        schema: schema::<Summary>,
    },
    Report {
        name: "conversion",
        description: "the funnel search → click → profile view → booking",
        compute: conversion::compute,
        schema: schema::<Funnel>,
    },
    Report {
        name: "performance",
        description: "result-count distribution and problem queries (up to `limit`)",
        compute: performance::compute,
        schema: schema::<Performance>,
    },
    Report {
        name: "services",
        description: "per-service demand, bookings and completed-booking price percentiles",
        compute: services::compute,
        schema: schema::<ServiceDemandReport>,
    },
    Report {
        name: "user-behavior",
        description: "searches per person, returning searchers, devices, browsers, places",
        compute: user_behavior::compute,
        schema: schema::<UserBehavior>,
    },
];

/// One report of the registry.
#[derive(Clone, Copy)]
pub struct Report {
    /// Its path segment in the admin API and the start of its CSV file's name.
    pub name: &'static str,
    /// One line for the OpenAPI description and the dashboard.
    pub description: &'static str,
    pub compute: for<'a> fn(Inputs<'a>) -> Pending<'a>,
    /// The JSON body's schema: pushes the named schemas it needs and returns its own.
    pub schema: fn(&mut NamedSchemas) -> RefOr<Schema>,
}

impl std::fmt::Debug for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Report").field("name", &self.name).finish_non_exhaustive()
    }
}

/// What a report is computed from: the store, the window and how many rows a ranked list
/// may have (the reports without a ranked list ignore it).
#[derive(Clone, Copy)]
pub struct Inputs<'a> {
    pub store: &'a Store,
    pub window: Window,
    pub limit: usize,
}

/// The named schemas a body's schema refers to, as utoipa collects them.
pub type NamedSchemas = Vec<(String, RefOr<Schema>)>;

/// A report being computed.
pub type Pending<'a> = Pin<Box<dyn Future<Output = Result<Output, ReportError>> + Send + 'a>>;

/// A computed report: the JSON body and the CSV table of the same figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    pub body: serde_json::Value,
    pub table: Table,
}

impl Output {
    pub fn of<T: Serialize + Tabular>(figures: &T) -> Result<Output, ReportError> {
        Ok(Output { body: serde_json::to_value(figures)?, table: figures.table() })
    }
}

/// A report's figures as a table, for its CSV export.
pub trait Tabular {
    fn table(&self) -> Table;
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("report could not be encoded: {0}")]
    Encode(#[from] serde_json::Error),
}

/// The `schema` of a row whose body is `T`.
pub fn schema<T: ToSchema>(named: &mut NamedSchemas) -> RefOr<Schema> {
    named.push((T::name().into_owned(), T::schema()));
    T::schemas(named);
    Ref::from_schema_name(T::name()).into()
}

/// The row named `name`, if there is one.
pub fn find<'r>(registry: &'r [Report], name: &str) -> Option<&'r Report> {
    registry.iter().find(|r| r.name == name)
}
