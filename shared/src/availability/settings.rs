//! An instructor's booking settings: minimum notice, buffer between lessons, horizon.

use std::fmt;

use jiff::SignedDuration;
use serde::{Deserialize, Serialize};

/// Which setting a validation error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SettingsField {
    MinNoticeHours,
    BufferMinutes,
    HorizonDays,
}

impl SettingsField {
    pub fn as_str(self) -> &'static str {
        match self {
            SettingsField::MinNoticeHours => "min_notice_hours",
            SettingsField::BufferMinutes => "buffer_minutes",
            SettingsField::HorizonDays => "horizon_days",
        }
    }
}

impl fmt::Display for SettingsField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A setting outside its allowed range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field} must be between {min} and {max}, got {got}")]
pub struct SettingsError {
    pub field: SettingsField,
    pub min: u16,
    pub max: u16,
    pub got: u16,
}

impl SettingsError {
    pub fn code(self) -> &'static str {
        "out_of_range"
    }
}

/// Validated booking settings. JSON:
/// `{"min_notice_hours":2,"buffer_minutes":0,"horizon_days":90}`; a field left out takes its
/// default, unknown fields are rejected.
///
/// `buffer_minutes` may be any whole number of minutes in 0..=60 and is applied exactly.
/// Lessons start and end on 15-minute steps, so a gap between two lessons is a multiple of
/// 15 and a 10-minute buffer behaves like a 15-minute one; the lock cells round outwards to
/// 15-minute cells and agree with that (see `cells.rs`).
// The schema utoipa derives from the fields is exactly the JSON shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(into = "SettingsJson", try_from = "SettingsJson")]
pub struct BookingSettings {
    min_notice_hours: u16,
    buffer_minutes: u16,
    horizon_days: u16,
}

impl BookingSettings {
    pub const MAX_MIN_NOTICE_HOURS: u16 = 168;
    pub const MAX_BUFFER_MINUTES: u16 = 60;
    pub const MIN_HORIZON_DAYS: u16 = 1;
    pub const MAX_HORIZON_DAYS: u16 = 365;

    pub const DEFAULT_MIN_NOTICE_HOURS: u16 = 2;
    pub const DEFAULT_BUFFER_MINUTES: u16 = 0;
    pub const DEFAULT_HORIZON_DAYS: u16 = 90;

    pub fn new(
        min_notice_hours: u16,
        buffer_minutes: u16,
        horizon_days: u16,
    ) -> Result<BookingSettings, SettingsError> {
        let check = |field, got, min, max| {
            if (min..=max).contains(&got) { Ok(()) } else { Err(SettingsError { field, min, max, got }) }
        };
        check(SettingsField::MinNoticeHours, min_notice_hours, 0, Self::MAX_MIN_NOTICE_HOURS)?;
        check(SettingsField::BufferMinutes, buffer_minutes, 0, Self::MAX_BUFFER_MINUTES)?;
        check(SettingsField::HorizonDays, horizon_days, Self::MIN_HORIZON_DAYS, Self::MAX_HORIZON_DAYS)?;
        Ok(BookingSettings { min_notice_hours, buffer_minutes, horizon_days })
    }

    pub fn min_notice_hours(self) -> u16 {
        self.min_notice_hours
    }

    pub fn buffer_minutes(self) -> u16 {
        self.buffer_minutes
    }

    pub fn horizon_days(self) -> u16 {
        self.horizon_days
    }

    pub fn min_notice(self) -> SignedDuration {
        SignedDuration::from_hours(i64::from(self.min_notice_hours))
    }

    pub fn buffer(self) -> SignedDuration {
        SignedDuration::from_mins(i64::from(self.buffer_minutes))
    }
}

impl Default for BookingSettings {
    fn default() -> BookingSettings {
        BookingSettings {
            min_notice_hours: Self::DEFAULT_MIN_NOTICE_HOURS,
            buffer_minutes: Self::DEFAULT_BUFFER_MINUTES,
            horizon_days: Self::DEFAULT_HORIZON_DAYS,
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingsJson {
    #[serde(default = "default_notice")]
    min_notice_hours: u16,
    #[serde(default)]
    buffer_minutes: u16,
    #[serde(default = "default_horizon")]
    horizon_days: u16,
}

fn default_notice() -> u16 {
    BookingSettings::DEFAULT_MIN_NOTICE_HOURS
}

fn default_horizon() -> u16 {
    BookingSettings::DEFAULT_HORIZON_DAYS
}

impl From<BookingSettings> for SettingsJson {
    fn from(s: BookingSettings) -> SettingsJson {
        SettingsJson {
            min_notice_hours: s.min_notice_hours,
            buffer_minutes: s.buffer_minutes,
            horizon_days: s.horizon_days,
        }
    }
}

impl TryFrom<SettingsJson> for BookingSettings {
    type Error = SettingsError;

    fn try_from(json: SettingsJson) -> Result<BookingSettings, SettingsError> {
        BookingSettings::new(json.min_notice_hours, json.buffer_minutes, json.horizon_days)
    }
}
