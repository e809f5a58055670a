//! The length of a lesson.

use jiff::SignedDuration;
use serde::{Deserialize, Serialize};

use super::window::STEP_MINUTES;

/// Why a lesson length was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DurationError {
    #[error("a lesson lasts between 15 and 240 minutes, got {0}")]
    OutOfRange(u16),
    #[error("a lesson lasts a multiple of 15 minutes, got {0}")]
    NotOn15MinuteStep(u16),
}

impl DurationError {
    pub fn code(self) -> &'static str {
        match self {
            DurationError::OutOfRange(_) => "duration_out_of_range",
            DurationError::NotOn15MinuteStep(_) => "duration_not_on_15_minute_step",
        }
    }
}

/// Real elapsed minutes of a lesson: a multiple of 15 in 15..=240 (JSON: the integer).
/// Whether an offering allows a given length is the booking layer's check, not this type's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "u16", try_from = "u16")]
pub struct LessonDuration(u16);

impl LessonDuration {
    pub const MIN_MINUTES: u16 = 15;
    pub const MAX_MINUTES: u16 = 240;

    pub fn from_minutes(minutes: u16) -> Result<LessonDuration, DurationError> {
        if !(Self::MIN_MINUTES..=Self::MAX_MINUTES).contains(&minutes) {
            Err(DurationError::OutOfRange(minutes))
        } else if !minutes.is_multiple_of(STEP_MINUTES) {
            Err(DurationError::NotOn15MinuteStep(minutes))
        } else {
            Ok(LessonDuration(minutes))
        }
    }

    pub fn minutes(self) -> u16 {
        self.0
    }

    /// As real elapsed time: a lesson across a DST change still lasts this long.
    pub fn as_signed_duration(self) -> SignedDuration {
        SignedDuration::from_mins(i64::from(self.0))
    }
}

impl From<LessonDuration> for u16 {
    fn from(duration: LessonDuration) -> u16 {
        duration.0
    }
}

impl TryFrom<u16> for LessonDuration {
    type Error = DurationError;

    fn try_from(minutes: u16) -> Result<LessonDuration, DurationError> {
        LessonDuration::from_minutes(minutes)
    }
}
