//! Times of day: "after 5pm", "before 10am", "at 3", "around 4pm", "between 3 and 5",
//! "3-5pm", "5:30", "noon", and parts of the day ("morning", "evening", "after school").
//!
//! Decisions:
//! - a window is over lesson START times, both ends inclusive, minute precision; an upper bound
//!   the user states is exclusive, so "before 10am" ends 09:59 and "between 3 and 5" 16:59;
//! - a bare hour (no am/pm) after a cue: 1–7 is pm ("after 5" = 17:00), 8–11 is am, 12 is noon,
//!   0 and 13–23 are the 24-hour clock (the 7 is `time.bare_pm_until` in words.yaml); a part
//!   of the day elsewhere in the query decides instead ("tomorrow morning at 7" = 07:00,
//!   "8 tonight" = 20:00);
//! - "around T" is T ± 1 hour; "at T" is exactly T;
//! - a bare number is a time only after a time cue ("at", "after", "before", "around",
//!   "between"); "around N" is a time only for N ≤ 12 (larger is a price: "around 50");
//!   "between A and B" with bare numbers is a time only when both are ≤ 12;
//! - with both "after X" and "before Y", the window is X..Y; otherwise the first explicit time
//!   wins over a part of the day, which wins over "tonight".

use jiff::civil::Time;

use super::data::Meridiem;
use super::lexicon::Tag;
use super::state::{Query, free};
use super::tokens::Use;
use super::types::{TimeConstraint, TimeKind};

const LAST_MINUTE: i32 = 23 * 60 + 59;

#[derive(Debug, Clone, Copy)]
struct Clock {
    hour: u8,
    minute: u8,
    meridiem: Option<Meridiem>,
    /// Minutes were written ("5:30") or the clock is a word ("noon").
    explicit: bool,
    /// A clock word: the hour is already on the 24-hour clock.
    fixed: bool,
    end: usize,
}

impl Clock {
    fn bare(&self) -> bool {
        self.meridiem.is_none() && !self.explicit
    }
}

struct Item {
    kind: TimeKind,
    start: i32,
    end: i32,
    from: usize,
    to: usize,
    /// A bare hour read as am by default ("before 8"): may move to pm when another time in
    /// the query needs it ("after 5 before 8" = 17:00–19:59).
    bare_am: bool,
}

fn to_time(minutes: i32) -> Option<Time> {
    let m = minutes.clamp(0, LAST_MINUTE);
    Time::new(i8::try_from(m / 60).ok()?, i8::try_from(m % 60).ok()?, 0, 0).ok()
}

fn minutes_of(t: Time) -> i32 {
    i32::from(t.hour()) * 60 + i32::from(t.minute())
}

pub(super) fn extract(q: &mut Query, day_hint: Option<(u16, String)>) -> Option<TimeConstraint> {
    let context = context_meridiem(q, day_hint.as_ref().map(|h| h.0));
    let mut items: Vec<Item> = Vec::new();
    let mut i = 0;
    while i < q.len() {
        if !q.is_free(i) {
            i += 1;
            continue;
        }
        let found = between(q, i, context)
            .or_else(|| dashed_range(q, i, context))
            .or_else(|| cued(q, i, context))
            .or_else(|| standalone(q, i, context))
            .or_else(|| part_of_day(q, i));
        match found {
            Some(item) => {
                q.consume(item.from, item.to, Use::Constraint);
                i = item.to + 1;
                items.push(item);
            }
            None => i += 1,
        }
    }
    let explicit: Vec<&Item> = items.iter().filter(|it| it.kind != TimeKind::PartOfDay).collect();
    let after = explicit.iter().find(|it| it.kind == TimeKind::After);
    let before = explicit.iter().find(|it| it.kind == TimeKind::Before);
    let matched: Vec<String> = items.iter().map(|it| q.span(it.from, it.to)).collect();
    let before_end = before.map(|b| {
        let later = b.end + 12 * 60;
        match after {
            Some(a) if b.end < a.start && b.bare_am && later <= LAST_MINUTE => later,
            _ => b.end,
        }
    });
    let (kind, start, end) = match (after, before_end) {
        (Some(a), Some(b_end)) if a.start <= b_end => (TimeKind::Between, a.start, b_end),
        _ => match explicit.first().copied().or_else(|| items.first()) {
            Some(it) => (it.kind, it.start, it.end),
            None => {
                // Only "tonight"-like day words: their part of the day.
                let (idx, words) = day_hint?;
                let part = q.vocab.parts_of_day.get(usize::from(idx))?;
                return Some(TimeConstraint {
                    start: part.start,
                    end: part.end,
                    kind: TimeKind::PartOfDay,
                    matched: vec![words],
                });
            }
        },
    };
    Some(TimeConstraint { start: to_time(start)?, end: to_time(end)?, kind, matched })
}

/// The half of the day the query talks about, from a part-of-day word or "tonight".
fn context_meridiem(q: &Query, day_part: Option<u16>) -> Option<Meridiem> {
    let parts = &q.vocab.parts_of_day;
    if let Some(p) = day_part.and_then(|p| parts.get(usize::from(p))) {
        return Some(p.meridiem);
    }
    (0..q.len()).find_map(|i| {
        let (idx, _) = part_of_day_at(q, i)?;
        parts.get(usize::from(idx)).map(|p| p.meridiem)
    })
}

fn part_of_day_at(q: &Query, i: usize) -> Option<(u16, usize)> {
    q.longest(i, free, |tags| {
        tags.iter().find_map(|t| match *t {
            Tag::PartOfDay(p) => Some(p),
            _ => None,
        })
    })
}

fn meridiem_at(q: &Query, k: usize) -> Option<(Meridiem, usize)> {
    let word = q.longest(k, free, |tags| {
        tags.iter().find_map(|t| match t {
            Tag::Am => Some(Meridiem::Am),
            Tag::Pm => Some(Meridiem::Pm),
            _ => None,
        })
    });
    if word.is_some() {
        return word;
    }
    // "5p", "9a": single letters only when glued to the number.
    if q.glued(k) && q.is_free(k) {
        for &t in q.tags(k) {
            match t {
                Tag::AmLetter => return Some((Meridiem::Am, k)),
                Tag::PmLetter => return Some((Meridiem::Pm, k)),
                _ => {}
            }
        }
    }
    None
}

/// A clock time starting at token `i`: "5", "5pm", "5 p.m.", "5:30", "17:00", "5.30pm", "noon".
fn clock_at(q: &Query, i: usize) -> Option<Clock> {
    if let Some((idx, end)) = q.longest(i, free, |tags| {
        tags.iter().find_map(|t| match *t {
            Tag::ClockWord(c) => Some(c),
            _ => None,
        })
    }) {
        let t = q.vocab.clock_words.get(usize::from(idx))?;
        return Some(Clock {
            hour: u8::try_from(t.hour()).ok()?,
            minute: u8::try_from(t.minute()).ok()?,
            meridiem: None,
            explicit: true,
            fixed: true,
            end,
        });
    }
    let n = q.num(i).filter(|n| n.digits <= 2)?;
    let hour = u8::try_from(n.int).ok().filter(|h| *h <= 24)?;
    let mut minute = 0u8;
    let mut explicit = false;
    let mut end = i;
    if n.has_fraction {
        // "5.30pm": only with am/pm, checked below.
        minute = u8::try_from(n.hundredths).ok().filter(|m| *m < 60)?;
        explicit = true;
    } else if q.sym(i + 1, ':') && q.glued(i + 1) && q.glued(i + 2) {
        let m = q.num(i + 2).filter(|m| m.digits == 2 && !m.has_fraction)?;
        minute = u8::try_from(m.int).ok().filter(|m| *m < 60)?;
        explicit = true;
        end = i + 2;
    }
    let meridiem = match meridiem_at(q, end + 1) {
        Some((m, e)) => {
            end = e;
            Some(m)
        }
        None => None,
    };
    if n.has_fraction && meridiem.is_none() {
        return None;
    }
    Some(Clock { hour, minute, meridiem, explicit, fixed: false, end })
}

/// Minutes after midnight of a clock, applying the bare-hour rule.
fn resolve(c: &Clock, context: Option<Meridiem>, bare_pm_until: u8) -> Option<i32> {
    let h = c.hour;
    let hour24 = match c.meridiem {
        _ if c.fixed => h,
        Some(Meridiem::Am) if (1..=12).contains(&h) => h % 12,
        Some(Meridiem::Pm) if (1..=12).contains(&h) => h % 12 + 12,
        Some(_) => return None,
        None if h >= 24 => return None,
        None if h == 0 || h >= 12 => h,
        None => match context {
            Some(Meridiem::Pm) => h + 12,
            Some(Meridiem::Am) => h,
            None if h <= bare_pm_until => h + 12,
            None => h,
        },
    };
    Some(i32::from(hour24) * 60 + i32::from(c.minute))
}

/// A number followed by one of these is not a time ("after 5 years", "at 40 dollars").
fn unit_follows(q: &Query, k: usize) -> bool {
    q.sym(k, '$')
        || q.sym(k, '%')
        || q.has_tag(k, |t| {
            matches!(
                t,
                Tag::Currency
                    | Tag::RateUnit
                    | Tag::RatePhrase
                    | Tag::NonPriceUnit
                    | Tag::AgeUnit
                    | Tag::AgeUnderUnit
                    | Tag::Ordinal
                    | Tag::GradeWord
            )
        })
}

fn window(kind: TimeKind, t: i32, around: i32) -> (i32, i32) {
    match kind {
        TimeKind::After => (t, LAST_MINUTE),
        // "before midnight" is the whole evening.
        TimeKind::Before if t == 0 => (0, LAST_MINUTE),
        TimeKind::Before => (0, t - 1),
        TimeKind::Around => ((t - around).max(0), (t + around).min(LAST_MINUTE)),
        _ => (t, t),
    }
}

/// Resolves a range's two ends: "3-5pm" lends pm to 3; "11-1pm" makes 11 am; with no am/pm at
/// all a range that would run backwards ("6 to 8" read as 18:00–08:00) moves its end to pm.
fn range_minutes(a: &Clock, b: &Clock, context: Option<Meridiem>, bare_pm_until: u8) -> Option<(i32, i32)> {
    let mut a = *a;
    if a.meridiem.is_none()
        && !a.fixed
        && (1..=12).contains(&a.hour)
        && let Some(mb) = b.meridiem
    {
        let same = a.hour <= b.hour && a.hour != 12;
        a.meridiem = Some(match (same, mb) {
            (true, m) => m,
            (false, Meridiem::Am) => Meridiem::Pm,
            (false, Meridiem::Pm) => Meridiem::Am,
        });
    }
    let start = resolve(&a, context, bare_pm_until)?;
    let mut end = resolve(b, context, bare_pm_until)?;
    if end <= start && b.bare() && end + 12 * 60 > start && end < 12 * 60 {
        end += 12 * 60;
    }
    if end == 0 {
        // "until midnight"
        end = 24 * 60;
    }
    (end > start).then_some((start, end - 1))
}

fn joiner_at(q: &Query, k: usize) -> Option<usize> {
    if q.sym(k, '-') {
        return Some(k);
    }
    q.phrase_with(k, |t| t == Tag::TimeJoiner)
}

/// "between 3 and 5", "from 3pm to 6pm".
fn between(q: &Query, i: usize, context: Option<Meridiem>) -> Option<Item> {
    let cue_end = q.phrase_with(i, |t| t == Tag::TimeBetween)?;
    let a = clock_at(q, cue_end + 1)?;
    let j = joiner_at(q, a.end + 1)?;
    let b = clock_at(q, j + 1)?;
    if a.bare() && b.bare() && (a.hour > 12 || b.hour > 12) {
        return None; // "between 15 and 20" is a price range
    }
    if unit_follows(q, b.end + 1) {
        return None;
    }
    let (start, end) = range_minutes(&a, &b, context, q.vocab.settings.bare_pm_until)?;
    Some(Item { kind: TimeKind::Between, start, end, from: i, to: b.end, bare_am: false })
}

/// "3-5pm", "3pm - 5pm", "3 to 5pm": needs an am/pm on one side.
fn dashed_range(q: &Query, i: usize, context: Option<Meridiem>) -> Option<Item> {
    let a = clock_at(q, i)?;
    let j = joiner_at(q, a.end + 1)?;
    let b = clock_at(q, j + 1)?;
    if a.meridiem.is_none() && b.meridiem.is_none() {
        return None;
    }
    let (start, end) = range_minutes(&a, &b, context, q.vocab.settings.bare_pm_until)?;
    Some(Item { kind: TimeKind::Between, start, end, from: i, to: b.end, bare_am: false })
}

/// "after 5pm", "before 10", "at 3", "around 4pm", "by noon".
fn cued(q: &Query, i: usize, context: Option<Meridiem>) -> Option<Item> {
    let (kind, cue_end) = q.longest(i, free, |tags| {
        // Around is checked first: "at around 5" is around.
        [
            (Tag::TimeAround, TimeKind::Around),
            (Tag::TimeAfter, TimeKind::After),
            (Tag::TimeBefore, TimeKind::Before),
            (Tag::TimeAt, TimeKind::At),
        ]
        .into_iter()
        .find(|(tag, _)| tags.contains(tag))
        .map(|(_, kind)| kind)
    })?;
    let c = clock_at(q, cue_end + 1)?;
    if c.bare() {
        let limit = if kind == TimeKind::Around { 12 } else { 23 };
        if c.hour > limit {
            return None;
        }
    }
    if unit_follows(q, c.end + 1) {
        return None;
    }
    let t = resolve(&c, context, q.vocab.settings.bare_pm_until)?;
    let (start, end) = window(kind, t, q.vocab.settings.around_minutes);
    Some(Item {
        kind,
        start,
        end,
        from: i,
        to: c.end,
        bare_am: c.bare() && context.is_none() && (1..12).contains(&c.hour) && t < 12 * 60,
    })
}

/// "5pm", "5:30", "noon" without a cue: at that time.
fn standalone(q: &Query, i: usize, context: Option<Meridiem>) -> Option<Item> {
    let c = clock_at(q, i)?;
    if c.bare() || unit_follows(q, c.end + 1) {
        return None;
    }
    let t = resolve(&c, context, q.vocab.settings.bare_pm_until)?;
    Some(Item { kind: TimeKind::At, start: t, end: t, from: i, to: c.end, bare_am: false })
}

fn part_of_day(q: &Query, i: usize) -> Option<Item> {
    let (idx, end) = part_of_day_at(q, i)?;
    let p = q.vocab.parts_of_day.get(usize::from(idx))?;
    Some(Item {
        kind: TimeKind::PartOfDay,
        start: minutes_of(p.start),
        end: minutes_of(p.end),
        from: i,
        to: end,
        bare_am: false,
    })
}
