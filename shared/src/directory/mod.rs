//! The in-memory directory: catalog + every instructor profile, held by a warm Lambda.
//!
//! Catalog pages, instructor listings and search read from here, so the common request
//! costs no DynamoDB read beyond one small version check every few seconds
//! (PRODUCT.md §6 "Speed"). Every write to the catalog, a profile, an offering or
//! availability bumps the version item; a Lambda that sees a new version reloads.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, RwLock},
    time::{Duration, Instant},
};

use serde::{Deserialize, Serialize};

use crate::{
    catalog::{self, Catalog, ServiceStats},
    instructors::{self, InstructorProfile},
    store::{Record, Store, StoreError, keys},
};

#[derive(Debug)]
pub struct Directory {
    pub version: u64,
    pub catalog: Catalog,
    /// Every profile, sorted by id (listed or not: status checks happen per use).
    pub instructors: Vec<InstructorProfile>,
    stats: HashMap<String, ServiceStats>,
    by_id: HashMap<String, usize>,
}

impl Directory {
    pub fn new(version: u64, catalog: Catalog, mut instructors: Vec<InstructorProfile>) -> Self {
        instructors.sort_by(|a, b| a.id.cmp(&b.id));
        let stats = catalog::service_stats(&instructors);
        let by_id = instructors.iter().enumerate().map(|(i, p)| (p.id.clone(), i)).collect();
        Self { version, catalog, instructors, stats, by_id }
    }

    pub async fn load(store: &Store) -> Result<Self, StoreError> {
        let version = current_version(store).await?;
        let (catalog, instructors) = tokio::try_join!(catalog::load(store), instructors::load_all(store))?;
        Ok(Self::new(version, catalog, instructors))
    }

    pub fn instructor(&self, id: &str) -> Option<&InstructorProfile> {
        self.by_id.get(id).map(|&i| &self.instructors[i])
    }

    /// Instructors students may see, in id order.
    pub fn listed(&self) -> impl Iterator<Item = &InstructorProfile> {
        self.instructors.iter().filter(|p| p.is_listed())
    }

    pub fn stats(&self, service_slug: &str) -> ServiceStats {
        self.stats.get(service_slug).copied().unwrap_or_default()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "entity", rename = "index_version")]
struct VersionItem {
    #[serde(default)]
    counter: u64,
}

async fn current_version(store: &Store) -> Result<u64, StoreError> {
    let item: Option<Record<VersionItem>> = store.get(&keys::index_version()).await?;
    Ok(item.map(|r| r.data.counter).unwrap_or(0))
}

/// Marks the directory stale for every warm Lambda. Call after any write that changes
/// what the directory holds.
pub async fn bump_version(store: &Store) -> Result<u64, StoreError> {
    let next = store.increment(&keys::index_version(), "counter", 1, None).await?;
    u64::try_from(next).map_err(|_| StoreError::Corrupt("negative index version".into()))
}

/// The warm Lambda's copy, refreshed when the version item moves.
pub struct DirectoryCache {
    current: RwLock<Option<Arc<Directory>>>,
    checked_at: Mutex<Option<Instant>>,
    refresh: Duration,
    reload: tokio::sync::Mutex<()>,
}

impl DirectoryCache {
    pub fn new(refresh: Duration) -> Self {
        Self { current: RwLock::new(None), checked_at: Mutex::new(None), refresh, reload: tokio::sync::Mutex::new(()) }
    }

    fn cached(&self) -> Option<Arc<Directory>> {
        self.current.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn is_fresh(&self) -> bool {
        let checked = *self.checked_at.lock().unwrap_or_else(|p| p.into_inner());
        checked.is_some_and(|at| at.elapsed() < self.refresh)
    }

    /// The directory, reloaded first if the version item has moved since the last check
    /// (checked at most once per refresh interval).
    pub async fn get(&self, store: &Store) -> Result<Arc<Directory>, StoreError> {
        if let Some(dir) = self.cached()
            && self.is_fresh()
        {
            return Ok(dir);
        }
        // One reload at a time; requests arriving meanwhile wait for it instead of
        // stampeding the table.
        let _guard = self.reload.lock().await;
        if let Some(dir) = self.cached() {
            if self.is_fresh() {
                return Ok(dir);
            }
            if current_version(store).await? == dir.version {
                *self.checked_at.lock().unwrap_or_else(|p| p.into_inner()) = Some(Instant::now());
                return Ok(dir);
            }
        }
        let dir = Arc::new(Directory::load(store).await?);
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = Some(dir.clone());
        *self.checked_at.lock().unwrap_or_else(|p| p.into_inner()) = Some(Instant::now());
        Ok(dir)
    }
}
