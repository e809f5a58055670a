//! Reminders 24 hours before a lesson, without a scan or a timer per booking.
//!
//! When the notifications consumer sees a booking confirmed or moved, it writes an index
//! item under the UTC hour the reminder falls due (`REMIND#<hour>`). The booking-outbox
//! schedule (every minute) reads the current hour's partition and the few before it, turns
//! each item now due into a `notify.reminder_due` event whose id is derived from the
//! booking and its start (so publishing it twice still mails once) and then deletes the
//! item. The consumer checks the booking again before mailing: a lesson cancelled or moved
//! since gets no reminder for the old time.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::{REMINDER_DUE, REMINDER_LEAD};
use crate::{
    ids::BookingId,
    queue::{Envelope, EventPublisher},
    store::{Index, Query, Record, Store, StoreError, keys},
};

/// How far back the sweep looks for due reminders it has not published yet (a schedule
/// outage shorter than this delays reminders; a longer one drops the oldest, whose lesson
/// is by then well under a day away).
pub const CATCH_UP_HOURS: i64 = 6;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "entity", rename = "reminder")]
pub struct Reminder {
    pub booking_id: BookingId,
    pub start: Timestamp,
    pub due: Timestamp,
}

/// The payload of `notify.reminder_due`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderDue {
    pub booking_id: BookingId,
    pub start: Timestamp,
}

fn hour_of(at: Timestamp) -> String {
    at.strftime("%Y-%m-%dT%H").to_string()
}

/// Indexes the reminder for a lesson starting at `start`, if it falls due after `now`
/// (a lesson booked less than a day ahead gets its confirmation only). Idempotent.
pub async fn schedule(
    store: &Store,
    booking_id: &BookingId,
    start: Timestamp,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let Ok(due) = start.checked_sub(REMINDER_LEAD) else { return Ok(false) };
    if due <= now {
        return Ok(false);
    }
    let hour = hour_of(due);
    let item = Reminder { booking_id: booking_id.to_owned(), start, due };
    let expires = start.saturating_add(SignedDuration::from_hours(24)).unwrap_or(start).as_second();
    store.put(&Record::new(keys::reminder(&hour, booking_id, start), item).expires_at(expires)).await?;
    Ok(true)
}

/// The reminder event for one lesson: its id is fixed by booking and start.
pub fn due_event(reminder: &Reminder, now: Timestamp) -> Envelope {
    let payload = ReminderDue { booking_id: reminder.booking_id.clone(), start: reminder.start };
    Envelope {
        id: format!("reminder-{}-{}", reminder.booking_id, reminder.start.as_second()),
        kind: REMINDER_DUE.to_owned(),
        occurred_at: now.to_string(),
        payload: serde_json::to_value(payload).unwrap_or_default(),
    }
}

/// Publishes every reminder due by `now` and removes it from the index. Returns how many
/// were published. An item is deleted only after its event is on the queue.
pub async fn sweep(store: &Store, publisher: &dyn EventPublisher, now: Timestamp) -> Result<usize, String> {
    let mut published = 0;
    for back in (0..=CATCH_UP_HOURS).rev() {
        let Ok(at) = now.checked_sub(SignedDuration::from_hours(back)) else { continue };
        let query = Query::partition(Index::Table, keys::reminder_hour(&hour_of(at)));
        let items: Vec<Record<Reminder>> = store.query_all(query).await.map_err(|e| e.to_string())?;
        for item in items {
            let reminder = &item.data;
            if reminder.due > now {
                continue;
            }
            if reminder.start > now {
                publisher.publish(&[due_event(reminder, now)]).await.map_err(|e| e.to_string())?;
                published += 1;
            }
            store
                .delete(&keys::reminder(&hour_of(reminder.due), &reminder.booking_id, reminder.start))
                .await
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(published)
}
