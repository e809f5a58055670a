//! Search benchmarks (BENCHMARKS.md): parse time per query, and search time per query over
//! the demo data and over a generated directory of 5,000 instructors × 3 offerings, beside
//! a baseline measured in the same run (serialising a typical search response to JSON).
//!
//!   cargo bench -p instainstru-shared --bench search
//!
//! Criterion reports the mean/median; the percentile pass at the end prints p50 and p99 of
//! single-query timings, which is what a user feels.

use instainstru_shared::ids::{InstructorId, OfferingId};
use std::{collections::HashMap, hint::black_box, time::Instant};

use criterion::{Criterion, criterion_group};
use instainstru_shared::{
    availability::Schedule,
    clock::lesson_zone,
    directory::Directory,
    instructors::{AgeGroup, InstructorProfile, Level, LocationType, Offering},
    money::Cents,
    search::{engine, query},
    seed::SeedData,
};
use jiff::Timestamp;

const QUERIES: [&str; 10] = [
    "piano under $80 in brooklyn tomorrow after 5pm",
    "guitar",
    "spanish for kids online",
    "cheap yoga in queens",
    "sat prep this saturday morning",
    "piono lessons",
    "math tutor for my 8 year old",
    "tennis or swimming near park slope",
    "advanced violin around $100",
    "lessons this weekend",
];

fn now() -> Timestamp {
    "2026-11-26T15:00:00Z".parse().expect("valid instant")
}

/// A deterministic generator (no randomness between runs).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() as usize) % items.len()]
    }
}

/// 5,000 instructors × 3 offerings over the real catalog, areas and weekly patterns.
fn generated(seed: &SeedData) -> Directory {
    let mut rng = Lcg(42);
    let services: Vec<_> = seed.catalog.services.iter().collect();
    let areas = ["Manhattan", "Brooklyn", "Queens", "Bronx", "Staten Island", "Park Slope", "Astoria", "Harlem"];
    let patterns: Vec<Schedule> =
        seed.patterns.values().map(|p| Schedule::from_template(p.template().expect("valid"))).collect();
    let mut profiles = Vec::new();
    let mut schedules = HashMap::new();
    for i in 0..5_000u64 {
        let id = InstructorId::trusted(instainstru_shared::ids::deterministic_id(
            1_751_328_000_000 + i,
            &format!("bench{i}"),
        ));
        let offerings = (0..3)
            .map(|k| {
                let service = rng.pick(&services);
                Offering {
                    id: OfferingId::trusted(format!("{id}-{k}")),
                    service: service.slug.clone(),
                    rate_cents: Cents(3_000 + (rng.next() % 150) as u32 * 100),
                    durations: vec![30, 45, 60],
                    levels: if rng.next().is_multiple_of(2) {
                        vec![]
                    } else {
                        vec![Level::Beginner, Level::Intermediate]
                    },
                    age_groups: if rng.next().is_multiple_of(3) { vec![AgeGroup::Kids] } else { vec![] },
                    location_types: if service.online_capable && rng.next().is_multiple_of(2) {
                        vec![LocationType::InPerson, LocationType::Online]
                    } else {
                        vec![LocationType::InPerson]
                    },
                    description: "A generated offering".into(),
                    equipment: vec![],
                    active: true,
                }
            })
            .collect();
        profiles.push(InstructorProfile {
            id: id.clone(),
            full_name: format!("Instructor {i}"),
            bio: "A generated instructor with enough of a bio to be listed in search results.".into(),
            years_experience: (rng.next() % 30) as u8,
            areas: vec![rng.pick(&areas).to_string(), rng.pick(&areas).to_string()],
            settings: Default::default(),
            offerings,
            status: instainstru_shared::accounts::AccountStatus::Active,
        });
        schedules.insert(id, rng.pick(&patterns).clone());
    }
    Directory::new(seed.catalog.clone(), profiles, schedules, HashMap::new())
}

fn run(dir: &Directory, q: &str) -> usize {
    let parsed = query::parse(q, now().to_zoned_datetime(lesson_zone()), dir.vocabulary());
    let data = dir.search_data();
    engine::search(&data, &parsed, now()).hits.len()
}

/// The baseline: serialising a typical response (20 results' worth of profiles).
fn baseline_payload(dir: &Directory) -> Vec<instainstru_shared::instructors::PublicInstructor> {
    dir.listed().take(20).map(|p| instainstru_shared::instructors::PublicInstructor::new(p, &dir.catalog)).collect()
}

fn benches(c: &mut Criterion) {
    let seed = SeedData::demo().expect("seed data");
    let demo = seed.directory().expect("demo directory");
    let big = generated(&seed);
    let payload = baseline_payload(&demo);

    c.bench_function("baseline: serialise a 20-result response", |b| {
        b.iter(|| serde_json::to_vec(black_box(&payload)))
    });
    c.bench_function("parse: 10 queries", |b| {
        b.iter(|| {
            for q in QUERIES {
                black_box(query::parse(black_box(q), now().to_zoned_datetime(lesson_zone()), demo.vocabulary()));
            }
        })
    });
    c.bench_function("search demo (68 instructors): 10 queries", |b| {
        b.iter(|| QUERIES.iter().map(|q| run(&demo, q)).sum::<usize>())
    });
    c.bench_function("search generated (5,000 instructors x 3): 10 queries", |b| {
        b.iter(|| QUERIES.iter().map(|q| run(&big, q)).sum::<usize>())
    });
}

/// p50/p99 of single operations, printed for BENCHMARKS.md.
fn percentiles() {
    let seed = SeedData::demo().expect("seed data");
    let demo = seed.directory().expect("demo directory");
    let big = generated(&seed);
    let payload = baseline_payload(&demo);
    let measure = |name: &str, f: &mut dyn FnMut(usize)| {
        let mut samples = Vec::with_capacity(20_000);
        for i in 0..20_000 {
            let t = Instant::now();
            f(i);
            samples.push(t.elapsed().as_nanos() as f64 / 1_000.0);
        }
        samples.sort_by(f64::total_cmp);
        let p = |q: f64| samples[((samples.len() as f64 - 1.0) * q) as usize];
        println!("{name:<52} p50 {:>9.2} µs   p99 {:>9.2} µs", p(0.50), p(0.99));
        (p(0.50), p(0.99))
    };
    println!("\nsingle-operation percentiles (20,000 runs each, queries cycled)");
    let (base50, base99) = measure("baseline: serialise a 20-result response", &mut |_| {
        black_box(serde_json::to_vec(&payload).map(|v| v.len()).unwrap_or(0));
    });
    let (parse50, parse99) = measure("parse one query", &mut |i| {
        black_box(query::parse(QUERIES[i % QUERIES.len()], now().to_zoned_datetime(lesson_zone()), demo.vocabulary()));
    });
    let (demo50, demo99) = measure("search one query, demo data", &mut |i| {
        black_box(run(&demo, QUERIES[i % QUERIES.len()]));
    });
    let (big50, big99) = measure("search one query, 5,000 instructors x 3 offerings", &mut |i| {
        black_box(run(&big, QUERIES[i % QUERIES.len()]));
    });
    println!(
        "ratios to the baseline (p50 / p99): parse {:.2} / {:.2}, demo {:.2} / {:.2}, 5,000 {:.2} / {:.2}",
        parse50 / base50,
        parse99 / base99,
        demo50 / base50,
        demo99 / base99,
        big50 / base50,
        big99 / base99
    );
}

criterion_group!(search_benches, benches);

fn main() {
    search_benches();
    percentiles();
    Criterion::default().configure_from_args().final_summary();
}
