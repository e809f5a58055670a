//! The JSON shapes the API exposes.

use serde_json::{from_str, json, to_value};

use super::support::*;
use crate::availability::{
    BookingSettings, DaySlots, Interval, LessonDuration, NextSlot, Schedule, Slot, SlotRule, WeeklyTemplate, Window,
    effective_week,
};

#[test]
fn windows_are_start_end_strings() {
    let w = window("09:00", "24:00");
    assert_eq!(to_value(w).unwrap(), json!({"start": "09:00", "end": "24:00"}));
    assert_eq!(from_str::<Window>(r#"{"start":"09:00","end":"24:00"}"#).unwrap(), w);
    for bad in [
        r#"{"start":"24:00","end":"24:00"}"#,
        r#"{"start":"9:00","end":"10:00"}"#,
        r#"{"start":"09:10","end":"10:00"}"#,
        r#"{"start":"10:00","end":"09:00"}"#,
        r#"{"start":"09:00","end":"10:00","note":"x"}"#,
        r#"{"start":"09:00"}"#,
    ] {
        assert!(from_str::<Window>(bad).is_err(), "{bad}");
    }
}

#[test]
fn templates_are_keyed_by_lowercase_weekday() {
    let template: WeeklyTemplate = from_str(
        r#"{"monday":[{"start":"12:00","end":"13:00"},{"start":"09:00","end":"12:00"}],
            "sunday":[]}"#,
    )
    .unwrap();
    assert_eq!(template.day(jiff::civil::Weekday::Monday).as_slice(), [window("09:00", "13:00")]);
    assert_eq!(
        to_value(&template).unwrap(),
        json!({
            "monday": [{"start": "09:00", "end": "13:00"}],
            "tuesday": [], "wednesday": [], "thursday": [], "friday": [], "saturday": [], "sunday": []
        })
    );
    assert!(from_str::<WeeklyTemplate>(r#"{"funday":[]}"#).is_err());
    let overlap =
        from_str::<WeeklyTemplate>(r#"{"monday":[{"start":"09:00","end":"12:00"},{"start":"11:00","end":"13:00"}]}"#);
    assert!(overlap.unwrap_err().to_string().contains("09:00-12:00 and 11:00-13:00 overlap"));
}

#[test]
fn schedules_round_trip_with_dated_overrides_and_blackouts() {
    let text = r#"{
        "template": {"friday": [{"start": "09:00", "end": "17:00"}]},
        "overrides": {"2026-03-08": [{"start": "01:00", "end": "04:00"}], "2026-03-09": []},
        "blackouts": ["2026-12-25"]
    }"#;
    let schedule: Schedule = from_str(text).unwrap();
    assert_eq!(schedule.windows_on(date(2026, 3, 8)), [window("01:00", "04:00")]);
    assert!(schedule.windows_on(date(2026, 3, 9)).is_empty());
    assert!(schedule.is_blackout(date(2026, 12, 25)));
    let value = to_value(&schedule).unwrap();
    assert_eq!(value["overrides"]["2026-03-09"], json!([]));
    assert_eq!(value["blackouts"], json!(["2026-12-25"]));
    assert_eq!(serde_json::from_value::<Schedule>(value).unwrap(), schedule);
    assert_eq!(from_str::<Schedule>("{}").unwrap(), Schedule::default());
    assert!(from_str::<Schedule>(r#"{"blackout":[]}"#).is_err());
    assert!(from_str::<Schedule>(r#"{"blackouts":["2026-13-01"]}"#).is_err());
}

#[test]
fn settings_default_missing_fields_and_reject_bad_ones() {
    let defaults: BookingSettings = from_str("{}").unwrap();
    assert_eq!(defaults, BookingSettings::default());
    assert_eq!(to_value(defaults).unwrap(), json!({"min_notice_hours": 2, "buffer_minutes": 0, "horizon_days": 90}));
    let custom: BookingSettings = from_str(r#"{"buffer_minutes":10}"#).unwrap();
    assert_eq!((custom.min_notice_hours(), custom.buffer_minutes(), custom.horizon_days()), (2, 10, 90));
    for bad in [
        r#"{"min_notice_hours":169}"#,
        r#"{"buffer_minutes":61}"#,
        r#"{"horizon_days":0}"#,
        r#"{"horizon_days":366}"#,
        r#"{"horizon":90}"#,
    ] {
        assert!(from_str::<BookingSettings>(bad).is_err(), "{bad}");
    }
    let error = BookingSettings::new(2, 61, 90).unwrap_err();
    assert_eq!((error.field.as_str(), error.code()), ("buffer_minutes", "out_of_range"));
}

#[test]
fn slots_show_wall_time_and_utc_instants() {
    let day = DaySlots {
        date: date(2026, 3, 8),
        slots: vec![Slot {
            time: "01:30".parse().unwrap(),
            start: ts("2026-03-08T06:30:00Z"),
            end: ts("2026-03-08T07:30:00Z"),
        }],
    };
    let expected = json!({
        "date": "2026-03-08",
        "slots": [{"time": "01:30", "start": "2026-03-08T06:30:00Z", "end": "2026-03-08T07:30:00Z"}]
    });
    assert_eq!(to_value(&day).unwrap(), expected);
    assert_eq!(serde_json::from_value::<DaySlots>(expected).unwrap(), day);
    let next = NextSlot { date: day.date, slot: day.slots[0] };
    assert_eq!(
        to_value(next).unwrap(),
        json!({"date": "2026-03-08", "time": "01:30",
               "start": "2026-03-08T06:30:00Z", "end": "2026-03-08T07:30:00Z"})
    );
}

#[test]
fn rules_serialize_as_their_codes() {
    for rule in SlotRule::ALL {
        assert_eq!(to_value(rule).unwrap(), json!(rule.code()));
        assert_eq!(from_str::<SlotRule>(&format!("\"{}\"", rule.code())).unwrap(), rule);
    }
}

#[test]
fn durations_and_intervals_validate_on_input() {
    assert_eq!(from_str::<LessonDuration>("60").unwrap().minutes(), 60);
    for bad in ["0", "50", "255", "-15"] {
        assert!(from_str::<LessonDuration>(bad).is_err(), "{bad}");
    }
    let interval: Interval = from_str(r#"{"start":"2026-03-04T15:00:00Z","end":"2026-03-04T16:00:00Z"}"#).unwrap();
    assert_eq!(interval, busy("2026-03-04T15:00:00Z", "2026-03-04T16:00:00Z"));
    assert!(from_str::<Interval>(r#"{"start":"2026-03-04T16:00:00Z","end":"2026-03-04T16:00:00Z"}"#).is_err());
}

#[test]
fn effective_days_name_their_weekday() {
    let week = effective_week(&every_day(&[("09:00", "10:00")]), date(2026, 3, 2)).unwrap();
    assert_eq!(
        to_value(&week[0]).unwrap(),
        json!({"date": "2026-03-02", "weekday": "monday", "source": "template",
               "windows": [{"start": "09:00", "end": "10:00"}]})
    );
}
