//! DynamoDB, single table, through aws-sdk-dynamodb only.
//!
//! Domain modules describe their items as plain serde structs wrapped in [`Record`]
//! (which adds the key attributes); this module turns them into SDK calls. Every
//! invariant two concurrent requests could break is a conditional write on an item with a
//! deterministic key (see DESIGN.md §4); [`transact`] maps a cancelled transaction back
//! to the action that failed.

mod cursor;
mod error;
pub mod keys;
pub mod once;
mod record;
mod table;
pub mod transact;
mod versioned;

use std::collections::HashMap;

use aws_sdk_dynamodb::{Client, types::AttributeValue};
use serde::{Serialize, de::DeserializeOwned};

pub use cursor::{Cursor, CursorError};
pub use error::StoreError;
pub use record::{Key, Record};
pub use table::{create_table, delete_table};
pub use transact::{TransactError, TxAction};
pub use versioned::{Precondition, Versioned, next_version, version_condition};

pub type Item = HashMap<String, AttributeValue>;

/// The table and the client that reaches it. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    client: Client,
    table: std::sync::Arc<str>,
    /// Identifies this store (and its clones) for per-store memos such as the day's salt.
    instance: u64,
}

/// Which key a query walks: the table's own keys or one of the two overloaded indexes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Index {
    Table,
    Gsi1,
    Gsi2,
}

impl Index {
    fn name(self) -> Option<&'static str> {
        match self {
            Index::Table => None,
            Index::Gsi1 => Some("GSI1"),
            Index::Gsi2 => Some("GSI2"),
        }
    }

    pub(crate) fn attributes(self) -> (&'static str, &'static str) {
        match self {
            Index::Table => ("PK", "SK"),
            Index::Gsi1 => ("GSI1PK", "GSI1SK"),
            Index::Gsi2 => ("GSI2PK", "GSI2SK"),
        }
    }
}

/// A query over one partition, optionally narrowed by a sort-key prefix or range.
#[derive(Debug, Clone)]
pub struct Query {
    pub index: Index,
    pub partition: String,
    pub sort: SortCondition,
    pub limit: Option<i32>,
    pub cursor: Option<Cursor>,
    pub newest_first: bool,
    pub consistent: bool,
}

#[derive(Debug, Clone)]
pub enum SortCondition {
    Any,
    BeginsWith(String),
    Between(String, String),
    GreaterOrEqual(String),
    LessThan(String),
}

impl Query {
    pub fn partition(index: Index, partition: impl Into<String>) -> Self {
        Self {
            index,
            partition: partition.into(),
            sort: SortCondition::Any,
            limit: None,
            cursor: None,
            newest_first: false,
            consistent: false,
        }
    }

    pub fn sort(mut self, sort: SortCondition) -> Self {
        self.sort = sort;
        self
    }

    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(i32::try_from(limit).unwrap_or(i32::MAX));
        self
    }

    pub fn after(mut self, cursor: Option<Cursor>) -> Self {
        self.cursor = cursor;
        self
    }

    pub fn newest_first(mut self) -> Self {
        self.newest_first = true;
        self
    }

    /// Strongly consistent read (table only; GSIs are always eventually consistent).
    pub fn consistent(mut self) -> Self {
        self.consistent = true;
        self
    }
}

/// One page of a query and the cursor for the next one.
#[derive(Debug)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<Cursor>,
}

impl Store {
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let instance = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Self { client, table: table.into().into(), instance }
    }

    pub fn instance(&self) -> u64 {
        self.instance
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    pub fn table(&self) -> &str {
        &self.table
    }

    /// Strongly consistent read of one item.
    pub async fn get<T: DeserializeOwned>(&self, key: &Key) -> Result<Option<T>, StoreError> {
        let out = self
            .client
            .get_item()
            .table_name(self.table())
            .set_key(Some(key.to_item()))
            .consistent_read(true)
            .send()
            .await
            .map_err(StoreError::sdk)?;
        out.item.map(|item| record::from_item(item)).transpose()
    }

    /// Reads up to 100 items by key in as few calls as DynamoDB allows; missing keys are
    /// simply absent from the result.
    pub async fn get_many<T: DeserializeOwned>(&self, keys: &[Key]) -> Result<Vec<T>, StoreError> {
        use aws_sdk_dynamodb::types::KeysAndAttributes;
        let mut found = Vec::with_capacity(keys.len());
        for chunk in keys.chunks(100) {
            let mut pending: Vec<Item> = chunk.iter().map(Key::to_item).collect();
            // UnprocessedKeys are retried until DynamoDB has answered every key.
            for _attempt in 0..8 {
                if pending.is_empty() {
                    break;
                }
                let request = KeysAndAttributes::builder()
                    .set_keys(Some(std::mem::take(&mut pending)))
                    .consistent_read(true)
                    .build()
                    .map_err(StoreError::build)?;
                let out = self
                    .client
                    .batch_get_item()
                    .request_items(self.table(), request)
                    .send()
                    .await
                    .map_err(StoreError::sdk)?;
                if let Some(mut responses) = out.responses {
                    for item in responses.remove(self.table()).unwrap_or_default() {
                        found.push(record::from_item(item)?);
                    }
                }
                pending =
                    out.unprocessed_keys.and_then(|mut u| u.remove(self.table())).map(|k| k.keys).unwrap_or_default();
            }
            if !pending.is_empty() {
                return Err(StoreError::Unavailable("batch read left keys unprocessed".into()));
            }
        }
        Ok(found)
    }

    /// Unconditional put (last writer wins). Use [`Store::put_new`] or a transaction
    /// wherever two writers could race.
    pub async fn put<T: Serialize>(&self, record: &Record<T>) -> Result<(), StoreError> {
        self.client
            .put_item()
            .table_name(self.table())
            .set_item(Some(record.to_item()?))
            .send()
            .await
            .map_err(StoreError::sdk)?;
        Ok(())
    }

    /// Put that succeeds only if no item with this key exists.
    pub async fn put_new<T: Serialize>(&self, record: &Record<T>) -> Result<(), StoreError> {
        self.client
            .put_item()
            .table_name(self.table())
            .set_item(Some(record.to_item()?))
            .condition_expression("attribute_not_exists(PK)")
            .send()
            .await
            .map_err(StoreError::sdk)?;
        Ok(())
    }

    /// Put that succeeds only if the stored item still has `expected_version` (optimistic
    /// concurrency for mutable aggregates; the record carries the next version).
    pub async fn put_versioned<T: Serialize>(
        &self,
        record: &Record<T>,
        expected_version: Option<u64>,
    ) -> Result<(), StoreError> {
        let mut put = self.client.put_item().table_name(self.table()).set_item(Some(record.to_item()?));
        put = match expected_version {
            None => put.condition_expression("attribute_not_exists(PK)"),
            Some(v) => put
                .condition_expression("version = :expected")
                .expression_attribute_values(":expected", AttributeValue::N(v.to_string())),
        };
        put.send().await.map_err(StoreError::sdk)?;
        Ok(())
    }

    pub async fn delete(&self, key: &Key) -> Result<(), StoreError> {
        self.client
            .delete_item()
            .table_name(self.table())
            .set_key(Some(key.to_item()))
            .send()
            .await
            .map_err(StoreError::sdk)?;
        Ok(())
    }

    /// Adds `by` to numeric attribute `counter` (creating the item at 0 if needed) and
    /// returns the new value. Atomic on the server: safe across Lambda instances.
    pub async fn increment(
        &self,
        key: &Key,
        counter: &str,
        by: i64,
        expires_at: Option<i64>,
    ) -> Result<i64, StoreError> {
        let mut update = self
            .client
            .update_item()
            .table_name(self.table())
            .set_key(Some(key.to_item()))
            .expression_attribute_names("#c", counter)
            .expression_attribute_values(":by", AttributeValue::N(by.to_string()))
            .return_values(aws_sdk_dynamodb::types::ReturnValue::UpdatedNew);
        update = match expires_at {
            Some(at) => update
                .update_expression("ADD #c :by SET expiresAt = if_not_exists(expiresAt, :exp)")
                .expression_attribute_values(":exp", AttributeValue::N(at.to_string())),
            None => update.update_expression("ADD #c :by"),
        };
        let out = update.send().await.map_err(StoreError::sdk)?;
        out.attributes
            .and_then(|a| a.get(counter).and_then(|v| v.as_n().ok()).and_then(|n| n.parse().ok()))
            .ok_or_else(|| StoreError::Corrupt(format!("counter {counter} missing after update")))
    }

    /// One `UpdateItem` with its own condition (`SET`/`ADD`/`REMOVE` expressions); a failed
    /// condition is [`StoreError::ConditionFailed`].
    pub async fn update(
        &self,
        key: &Key,
        update_expression: &str,
        condition: transact::Condition,
    ) -> Result<(), StoreError> {
        self.client
            .update_item()
            .table_name(self.table())
            .set_key(Some(key.to_item()))
            .update_expression(update_expression)
            .set_condition_expression(condition.expression().map(str::to_owned))
            .set_expression_attribute_names(condition.names_map())
            .set_expression_attribute_values(condition.values_map())
            .send()
            .await
            .map_err(StoreError::sdk)?;
        Ok(())
    }

    /// Deletes many items without conditions (retention, erasure), 25 per call, retrying
    /// what DynamoDB leaves unprocessed.
    pub async fn delete_batch(&self, keys: &[Key]) -> Result<(), StoreError> {
        use aws_sdk_dynamodb::types::{DeleteRequest, WriteRequest};
        let requests = keys
            .iter()
            .map(|key| {
                DeleteRequest::builder()
                    .set_key(Some(key.to_item()))
                    .build()
                    .map(|delete| WriteRequest::builder().delete_request(delete).build())
                    .map_err(StoreError::build)
            })
            .collect::<Result<Vec<_>, _>>()?;
        self.write_batch(requests).await
    }

    /// Deletes every item of a table partition (erasure, retention), whatever their shapes;
    /// how many there were.
    pub async fn delete_partition(&self, pk: &str) -> Result<usize, StoreError> {
        let items = self.query_items(Query::partition(Index::Table, pk)).await?;
        let keys: Vec<Key> = items
            .iter()
            .filter_map(|item| {
                Some(Key::new(item.get("PK")?.as_s().ok()?.clone(), item.get("SK")?.as_s().ok()?.clone()))
            })
            .collect();
        self.delete_batch(&keys).await?;
        Ok(keys.len())
    }

    /// Every item of a query as raw attribute maps (items whose attributes are not a fixed
    /// shape, such as counters named by their data), following pagination to the end.
    pub async fn query_items(&self, query: Query) -> Result<Vec<Item>, StoreError> {
        let mut query = query;
        let mut all = Vec::new();
        loop {
            let (items, next) = self.query_raw(&query).await?;
            all.extend(items);
            match next {
                Some(next) => query.cursor = Some(next),
                None => return Ok(all),
            }
        }
    }

    /// One page of a query. Items of other shapes in the same partition are the caller's
    /// business: narrow with a sort-key prefix.
    pub async fn query<T: DeserializeOwned>(&self, query: Query) -> Result<Page<T>, StoreError> {
        let (items, next) = self.query_raw(&query).await?;
        let items = items.into_iter().map(record::from_item).collect::<Result<Vec<T>, _>>()?;
        Ok(Page { items, next })
    }

    /// Every item of a query, following pagination to the end.
    pub async fn query_all<T: DeserializeOwned>(&self, query: Query) -> Result<Vec<T>, StoreError> {
        let mut query = query;
        let mut all = Vec::new();
        loop {
            let page = self.query::<T>(query.clone()).await?;
            all.extend(page.items);
            match page.next {
                Some(next) => query.cursor = Some(next),
                None => return Ok(all),
            }
        }
    }

    /// One page of a Scan over the items whose `PK` begins with `pk_prefix`, reading at
    /// most `read` items. Only for operators' views over a whole item kind (the admin's
    /// all-bookings list): a Scan reads the table, so nothing on a user's path uses it.
    pub async fn scan_prefix<T: DeserializeOwned>(
        &self,
        pk_prefix: &str,
        cursor: Option<&Cursor>,
        read: i32,
    ) -> Result<Page<T>, StoreError> {
        let mut request = self
            .client
            .scan()
            .table_name(self.table())
            .filter_expression("begins_with(#pk, :prefix)")
            .expression_attribute_names("#pk", "PK")
            .expression_attribute_values(":prefix", AttributeValue::S(pk_prefix.to_owned()))
            .limit(read);
        if let Some(cursor) = cursor {
            request = request.set_exclusive_start_key(Some(cursor.scan_start_key()?));
        }
        let out = request.send().await.map_err(StoreError::sdk)?;
        let items = out.items.unwrap_or_default().into_iter().map(record::from_item).collect::<Result<Vec<T>, _>>()?;
        Ok(Page { items, next: out.last_evaluated_key.map(|key| Cursor::from_key(&key)) })
    }

    pub(crate) async fn query_raw(&self, query: &Query) -> Result<(Vec<Item>, Option<Cursor>), StoreError> {
        let (pk, sk) = query.index.attributes();
        let mut request = self
            .client
            .query()
            .table_name(self.table())
            .set_index_name(query.index.name().map(str::to_owned))
            .expression_attribute_names("#pk", pk)
            .expression_attribute_values(":pk", AttributeValue::S(query.partition.clone()))
            .scan_index_forward(!query.newest_first)
            .set_limit(query.limit)
            .consistent_read(query.consistent && query.index == Index::Table);
        let sort_expr = match &query.sort {
            SortCondition::Any => None,
            SortCondition::BeginsWith(prefix) => {
                request = request.expression_attribute_values(":sk", AttributeValue::S(prefix.clone()));
                Some("begins_with(#sk, :sk)")
            }
            SortCondition::Between(low, high) => {
                request = request
                    .expression_attribute_values(":sk", AttributeValue::S(low.clone()))
                    .expression_attribute_values(":sk2", AttributeValue::S(high.clone()));
                Some("#sk BETWEEN :sk AND :sk2")
            }
            SortCondition::GreaterOrEqual(low) => {
                request = request.expression_attribute_values(":sk", AttributeValue::S(low.clone()));
                Some("#sk >= :sk")
            }
            SortCondition::LessThan(high) => {
                request = request.expression_attribute_values(":sk", AttributeValue::S(high.clone()));
                Some("#sk < :sk")
            }
        };
        request = match sort_expr {
            Some(expr) => {
                request.expression_attribute_names("#sk", sk).key_condition_expression(format!("#pk = :pk AND {expr}"))
            }
            None => request.key_condition_expression("#pk = :pk"),
        };
        if let Some(cursor) = &query.cursor {
            request = request.set_exclusive_start_key(Some(cursor.start_key(query)?));
        }
        let out = request.send().await.map_err(StoreError::sdk)?;
        let next = out.last_evaluated_key.map(|key| Cursor::from_key(&key));
        Ok((out.items.unwrap_or_default(), next))
    }

    /// Writes many items without conditions (seeding, backfills), 25 per call, retrying
    /// what DynamoDB leaves unprocessed.
    pub async fn put_batch(&self, items: Vec<Item>) -> Result<(), StoreError> {
        use aws_sdk_dynamodb::types::{PutRequest, WriteRequest};
        let requests = items
            .into_iter()
            .map(|item| {
                PutRequest::builder()
                    .set_item(Some(item))
                    .build()
                    .map(|put| WriteRequest::builder().put_request(put).build())
                    .map_err(StoreError::build)
            })
            .collect::<Result<Vec<_>, _>>()?;
        self.write_batch(requests).await
    }

    /// `BatchWriteItem` in chunks of 25, retrying what DynamoDB leaves unprocessed with
    /// exponential backoff.
    async fn write_batch(&self, requests: Vec<aws_sdk_dynamodb::types::WriteRequest>) -> Result<(), StoreError> {
        for chunk in requests.chunks(25) {
            let mut pending = chunk.to_vec();
            let mut backoff = std::time::Duration::from_millis(20);
            for _attempt in 0..10 {
                if pending.is_empty() {
                    break;
                }
                let out = self
                    .client
                    .batch_write_item()
                    .request_items(self.table(), std::mem::take(&mut pending))
                    .send()
                    .await
                    .map_err(StoreError::sdk)?;
                pending = out.unprocessed_items.and_then(|mut u| u.remove(self.table())).unwrap_or_default();
                if !pending.is_empty() {
                    tokio::time::sleep(backoff).await;
                    backoff *= 2;
                }
            }
            if !pending.is_empty() {
                return Err(StoreError::Unavailable("batch write left items unprocessed".into()));
            }
        }
        Ok(())
    }
}
