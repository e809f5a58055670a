//! Coarse place of a search: an NYC borough when the request says enough, else whether it
//! came from New York at all. Only what the request itself carries is used: the client's
//! own hint (`X-Client-Borough`, e.g. the user's saved area) and the viewer headers
//! CloudFront adds (city, region, country, postal code). No third-party lookup, ever.

use crate::{places::places, search::events::Geo};

/// What the worker stores and counts: a borough slug (`manhattan`, `brooklyn`, `queens`,
/// `bronx`, `staten_island`), `nyc` (New York City, borough unknown), `outside_nyc`, or
/// `unknown`.
pub const NYC: &str = "nyc";
pub const OUTSIDE_NYC: &str = "outside_nyc";
pub const UNKNOWN: &str = "unknown";

/// Every value [`place_of`] can return, in display order.
pub const ALL: [&str; 8] = ["manhattan", "brooklyn", "queens", "bronx", "staten_island", NYC, OUTSIDE_NYC, UNKNOWN];

/// The borough of an area name (a borough or one of its neighborhoods).
fn borough_of(text: &str) -> Option<String> {
    let places = places();
    places.borough(text).map(|b| b.slug.clone()).or_else(|| places.neighborhood(text).map(|n| n.borough.clone()))
}

/// NYC ZIP codes by borough (USPS ranges; coarse on purpose).
fn borough_of_zip(zip: u32) -> Option<&'static str> {
    match zip {
        10001..=10282 => Some("manhattan"),
        10301..=10314 => Some("staten_island"),
        10451..=10475 => Some("bronx"),
        11201..=11256 => Some("brooklyn"),
        11004..=11005 | 11101..=11120 | 11351..=11385 | 11411..=11436 | 11691..=11697 => Some("queens"),
        _ => None,
    }
}

pub fn place_of(geo: &Geo) -> String {
    if let Some(borough) = geo.client_borough.as_deref().and_then(borough_of) {
        return borough;
    }
    let us = geo.country.as_deref().is_none_or(|c| c.eq_ignore_ascii_case("US"));
    if us && let Some(zip) = geo.postal_code.as_deref().and_then(|z| z.get(..5)).and_then(|z| z.parse::<u32>().ok()) {
        return borough_of_zip(zip).map(str::to_owned).unwrap_or_else(|| OUTSIDE_NYC.to_owned());
    }
    let in_new_york = us && geo.region.as_deref().is_none_or(|r| r.eq_ignore_ascii_case("NY"));
    if in_new_york && let Some(city) = geo.city.as_deref() {
        if let Some(borough) = borough_of(city) {
            return borough;
        }
        let city = city.to_ascii_lowercase();
        if city == "new york" || city == "new york city" {
            return NYC.to_owned();
        }
    }
    let known_elsewhere = geo.country.as_deref().is_some_and(|c| !c.eq_ignore_ascii_case("US"))
        || geo.region.as_deref().is_some_and(|r| !r.eq_ignore_ascii_case("NY"))
        || geo.city.is_some();
    if known_elsewhere { OUTSIDE_NYC.to_owned() } else { UNKNOWN.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn geo(city: Option<&str>, region: Option<&str>, country: Option<&str>, zip: Option<&str>) -> Geo {
        Geo {
            city: city.map(str::to_owned),
            region: region.map(str::to_owned),
            country: country.map(str::to_owned),
            postal_code: zip.map(str::to_owned),
            client_borough: None,
        }
    }

    #[test]
    fn the_clients_hint_wins_and_neighborhoods_name_their_borough() {
        let mut g = geo(Some("Boston"), Some("MA"), Some("US"), Some("02110"));
        g.client_borough = Some("Park Slope".into());
        assert_eq!(place_of(&g), "brooklyn");
        g.client_borough = Some("Queens".into());
        assert_eq!(place_of(&g), "queens");
        g.client_borough = Some("Atlantis".into());
        assert_eq!(place_of(&g), OUTSIDE_NYC, "an unknown hint falls back to the headers");
    }

    #[test]
    fn viewer_headers() {
        assert_eq!(place_of(&geo(None, Some("NY"), Some("US"), Some("11215"))), "brooklyn");
        assert_eq!(place_of(&geo(None, None, Some("US"), Some("10025-1234"))), "manhattan");
        assert_eq!(place_of(&geo(None, None, Some("US"), Some("11375"))), "queens");
        assert_eq!(place_of(&geo(None, None, Some("US"), Some("10462"))), "bronx");
        assert_eq!(place_of(&geo(None, None, Some("US"), Some("10301"))), "staten_island");
        assert_eq!(place_of(&geo(None, None, Some("US"), Some("07030"))), OUTSIDE_NYC, "Hoboken");
        assert_eq!(place_of(&geo(Some("Brooklyn"), Some("NY"), Some("US"), None)), "brooklyn");
        assert_eq!(place_of(&geo(Some("Astoria"), Some("NY"), Some("US"), None)), "queens");
        assert_eq!(place_of(&geo(Some("New York"), Some("NY"), Some("US"), None)), NYC);
        assert_eq!(place_of(&geo(Some("Buffalo"), Some("NY"), Some("US"), None)), OUTSIDE_NYC);
        assert_eq!(place_of(&geo(Some("Paris"), None, Some("FR"), Some("75001"))), OUTSIDE_NYC);
        assert_eq!(place_of(&Geo::default()), UNKNOWN);
    }
}
