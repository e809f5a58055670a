//! The vocabulary: the catalog's services and categories plus the embedded word lists, compiled
//! once (per warm Lambda) into the lexicon trie and the indexes the parser reads.

use jiff::civil::Time;
use jiff::tz::TimeZone;

use super::data::{self, Meridiem};
use super::fuzzy::FuzzyIndex;
use super::lexicon::{FxMap, Lexicon, Tag, WordId};
use super::types::{AudienceGroup, Borough, LessonType, Level};

/// A catalog category as the parser needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryTerms {
    pub slug: String,
    pub name: String,
}

/// A catalog service as the parser needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceTerms {
    pub slug: String,
    pub name: String,
    /// Category slug.
    pub category: String,
    pub search_terms: Vec<String>,
}

/// A word that occurs inside more services' names than this is too generic to name a service
/// on its own.
const PARTIAL_MAX_SERVICES: usize = 12;

#[derive(Debug)]
pub(super) struct ServiceInfo {
    pub slug: String,
}

#[derive(Debug)]
pub(super) struct CategoryInfo {
    pub slug: String,
    pub services: Vec<u16>,
}

#[derive(Debug)]
pub(super) struct NeighborhoodInfo {
    pub slug: String,
    pub name: String,
    pub borough: Borough,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct PartOfDay {
    pub start: Time,
    pub end: Time,
    pub meridiem: Meridiem,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct RelativeDay {
    pub offset: i8,
    pub part_of_day: Option<u16>,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Settings {
    pub max_age: u8,
    pub bare_min_cents: u64,
    pub bare_max_cents: u64,
    pub bare_pm_until: u8,
    pub around_minutes: i32,
}

/// Everything the parser knows. Build it once with [`Vocabulary::new`] and share it (it is
/// `Send + Sync` and never mutated by parsing).
#[derive(Debug)]
pub struct Vocabulary {
    pub(super) lex: Lexicon,
    pub(super) services: Vec<ServiceInfo>,
    pub(super) categories: Vec<CategoryInfo>,
    /// Alias index → service indexes.
    pub(super) aliases: Vec<Vec<u16>>,
    /// Word → services whose name contains it ("painting" → the three painting services);
    /// generic words removed.
    pub(super) name_words: FxMap<WordId, Vec<u16>>,
    pub(super) fuzzy: FuzzyIndex,
    pub(super) neighborhoods: Vec<NeighborhoodInfo>,
    pub(super) parts_of_day: Vec<PartOfDay>,
    pub(super) relative_days: Vec<RelativeDay>,
    pub(super) clock_words: Vec<Time>,
    pub(super) settings: Settings,
    /// America/New_York, to read `now` in New York time whatever zone it was given in.
    pub(super) time_zone: Option<TimeZone>,
}

fn parse_clock(text: &str, file_key: &str) -> Time {
    let parsed = text.split_once(':').and_then(|(h, m)| {
        let h: i8 = h.trim().parse().ok()?;
        let m: i8 = m.trim().parse().ok()?;
        Time::new(h, m, 0, 0).ok()
    });
    parsed.unwrap_or_else(|| panic!("shared/data/search/words.yaml: bad time {text:?} in {file_key}"))
}

const WEEKDAY_NAMES: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

impl Vocabulary {
    /// Compiles the catalog and the embedded word lists. Takes a few milliseconds; call once.
    ///
    /// Aliases naming a service or category slug missing from the catalog are skipped, so the
    /// catalog can change without breaking the parser.
    ///
    /// # Panics
    /// Only if an embedded data file is malformed, which a unit test rules out.
    pub fn new(categories: &[CategoryTerms], services: &[ServiceTerms]) -> Vocabulary {
        let files = data::embedded();
        let words = &files.words;
        let mut lex = Lexicon::new();

        let add_all = |lex: &mut Lexicon, phrases: &[String], tag: Tag| {
            for p in phrases {
                lex.add(p, tag);
            }
        };

        // --- words.yaml ---
        add_all(&mut lex, &words.stop_words, Tag::Stop);
        add_all(&mut lex, &words.levels.beginner, Tag::Level(Level::Beginner));
        add_all(&mut lex, &words.levels.intermediate, Tag::Level(Level::Intermediate));
        add_all(&mut lex, &words.levels.advanced, Tag::Level(Level::Advanced));
        add_all(&mut lex, &words.audiences.kids, Tag::Audience(AudienceGroup::Kids));
        add_all(&mut lex, &words.audiences.teens, Tag::Audience(AudienceGroup::Teens));
        add_all(&mut lex, &words.audiences.adults, Tag::Audience(AudienceGroup::Adults));
        add_all(&mut lex, &words.age_units, Tag::AgeUnit);
        add_all(&mut lex, &words.age_cues, Tag::AgeCue);
        add_all(&mut lex, &words.age_under_units, Tag::AgeUnderUnit);
        add_all(&mut lex, &words.grade_words, Tag::GradeWord);
        add_all(&mut lex, &words.experience_words, Tag::Experience);
        add_all(&mut lex, &words.lesson_types.online, Tag::LessonType(LessonType::Online));
        add_all(&mut lex, &words.lesson_types.in_person, Tag::LessonType(LessonType::InPerson));
        add_all(&mut lex, &words.budget, Tag::Budget);

        let p = &words.price;
        add_all(&mut lex, &p.max_cues, Tag::PriceMaxCue);
        add_all(&mut lex, &p.min_cues, Tag::PriceMinCue);
        add_all(&mut lex, &p.approx_cues, Tag::PriceApproxCue);
        add_all(&mut lex, &p.range_cues, Tag::PriceRangeCue);
        add_all(&mut lex, &p.range_joiners, Tag::PriceJoiner);
        add_all(&mut lex, &p.max_suffixes, Tag::PriceMaxSuffix);
        add_all(&mut lex, &p.min_suffixes, Tag::PriceMinSuffix);
        add_all(&mut lex, &p.approx_suffixes, Tag::PriceApproxSuffix);
        add_all(&mut lex, &p.currency_words, Tag::Currency);
        add_all(&mut lex, &p.rate_phrases, Tag::RatePhrase);
        add_all(&mut lex, &p.rate_units, Tag::RateUnit);
        add_all(&mut lex, &p.non_price_units, Tag::NonPriceUnit);
        add_all(&mut lex, &p.not_price_before, Tag::NotPriceBefore);

        let t = &words.time;
        add_all(&mut lex, &t.after_cues, Tag::TimeAfter);
        add_all(&mut lex, &t.before_cues, Tag::TimeBefore);
        add_all(&mut lex, &t.at_cues, Tag::TimeAt);
        add_all(&mut lex, &t.around_cues, Tag::TimeAround);
        add_all(&mut lex, &t.between_cues, Tag::TimeBetween);
        add_all(&mut lex, &t.joiners, Tag::TimeJoiner);
        add_all(&mut lex, &t.am_words, Tag::Am);
        add_all(&mut lex, &t.pm_words, Tag::Pm);
        add_all(&mut lex, &t.am_letters, Tag::AmLetter);
        add_all(&mut lex, &t.pm_letters, Tag::PmLetter);
        let mut clock_words = Vec::new();
        for entry in &t.clock_words {
            let idx = clock_words.len() as u16;
            clock_words.push(parse_clock(&entry.time, "time.clock_words"));
            add_all(&mut lex, &entry.phrases, Tag::ClockWord(idx));
        }

        let mut parts_of_day = Vec::new();
        let mut part_names: Vec<&str> = Vec::new();
        for entry in &words.parts_of_day {
            let idx = parts_of_day.len() as u16;
            parts_of_day.push(PartOfDay {
                start: parse_clock(&entry.start, "parts_of_day"),
                end: parse_clock(&entry.end, "parts_of_day"),
                meridiem: entry.meridiem,
            });
            part_names.push(&entry.name);
            add_all(&mut lex, &entry.phrases, Tag::PartOfDay(idx));
        }
        let mut relative_days = Vec::new();
        for entry in &words.relative_days {
            let idx = relative_days.len() as u16;
            let part_of_day = entry.part_of_day.as_deref().map(|name| {
                let found = part_names.iter().position(|n| *n == name);
                found.unwrap_or_else(|| panic!("shared/data/search/words.yaml: unknown part_of_day {name:?}")) as u16
            });
            relative_days.push(RelativeDay { offset: entry.offset, part_of_day });
            add_all(&mut lex, &entry.phrases, Tag::RelativeDay(idx));
        }
        for entry in &words.weekdays {
            let day = WEEKDAY_NAMES.iter().position(|d| *d == entry.day);
            let day =
                day.unwrap_or_else(|| panic!("shared/data/search/words.yaml: unknown weekday {:?}", entry.day)) as u8;
            add_all(&mut lex, &entry.strong, Tag::Weekday(day));
            add_all(&mut lex, &entry.weak, Tag::WeakWeekday(day));
        }
        for entry in &words.months {
            add_all(&mut lex, &entry.phrases, Tag::Month(entry.month));
        }
        add_all(&mut lex, &words.date_cues.this, Tag::CueThis);
        add_all(&mut lex, &words.date_cues.next, Tag::CueNext);
        add_all(&mut lex, &words.date_cues.on, Tag::CueOn);
        add_all(&mut lex, &words.weekend_words, Tag::WeekendWord);
        add_all(&mut lex, &words.weekday_words, Tag::WeekdayWord);
        add_all(&mut lex, &words.week_words, Tag::WeekWord);
        add_all(&mut lex, &words.ordinal_suffixes, Tag::Ordinal);
        add_all(&mut lex, &words.day_month_joiners, Tag::DayMonthJoiner);
        add_all(&mut lex, &words.ordinal_day_cues, Tag::OrdinalDayCue);
        add_all(&mut lex, &words.alternatives, Tag::Or);

        // --- places.yaml ---
        let places = &files.places;
        for b in &places.boroughs {
            let borough = Borough::from_slug(&b.slug)
                .unwrap_or_else(|| panic!("shared/data/search/places.yaml: unknown borough {:?}", b.slug));
            lex.add(&b.slug.replace('_', " "), Tag::Borough(borough));
            add_all(&mut lex, &b.aliases, Tag::Borough(borough));
        }
        add_all(&mut lex, &places.whole_city, Tag::WholeCity);
        add_all(&mut lex, &places.near_me, Tag::NearMe);
        let mut neighborhoods = Vec::new();
        for n in &places.neighborhoods {
            let borough = Borough::from_slug(&n.borough)
                .unwrap_or_else(|| panic!("shared/data/search/places.yaml: unknown borough {:?}", n.borough));
            let idx = neighborhoods.len() as u16;
            neighborhoods.push(NeighborhoodInfo { slug: n.slug.clone(), name: n.name.clone(), borough });
            lex.add(&n.name, Tag::Neighborhood(idx));
            lex.add(&n.slug, Tag::Neighborhood(idx));
            add_all(&mut lex, &n.aliases, Tag::Neighborhood(idx));
        }

        // --- catalog ---
        let mut cats: Vec<CategoryInfo> = Vec::new();
        for c in categories {
            if !cats.iter().any(|x| x.slug == c.slug) {
                cats.push(CategoryInfo { slug: c.slug.clone(), services: Vec::new() });
            }
        }
        let mut svcs: Vec<ServiceInfo> = Vec::new();
        let mut accepted: Vec<&ServiceTerms> = Vec::new();
        for s in services {
            if svcs.len() >= usize::from(u16::MAX) || svcs.iter().any(|x| x.slug == s.slug) {
                continue;
            }
            let idx = svcs.len() as u16;
            let category = cats.iter().position(|c| c.slug == s.category).map(|c| c as u16);
            if let Some(c) = category {
                cats[usize::from(c)].services.push(idx);
            }
            svcs.push(ServiceInfo { slug: s.slug.clone() });
            accepted.push(s);
        }
        // Level words inside a search term ("beginner piano", "advanced calculus", "seo basics")
        // are read as the level, so each term is stored without them: "advanced english" is
        // then level + English rather than whatever service listed that combination, and
        // "seo basics" still finds its service through "seo".
        let is_level_word = |lex: &Lexicon, w: &str| {
            lex.id(w).is_some_and(|id| lex.word_tags(id).iter().any(|t| matches!(t, Tag::Level(_))))
        };
        for (i, s) in accepted.iter().enumerate() {
            let idx = i as u16;
            lex.add(&s.name, Tag::ServiceName(idx));
            for term in &s.search_terms {
                let words = super::tokens::phrase_words(term);
                let kept: Vec<&str> = words.iter().map(String::as_str).filter(|w| !is_level_word(&lex, w)).collect();
                if !kept.is_empty() {
                    lex.add(&kept.join(" "), Tag::ServiceTerm(idx));
                }
            }
        }

        // --- aliases.yaml ---
        let mut aliases: Vec<Vec<u16>> = Vec::new();
        for (phrase, slugs) in &files.aliases.services {
            let ids: Vec<u16> =
                slugs.iter().filter_map(|slug| svcs.iter().position(|s| &s.slug == slug)).map(|i| i as u16).collect();
            if ids.is_empty() {
                continue;
            }
            let idx = aliases.len() as u16;
            aliases.push(ids);
            lex.add(phrase, Tag::Alias(idx));
        }
        for (i, c) in cats.iter().enumerate() {
            // An empty category (Kids has no services) gets no category word: "kids" is an
            // audience word.
            if c.services.is_empty() {
                continue;
            }
            let idx = i as u16;
            if let Some(ct) = categories.iter().find(|ct| ct.slug == c.slug) {
                lex.add(&ct.name, Tag::Category(idx));
            }
            if let Some(words) = files.aliases.categories.get(&c.slug) {
                add_all(&mut lex, words, Tag::Category(idx));
            }
        }

        // --- partial-word index ---
        // A word inside service names names those services on its own ("painting", "jazz",
        // "bass"), unless it is generic (words.yaml `generic_name_words`: "first" must not
        // mean First Aid) or shared by too many services. Words found only inside search terms
        // are not used this way: "close" (from "close-up magic") or "court" (from "court
        // interpreting") would turn ordinary words into services.
        let generic: Vec<WordId> = words.generic_name_words.iter().filter_map(|w| lex.id_folding_plural(w)).collect();
        let content_word = |lex: &Lexicon, w: WordId| {
            let text = lex.text(w);
            text.chars().count() >= 3
                && !text.chars().all(|c| c.is_ascii_digit())
                && !generic.contains(&w)
                && !lex
                    .word_tags(w)
                    .iter()
                    .any(|t| matches!(t, Tag::Stop | Tag::Level(_) | Tag::Audience(_) | Tag::Category(_)))
        };
        let mut name_words: FxMap<WordId, Vec<u16>> = FxMap::default();
        // How many services mention each word anywhere: a tie-breaker for typo correction.
        let mut mentions: FxMap<WordId, Vec<u16>> = FxMap::default();
        for (i, s) in accepted.iter().enumerate() {
            let idx = i as u16;
            for w in phrase_ids(&lex, &s.name) {
                push_unique(mentions.entry(w).or_default(), idx);
                if content_word(&lex, w) {
                    push_unique(name_words.entry(w).or_default(), idx);
                }
            }
            for term in &s.search_terms {
                for w in phrase_ids(&lex, term) {
                    push_unique(mentions.entry(w).or_default(), idx);
                }
            }
        }
        name_words.retain(|_, v| v.len() <= PARTIAL_MAX_SERVICES);
        let fuzzy = FuzzyIndex::build(&lex, &mentions);

        let settings = Settings {
            max_age: words.max_age,
            bare_min_cents: u64::from(words.price.bare_min_dollars) * 100,
            bare_max_cents: u64::from(words.price.bare_max_dollars) * 100,
            bare_pm_until: words.time.bare_pm_until,
            around_minutes: i32::from(words.time.around_minutes),
        };

        Vocabulary {
            lex,
            services: svcs,
            categories: cats,
            aliases,
            name_words,
            fuzzy,
            neighborhoods,
            parts_of_day,
            relative_days,
            clock_words,
            settings,
            time_zone: TimeZone::get("America/New_York").ok(),
        }
    }

    /// Number of services the vocabulary knows.
    pub fn service_count(&self) -> usize {
        self.services.len()
    }

    /// Number of distinct words in the compiled lexicon.
    pub fn word_count(&self) -> usize {
        self.lex.word_count()
    }

    pub(super) fn service_slug(&self, idx: u16) -> &str {
        self.services.get(usize::from(idx)).map_or("", |s| &s.slug)
    }

    pub(super) fn category_slug(&self, idx: u16) -> &str {
        self.categories.get(usize::from(idx)).map_or("", |c| &c.slug)
    }
}

/// Word ids of a phrase's words that are already in the lexicon (unknown words skipped).
fn phrase_ids(lex: &Lexicon, phrase: &str) -> Vec<WordId> {
    super::tokens::phrase_words(phrase).iter().filter_map(|w| lex.id(w)).collect()
}

fn push_unique(v: &mut Vec<u16>, x: u16) {
    if !v.contains(&x) {
        v.push(x);
    }
}
