//! The envelope every stored item has: the generic keys, the index keys, the TTL, and the
//! domain value flattened beside them.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use serde::{Deserialize, Serialize, de::DeserializeOwned};

use super::{Item, StoreError};

/// A primary key (`PK`, `SK`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    pub pk: String,
    pub sk: String,
}

impl Key {
    pub fn new(pk: impl Into<String>, sk: impl Into<String>) -> Self {
        Self { pk: pk.into(), sk: sk.into() }
    }

    pub fn to_item(&self) -> Item {
        HashMap::from([
            ("PK".to_owned(), AttributeValue::S(self.pk.clone())),
            ("SK".to_owned(), AttributeValue::S(self.sk.clone())),
        ])
    }
}

/// A stored item: keys plus the domain value `T`, whose fields sit beside the keys.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record<T> {
    #[serde(rename = "PK")]
    pub pk: String,
    #[serde(rename = "SK")]
    pub sk: String,
    #[serde(rename = "GSI1PK", default, skip_serializing_if = "Option::is_none")]
    pub gsi1pk: Option<String>,
    #[serde(rename = "GSI1SK", default, skip_serializing_if = "Option::is_none")]
    pub gsi1sk: Option<String>,
    #[serde(rename = "GSI2PK", default, skip_serializing_if = "Option::is_none")]
    pub gsi2pk: Option<String>,
    #[serde(rename = "GSI2SK", default, skip_serializing_if = "Option::is_none")]
    pub gsi2sk: Option<String>,
    /// Epoch seconds; DynamoDB's TTL deletes the item some time after this. Readers also
    /// filter on it, because TTL deletion can lag by days.
    #[serde(rename = "expiresAt", default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<i64>,
    /// Optimistic-concurrency version for mutable aggregates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u64>,
    #[serde(flatten)]
    pub data: T,
}

impl<T> Record<T> {
    pub fn new(key: Key, data: T) -> Self {
        Self {
            pk: key.pk,
            sk: key.sk,
            gsi1pk: None,
            gsi1sk: None,
            gsi2pk: None,
            gsi2sk: None,
            expires_at: None,
            version: None,
            data,
        }
    }

    pub fn gsi1(mut self, pk: impl Into<String>, sk: impl Into<String>) -> Self {
        self.gsi1pk = Some(pk.into());
        self.gsi1sk = Some(sk.into());
        self
    }

    pub fn gsi2(mut self, pk: impl Into<String>, sk: impl Into<String>) -> Self {
        self.gsi2pk = Some(pk.into());
        self.gsi2sk = Some(sk.into());
        self
    }

    pub fn expires_at(mut self, epoch_seconds: i64) -> Self {
        self.expires_at = Some(epoch_seconds);
        self
    }

    pub fn version(mut self, version: u64) -> Self {
        self.version = Some(version);
        self
    }

    pub fn key(&self) -> Key {
        Key::new(self.pk.clone(), self.sk.clone())
    }

    /// True once the TTL has passed, whether or not DynamoDB has deleted the item yet.
    pub fn is_expired(&self, now_epoch_seconds: i64) -> bool {
        self.expires_at.is_some_and(|at| at <= now_epoch_seconds)
    }
}

impl<T: Serialize> Record<T> {
    pub fn to_item(&self) -> Result<Item, StoreError> {
        serde_dynamo::aws_sdk_dynamodb_1::to_item(self).map_err(StoreError::codec)
    }
}

pub(crate) fn from_item<T: DeserializeOwned>(item: Item) -> Result<T, StoreError> {
    serde_dynamo::aws_sdk_dynamodb_1::from_item(item).map_err(StoreError::codec)
}
