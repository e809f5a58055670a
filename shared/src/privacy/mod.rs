//! Privacy primitives: the daily-rotating secret salt that turns IPs (and other
//! identifiers used only for counting) into keyed hashes that cannot be reversed.

mod salt;

pub use salt::{DailySalt, SALT_LIFETIME_HOURS, keyed_hash};
