//! Place: the five boroughs, NYC neighborhoods (with their borough) and their aliases
//! (places.yaml), and "near me".
//!
//! Decisions:
//! - "nyc", "new york", "new york city" add no constraint (every instructor is in NYC) but are
//!   recognised, so they do not count as unmatched service words;
//! - a neighborhood implies its borough; when several places are named the first neighborhood
//!   wins, then the first borough ("park slope brooklyn" = Park Slope, Brooklyn); the others
//!   are consumed and listed in `matched`;
//! - "near me" sets `near_me` (the search engine uses the caller's saved area), alone or with
//!   a named place.

use super::lexicon::Tag;
use super::state::{Query, free};
use super::tokens::Use;
use super::types::{Borough, Neighborhood, PlaceConstraint};

#[derive(Clone, Copy)]
enum Hit {
    Neighborhood(u16),
    Borough(Borough),
    NearMe,
    WholeCity,
}

pub(super) fn extract(q: &mut Query) -> Option<PlaceConstraint> {
    let mut borough: Option<Borough> = None;
    let mut neighborhood: Option<Neighborhood> = None;
    let mut near_me = false;
    let mut matched = Vec::new();
    let mut i = 0;
    while i < q.len() {
        let hit = q.longest(i, free, |tags| {
            tags.iter()
                .find_map(|t| match *t {
                    Tag::Neighborhood(n) => Some(Hit::Neighborhood(n)),
                    _ => None,
                })
                .or_else(|| {
                    tags.iter().find_map(|t| match *t {
                        Tag::Borough(b) => Some(Hit::Borough(b)),
                        Tag::NearMe => Some(Hit::NearMe),
                        Tag::WholeCity => Some(Hit::WholeCity),
                        _ => None,
                    })
                })
        });
        let Some((hit, end)) = hit else {
            i += 1;
            continue;
        };
        match hit {
            Hit::Neighborhood(n) => {
                if neighborhood.is_none()
                    && let Some(info) = q.vocab.neighborhoods.get(usize::from(n))
                {
                    neighborhood = Some(Neighborhood { slug: info.slug.clone(), name: info.name.clone() });
                    borough = Some(info.borough);
                }
                matched.push(q.span(i, end));
                q.consume(i, end, Use::Constraint);
            }
            Hit::Borough(b) => {
                borough.get_or_insert(b);
                matched.push(q.span(i, end));
                q.consume(i, end, Use::Constraint);
            }
            Hit::NearMe => {
                near_me = true;
                matched.push(q.span(i, end));
                q.consume(i, end, Use::Constraint);
            }
            Hit::WholeCity => q.consume(i, end, Use::Filler),
        }
        i = end + 1;
    }
    if borough.is_none() && !near_me {
        return None;
    }
    Some(PlaceConstraint { borough, neighborhood, near_me, matched })
}
