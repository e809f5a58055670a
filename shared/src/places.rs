//! New York's boroughs and neighborhoods (the fixed list in data/search/places.yaml):
//! which areas instructors may serve, and whether an instructor's areas cover a place.

use std::{collections::HashMap, sync::LazyLock};

use serde::Deserialize;

const PLACES: &str = include_str!("../data/search/places.yaml");

#[derive(Debug, Clone, Deserialize)]
pub struct Borough {
    pub slug: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Neighborhood {
    pub slug: String,
    pub name: String,
    pub borough: String,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct Places {
    pub boroughs: Vec<Borough>,
    pub neighborhoods: Vec<Neighborhood>,
    /// name or slug (lowercase) → borough slug, for every borough and neighborhood.
    #[serde(skip)]
    borough_of: HashMap<String, String>,
    /// name or slug (lowercase) → canonical display name.
    #[serde(skip)]
    canonical: HashMap<String, String>,
}

/// The comparison form of a place name: lowercase, hyphens and underscores as spaces,
/// apostrophes dropped ("Bed-Stuy" = "bed stuy", "Hell's Kitchen" = "hells kitchen").
fn fold(text: &str) -> String {
    let lowered: String = text
        .to_lowercase()
        .chars()
        .filter(|c| *c != '\'' && *c != '’')
        .map(|c| if c == '-' || c == '_' { ' ' } else { c })
        .collect();
    lowered.split_whitespace().collect::<Vec<_>>().join(" ")
}

static PLACES_DATA: LazyLock<Places> = LazyLock::new(|| {
    let mut places: Places = serde_yaml::from_str(PLACES).expect("data/search/places.yaml is valid (tested)");
    let index = |names: Vec<&String>, borough: &str, canonical: &str, p: &mut Places| {
        for name in names {
            p.borough_of.insert(fold(name), borough.to_owned());
            p.canonical.insert(fold(name), canonical.to_owned());
        }
    };
    for b in places.boroughs.clone() {
        let names = [&b.slug, &b.name].into_iter().chain(b.aliases.iter()).collect();
        index(names, &b.slug, &b.name, &mut places);
    }
    for n in places.neighborhoods.clone() {
        let names = [&n.slug, &n.name].into_iter().chain(n.aliases.iter()).collect();
        index(names, &n.borough, &n.name, &mut places);
    }
    places
});

pub fn places() -> &'static Places {
    &PLACES_DATA
}

impl Places {
    /// The borough slug for a borough given by slug or name ("Brooklyn", "staten_island").
    pub fn borough(&self, text: &str) -> Option<&Borough> {
        let key = fold(text);
        self.boroughs
            .iter()
            .find(|b| fold(&b.slug) == key || fold(&b.name) == key || b.aliases.iter().any(|a| fold(a) == key))
    }

    pub fn neighborhood(&self, text: &str) -> Option<&Neighborhood> {
        let key = fold(text);
        self.neighborhoods
            .iter()
            .find(|n| fold(&n.slug) == key || fold(&n.name) == key || n.aliases.iter().any(|a| fold(a) == key))
    }

    /// The canonical name of a known area (borough or neighborhood), for validating the
    /// areas an instructor serves.
    pub fn canonical_area(&self, text: &str) -> Option<&str> {
        self.canonical.get(&fold(text)).map(String::as_str)
    }

    fn borough_of(&self, area: &str) -> Option<&str> {
        self.borough_of.get(&fold(area)).map(String::as_str)
    }

    /// Whether an instructor serving `areas` teaches in person in borough `borough_slug`:
    /// they serve the whole borough or some neighborhood of it.
    pub fn covers_borough(&self, areas: &[String], borough_slug: &str) -> bool {
        areas.iter().any(|a| self.borough_of(a) == Some(borough_slug))
    }

    /// Whether `areas` cover neighborhood `slug`: the neighborhood itself or its whole
    /// borough.
    pub fn covers_neighborhood(&self, areas: &[String], slug: &str) -> bool {
        let Some(hood) = self.neighborhoods.iter().find(|n| n.slug == slug) else {
            return false;
        };
        areas.iter().any(|a| {
            self.neighborhood(a).is_some_and(|n| n.slug == hood.slug)
                || self.borough(a).is_some_and(|b| b.slug == hood.borough)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_five_boroughs_and_their_neighborhoods_load() {
        let p = places();
        assert_eq!(p.boroughs.len(), 5);
        assert!(p.neighborhoods.len() >= 60);
        assert!(p.neighborhoods.iter().all(|n| p.boroughs.iter().any(|b| b.slug == n.borough)));
        assert_eq!(p.borough("BROOKLYN").map(|b| b.slug.as_str()), Some("brooklyn"));
        assert_eq!(p.canonical_area("park slope"), Some("Park Slope"));
        assert!(p.canonical_area("Bed-Stuy").is_some(), "aliases and hyphens fold");
        assert_eq!(p.canonical_area("Atlantis"), None);
    }

    #[test]
    fn coverage() {
        let p = places();
        let areas = vec!["Manhattan".to_owned(), "Park Slope".to_owned()];
        assert!(p.covers_borough(&areas, "manhattan"));
        assert!(p.covers_borough(&areas, "brooklyn"), "a Brooklyn neighborhood is in Brooklyn");
        assert!(!p.covers_borough(&areas, "queens"));
        assert!(p.covers_neighborhood(&areas, "upper-east-side"), "whole borough covers its neighborhoods");
        assert!(p.covers_neighborhood(&areas, "park-slope"));
        assert!(!p.covers_neighborhood(&areas, "williamsburg"), "one Brooklyn neighborhood is not another");
    }
}
