//! Price: "under $80", "less than 100", "max 60", "$75/hr", "50 dollars", "over $50",
//! "at least 40", "$40-60", "between 40 and 60", "around $50", "$50 or less", "$50+",
//! "50ish", budget words ("cheap", "affordable"), and a bare number ("piano 80").
//!
//! Decisions:
//! - an amount with a currency mark ($, €, £, "dollars", "bucks", "/hr", "per hour") and no
//!   cue is a maximum ("$75/hr" = at most $75);
//! - "around $50" is ±20 % (4000–6000 cents);
//! - after a cue word a plain number is a price ("under 80"); ages and times were taken
//!   before this pass, so "kids under 5" and "after 5" never get here;
//! - a bare number with no cue ("piano 80") is a maximum price when it is a whole number in
//!   `bare_min_dollars..=bare_max_dollars` (15–1000, words.yaml), stands alone (no symbol glued
//!   to it), is not followed by a unit ("20 years", "45 min") and not preceded by a word such
//!   as "grade" or "top"; smaller numbers are too ambiguous ("algebra 2", "5 kids");
//! - a maximum and a minimum in one query make a range; otherwise the first range or
//!   approximate price wins, then the first maximum, then the first minimum;
//! - budget words give kind `budget` with no amount, and lose to any explicit price (their
//!   words are still listed in `matched`).

use super::lexicon::Tag;
use super::state::{Query, free};
use super::tokens::Use;
use super::types::{PriceConstraint, PriceKind};

/// Amounts above this many dollars are not hourly prices (and keep cents within u32).
const MAX_DOLLARS: u64 = 100_000;

#[derive(Debug, Clone, Copy)]
struct Amount {
    cents: u64,
    currency: bool,
    end: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cue {
    Max,
    Min,
    Approx,
    Range,
}

struct Item {
    kind: PriceKind,
    min: Option<u64>,
    max: Option<u64>,
    from: usize,
    to: usize,
}

fn is_currency_sym(q: &Query, i: usize) -> bool {
    q.sym(i, '$') || q.sym(i, '€') || q.sym(i, '£')
}

/// An amount at token `i`: "$50", "50$", "50 dollars", "49.99", "50/hr", "$50 per hour", "50".
fn amount_at(q: &Query, i: usize) -> Option<Amount> {
    let mut k = i;
    let mut currency = false;
    if is_currency_sym(q, i) && q.glued(i + 1) {
        currency = true;
        k = i + 1;
    }
    let n = q.num(k)?;
    if n.int > MAX_DOLLARS {
        return None;
    }
    let cents = n.int * 100 + u64::from(n.hundredths.min(99));
    let mut end = k;
    if is_currency_sym(q, end + 1) && q.glued(end + 1) {
        currency = true;
        end += 1;
    }
    if let Some(e) = q.phrase_with(end + 1, |t| t == Tag::Currency) {
        currency = true;
        end = e;
    }
    if q.sym(end + 1, '/') && q.is_free(end + 2) && q.has_tag(end + 2, |t| t == Tag::RateUnit) {
        currency = true;
        end += 2;
    } else if let Some(e) = q.phrase_with(end + 1, |t| t == Tag::RatePhrase) {
        currency = true;
        end = e;
    }
    Some(Amount { cents, currency, end })
}

/// A plain number followed by a unit is not an amount ("under 30 minutes", "over 10 years").
fn plain_with_unit(q: &Query, a: &Amount) -> bool {
    !a.currency && q.has_tag(a.end + 1, |t| matches!(t, Tag::NonPriceUnit | Tag::Experience))
}

fn cue_at(q: &Query, i: usize) -> Option<(Cue, usize)> {
    if q.sym(i, '<') {
        return Some((Cue::Max, i));
    }
    if q.sym(i, '>') {
        return Some((Cue::Min, i));
    }
    if q.sym(i, '~') {
        return Some((Cue::Approx, i));
    }
    q.longest(i, free, |tags| {
        [
            (Tag::PriceRangeCue, Cue::Range),
            (Tag::PriceMaxCue, Cue::Max),
            (Tag::PriceMinCue, Cue::Min),
            (Tag::PriceApproxCue, Cue::Approx),
        ]
        .into_iter()
        .find(|(tag, _)| tags.contains(tag))
        .map(|(_, cue)| cue)
    })
}

fn joiner_at(q: &Query, k: usize) -> Option<usize> {
    if q.sym(k, '-') {
        return Some(k);
    }
    q.phrase_with(k, |t| t == Tag::PriceJoiner)
}

/// "to $60" after a first amount: the second end of a range.
fn range_end(q: &Query, a: &Amount) -> Option<Amount> {
    let j = joiner_at(q, a.end + 1)?;
    let b = amount_at(q, j + 1)?;
    (!plain_with_unit(q, &b)).then_some(b)
}

fn range(a: &Amount, b: &Amount, from: usize) -> Item {
    Item { kind: PriceKind::Range, min: Some(a.cents.min(b.cents)), max: Some(a.cents.max(b.cents)), from, to: b.end }
}

fn single(cue: Cue, a: &Amount, from: usize) -> Item {
    let (kind, min, max) = match cue {
        // A range cue with one amount is its lower end: "from $40".
        Cue::Min | Cue::Range => (PriceKind::Min, Some(a.cents), None),
        Cue::Approx => (PriceKind::Approximate, Some(a.cents * 4 / 5), Some(a.cents * 6 / 5)),
        Cue::Max => (PriceKind::Max, None, Some(a.cents)),
    };
    Item { kind, min, max, from, to: a.end }
}

/// "$50 or less", "$50 max", "$50 and up", "$50+", "50ish" after an amount.
fn suffix_at(q: &Query, a: &Amount) -> Option<(Cue, usize)> {
    let k = a.end + 1;
    if q.sym(k, '+') && q.glued(k) {
        return Some((Cue::Min, k));
    }
    q.longest(k, free, |tags| {
        [(Tag::PriceMaxSuffix, Cue::Max), (Tag::PriceMinSuffix, Cue::Min), (Tag::PriceApproxSuffix, Cue::Approx)]
            .into_iter()
            .find(|(tag, _)| tags.contains(tag))
            .map(|(_, cue)| cue)
    })
}

fn explicit_at(q: &Query, i: usize) -> Option<Item> {
    if let Some((cue, cue_end)) = cue_at(q, i) {
        let a = amount_at(q, cue_end + 1)?;
        if plain_with_unit(q, &a) {
            return None;
        }
        if let Some(b) = range_end(q, &a) {
            // "between 40 and 60", "from $40 to $60", "around 40-60".
            return Some(range(&a, &b, i));
        }
        let mut item = single(cue, &a, i);
        if let Some((_, e)) = suffix_at(q, &a) {
            item.to = e;
        }
        return Some(item);
    }
    let a = amount_at(q, i)?;
    if plain_with_unit(q, &a) {
        return None;
    }
    if let Some(b) = range_end(q, &a) {
        let settings = q.vocab.settings;
        let plausible = |x: &Amount| (settings.bare_min_cents..=settings.bare_max_cents).contains(&x.cents);
        if a.currency || b.currency || (plausible(&a) && plausible(&b) && a.cents < b.cents) {
            return Some(range(&a, &b, i));
        }
    }
    if let Some((cue, e)) = suffix_at(q, &a) {
        let mut item = single(cue, &a, i);
        item.to = e;
        return Some(item);
    }
    a.currency.then(|| single(Cue::Max, &a, i))
}

/// "piano 80": a lone whole number read as a maximum price (see the module docs).
fn bare_at(q: &Query, i: usize) -> Option<Item> {
    let n = q.num(i)?;
    let dollars = n.whole()?;
    let cents = dollars.checked_mul(100)?;
    let s = q.vocab.settings;
    if !(s.bare_min_cents..=s.bare_max_cents).contains(&cents) {
        return None;
    }
    let touches_symbol = |k: usize| q.tok(k).is_some_and(|t| matches!(t.kind, super::tokens::Kind::Sym(_)));
    let glued_before = q.glued(i) && i > 0 && touches_symbol(i - 1);
    let glued_after = q.glued(i + 1) && touches_symbol(i + 1);
    let unit_after = q.has_tag(i + 1, |t| matches!(t, Tag::NonPriceUnit | Tag::Experience));
    // "grade 10", "top 20", "feb 30" (an impossible date is still not a price).
    let word_before = i > 0 && q.has_tag(i - 1, |t| matches!(t, Tag::NotPriceBefore | Tag::Month(_)));
    // "spanish 101" is a level.
    let level = q.has_tag(i, |t| matches!(t, Tag::Level(_)));
    if glued_before || glued_after || unit_after || word_before || level {
        return None;
    }
    Some(Item { kind: PriceKind::Max, min: None, max: Some(cents), from: i, to: i })
}

fn cents32(c: Option<u64>) -> Option<u32> {
    c.and_then(|c| u32::try_from(c).ok())
}

pub(super) fn extract(q: &mut Query) -> Option<PriceConstraint> {
    let mut items: Vec<Item> = Vec::new();
    let mut i = 0;
    while i < q.len() {
        match q.is_free(i).then(|| explicit_at(q, i)).flatten() {
            Some(item) => {
                q.consume(item.from, item.to, Use::Constraint);
                i = item.to + 1;
                items.push(item);
            }
            None => i += 1,
        }
    }
    if items.is_empty()
        && let Some(item) = (0..q.len()).find_map(|i| bare_at(q, i))
    {
        q.consume(item.from, item.to, Use::Constraint);
        items.push(item);
    }
    let mut budget_words = Vec::new();
    let mut i = 0;
    while i < q.len() {
        match q.phrase_with(i, |t| t == Tag::Budget) {
            Some(end) => {
                budget_words.push((i, end));
                q.consume(i, end, Use::Constraint);
                i = end + 1;
            }
            None => i += 1,
        }
    }

    let mut spans: Vec<(usize, usize)> = items.iter().map(|it| (it.from, it.to)).collect();
    spans.extend(budget_words.iter().copied());
    spans.sort_unstable();
    let matched: Vec<String> = spans.iter().map(|&(a, b)| q.span(a, b)).collect();

    let ranged = items.iter().find(|it| matches!(it.kind, PriceKind::Range | PriceKind::Approximate));
    let max = items.iter().find(|it| it.kind == PriceKind::Max);
    let min = items.iter().find(|it| it.kind == PriceKind::Min);
    let (kind, lo, hi) = match (ranged, max, min) {
        (Some(r), _, _) => (r.kind, r.min, r.max),
        (None, Some(hi), Some(lo)) if lo.min <= hi.max => (PriceKind::Range, lo.min, hi.max),
        (None, Some(hi), _) => (PriceKind::Max, None, hi.max),
        (None, None, Some(lo)) => (PriceKind::Min, lo.min, None),
        (None, None, None) if !budget_words.is_empty() => (PriceKind::Budget, None, None),
        (None, None, None) => return None,
    };
    Some(PriceConstraint { min_cents: cents32(lo), max_cents: cents32(hi), kind, matched })
}
