//! Interaction events: what a client reports after a search (a click on a result, a
//! profile opened from it, a booking started from it), linked to the search by its event
//! id. `POST /search-interactions` publishes them; the analytics worker applies them.
//!
//! With `DNT: 1` or `Sec-GPC: 1` only the kind of interaction is published, to be counted
//! and nothing more.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    queue::{Envelope, EventPublisher},
    search::events::SearchContext,
};

pub const INTERACTION: &str = "search.interaction";
pub const INTERACTION_UNTRACKED: &str = "search.interaction_untracked";

/// Highest result position a search can show (its `limit` is at most 50).
pub const MAX_POSITION: u32 = 50;
/// Interactions later than a day after their search are not "from" it any more.
pub const MAX_TIME_TO_INTERACTION_MS: u64 = 24 * 3600 * 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InteractionType {
    /// A result was clicked.
    Click,
    /// The instructor's profile was opened from the results.
    ViewProfile,
    /// A booking was started from the results.
    Book,
}

impl InteractionType {
    pub const ALL: [InteractionType; 3] = [InteractionType::Click, InteractionType::ViewProfile, InteractionType::Book];

    pub fn as_str(self) -> &'static str {
        match self {
            InteractionType::Click => "click",
            InteractionType::ViewProfile => "view_profile",
            InteractionType::Book => "book",
        }
    }

    /// The day counter of interactions of this type.
    pub fn counter(self) -> &'static str {
        match self {
            InteractionType::Click => "clicks",
            InteractionType::ViewProfile => "profile_views",
            InteractionType::Book => "book_interactions",
        }
    }

    /// The distinct set of searches that led to at least one interaction of this type.
    pub fn search_set(self) -> &'static str {
        match self {
            InteractionType::Click => "searches_clicked",
            InteractionType::ViewProfile => "searches_viewed",
            InteractionType::Book => "searches_booked",
        }
    }
}

/// The payload of `search.interaction`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InteractionPayload {
    pub search_event_id: String,
    pub interaction_type: InteractionType,
    pub instructor_id: String,
    /// 1-based position of the result in the search's list.
    pub result_position: Option<u32>,
    /// Milliseconds from the search's results being shown to the interaction.
    pub time_to_interaction_ms: Option<u64>,
    pub user_id: Option<String>,
    pub guest_session_id: Option<String>,
}

/// The payload of `search.interaction_untracked`: the kind, to be counted, and nothing else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UntrackedInteraction {
    pub interaction_type: InteractionType,
}

/// A validated interaction as the client reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interaction {
    pub search_event_id: String,
    pub interaction_type: InteractionType,
    pub instructor_id: String,
    pub result_position: Option<u32>,
    pub time_to_interaction_ms: Option<u64>,
}

/// Publishes the interaction's event and returns its id. A publishing failure is the
/// caller's 503: unlike a search, an interaction request exists only to be recorded.
pub async fn publish(
    events: &dyn EventPublisher,
    now: Timestamp,
    context: &SearchContext,
    interaction: Interaction,
) -> Result<String, crate::queue::PublishError> {
    let (kind, payload) = if context.do_not_track {
        (
            INTERACTION_UNTRACKED,
            serde_json::to_value(UntrackedInteraction { interaction_type: interaction.interaction_type }),
        )
    } else {
        let payload = InteractionPayload {
            search_event_id: interaction.search_event_id,
            interaction_type: interaction.interaction_type,
            instructor_id: interaction.instructor_id,
            result_position: interaction.result_position,
            time_to_interaction_ms: interaction.time_to_interaction_ms,
            user_id: context.user_id.clone(),
            guest_session_id: context.guest_session_id.clone(),
        };
        (INTERACTION, serde_json::to_value(payload))
    };
    let envelope = Envelope::new(kind, now, payload.unwrap_or_default());
    let id = envelope.id.clone();
    events.publish(std::slice::from_ref(&envelope)).await?;
    Ok(id)
}
