//! The stored booking and its item.
//!
//! Attribute names other code reads are part of the layout and must not change: `id`,
//! `instructor_id`, `student_id`, `offering_id`, `service`, `start`, `end` (RFC 3339 UTC) and
//! `status` (the instructor-status guard in `mod.rs` and the accounts offering-removal rule
//! read them from GSI1).

use jiff::{Timestamp, civil::Date};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::BookingStatus;
use crate::{
    availability::Interval,
    ids::{BookingId, InstructorId, OfferingId, UserId},
    instructors::LocationType,
    money::Cents,
    store::{Record, keys},
};

/// Who did something to a booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    Student,
    Instructor,
    Admin,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cancellation {
    pub at: Timestamp,
    pub by: Actor,
    pub reason: String,
    /// Cancelled less than the policy's free period before the start.
    pub late: bool,
}

/// One move of the lesson, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reschedule {
    pub at: Timestamp,
    pub from_start: Timestamp,
    pub from_end: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Booking {
    pub id: BookingId,
    pub instructor_id: InstructorId,
    pub student_id: UserId,
    pub offering_id: OfferingId,
    /// Catalog service slug.
    pub service: String,
    /// Snapshots taken at booking time, so the booking reads the same whatever changes later.
    pub service_name: String,
    pub instructor_name: String,
    pub student_name: String,
    /// New York wall-clock date and start ("HH:MM") of the lesson.
    pub date: Date,
    pub start_time: String,
    pub start: Timestamp,
    pub end: Timestamp,
    pub duration_minutes: u16,
    pub rate_cents: Cents,
    pub price_cents: Cents,
    pub location_type: LocationType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub student_note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructor_note: Option<String>,
    pub status: BookingStatus,
    /// The trailing buffer the instructor's lock cells were claimed with: cancel and
    /// reschedule release exactly those cells even if the instructor has changed the
    /// buffer since.
    pub buffer_minutes: u16,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancellation: Option<Cancellation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_show_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reschedules: Vec<Reschedule>,
}

impl Booking {
    pub fn interval(&self) -> Option<Interval> {
        Interval::new(self.start, self.end).ok()
    }

    /// The GSI sort key: start (RFC 3339 UTC, whole minutes, so it sorts as text) and id.
    pub fn sort_key(&self) -> String {
        format!("{}#{}", self.start, self.id)
    }

    /// Confirmed and not yet over: the lesson still holds its time.
    pub fn is_upcoming(&self, now: Timestamp) -> bool {
        self.status == BookingStatus::Confirmed && self.end > now
    }

    pub fn record(&self, version: u64) -> Record<BookingItem> {
        Record::new(keys::booking(&self.id), BookingItem { booking: self.clone() })
            .gsi1(keys::instructor_bookings(&self.instructor_id), self.sort_key())
            .gsi2(keys::student_bookings(&self.student_id), self.sort_key())
            .version(version)
    }
}

/// The stored shape, tagged so the item says what it is.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "entity", rename = "booking")]
pub struct BookingItem {
    #[serde(flatten)]
    pub booking: Booking,
}

/// The label of the instructor-status check in a claim transaction.
pub(crate) const INSTRUCTOR_ACTIVE: &str = "instructor-active";

impl Booking {
    /// A condition on the instructor's profile in the claim's own transaction: a suspension
    /// that lands between the rules check and the claim still stops the booking (the
    /// account status itself is only read, with eventual consistency, by the rules).
    pub(crate) fn instructor_still_active(&self) -> Result<crate::store::TxAction, crate::store::StoreError> {
        crate::store::TxAction::check(
            INSTRUCTOR_ACTIVE,
            &crate::store::keys::instructor_profile(&self.instructor_id),
            crate::store::transact::Condition::expr("#status = :active")
                .name("#status", "status")
                .string(":active", "active"),
        )
    }

    /// The search directory's change entry for this booking, written in the booking's own
    /// transaction: its time is busy (confirmed) or free again (anything else).
    pub(crate) fn directory_change(&self) -> Result<crate::store::TxAction, crate::store::StoreError> {
        let interval = (self.status == BookingStatus::Confirmed)
            .then(|| crate::availability::Interval::new(self.start, self.end).ok())
            .flatten();
        crate::changes::record_action(crate::changes::Change::Booking {
            instructor_id: self.instructor_id.clone(),
            booking_id: self.id.clone(),
            interval,
            buffer_minutes: self.buffer_minutes,
        })
    }
}
