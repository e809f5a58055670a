//! Finding and ranking (PRODUCT.md §6): parsed constraints → matching instructors.
//!
//! Pure: it reads an in-memory [`SearchData`] (profiles, schedules, busy intervals, price
//! statistics) and "now", and never touches the store, so it is fast and testable over
//! generated data.
//!
//! How it works:
//! 1. Every active offering of every listed instructor is checked against each constraint
//!    separately; the constraints it fails are recorded.
//! 2. Relaxation: if fewer than [`ENOUGH_RESULTS`] instructors pass every constraint, the
//!    constraints are relaxed one step at a time, in the order time → date → level and
//!    audience → place → price (+25 % at most), never the service, until enough pass or
//!    nothing is left to relax. An offering passes at a step when everything it fails has
//!    been relaxed by then (the relaxed price bounds are checked separately, since
//!    "relaxed" price is a wider bound, not no bound).
//! 3. One result per instructor: its best passing offering first, the others after it.
//! 4. Ranking: relevance of the service match, price fit, experience, soonest availability
//!    and profile completeness, weighted; ties broken by instructor id, so equal scores
//!    always come back in the same order.

use std::{
    cell::RefCell,
    collections::{BTreeSet, HashMap},
};

use jiff::{Timestamp, civil::Date};
use serde::Serialize;
use utoipa::ToSchema;

use super::query::{
    AudienceGroup, LessonType, Level as QueryLevel, ParsedQuery, PriceConstraint, PriceKind, ServiceTarget,
};
use crate::{
    availability::{Interval, LessonDuration, NextSlot, Schedule, first_start, next_available, zone::local_date},
    catalog::Catalog,
    ids::InstructorId,
    instructors::{AgeGroup, InstructorProfile, Level, LocationType, Offering},
    money::Cents,
    places::places,
};

/// Relax until at least this many instructors match (PRODUCT.md §6).
pub const ENOUGH_RESULTS: usize = 5;
/// A relaxed price may go this far past the asked-for bound.
pub const PRICE_RELAXATION_PERCENT: u32 = 25;
/// A relaxed date looks this many days ahead from today.
pub const RELAXED_DATE_DAYS: i64 = 14;
/// A time given without a date means the coming week.
pub const TIME_ONLY_DAYS: i64 = 7;
/// "Soonest availability" scores over this many days.
const SOONEST_HORIZON_HOURS: f64 = 14.0 * 24.0;

/// A constraint that can be relaxed, in relaxation order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Relaxable {
    Time,
    Date,
    Level,
    Audience,
    Place,
    Price,
}

/// The relaxation ladder: each step adds these constraints to the relaxed set.
const LADDER: [&[Relaxable]; 5] = [
    &[Relaxable::Time],
    &[Relaxable::Date],
    &[Relaxable::Level, Relaxable::Audience],
    &[Relaxable::Place],
    &[Relaxable::Price],
];

/// What the engine searches over: everything it needs, in memory.
pub struct SearchData<'a> {
    pub catalog: &'a Catalog,
    pub schedules: &'a HashMap<InstructorId, Schedule>,
    /// Confirmed bookings per instructor (future ones suffice).
    pub busy: &'a HashMap<InstructorId, Vec<Interval>>,
    /// Active listed hourly rates per service slug, ascending (for budget words).
    pub rates: &'a HashMap<String, Vec<Cents>>,
    /// Every profile (listed or not); the listed ones, and per service the listed ones
    /// teaching it, as indices into `profiles`, ascending. Precomputed with the directory,
    /// so a search allocates nothing per instructor it does not look at.
    pub profiles: &'a [InstructorProfile],
    pub listed: &'a [usize],
    pub teaching: &'a HashMap<String, Vec<usize>>,
}

/// One instructor in the results.
#[derive(Debug, Clone)]
pub struct Hit<'a> {
    pub instructor: &'a InstructorProfile,
    /// Matching offerings, best first.
    pub offerings: Vec<&'a Offering>,
    pub score: f64,
    /// Constraints this result needed relaxed (empty = matches everything asked).
    pub relaxed: BTreeSet<Relaxable>,
    pub next_available: Option<NextSlot>,
}

#[derive(Debug, Clone)]
pub struct Outcome<'a> {
    pub hits: Vec<Hit<'a>>,
    /// The constraints relaxed to reach these results.
    pub relaxed: BTreeSet<Relaxable>,
    /// The budget ceiling derived from the data, when a budget word was used.
    pub budget_ceiling: Option<Cents>,
}

/// Price bounds in cents, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PriceBounds {
    min: Option<Cents>,
    max: Option<Cents>,
}

impl PriceBounds {
    fn contains(self, rate: Cents) -> bool {
        self.min.is_none_or(|m| rate >= m) && self.max.is_none_or(|m| rate <= m)
    }

    fn relaxed(self) -> Self {
        let widen_up = |c: Cents| Cents(c.0.saturating_mul(100 + PRICE_RELAXATION_PERCENT) / 100);
        let widen_down = |c: Cents| Cents(c.0.saturating_mul(100 - PRICE_RELAXATION_PERCENT) / 100);
        Self { min: self.min.map(widen_down), max: self.max.map(widen_up) }
    }
}

/// When the query asks for a lesson: the dates and the window of start times.
#[derive(Debug, Clone)]
struct When {
    dates: Vec<Date>,
    /// Minutes after midnight, inclusive both ends.
    window: Option<(u16, u16)>,
}

/// The constraints, resolved against the data.
struct Constraints {
    services: Option<BTreeSet<String>>,
    exact_services: bool,
    price: Option<PriceBounds>,
    level: Option<Level>,
    audience: Option<AgeGroup>,
    lesson_type: Option<LocationType>,
    borough: Option<String>,
    neighborhood: Option<String>,
    when: Option<When>,
    /// The dates a relaxed date means (today and the following days).
    relaxed_dates: Vec<Date>,
}

/// Per offering: which constraints it fails.
struct Candidate<'a> {
    instructor: &'a InstructorProfile,
    offering: &'a Offering,
    fails: BTreeSet<Relaxable>,
    /// Within the relaxed price bounds (only meaningful when it fails the price).
    within_relaxed_price: bool,
}

pub fn search<'a>(data: &SearchData<'a>, parsed: &ParsedQuery, now: Timestamp) -> Outcome<'a> {
    let today = local_date(now);
    let (constraints, budget_ceiling) = resolve(data, parsed, today);
    let memo = SlotMemo::default();
    let candidates = candidates(data, &constraints, &memo, now);

    // The first ladder step at which enough instructors pass.
    let asked: BTreeSet<Relaxable> = candidates.iter().flat_map(|c| c.fails.iter().copied()).collect();
    let mut relaxed = BTreeSet::new();
    let mut passing = passing_instructors(&candidates, &relaxed);
    for step in LADDER {
        if passing.len() >= ENOUGH_RESULTS {
            break;
        }
        let useful: Vec<Relaxable> = step.iter().copied().filter(|r| asked.contains(r)).collect();
        if useful.is_empty() {
            continue;
        }
        relaxed.extend(useful);
        passing = passing_instructors(&candidates, &relaxed);
    }

    let mut by_instructor: HashMap<&str, Vec<&Candidate<'a>>> = HashMap::new();
    for candidate in candidates.iter().filter(|c| passes(c, &relaxed)) {
        by_instructor.entry(candidate.instructor.id.as_str()).or_default().push(candidate);
    }
    let max_rate = candidates.iter().map(|c| c.offering.rate_cents).max().unwrap_or(Cents(1)).max(Cents(1));
    let mut hits: Vec<Hit<'a>> = by_instructor
        .into_values()
        .map(|mut offers| {
            let instructor = offers[0].instructor;
            // Rank offerings by fit first (without availability), then compute the slot to
            // show for the best one and score the instructor with it.
            offers.sort_by(|a, b| {
                let fit = |c: &Candidate<'_>| score(c, &constraints, instructor, None, max_rate, now);
                fit(b).total_cmp(&fit(a)).then_with(|| a.offering.id.cmp(&b.offering.id))
            });
            let next = soonest(data, &constraints, &memo, offers[0], now);
            let scored: Vec<(f64, &Candidate<'a>)> = offers
                .drain(..)
                .map(|c| (score(c, &constraints, instructor, next.as_ref(), max_rate, now), c))
                .collect();
            let best = scored[0].1;
            Hit {
                instructor,
                offerings: scored.iter().map(|(_, c)| c.offering).collect(),
                score: (scored[0].0 * 1000.0).round() / 1000.0,
                relaxed: best.fails.clone(),
                next_available: next,
            }
        })
        .collect();
    hits.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.instructor.id.cmp(&b.instructor.id)));
    // Only the relaxations some result actually needed are reported.
    let needed: BTreeSet<Relaxable> = hits.iter().flat_map(|h| h.relaxed.iter().copied()).collect();
    Outcome { hits, relaxed: relaxed.intersection(&needed).copied().collect(), budget_ceiling }
}

fn passes(candidate: &Candidate<'_>, relaxed: &BTreeSet<Relaxable>) -> bool {
    candidate.fails.is_subset(relaxed)
        && (!candidate.fails.contains(&Relaxable::Price) || candidate.within_relaxed_price)
}

fn passing_instructors<'a>(candidates: &[Candidate<'a>], relaxed: &BTreeSet<Relaxable>) -> BTreeSet<&'a str> {
    candidates.iter().filter(|c| passes(c, relaxed)).map(|c| c.instructor.id.as_str()).collect()
}

fn resolve(data: &SearchData<'_>, parsed: &ParsedQuery, today: Date) -> (Constraints, Option<Cents>) {
    let (services, exact_services) = match &parsed.service.target {
        ServiceTarget::None => (None, false),
        ServiceTarget::Services { slugs } => (Some(slugs.iter().cloned().collect()), true),
        ServiceTarget::Category { slugs } => (
            Some(
                data.catalog.services.iter().filter(|s| slugs.contains(&s.category)).map(|s| s.slug.clone()).collect(),
            ),
            false,
        ),
    };
    let (price, budget_ceiling) = match &parsed.price {
        None => (None, None),
        Some(p) => price_bounds(p, data, services.as_ref()),
    };
    let when = match (&parsed.date, &parsed.time) {
        (None, None) => None,
        (date, time) => {
            let dates = match date {
                Some(d) => d.dates.clone(),
                None => days_from(today, TIME_ONLY_DAYS),
            };
            let window = time.as_ref().map(|t| (minute_of(t.start), minute_of(t.end)));
            Some(When { dates, window })
        }
    };
    let lesson_type = parsed.lesson_type.as_ref().map(|l| match l.lesson_type {
        LessonType::Online => LocationType::Online,
        LessonType::InPerson => LocationType::InPerson,
    });
    let (borough, neighborhood) = match &parsed.place {
        Some(place) => {
            (place.borough.map(|b| b.slug().to_owned()), place.neighborhood.as_ref().map(|n| n.slug.clone()))
        }
        None => (None, None),
    };
    let constraints = Constraints {
        services,
        exact_services,
        price,
        level: parsed.level.as_ref().map(|l| match l.level {
            QueryLevel::Beginner => Level::Beginner,
            QueryLevel::Intermediate => Level::Intermediate,
            QueryLevel::Advanced => Level::Advanced,
        }),
        audience: parsed.audience.as_ref().map(|a| match a.group {
            AudienceGroup::Kids => AgeGroup::Kids,
            AudienceGroup::Teens => AgeGroup::Teens,
            AudienceGroup::Adults => AgeGroup::Adults,
        }),
        lesson_type,
        borough,
        neighborhood,
        when,
        relaxed_dates: days_from(today, RELAXED_DATE_DAYS),
    };
    (constraints, budget_ceiling)
}

fn minute_of(time: jiff::civil::Time) -> u16 {
    u16::try_from(i32::from(time.hour()) * 60 + i32::from(time.minute())).unwrap_or(0)
}

fn days_from(today: Date, count: i64) -> Vec<Date> {
    (0..count).filter_map(|d| today.checked_add(jiff::Span::new().days(d)).ok()).collect()
}

/// Explicit bounds as given; a budget word becomes a ceiling at the top of the cheapest
/// third of the matching services' active rates (all services when none was named).
fn price_bounds(
    price: &PriceConstraint,
    data: &SearchData<'_>,
    services: Option<&BTreeSet<String>>,
) -> (Option<PriceBounds>, Option<Cents>) {
    if price.kind != PriceKind::Budget {
        let bounds = PriceBounds { min: price.min_cents.map(Cents), max: price.max_cents.map(Cents) };
        return (Some(bounds), None);
    }
    let mut rates: Vec<Cents> = match services {
        Some(slugs) => slugs.iter().filter_map(|s| data.rates.get(s)).flatten().copied().collect(),
        None => data.rates.values().flatten().copied().collect(),
    };
    if rates.is_empty() {
        return (None, None);
    }
    rates.sort_unstable();
    // The 33rd percentile (nearest rank): a third of the offerings cost at most this.
    let index = (rates.len() * 33).div_ceil(100).saturating_sub(1);
    let ceiling = rates[index.min(rates.len() - 1)];
    (Some(PriceBounds { min: None, max: Some(ceiling) }), Some(ceiling))
}

fn candidates<'a>(
    data: &SearchData<'a>,
    constraints: &Constraints,
    memo: &SlotMemo<'a>,
    now: Timestamp,
) -> Vec<Candidate<'a>> {
    // A named service narrows the pool to its teachers before any offering is looked at.
    let pool: Vec<usize> = match &constraints.services {
        Some(services) => {
            let mut indices: Vec<usize> =
                services.iter().filter_map(|s| data.teaching.get(s.as_str())).flatten().copied().collect();
            indices.sort_unstable();
            indices.dedup();
            indices
        }
        None => data.listed.to_vec(),
    };
    let mut out = Vec::new();
    for instructor in pool.into_iter().map(|i| &data.profiles[i]) {
        for offering in instructor.active_offerings() {
            if constraints.services.as_ref().is_some_and(|s| !s.contains(&offering.service)) {
                continue;
            }
            // The lesson type is a hard filter (never relaxed): an online learner is not
            // helped by an in-person result.
            if constraints.lesson_type.is_some_and(|t| !offering.offers(t)) {
                continue;
            }
            let mut fails = BTreeSet::new();
            let mut within_relaxed_price = true;
            if let Some(bounds) = constraints.price
                && !bounds.contains(offering.rate_cents)
            {
                fails.insert(Relaxable::Price);
                within_relaxed_price = bounds.relaxed().contains(offering.rate_cents);
            }
            if constraints.level.is_some_and(|l| !offering.teaches_level(l)) {
                fails.insert(Relaxable::Level);
            }
            if constraints.audience.is_some_and(|a| !offering.teaches_age(a)) {
                fails.insert(Relaxable::Audience);
            }
            if !covers_place(instructor, offering, constraints) {
                fails.insert(Relaxable::Place);
            }
            if let Some(when) = &constraints.when
                && first_slot(memo, data, instructor, offering, &when.dates, when.window, now).is_none()
            {
                if when.window.is_some() {
                    fails.insert(Relaxable::Time);
                }
                if when.window.is_none()
                    || first_slot(memo, data, instructor, offering, &when.dates, None, now).is_none()
                {
                    fails.insert(Relaxable::Date);
                    // Time is relaxed before date, so a relaxed date means any time in the
                    // coming days; with nothing bookable then, the offering cannot help.
                    if first_slot(memo, data, instructor, offering, &constraints.relaxed_dates, None, now).is_none() {
                        continue;
                    }
                }
            }
            out.push(Candidate { instructor, offering, fails, within_relaxed_price });
        }
    }
    out
}

/// An in-person offering must cover the place; an online lesson happens anywhere, so when
/// the query asks for online lessons the place does not constrain them.
fn covers_place(instructor: &InstructorProfile, offering: &Offering, constraints: &Constraints) -> bool {
    if constraints.borough.is_none() && constraints.neighborhood.is_none() {
        return true;
    }
    if constraints.lesson_type == Some(LocationType::Online) {
        return true;
    }
    if !offering.offers(LocationType::InPerson) {
        return false;
    }
    match (&constraints.neighborhood, &constraints.borough) {
        (Some(hood), _) => places().covers_neighborhood(&instructor.areas, hood),
        (None, Some(borough)) => places().covers_borough(&instructor.areas, borough),
        (None, None) => true,
    }
}

/// Slot answers already computed in this search, by (instructor, lesson minutes, which
/// date list, start window): an instructor's offerings mostly share their shortest lesson,
/// and the relaxation ladder asks the same question again, so each is computed once. The
/// date lists live in the search's `Constraints` for its whole run, so their address tells
/// the asked-for dates from the relaxed ones.
type SlotKey<'a> = (&'a str, u16, usize, Option<(u16, u16)>);

#[derive(Default)]
struct SlotMemo<'a>(RefCell<HashMap<SlotKey<'a>, Option<NextSlot>>>);

/// The first bookable start of this offering's shortest lesson on one of `dates`, inside the
/// start-time window when there is one.
fn first_slot<'a>(
    memo: &SlotMemo<'a>,
    data: &SearchData<'a>,
    instructor: &'a InstructorProfile,
    offering: &Offering,
    dates: &[Date],
    window: Option<(u16, u16)>,
    now: Timestamp,
) -> Option<NextSlot> {
    let duration = shortest(offering)?;
    let key = (instructor.id.as_str(), duration.minutes(), dates.as_ptr() as usize, window);
    if let Some(known) = memo.0.borrow().get(&key) {
        return *known;
    }
    let found = data.schedules.get(&instructor.id).and_then(|schedule| {
        let busy = data.busy.get(&instructor.id).map(Vec::as_slice).unwrap_or_default();
        first_start(schedule, &instructor.settings, busy, dates, duration, now, |slot| {
            window.is_none_or(|(from, to)| (from..=to).contains(&minute_of(slot.time)))
        })
    });
    memo.0.borrow_mut().insert(key, found);
    found
}

fn shortest(offering: &Offering) -> Option<LessonDuration> {
    offering.durations.iter().min().and_then(|m| LessonDuration::from_minutes(*m).ok())
}

/// The slot to show for a result: the first one in the asked-for dates and times when the
/// result matched them, else the instructor's next bookable start for the best offering.
fn soonest<'a>(
    data: &SearchData<'a>,
    constraints: &Constraints,
    memo: &SlotMemo<'a>,
    best: &Candidate<'a>,
    now: Timestamp,
) -> Option<NextSlot> {
    let instructor = best.instructor;
    if let Some(when) = &constraints.when {
        let window = if best.fails.contains(&Relaxable::Time) { None } else { when.window };
        let dates = if best.fails.contains(&Relaxable::Date) { &constraints.relaxed_dates } else { &when.dates };
        return first_slot(memo, data, instructor, best.offering, dates, window, now);
    }
    let schedule = data.schedules.get(&instructor.id)?;
    let busy = data.busy.get(&instructor.id).map(Vec::as_slice).unwrap_or_default();
    next_available(schedule, &instructor.settings, busy, shortest(best.offering)?, now)
}

/// Weights of the ranking signals (they sum to 1).
const RELEVANCE: f64 = 0.40;
const PRICE_FIT: f64 = 0.20;
const EXPERIENCE: f64 = 0.15;
const SOONEST: f64 = 0.15;
const COMPLETENESS: f64 = 0.10;

fn score(
    candidate: &Candidate<'_>,
    constraints: &Constraints,
    instructor: &InstructorProfile,
    next: Option<&NextSlot>,
    max_rate: Cents,
    now: Timestamp,
) -> f64 {
    let relevance = match (&constraints.services, constraints.exact_services) {
        (Some(_), true) => 1.0,
        (Some(_), false) => 0.7,
        (None, _) => 0.5,
    };
    let rate = f64::from(candidate.offering.rate_cents.0);
    let price_fit = match constraints.price {
        // Within the bounds, cheaper fits better; past them (relaxed), it fits least.
        Some(bounds) if bounds.contains(candidate.offering.rate_cents) => {
            let top = bounds.max.map(|m| f64::from(m.0)).unwrap_or(f64::from(max_rate.0)).max(1.0);
            1.0 - 0.5 * (rate / top).min(1.0)
        }
        Some(_) => 0.1,
        None => 1.0 - 0.5 * (rate / f64::from(max_rate.0)).min(1.0),
    };
    let experience = f64::from(instructor.years_experience.min(20)) / 20.0;
    let soonest = next
        .map(|n| {
            let hours = (n.slot.start - now).as_secs_f64() / 3600.0;
            (1.0 - hours / SOONEST_HORIZON_HOURS).clamp(0.0, 1.0)
        })
        .unwrap_or(0.0);
    let completeness = completeness(instructor, candidate.offering);
    let relaxed_penalty = 0.05 * candidate.fails.len() as f64;
    RELEVANCE * relevance
        + PRICE_FIT * price_fit
        + EXPERIENCE * experience
        + SOONEST * soonest
        + COMPLETENESS * completeness
        - relaxed_penalty
}

/// How much of a profile a student can judge by: a substantial bio, more than one area, an
/// offering description, listed levels and ages.
fn completeness(instructor: &InstructorProfile, offering: &Offering) -> f64 {
    let signals = [
        instructor.bio.chars().count() >= 200,
        instructor.areas.len() >= 2,
        !offering.description.is_empty(),
        !offering.levels.is_empty(),
        !offering.age_groups.is_empty(),
    ];
    signals.iter().filter(|s| **s).count() as f64 / signals.len() as f64
}
