//! The guest-history conversion seam (PRODUCT.md §1, §7): when someone registers or signs
//! in with their guest session id (`X-Guest-Session-ID`, a client-made UUID), the link
//! guest → user is recorded durably and a `history.guest_converted` event is published.
//! The search-history consumer moves the guest's history to the account from that event
//! (and can always re-derive it from the `GUEST#<id>` item if an event was lost).

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::{
    ids::UserId,
    queue::{Envelope, EventPublisher},
    store::{Record, Store, keys},
};

/// The event kind the search-history issue consumes.
pub const GUEST_CONVERTED: &str = "history.guest_converted";
/// Unconverted guest history is kept 120 days (PRODUCT.md §7); the link need not outlive it.
pub const LINK_LIFETIME: SignedDuration = SignedDuration::from_hours(120 * 24);

/// A guest session id: a UUID in its canonical 8-4-4-4-12 hex form (lowercased).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuestSessionId(String);

impl GuestSessionId {
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let bytes = text.as_bytes();
        let shape_ok = bytes.len() == 36
            && bytes.iter().enumerate().all(|(i, b)| match i {
                8 | 13 | 18 | 23 => *b == b'-',
                _ => b.is_ascii_hexdigit(),
            });
        shape_ok.then(|| Self(text.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "entity", rename = "guest_conversion")]
pub struct GuestLink {
    pub guest_session_id: String,
    pub user_id: UserId,
    pub converted_at: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ConversionError {
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error(transparent)]
    Publish(#[from] crate::queue::PublishError),
}

/// Records that `guest` became `user_id` and tells the history consumer. A guest id seen
/// again (the same browser signing in to another account) points at the latest account.
pub async fn convert(
    store: &Store,
    events: &dyn EventPublisher,
    now: Timestamp,
    guest: &GuestSessionId,
    user_id: &UserId,
) -> Result<(), ConversionError> {
    let link =
        GuestLink { guest_session_id: guest.0.clone(), user_id: user_id.to_owned(), converted_at: now.to_string() };
    let expires = now.checked_add(LINK_LIFETIME).unwrap_or(now).as_second();
    store.put(&Record::new(keys::guest_conversion(&guest.0), link).expires_at(expires)).await?;
    let event = Envelope::new(GUEST_CONVERTED, now, json!({ "guest_session_id": guest.0, "user_id": user_id }));
    events.publish(&[event]).await?;
    Ok(())
}

/// The recorded link for a guest id, if any (and not expired).
pub async fn link(
    store: &Store,
    now: Timestamp,
    guest: &GuestSessionId,
) -> Result<Option<GuestLink>, crate::store::StoreError> {
    let record: Option<Record<GuestLink>> = store.get(&keys::guest_conversion(&guest.0)).await?;
    Ok(record.filter(|r| !r.is_expired(now.as_second())).map(|r| r.data))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_canonical_uuids_only() {
        let id = GuestSessionId::parse("3F2504E0-4F89-11D3-9A0C-0305E82C3301").unwrap();
        assert_eq!(id.as_str(), "3f2504e0-4f89-11d3-9a0c-0305e82c3301");
        for bad in ["", "not-a-uuid", "3f2504e04f8911d39a0c0305e82c3301", "3f2504e0-4f89-11d3-9a0c-0305e82c330g"] {
            assert_eq!(GuestSessionId::parse(bad), None, "{bad}");
        }
    }
}
