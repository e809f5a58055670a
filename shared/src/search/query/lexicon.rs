//! The phrase dictionary: every word of every vocabulary phrase gets a small integer id, and
//! phrases are stored in a trie keyed by word ids, so matching a query costs a few hash
//! lookups per token and no allocation.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::tokens::phrase_words;
use super::types::{AudienceGroup, Borough, LessonType, Level};

pub(super) type WordId = u32;
pub(super) type NodeId = u32;
pub(super) const ROOT: NodeId = 0;

/// What a phrase means. One phrase may carry several tags ("around" is a price cue, a time
/// cue and a stop word); each extractor picks the tags it understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tag {
    Stop,
    Level(Level),
    Audience(AudienceGroup),
    AgeUnit,
    AgeCue,
    AgeUnderUnit,
    GradeWord,
    /// "experience": "10 years experience" describes the instructor, not an age.
    Experience,
    LessonType(LessonType),
    Budget,
    PriceMaxCue,
    PriceMinCue,
    PriceApproxCue,
    PriceRangeCue,
    PriceJoiner,
    PriceMaxSuffix,
    PriceMinSuffix,
    PriceApproxSuffix,
    Currency,
    RatePhrase,
    RateUnit,
    NonPriceUnit,
    NotPriceBefore,
    TimeAfter,
    TimeBefore,
    TimeAt,
    TimeAround,
    TimeBetween,
    TimeJoiner,
    Am,
    Pm,
    AmLetter,
    PmLetter,
    /// Index into `Vocabulary::clock_words`.
    ClockWord(u16),
    /// Index into `Vocabulary::parts_of_day`.
    PartOfDay(u16),
    /// Index into `Vocabulary::relative_days`.
    RelativeDay(u16),
    /// Monday = 0.
    Weekday(u8),
    /// A weekday abbreviation that is also a service word ("sat"): needs a cue.
    WeakWeekday(u8),
    /// January = 1.
    Month(u8),
    CueThis,
    CueNext,
    CueOn,
    WeekendWord,
    WeekdayWord,
    WeekWord,
    Ordinal,
    DayMonthJoiner,
    OrdinalDayCue,
    /// "or": the query lists alternatives.
    Or,
    Borough(Borough),
    /// Index into `Vocabulary::neighborhoods`.
    Neighborhood(u16),
    WholeCity,
    NearMe,
    /// Index into `Vocabulary::services`.
    ServiceName(u16),
    ServiceTerm(u16),
    /// Index into `Vocabulary::aliases`.
    Alias(u16),
    /// Index into `Vocabulary::categories`.
    Category(u16),
}

impl Tag {
    pub fn is_service(self) -> bool {
        matches!(self, Tag::ServiceName(_) | Tag::ServiceTerm(_) | Tag::Alias(_) | Tag::Category(_))
    }
}

/// FxHash (the rustc hasher): much faster than SipHash for the short keys used here, and
/// the keys come from our own vocabulary, so flooding is not a concern for the tables.
#[derive(Default, Clone, Copy)]
pub(super) struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            self.add(u64::from_le_bytes(b));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(b) ^ ((rest.len() as u64) << 59));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

pub(super) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

#[derive(Debug, Default)]
pub(super) struct Lexicon {
    ids: FxMap<Box<str>, WordId>,
    texts: Vec<Box<str>>,
    edges: FxMap<(NodeId, WordId), NodeId>,
    /// Tags of the phrase ending at each node (index = node id).
    tags: Vec<Vec<Tag>>,
}

impl Lexicon {
    pub fn new() -> Self {
        Lexicon { tags: vec![Vec::new()], ..Lexicon::default() }
    }

    pub fn intern(&mut self, word: &str) -> WordId {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let id = self.texts.len() as WordId;
        self.texts.push(word.into());
        self.ids.insert(word.into(), id);
        id
    }

    /// Adds a phrase with a tag; returns its word ids (empty if the phrase has no words).
    pub fn add(&mut self, phrase: &str, tag: Tag) -> Vec<WordId> {
        let words: Vec<WordId> = phrase_words(phrase).iter().map(|w| self.intern(w)).collect();
        if words.is_empty() {
            return words;
        }
        let mut node = ROOT;
        for &w in &words {
            node = match self.edges.get(&(node, w)) {
                Some(&n) => n,
                None => {
                    let n = self.tags.len() as NodeId;
                    self.tags.push(Vec::new());
                    self.edges.insert((node, w), n);
                    n
                }
            };
        }
        let tags = &mut self.tags[node as usize];
        if !tags.contains(&tag) {
            tags.push(tag);
        }
        words
    }

    /// Exact lookup of a normalized word.
    pub fn id(&self, word: &str) -> Option<WordId> {
        self.ids.get(word).copied()
    }

    /// Lookup that also accepts a simple plural or singular of a known word ("pianos",
    /// "classes", "babies", "drum" → "drums").
    pub fn id_folding_plural(&self, word: &str) -> Option<WordId> {
        if let Some(id) = self.id(word) {
            return Some(id);
        }
        if word.chars().count() < 4 {
            return None;
        }
        if let Some(stem) = word.strip_suffix("ies") {
            let mut y = String::with_capacity(stem.len() + 1);
            y.push_str(stem);
            y.push('y');
            if let Some(id) = self.id(&y) {
                return Some(id);
            }
        }
        if let Some(stem) = word.strip_suffix("es")
            && let Some(id) = self.id(stem)
        {
            return Some(id);
        }
        if let Some(stem) = word.strip_suffix('s') {
            // "class", "bass", "less": a double s is not a plural ending.
            return if stem.ends_with('s') { None } else { self.id(stem) };
        }
        let mut plural = String::with_capacity(word.len() + 1);
        plural.push_str(word);
        plural.push('s');
        self.id(&plural)
    }

    pub fn text(&self, id: WordId) -> &str {
        self.texts.get(id as usize).map_or("", |t| t)
    }

    pub fn word_count(&self) -> usize {
        self.texts.len()
    }

    pub fn child(&self, node: NodeId, word: WordId) -> Option<NodeId> {
        self.edges.get(&(node, word)).copied()
    }

    pub fn tags(&self, node: NodeId) -> &[Tag] {
        self.tags.get(node as usize).map_or(&[], |t| t)
    }

    /// Tags of a single-word phrase.
    pub fn word_tags(&self, word: WordId) -> &[Tag] {
        self.child(ROOT, word).map_or(&[], |n| self.tags(n))
    }

    /// Every (word sequence, tags) entry; used to build derived indexes.
    pub fn for_each_phrase(&self, mut f: impl FnMut(&[WordId], &[Tag])) {
        // Rebuild paths by walking edges from the root (depth-first).
        let mut children: Vec<Vec<(WordId, NodeId)>> = vec![Vec::new(); self.tags.len()];
        for (&(from, w), &to) in &self.edges {
            if let Some(c) = children.get_mut(from as usize) {
                c.push((w, to));
            }
        }
        for c in &mut children {
            c.sort_unstable();
        }
        let mut path: Vec<WordId> = Vec::new();
        let mut stack: Vec<(NodeId, usize)> = vec![(ROOT, 0)];
        while let Some(&(node, next)) = stack.last() {
            let kids = &children[node as usize];
            if let Some(&(w, to)) = kids.get(next) {
                if let Some(top) = stack.last_mut() {
                    top.1 += 1;
                }
                path.push(w);
                let tags = self.tags(to);
                if !tags.is_empty() {
                    f(&path, tags);
                }
                stack.push((to, 0));
            } else {
                stack.pop();
                path.pop();
            }
        }
    }
}
