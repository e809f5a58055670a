//! One-phrase constraints — lesson type and level — and the final sweep of stop words.
//!
//! Decisions:
//! - online and in-person words in one query ("online or in person") cancel out: no
//!   lesson-type constraint;
//! - the first level named wins; a level word inside a service phrase ("Basic Computer Skills")
//!   still sets the level without breaking the service phrase;
//! - cue words left without their number ("under", "after", "this") are ignored like stop
//!   words rather than reported as unmatched service words.

use super::lexicon::Tag;
use super::state::{Query, free, free_or_protected};
use super::tokens::Use;
use super::types::{LessonType, LessonTypeConstraint, Level, LevelConstraint};

pub(super) fn lesson_type(q: &mut Query) -> Option<LessonTypeConstraint> {
    let mut kinds: Vec<LessonType> = Vec::new();
    let mut matched = Vec::new();
    let mut i = 0;
    while i < q.len() {
        let found = q.longest(i, free, |tags| {
            tags.iter().find_map(|t| match *t {
                Tag::LessonType(l) => Some(l),
                _ => None,
            })
        });
        match found {
            Some((kind, end)) => {
                if !kinds.contains(&kind) {
                    kinds.push(kind);
                }
                matched.push(q.span(i, end));
                q.consume(i, end, Use::Constraint);
                i = end + 1;
            }
            None => i += 1,
        }
    }
    match kinds.as_slice() {
        [one] => Some(LessonTypeConstraint { lesson_type: *one, matched }),
        _ => None,
    }
}

pub(super) fn level(q: &mut Query) -> Option<LevelConstraint> {
    let mut level: Option<Level> = None;
    let mut matched = Vec::new();
    let mut i = 0;
    while i < q.len() {
        let found = q.longest(i, free_or_protected, |tags| {
            tags.iter().find_map(|t| match *t {
                Tag::Level(l) => Some(l),
                _ => None,
            })
        });
        match found {
            Some((l, end)) => {
                level.get_or_insert(l);
                matched.push(q.span(i, end));
                if (i..=end).all(|k| q.is_free(k)) {
                    q.consume(i, end, Use::Constraint);
                }
                i = end + 1;
            }
            None => i += 1,
        }
    }
    Some(LevelConstraint { level: level?, matched })
}

/// Tags that make a leftover word a filler (never a service word).
fn is_filler(t: Tag) -> bool {
    matches!(
        t,
        Tag::Stop
            | Tag::Or
            | Tag::PriceMaxCue
            | Tag::PriceMinCue
            | Tag::PriceApproxCue
            | Tag::PriceRangeCue
            | Tag::PriceJoiner
            | Tag::PriceMaxSuffix
            | Tag::PriceMinSuffix
            | Tag::PriceApproxSuffix
            | Tag::Currency
            | Tag::RatePhrase
            | Tag::TimeAfter
            | Tag::TimeBefore
            | Tag::TimeAt
            | Tag::TimeAround
            | Tag::TimeBetween
            | Tag::TimeJoiner
            | Tag::Am
            | Tag::Pm
            | Tag::AmLetter
            | Tag::PmLetter
            | Tag::CueThis
            | Tag::CueNext
            | Tag::CueOn
            | Tag::WeekWord
            | Tag::WeekendWord
            | Tag::Ordinal
            | Tag::OrdinalDayCue
            | Tag::DayMonthJoiner
            | Tag::AgeCue
            | Tag::AgeUnit
            | Tag::GradeWord
            | Tag::Experience
            | Tag::Month(_)
            | Tag::WholeCity
            | Tag::NonPriceUnit
            | Tag::RateUnit
    )
}

/// Marks stop words and leftover cue words as fillers, longest phrase first ("one on one",
/// "at least" left without its number).
pub(super) fn fillers(q: &mut Query) {
    let mut i = 0;
    while i < q.len() {
        match q.phrase_with(i, is_filler) {
            Some(end) => {
                q.consume(i, end, Use::Filler);
                i = end + 1;
            }
            None => i += 1,
        }
    }
}
