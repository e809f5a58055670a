//! Counter items: numeric attributes named by what they count, updated with `ADD` (atomic
//! on the server, so concurrent workers never lose an increment) and read back as maps.
//!
//! Attribute prefixes say what a number is: `n_<counter>` a counter, `p_<cents>` how many
//! completed bookings had that price (a histogram, so percentiles are exact), `m_<hash>`
//! how often a member of a distinct set (a user, a guest, a search) was seen that day.
//! Names come from data (browser names, member hashes), so they always travel as
//! expression attribute names, never inside the expression text.

use std::collections::BTreeMap;

use aws_sdk_dynamodb::types::AttributeValue;
use sha2::{Digest, Sha256};

use crate::store::{Item, Key, StoreError, TxAction, transact::Condition};

pub const COUNTER: &str = "n_";
pub const PRICE: &str = "p_";
pub const MEMBER: &str = "m_";
/// The display text of a query or source item.
pub const LABEL: &str = "label";
/// A query as it was last typed (the label is its normalized form).
pub const TYPED: &str = "typed";

/// A stable, non-reversible 64-bit name for an identifier that is itself random (a ULID,
/// a UUID, a daily-salted IP hash): enough to count distinct values, nothing to look up.
pub fn member_hash(kind: &str, value: &str) -> String {
    let digest = Sha256::digest(format!("instainstru-analytics:{kind}:{value}").as_bytes());
    hex::encode(&digest[..8])
}

/// Keeps a data-derived counter name bounded and printable ("Mac OSX" stays readable).
pub fn clean_name(text: &str) -> String {
    let cleaned: String =
        text.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '.' | '_' | '-')).take(40).collect();
    if cleaned.trim().is_empty() { "unknown".to_owned() } else { cleaned.trim().to_owned() }
}

/// The changes to one item: numeric additions, string attributes set, a TTL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Update {
    adds: BTreeMap<String, i64>,
    strings: BTreeMap<String, String>,
    expires_at: Option<i64>,
}

impl Update {
    /// Adds `by` to attribute `attribute` (created at 0).
    pub fn add(&mut self, attribute: impl Into<String>, by: i64) -> &mut Self {
        *self.adds.entry(attribute.into()).or_insert(0) += by;
        self
    }

    /// Adds to counter `name` (`n_<name>`).
    pub fn count(&mut self, name: &str, by: i64) -> &mut Self {
        self.add(format!("{COUNTER}{name}"), by)
    }

    pub fn set_string(&mut self, attribute: &str, value: impl Into<String>) -> &mut Self {
        self.strings.insert(attribute.to_owned(), value.into());
        self
    }

    /// The item expires at this epoch second (set once, when the item is created).
    pub fn expires_at(&mut self, epoch_seconds: i64) -> &mut Self {
        self.expires_at = Some(epoch_seconds);
        self
    }

    pub fn is_empty(&self) -> bool {
        self.adds.is_empty() && self.strings.is_empty()
    }

    pub fn adds(&self) -> &BTreeMap<String, i64> {
        &self.adds
    }

    pub fn strings(&self) -> &BTreeMap<String, String> {
        &self.strings
    }

    /// The update expression and its placeholders, as one transaction action.
    pub fn action(&self, label: &str, key: &Key) -> Result<TxAction, StoreError> {
        let mut condition = Condition::none();
        let mut add_parts = Vec::new();
        for (i, (attribute, by)) in self.adds.iter().enumerate() {
            add_parts.push(format!("#a{i} :a{i}"));
            condition = condition.name(&format!("#a{i}"), attribute).number(&format!(":a{i}"), *by);
        }
        let mut set_parts = Vec::new();
        for (i, (attribute, value)) in self.strings.iter().enumerate() {
            set_parts.push(format!("#s{i} = :s{i}"));
            condition = condition.name(&format!("#s{i}"), attribute).string(&format!(":s{i}"), value.clone());
        }
        if let Some(at) = self.expires_at {
            set_parts.push("#exp = if_not_exists(#exp, :exp)".to_owned());
            condition = condition.name("#exp", "expiresAt").number(":exp", at);
        }
        let mut expression = String::new();
        if !add_parts.is_empty() {
            expression.push_str("ADD ");
            expression.push_str(&add_parts.join(", "));
        }
        if !set_parts.is_empty() {
            if !expression.is_empty() {
                expression.push(' ');
            }
            expression.push_str("SET ");
            expression.push_str(&set_parts.join(", "));
        }
        TxAction::update(label, key, expression, condition)
    }
}

/// A counter item as read back: its sort key, its numbers by attribute, its label.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CounterItem {
    pub sk: String,
    pub numbers: BTreeMap<String, i64>,
    pub label: Option<String>,
    pub typed: Option<String>,
}

impl CounterItem {
    pub fn from_item(item: &Item) -> Self {
        let sk = item.get("SK").and_then(|v| v.as_s().ok()).cloned().unwrap_or_default();
        let label = item.get(LABEL).and_then(|v| v.as_s().ok()).cloned();
        let typed = item.get(TYPED).and_then(|v| v.as_s().ok()).cloned();
        let numbers = item
            .iter()
            .filter(|(name, _)| name.starts_with(COUNTER) || name.starts_with(PRICE) || name.starts_with(MEMBER))
            .filter_map(|(name, value)| match value {
                AttributeValue::N(n) => n.parse::<i64>().ok().map(|n| (name.clone(), n)),
                _ => None,
            })
            .collect();
        Self { sk, numbers, label, typed }
    }

    /// Counter `name` (`n_<name>`), 0 when never counted.
    pub fn counter(&self, name: &str) -> i64 {
        self.numbers.get(&format!("{COUNTER}{name}")).copied().unwrap_or(0)
    }

    /// Every `(suffix, value)` of attributes starting with `prefix`.
    pub fn with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a str, i64)> + 'a {
        self.numbers.iter().filter_map(move |(name, value)| name.strip_prefix(prefix).map(|rest| (rest, *value)))
    }
}

/// Completed-booking prices of service-day items as a histogram (the service report and the
/// daily job's percentiles both read it).
pub fn price_histogram<'a>(items: impl IntoIterator<Item = &'a CounterItem>) -> BTreeMap<u32, i64> {
    let mut histogram = BTreeMap::new();
    for item in items {
        for (price, n) in item.with_prefix(PRICE) {
            if let Ok(price) = price.parse::<u32>() {
                *histogram.entry(price).or_insert(0) += n;
            }
        }
    }
    histogram
}

/// Members of a set are stored under `m_<hash>`.
pub fn member_attribute(hash: &str) -> String {
    format!("{MEMBER}{hash}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn updates_merge_and_name_every_attribute_by_placeholder() {
        let mut update = Update::default();
        update.count("searches", 1).count("searches", 1).add("m_00ff", 1).set_string(LABEL, "piano").expires_at(99);
        assert_eq!(update.adds()["n_searches"], 2);
        assert!(update.action("day", &Key::new("AN#DAY", "2026-11-26")).is_ok());
        assert!(!update.is_empty());
    }

    #[test]
    fn names_are_cleaned_and_hashes_are_stable() {
        assert_eq!(clean_name("Mac OSX"), "Mac OSX");
        assert_eq!(clean_name("\"; DROP"), "DROP");
        assert_eq!(clean_name("###"), "unknown");
        assert_eq!(member_hash("user", "a"), member_hash("user", "a"));
        assert_ne!(member_hash("user", "a"), member_hash("guest", "a"));
        assert_eq!(member_hash("user", "a").len(), 16);
    }
}
