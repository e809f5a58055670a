//! OpenAPI shapes of the availability types. Those types (in `availability`) serialise
//! through validating conversions, so their derived schema would show internals; these
//! mirrors describe the JSON clients send and receive. `tests/schedule.rs` sends exactly
//! these shapes, so a mirror that drifted from the real type would fail there.

use std::collections::BTreeMap;

use utoipa::ToSchema;

/// A wall-clock window on 15-minute steps; `end` may be `"24:00"`.
#[derive(ToSchema)]
#[schema(as = Window, example = json!({"start": "09:00", "end": "17:00"}))]
#[allow(dead_code)]
pub struct WindowDoc {
    pub start: String,
    pub end: String,
}

/// Windows per weekday; a day left out has none. Touching windows merge; overlapping ones
/// are refused.
#[derive(ToSchema)]
#[schema(as = WeeklyTemplate)]
#[allow(dead_code)]
pub struct WeeklyTemplateDoc {
    #[schema(required = false)]
    pub monday: Vec<WindowDoc>,
    #[schema(required = false)]
    pub tuesday: Vec<WindowDoc>,
    #[schema(required = false)]
    pub wednesday: Vec<WindowDoc>,
    #[schema(required = false)]
    pub thursday: Vec<WindowDoc>,
    #[schema(required = false)]
    pub friday: Vec<WindowDoc>,
    #[schema(required = false)]
    pub saturday: Vec<WindowDoc>,
    #[schema(required = false)]
    pub sunday: Vec<WindowDoc>,
}

/// An instructor's availability: template, date overrides (`YYYY-MM-DD` → windows; empty
/// clears the date) and blackout dates. Precedence: blackout > override > template.
#[derive(ToSchema)]
#[schema(as = Schedule)]
#[allow(dead_code)]
pub struct ScheduleDoc {
    #[schema(required = false)]
    pub template: WeeklyTemplateDoc,
    #[schema(required = false)]
    pub overrides: BTreeMap<String, Vec<WindowDoc>>,
    #[schema(required = false)]
    pub blackouts: Vec<String>,
}

/// One bookable start: the New York wall-clock label and the lesson's real start and end
/// (RFC 3339 UTC).
#[derive(ToSchema)]
#[schema(as = Slot, example = json!({"time": "09:00", "start": "2026-12-01T14:00:00Z", "end": "2026-12-01T15:00:00Z"}))]
#[allow(dead_code)]
pub struct SlotDoc {
    pub time: String,
    pub start: String,
    pub end: String,
}

/// The bookable starts of one date (possibly none).
#[derive(ToSchema)]
#[schema(as = DaySlots)]
#[allow(dead_code)]
pub struct DaySlotsDoc {
    pub date: String,
    pub slots: Vec<SlotDoc>,
}

/// The first bookable start: its date, label and real start and end.
#[derive(ToSchema)]
#[schema(as = NextSlot)]
#[allow(dead_code)]
pub struct NextSlotDoc {
    pub date: String,
    pub time: String,
    pub start: String,
    pub end: String,
}
