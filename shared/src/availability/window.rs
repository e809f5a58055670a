//! Wall-clock availability windows and the normalised list of them for one day.

use std::fmt;

use jiff::civil::Time;
use serde::{Deserialize, Serialize};

/// Minutes in a wall-clock day; also the minute value of "24:00".
pub const MINUTES_PER_DAY: u16 = 1440;
/// Lessons start, and windows begin and end, on this wall-clock step.
pub const STEP_MINUTES: u16 = 15;

/// Why an `"HH:MM"` time of day was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TimeOfDayError {
    #[error("expected a time written as HH:MM")]
    Malformed,
    #[error("hour must be 00-23 (24:00 is allowed only as an end) and minute 00-59")]
    OutOfRange,
    #[error("must be on a 15-minute step (:00, :15, :30 or :45)")]
    NotOn15MinuteStep,
}

impl TimeOfDayError {
    /// Stable machine code for problem+json.
    pub fn code(self) -> &'static str {
        match self {
            TimeOfDayError::Malformed => "malformed_time",
            TimeOfDayError::OutOfRange => "time_out_of_range",
            TimeOfDayError::NotOn15MinuteStep => "not_on_15_minute_step",
        }
    }
}

/// Parses `"HH:MM"` (exactly two digits each) into minutes after midnight.
/// `"24:00"` is accepted only when `allow_end_of_day` (a window end).
pub fn parse_hhmm(text: &str, allow_end_of_day: bool) -> Result<u16, TimeOfDayError> {
    let bytes = text.as_bytes();
    let digits_ok = bytes.len() == 5 && bytes[2] == b':' && [0, 1, 3, 4].iter().all(|&i| bytes[i].is_ascii_digit());
    if !digits_ok {
        return Err(TimeOfDayError::Malformed);
    }
    let two = |i: usize| u16::from(bytes[i] - b'0') * 10 + u16::from(bytes[i + 1] - b'0');
    let (hour, minute) = (two(0), two(3));
    let end_of_day = hour == 24 && minute == 0;
    if minute > 59 || (hour > 23 && !end_of_day) || (end_of_day && !allow_end_of_day) {
        return Err(TimeOfDayError::OutOfRange);
    }
    if !minute.is_multiple_of(STEP_MINUTES) {
        return Err(TimeOfDayError::NotOn15MinuteStep);
    }
    Ok(hour * 60 + minute)
}

/// The `civil::Time` of minutes after midnight; `None` for 1440 (24:00) and beyond.
pub(crate) fn time_of_minute(minute: u16) -> Option<Time> {
    let hour = i8::try_from(minute / 60).ok()?;
    let min = i8::try_from(minute % 60).ok()?;
    Time::new(hour, min, 0, 0).ok()
}

/// Minutes after midnight of a time of day (seconds ignored).
pub(crate) fn minute_of_time(time: Time) -> u16 {
    // hour() is 0..=23 and minute() 0..=59, never negative.
    u16::from(time.hour().unsigned_abs()) * 60 + u16::from(time.minute().unsigned_abs())
}

/// Formats minutes after midnight as `"HH:MM"` (1440 → `"24:00"`).
pub fn format_hhmm(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Which end of a window a validation error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WindowField {
    Start,
    End,
}

impl WindowField {
    pub fn as_str(self) -> &'static str {
        match self {
            WindowField::Start => "start",
            WindowField::End => "end",
        }
    }
}

impl fmt::Display for WindowField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a window was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WindowError {
    #[error("window {field}: {reason}")]
    Time { field: WindowField, reason: TimeOfDayError },
    #[error("window end must be after its start")]
    EndNotAfterStart,
}

impl WindowError {
    /// The offending field.
    pub fn field(self) -> WindowField {
        match self {
            WindowError::Time { field, .. } => field,
            WindowError::EndNotAfterStart => WindowField::End,
        }
    }

    /// Stable machine code for problem+json.
    pub fn code(self) -> &'static str {
        match self {
            WindowError::Time { reason, .. } => reason.code(),
            WindowError::EndNotAfterStart => "window_end_not_after_start",
        }
    }
}

/// A wall-clock range `[start, end)` on one date, on 15-minute steps, as minutes after
/// midnight: `0 <= start < end <= 1440`. JSON: `{"start":"09:00","end":"17:00"}`.
///
/// Minutes rather than `civil::Time` because a window may end at 24:00, which no `Time`
/// can hold, and because slot enumeration is integer stepping.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "WindowJson", try_from = "WindowJson")]
pub struct Window {
    start: u16,
    end: u16,
}

impl Window {
    /// A window from minutes after midnight.
    pub fn new(start_minute: u16, end_minute: u16) -> Result<Window, WindowError> {
        let check = |field, minute: u16, max| {
            if minute > max {
                Err(WindowError::Time { field, reason: TimeOfDayError::OutOfRange })
            } else if !minute.is_multiple_of(STEP_MINUTES) {
                Err(WindowError::Time { field, reason: TimeOfDayError::NotOn15MinuteStep })
            } else {
                Ok(())
            }
        };
        check(WindowField::Start, start_minute, MINUTES_PER_DAY - STEP_MINUTES)?;
        check(WindowField::End, end_minute, MINUTES_PER_DAY)?;
        if end_minute <= start_minute {
            return Err(WindowError::EndNotAfterStart);
        }
        Ok(Window { start: start_minute, end: end_minute })
    }

    /// A window from `"HH:MM"` texts (`end` may be `"24:00"`).
    pub fn parse(start: &str, end: &str) -> Result<Window, WindowError> {
        let start =
            parse_hhmm(start, false).map_err(|reason| WindowError::Time { field: WindowField::Start, reason })?;
        let end = parse_hhmm(end, true).map_err(|reason| WindowError::Time { field: WindowField::End, reason })?;
        Window::new(start, end)
    }

    pub fn start_minute(self) -> u16 {
        self.start
    }

    pub fn end_minute(self) -> u16 {
        self.end
    }

    /// Wall-clock length in minutes (a DST day's real length may differ by an hour).
    pub fn wall_minutes(self) -> u16 {
        self.end - self.start
    }

    /// Whether the wall-clock minute lies in `[start, end)`.
    pub fn contains_minute(self, minute: u16) -> bool {
        self.start <= minute && minute < self.end
    }

    /// The wall-clock starts on 15-minute steps inside the window, in order.
    pub fn step_starts(self) -> impl Iterator<Item = u16> {
        (self.start..self.end).step_by(usize::from(STEP_MINUTES))
    }
}

impl fmt::Display for Window {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", format_hhmm(self.start), format_hhmm(self.end))
    }
}

/// The JSON shape of a window, parsed strictly.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WindowJson {
    start: String,
    end: String,
}

impl From<Window> for WindowJson {
    fn from(window: Window) -> WindowJson {
        WindowJson { start: format_hhmm(window.start), end: format_hhmm(window.end) }
    }
}

impl TryFrom<WindowJson> for Window {
    type Error = WindowError;

    fn try_from(json: WindowJson) -> Result<Window, WindowError> {
        Window::parse(&json.start, &json.end)
    }
}

/// Two windows of the same day that overlap (touching windows are merged, not rejected).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("windows {first} and {second} overlap")]
pub struct OverlapError {
    pub first: Window,
    pub second: Window,
}

impl OverlapError {
    pub fn code(self) -> &'static str {
        "overlapping_windows"
    }
}

/// One day's windows: sorted, non-overlapping, and with touching windows merged
/// (`09:00-12:00` + `12:00-13:00` is stored as `09:00-13:00`, so a lesson may span the
/// seam). Overlapping input is an error because it is almost certainly a typo that merging
/// would hide. JSON: an array of windows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "Vec<Window>", try_from = "Vec<Window>")]
pub struct DayWindows(Vec<Window>);

impl DayWindows {
    /// Normalises `windows` (any order): sorts, merges touching ones, rejects overlaps.
    pub fn new(mut windows: Vec<Window>) -> Result<DayWindows, OverlapError> {
        windows.sort_unstable();
        let mut merged: Vec<Window> = Vec::with_capacity(windows.len());
        for window in windows {
            match merged.last_mut() {
                Some(last) if window.start < last.end => {
                    return Err(OverlapError { first: *last, second: window });
                }
                Some(last) if window.start == last.end => last.end = window.end,
                _ => merged.push(window),
            }
        }
        Ok(DayWindows(merged))
    }

    /// No windows: nothing bookable.
    pub const fn empty() -> DayWindows {
        DayWindows(Vec::new())
    }

    pub fn as_slice(&self) -> &[Window] {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The window containing the wall-clock minute, if any.
    pub fn window_containing(&self, minute: u16) -> Option<Window> {
        // Windows are sorted and disjoint: the candidate is the last one starting at or
        // before `minute`.
        let index = self.0.partition_point(|w| w.start <= minute);
        index.checked_sub(1).map(|i| self.0[i]).filter(|w| w.contains_minute(minute))
    }
}

impl From<DayWindows> for Vec<Window> {
    fn from(day: DayWindows) -> Vec<Window> {
        day.0
    }
}

impl TryFrom<Vec<Window>> for DayWindows {
    type Error = OverlapError;

    fn try_from(windows: Vec<Window>) -> Result<DayWindows, OverlapError> {
        DayWindows::new(windows)
    }
}
