//! The in-memory directory: the catalog, every instructor profile with its schedule and
//! upcoming bookings, and the search vocabulary, held by a warm Lambda.
//!
//! Catalog pages, instructor listings and search read from here, so a request costs no
//! DynamoDB read beyond a small check of the change feed every few seconds (PRODUCT.md §6
//! "Speed"). Writers record what they changed in the feed ([`crate::changes`]): one instructor
//! (reloaded alone), one booking's time (applied as is, no read), or everything.

mod cache;
mod load;

use std::{
    collections::{BTreeMap, HashMap},
    sync::Arc,
};

pub use cache::DirectoryCache;

use crate::{
    availability::{Held, Interval, Schedule},
    catalog::{self, Catalog, ServiceStats},
    ids::{BookingId, InstructorId},
    instructors::InstructorProfile,
    money::Cents,
    search::{
        engine::SearchData,
        query::{CategoryTerms, ServiceTerms, Vocabulary},
    },
};

#[derive(Debug, Clone)]
pub struct Directory {
    /// Unique per constructed directory in this process: what a response memo keys on.
    generation: u64,
    pub catalog: Catalog,
    /// Every profile, sorted by id (listed or not: status checks happen per use).
    pub instructors: Vec<InstructorProfile>,
    pub schedules: HashMap<InstructorId, Schedule>,
    /// Upcoming confirmed bookings per instructor, by booking id.
    bookings: HashMap<InstructorId, BTreeMap<BookingId, Held>>,
    busy: HashMap<InstructorId, Vec<Interval>>,
    stats: HashMap<String, ServiceStats>,
    rates: HashMap<String, Vec<Cents>>,
    /// Listed instructors (indices into `instructors`, ascending) with an active offering of
    /// each service: a search for one service looks at its teachers only.
    teaching: HashMap<String, Vec<usize>>,
    /// Indices of the listed instructors, ascending.
    listed: Vec<usize>,
    by_id: HashMap<InstructorId, usize>,
    vocabulary: Arc<Vocabulary>,
}

impl Directory {
    pub fn new(
        catalog: Catalog,
        instructors: Vec<InstructorProfile>,
        schedules: HashMap<InstructorId, Schedule>,
        bookings: HashMap<InstructorId, BTreeMap<BookingId, Held>>,
    ) -> Self {
        let vocabulary = Arc::new(vocabulary(&catalog));
        Self::with_vocabulary(catalog, instructors, schedules, bookings, vocabulary)
    }

    fn with_vocabulary(
        catalog: Catalog,
        mut instructors: Vec<InstructorProfile>,
        schedules: HashMap<InstructorId, Schedule>,
        bookings: HashMap<InstructorId, BTreeMap<BookingId, Held>>,
        vocabulary: Arc<Vocabulary>,
    ) -> Self {
        instructors.sort_by(|a, b| a.id.cmp(&b.id));
        let stats = catalog::service_stats(&instructors);
        let by_id: HashMap<InstructorId, usize> =
            instructors.iter().enumerate().map(|(i, p)| (p.id.clone(), i)).collect();
        let busy = bookings
            .iter()
            .map(|(id, held)| {
                let buffer = by_id.get(id).map_or(0, |&i| instructors[i].settings.buffer_minutes());
                (id.clone(), blocking(held, buffer))
            })
            .collect();
        let mut rates: HashMap<String, Vec<Cents>> = HashMap::new();
        let mut teaching: HashMap<String, Vec<usize>> = HashMap::new();
        let listed: Vec<usize> =
            instructors.iter().enumerate().filter(|(_, i)| i.is_listed()).map(|(n, _)| n).collect();
        for (index, instructor) in instructors.iter().enumerate().filter(|(_, i)| i.is_listed()) {
            for offering in instructor.active_offerings() {
                rates.entry(offering.service.clone()).or_default().push(offering.rate_cents);
                let teachers = teaching.entry(offering.service.clone()).or_default();
                if teachers.last() != Some(&index) {
                    teachers.push(index);
                }
            }
        }
        for list in rates.values_mut() {
            list.sort_unstable();
        }
        Self {
            generation: next_generation(),
            catalog,
            instructors,
            schedules,
            bookings,
            busy,
            stats,
            rates,
            teaching,
            listed,
            by_id,
            vocabulary,
        }
    }

    /// Changes whenever the directory's content may have changed.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Everything, read from the table now (what a cold Lambda does).
    pub async fn load(store: &crate::store::Store, now: jiff::Timestamp) -> Result<Self, crate::store::StoreError> {
        load::everything(store, now).await
    }

    pub fn instructor(&self, id: &InstructorId) -> Option<&InstructorProfile> {
        self.by_id.get(id).map(|&i| &self.instructors[i])
    }

    /// Instructors students may see, in id order.
    pub fn listed(&self) -> impl Iterator<Item = &InstructorProfile> {
        self.instructors.iter().filter(|p| p.is_listed())
    }

    pub fn stats(&self, service_slug: &str) -> ServiceStats {
        self.stats.get(service_slug).copied().unwrap_or_default()
    }

    pub fn schedule(&self, instructor_id: &InstructorId) -> Option<&Schedule> {
        self.schedules.get(instructor_id)
    }

    pub fn busy(&self, instructor_id: &InstructorId) -> &[Interval] {
        self.busy.get(instructor_id).map(Vec::as_slice).unwrap_or_default()
    }

    /// The instructor's earliest bookable start for their shortest active lesson.
    pub fn next_available(
        &self,
        profile: &InstructorProfile,
        now: jiff::Timestamp,
    ) -> Option<crate::availability::NextSlot> {
        let schedule = self.schedule(&profile.id)?;
        let minutes = profile.active_offerings().flat_map(|o| o.durations.iter().copied()).min()?;
        let duration = crate::availability::LessonDuration::from_minutes(minutes).ok()?;
        crate::availability::next_available(schedule, &profile.settings, self.busy(&profile.id), duration, now)
    }

    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocabulary
    }

    /// What the search engine needs, borrowed from here.
    pub fn search_data(&self) -> SearchData<'_> {
        SearchData {
            catalog: &self.catalog,
            schedules: &self.schedules,
            busy: &self.busy,
            rates: &self.rates,
            profiles: &self.instructors,
            listed: &self.listed,
            teaching: &self.teaching,
        }
    }

    /// This directory with one instructor's profile, schedule and bookings replaced
    /// (`None` profile = removed).
    fn with_instructor(
        &self,
        id: &InstructorId,
        profile: Option<InstructorProfile>,
        schedule: Option<Schedule>,
        bookings: BTreeMap<BookingId, Held>,
    ) -> Self {
        let mut instructors: Vec<InstructorProfile> =
            self.instructors.iter().filter(|p| &p.id != id).cloned().collect();
        instructors.extend(profile);
        let mut schedules = self.schedules.clone();
        match schedule {
            Some(s) => schedules.insert(id.to_owned(), s),
            None => schedules.remove(id),
        };
        let mut all_bookings = self.bookings.clone();
        all_bookings.insert(id.to_owned(), bookings);
        Self::with_vocabulary(self.catalog.clone(), instructors, schedules, all_bookings, self.vocabulary.clone())
    }

    /// This directory with one booking's time taken (`Some`) or released (`None`).
    fn with_booking(&self, instructor_id: &InstructorId, booking_id: &BookingId, held: Option<Held>) -> Self {
        let buffer = self.instructor(instructor_id).map_or(0, |p| p.settings.buffer_minutes());
        let mut next = self.clone();
        let entry = next.bookings.entry(instructor_id.to_owned()).or_default();
        match held {
            Some(h) => entry.insert(booking_id.to_owned(), h),
            None => entry.remove(booking_id),
        };
        let intervals = blocking(entry, buffer);
        next.busy.insert(instructor_id.to_owned(), intervals);
        next.generation = next_generation();
        next
    }
}

/// The busy time of one instructor's holds, for the slot engine (see [`Held::blocking`]).
fn blocking(held: &BTreeMap<BookingId, Held>, current_buffer_minutes: u16) -> Vec<Interval> {
    held.values().map(|h| h.blocking(current_buffer_minutes)).collect()
}

fn next_generation() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

fn vocabulary(catalog: &Catalog) -> Vocabulary {
    let categories: Vec<CategoryTerms> =
        catalog.categories.iter().map(|c| CategoryTerms { slug: c.slug.clone(), name: c.name.clone() }).collect();
    let services: Vec<ServiceTerms> = catalog
        .services
        .iter()
        .map(|s| ServiceTerms {
            slug: s.slug.clone(),
            name: s.name.clone(),
            category: s.category.clone(),
            search_terms: s.search_terms.clone(),
        })
        .collect();
    Vocabulary::new(&categories, &services)
}
