//! Optimistic concurrency for mutable aggregates: an item carries `version`; a write
//! names the version it read and fails if the item moved on meanwhile.

use super::transact::Condition;

/// A value and the version it was read at (`None` for items never written with one, such
/// as the demo seed's; their first versioned write makes them version 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Versioned<T> {
    pub value: T,
    pub version: Option<u64>,
}

impl<T> Versioned<T> {
    /// The version as clients see it (`ETag`): never-versioned items are version 0.
    pub fn current(&self) -> u64 {
        self.version.unwrap_or(0)
    }
}

/// The condition that the stored item still exists at `expected`.
pub fn version_condition(expected: Option<u64>) -> Condition {
    match expected {
        Some(v) => Condition::version_is(v),
        None => Condition::expr("attribute_exists(PK) AND attribute_not_exists(version)"),
    }
}

/// The version a write conditioned on `expected` stores.
pub fn next_version(expected: Option<u64>) -> u64 {
    expected.unwrap_or(0) + 1
}

/// What a write expects the stored version to be: `If-Match: "<etag>", …` names the
/// acceptable ones, `If-Match: *` accepts whatever is current (the write is still atomic
/// against the version it read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Precondition {
    Any,
    OneOf(Vec<u64>),
}
