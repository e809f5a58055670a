//! Synthetic analytics events, deterministic from a seed: what the exactly-once and
//! report tests feed the worker and what the benchmarks measure with. The envelopes have
//! exactly the shape the search Lambda, the search-interactions route and the booking
//! outbox publish, so the worker cannot tell them from real ones. (Test and benchmark
//! support only, so it lives here and never in a Lambda.)

use jiff::{SignedDuration, Timestamp};
use serde_json::json;

use instainstru_shared::{
    analytics::events::{INTERACTION, InteractionPayload, InteractionType},
    ids,
    privacy::keyed_hash,
    queue::Envelope,
    search::events::{
        Geo, SEARCH_PERFORMED, SEARCH_UNTRACKED, SearchContext, SearchEvent, SearchPayload, SearchType, normalize_query,
    },
};

/// Queries as people type them, including the ones a CSV writer must quote.
pub const QUERIES: [&str; 12] = [
    "piano lessons",
    "Guitar",
    "spanish tutor, brooklyn",
    "\"jazz\" piano",
    "voice\nlessons for kids",
    "chess",
    "calculus help",
    "underwater basket weaving",
    "yoga",
    "drums, \"loud\"",
    "SAT prep",
    "xylophone in queens",
];
pub const SERVICES: [&str; 6] = ["piano", "guitar", "spanish", "voice", "chess", "calculus"];
const USER_AGENTS: [&str; 5] = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7; rv:121.0) Gecko/20100101 Firefox/121.0",
];
const REFERRERS: [Option<&str>; 3] =
    [None, Some("https://www.google.com/search?q=x"), Some("https://news.example.org/a")];
const BOROUGHS: [Option<&str>; 4] = [Some("brooklyn"), Some("manhattan"), None, Some("queens")];

/// A small deterministic generator (SplitMix64): the same seed, the same events.
#[derive(Debug, Clone)]
pub struct Generator {
    state: u64,
    pub users: Vec<String>,
    pub guests: Vec<String>,
    pub instructors: Vec<String>,
}

impl Generator {
    pub fn new(seed: u64, users: usize, guests: usize, instructors: usize) -> Self {
        let mut g = Self { state: seed, users: Vec::new(), guests: Vec::new(), instructors: Vec::new() };
        g.users = (0..users).map(|i| ids::deterministic_id(1_700_000_000_000 + i as u64, "user")).collect();
        g.guests =
            (0..guests).map(|i| format!("3f2504e0-4f89-41d3-9a0c-{:012x}", seed.wrapping_add(i as u64))).collect();
        g.instructors =
            (0..instructors).map(|i| ids::deterministic_id(1_600_000_000_000 + i as u64, "instructor")).collect();
        g
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// An envelope with a deterministic id (so a benchmark run is reproducible).
    fn envelope(&mut self, kind: &str, at: Timestamp, payload: serde_json::Value) -> Envelope {
        let ms = u64::try_from(at.as_millisecond()).unwrap_or(0);
        let id = ids::deterministic_id(ms, &format!("{kind}-{}", self.next_u64()));
        Envelope { id, kind: kind.to_owned(), occurred_at: at.to_string(), payload }
    }

    /// A search made at `at`: by a user, a guest or nobody known, from some device and
    /// place, finding 0–24 instructors.
    pub fn search(&mut self, at: Timestamp) -> Envelope {
        let query = *self.pick(&QUERIES);
        let who = self.below(10);
        let user_id = (who < 4).then(|| self.pick(&self.users.clone()).clone());
        let guest_session_id = (4..8).contains(&who).then(|| self.pick(&self.guests.clone()).clone());
        let result_count = match self.below(5) {
            0 => 0,
            1 => 1 + self.below(5),
            _ => self.below(25),
        };
        let shown: Vec<String> =
            (0..result_count.min(5)).map(|_| self.pick(&self.instructors.clone()).clone()).collect();
        let services = match self.below(3) {
            0 => Vec::new(),
            1 => vec![(*self.pick(&SERVICES)).to_owned()],
            _ => vec![(*self.pick(&SERVICES)).to_owned(), (*self.pick(&SERVICES)).to_owned()],
        };
        let search_type =
            *self.pick(&[SearchType::Query, SearchType::Query, SearchType::ServicePill, SearchType::CategoryClick]);
        let ip = format!("198.51.100.{}", self.below(40));
        let context = SearchContext {
            user_id,
            guest_session_id,
            session_id: (self.below(4) > 0).then(|| format!("browser-session-{}", self.below(60))),
            origin: Some((*self.pick(&["/", "/search", "/services"])).to_owned()),
            user_agent: Some((*self.pick(&USER_AGENTS)).to_owned()),
            referrer: self.pick(&REFERRERS).map(str::to_owned),
            geo: Geo { client_borough: self.pick(&BOROUGHS).map(str::to_owned), ..Geo::default() },
            do_not_track: false,
        };
        let payload = SearchPayload {
            search: SearchEvent {
                query: query.to_owned(),
                normalized_query: normalize_query(query),
                search_type,
                result_count,
                services,
                shown_instructors: shown,
            },
            context,
            ip_hash: Some(keyed_hash(b"generator-salt", &ip)),
        };
        self.envelope(SEARCH_PERFORMED, at, serde_json::to_value(payload).unwrap_or_default())
    }

    /// A do-not-track search: identity and query only.
    pub fn untracked_search(&mut self, at: Timestamp) -> Envelope {
        let query = *self.pick(&QUERIES);
        let payload = SearchPayload {
            search: SearchEvent {
                query: query.to_owned(),
                normalized_query: normalize_query(query),
                search_type: SearchType::Query,
                result_count: 3,
                services: Vec::new(),
                shown_instructors: Vec::new(),
            },
            context: SearchContext { do_not_track: true, ..SearchContext::default() },
            ip_hash: None,
        };
        self.envelope(SEARCH_UNTRACKED, at, serde_json::to_value(payload).unwrap_or_default())
    }

    /// An interaction with one of `search`'s results, a few seconds after it.
    pub fn interaction(&mut self, search: &Envelope, kind: InteractionType) -> Option<Envelope> {
        let payload: SearchPayload = serde_json::from_value(search.payload.clone()).ok()?;
        let position = self.below(payload.search.shown_instructors.len().max(1));
        let instructor = payload.search.shown_instructors.get(position).cloned()?;
        let wait = 500 + self.below(60_000) as i64;
        let at: Timestamp = search.occurred_at.parse().ok()?;
        let interaction = InteractionPayload {
            search_event_id: search.id.clone(),
            interaction_type: kind,
            instructor_id: instructor,
            result_position: Some(u32::try_from(position + 1).unwrap_or(1)),
            time_to_interaction_ms: Some(u64::try_from(wait).unwrap_or(0)),
            user_id: payload.context.user_id.clone(),
            guest_session_id: payload.context.guest_session_id.clone(),
        };
        Some(self.envelope(
            INTERACTION,
            at + SignedDuration::from_millis(wait),
            serde_json::to_value(interaction).unwrap_or_default(),
        ))
    }

    /// A booking event (`booking.created`, `booking.completed`, …) as the outbox publishes it.
    pub fn booking(&mut self, kind: &str, at: Timestamp) -> Envelope {
        let instructor = self.pick(&self.instructors.clone()).clone();
        let student = self.pick(&self.users.clone()).clone();
        let service = *self.pick(&SERVICES);
        let price = (40 + self.below(80) as u32) * 100;
        let payload = json!({
            "booking_id": ids::deterministic_id(u64::try_from(at.as_millisecond()).unwrap_or(0), &self.next_u64().to_string()),
            "instructor_id": instructor,
            "student_id": student,
            "offering_id": "01HOFFERING0000000000000000",
            "service": service,
            "start": at.to_string(),
            "end": (at + SignedDuration::from_hours(1)).to_string(),
            "price_cents": price,
            "currency": "usd",
            "status": "confirmed",
            "late": false,
        });
        self.envelope(kind, at, payload)
    }
}
