//! The booking policy's numbers, in one place (PRODUCT.md §5).

use jiff::{SignedDuration, Timestamp};

/// Cancelling at least this long before the start is free; later is allowed but late.
pub const FREE_CANCELLATION: SignedDuration = SignedDuration::from_hours(24);

/// Cancellation reasons: required, 1–500 characters.
pub const CANCEL_REASON_MAX_CHARS: usize = 500;
/// The student's note on a new booking and the instructor's note on a lesson.
pub const NOTE_MAX_CHARS: usize = 1000;
/// Where the lesson happens (an address, a video link).
pub const MEETING_LOCATION_MAX_CHARS: usize = 500;

/// How long a retried create with the same `Idempotency-Key` returns the first result.
pub const IDEMPOTENCY_WINDOW: SignedDuration = SignedDuration::from_hours(24);

/// Lock cells outlive their lesson by this much, then TTL removes them. A cell in the past
/// can never be claimed again (bookings in the past are refused first), so this only
/// keeps the table small.
pub const LOCK_RETENTION: SignedDuration = SignedDuration::from_hours(24 * 7);

/// Whether cancelling at `now` a lesson that starts at `start` is late.
pub fn is_late_cancellation(start: Timestamp, now: Timestamp) -> bool {
    start.duration_since(now) < FREE_CANCELLATION
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exactly_twenty_four_hours_before_is_free_one_second_less_is_late() {
        let start: Timestamp = "2026-12-02T15:00:00Z".parse().unwrap();
        assert!(!is_late_cancellation(start, "2026-12-01T15:00:00Z".parse().unwrap()));
        assert!(is_late_cancellation(start, "2026-12-01T15:00:01Z".parse().unwrap()));
        assert!(!is_late_cancellation(start, "2026-11-01T15:00:00Z".parse().unwrap()));
    }
}
