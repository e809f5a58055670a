//! Natural-language search (PRODUCT.md §6): the query parser (`query`) turns free text
//! into typed constraints; the engine (`engine`) finds and ranks instructors over the
//! in-memory directory.

pub mod engine;
pub mod events;
pub mod query;

#[cfg(test)]
mod tests;
