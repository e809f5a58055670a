//! Search analytics (PRODUCT.md §7): what the analytics worker records from the events
//! queue, what the daily job derives from it, and the reports the admin API and the
//! instructors' own analytics read.
//!
//! * [`apply`]: each event → its raw record and counter updates, exactly once (the
//!   processed marker is in the same transaction); enrichment with [`device`] (User-Agent)
//!   and [`place`] (request geo headers, never a third-party call).
//! * [`keys`]: the layout. Aggregates are per New York day, so a window is one Query per
//!   kind of item: [`read`], [`sets`] (distinct users, guests, sessions, IPs, searches
//!   that converted).
//! * [`reports`] and [`instructor`]: the figures; [`table`]: their CSV form; [`window`]:
//!   `days` or `start`/`end`.
//! * [`daily`]: the daily job. [`person`]: one person's analytics for export and erasure.
//!
//! Privacy: no raw IP anywhere (the search Lambda hashes it under the day's salt, see
//! `privacy`), no raw User-Agent or referrer URL stored, people in aggregates only as
//! 64-bit hashes of their random ids; do-not-track requests are counted and nothing more.

pub mod apply;
pub mod counters;
pub mod daily;
pub mod device;
pub mod events;
pub mod instructor;
pub mod keys;
pub mod person;
pub mod place;
pub mod read;
pub mod record;
pub mod reports;
pub mod sets;
pub mod stats;
pub mod table;
pub mod window;

pub use window::{Window, WindowError, WindowParams};
