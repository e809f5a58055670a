//! What clients see of a booking: the lesson with its instructor and service details,
//! New York wall-clock and UTC times, and the price in cents. Names only: no email or
//! phone of either party.

use serde::Serialize;
use utoipa::ToSchema;

use super::{
    BookingStatus,
    model::{Actor, Booking},
};
use crate::{
    availability::{LESSON_TIME_ZONE, new_york},
    instructors::LocationType,
    money::{CURRENCY, Cents},
};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PartyView {
    pub id: String,
    pub full_name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CancellationView {
    /// RFC 3339 UTC.
    pub at: String,
    pub by: Actor,
    pub reason: String,
    /// Cancelled less than 24 hours before the start.
    pub late: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RescheduleView {
    pub at: String,
    pub from_start: String,
    pub from_end: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BookingView {
    pub id: String,
    pub status: BookingStatus,
    pub instructor: PartyView,
    pub student: PartyView,
    pub offering_id: String,
    /// Service slug and name.
    pub service: String,
    pub service_name: String,
    /// New York wall-clock date and times of the lesson.
    #[schema(example = "2026-12-01")]
    pub date: String,
    #[schema(example = "10:00")]
    pub start_time: String,
    #[schema(example = "11:00")]
    pub end_time: String,
    pub time_zone: &'static str,
    /// The real start and end, RFC 3339 UTC.
    pub start: String,
    pub end: String,
    /// Real elapsed minutes.
    pub duration_minutes: u16,
    /// Hourly rate and lesson price at booking time, in cents.
    pub rate_cents: Cents,
    pub price_cents: Cents,
    pub currency: &'static str,
    pub location_type: LocationType,
    pub meeting_location: Option<String>,
    pub student_note: Option<String>,
    pub instructor_note: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub cancellation: Option<CancellationView>,
    pub completed_at: Option<String>,
    pub no_show_at: Option<String>,
    pub reschedules: Vec<RescheduleView>,
}

impl BookingView {
    pub fn new(b: &Booking) -> Self {
        let end_time = new_york().to_datetime(b.end).time().strftime("%H:%M").to_string();
        Self {
            id: String::from(&b.id),
            status: b.status,
            instructor: PartyView { id: String::from(&b.instructor_id), full_name: b.instructor_name.clone() },
            student: PartyView { id: String::from(&b.student_id), full_name: b.student_name.clone() },
            offering_id: String::from(&b.offering_id),
            service: b.service.clone(),
            service_name: b.service_name.clone(),
            date: b.date.to_string(),
            start_time: b.start_time.clone(),
            end_time,
            time_zone: LESSON_TIME_ZONE,
            start: b.start.to_string(),
            end: b.end.to_string(),
            duration_minutes: b.duration_minutes,
            rate_cents: b.rate_cents,
            price_cents: b.price_cents,
            currency: CURRENCY,
            location_type: b.location_type,
            meeting_location: b.meeting_location.clone(),
            student_note: b.student_note.clone(),
            instructor_note: b.instructor_note.clone(),
            created_at: b.created_at.to_string(),
            updated_at: b.updated_at.to_string(),
            cancellation: b.cancellation.as_ref().map(|c| CancellationView {
                at: c.at.to_string(),
                by: c.by,
                reason: c.reason.clone(),
                late: c.late,
            }),
            completed_at: b.completed_at.map(|t| t.to_string()),
            no_show_at: b.no_show_at.map(|t| t.to_string()),
            reschedules: b
                .reschedules
                .iter()
                .map(|r| RescheduleView {
                    at: r.at.to_string(),
                    from_start: r.from_start.to_string(),
                    from_end: r.from_end.to_string(),
                })
                .collect(),
        }
    }
}
