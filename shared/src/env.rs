//! What a domain operation needs from its environment: the table, the events publisher
//! and the current instant (from the injected clock). Handlers build it from `AppState`
//! (`AppState::env`), so the domain never sees the state, the router or a request.

use jiff::Timestamp;

use crate::{queue::EventPublisher, store::Store};

#[derive(Clone, Copy)]
pub struct Env<'a> {
    pub store: &'a Store,
    pub events: &'a dyn EventPublisher,
    pub now: Timestamp,
}
