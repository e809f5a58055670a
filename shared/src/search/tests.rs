//! The engine over the demo data (pure: an in-memory directory, a fixed "now").

use std::collections::BTreeSet;

use jiff::Timestamp;
use proptest::prelude::*;

use super::{
    engine::{self, Relaxable},
    query::{self, ServiceTarget},
};
use crate::{clock::lesson_zone, directory::Directory, instructors::LocationType, places::places, seed::SeedData};

fn directory() -> Directory {
    SeedData::demo().unwrap().directory().unwrap()
}

fn now() -> Timestamp {
    "2026-11-26T15:00:00Z".parse().unwrap()
}

/// The hits a rule applies to in full: those that did not relax `rule`. A rule checked
/// over no hits checks nothing, so the set must not be empty.
fn unrelaxed<'o, 'a>(q: &str, outcome: &'o engine::Outcome<'a>, rule: Relaxable) -> Vec<&'o engine::Hit<'a>> {
    let hits: Vec<_> = outcome.hits.iter().filter(|h| !h.relaxed.contains(&rule)).collect();
    assert!(!hits.is_empty(), "{q}: no hit keeps the {rule:?} rule, so the test would check nothing");
    hits
}

fn run<'a>(dir: &'a Directory, q: &str) -> (query::ParsedQuery, engine::Outcome<'a>) {
    let parsed = query::parse(q, now().to_zoned_datetime(lesson_zone()), dir.vocabulary());
    let data = dir.search_data();
    // The outcome borrows the directory, not the transient SearchData.
    let outcome = engine::search(&data, &parsed, now());
    (parsed, outcome)
}

#[test]
fn a_named_service_returns_only_that_service() {
    let dir = directory();
    for service in ["piano", "guitar", "yoga", "spanish"] {
        let (_, outcome) = run(&dir, service);
        assert!(!outcome.hits.is_empty(), "{service}");
        for hit in &outcome.hits {
            assert!(hit.offerings.iter().all(|o| o.service == service), "{service}: {:?}", hit.offerings);
        }
        let expected: BTreeSet<&str> = dir
            .listed()
            .filter(|p| p.active_offerings().any(|o| o.service == service))
            .map(|p| p.id.as_str())
            .collect();
        let got: BTreeSet<&str> = outcome.hits.iter().map(|h| h.instructor.id.as_str()).collect();
        assert_eq!(got, expected, "{service}");
    }
}

#[test]
fn an_unrelaxed_price_is_never_violated() {
    let dir = directory();
    for (q, max) in [("piano under $100", 10_000), ("yoga under 80", 8_000), ("lessons under $60", 6_000)] {
        let (_, outcome) = run(&dir, q);
        for hit in unrelaxed(q, &outcome, Relaxable::Price) {
            assert!(hit.offerings[0].rate_cents.0 <= max, "{q}: {}", hit.offerings[0].rate_cents);
        }
        for hit in outcome.hits.iter().filter(|h| h.relaxed.contains(&Relaxable::Price)) {
            assert!(hit.offerings[0].rate_cents.0 <= max * 125 / 100, "{q}: relaxed at most 25%");
        }
    }
}

#[test]
fn a_borough_only_returns_in_person_offerings_covering_it_unless_online_is_asked() {
    let dir = directory();
    let (_, outcome) = run(&dir, "tutoring in queens");
    for hit in unrelaxed("tutoring in queens", &outcome, Relaxable::Place) {
        assert!(hit.offerings[0].offers(LocationType::InPerson));
        assert!(places().covers_borough(&hit.instructor.areas, "queens"), "{:?}", hit.instructor.areas);
    }
    let (_, online) = run(&dir, "spanish online in queens");
    assert!(!online.hits.is_empty());
    for hit in &online.hits {
        assert!(hit.offerings[0].offers(LocationType::Online));
    }
}

#[test]
fn a_time_constraint_only_returns_instructors_bookable_then() {
    let dir = directory();
    // Thursday 2026-11-26 is "today"; tomorrow is Friday. Morning-only instructors teach 7-12.
    let (parsed, outcome) = run(&dir, "lessons tomorrow after 6pm");
    assert!(parsed.time.is_some() && parsed.date.is_some());
    let exact: Vec<_> = outcome.hits.iter().filter(|h| h.relaxed.is_empty()).collect();
    assert!(!exact.is_empty(), "some instructor is bookable tomorrow evening, so the rule is checked");
    for hit in exact {
        let slot = hit.next_available.expect("a matching result shows its slot");
        assert_eq!(slot.date.to_string(), "2026-11-27");
        assert!(slot.slot.time >= jiff::civil::time(18, 0, 0, 0), "{:?}", slot);
    }
}

#[test]
fn relaxation_reports_what_it_relaxed_and_ranking_is_deterministic() {
    let dir = directory();
    let (_, first) = run(&dir, "yoga in queens tonight");
    let (_, second) = run(&dir, "yoga in queens tonight");
    let ids = |o: &engine::Outcome<'_>| o.hits.iter().map(|h| h.instructor.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&first), ids(&second));
    assert!(!first.relaxed.is_empty(), "two yoga instructors in Queens tonight is fewer than five");
    let union: BTreeSet<Relaxable> = first.hits.iter().flat_map(|h| h.relaxed.iter().copied()).collect();
    assert_eq!(union, first.relaxed);
    let scores: Vec<f64> = first.hits.iter().map(|h| h.score).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
}

#[test]
fn budget_words_resolve_to_the_cheapest_third_and_lose_to_an_explicit_price() {
    let dir = directory();
    let (_, cheap) = run(&dir, "cheap spanish");
    let ceiling = cheap.budget_ceiling.expect("a ceiling from the data");
    let mut rates: Vec<u32> = dir
        .listed()
        .flat_map(|p| p.active_offerings().filter(|o| o.service == "spanish").map(|o| o.rate_cents.0))
        .collect();
    rates.sort();
    assert!(rates.iter().filter(|r| **r <= ceiling.0).count() * 3 >= rates.len());
    let (_, explicit) = run(&dir, "cheap spanish under $70");
    assert_eq!(explicit.budget_ceiling, None);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn relaxation_never_drops_the_service(
        service in prop::sample::select(vec!["piano", "guitar", "yoga", "spanish", "sat-prep", "tennis", "chess", "pottery"]),
        price in prop::option::of(10u32..200),
        borough in prop::option::of(prop::sample::select(vec!["brooklyn", "queens", "bronx", "staten island", "manhattan"])),
        when in prop::option::of(prop::sample::select(vec!["tomorrow", "tonight", "this weekend", "after 8pm", "monday morning"])),
        level in prop::option::of(prop::sample::select(vec!["beginner", "advanced"])),
    ) {
        let dir = directory();
        let mut q = service.replace('-', " ");
        if let Some(p) = price { q.push_str(&format!(" under ${p}")); }
        if let Some(b) = borough { q.push_str(&format!(" in {b}")); }
        if let Some(w) = when { q.push(' '); q.push_str(w); }
        if let Some(l) = level { q.push(' '); q.push_str(l); }
        let (parsed, outcome) = run(&dir, &q);
        let asked = match &parsed.service.target { ServiceTarget::Services { slugs } => slugs.clone(), other => panic!("{q}: {other:?}") };
        for hit in &outcome.hits {
            prop_assert!(hit.offerings.iter().all(|o| asked.contains(&o.service)), "{}: {:?}", q, hit.offerings);
        }
    }
}
