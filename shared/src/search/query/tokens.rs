//! Tokenizer: turns raw query text (any Unicode) into words, numbers and the few symbols the
//! parser cares about, each with its byte span in the original text.
//!
//! The same tokenizer also splits vocabulary phrases, so a query word and a vocabulary word are
//! normalized identically (lowercase, accents folded, apostrophes dropped).

use super::lexicon::{NodeId, WordId};

/// Queries longer than this are cut (on a character boundary) before parsing: the API refuses
/// queries over 200 characters anyway, and a bound keeps parsing time bounded on any input.
pub(super) const MAX_QUERY_BYTES: usize = 1024;
/// A word longer than this is kept but truncated: no vocabulary word is anywhere near it.
const MAX_WORD_CHARS: usize = 48;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Word,
    Num,
    /// One of `$ € £ - / : + ~ < > %` (all dashes are normalized to `-`).
    Sym(char),
}

/// A number as written: integer part (saturating) and up to two decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Number {
    pub int: u64,
    /// Decimal digits, scaled to hundredths ("49.9" → 90, "5.30" → 30).
    pub hundredths: u32,
    pub has_fraction: bool,
    /// Number of digits of the integer part as typed ("05" → 2).
    pub digits: u8,
}

impl Number {
    /// Integer value when the number has no decimal part.
    pub fn whole(&self) -> Option<u64> {
        (!self.has_fraction).then_some(self.int)
    }
}

/// What a token has been used for so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Use {
    Free,
    /// Part of a multi-word service phrase found before constraint extraction ("sat prep",
    /// "nyc history tours"): only level and audience words may still read it.
    Protected,
    /// Produced a constraint (price, date, place...).
    Constraint,
    /// A stop word or a leftover cue word: ignored.
    Filler,
    /// Named a service or category.
    Service,
}

#[derive(Debug, Clone)]
pub(super) struct Token {
    pub kind: Kind,
    /// Normalized text: folded lowercase word, or the digits of a number; empty for symbols.
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// True when nothing separated this token from the previous one ("5pm", "$50", "8-year").
    pub glued: bool,
    pub num: Option<Number>,
    /// Lexicon id of the word (after plural folding or typo correction), if known.
    pub word: Option<WordId>,
    /// `word` was found by typo correction, not by exact lookup.
    pub corrected: bool,
    /// Trie node of `word` read as a one-word phrase (cached: every extractor starts there).
    pub node: Option<NodeId>,
    pub used: Use,
}

impl Token {
    pub fn is_sym(&self, c: char) -> bool {
        self.kind == Kind::Sym(c)
    }
}

/// Cuts `text` to at most `MAX_QUERY_BYTES` on a character boundary.
pub(super) fn bounded(text: &str) -> &str {
    if text.len() <= MAX_QUERY_BYTES {
        return text;
    }
    let mut cut = MAX_QUERY_BYTES;
    while cut > 0 && !text.is_char_boundary(cut) {
        cut -= 1;
    }
    &text[..cut]
}

/// Folds the common Latin accented letters to ASCII so "español" matches "espanol" and
/// "café" matches "cafe". Letters outside this table are kept as they are.
fn fold(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'ď' | 'đ' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'ğ' => 'g',
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => 'i',
        'ł' | 'ľ' => 'l',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
        'ř' => 'r',
        'ś' | 'š' | 'ş' => 's',
        'ť' | 'ţ' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
        'ý' | 'ÿ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        'ß' => 's',
        _ => c,
    }
}

fn is_combining_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F)
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | '`' | 'ʼ')
}

fn symbol(c: char) -> Option<char> {
    match c {
        '$' | '€' | '£' | '/' | ':' | '+' | '~' | '<' | '>' | '%' => Some(c),
        '-' | '–' | '—' | '−' | '‐' | '‑' => Some('-'),
        _ => None,
    }
}

/// Splits `text` into tokens. `text` should already be bounded (see [`bounded`]).
pub(super) fn tokenize(text: &str) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(16);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    // End of the previous token, to tell whether the next one is glued to it.
    let mut prev_end: Option<usize> = None;
    while i < chars.len() {
        let (start, c) = chars[i];
        let glued = prev_end == Some(start);
        if c.is_ascii_digit() {
            let (tok, next) = lex_number(&chars, i, glued);
            prev_end = Some(tok.end);
            out.push(tok);
            i = next;
        } else if c.is_alphanumeric() || is_combining_mark(c) {
            let (tok, next) = lex_word(&chars, i, glued);
            prev_end = Some(tok.end);
            if !tok.text.is_empty() {
                out.push(tok);
            }
            i = next;
        } else if c == '&' || c == '@' {
            // "&" and "@" read as the words they stand for ("piano & guitar", "@ 5pm").
            let end = start + c.len_utf8();
            let word = if c == '&' { "and" } else { "at" };
            out.push(word_token(word.to_owned(), start, end, glued));
            prev_end = Some(end);
            i += 1;
        } else if let Some(s) = symbol(c) {
            let end = start + c.len_utf8();
            out.push(Token {
                kind: Kind::Sym(s),
                text: String::new(),
                start,
                end,
                glued,
                num: None,
                word: None,
                corrected: false,
                node: None,
                used: Use::Free,
            });
            prev_end = Some(end);
            i += 1;
        } else {
            // Whitespace, punctuation, emoji, control characters: separators.
            i += 1;
        }
    }
    out
}

fn word_token(text: String, start: usize, end: usize, glued: bool) -> Token {
    Token {
        kind: Kind::Word,
        text,
        start,
        end,
        glued,
        num: None,
        word: None,
        corrected: false,
        node: None,
        used: Use::Free,
    }
}

fn lex_word(chars: &[(usize, char)], mut i: usize, glued: bool) -> (Token, usize) {
    let start = chars[i].0;
    let mut norm = String::new();
    let mut count = 0usize;
    let mut end = start;
    while i < chars.len() {
        let (pos, c) = chars[i];
        if c.is_ascii_digit() {
            break;
        }
        if c.is_alphanumeric() {
            for l in c.to_lowercase() {
                if is_combining_mark(l) {
                    continue;
                }
                if count < MAX_WORD_CHARS {
                    norm.push(fold(l));
                    count += 1;
                }
            }
        } else if is_combining_mark(c) {
            // Decomposed accents ("e\u{301}"): the base letter is already there.
        } else if is_apostrophe(c) && next_is_letter(chars, i) && count > 0 {
            // Inside a word an apostrophe is dropped: "hell's" = "hells", "o'clock" = "oclock".
        } else {
            break;
        }
        end = pos + c.len_utf8();
        i += 1;
    }
    (word_token(norm, start, end, glued), i)
}

fn next_is_letter(chars: &[(usize, char)], i: usize) -> bool {
    chars.get(i + 1).is_some_and(|&(_, c)| c.is_alphabetic() && !c.is_ascii_digit())
}

fn lex_number(chars: &[(usize, char)], mut i: usize, glued: bool) -> (Token, usize) {
    let start = chars[i].0;
    let mut int: u64 = 0;
    let mut digits_text = String::new();
    let mut digits: u8 = 0;
    let mut end = start;
    while i < chars.len() {
        let (pos, c) = chars[i];
        if let Some(d) = c.to_digit(10).filter(|_| c.is_ascii_digit()) {
            int = int.saturating_mul(10).saturating_add(u64::from(d));
            digits = digits.saturating_add(1);
            if digits_text.len() < 24 {
                digits_text.push(c);
            }
            end = pos + 1;
            i += 1;
        } else if c == ',' && thousands_group_follows(chars, i) {
            // "1,000": a comma followed by exactly three digits is a thousands separator.
            i += 1;
        } else {
            break;
        }
    }
    let mut hundredths = 0u32;
    let mut has_fraction = false;
    // "49.99", "5.30": a dot followed by a digit is a decimal point.
    if i + 1 < chars.len() && chars[i].1 == '.' && chars[i + 1].1.is_ascii_digit() {
        has_fraction = true;
        i += 1;
        let mut scale = 10u32;
        while i < chars.len() && chars[i].1.is_ascii_digit() {
            let d = chars[i].1.to_digit(10).unwrap_or(0);
            if scale > 0 {
                hundredths += d * scale;
                scale /= 10;
            }
            end = chars[i].0 + 1;
            i += 1;
        }
    }
    let tok = Token {
        kind: Kind::Num,
        text: digits_text,
        start,
        end,
        glued,
        num: Some(Number { int, hundredths, has_fraction, digits }),
        word: None,
        corrected: false,
        node: None,
        used: Use::Free,
    };
    (tok, i)
}

fn thousands_group_follows(chars: &[(usize, char)], comma: usize) -> bool {
    let digit_at = |k: usize| chars.get(k).is_some_and(|&(_, c)| c.is_ascii_digit());
    digit_at(comma + 1) && digit_at(comma + 2) && digit_at(comma + 3) && !digit_at(comma + 4)
}

/// The normalized words of a vocabulary phrase (symbols dropped): "Hell's Kitchen" →
/// ["hells", "kitchen"], "K-5" → ["k", "5"], "Baking & Pastry" → ["baking", "and", "pastry"].
pub(super) fn phrase_words(phrase: &str) -> Vec<String> {
    tokenize(bounded(phrase)).into_iter().filter(|t| matches!(t.kind, Kind::Word | Kind::Num)).map(|t| t.text).collect()
}
