//! The events consumer: one SQS batch in, the ids of the messages that failed out
//! (`ReportBatchItemFailures`), so one bad message never blocks or replays its batch.
//!
//! Each kind of event has its consumers, and each consumer applies its part of an event
//! exactly once (its own processed marker in the same transaction as its writes): a
//! search updates its owner's history and the analytics; an interaction, a booking event
//! and a guest conversion the analytics (the conversion also moves the guest's history).

use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent, SqsMessage};
use instainstru_shared::{
    AppState,
    accounts::guest::{self, GUEST_CONVERTED, GuestSessionId},
    analytics::{
        apply::{self, ApplyError, BookingFacts, Untracked, day_of},
        events::{INTERACTION, INTERACTION_UNTRACKED, InteractionPayload, UntrackedInteraction},
    },
    booking::events::EventKind,
    history::{self, Owner},
    queue::{Envelope, batch},
    search::events::{SEARCH_PERFORMED, SEARCH_UNTRACKED, SearchPayload},
    store::StoreError,
};
use jiff::Timestamp;

/// Why a message could not be applied. Every failure is retried by SQS and, after the
/// queue's `maxReceiveCount`, dead-lettered.
#[derive(Debug, thiserror::Error)]
pub enum ConsumeError {
    /// No body, or not an event envelope.
    #[error("{0}")]
    Malformed(String),
    #[error("no consumer for event kind {0:?}")]
    UnknownKind(String),
    #[error("payload of {kind} is invalid: {reason}")]
    InvalidPayload { kind: String, reason: String },
    #[error("store: {0}")]
    Store(#[from] StoreError),
}

impl From<ApplyError> for ConsumeError {
    fn from(err: ApplyError) -> Self {
        match err {
            ApplyError::Invalid(reason) => ConsumeError::InvalidPayload { kind: "analytics".into(), reason },
            ApplyError::Store(e) => ConsumeError::Store(e),
        }
    }
}

pub async fn handle_batch(state: &AppState, event: SqsEvent) -> SqsBatchResponse {
    batch::each(event, |message| async move { consume(state, &message).await }).await
}

async fn consume(state: &AppState, message: &SqsMessage) -> Result<(), ConsumeError> {
    let envelope = batch::envelope(message).map_err(ConsumeError::Malformed)?;
    match envelope.kind.as_str() {
        SEARCH_PERFORMED | SEARCH_UNTRACKED => search(state, &envelope).await,
        INTERACTION => interaction(state, &envelope).await,
        INTERACTION_UNTRACKED => untracked_interaction(state, &envelope).await,
        GUEST_CONVERTED => guest_converted(state, &envelope).await,
        kind if EventKind::ALL.iter().any(|k| k.as_str() == kind) => booking(state, &envelope).await,
        other => Err(ConsumeError::UnknownKind(other.to_owned())),
    }
}

fn occurred_at(envelope: &Envelope) -> Result<Timestamp, ConsumeError> {
    envelope.occurred_at.parse().map_err(|e: jiff::Error| ConsumeError::InvalidPayload {
        kind: envelope.kind.clone(),
        reason: format!("occurred_at: {e}"),
    })
}

fn payload<T: serde::de::DeserializeOwned>(envelope: &Envelope) -> Result<T, ConsumeError> {
    serde_json::from_value(envelope.payload.clone())
        .map_err(|e| ConsumeError::InvalidPayload { kind: envelope.kind.clone(), reason: e.to_string() })
}

/// A search: its owner's history entry is upserted, and it is recorded for analytics (or,
/// under do-not-track, only counted); each once per event id.
async fn search(state: &AppState, envelope: &Envelope) -> Result<(), ConsumeError> {
    let payload: SearchPayload = payload(envelope)?;
    let at = occurred_at(envelope)?;
    let now = state.clock.now();
    history_of_search(state, envelope, &payload, at, now).await?;
    let effects = if envelope.kind == SEARCH_UNTRACKED {
        apply::untracked_effects(day_of(at), Untracked::Search)
    } else {
        let identity = apply::visitor_identity(&payload);
        let returning = apply::is_returning(&state.store, identity.as_deref(), day_of(at)).await?;
        apply::search_effects(&apply::search_record(&envelope.id, at, &payload, returning), at)?
    };
    apply::commit(&state.store, &envelope.id, effects, now).await?;
    Ok(())
}

/// The search's owner's history entry (a user's, or a guest's unless the guest has
/// signed in since).
async fn history_of_search(
    state: &AppState,
    envelope: &Envelope,
    payload: &SearchPayload,
    at: Timestamp,
    now: Timestamp,
) -> Result<(), ConsumeError> {
    let owner = match (&payload.context.user_id, &payload.context.guest_session_id) {
        (Some(user), _) => Owner::User(user.clone()),
        (None, Some(guest_id)) => {
            // A guest search that arrives after the guest signed in belongs to the account.
            let linked = match GuestSessionId::parse(guest_id) {
                Some(id) => guest::link(&state.store, now, &id).await?.map(|l| String::from(l.user_id)),
                None => None,
            };
            linked.map(Owner::User).unwrap_or_else(|| Owner::Guest(guest_id.clone()))
        }
        // An anonymous search without a guest session has no history to keep.
        (None, None) => return Ok(()),
    };
    history::apply_search(&state.store, &envelope.id, &owner, &payload.search, at, now).await?;
    Ok(())
}

/// A click, profile view or booking started from search results.
async fn interaction(state: &AppState, envelope: &Envelope) -> Result<(), ConsumeError> {
    let payload: InteractionPayload = payload(envelope)?;
    let at = occurred_at(envelope)?;
    let record = apply::interaction_record(&envelope.id, at, payload)?;
    apply::commit(&state.store, &envelope.id, apply::interaction_effects(&record, at)?, state.clock.now()).await?;
    Ok(())
}

/// An interaction under do-not-track: counted, nothing else.
async fn untracked_interaction(state: &AppState, envelope: &Envelope) -> Result<(), ConsumeError> {
    let untracked: UntrackedInteraction = payload(envelope)?;
    let at = occurred_at(envelope)?;
    let effects = apply::untracked_effects(day_of(at), Untracked::Interaction(untracked.interaction_type));
    apply::commit(&state.store, &envelope.id, effects, state.clock.now()).await?;
    Ok(())
}

/// A booking created, cancelled, completed, … : the day's, the service's and the
/// instructor's counters.
async fn booking(state: &AppState, envelope: &Envelope) -> Result<(), ConsumeError> {
    let facts: BookingFacts = payload(envelope)?;
    let at = occurred_at(envelope)?;
    let effects = apply::booking_effects(&envelope.kind, day_of(at), &facts)?;
    apply::commit(&state.store, &envelope.id, effects, state.clock.now()).await?;
    Ok(())
}

#[derive(serde::Deserialize)]
struct GuestConverted {
    guest_session_id: String,
    user_id: String,
}

/// A guest signed in or registered: their history moves to the account (merged where the
/// account already has the query).
async fn guest_converted(state: &AppState, envelope: &Envelope) -> Result<(), ConsumeError> {
    let converted: GuestConverted = payload(envelope)?;
    let at = occurred_at(envelope)?;
    history::convert_guest(
        &state.store,
        &envelope.id,
        &converted.guest_session_id,
        &converted.user_id,
        state.clock.now(),
    )
    .await?;
    apply::commit(&state.store, &envelope.id, apply::guest_conversion_effects(day_of(at)), state.clock.now()).await?;
    Ok(())
}
