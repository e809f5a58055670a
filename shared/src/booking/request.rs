//! Request bodies of the booking routes, parsed strictly and validated into typed values
//! whose errors name the field.

use jiff::civil::{Date, Time};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;

use super::{
    error::Refusal,
    policy::{CANCEL_REASON_MAX_CHARS, MEETING_LOCATION_MAX_CHARS, NOTE_MAX_CHARS},
};
use crate::{
    availability::{LessonDuration, TimeOfDayError, parse_hhmm},
    ids::{InstructorId, OfferingId},
    instructors::LocationType,
};

/// `POST /bookings`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateBookingRequest {
    pub instructor_id: String,
    pub offering_id: String,
    /// New York date, `YYYY-MM-DD`.
    #[schema(value_type = String, format = Date, example = "2026-12-01")]
    pub date: Date,
    /// New York wall-clock start, `HH:MM` on a 15-minute step.
    #[schema(example = "10:00")]
    pub start_time: String,
    /// Real elapsed minutes: one of the offering's durations.
    #[schema(example = 60)]
    pub duration_minutes: u16,
    pub location_type: LocationType,
    /// Where the lesson happens (address, video link), up to 500 characters.
    #[serde(default)]
    pub meeting_location: Option<String>,
    /// A note for the instructor, up to 1000 characters.
    #[serde(default)]
    pub note: Option<String>,
}

/// `POST /bookings/{id}/reschedule`: the new New York date and start; the duration stays.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RescheduleRequest {
    #[schema(value_type = String, format = Date, example = "2026-12-02")]
    pub date: Date,
    #[schema(example = "14:00")]
    pub start_time: String,
}

/// `POST /bookings/{id}/cancel`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelRequest {
    /// Why, 1–500 characters.
    pub reason: String,
}

/// `PATCH /bookings/{id}` (the booking's instructor): a field left out is unchanged,
/// `null` or an empty string clears it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditBookingRequest {
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub instructor_note: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub meeting_location: Option<Option<String>>,
}

/// Distinguishes a field sent as `null` (`Some(None)`) from one left out (`None`).
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(deserializer).map(Some)
}

/// A validated create request; its canonical JSON is what an `Idempotency-Key` is bound to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewBooking {
    pub instructor_id: InstructorId,
    pub offering_id: OfferingId,
    pub date: Date,
    pub start_time: Time,
    pub duration: u16,
    pub location_type: LocationType,
    pub meeting_location: Option<String>,
    pub note: Option<String>,
}

/// An id in a request body, parsed into its kind (`parse` is that kind's `parse`).
fn id_field<T>(field: &str, text: &str, parse: fn(&str) -> Option<T>) -> Result<T, Refusal> {
    parse(text).ok_or_else(|| Refusal::invalid("invalid_id", field, format!("{field} is not a valid id")))
}

/// `"HH:MM"` on a 15-minute step. Off-step times are the `not_on_15_minute_step` rule.
pub fn start_time_field(text: &str) -> Result<Time, Refusal> {
    let minutes = parse_hhmm(text, false).map_err(|err| match err {
        TimeOfDayError::NotOn15MinuteStep => {
            Refusal::unprocessable("not_on_15_minute_step", "lessons start on a 15-minute step (:00, :15, :30 or :45)")
                .field("start_time")
        }
        other => Refusal::invalid(other.code(), "start_time", format!("start_time: {other}")),
    })?;
    // parse_hhmm without 24:00 gives 0..=1425.
    Time::new(i8::try_from(minutes / 60).unwrap_or(0), i8::try_from(minutes % 60).unwrap_or(0), 0, 0)
        .map_err(|_| Refusal::invalid("time_out_of_range", "start_time", "start_time is out of range"))
}

/// `"HH:MM"` of a start time (what the booking stores and shows).
pub fn hhmm(time: Time) -> String {
    format!("{:02}:{:02}", time.hour(), time.minute())
}

/// Optional free text: trimmed, empty means none, at most `max` characters.
pub fn text_field(field: &str, value: Option<String>, max: usize) -> Result<Option<String>, Refusal> {
    let Some(text) = value.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if text.chars().count() > max {
        return Err(Refusal::invalid("too_long", field, format!("{field} may be at most {max} characters")));
    }
    Ok(Some(text))
}

impl CreateBookingRequest {
    pub fn validate(self) -> Result<NewBooking, Refusal> {
        let instructor_id = id_field("instructor_id", &self.instructor_id, InstructorId::parse)?;
        let offering_id = id_field("offering_id", &self.offering_id, OfferingId::parse)?;
        let start_time = start_time_field(&self.start_time)?;
        LessonDuration::from_minutes(self.duration_minutes)
            .map_err(|e| Refusal::invalid(e.code(), "duration_minutes", e.to_string()))?;
        Ok(NewBooking {
            instructor_id,
            offering_id,
            date: self.date,
            start_time,
            duration: self.duration_minutes,
            location_type: self.location_type,
            meeting_location: text_field("meeting_location", self.meeting_location, MEETING_LOCATION_MAX_CHARS)?,
            note: text_field("note", self.note, NOTE_MAX_CHARS)?,
        })
    }
}

impl CancelRequest {
    pub fn validate(self) -> Result<String, Refusal> {
        let reason = self.reason.trim();
        let chars = reason.chars().count();
        if chars == 0 || chars > CANCEL_REASON_MAX_CHARS {
            return Err(Refusal::invalid(
                "invalid_reason",
                "reason",
                format!("reason must be 1-{CANCEL_REASON_MAX_CHARS} characters"),
            ));
        }
        Ok(reason.to_owned())
    }
}

/// A validated edit: `Some(None)` clears a field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BookingEdit {
    pub instructor_note: Option<Option<String>>,
    pub meeting_location: Option<Option<String>>,
}

impl EditBookingRequest {
    pub fn validate(self) -> Result<BookingEdit, Refusal> {
        if self.instructor_note.is_none() && self.meeting_location.is_none() {
            return Err(Refusal::invalid(
                "empty_edit",
                "body",
                "send instructor_note and/or meeting_location (null clears one)",
            ));
        }
        Ok(BookingEdit {
            instructor_note: self
                .instructor_note
                .map(|v| text_field("instructor_note", v, NOTE_MAX_CHARS))
                .transpose()?,
            meeting_location: self
                .meeting_location
                .map(|v| text_field("meeting_location", v, MEETING_LOCATION_MAX_CHARS))
                .transpose()?,
        })
    }
}
