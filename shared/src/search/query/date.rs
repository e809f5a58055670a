//! Dates: "today", "tomorrow", "tonight", weekday names, "next saturday", "this weekend",
//! "next week", "weekdays", "Dec 5", "December 5th", "5th of December", "12/5", "2026-12-05",
//! "the 5th".
//!
//! Decisions (all relative to `today`, the New York date of `now`):
//! - a weekday name alone, or after "this"/"on"/"coming", is its next occurrence, today
//!   included ("thursday" on a Thursday is today: a lesson later today is still possible);
//! - "next <weekday>" is the first occurrence strictly after today (so it differs from the bare
//!   name only when the day is today: "next thursday" on a Thursday is in 7 days);
//! - "this weekend" is the coming Saturday and Sunday (only Sunday when today is Sunday, both
//!   when today is Saturday); "next weekend" is the one after;
//! - "this week" is today through Sunday; "next week" is next Monday through Sunday;
//! - a month and day without a year is the next occurrence on or after today (Dec 5 asked in
//!   December after the 5th is next year's); "12/5" is month/day (US order);
//! - "sat" is Saturday only after a date cue ("on sat", "this sat", "next sat") or right before
//!   a time ("sat morning", "sat 10am"); otherwise it is the SAT exam (see aliases.yaml). Typed
//!   "SAT" in a query that is not all capitals, it is always the exam ("help on SAT");
//! - "mon-fri", "monday to wednesday" is every day from the first through the second.
//! - "tonight" is today plus the evening window (unless the query states a time).

use jiff::ToSpan;
use jiff::civil::{Date, Weekday};

use super::lexicon::Tag;
use super::state::Query;
use super::tokens::Use;
use super::types::{DateConstraint, DateKind};

/// What the date pass found, plus the part of day a day word implied ("tonight").
pub(super) struct DateFound {
    pub constraint: Option<DateConstraint>,
    /// Index into `Vocabulary::parts_of_day`, with the words that implied it.
    pub part_of_day: Option<(u16, String)>,
}

struct Item {
    dates: Vec<Date>,
    kind: DateKind,
    from: usize,
    to: usize,
    part_of_day: Option<u16>,
}

fn day_item(date: Date, from: usize, to: usize) -> Item {
    Item { dates: vec![date], kind: DateKind::Day, from, to, part_of_day: None }
}

fn add_days(d: Date, n: i64) -> Option<Date> {
    d.checked_add(n.days()).ok()
}

fn monday_index(d: Date) -> i64 {
    i64::from(d.weekday().to_monday_zero_offset())
}

/// The next date on or after `today` with this month and day (up to 8 years ahead, so that
/// February 29 finds a leap year).
fn next_month_day(today: Date, month: i8, day: i8) -> Option<Date> {
    let year = today.year();
    (0..=8).filter_map(|k| Date::new(year.checked_add(k)?, month, day).ok()).find(|d| *d >= today)
}

/// The next date on or after `today` whose day of the month is `day`.
fn next_day_of_month(today: Date, day: i8) -> Option<Date> {
    let mut first = today.first_of_month();
    for _ in 0..13 {
        if let Ok(d) = Date::new(first.year(), first.month(), day)
            && d >= today
        {
            return Some(d);
        }
        first = first.checked_add(1.month()).ok()?;
    }
    None
}

fn small(n: u64) -> Option<i8> {
    i8::try_from(n).ok()
}

pub(super) fn extract(q: &mut Query, today: Date) -> DateFound {
    let mut items: Vec<Item> = Vec::new();
    let mut i = 0;
    while i < q.len() {
        if !q.is_free(i) {
            i += 1;
            continue;
        }
        let found = iso(q, i)
            .or_else(|| slashed(q, i, today))
            .or_else(|| month_then_day(q, i, today))
            .or_else(|| day_then_month(q, i, today))
            .or_else(|| ordinal_day(q, i, today))
            .or_else(|| relative_day(q, i, today))
            .or_else(|| weekday(q, i, today))
            .or_else(|| weekend(q, i, today))
            .or_else(|| weekdays(q, i, today))
            .or_else(|| week(q, i, today));
        match found {
            Some(item) => {
                q.consume(item.from, item.to, Use::Constraint);
                i = item.to + 1;
                items.push(item);
            }
            None => i += 1,
        }
    }
    let part_of_day = items.iter().find_map(|it| it.part_of_day.map(|p| (p, q.span(it.from, it.to))));
    if items.is_empty() {
        return DateFound { constraint: None, part_of_day };
    }
    let kind = if items.len() == 1 { items[0].kind } else { DateKind::Several };
    let matched = items.iter().map(|it| q.span(it.from, it.to)).collect();
    let mut dates: Vec<Date> = items.into_iter().flat_map(|it| it.dates).collect();
    dates.sort_unstable();
    dates.dedup();
    DateFound { constraint: (!dates.is_empty()).then_some(DateConstraint { dates, kind, matched }), part_of_day }
}

/// "2026-12-05"
fn iso(q: &Query, i: usize) -> Option<Item> {
    let y = q.num(i).filter(|n| n.digits == 4 && !n.has_fraction)?;
    let ok = q.sym(i + 1, '-') && q.sym(i + 3, '-') && (1..=4).all(|k| q.glued(i + k));
    if !ok {
        return None;
    }
    let m = small(q.num(i + 2)?.whole()?)?;
    let d = small(q.num(i + 4)?.whole()?)?;
    let date = Date::new(i16::try_from(y.int).ok()?, m, d).ok()?;
    Some(day_item(date, i, i + 4))
}

/// "12/5", "12/5/26", "12/05/2026" (month first).
fn slashed(q: &Query, i: usize, today: Date) -> Option<Item> {
    let m = q.num(i).filter(|n| n.digits <= 2)?.whole()?;
    if !(q.sym(i + 1, '/') && q.glued(i + 1) && q.glued(i + 2)) {
        return None;
    }
    let d = q.num(i + 2).filter(|n| n.digits <= 2)?.whole()?;
    let (m, d) = (small(m)?, small(d)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    if q.sym(i + 3, '/') && q.glued(i + 3) && q.glued(i + 4) {
        let y = q.num(i + 4).filter(|n| n.digits == 2 || n.digits == 4)?;
        let year = if y.digits == 2 { 2000 + y.int } else { y.int };
        let date = Date::new(i16::try_from(year).ok()?, m, d).ok()?;
        return Some(day_item(date, i, i + 4));
    }
    Some(day_item(next_month_day(today, m, d)?, i, i + 2))
}

fn month_at(q: &Query, i: usize) -> Option<(i8, usize)> {
    q.longest(i, super::state::free, |tags| {
        tags.iter().find_map(|t| match *t {
            Tag::Month(m) => i8::try_from(m).ok(),
            _ => None,
        })
    })
}

/// A day-of-month number at `i` with an optional glued ordinal suffix ("5", "5th"); returns the
/// day and the last token. Refuses times ("5pm", "5:30").
fn day_number(q: &Query, i: usize) -> Option<(i8, usize)> {
    let n = q.num(i).filter(|n| n.digits <= 2)?;
    let d = small(n.whole()?)?;
    if !(1..=31).contains(&d) {
        return None;
    }
    let mut end = i;
    if q.glued(i + 1) && q.is_free(i + 1) && q.has_tag(i + 1, |t| t == Tag::Ordinal) {
        end = i + 1;
    }
    let time_follows =
        q.sym(end + 1, ':') || q.has_tag(end + 1, |t| matches!(t, Tag::Am | Tag::Pm | Tag::AmLetter | Tag::PmLetter));
    (!time_follows).then_some((d, end))
}

fn with_year(q: &Query, month: i8, day: i8, end: usize, today: Date) -> Option<(Date, usize)> {
    if let Some(y) = q.num(end + 1).filter(|n| n.digits == 4 && !n.has_fraction)
        && let Ok(date) = Date::new(i16::try_from(y.int).ok()?, month, day)
    {
        return Some((date, end + 1));
    }
    Some((next_month_day(today, month, day)?, end))
}

/// "Dec 5", "December 5th", "dec 5 2026".
fn month_then_day(q: &Query, i: usize, today: Date) -> Option<Item> {
    let (month, mend) = month_at(q, i)?;
    let (day, dend) = day_number(q, mend + 1)?;
    let (date, end) = with_year(q, month, day, dend, today)?;
    Some(day_item(date, i, end))
}

/// "5 Dec", "5th of December".
fn day_then_month(q: &Query, i: usize, today: Date) -> Option<Item> {
    let (day, dend) = day_number(q, i)?;
    let mut k = dend + 1;
    if q.is_free(k) && q.has_tag(k, |t| t == Tag::DayMonthJoiner) {
        k += 1;
    }
    let (month, mend) = month_at(q, k)?;
    let (date, end) = with_year(q, month, day, mend, today)?;
    Some(day_item(date, i, end))
}

/// "the 5th", "on the 21st": the next day with that day of the month.
fn ordinal_day(q: &Query, i: usize, today: Date) -> Option<Item> {
    let cue_end = q.phrase_with(i, |t| t == Tag::OrdinalDayCue)?;
    let (day, end) = day_number(q, cue_end + 1)?;
    // Requires the ordinal suffix, and "the 5th grade" is a grade, not a date.
    if end == cue_end + 1 || q.has_tag(end + 1, |t| t == Tag::GradeWord) {
        return None;
    }
    Some(day_item(next_day_of_month(today, day)?, i, end))
}

fn relative_day(q: &Query, i: usize, today: Date) -> Option<Item> {
    let (idx, end) = q.longest(i, super::state::free, |tags| {
        tags.iter().find_map(|t| match *t {
            Tag::RelativeDay(r) => Some(r),
            _ => None,
        })
    })?;
    let rel = q.vocab.relative_days.get(usize::from(idx))?;
    let mut item = day_item(add_days(today, i64::from(rel.offset))?, i, end);
    item.part_of_day = rel.part_of_day;
    Some(item)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Cue {
    None,
    This,
    Next,
}

/// The date cue ("this", "next", "on") written right before token `i`, and its first token.
fn cue_before(q: &Query, i: usize) -> (Cue, Option<usize>) {
    if i == 0 {
        return (Cue::None, None);
    }
    if let Some(start) = q.phrase_ending_at(i - 1, |t| t == Tag::CueNext) {
        return (Cue::Next, Some(start));
    }
    if let Some(start) = q.phrase_ending_at(i - 1, |t| matches!(t, Tag::CueThis | Tag::CueOn)) {
        return (Cue::This, Some(start));
    }
    (Cue::None, None)
}

fn weekday(q: &Query, i: usize, today: Date) -> Option<Item> {
    let ((day, weak), end) = q.longest(i, super::state::free, |tags| {
        tags.iter().find_map(|t| match *t {
            Tag::Weekday(d) => Some((d, false)),
            Tag::WeakWeekday(d) => Some((d, true)),
            _ => None,
        })
    })?;
    let (cue, cue_start) = cue_before(q, i);
    if weak && written_as_acronym(q, i, end) {
        return None;
    }
    if weak && cue == Cue::None {
        // "sat morning", "sat 10am": a time right after makes "sat" a day.
        let time_follows =
            q.is_free(end + 1) && (q.num(end + 1).is_some() || q.has_tag(end + 1, |t| matches!(t, Tag::PartOfDay(_))));
        if !time_follows {
            return None;
        }
    }
    let mut ahead = (i64::from(day) - monday_index(today)).rem_euclid(7);
    if cue == Cue::Next && ahead == 0 {
        ahead = 7;
    }
    let date = add_days(today, ahead)?;
    // "mon-fri", "monday to thursday": every day from the first through the second.
    if let Some((last_day, range_end)) = weekday_range_end(q, end) {
        let span = (i64::from(last_day) - i64::from(day)).rem_euclid(7);
        let dates = (0..=span).filter_map(|k| add_days(date, k)).collect();
        return Some(Item {
            dates,
            kind: DateKind::Several,
            from: cue_start.unwrap_or(i),
            to: range_end,
            part_of_day: None,
        });
    }
    Some(day_item(date, cue_start.unwrap_or(i), end))
}

/// "help on SAT": a weak weekday typed in capitals, in a query that is not all capitals, is
/// the acronym (the exam), even after a date cue.
fn written_as_acronym(q: &Query, from: usize, to: usize) -> bool {
    let span = q.span(from, to);
    span.chars().all(|c| c.is_ascii_uppercase()) && q.text.chars().any(|c| c.is_ascii_lowercase())
}

/// After a weekday ending at `end`: "-" or "to"/"through" and a second weekday.
fn weekday_range_end(q: &Query, end: usize) -> Option<(u8, usize)> {
    let j = if q.sym(end + 1, '-') {
        end + 1
    } else {
        q.phrase_with(end + 1, |t| matches!(t, Tag::TimeJoiner | Tag::PriceJoiner))?
    };
    q.longest(j + 1, super::state::free, |tags| {
        tags.iter().find_map(|t| match *t {
            Tag::Weekday(d) => Some(d),
            _ => None,
        })
    })
}

fn weekend(q: &Query, i: usize, today: Date) -> Option<Item> {
    let end = q.phrase_with(i, |t| t == Tag::WeekendWord)?;
    let (cue, cue_start) = cue_before(q, i);
    // Saturday of the current Monday–Sunday week.
    let saturday = add_days(today, 5 - monday_index(today))?;
    let saturday = if cue == Cue::Next { add_days(saturday, 7)? } else { saturday };
    let sunday = add_days(saturday, 1)?;
    let dates: Vec<Date> = [saturday, sunday].into_iter().filter(|d| *d >= today).collect();
    Some(Item { dates, kind: DateKind::Weekend, from: cue_start.unwrap_or(i), to: end, part_of_day: None })
}

/// "weekdays": the next five weekdays, today included.
fn weekdays(q: &Query, i: usize, today: Date) -> Option<Item> {
    let end = q.phrase_with(i, |t| t == Tag::WeekdayWord)?;
    let (_, cue_start) = cue_before(q, i);
    let dates = (0..7)
        .filter_map(|k| add_days(today, k))
        .filter(|d| !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday))
        .collect();
    Some(Item { dates, kind: DateKind::Weekdays, from: cue_start.unwrap_or(i), to: end, part_of_day: None })
}

/// "this week" (today..Sunday), "next week" (next Monday..Sunday). "week" alone says nothing.
fn week(q: &Query, i: usize, today: Date) -> Option<Item> {
    let end = q.phrase_with(i, |t| t == Tag::WeekWord)?;
    let (cue, cue_start) = cue_before(q, i);
    let until_sunday = 6 - monday_index(today);
    let dates: Vec<Date> = match cue {
        Cue::None => return None,
        Cue::This => (0..=until_sunday).filter_map(|k| add_days(today, k)).collect(),
        Cue::Next => (until_sunday + 1..=until_sunday + 7).filter_map(|k| add_days(today, k)).collect(),
    };
    Some(Item { dates, kind: DateKind::Week, from: cue_start.unwrap_or(i), to: end, part_of_day: None })
}
