//! Identifiers: ULIDs, so ids sort by creation time and make good sort keys.

use std::fmt;

use sha2::{Digest, Sha256};
use ulid::Ulid;

/// A new id. Ids made by one process are strictly increasing, even within a millisecond
/// (ULID's monotonic generation), so "sorted by id" is "in creation order" for queues,
/// feeds and logs written by one Lambda.
pub fn new_id() -> String {
    static GENERATOR: std::sync::Mutex<Option<ulid::Generator>> = std::sync::Mutex::new(None);
    let mut generator = GENERATOR.lock().unwrap_or_else(|p| p.into_inner());
    generator.get_or_insert_with(ulid::Generator::new).generate().unwrap_or_else(|_| Ulid::generate()).to_string()
}

/// A ULID whose time part is `at_ms` and whose random part is derived from `seed`:
/// the demo data gets the same ids on every machine and every run.
pub fn deterministic_id(at_ms: u64, seed: &str) -> String {
    let digest = Sha256::digest(seed.as_bytes());
    let mut random = [0u8; 16];
    random[6..].copy_from_slice(&digest[..10]);
    let random = u128::from_be_bytes(random);
    Ulid::from_parts(at_ms, random).to_string()
}

/// Accepts only canonical ULID text (26 Crockford base32 characters), so an id taken
/// from a URL can be embedded in a key without ever meaning something else.
pub fn parse_id(text: &str) -> Option<String> {
    Ulid::from_string(text).ok().map(|u| u.to_string()).filter(|canon| canon == text)
}

/// An id of one kind of object, known to be canonical ULID text: parsed once where it enters
/// (a URL path, a request body, a token's subject), so a booking id cannot be passed where an
/// instructor id is meant. The stored entities hold them and the store's keys take them, so
/// mixing two kinds is a compile error (with `String` fields this would compile):
///
/// ```compile_fail
/// use instainstru_shared::{booking::Booking, store::{Key, keys}};
/// fn account_of(booking: &Booking) -> Key {
///     keys::user(&booking.instructor_id) // an instructor id is not a user id
/// }
/// ```
///
/// Saying what is meant compiles:
///
/// ```
/// use instainstru_shared::{booking::Booking, store::{Key, keys}};
/// fn accounts_of(booking: &Booking) -> [Key; 2] {
///     [keys::user(&booking.student_id), keys::user(&booking.instructor_id.as_user())]
/// }
/// ```
macro_rules! typed_id {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        ///
        /// Stored as its plain text (`serde(transparent)`), so the change of type leaves every
        /// stored item and response body as it was; ids read back from the store were written
        /// by us and are not re-validated.
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Canonical ULID text only (see [`parse_id`]).
            pub fn parse(text: &str) -> Option<Self> {
                parse_id(text).map(Self)
            }

            /// A fresh id (see [`new_id`]).
            pub fn generate() -> Self {
                Self(new_id())
            }

            /// Text that is already an id of this kind: read from our own store or token,
            /// or built by the seed. Input from a client goes through [`Self::parse`].
            pub fn trusted(text: impl Into<String>) -> Self {
                Self(text.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        /// For expression values and other places that take owned text.
        impl From<&$name> for String {
            fn from(id: &$name) -> String {
                id.0.clone()
            }
        }
    )*};
}

/// An instructor is a user: one profile per instructor account, keyed by the account's id.
impl UserId {
    pub fn as_instructor(&self) -> InstructorId {
        InstructorId(self.0.clone())
    }
}

impl InstructorId {
    pub fn as_user(&self) -> UserId {
        UserId(self.0.clone())
    }
}

typed_id! {
    /// A user account's id.
    UserId;
    /// An instructor's id (the instructor's user id: one profile per instructor account).
    InstructorId;
    /// A booking's id.
    BookingId;
    /// One offering of an instructor's profile.
    OfferingId;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_ids_are_stable_and_distinct() {
        let a = deterministic_id(1_751_328_000_000, "sarah.chen@example.com");
        assert_eq!(a, deterministic_id(1_751_328_000_000, "sarah.chen@example.com"));
        assert_ne!(a, deterministic_id(1_751_328_000_000, "michael.rodriguez@example.com"));
        assert_eq!(parse_id(&a), Some(a.clone()));
    }

    #[test]
    fn new_ids_increase_within_a_millisecond() {
        let ids: Vec<String> = (0..1000).map(|_| new_id()).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn typed_ids_take_canonical_ulids_only() {
        let id = new_id();
        assert_eq!(BookingId::parse(&id).map(String::from), Some(id.clone()));
        assert_eq!(UserId::parse(&id.to_lowercase()), None);
        assert_eq!(InstructorId::parse("../x"), None);
        assert_eq!(OfferingId::parse(&id).unwrap().to_string(), id);
    }

    #[test]
    fn parse_id_rejects_non_canonical_text() {
        assert_eq!(parse_id("not-an-id"), None);
        assert_eq!(parse_id(""), None);
        let id = new_id();
        assert_eq!(parse_id(&id.to_lowercase()), None);
        assert_eq!(parse_id(&id), Some(id));
    }
}
