//! Window parsing and per-day normalisation.

use super::support::*;
use crate::availability::{
    DayWindows, OverlapError, TimeOfDayError, Window, WindowError, WindowField, format_hhmm, parse_hhmm,
};

#[test]
fn hhmm_parses_strictly() {
    assert_eq!(parse_hhmm("00:00", false), Ok(0));
    assert_eq!(parse_hhmm("23:45", false), Ok(1425));
    assert_eq!(parse_hhmm("24:00", true), Ok(1440));
    assert_eq!(parse_hhmm("24:00", false), Err(TimeOfDayError::OutOfRange));
    assert_eq!(parse_hhmm("24:15", true), Err(TimeOfDayError::OutOfRange));
    assert_eq!(parse_hhmm("12:60", true), Err(TimeOfDayError::OutOfRange));
    assert_eq!(parse_hhmm("12:05", true), Err(TimeOfDayError::NotOn15MinuteStep));
    for malformed in ["9:00", "09:0", "0900", "09-00", "+9:00", "", "09:00 "] {
        assert_eq!(parse_hhmm(malformed, true), Err(TimeOfDayError::Malformed), "{malformed:?}");
    }
    assert_eq!(format_hhmm(0), "00:00");
    assert_eq!(format_hhmm(1440), "24:00");
}

#[test]
fn window_errors_name_the_field_and_reason() {
    let start = Window::parse("09:05", "10:00").unwrap_err();
    assert_eq!(start.field(), WindowField::Start);
    assert_eq!(start.code(), "not_on_15_minute_step");
    let end = Window::parse("09:00", "25:00").unwrap_err();
    assert_eq!(end, WindowError::Time { field: WindowField::End, reason: TimeOfDayError::OutOfRange });
    assert_eq!(Window::parse("10:00", "10:00"), Err(WindowError::EndNotAfterStart));
    assert_eq!(Window::parse("10:00", "10:00").unwrap_err().field(), WindowField::End);
    assert_eq!(Window::new(1425, 1440).map(|w| w.wall_minutes()), Ok(15));
    assert!(Window::new(1440, 1440).is_err());
}

#[test]
fn days_sort_merge_touching_and_reject_overlapping_windows() {
    let merged = DayWindows::new(vec![
        window("13:00", "14:00"),
        window("09:00", "10:00"),
        window("10:00", "12:00"),
        window("12:00", "12:30"),
    ])
    .unwrap();
    assert_eq!(merged.as_slice(), [window("09:00", "12:30"), window("13:00", "14:00")]);
    assert_eq!(merged.window_containing(540), Some(window("09:00", "12:30")));
    assert_eq!(merged.window_containing(750), None);
    assert_eq!(merged.window_containing(780), Some(window("13:00", "14:00")));
    assert_eq!(merged.window_containing(0), None);

    let overlap = DayWindows::new(vec![window("11:00", "13:00"), window("09:00", "12:00")]);
    assert_eq!(overlap, Err(OverlapError { first: window("09:00", "12:00"), second: window("11:00", "13:00") }));
    assert!(DayWindows::new(vec![window("09:00", "10:00"), window("09:00", "10:00")]).is_err());
}
