//! One event off the notifications queue: which mails it means, to whom, sent once each.

use jiff::Timestamp;
use serde::Deserialize;

use super::{
    REMINDER_DUE, Recipient,
    compose::{Notice, compose},
    once::{self, OnceError, Sent},
    reminders::{self, ReminderDue},
};
use crate::{
    accounts::users,
    booking::{BookingStatus, events::EventKind, queries},
    ids::BookingId,
    mail::MailSender,
    personal_data,
    queue::Envelope,
    store::{Store, StoreError},
};

#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    #[error("no notification for event kind {0:?}")]
    UnknownKind(String),
    #[error("payload of {kind} is invalid: {reason}")]
    InvalidPayload { kind: String, reason: String },
    #[error("booking {0} not found")]
    BookingMissing(BookingId),
    #[error(transparent)]
    Once(#[from] OnceError),
    #[error("store: {0}")]
    Store(#[from] StoreError),
}

/// What one event did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Mails sent by this delivery.
    pub sent: u32,
    /// Mails an earlier delivery of the same event had sent.
    pub already_sent: u32,
    /// A reminder was indexed for the lesson.
    pub reminder_scheduled: bool,
}

/// The fields of a booking event the mails need (the rest are read from the booking).
#[derive(Debug, Deserialize)]
struct BookingChange {
    booking_id: BookingId,
    start: Timestamp,
    end: Timestamp,
    #[serde(default)]
    late: bool,
    #[serde(default)]
    previous_start: Option<Timestamp>,
}

fn payload<T: serde::de::DeserializeOwned>(envelope: &Envelope) -> Result<T, NotifyError> {
    serde_json::from_value(envelope.payload.clone())
        .map_err(|e| NotifyError::InvalidPayload { kind: envelope.kind.clone(), reason: e.to_string() })
}

fn kind_of(envelope: &Envelope) -> Option<EventKind> {
    EventKind::ALL.into_iter().find(|k| k.as_str() == envelope.kind)
}

/// Applies one event: mails both parties what changed (completed and no-show lessons mail
/// nobody) and indexes the reminder of a lesson confirmed or moved.
pub async fn apply(
    store: &Store,
    sender: &dyn MailSender,
    envelope: &Envelope,
    now: Timestamp,
) -> Result<Outcome, NotifyError> {
    let mut outcome = Outcome::default();
    let (notice, booking_id, start, end) = if envelope.kind == REMINDER_DUE {
        let due: ReminderDue = payload(envelope)?;
        (Notice::Reminder, due.booking_id, due.start, None)
    } else {
        let kind = kind_of(envelope).ok_or_else(|| NotifyError::UnknownKind(envelope.kind.clone()))?;
        let change: BookingChange = payload(envelope)?;
        let notice = match kind {
            EventKind::Created => Notice::Confirmed,
            EventKind::Cancelled => Notice::Cancelled { late: change.late },
            EventKind::Rescheduled => Notice::Rescheduled { previous_start: change.previous_start },
            EventKind::Completed | EventKind::NoShow => return Ok(outcome),
        };
        if matches!(kind, EventKind::Created | EventKind::Rescheduled) {
            outcome.reminder_scheduled = reminders::schedule(store, &change.booking_id, change.start, now).await?;
        }
        (notice, change.booking_id, change.start, Some(change.end))
    };

    let Some((mut booking, _)) = queries::get(store, &booking_id).await? else {
        // A reminder outlives nothing: its booking gone, there is nobody to remind. A
        // booking event is published after its booking committed, so a missing booking is
        // a read that has not caught up yet: fail, and SQS retries.
        if notice == Notice::Reminder {
            return Ok(outcome);
        }
        return Err(NotifyError::BookingMissing(booking_id));
    };
    if notice == Notice::Reminder && (booking.status != BookingStatus::Confirmed || booking.start != start) {
        // Cancelled or moved since the reminder was indexed: the new time has its own.
        return Ok(outcome);
    }
    // The mail describes the lesson as the event saw it, even if it has moved again since
    // (that move sends its own mail).
    booking.start = start;
    if let Some(end) = end {
        booking.end = end;
    }
    for recipient in Recipient::BOTH {
        let user_id = match recipient {
            Recipient::Student => &booking.student_id,
            Recipient::Instructor => &booking.instructor_id.as_user(),
        };
        // An account that no longer exists or was erased gets no mail.
        let Some(user) = users::get(store, user_id).await? else { continue };
        if personal_data::is_erased(&user.value) {
            continue;
        }
        let mail = compose(notice, &booking, recipient, &user.value.email);
        match once::send_once(store, sender, &envelope.id, recipient, &mail, now).await? {
            Sent::Now => outcome.sent += 1,
            Sent::Already => outcome.already_sent += 1,
        }
    }
    Ok(outcome)
}
