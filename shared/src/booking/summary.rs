//! Summaries over a user's bookings: an instructor's stats, a student's "book again"
//! suggestions.
//!
//! Stats are computed from the instructor's GSI1 partition on each request (one paginated
//! Query) rather than kept in counters: a counter item per instructor would sit in every
//! booking transaction of that instructor and make them conflict with each other.

use std::collections::HashSet;

use jiff::Timestamp;
use serde::Serialize;
use utoipa::ToSchema;

use super::{
    BookingStatus,
    model::Booking,
    queries::{self, Side},
};
use crate::{
    availability::new_york,
    ids::{InstructorId, UserId},
    instructors::{InstructorProfile, ProfileItem},
    money::{CURRENCY, Cents},
    store::{Record, Store, StoreError, keys},
};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct StatusCounts {
    pub confirmed: u32,
    pub completed: u32,
    pub cancelled: u32,
    pub no_show: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct InstructorStats {
    pub total_bookings: u32,
    pub by_status: StatusCounts,
    /// Confirmed lessons that have not ended.
    pub upcoming: u32,
    pub late_cancellations: u32,
    /// Sum of the prices of completed lessons.
    pub earnings_cents: u64,
    /// Completed lessons that started in the current New York calendar month.
    pub this_month_earnings_cents: u64,
    pub currency: &'static str,
    /// Completed ÷ lessons that reached an outcome (completed + no-show + cancelled);
    /// `null` before any has.
    pub completion_rate: Option<f64>,
    /// Cancelled ÷ all bookings; `null` without bookings.
    pub cancellation_rate: Option<f64>,
}

fn ratio(part: u32, whole: u32) -> Option<f64> {
    // Four decimals are plenty for a rate and keep the JSON stable.
    (whole > 0).then(|| (f64::from(part) / f64::from(whole) * 10_000.0).round() / 10_000.0)
}

/// The stats of `bookings` (all of one instructor's) as of `now`.
pub fn stats_of(bookings: &[Booking], now: Timestamp) -> InstructorStats {
    let this_month = new_york().to_datetime(now).date().first_of_month();
    let mut counts = StatusCounts::default();
    let (mut upcoming, mut late, mut earnings, mut month) = (0u32, 0u32, 0u64, 0u64);
    for b in bookings {
        match b.status {
            BookingStatus::Confirmed => counts.confirmed += 1,
            BookingStatus::Completed => counts.completed += 1,
            BookingStatus::Cancelled => counts.cancelled += 1,
            BookingStatus::NoShow => counts.no_show += 1,
        }
        if b.is_upcoming(now) {
            upcoming += 1;
        }
        if b.cancellation.as_ref().is_some_and(|c| c.late) {
            late += 1;
        }
        if b.status == BookingStatus::Completed {
            earnings += u64::from(b.price_cents.0);
            if b.date.first_of_month() == this_month {
                month += u64::from(b.price_cents.0);
            }
        }
    }
    let total = u32::try_from(bookings.len()).unwrap_or(u32::MAX);
    let outcomes = counts.completed + counts.no_show + counts.cancelled;
    InstructorStats {
        total_bookings: total,
        upcoming,
        late_cancellations: late,
        earnings_cents: earnings,
        this_month_earnings_cents: month,
        currency: CURRENCY,
        completion_rate: ratio(counts.completed, outcomes),
        cancellation_rate: ratio(counts.cancelled, total),
        by_status: counts,
    }
}

pub async fn instructor_stats(
    store: &Store,
    instructor_id: &InstructorId,
    now: Timestamp,
) -> Result<InstructorStats, StoreError> {
    Ok(stats_of(&queries::all_of(store, &instructor_id.as_user(), Side::Instructor).await?, now))
}

/// One instructor + service pair the student had lessons in, most recent first.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct BookAgain {
    pub instructor_id: String,
    pub instructor_name: String,
    pub offering_id: String,
    pub service: String,
    pub service_name: String,
    /// New York date of the most recent lesson of the pair.
    pub last_lesson_date: String,
    pub lessons: u32,
    /// Whether the offering can be booked now (instructor listed, offering active).
    pub bookable: bool,
    /// The current hourly rate when bookable, else the rate of the last lesson.
    pub rate_cents: Cents,
    pub currency: &'static str,
}

/// How many suggestions book-again gives, and how far back it looks.
pub const BOOK_AGAIN_MAX: usize = 5;
const BOOK_AGAIN_SCAN: usize = 200;

/// The student's recent instructor + service pairs (lessons that took place: completed,
/// or confirmed and started), newest first, with whether each is bookable today.
pub async fn book_again(store: &Store, student_id: &UserId, now: Timestamp) -> Result<Vec<BookAgain>, StoreError> {
    let recent = queries::recent_started(store, student_id, Side::Student, now, BOOK_AGAIN_SCAN).await?;
    let took_place = |b: &&Booking| matches!(b.status, BookingStatus::Completed | BookingStatus::Confirmed);
    let mut pairs: Vec<(&Booking, u32)> = Vec::new();
    let mut seen = HashSet::new();
    for b in recent.iter().filter(took_place) {
        if seen.insert((b.instructor_id.as_str(), b.offering_id.as_str())) {
            pairs.push((b, 1));
        } else if let Some(pair) =
            pairs.iter_mut().find(|(p, _)| p.instructor_id == b.instructor_id && p.offering_id == b.offering_id)
        {
            pair.1 += 1;
        }
    }
    pairs.truncate(BOOK_AGAIN_MAX);
    let profile_keys: Vec<_> = pairs.iter().map(|(b, _)| keys::instructor_profile(&b.instructor_id)).collect();
    let profiles: Vec<InstructorProfile> =
        store.get_many::<Record<ProfileItem>>(&profile_keys).await?.into_iter().map(|r| r.data.profile).collect();
    Ok(pairs
        .into_iter()
        .map(|(b, lessons)| {
            let current = profiles
                .iter()
                .find(|p| p.id == b.instructor_id && p.is_listed())
                .and_then(|p| p.offering(&b.offering_id))
                .filter(|o| o.active);
            BookAgain {
                instructor_id: String::from(&b.instructor_id),
                instructor_name: b.instructor_name.clone(),
                offering_id: String::from(&b.offering_id),
                service: b.service.clone(),
                service_name: b.service_name.clone(),
                last_lesson_date: b.date.to_string(),
                lessons,
                bookable: current.is_some(),
                rate_cents: current.map(|o| o.rate_cents).unwrap_or(b.rate_cents),
                currency: CURRENCY,
            }
        })
        .collect())
}
