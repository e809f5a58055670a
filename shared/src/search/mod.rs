//! Natural-language search (PRODUCT.md §6): the query parser (`query`) turns free text
//! into typed constraints.

pub mod query;
