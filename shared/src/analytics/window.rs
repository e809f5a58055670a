//! The date window an analytics request asks about: `days` (1–365, default 30) ending
//! today, or an explicit `start`/`end` (New York dates, inclusive, at most 365 days).

use jiff::{Span, civil::Date};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub const DEFAULT_DAYS: i64 = 30;
pub const MAX_DAYS: i64 = 365;

/// The window parameters as they arrive on a query string.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WindowParams {
    /// The last N days including today (New York), 1–365; default 30. Not with start/end.
    pub days: Option<i64>,
    /// First day, `YYYY-MM-DD` (with `end`).
    pub start: Option<String>,
    /// Last day, inclusive, `YYYY-MM-DD` (with `start`); at most 365 days after `start`.
    pub end: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Window {
    /// First New York date, inclusive.
    #[schema(value_type = String, format = Date)]
    pub start: Date,
    /// Last New York date, inclusive.
    #[schema(value_type = String, format = Date)]
    pub end: Date,
}

/// A window the caller got wrong, naming the parameter.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct WindowError {
    pub field: &'static str,
    pub message: String,
}

fn error(field: &'static str, message: impl Into<String>) -> WindowError {
    WindowError { field, message: message.into() }
}

impl Window {
    pub fn last_days(today: Date, days: i64) -> Result<Self, WindowError> {
        if !(1..=MAX_DAYS).contains(&days) {
            return Err(error("days", format!("days must be between 1 and {MAX_DAYS}")));
        }
        let start = today.checked_sub(Span::new().days(days - 1)).map_err(|_| error("days", "days out of range"))?;
        Ok(Self { start, end: today })
    }

    pub fn parse(params: &WindowParams, today: Date) -> Result<Self, WindowError> {
        let date = |field: &'static str, text: &str| {
            text.parse::<Date>().map_err(|_| error(field, format!("{field} must be a date, YYYY-MM-DD")))
        };
        match (params.days, params.start.as_deref(), params.end.as_deref()) {
            (Some(_), Some(_), _) | (Some(_), None, Some(_)) => {
                Err(error("days", "give either days or start and end, not both"))
            }
            (Some(days), None, None) => Self::last_days(today, days),
            (None, None, None) => Self::last_days(today, DEFAULT_DAYS),
            (None, Some(_), None) => Err(error("end", "end is required with start")),
            (None, None, Some(_)) => Err(error("start", "start is required with end")),
            (None, Some(start), Some(end)) => {
                let (start, end) = (date("start", start)?, date("end", end)?);
                if end < start {
                    return Err(error("end", "end must not be before start"));
                }
                let window = Self { start, end };
                if window.days() > MAX_DAYS {
                    return Err(error("end", format!("the window must be at most {MAX_DAYS} days")));
                }
                Ok(window)
            }
        }
    }

    /// How many days the window spans.
    pub fn days(&self) -> i64 {
        (self.end - self.start).get_days() as i64 + 1
    }

    pub fn contains(&self, date: Date) -> bool {
        self.start <= date && date <= self.end
    }

    /// Every date of the window, in order.
    pub fn dates(&self) -> Vec<Date> {
        let mut out = Vec::new();
        let mut date = self.start;
        while date <= self.end {
            out.push(date);
            match date.tomorrow() {
                Ok(next) => date = next,
                Err(_) => break,
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        "2026-11-26".parse().unwrap()
    }

    fn params(days: Option<i64>, start: Option<&str>, end: Option<&str>) -> WindowParams {
        WindowParams { days, start: start.map(str::to_owned), end: end.map(str::to_owned) }
    }

    #[test]
    fn days_end_today() {
        let w = Window::parse(&params(None, None, None), today()).unwrap();
        assert_eq!((w.start.to_string(), w.end.to_string(), w.days()), ("2026-10-28".into(), "2026-11-26".into(), 30));
        let w = Window::parse(&params(Some(1), None, None), today()).unwrap();
        assert_eq!(w.start, w.end);
        assert_eq!(Window::parse(&params(Some(365), None, None), today()).unwrap().dates().len(), 365);
        for bad in [0, -1, 366] {
            assert_eq!(Window::parse(&params(Some(bad), None, None), today()).unwrap_err().field, "days");
        }
    }

    #[test]
    fn start_and_end() {
        let w = Window::parse(&params(None, Some("2026-03-01"), Some("2026-03-10")), today()).unwrap();
        assert_eq!(w.days(), 10);
        assert!(w.contains("2026-03-01".parse().unwrap()) && w.contains("2026-03-10".parse().unwrap()));
        assert!(!w.contains("2026-03-11".parse().unwrap()));
        let err = |p| Window::parse(&p, today()).unwrap_err().field;
        assert_eq!(err(params(None, Some("2026-03-10"), Some("2026-03-01"))), "end");
        assert_eq!(err(params(None, Some("2025-01-01"), Some("2026-03-01"))), "end");
        assert_eq!(err(params(None, Some("March"), Some("2026-03-01"))), "start");
        assert_eq!(err(params(None, Some("2026-03-01"), None)), "end");
        assert_eq!(err(params(None, None, Some("2026-03-01"))), "start");
        assert_eq!(err(params(Some(7), Some("2026-03-01"), Some("2026-03-02"))), "days");
    }
}
