//! Typo tolerance: an unknown query word is compared (optimal string alignment distance,
//! i.e. Damerau–Levenshtein with adjacent transpositions) with the vocabulary words that name
//! services, places, days, levels, audiences and lesson types.
//!
//! Allowed distance scales with the word: ≤ 3 letters none, 4–7 letters 1, ≥ 8 letters 2.
//! Only words the lexicon does not know are corrected, so a correctly spelled constraint word
//! ("tonight", "cheap") is never turned into a service. The first letter must match (typos
//! rarely hit it, and requiring it keeps "play" from becoming "clay"). Candidates are bucketed
//! by first letter and filtered by length and by a letter-set bitmask before any distance is
//! computed, so a correction costs a few hundred nanoseconds, not a scan of the catalog.

use super::lexicon::{FxMap, Lexicon, Tag, WordId};

/// Longest word considered (no vocabulary word comes close).
const MAX_LEN: usize = 32;

#[derive(Debug)]
struct Candidate {
    word: WordId,
    bytes: Box<[u8]>,
    mask: u32,
    /// 0: names a service or category; 1: place or constraint word; 2: stop word (a typo of
    /// "lessons" is then ignored like "lessons" instead of being left unmatched).
    rank: u8,
    /// How many services mention the word (a tie-breaker: common words are likelier).
    df: u16,
}

#[derive(Debug, Default)]
pub(super) struct FuzzyIndex {
    /// Candidates by first letter, `a` = 0.
    buckets: Vec<Vec<Candidate>>,
}

/// Stop words become correction targets only when long enough to be typed wrong in a
/// recognisable way ("lesons", "teacher"); short ones ("fro" → "for") help nothing.
fn words_len_ok(lex: &Lexicon, w: WordId) -> bool {
    lex.text(w).len() >= 5
}

/// Allowed edit distance for a word of `len` letters.
pub(super) fn max_distance(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

fn letter_mask(bytes: &[u8]) -> u32 {
    bytes.iter().filter(|b| b.is_ascii_lowercase()).fold(0u32, |m, b| m | 1 << (b - b'a'))
}

impl FuzzyIndex {
    /// `mentions`: word → services whose name or search terms contain it.
    pub fn build(lex: &Lexicon, mentions: &FxMap<WordId, Vec<u16>>) -> FuzzyIndex {
        // word → names a service?
        let mut wanted: FxMap<WordId, bool> = FxMap::default();
        lex.for_each_phrase(|words, tags| {
            let service = tags.iter().any(|t| t.is_service());
            let other = tags.iter().any(|t| {
                matches!(
                    t,
                    Tag::Borough(_)
                        | Tag::Neighborhood(_)
                        | Tag::Level(_)
                        | Tag::Audience(_)
                        | Tag::LessonType(_)
                        | Tag::Budget
                        | Tag::PartOfDay(_)
                        | Tag::RelativeDay(_)
                        | Tag::Weekday(_)
                        | Tag::Month(_)
                )
            });
            let stop = tags.contains(&Tag::Stop) && words.len() == 1 && words_len_ok(lex, words[0]);
            if service || other || stop {
                for &w in words {
                    let e = wanted.entry(w).or_insert(false);
                    *e |= service;
                }
            }
        });
        let mut buckets: Vec<Vec<Candidate>> = (0..26).map(|_| Vec::new()).collect();
        for (&word, &service) in &wanted {
            let text = lex.text(word);
            let bytes = text.as_bytes();
            let ok = (3..=MAX_LEN).contains(&bytes.len()) && bytes.iter().all(u8::is_ascii_lowercase);
            if !ok {
                continue;
            }
            let stop = lex.word_tags(word).contains(&Tag::Stop);
            let df = mentions.get(&word).map_or(0, Vec::len);
            buckets[usize::from(bytes[0] - b'a')].push(Candidate {
                word,
                bytes: bytes.into(),
                mask: letter_mask(bytes),
                rank: match (service, stop) {
                    (_, true) => 2,
                    (true, false) => 0,
                    (false, false) => 1,
                },
                df: u16::try_from(df).unwrap_or(u16::MAX),
            });
        }
        // Deterministic order regardless of hash-map iteration order.
        for b in &mut buckets {
            b.sort_by(|x, y| x.bytes.cmp(&y.bytes));
        }
        FuzzyIndex { buckets }
    }

    /// The vocabulary word closest to `word` within the allowed distance, if any. Ties go to
    /// the smaller distance, then service words, then more common words, then alphabetical.
    pub fn correct(&self, word: &str) -> Option<WordId> {
        let b = word.as_bytes();
        let max = max_distance(b.len());
        if max == 0 || b.len() > MAX_LEN || !b.iter().all(u8::is_ascii_lowercase) {
            return None;
        }
        let bucket = self.buckets.get(usize::from(b[0] - b'a'))?;
        let mask = letter_mask(b);
        let mut best: Option<(usize, &Candidate)> = None;
        for c in bucket {
            if c.bytes.len().abs_diff(b.len()) > max || (c.mask ^ mask).count_ones() as usize > 2 * max {
                continue;
            }
            let Some(d) = osa_distance(b, &c.bytes, max) else {
                continue;
            };
            let better = match best {
                None => true,
                Some((bd, bc)) => {
                    (d, c.rank, std::cmp::Reverse(c.df), &c.bytes) < (bd, bc.rank, std::cmp::Reverse(bc.df), &bc.bytes)
                }
            };
            if better {
                best = Some((d, c));
            }
        }
        best.map(|(_, c)| c.word)
    }
}

/// Optimal string alignment distance between `a` and `b` if it is at most `max`, else `None`.
/// Both are at most `MAX_LEN` bytes; the rows live on the stack.
pub(super) fn osa_distance(a: &[u8], b: &[u8], max: usize) -> Option<usize> {
    if a.len() > MAX_LEN || b.len() > MAX_LEN || a.len().abs_diff(b.len()) > max {
        return None;
    }
    let n = b.len();
    let mut prev2 = [0usize; MAX_LEN + 1];
    let mut prev: [usize; MAX_LEN + 1] = std::array::from_fn(|j| j);
    let mut cur = [0usize; MAX_LEN + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=n {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return None;
        }
        prev2 = prev;
        prev = cur;
    }
    let d = prev[n];
    (d <= max).then_some(d)
}
