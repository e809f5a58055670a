//! What every handler can reach. Built once per cold start (or per test), cheap to clone.

use std::sync::Arc;

use crate::{
    auth::TokenVerifier, clock::Clock, config::Config, directory::DirectoryCache, queue::EventPublisher, store::Store,
};

#[derive(Clone)]
pub struct AppState {
    /// Which function this state serves ("search", "booking", …): in logs and health.
    pub function: &'static str,
    pub config: Arc<Config>,
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    pub events: Arc<dyn EventPublisher>,
    pub tokens: Arc<TokenVerifier>,
    pub directory: Arc<DirectoryCache>,
}

impl AppState {
    pub fn new(
        config: Config,
        store: Store,
        clock: Arc<dyn Clock>,
        events: Arc<dyn EventPublisher>,
        tokens: Arc<TokenVerifier>,
    ) -> Self {
        let directory = Arc::new(DirectoryCache::new(config.index_refresh));
        Self { function: "platform", config: Arc::new(config), store, clock, events, tokens, directory }
    }

    /// The same state, labelled for one function. Each function keeps its own directory
    /// cache, as separate Lambdas would.
    pub fn for_function(&self, function: &'static str) -> Self {
        Self { function, directory: Arc::new(DirectoryCache::new(self.config.index_refresh)), ..self.clone() }
    }
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").field("function", &self.function).field("table", &self.store.table()).finish()
    }
}
