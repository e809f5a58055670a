//! A secret salt per New York day, kept in the table with a 48-hour TTL.
//!
//! An IP hashed with HMAC-SHA256 under the day's salt can be counted within the day (same
//! IP → same hash) but not linked across days (new salt) and, once the salt item is gone,
//! not reversed at all, not even by brute-forcing the IPv4 space. Readers ignore a salt
//! past its TTL even before DynamoDB deletes it, so "destroyed after 48 h" holds exactly.

use hmac::{Hmac, Mac};
use jiff::{Timestamp, civil::Date};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::{
    clock::lesson_zone,
    store::{Key, Record, Store, StoreError},
};

pub const SALT_LIFETIME_HOURS: i64 = 48;

#[derive(Clone, Serialize, Deserialize)]
#[serde(tag = "entity", rename = "daily_salt")]
struct SaltItem {
    date: String,
    /// Hex of 32 random bytes.
    secret: String,
}

/// One day's salt.
#[derive(Clone)]
pub struct DailySalt {
    pub date: Date,
    secret: Vec<u8>,
}

impl std::fmt::Debug for DailySalt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DailySalt").field("date", &self.date).finish_non_exhaustive()
    }
}

fn key(date: Date) -> Key {
    Key::new("SALT", format!("DAY#{date}"))
}

impl DailySalt {
    /// Today's salt (New York day), created on first use. Two Lambdas racing to create it
    /// agree: the first write wins (conditional put) and the loser reads the winner's.
    pub async fn for_instant(store: &Store, now: Timestamp) -> Result<Self, StoreError> {
        let date = now.to_zoned_datetime(lesson_zone()).date();
        if let Some(salt) = Self::stored(store, date, now).await? {
            return Ok(salt);
        }
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret).map_err(|e| StoreError::Unavailable(format!("no entropy: {e}")))?;
        let expires = now.as_second() + SALT_LIFETIME_HOURS * 3600;
        let record = Record::new(key(date), SaltItem { date: date.to_string(), secret: hex::encode(secret) })
            .expires_at(expires);
        match store.put_new(&record).await {
            Ok(()) => Ok(Self { date, secret: secret.to_vec() }),
            Err(StoreError::ConditionFailed) => Self::stored(store, date, now)
                .await?
                .ok_or_else(|| StoreError::Corrupt("salt vanished after a conflicting create".into())),
            Err(e) => Err(e),
        }
    }

    /// The salt of `date` if it still exists (not past its TTL).
    pub async fn stored(store: &Store, date: Date, now: Timestamp) -> Result<Option<Self>, StoreError> {
        let record: Option<Record<SaltItem>> = store.get(&key(date)).await?;
        Ok(record
            .filter(|r| !r.is_expired(now.as_second()))
            .and_then(|r| hex::decode(&r.data.secret).ok().map(|secret| Self { date, secret })))
    }

    pub fn hash(&self, value: &str) -> String {
        keyed_hash(&self.secret, value)
    }
}

/// HMAC-SHA256 of `value` under `secret`, hex, truncated to 128 bits (plenty to count
/// distinct values; nothing to reverse).
pub fn keyed_hash(secret: &[u8], value: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("HMAC takes a key of any length");
    mac.update(value.as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..16])
}

/// The process's copies of today's salt, per store (a process normally has one; tests and
/// the local platform have several), so a warm Lambda reads the salt item once a day, not
/// once a request.
static TODAY: std::sync::Mutex<Option<std::collections::HashMap<u64, DailySalt>>> = std::sync::Mutex::new(None);
/// More stores than this in one process is a test run; starting over is fine then.
const MAX_CACHED_STORES: usize = 256;

impl DailySalt {
    /// [`DailySalt::for_instant`], remembered in memory for the rest of the day.
    pub async fn cached(store: &Store, now: Timestamp) -> Result<Self, StoreError> {
        let date = now.to_zoned_datetime(lesson_zone()).date();
        let known = TODAY
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .and_then(|m| m.get(&store.instance()).filter(|s| s.date == date).cloned());
        if let Some(salt) = known {
            return Ok(salt);
        }
        let salt = Self::for_instant(store, now).await?;
        let mut cache = TODAY.lock().unwrap_or_else(|p| p.into_inner());
        let map = cache.get_or_insert_with(Default::default);
        if map.len() >= MAX_CACHED_STORES {
            map.clear();
        }
        map.insert(store.instance(), salt.clone());
        Ok(salt)
    }
}
