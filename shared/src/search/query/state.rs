//! The query being parsed: its tokens, what each has been used for, and the phrase-matching
//! helpers every extractor shares.

use super::lexicon::{NodeId, ROOT, Tag};
use super::tokens::{Kind, Number, Token, Use, bounded, tokenize};
use super::types::Correction;
use super::vocabulary::Vocabulary;

/// More tokens than this are ignored (a 200-character query has at most ~100).
const MAX_TOKENS: usize = 256;

pub(super) struct Query<'a> {
    /// The (bounded) query text the token spans point into.
    pub text: &'a str,
    pub toks: Vec<Token>,
    pub vocab: &'a Vocabulary,
    /// Multi-word service phrases found first (first token, last token, trie node).
    pub protected: Vec<(usize, usize, NodeId)>,
}

/// Symbols that may sit inside a vocabulary phrase without breaking it ("k-5", "y/o", "1:1").
fn is_phrase_joiner(t: &Token) -> bool {
    matches!(t.kind, Kind::Sym('-' | '/' | ':'))
}

pub(super) fn free(t: &Token) -> bool {
    t.used == Use::Free
}

pub(super) fn free_or_protected(t: &Token) -> bool {
    matches!(t.used, Use::Free | Use::Protected)
}

impl<'a> Query<'a> {
    pub fn new(raw: &'a str, vocab: &'a Vocabulary) -> Query<'a> {
        let text = bounded(raw);
        let mut toks = tokenize(text);
        toks.truncate(MAX_TOKENS);
        for t in &mut toks {
            match t.kind {
                Kind::Word => {
                    t.word = vocab.lex.id_folding_plural(&t.text);
                    if t.word.is_none() {
                        t.word = vocab.fuzzy.correct(&t.text);
                        t.corrected = t.word.is_some();
                    }
                }
                Kind::Num => t.word = vocab.lex.id(&t.text),
                Kind::Sym(_) => {}
            }
            t.node = t.word.and_then(|w| vocab.lex.child(ROOT, w));
        }
        Query { text, toks, vocab, protected: Vec::new() }
    }

    pub fn len(&self) -> usize {
        self.toks.len()
    }

    pub fn tok(&self, i: usize) -> Option<&Token> {
        self.toks.get(i)
    }

    pub fn is_free(&self, i: usize) -> bool {
        self.tok(i).is_some_and(free)
    }

    /// Tags of token `i` read as a one-word phrase.
    pub fn tags(&self, i: usize) -> &'a [Tag] {
        let vocab: &'a Vocabulary = self.vocab;
        match self.tok(i).and_then(|t| t.node) {
            Some(n) => vocab.lex.tags(n),
            None => &[],
        }
    }

    pub fn has_tag(&self, i: usize, pred: impl Fn(Tag) -> bool) -> bool {
        self.tags(i).iter().any(|&t| pred(t))
    }

    /// A free number token.
    pub fn num(&self, i: usize) -> Option<Number> {
        self.tok(i).filter(|t| free(t)).and_then(|t| t.num)
    }

    /// Token `i` is the free symbol `c`.
    pub fn sym(&self, i: usize, c: char) -> bool {
        self.tok(i).is_some_and(|t| free(t) && t.is_sym(c))
    }

    /// Token `i` is glued to the token before it (no space between).
    pub fn glued(&self, i: usize) -> bool {
        self.tok(i).is_some_and(|t| t.glued)
    }

    /// Index of the token after `j` in a phrase, skipping one joiner symbol.
    fn phrase_next(&self, j: usize, allow: &impl Fn(&Token) -> bool) -> usize {
        match self.tok(j + 1) {
            Some(t) if is_phrase_joiner(t) && allow(t) => j + 2,
            _ => j + 1,
        }
    }

    /// The longest phrase starting at token `i`, over tokens accepted by `allow`, whose tags
    /// satisfy `accept`: returns the trie node and the index of the phrase's last token.
    pub fn longest_node(
        &self,
        i: usize,
        allow: impl Fn(&Token) -> bool,
        accept: impl Fn(&[Tag]) -> bool,
    ) -> Option<(NodeId, usize)> {
        let lex = &self.vocab.lex;
        let mut node = ROOT;
        let mut j = i;
        let mut best = None;
        while let Some(t) = self.tok(j) {
            if !allow(t) || !matches!(t.kind, Kind::Word | Kind::Num) {
                break;
            }
            let next = if node == ROOT { t.node } else { t.word.and_then(|w| lex.child(node, w)) };
            let Some(next) = next else {
                break;
            };
            node = next;
            if accept(lex.tags(node)) {
                best = Some((node, j));
            }
            j = self.phrase_next(j, &allow);
        }
        best
    }

    /// Like [`Query::longest_node`], mapping the tags through `pick`.
    pub fn longest<T>(
        &self,
        i: usize,
        allow: impl Fn(&Token) -> bool,
        pick: impl Fn(&[Tag]) -> Option<T>,
    ) -> Option<(T, usize)> {
        let (node, end) = self.longest_node(i, allow, |tags| pick(tags).is_some())?;
        Some((pick(self.vocab.lex.tags(node))?, end))
    }

    /// Longest free phrase at `i` carrying a tag that `pred` accepts; returns its last token.
    pub fn phrase_with(&self, i: usize, pred: impl Fn(Tag) -> bool) -> Option<usize> {
        self.longest_node(i, free, |tags| tags.iter().any(|&t| pred(t))).map(|(_, end)| end)
    }

    /// The free phrase that ends exactly at token `end` (the longest one) whose tags `pred`
    /// accepts; returns its first token. Used for cues written before a word ("next friday").
    pub fn phrase_ending_at(&self, end: usize, pred: impl Fn(Tag) -> bool) -> Option<usize> {
        let lex = &self.vocab.lex;
        let lowest = end.saturating_sub(4);
        (lowest..=end).find(|&start| {
            let mut node = ROOT;
            let mut j = start;
            while j <= end {
                let Some(t) = self.tok(j).filter(|t| free(t)) else {
                    return false;
                };
                let Some(next) = t.word.and_then(|w| lex.child(node, w)) else {
                    return false;
                };
                node = next;
                if j == end {
                    return lex.tags(node).iter().any(|&t| pred(t));
                }
                j = self.phrase_next(j, &free);
            }
            false
        })
    }

    /// Marks tokens `from..=to` as used.
    pub fn consume(&mut self, from: usize, to: usize, used: Use) {
        for t in self.toks.iter_mut().take(to.saturating_add(1)).skip(from) {
            t.used = used;
        }
    }

    /// The query text of tokens `from..=to`, as typed.
    pub fn span(&self, from: usize, to: usize) -> String {
        match (self.tok(from), self.tok(to)) {
            (Some(a), Some(b)) if a.start <= b.end => self.text.get(a.start..b.end).unwrap_or_default().to_owned(),
            _ => String::new(),
        }
    }

    /// Typo corrections that ended up used, and the query rewritten with them.
    pub fn corrections(&self, raw: &str) -> (Vec<Correction>, Option<String>) {
        let used: Vec<&Token> = self.toks.iter().filter(|t| t.corrected && corrected_use_counts(t.used)).collect();
        if used.is_empty() {
            return (Vec::new(), None);
        }
        let mut rewritten = String::with_capacity(raw.len() + 8);
        let mut last = 0;
        let mut list = Vec::with_capacity(used.len());
        for t in used {
            let to = t.word.map_or("", |w| self.vocab.lex.text(w));
            rewritten.push_str(raw.get(last..t.start).unwrap_or_default());
            rewritten.push_str(to);
            last = t.end;
            list.push(Correction { from: raw.get(t.start..t.end).unwrap_or_default().to_owned(), to: to.to_owned() });
        }
        rewritten.push_str(raw.get(last..).unwrap_or_default());
        (list, Some(rewritten))
    }

    /// Normalized service words plus unmatched words, in query order. Stop words at the edges
    /// of a service phrase are left out ("piano lessons" → "piano"); inside one they stay
    /// ("social media for business").
    pub fn remaining_text(&self) -> String {
        let mut keep: Vec<bool> = self
            .toks
            .iter()
            .map(|t| {
                matches!(t.kind, Kind::Word | Kind::Num)
                    && (t.used == Use::Service || (t.used == Use::Free && !self.absorbed(t)))
            })
            .collect();
        for &(from, to, _) in &self.protected {
            let is_stop = |k: usize| self.tags(k).contains(&Tag::Stop);
            let mut a = from;
            while a <= to && (is_stop(a) || !keep[a]) {
                keep[a] = false;
                a += 1;
            }
            let mut b = to;
            while b > a && (is_stop(b) || !keep[b]) {
                keep[b] = false;
                b -= 1;
            }
        }
        let mut out = String::new();
        for (t, _) in self.toks.iter().zip(&keep).filter(|(_, k)| **k) {
            let word = match (t.corrected && t.used != Use::Free, t.word) {
                (true, Some(w)) => self.vocab.lex.text(w),
                _ => t.text.as_str(),
            };
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
        out
    }

    /// A free word that typo correction read as a stop word ("lesons"): ignored like one.
    pub fn absorbed(&self, t: &Token) -> bool {
        t.corrected && t.word.is_some_and(|w| self.vocab.lex.word_tags(w).contains(&Tag::Stop))
    }
}

/// A correction counts when its token produced something: a service or a constraint.
pub(super) fn corrected_use_counts(used: Use) -> bool {
    matches!(used, Use::Service | Use::Constraint | Use::Protected)
}
