//! Opaque pagination cursors.
//!
//! A cursor is the DynamoDB `LastEvaluatedKey` (string attributes only, as all our keys
//! are) encoded as base64url JSON. Clients treat it as opaque; on the way back in it is
//! checked strictly, so a hand-made cursor answers 400, never a 500 or another
//! partition's data.

use std::collections::BTreeMap;

use aws_sdk_dynamodb::types::AttributeValue;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

use super::{Item, Query};

const MAX_CURSOR_LEN: usize = 2048;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor(BTreeMap<String, String>);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CursorError {
    #[error("cursor is not one this API issued")]
    Malformed,
    #[error("cursor belongs to a different listing")]
    WrongListing,
}

impl Cursor {
    /// A cursor over something other than a table query (an in-memory listing, say).
    pub fn from_pairs<I, K, V>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Self(pairs.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    pub(crate) fn from_key(key: &Item) -> Self {
        Self(key.iter().filter_map(|(name, value)| value.as_s().ok().map(|s| (name.clone(), s.clone()))).collect())
    }

    pub fn encode(&self) -> String {
        // Serialising a map of strings cannot fail.
        let json = serde_json::to_vec(&self.0).unwrap_or_default();
        URL_SAFE_NO_PAD.encode(json)
    }

    pub fn decode(text: &str) -> Result<Self, CursorError> {
        if text.is_empty() || text.len() > MAX_CURSOR_LEN {
            return Err(CursorError::Malformed);
        }
        let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| CursorError::Malformed)?;
        let map: BTreeMap<String, String> = serde_json::from_slice(&bytes).map_err(|_| CursorError::Malformed)?;
        if map.is_empty() {
            return Err(CursorError::Malformed);
        }
        Ok(Self(map))
    }

    /// The `ExclusiveStartKey` for a scan: a table key and nothing else. Its `PK` may be of
    /// any kind (a scan stops at the last item it *read*, which the filter may have dropped);
    /// a forged one can only move where the scan resumes, never what it returns.
    pub(crate) fn scan_start_key(&self) -> Result<Item, CursorError> {
        if self.0.len() != 2 || !self.0.contains_key("PK") || !self.0.contains_key("SK") {
            return Err(CursorError::Malformed);
        }
        Ok(self.0.iter().map(|(k, v)| (k.clone(), AttributeValue::S(v.clone()))).collect())
    }

    /// The `ExclusiveStartKey` for `query`, refusing cursors that name other attributes or
    /// another partition than the query walks.
    pub(crate) fn start_key(&self, query: &Query) -> Result<Item, CursorError> {
        let (pk, _) = query.index.attributes();
        const ALLOWED: [&str; 6] = ["PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK"];
        if self.0.keys().any(|k| !ALLOWED.contains(&k.as_str()))
            || !self.0.contains_key("PK")
            || !self.0.contains_key("SK")
        {
            return Err(CursorError::Malformed);
        }
        if self.0.get(pk) != Some(&query.partition) {
            return Err(CursorError::WrongListing);
        }
        Ok(self.0.iter().map(|(k, v)| (k.clone(), AttributeValue::S(v.clone()))).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Index;

    #[test]
    fn round_trips() {
        let cursor = Cursor::from_pairs([("PK", "USER#1"), ("SK", "BOOKING#2")]);
        assert_eq!(Cursor::decode(&cursor.encode()), Ok(cursor));
    }

    #[test]
    fn rejects_garbage() {
        for text in ["", "!!!", "bm90IGpzb24", &"a".repeat(5000), "e30"] {
            assert_eq!(Cursor::decode(text), Err(CursorError::Malformed), "{text}");
        }
    }

    #[test]
    fn rejects_other_partitions_and_attributes() {
        let query = Query::partition(Index::Table, "USER#1");
        let foreign = Cursor::from_pairs([("PK", "USER#2"), ("SK", "X")]);
        assert_eq!(foreign.start_key(&query), Err(CursorError::WrongListing));
        let odd = Cursor::from_pairs([("PK", "USER#1"), ("SK", "X"), ("password", "x")]);
        assert_eq!(odd.start_key(&query), Err(CursorError::Malformed));
        let good = Cursor::from_pairs([("PK", "USER#1"), ("SK", "X")]);
        assert!(good.start_key(&query).is_ok());
    }
}
