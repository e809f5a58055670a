//! Service matching: which services or categories the query's remaining words name.
//!
//! Runs in two steps. Before any constraint is read, [`protect`] marks multi-word service
//! phrases ("sat prep", "nyc history tours", "after school help", "music theory") so their
//! words are not taken as Saturday, a place or a time. After all constraints and stop words are
//! removed, [`resolve`] reads what is left, strongest match first (see aliases.yaml):
//! exact name > alias > category word > search term > word inside names, each possibly through
//! a typo correction made when the query was tokenized.
//!
//! Decisions:
//! - a named service means only the services it names: "guitar" is the Guitar service's exact
//!   name, so bass guitar never comes with it;
//! - several services ("piano or guitar", "piano and guitar") are all kept, in query order;
//! - a word found only inside service names ("jazz") right next to an exact service word
//!   ("jazz guitar") is a modifier and is ignored; consecutive such words keep the services
//!   they share;
//! - two exact matches side by side where one is a subset of the other mean the narrower one
//!   ("salsa dancing" = Latin dancing, "algebra math" = the algebra services);
//! - a category word next to services only describes them ("spanish or french tutoring" =
//!   Spanish and French), unless "or" makes the category itself an alternative ("music or
//!   yoga" = every music service + yoga);
//!   several categories alone stay categories ("music or art").

use super::lexicon::Tag;
use super::state::{Query, free};
use super::tokens::{Kind, Use};
use super::types::{ServiceConstraint, ServiceTarget};

/// Marks multi-word service phrases (longest first, left to right) as protected.
pub(super) fn protect(q: &mut Query) {
    let mut i = 0;
    while i < q.len() {
        let found = q.longest_node(i, free, |tags| tags.iter().any(|t| t.is_service()));
        if let Some((node, end)) = found {
            let words =
                (i..=end).filter(|&k| q.tok(k).is_some_and(|t| matches!(t.kind, Kind::Word | Kind::Num))).count();
            if words >= 2 {
                q.consume(i, end, Use::Protected);
                q.protected.push((i, end, node));
                i = end + 1;
                continue;
            }
        }
        i += 1;
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum What {
    Exact(Vec<u16>),
    Category(Vec<u16>),
    Partial(Vec<u16>),
}

struct Seg {
    from: usize,
    to: usize,
    what: What,
    used: bool,
}

fn push_unique(v: &mut Vec<u16>, items: impl IntoIterator<Item = u16>) {
    for x in items {
        if !v.contains(&x) {
            v.push(x);
        }
    }
}

/// What a phrase's tags name, strongest kind first.
fn classify(q: &Query, tags: &[Tag]) -> Option<What> {
    let collect = |f: &dyn Fn(Tag) -> Option<u16>| -> Vec<u16> {
        let mut v = Vec::new();
        push_unique(&mut v, tags.iter().filter_map(|&t| f(t)));
        v
    };
    let names = collect(&|t| match t {
        Tag::ServiceName(s) => Some(s),
        _ => None,
    });
    if !names.is_empty() {
        return Some(What::Exact(names));
    }
    let mut aliased = Vec::new();
    for t in tags {
        if let Tag::Alias(a) = *t
            && let Some(list) = q.vocab.aliases.get(usize::from(a))
        {
            push_unique(&mut aliased, list.iter().copied());
        }
    }
    if !aliased.is_empty() {
        return Some(What::Exact(aliased));
    }
    let cats = collect(&|t| match t {
        Tag::Category(c) => Some(c),
        _ => None,
    });
    if !cats.is_empty() {
        return Some(What::Category(cats));
    }
    let terms = collect(&|t| match t {
        Tag::ServiceTerm(s) => Some(s),
        _ => None,
    });
    (!terms.is_empty()).then_some(What::Exact(terms))
}

/// Tokens `a_to` and `b_from` are next to each other (a joiner symbol may sit between).
fn adjacent(q: &Query, a_to: usize, b_from: usize) -> bool {
    b_from == a_to + 1
        || (b_from == a_to + 2 && q.tok(a_to + 1).is_some_and(|t| matches!(t.kind, Kind::Sym('-' | '/'))))
}

pub(super) fn resolve(q: &mut Query) -> ServiceConstraint {
    let vocab = q.vocab;
    let lex = &vocab.lex;
    let mut segs: Vec<Seg> = Vec::new();
    for &(from, to, node) in &q.protected {
        if let Some(what) = classify(q, lex.tags(node)) {
            segs.push(Seg { from, to, what, used: false });
        }
    }
    for (i, t) in q.toks.iter().enumerate() {
        if !free(t) || !matches!(t.kind, Kind::Word | Kind::Num) {
            continue;
        }
        let Some(w) = t.word else { continue };
        let what = classify(q, lex.word_tags(w)).or_else(|| vocab.name_words.get(&w).map(|v| What::Partial(v.clone())));
        if let Some(what) = what {
            segs.push(Seg { from: i, to: i, what, used: false });
        }
    }
    segs.sort_by_key(|s| s.from);

    narrow_adjacent_exacts(q, &mut segs);
    let mut services: Vec<u16> = Vec::new();
    for s in &mut segs {
        if let What::Exact(v) = &s.what {
            push_unique(&mut services, v.iter().copied());
            s.used = true;
        }
    }
    combine_partials(q, &mut segs, &mut services);

    let is_or = |k: Option<usize>| k.is_some_and(|k| q.tags(k).contains(&Tag::Or));
    let mut categories: Vec<u16> = Vec::new();
    let specific_before_categories = !services.is_empty();
    for s in &mut segs {
        let What::Category(cs) = &s.what else {
            continue;
        };
        s.used = true;
        // "music or yoga": the category is itself one of the alternatives.
        let alternative = is_or(s.from.checked_sub(1)) || is_or(Some(s.to + 1));
        for &c in cs {
            let Some(cat) = vocab.categories.get(usize::from(c)) else {
                continue;
            };
            if !specific_before_categories {
                push_unique(&mut categories, [c]);
            } else if alternative && !cat.services.iter().any(|x| services.contains(x)) {
                push_unique(&mut services, cat.services.iter().copied());
            }
        }
    }

    let mut matched = Vec::new();
    for s in segs.iter().filter(|s| s.used) {
        matched.push(q.span(s.from, s.to));
        for k in s.from..=s.to {
            if let Some(t) = q.toks.get_mut(k)
                && matches!(t.used, Use::Free | Use::Protected)
            {
                t.used = Use::Service;
            }
        }
    }
    let unmatched = q
        .toks
        .iter()
        .filter(|t| free(t) && matches!(t.kind, Kind::Word | Kind::Num) && !q.absorbed(t))
        .map(|t| q.text.get(t.start..t.end).unwrap_or_default().to_owned())
        .collect();

    let target = if !services.is_empty() {
        ServiceTarget::Services { slugs: services.iter().map(|&s| vocab.service_slug(s).to_owned()).collect() }
    } else if !categories.is_empty() {
        ServiceTarget::Category { slugs: categories.iter().map(|&c| vocab.category_slug(c).to_owned()).collect() }
    } else {
        ServiceTarget::None
    };
    ServiceConstraint { target, matched, unmatched }
}

/// Two exact matches side by side where one names a subset of the other ("salsa dancing",
/// "ballet dance", "algebra math"): the narrower one is what is meant, for both segments.
fn narrow_adjacent_exacts(q: &Query, segs: &mut [Seg]) {
    for k in 1..segs.len() {
        let (left, right) = segs.split_at_mut(k);
        let (a, b) = (&mut left[k - 1], &mut right[0]);
        if !adjacent(q, a.to, b.from) {
            continue;
        }
        if let (What::Exact(x), What::Exact(y)) = (&a.what, &b.what) {
            let narrower = if x.iter().all(|s| y.contains(s)) {
                x.clone()
            } else if y.iter().all(|s| x.contains(s)) {
                y.clone()
            } else {
                continue;
            };
            a.what = What::Exact(narrower.clone());
            b.what = What::Exact(narrower);
        }
    }
}

/// Words found only inside names: ignored next to an exact match (modifiers),
/// otherwise the services shared by a run of such words (or all of them if none is shared).
fn combine_partials(q: &Query, segs: &mut [Seg], services: &mut Vec<u16>) {
    let mut k = 0;
    while k < segs.len() {
        if !matches!(segs[k].what, What::Partial(_)) {
            k += 1;
            continue;
        }
        let mut last = k;
        while last + 1 < segs.len()
            && matches!(segs[last + 1].what, What::Partial(_))
            && adjacent(q, segs[last].to, segs[last + 1].from)
        {
            last += 1;
        }
        let (from, to) = (segs[k].from, segs[last].to);
        let next_to_exact = segs
            .iter()
            .any(|s| matches!(s.what, What::Exact(_)) && (adjacent(q, s.to, from) || adjacent(q, to, s.from)));
        if !next_to_exact {
            let sets: Vec<&Vec<u16>> = segs[k..=last]
                .iter()
                .filter_map(|s| match &s.what {
                    What::Partial(v) => Some(v),
                    _ => None,
                })
                .collect();
            let shared: Vec<u16> = sets
                .first()
                .map(|first| first.iter().copied().filter(|x| sets.iter().all(|s| s.contains(x))).collect())
                .unwrap_or_default();
            if shared.is_empty() {
                for s in &sets {
                    push_unique(services, s.iter().copied());
                }
            } else {
                push_unique(services, shared);
            }
            for s in &mut segs[k..=last] {
                s.used = true;
            }
        }
        k = last + 1;
    }
}
