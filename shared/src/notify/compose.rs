//! The text of each notification: pure, from the booking as it is now and the event that
//! announced the change. Times are the lesson's New York wall clock, as both parties see
//! them everywhere else.

use jiff::Timestamp;

use super::Recipient;
use crate::{booking::model::Booking, clock::lesson_zone, mail::Mail, money::Cents};

/// What happened, as the mail tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    Confirmed,
    Cancelled { late: bool },
    Rescheduled { previous_start: Option<Timestamp> },
    Reminder,
}

/// "Friday, November 27, 2026 at 5:00 PM" in New York.
pub fn when(at: Timestamp) -> String {
    at.to_zoned_datetime(lesson_zone()).strftime("%A, %B %-d, %Y at %-I:%M %p").to_string()
}

fn dollars(cents: Cents) -> String {
    format!("${}.{:02}", cents.0 / 100, cents.0 % 100)
}

/// The mail for one recipient.
pub fn compose(notice: Notice, booking: &Booking, recipient: Recipient, to: &str) -> Mail {
    let lesson = format!("{} lesson", booking.service_name);
    let (other, role) = match recipient {
        Recipient::Student => (&booking.instructor_name, "with"),
        Recipient::Instructor => (&booking.student_name, "for"),
    };
    let at = when(booking.start);
    let subject = match notice {
        Notice::Confirmed => format!("Confirmed: {lesson} {role} {other}, {at}"),
        Notice::Cancelled { .. } => format!("Cancelled: {lesson} {role} {other}, {at}"),
        Notice::Rescheduled { .. } => format!("Moved: {lesson} {role} {other}, now {at}"),
        Notice::Reminder => format!("Tomorrow: {lesson} {role} {other}, {at}"),
    };
    let mut text = match notice {
        Notice::Confirmed => format!("Your {lesson} {role} {other} is booked for {at} (New York time)."),
        Notice::Cancelled { .. } => format!("Your {lesson} {role} {other} on {at} (New York time) was cancelled."),
        Notice::Rescheduled { previous_start } => match previous_start {
            Some(before) => {
                format!("Your {lesson} {role} {other} has moved from {} to {at} (New York time).", when(before))
            }
            None => format!("Your {lesson} {role} {other} has moved to {at} (New York time)."),
        },
        Notice::Reminder => format!("A reminder: your {lesson} {role} {other} is on {at} (New York time)."),
    };
    text.push_str(&format!("\n\nLength: {} minutes.", booking.duration_minutes));
    if let Some(place) = &booking.meeting_location {
        text.push_str(&format!("\nWhere: {place}"));
    }
    if recipient == Recipient::Student && !matches!(notice, Notice::Cancelled { .. }) {
        text.push_str(&format!("\nPrice: {}", dollars(booking.price_cents)));
    }
    if let Notice::Cancelled { late: true } = notice {
        text.push_str("\nThis was a late cancellation (less than 24 hours before the start).");
    }
    text.push_str(&format!("\nBooking reference: {}\n", booking.id));
    Mail { to: to.to_owned(), subject, text }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_as_new_york_wall_clock_on_both_sides_of_dst() {
        // 22:00 UTC is 5 PM in winter (EST) and 6 PM in summer (EDT).
        assert_eq!(when("2026-11-27T22:00:00Z".parse().unwrap()), "Friday, November 27, 2026 at 5:00 PM");
        assert_eq!(when("2026-07-10T22:00:00Z".parse().unwrap()), "Friday, July 10, 2026 at 6:00 PM");
    }

    #[test]
    fn cents_print_as_dollars() {
        assert_eq!(dollars(Cents(8_050)), "$80.50");
        assert_eq!(dollars(Cents(7_000)), "$70.00");
    }
}
