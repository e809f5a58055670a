//! Audience: group words ("kids", "teens", "adults"), ages ("for my 8 year old", "8yo",
//! "age 8", "ages 5-7", "kids under 5"), and school grades ("5th grade").
//!
//! Decisions:
//! - an age maps to a group as PRODUCT §6 says: ≤ 18 → kids, older → adults; the age itself is
//!   kept so the search engine can be finer (e.g. treat 13–18 as teens too);
//! - grades 0–8 are kids, 9–12 teens;
//! - an explicit group word wins over the group derived from an age ("my 16 year old teen"
//!   → teens, age 16);
//! - numbers read as ages are consumed here, before prices, so "kids under 5" is never $5;
//!   after "kids" (or "teens") a number above 18 is not an age ("kids under 25" is a price);
//! - "N years experience" is about the instructor, not the student: no audience.

use super::lexicon::Tag;
use super::state::{Query, free, free_or_protected};
use super::tokens::{Kind, Use};
use super::types::{AudienceConstraint, AudienceGroup};

/// The oldest age a "kids"/"teens" qualifier may name ("kids 5-7", "teens under 16").
const MINOR_MAX_AGE: u64 = 18;

fn group_for_age(age: u64) -> AudienceGroup {
    if age <= MINOR_MAX_AGE { AudienceGroup::Kids } else { AudienceGroup::Adults }
}

fn group_for_grade(grade: u64) -> Option<AudienceGroup> {
    match grade {
        0..=8 => Some(AudienceGroup::Kids),
        9..=12 => Some(AudienceGroup::Teens),
        _ => None,
    }
}

#[derive(Default)]
struct Found {
    group_word: Option<AudienceGroup>,
    derived: Option<AudienceGroup>,
    age: Option<u8>,
    matched: Vec<String>,
}

impl Found {
    fn age(&mut self, n: u64, exact: bool) {
        self.derived.get_or_insert(group_for_age(n));
        if exact && self.age.is_none() {
            self.age = u8::try_from(n).ok();
        }
    }
}

pub(super) fn extract(q: &mut Query) -> Option<AudienceConstraint> {
    let max_age = u64::from(q.vocab.settings.max_age);
    let mut found = Found::default();
    let mut i = 0;
    while i < q.len() {
        if let Some((n, end)) = age_with_unit(q, i, max_age) {
            found.age(n, true);
            take(q, &mut found, i, end);
            i = end + 1;
        } else if let Some((n, exact, end)) = age_after_cue(q, i, max_age) {
            found.age(n, exact);
            take(q, &mut found, i, end);
            i = end + 1;
        } else if let Some((g, end)) = grade(q, i) {
            found.derived.get_or_insert(g);
            take(q, &mut found, i, end);
            i = end + 1;
        } else if let Some((g, end)) = group_word(q, i) {
            found.group_word.get_or_insert(g);
            let all_free = (i..=end).all(|k| q.is_free(k));
            if all_free {
                // "kids under 5", "kids 5-7", "kids ages 4 to 6": the number is an age.
                let limit = if g == AudienceGroup::Adults { max_age } else { MINOR_MAX_AGE };
                let to = match qualifier(q, end + 1, limit) {
                    Some((n, exact, e)) => {
                        found.age(n, exact);
                        e
                    }
                    None => end,
                };
                take(q, &mut found, i, to);
                i = to + 1;
            } else {
                // Inside a service phrase ("robotics for kids"): read, not consumed.
                found.matched.push(q.span(i, end));
                i = end + 1;
            }
        } else if let Some((n, end)) = under_years(q, i, max_age) {
            found.age(n, false);
            take(q, &mut found, i, end);
            i = end + 1;
        } else {
            i += 1;
        }
    }
    let group = found.group_word.or(found.derived)?;
    Some(AudienceConstraint { group, age: found.age, matched: found.matched })
}

fn take(q: &mut Query, found: &mut Found, from: usize, to: usize) {
    found.matched.push(q.span(from, to));
    q.consume(from, to, Use::Constraint);
}

fn group_word(q: &Query, i: usize) -> Option<(AudienceGroup, usize)> {
    q.longest(i, free_or_protected, |tags| {
        tags.iter().find_map(|t| match *t {
            Tag::Audience(g) => Some(g),
            _ => None,
        })
    })
}

fn whole(q: &Query, i: usize) -> Option<u64> {
    q.num(i).and_then(|n| n.whole())
}

/// "8 year old", "8-year-old", "8yo", "8 y/o".
fn age_with_unit(q: &Query, i: usize, max_age: u64) -> Option<(u64, usize)> {
    let n = whole(q, i).filter(|n| *n <= max_age)?;
    let k = if q.sym(i + 1, '-') { i + 2 } else { i + 1 };
    let end = q.phrase_with(k, |t| t == Tag::AgeUnit)?;
    Some((n, end))
}

/// A number, or a range "5-7" / "5 to 7", with an optional "+" / "and up" / "and under".
/// Returns (first number, single?, last token).
fn age_numbers(q: &Query, k: usize, limit: u64) -> Option<(u64, bool, usize)> {
    let n = whole(q, k).filter(|n| *n <= limit)?;
    let mut end = k;
    let mut exact = true;
    let joiner = if q.sym(end + 1, '-') {
        Some(end + 1)
    } else {
        q.phrase_with(end + 1, |t| matches!(t, Tag::PriceJoiner | Tag::TimeJoiner))
    };
    if let Some(j) = joiner
        && whole(q, j + 1).is_some_and(|m| m <= limit && m >= n)
    {
        end = j + 1;
        exact = false;
    }
    if q.sym(end + 1, '+') {
        end += 1;
        exact = false;
    } else if let Some(e) = q.phrase_with(end + 1, |t| matches!(t, Tag::PriceMaxSuffix | Tag::PriceMinSuffix)) {
        end = e;
        exact = false;
    }
    // "5 years", "5 yrs" after an age number.
    if let Some(e) = q.phrase_with(end + 1, |t| matches!(t, Tag::AgeUnderUnit | Tag::AgeUnit)) {
        end = e;
    }
    Some((n, exact, end))
}

/// "age 8", "aged 8", "ages 5-7".
fn age_after_cue(q: &Query, i: usize, max_age: u64) -> Option<(u64, bool, usize)> {
    let cue_end = q.phrase_with(i, |t| t == Tag::AgeCue)?;
    age_numbers(q, cue_end + 1, max_age)
}

/// What may follow a group word: "ages 5-7", "under 5", "5 and up", "5-7".
fn qualifier(q: &Query, k: usize, limit: u64) -> Option<(u64, bool, usize)> {
    if let Some(found) = age_after_cue(q, k, limit) {
        return Some(found);
    }
    if let Some(cue_end) = q.phrase_with(k, |t| matches!(t, Tag::PriceMaxCue | Tag::PriceMinCue)) {
        let (n, _, end) = age_numbers(q, cue_end + 1, limit)?;
        return Some((n, false, end));
    }
    age_numbers(q, k, limit)
}

/// "under 5s", "under 10 years": an age bound without a group word.
fn under_years(q: &Query, i: usize, max_age: u64) -> Option<(u64, usize)> {
    let cue_end = q.phrase_with(i, |t| matches!(t, Tag::PriceMaxCue | Tag::PriceMinCue))?;
    let n = whole(q, cue_end + 1).filter(|n| *n <= max_age)?;
    let end = q.phrase_with(cue_end + 2, |t| t == Tag::AgeUnderUnit)?;
    // "over 10 years experience" is about the instructor.
    if q.has_tag(end + 1, |t| t == Tag::Experience) {
        return None;
    }
    Some((n, end))
}

/// "5th grade", "5th graders", "grade 10".
fn grade(q: &Query, i: usize) -> Option<(AudienceGroup, usize)> {
    if let Some(n) = whole(q, i) {
        let ordinal = q.glued(i + 1)
            && q.tok(i + 1).is_some_and(|t| free(t) && t.kind == Kind::Word)
            && q.has_tag(i + 1, |t| t == Tag::Ordinal);
        let k = if ordinal { i + 2 } else { i + 1 };
        let end = q.phrase_with(k, |t| t == Tag::GradeWord)?;
        return Some((group_for_grade(n)?, end));
    }
    let cue_end = q.phrase_with(i, |t| t == Tag::GradeWord)?;
    let n = whole(q, cue_end + 1)?;
    Some((group_for_grade(n)?, cue_end + 1))
}
