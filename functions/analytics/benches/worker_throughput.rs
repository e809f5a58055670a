//! Analytics worker throughput on the local platform: generated events (searches,
//! interactions with their results, booking events) sent to the local events queue and
//! delivered by the local event source in SQS batches of 10 to the real worker handler,
//! over the local platform's store (dynoxide, in process). Beside it, in the same run, the
//! baseline: the same events through the same queue and event source to a handler that
//! only parses each envelope (the queue's own cost).
//!
//!     cargo bench -p instainstru-analytics --bench worker_throughput
//!
//! (`--profile dev` for an unoptimised build; BENCHMARKS.md says which one a figure is.)

use std::{sync::Arc, time::Instant};

use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent};
use futures::FutureExt;
use instainstru_shared::{
    analytics::events::InteractionType,
    queue::{
        Envelope,
        local::{EventSource, SqsHandler},
    },
};
use instainstru_testkit::{TestEnv, generate::Generator};
use jiff::{SignedDuration, Timestamp};

const EVENTS: usize = 2000;

fn events() -> Vec<Envelope> {
    let mut g = Generator::new(1, 500, 500, 50);
    let start: Timestamp = "2026-11-20T12:00:00Z".parse().unwrap();
    let mut out = Vec::new();
    let mut searches = Vec::new();
    let kinds = [InteractionType::Click, InteractionType::ViewProfile, InteractionType::Book];
    for i in 0..EVENTS {
        let at = start + SignedDuration::from_secs(i as i64 * 20);
        let event = match i % 10 {
            0..=5 => {
                let s = g.search(at);
                searches.push(s.clone());
                s
            }
            6..=8 if !searches.is_empty() => {
                let s = searches[g.below(searches.len())].clone();
                g.interaction(&s, kinds[i % 3]).unwrap_or_else(|| g.search(at))
            }
            _ => g.booking("booking.created", at),
        };
        out.push(event);
    }
    out
}

async fn drain(env: &TestEnv, handler: SqsHandler, events: &[Envelope]) -> (f64, usize) {
    for e in events {
        env.queue.send(serde_json::to_string(e).unwrap()).await.unwrap();
    }
    let source = EventSource::new(env.queue.clone(), handler);
    let started = Instant::now();
    let mut batches = 0;
    loop {
        let outcome = source.poll_once().await.unwrap();
        if outcome.delivered == 0 {
            break;
        }
        assert_eq!(outcome.failed, 0);
        batches += 1;
    }
    (started.elapsed().as_secs_f64(), batches)
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let events = events();

        let baseline_env = TestEnv::new().await;
        let parse_only: SqsHandler = Arc::new(|event: SqsEvent| {
            async move {
                for m in &event.records {
                    let _: Envelope =
                        serde_json::from_str(m.body.as_deref().unwrap_or("")).map_err(|e| e.to_string())?;
                }
                Ok(SqsBatchResponse::default())
            }
            .boxed()
        });
        let (base_secs, base_batches) = drain(&baseline_env, parse_only, &events).await;

        let env = TestEnv::new().await;
        let state = env.state.for_function(instainstru_shared::function::Function::AnalyticsWorker);
        let worker: SqsHandler = Arc::new(move |event: SqsEvent| {
            let state = state.clone();
            async move { Ok(instainstru_analytics::handle_batch(&state, event).await) }.boxed()
        });
        let (secs, batches) = drain(&env, worker, &events).await;

        let n = events.len() as f64;
        println!("events: {} in batches of 10", events.len());
        println!(
            "baseline (queue + parse only): {:.0} events/s, {:.2} ms per batch ({base_batches} batches)",
            n / base_secs,
            base_secs * 1000.0 / base_batches as f64
        );
        println!(
            "worker (real handler):         {:.0} events/s, {:.2} ms per batch ({batches} batches)",
            n / secs,
            secs * 1000.0 / batches as f64
        );
        println!("ratio worker / baseline throughput: {:.2}", base_secs / secs);
    });
}
