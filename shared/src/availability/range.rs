//! Inclusive ranges of civil dates with a bounded length.

use jiff::civil::Date;
use serde::Serialize;

/// Why a date range was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RangeError {
    #[error("the range ends ({last}) before it starts ({first})")]
    EndBeforeStart { first: Date, last: Date },
    #[error("the range may span at most {max_span_days} days")]
    TooLong { max_span_days: i64 },
}

impl RangeError {
    pub fn code(self) -> &'static str {
        match self {
            RangeError::EndBeforeStart { .. } => "range_end_before_start",
            RangeError::TooLong { .. } => "range_too_long",
        }
    }
}

/// The civil dates `first..=last`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct DateRange {
    first: Date,
    last: Date,
}

impl DateRange {
    /// Longest public availability query: `last - first <= 90` days, i.e. at most 91 dates,
    /// which is exactly "today through today + 90" (the default horizon) in one request.
    pub const MAX_QUERY_SPAN_DAYS: i64 = 90;

    /// A range for an availability query (at most [`Self::MAX_QUERY_SPAN_DAYS`]).
    pub fn new(first: Date, last: Date) -> Result<DateRange, RangeError> {
        DateRange::spanning_at_most(first, last, Self::MAX_QUERY_SPAN_DAYS)
    }

    /// A range whose `last - first` is at most `max_span_days` days.
    pub fn spanning_at_most(first: Date, last: Date, max_span_days: i64) -> Result<DateRange, RangeError> {
        if last < first {
            return Err(RangeError::EndBeforeStart { first, last });
        }
        if days_between(first, last) > max_span_days {
            return Err(RangeError::TooLong { max_span_days });
        }
        Ok(DateRange { first, last })
    }

    pub fn first(self) -> Date {
        self.first
    }

    pub fn last(self) -> Date {
        self.last
    }

    /// Every date of the range, in order.
    pub fn dates(self) -> impl Iterator<Item = Date> {
        dates_through(self.first, self.last)
    }
}

/// Whole days from `from` to `to` (negative when `to` is earlier).
pub(crate) fn days_between(from: Date, to: Date) -> i64 {
    // Civil days are exactly 24 hours apart in jiff's civil arithmetic.
    from.duration_until(to).as_secs() / 86_400
}

/// `from..=to`, stopping quietly at jiff's last representable date.
pub(crate) fn dates_through(from: Date, to: Date) -> impl Iterator<Item = Date> {
    std::iter::successors(Some(from), |d| d.tomorrow().ok()).take_while(move |d| *d <= to)
}

/// `date` plus `days`, or `None` past jiff's representable range.
pub(crate) fn add_days(date: Date, days: i64) -> Option<Date> {
    let span = jiff::Span::new().try_days(days).ok()?;
    date.checked_add(span).ok()
}
