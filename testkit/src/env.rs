//! [`TestEnv`]: a fresh table on an emulator and the state every router takes around it.

use std::sync::Arc;

use instainstru_shared::{
    auth::{KeyPair, TokenSigner, TokenVerifier},
    clock::FixedClock,
    config::Config,
    mail::Outbox,
    queue::{local::LocalQueue, ops::local_ops},
    seed,
    state::AppState,
    store::Store,
};

use crate::{
    dynamo::{Endpoint, start_dynoxide, store_on},
    platform::{events_queue, local_publisher, notifications_queue},
};

/// Everything a test needs: a fresh in-memory table, a clock it controls, a key pair,
/// the local outbox, and the state every router takes (with the signer and the outbox as
/// its mailer, as the local platform has them).
pub struct TestEnv {
    pub endpoint: Endpoint,
    pub store: Store,
    pub clock: Arc<FixedClock>,
    pub keys: KeyPair,
    pub signer: Arc<TokenSigner>,
    pub queue: LocalQueue,
    /// Booking events and due reminders, for the `booking-notify` consumer.
    pub notifications: LocalQueue,
    pub outbox: Outbox,
    pub state: AppState,
}

impl TestEnv {
    /// Fixed "now": Thursday 2026-11-26, 10:00 in New York.
    pub const DEFAULT_NOW: &'static str = "2026-11-26T15:00:00Z";

    pub async fn new() -> Self {
        let endpoint = start_dynoxide(None, 0).await.expect("start dynoxide");
        Self::on(endpoint, "instainstru-test").await
    }

    /// A test environment over an existing endpoint (moto, for the peer checks).
    pub async fn on(endpoint: Endpoint, table: &str) -> Self {
        let store = store_on(&endpoint, table).await.expect("create table");
        let clock = Arc::new(FixedClock::new(Self::DEFAULT_NOW.parse().expect("valid instant")));
        let keys = KeyPair::generate().expect("generate keys");
        let signer = Arc::new(TokenSigner::from_pem(&keys.private_pem).expect("signer"));
        let verifier = Arc::new(TokenVerifier::from_pem(&keys.public_pem).expect("verifier"));
        let queue = events_queue(&store, clock.clone());
        let notifications = notifications_queue(&store, clock.clone());
        let config =
            Config { table_name: table.to_owned(), index_refresh: std::time::Duration::ZERO, ..Config::default() };
        let outbox = Outbox::new(store.clone(), clock.clone());
        let publisher = local_publisher(&queue, &notifications);
        let state = AppState::new(config, store.clone(), clock.clone(), publisher, verifier)
            .with_signer(signer.clone())
            .with_mail(Arc::new(outbox.clone()))
            .with_queue_ops(local_ops([queue.clone(), notifications.clone()]));
        Self { endpoint, store, clock, keys, signer, queue, notifications, outbox, state }
    }

    /// A test environment with the demo data seeded.
    pub async fn seeded() -> Self {
        let env = Self::new().await;
        seed::apply(&env.store, env.clock.as_ref(), &|_, _| {}).await.expect("seed demo data");
        env
    }
}
