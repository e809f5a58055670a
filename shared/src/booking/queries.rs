//! Reading bookings: one by id (strongly consistent), an instructor's busy time, and the
//! paged lists (GSI1 for instructors, GSI2 for students, both sorted by start).
//!
//! GSIs are eventually consistent (milliseconds on AWS; immediate in the emulators). That
//! is fine for lists and for offering slots; it is never what keeps two bookings apart:
//! the lock cells are.

use jiff::{SignedDuration, Timestamp};

use super::{
    BookingStatus, LONGEST_LESSON,
    model::{Booking, BookingItem},
};
use crate::{
    availability::{Held, Interval},
    ids::{BookingId, InstructorId, UserId},
    store::{Cursor, Index, Query, Record, SortCondition, Store, StoreError, keys},
};

/// Most items one list page returns.
pub const MAX_PAGE: u32 = 100;
/// Items read per DynamoDB page while filtering a list.
const READ_PAGE: u32 = 100;

/// The booking and its version.
pub async fn get(store: &Store, booking_id: &BookingId) -> Result<Option<(Booking, u64)>, StoreError> {
    let record: Option<Record<BookingItem>> = store.get(&keys::booking(booking_id)).await?;
    Ok(record.map(|r| (r.data.booking, r.version.unwrap_or(0))))
}

/// A sort-key bound for an instant: whole seconds, so it compares as text with stored
/// starts (which are whole minutes).
fn bound(at: Timestamp) -> String {
    Timestamp::from_second(at.as_second()).unwrap_or(at).to_string()
}

/// The instructor's confirmed bookings overlapping `range`, in start order: one Query on
/// GSI1 (starts from `range.start - longest lesson` to `range.end`).
pub async fn confirmed_for_instructor(
    store: &Store,
    instructor_id: &InstructorId,
    range: Interval,
) -> Result<Vec<Booking>, StoreError> {
    let from = range.start().checked_sub(LONGEST_LESSON).unwrap_or(range.start());
    let query = Query::partition(Index::Gsi1, keys::instructor_bookings(instructor_id))
        .sort(SortCondition::Between(bound(from), bound(range.end())));
    let records: Vec<Record<BookingItem>> = store.query_all(query).await?;
    Ok(records
        .into_iter()
        .map(|r| r.data.booking)
        .filter(|b| b.status == BookingStatus::Confirmed && b.interval().is_some_and(|i| i.overlaps(range)))
        .collect())
}

/// The instructor's busy time in `range`: their confirmed lessons (cancelled ones never
/// block). One Query. For offering slots use [`blocked_intervals`], which also keeps the
/// buffer a booking was made with if the instructor has shortened it since.
pub async fn busy_intervals(
    store: &Store,
    instructor_id: &InstructorId,
    range: Interval,
) -> Result<Vec<Interval>, StoreError> {
    Ok(confirmed_for_instructor(store, instructor_id, range).await?.iter().filter_map(Booking::interval).collect())
}

/// What to give the slot engine (`availability::bookable_starts`, which widens every busy
/// interval by the instructor's current buffer on both sides) so that it offers exactly
/// what a booking request is accepted for. A booking keeps the trailing buffer it was made
/// with (its lock cells hold it); when that is longer than the current buffer, its
/// interval is extended by the difference. One Query.
pub async fn blocked_intervals(
    store: &Store,
    instructor_id: &InstructorId,
    range: Interval,
    current_buffer_minutes: u16,
) -> Result<Vec<Interval>, StoreError> {
    Ok(blocking(&confirmed_for_instructor(store, instructor_id, range).await?, current_buffer_minutes))
}

/// [`blocked_intervals`] over bookings already read.
pub fn blocking<'a>(bookings: impl IntoIterator<Item = &'a Booking>, current_buffer_minutes: u16) -> Vec<Interval> {
    bookings
        .into_iter()
        .filter_map(|b| {
            let lesson = Interval::new(b.start, b.end).ok()?;
            Some(Held { lesson, buffer_minutes: b.buffer_minutes }.blocking(current_buffer_minutes))
        })
        .collect()
}

/// Which of a user's bookings a list walks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Bookings the user made (GSI2).
    Student,
    /// Lessons the user teaches (GSI1).
    Instructor,
}

/// Upcoming = confirmed and not over yet, soonest first; past = every other booking
/// (over, or cancelled, or closed), latest first. Every booking is in exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Upcoming,
    Past,
}

/// One page of bookings and the cursor for the next (absent on the last page).
#[derive(Debug)]
pub struct Listing {
    pub items: Vec<Booking>,
    pub next: Option<Cursor>,
}

/// The index and partition of one person's bookings on one side: an instructor's id is their
/// user id.
fn partition(side: Side, user_id: &UserId) -> (Index, String) {
    match side {
        Side::Student => (Index::Gsi2, keys::student_bookings(user_id)),
        Side::Instructor => (Index::Gsi1, keys::instructor_bookings(&user_id.as_instructor())),
    }
}

/// The cursor that resumes a query right after `record`.
fn cursor_after(index: Index, record: &Record<BookingItem>) -> Cursor {
    let mut pairs = vec![("PK", record.pk.clone()), ("SK", record.sk.clone())];
    let (pk, sk) = match index {
        Index::Gsi1 => (record.gsi1pk.clone(), record.gsi1sk.clone()),
        Index::Gsi2 => (record.gsi2pk.clone(), record.gsi2sk.clone()),
        Index::Table => (None, None),
    };
    let (pk_name, sk_name) = index.attributes();
    if index != Index::Table {
        pairs.push((pk_name, pk.unwrap_or_default()));
        pairs.push((sk_name, sk.unwrap_or_default()));
    }
    Cursor::from_pairs(pairs)
}

/// Reads `query` page by page, keeping items that pass `keep`, until `limit` are found.
/// Looks one item ahead so the last page never carries a cursor to an empty page.
async fn filtered_page(
    store: &Store,
    query: Query,
    limit: u32,
    keep: impl Fn(&Booking) -> bool,
) -> Result<Listing, StoreError> {
    let index = query.index;
    let limit = usize::try_from(limit.clamp(1, MAX_PAGE)).unwrap_or(1);
    let mut query = query.limit(READ_PAGE);
    let mut found: Vec<Record<BookingItem>> = Vec::with_capacity(limit + 1);
    loop {
        let page = store.query::<Record<BookingItem>>(query.clone()).await?;
        found.extend(page.items.into_iter().filter(|r| keep(&r.data.booking)).take(limit + 1 - found.len()));
        if found.len() > limit {
            found.truncate(limit);
            let next = found.last().map(|r| cursor_after(index, r));
            return Ok(Listing { items: found.into_iter().map(|r| r.data.booking).collect(), next });
        }
        match page.next {
            Some(next) => query.cursor = Some(next),
            None => return Ok(Listing { items: found.into_iter().map(|r| r.data.booking).collect(), next: None }),
        }
    }
}

/// A user's bookings on one side, upcoming or past.
pub async fn list(
    store: &Store,
    user_id: &UserId,
    side: Side,
    when: When,
    now: Timestamp,
    cursor: Option<Cursor>,
    limit: u32,
) -> Result<Listing, StoreError> {
    let (index, partition) = partition(side, user_id);
    let query = Query::partition(index, partition).after(cursor);
    match when {
        When::Upcoming => {
            // A lesson in progress started at most the longest lesson ago.
            let from = now.checked_sub(LONGEST_LESSON).unwrap_or(now);
            let query = query.sort(SortCondition::GreaterOrEqual(bound(from)));
            filtered_page(store, query, limit, |b| b.is_upcoming(now)).await
        }
        When::Past => filtered_page(store, query.newest_first(), limit, |b| !b.is_upcoming(now)).await,
    }
}

/// An instructor's lessons starting in `[from, to)`, soonest first, optionally of one status.
pub async fn incoming(
    store: &Store,
    instructor_id: &InstructorId,
    from: Timestamp,
    to: Timestamp,
    status: Option<BookingStatus>,
    cursor: Option<Cursor>,
    limit: u32,
) -> Result<Listing, StoreError> {
    let (index, partition) = partition(Side::Instructor, &instructor_id.as_user());
    // Between is inclusive; a start exactly at `to` sorts after the bare bound anyway.
    let query = Query::partition(index, partition).sort(SortCondition::Between(bound(from), bound(to))).after(cursor);
    filtered_page(store, query, limit, |b| status.is_none_or(|s| b.status == s) && b.start >= from && b.start < to)
        .await
}

/// Every booking of one side, in start order (stats, book-again).
pub(super) async fn all_of(store: &Store, user_id: &UserId, side: Side) -> Result<Vec<Booking>, StoreError> {
    let (index, partition) = partition(side, user_id);
    let records: Vec<Record<BookingItem>> = store.query_all(Query::partition(index, partition)).await?;
    Ok(records.into_iter().map(|r| r.data.booking).collect())
}

/// A user's most recent bookings that started before `now`, latest first, at most `max`.
pub(super) async fn recent_started(
    store: &Store,
    user_id: &UserId,
    side: Side,
    now: Timestamp,
    max: usize,
) -> Result<Vec<Booking>, StoreError> {
    let (index, partition) = partition(side, user_id);
    let mut query = Query::partition(index, partition)
        .sort(SortCondition::LessThan(bound(now.checked_add(SignedDuration::from_secs(1)).unwrap_or(now))))
        .newest_first()
        .limit(READ_PAGE);
    let mut out = Vec::new();
    while out.len() < max {
        let page = store.query::<Record<BookingItem>>(query.clone()).await?;
        out.extend(page.items.into_iter().map(|r| r.data.booking).filter(|b| b.start <= now));
        match page.next {
            Some(next) => query.cursor = Some(next),
            None => break,
        }
    }
    out.truncate(max);
    Ok(out)
}

/// What the admin's all-bookings view lists.
#[derive(Debug, Clone, Default)]
pub struct AdminFilter {
    pub instructor_id: Option<InstructorId>,
    pub student_id: Option<UserId>,
    pub status: Option<BookingStatus>,
    /// Lessons starting in `[from, to)`.
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
}

impl AdminFilter {
    fn keeps(&self, b: &Booking) -> bool {
        self.status.is_none_or(|s| b.status == s)
            && self.from.is_none_or(|f| b.start >= f)
            && self.to.is_none_or(|t| b.start < t)
            && self.instructor_id.as_ref().is_none_or(|i| &b.instructor_id == i)
            && self.student_id.as_ref().is_none_or(|s| &b.student_id == s)
    }
}

/// Items one all-bookings request reads at most when it has to scan (no party given):
/// the page may come back short, with a cursor, rather than read the whole table.
const SCAN_BUDGET: i32 = 5_000;
const SCAN_PAGE: i32 = 1_000;

/// Every booking the filter keeps: with a party, that party's index in start order (one
/// Query); without, a bounded Scan in table order (each page sorted by start).
pub async fn all(
    store: &Store,
    filter: &AdminFilter,
    cursor: Option<Cursor>,
    limit: u32,
) -> Result<Listing, StoreError> {
    let party = match (&filter.instructor_id, &filter.student_id) {
        (Some(instructor), _) => Some(partition(Side::Instructor, &instructor.as_user())),
        (None, Some(student)) => Some(partition(Side::Student, student)),
        (None, None) => None,
    };
    if let Some((index, partition)) = party {
        let mut query = Query::partition(index, partition).after(cursor);
        if let (Some(from), Some(to)) = (filter.from, filter.to) {
            query = query.sort(SortCondition::Between(bound(from), bound(to)));
        } else if let Some(from) = filter.from {
            query = query.sort(SortCondition::GreaterOrEqual(bound(from)));
        } else if let Some(to) = filter.to {
            query = query.sort(SortCondition::LessThan(bound(to)));
        }
        return filtered_page(store, query, limit, |b| filter.keeps(b)).await;
    }
    let limit = usize::try_from(limit.clamp(1, MAX_PAGE)).unwrap_or(1);
    let mut found: Vec<Booking> = Vec::new();
    let mut cursor = cursor;
    let mut read = 0;
    loop {
        let page = store.scan_prefix::<Record<BookingItem>>("BOOKING#", cursor.as_ref(), SCAN_PAGE).await?;
        read += SCAN_PAGE;
        let mut last = None;
        for record in page.items {
            if filter.keeps(&record.data.booking) {
                found.push(record.data.booking.clone());
            }
            last = Some(record);
            if found.len() == limit {
                break;
            }
        }
        // Resume after the last item looked at, or where DynamoDB stopped.
        let next = if found.len() == limit { last.map(|r| cursor_after(Index::Table, &r)) } else { page.next };
        if found.len() == limit || next.is_none() || read >= SCAN_BUDGET {
            found.sort_by(|a, b| (a.start, &a.id).cmp(&(b.start, &b.id)));
            return Ok(Listing { items: found, next });
        }
        cursor = next;
    }
}
