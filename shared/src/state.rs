//! What every handler can reach. Built once per cold start (or per test), cheap to clone.

use std::sync::Arc;

use crate::{
    auth::{TokenSigner, TokenVerifier},
    clock::Clock,
    config::Config,
    directory::DirectoryCache,
    function::Function,
    mail::MailSender,
    queue::{EventPublisher, ops::QueueOps},
    store::Store,
};

#[derive(Clone)]
pub struct AppState {
    /// Which function this state serves: in logs and health, and what it may hold.
    pub function: Function,
    pub config: Arc<Config>,
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    pub events: Arc<dyn EventPublisher>,
    pub tokens: Arc<TokenVerifier>,
    pub directory: Arc<DirectoryCache>,
    /// The access-token signer: present only in the `accounts` function's state.
    pub signer: Option<Arc<TokenSigner>>,
    /// The mail port: given only to functions that send mail.
    pub mail: Option<Arc<dyn MailSender>>,
    /// Queue depths, dead letters and redrive: given only to `admin`.
    pub queue_ops: Option<Arc<dyn QueueOps>>,
}

impl AppState {
    /// What the domain needs of this state for one operation, at the clock's now.
    pub fn env(&self) -> crate::env::Env<'_> {
        crate::env::Env { store: &self.store, events: self.events.as_ref(), now: self.clock.now() }
    }

    pub fn new(
        config: Config,
        store: Store,
        clock: Arc<dyn Clock>,
        events: Arc<dyn EventPublisher>,
        tokens: Arc<TokenVerifier>,
    ) -> Self {
        let directory = Arc::new(DirectoryCache::new(config.index_refresh));
        Self {
            function: Function::Platform,
            config: Arc::new(config),
            store,
            clock,
            events,
            tokens,
            directory,
            signer: None,
            mail: None,
            queue_ops: None,
        }
    }

    pub fn with_signer(mut self, signer: Arc<TokenSigner>) -> Self {
        self.signer = Some(signer);
        self
    }

    pub fn with_mail(mut self, mail: Arc<dyn MailSender>) -> Self {
        self.mail = Some(mail);
        self
    }

    pub fn with_queue_ops(mut self, ops: Arc<dyn QueueOps>) -> Self {
        self.queue_ops = Some(ops);
        self
    }

    /// The same state, labelled for one function. Each function keeps its own directory
    /// cache, as separate Lambdas would, and only `accounts` keeps the signer: where one
    /// state serves every function (the local platform, tests), the others still cannot
    /// sign. Labelling a state for the function it already serves keeps its cache: a
    /// Lambda's main warms the directory in init and then builds its router, which labels
    /// the state again.
    pub fn for_function(&self, function: Function) -> Self {
        let directory = if self.function == function {
            self.directory.clone()
        } else {
            Arc::new(DirectoryCache::new(self.config.index_refresh))
        };
        Self {
            function,
            directory,
            signer: if function.signs_tokens() { self.signer.clone() } else { None },
            ..self.clone()
        }
    }
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").field("function", &self.function).field("table", &self.store.table()).finish()
    }
}
