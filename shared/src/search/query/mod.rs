//! Natural-language search query parser (PRODUCT §6, "Understanding the query").
//!
//! `parse("piano under $80 in brooklyn tomorrow after 5pm", now, &vocab)` returns typed
//! constraints — service, price, audience, level, lesson type, place, date, time — each with
//! the words that produced it, the words left for the service match, and a corrected query
//! when a typo was fixed. Parsing is pure (no I/O, no clock, no randomness), deterministic,
//! and total: it never panics, whatever the input.
//!
//! Word lists live in `shared/data/search/` (words.yaml, places.yaml, aliases.yaml) and are
//! embedded at compile time; [`Vocabulary::new`] compiles them with the catalog once.
//!
//! How a query is read, in order (each step only sees the words earlier steps left):
//! 1. tokens: lowercase, accents folded, numbers and `$ - / : + ~ < >` kept; unknown words get
//!    a plural/singular retry, then a typo correction (see `fuzzy.rs`);
//! 2. multi-word service phrases are protected ("sat prep", "nyc history tours");
//! 3. dates, 4. times, 5. audience and ages (before prices, so "kids under 5" is not $5),
//!    6. prices and budget words, 7. places, 8. lesson type, 9. level;
//! 10. stop words and cue words left without a number are dropped;
//! 11. what remains names the service (see `service.rs`).
//!
//! The decisions on ambiguous points are documented in each step's module.

mod attributes;
mod audience;
mod data;
mod date;
mod fuzzy;
mod lexicon;
mod place;
mod price;
mod service;
mod state;
mod time;
mod tokens;
mod types;
mod vocabulary;

#[cfg(test)]
mod tests;

use jiff::ZonedDateTime;

pub use types::{
    AudienceConstraint, AudienceGroup, Borough, Correction, DateConstraint, DateKind, LessonType, LessonTypeConstraint,
    Level, LevelConstraint, Neighborhood, ParsedQuery, PlaceConstraint, PriceConstraint, PriceKind, ServiceConstraint,
    ServiceTarget, TimeConstraint, TimeKind,
};
pub use vocabulary::{CategoryTerms, ServiceTerms, Vocabulary};

/// Parses a free-text search query.
///
/// `now` should be in America/New_York; it is converted to New York time anyway, so "today"
/// is always the New York date. Queries longer than 1024 bytes are read up to that length.
pub fn parse(query: &str, now: ZonedDateTime, vocab: &Vocabulary) -> ParsedQuery {
    let now = match &vocab.time_zone {
        Some(tz) => now.with_time_zone(tz.clone()),
        None => now,
    };
    let today = now.date();

    let mut q = state::Query::new(query, vocab);
    service::protect(&mut q);
    let dates = date::extract(&mut q, today);
    let time = time::extract(&mut q, dates.part_of_day);
    let audience = audience::extract(&mut q);
    let price = price::extract(&mut q);
    let place = place::extract(&mut q);
    let lesson_type = attributes::lesson_type(&mut q);
    let level = attributes::level(&mut q);
    attributes::fillers(&mut q);
    let service = service::resolve(&mut q);
    let (corrections, corrected_query) = q.corrections(query);
    let remaining_text = q.remaining_text();

    ParsedQuery {
        service,
        price,
        audience,
        level,
        lesson_type,
        place,
        date: dates.constraint,
        time,
        corrected_query,
        corrections,
        remaining_text,
    }
}
