//! The daily job over 1,000,000 events. The job reads aggregates, never raw events, so
//! the bench generates a million events over 30 New York days, folds each into the
//! counter updates the worker would commit for it (the worker's own effect functions),
//! writes the resulting aggregate items into the local platform's store (dynoxide, in
//! process, over the seeded catalog) and times `daily::run` for the last day. Baseline, in
//! the same run: the same job over the same catalog with no events at all.
//!
//!     cargo bench -p instainstru-analytics --bench daily_job
//!
//! (`--profile dev` for an unoptimised build; BENCHMARKS.md says which one a figure is.)

use std::{collections::BTreeMap, time::Instant};

use instainstru_shared::{
    analytics::{
        apply::{self, BookingFacts, Effects, day_of},
        counters::Update,
        daily,
        events::{InteractionPayload, InteractionType},
    },
    search::events::SearchPayload,
    store::Key,
};
use instainstru_testkit::{
    TestEnv,
    generate::{Generator, SERVICES},
};
use jiff::{SignedDuration, Timestamp};

const EVENTS: usize = 1_000_000;
const DAYS: i64 = 30;

fn fold(into: &mut BTreeMap<(String, String), Update>, effects: Effects) {
    for (key, update) in effects.updates() {
        let merged = into.entry(key.clone()).or_default();
        for (attribute, by) in update.adds() {
            merged.add(attribute.clone(), *by);
        }
        for (attribute, value) in update.strings() {
            merged.set_string(attribute, value.clone());
        }
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let now: Timestamp = TestEnv::DEFAULT_NOW.parse().unwrap();
        let day = daily::day_for_schedule(now);

        // Baseline: the job over the seeded catalog, no events.
        let empty = TestEnv::seeded().await;
        let started = Instant::now();
        daily::run(&empty.store, now, day).await.unwrap();
        let baseline = started.elapsed();

        // A million events, folded into aggregates exactly as the worker would.
        let generated = Instant::now();
        let mut g = Generator::new(42, 5000, 5000, 200);
        let mut aggregates: BTreeMap<(String, String), Update> = BTreeMap::new();
        let mut recent = Vec::new();
        let span = DAYS * 24 * 3600;
        for i in 0..EVENTS {
            let at = now - SignedDuration::from_secs(12 * 3600 + (i as i64 * span / EVENTS as i64));
            let effects = match i % 20 {
                0..=13 => {
                    let envelope = g.search(at);
                    let payload: SearchPayload = serde_json::from_value(envelope.payload.clone()).unwrap();
                    let record = apply::search_record(&envelope.id, at, &payload, i % 3 == 0);
                    if recent.len() < 64 {
                        recent.push(envelope);
                    } else {
                        recent[i % 64] = envelope;
                    }
                    apply::search_effects(&record, at).unwrap()
                }
                14..=18 => {
                    let search = recent[g.below(recent.len())].clone();
                    let kind = [InteractionType::Click, InteractionType::ViewProfile, InteractionType::Book][i % 3];
                    match g.interaction(&search, kind) {
                        Some(e) => {
                            let payload: InteractionPayload = serde_json::from_value(e.payload.clone()).unwrap();
                            let record = apply::interaction_record(&e.id, at, payload).unwrap();
                            apply::interaction_effects(&record, at).unwrap()
                        }
                        None => Effects::default(),
                    }
                }
                _ => {
                    let kind = if i % 40 == 19 { "booking.created" } else { "booking.completed" };
                    let e = g.booking(kind, at);
                    let facts: BookingFacts = serde_json::from_value(e.payload.clone()).unwrap();
                    apply::booking_effects(kind, day_of(at), &facts).unwrap()
                }
            };
            fold(&mut aggregates, effects);
        }
        let items = aggregates.len();
        let env = TestEnv::seeded().await;
        for ((pk, sk), update) in &aggregates {
            // A day's set shards hold thousands of members: written 100 attributes per
            // update (an update expression is limited in size), as the worker's many
            // small updates would have built them.
            let adds: Vec<(&String, &i64)> = update.adds().iter().collect();
            for (i, chunk) in adds.chunks(100).enumerate() {
                let mut part = Update::default();
                for (attribute, by) in chunk {
                    part.add((*attribute).clone(), **by);
                }
                if i == 0 {
                    for (attribute, value) in update.strings() {
                        part.set_string(attribute, value.clone());
                    }
                }
                let action = part.action("aggregate", &Key::new(pk.clone(), sk.clone())).unwrap();
                env.store.transact(&[action]).await.unwrap();
            }
        }
        let prepared = generated.elapsed();

        let started = Instant::now();
        let outcome = daily::run(&env.store, now, day).await.unwrap();
        let job = started.elapsed();
        let again = Instant::now();
        daily::run(&env.store, now, day).await.unwrap();
        let rerun = again.elapsed();

        println!(
            "{EVENTS} events over {DAYS} days -> {items} aggregate items (prepared in {:.1} s)",
            prepared.as_secs_f64()
        );
        println!("services in the catalog: {}, searched services: {}", outcome.services, SERVICES.len());
        println!(
            "day {day}: {} searches, {} bookings created",
            outcome.report.searches, outcome.report.bookings_created
        );
        println!("baseline (no events):        {:.1} ms", baseline.as_secs_f64() * 1000.0);
        println!(
            "daily job (1,000,000 events): {:.1} ms (rerun {:.1} ms)",
            job.as_secs_f64() * 1000.0,
            rerun.as_secs_f64() * 1000.0
        );
        println!("ratio job / baseline: {:.2}", job.as_secs_f64() / baseline.as_secs_f64());
    });
}
