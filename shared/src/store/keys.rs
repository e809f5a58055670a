//! Every key shape in the table, in one place, so a newcomer can see the whole layout.
//! Prefixes are UPPERCASE with `#` separators; ids are ULIDs; instants are RFC 3339 UTC.
//!
//! | item | PK | SK | GSI1 | GSI2 |
//! |---|---|---|---|---|
//! | catalog category | `CATALOG` | `CATEGORY#<slug>` | | |
//! | catalog service | `CATALOG` | `SERVICE#<slug>` | | |
//! | instructor profile | `INSTR#<id>` | `PROFILE` | `INSTRUCTORS` / `<id>` | |
//! | user | `USER#<id>` | `ACCOUNT` | `USERS` / `<created>#<id>` | |
//! | unique email | `EMAIL#<normalized>` | `EMAIL` | | |
//! | booking | `BOOKING#<id>` | `BOOKING` | `INSTR#<id>#BOOKINGS` / `<start>#<id>` | `STUDENT#<id>#BOOKINGS` / `<start>#<id>` |
//! | availability | `INSTR#<id>` | `AVAILABILITY` | | |
//! | lock cell (instructor) | `LOCK#INSTR#<id>#<cell start UTC>` | `LOCK` | | |
//! | lock cell (student) | `LOCK#STUDENT#<id>#<cell start UTC>` | `LOCK` | | |
//! | idempotency record | `IDEMPOTENCY#<student id>#<key hash>` | `IDEMPOTENCY` | | |
//! | outbox event | `OUTBOX` | `<epoch ms, 15 digits>#<event id>` | | |
//! | directory change feed | `CHANGES` | `<ULID>` (TTL 1 day) | | |
//! | daily IP salt | `SALT` | `DAY#<date>` (TTL 48 h) | | |
//! | rate-limit window | `RATE#<limit>#<keyed hash>` | `W#<window start>` (TTL) | | |
//! | search history entry | `HIST#<USER or GUEST>#<id>` | `Q#<query hash>` | `HIST#…` / `<last searched>#<hash>` | |
//! | search history count | `HIST#<USER or GUEST>#<id>` | `COUNT` | | |
//! | processed-event marker | `EVENT#<event id>` | `APPLIED#<effect>` (TTL 30 days) | | |
//! | last daily run | `META` | `DAILY_RUN` | | |
//! | seed marker | `META` | `SEED` | | |
//! | local queue message | `QUEUE#<queue>` | `MSG#<id>` | | |
//! | session (refresh family) | `SESSION#<id>` | `SESSION` | | |
//! | refresh token | `REFRESH#<sha256 hex>` | `REFRESH` | | |
//! | password-reset token | `RESET#<sha256 hex>` | `RESET` | | |
//! | guest → user link | `GUEST#<guest session id>` | `CONVERTED` | | |
//! | audit entry | `AUDIT` | `<at>#<id>` | `AUDIT#<target id>` / `<at>#<id>` | |
//! | local outbox mail | `MAILBOX` | `<sent at>#<id>` | | |
//! | notification claim | `NOTIFY#<event id>` | `MAIL#<recipient>` (TTL 30 days) | | |
//! | due reminder | `REMIND#<due hour UTC>` | `<booking id>#<start>` (TTL) | | |
//! | search analytics (raw events, day counters, distinct sets, per query/source/service/instructor, daily job output) | `AN#…` | see `analytics::keys` | `AN#WHO#…` (raw events) | |
//!
//! Instants inside sort keys are written by [`instant`] (fixed millisecond precision), so
//! they sort as text in time order.

use jiff::Timestamp;

use super::Key;
use crate::ids::{BookingId, InstructorId, UserId};

pub const CATALOG: &str = "CATALOG";

pub fn category(slug: &str) -> Key {
    Key::new(CATALOG, format!("CATEGORY#{slug}"))
}

pub fn service(slug: &str) -> Key {
    Key::new(CATALOG, format!("SERVICE#{slug}"))
}

pub const INSTRUCTORS: &str = "INSTRUCTORS";

pub fn instructor_profile(instructor_id: &InstructorId) -> Key {
    Key::new(format!("INSTR#{instructor_id}"), "PROFILE")
}

pub const USERS: &str = "USERS";

pub fn user(user_id: &UserId) -> Key {
    Key::new(format!("USER#{user_id}"), "ACCOUNT")
}

pub fn email(normalized: &str) -> Key {
    Key::new(format!("EMAIL#{normalized}"), "EMAIL")
}

pub fn seed_marker() -> Key {
    Key::new("META", "SEED")
}

pub fn queue_partition(queue: &str) -> String {
    format!("QUEUE#{queue}")
}

pub fn queue_message(queue: &str, message_id: &str) -> Key {
    Key::new(queue_partition(queue), format!("MSG#{message_id}"))
}

pub fn booking(booking_id: &BookingId) -> Key {
    Key::new(format!("BOOKING#{booking_id}"), "BOOKING")
}

/// GSI1 partition of an instructor's bookings (sort key `<start UTC>#<booking id>`).
pub fn instructor_bookings(instructor_id: &InstructorId) -> String {
    format!("INSTR#{instructor_id}#BOOKINGS")
}

/// GSI2 partition of a student's bookings (sort key `<start UTC>#<booking id>`).
pub fn student_bookings(student_id: &UserId) -> String {
    format!("STUDENT#{student_id}#BOOKINGS")
}

/// An instant as it appears inside a sort key: RFC 3339 UTC with exactly three fractional
/// digits, so that text order is time order.
pub fn instant(at: Timestamp) -> String {
    format!("{at:.3}")
}

pub fn session(session_id: &str) -> Key {
    Key::new(format!("SESSION#{session_id}"), "SESSION")
}

pub fn refresh_token(token_hash: &str) -> Key {
    Key::new(format!("REFRESH#{token_hash}"), "REFRESH")
}

pub fn password_reset(token_hash: &str) -> Key {
    Key::new(format!("RESET#{token_hash}"), "RESET")
}

pub fn guest_conversion(guest_session_id: &str) -> Key {
    Key::new(format!("GUEST#{guest_session_id}"), "CONVERTED")
}

pub const AUDIT: &str = "AUDIT";

pub fn audit_entry(at: Timestamp, entry_id: &str) -> Key {
    Key::new(AUDIT, format!("{}#{entry_id}", instant(at)))
}

/// GSI1 partition of the audit entries about one target.
pub fn audit_of(target_id: &str) -> String {
    format!("AUDIT#{target_id}")
}

/// The local platform's mailbox (mail the local mail sender "sent").
pub const MAILBOX: &str = "MAILBOX";

pub fn outbox_mail(sent_at: Timestamp, mail_id: &str) -> Key {
    Key::new(MAILBOX, format!("{}#{mail_id}", instant(sent_at)))
}

/// A 15-minute lock cell: `party` is `INSTR` or `STUDENT`, `cell` the cell's start (RFC 3339
/// UTC). One item per cell, so claiming a cell is a conditional put on a deterministic key.
pub fn lock_cell(party: &str, owner_id: &str, cell: &str) -> Key {
    Key::new(format!("LOCK#{party}#{owner_id}#{cell}"), "LOCK")
}

/// A student's idempotency record for one `Idempotency-Key` (hashed, so any header text
/// makes a bounded key).
pub fn idempotency(student_id: &UserId, key_hash: &str) -> Key {
    Key::new(format!("IDEMPOTENCY#{student_id}#{key_hash}"), "IDEMPOTENCY")
}

/// The transactional outbox: events written with the change they describe, in one
/// partition sorted by when they were written (the sweeper reads the oldest).
pub const OUTBOX: &str = "OUTBOX";

pub fn outbox_event(sort: &str) -> Key {
    Key::new(OUTBOX, sort)
}

/// The claim on one notification mail: one per (event, recipient), so a redelivered event
/// never mails twice.
pub fn notify_claim(event_id: &str, recipient: &str) -> Key {
    Key::new(format!("NOTIFY#{event_id}"), format!("MAIL#{recipient}"))
}

/// The partition of reminders due in one UTC hour (`YYYY-MM-DDTHH`): the sweeper reads the
/// current hour and a few before it, never a scan.
pub fn reminder_hour(hour: &str) -> String {
    format!("REMIND#{hour}")
}

pub fn reminder(hour: &str, booking_id: &BookingId, start: Timestamp) -> Key {
    Key::new(reminder_hour(hour), format!("{booking_id}#{}", instant(start)))
}
