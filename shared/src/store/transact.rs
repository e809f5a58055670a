//! `TransactWriteItems` with labelled actions.
//!
//! A cancelled transaction comes back with one `CancellationReason` per action; we map the
//! failing one back to the label the caller gave it ("instructor-cell", "email", …) so
//! the caller can say *which* invariant stopped the write. A `TransactionConflict` (another
//! transaction touching the same items at the same moment) is retried with backoff:
//! neither emulator produces it, so [`retry_conflicts`] is tested with an injected failure.

use std::{future::Future, time::Duration};

use aws_sdk_dynamodb::{
    error::ProvideErrorMetadata,
    operation::transact_write_items::TransactWriteItemsError,
    types::{AttributeValue, ConditionCheck, Delete, Put, TransactWriteItem, Update},
};
use serde::Serialize;

use super::{Key, Record, Store, StoreError};

/// DynamoDB's limit on actions per transaction.
pub const MAX_ACTIONS: usize = 100;

/// One action of a transaction and the name the caller knows it by.
#[derive(Debug, Clone)]
pub struct TxAction {
    pub label: String,
    item: TransactWriteItem,
}

#[derive(Debug, thiserror::Error)]
pub enum TransactError {
    /// The condition of the action with this label failed.
    #[error("condition failed on {label}")]
    ConditionFailed { label: String, index: usize },
    /// Still conflicting with concurrent transactions after every retry.
    #[error("transaction kept conflicting with concurrent writers")]
    Conflict,
    #[error("transaction has {0} actions, more than DynamoDB's {MAX_ACTIONS}")]
    TooLarge(usize),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A condition plus its placeholder values.
#[derive(Debug, Clone, Default)]
pub struct Condition {
    expression: Option<String>,
    names: Vec<(String, String)>,
    values: Vec<(String, AttributeValue)>,
}

impl Condition {
    pub fn none() -> Self {
        Self::default()
    }

    pub fn absent() -> Self {
        Self::expr("attribute_not_exists(PK)")
    }

    pub fn exists() -> Self {
        Self::expr("attribute_exists(PK)")
    }

    pub fn version_is(version: u64) -> Self {
        Self::expr("version = :expected_version").value(":expected_version", AttributeValue::N(version.to_string()))
    }

    pub fn expr(expression: impl Into<String>) -> Self {
        Self { expression: Some(expression.into()), ..Self::default() }
    }

    pub fn name(mut self, placeholder: &str, attribute: &str) -> Self {
        self.names.push((placeholder.to_owned(), attribute.to_owned()));
        self
    }

    pub fn value(mut self, placeholder: &str, value: AttributeValue) -> Self {
        self.values.push((placeholder.to_owned(), value));
        self
    }

    pub fn string(self, placeholder: &str, value: impl Into<String>) -> Self {
        self.value(placeholder, AttributeValue::S(value.into()))
    }

    pub fn number(self, placeholder: &str, value: i64) -> Self {
        self.value(placeholder, AttributeValue::N(value.to_string()))
    }

    pub(crate) fn expression(&self) -> Option<&str> {
        self.expression.as_deref()
    }

    pub(crate) fn names_map(&self) -> Option<std::collections::HashMap<String, String>> {
        (!self.names.is_empty()).then(|| self.names.iter().cloned().collect())
    }

    pub(crate) fn values_map(&self) -> Option<std::collections::HashMap<String, AttributeValue>> {
        (!self.values.is_empty()).then(|| self.values.iter().cloned().collect())
    }
}

impl TxAction {
    pub fn put<T: Serialize>(
        label: impl Into<String>,
        record: &Record<T>,
        condition: Condition,
    ) -> Result<Self, StoreError> {
        let put = Put::builder()
            .table_name("") // filled in by `Store::transact`
            .set_item(Some(record.to_item()?))
            .set_condition_expression(condition.expression.clone())
            .set_expression_attribute_names(condition.names_map())
            .set_expression_attribute_values(condition.values_map())
            .build()
            .map_err(StoreError::build)?;
        Ok(Self { label: label.into(), item: TransactWriteItem::builder().put(put).build() })
    }

    /// An update expression (`SET …`, `ADD …`) with its own condition; the condition's
    /// placeholders and the update's share one namespace.
    pub fn update(
        label: impl Into<String>,
        key: &Key,
        update_expression: impl Into<String>,
        condition: Condition,
    ) -> Result<Self, StoreError> {
        let update = Update::builder()
            .table_name("")
            .set_key(Some(key.to_item()))
            .update_expression(update_expression)
            .set_condition_expression(condition.expression.clone())
            .set_expression_attribute_names(condition.names_map())
            .set_expression_attribute_values(condition.values_map())
            .build()
            .map_err(StoreError::build)?;
        Ok(Self { label: label.into(), item: TransactWriteItem::builder().update(update).build() })
    }

    pub fn delete(label: impl Into<String>, key: &Key, condition: Condition) -> Result<Self, StoreError> {
        let delete = Delete::builder()
            .table_name("")
            .set_key(Some(key.to_item()))
            .set_condition_expression(condition.expression.clone())
            .set_expression_attribute_names(condition.names_map())
            .set_expression_attribute_values(condition.values_map())
            .build()
            .map_err(StoreError::build)?;
        Ok(Self { label: label.into(), item: TransactWriteItem::builder().delete(delete).build() })
    }

    pub fn check(label: impl Into<String>, key: &Key, condition: Condition) -> Result<Self, StoreError> {
        let check = ConditionCheck::builder()
            .table_name("")
            .set_key(Some(key.to_item()))
            .condition_expression(condition.expression.clone().unwrap_or_else(|| "attribute_exists(PK)".into()))
            .set_expression_attribute_names(condition.names_map())
            .set_expression_attribute_values(condition.values_map())
            .build()
            .map_err(StoreError::build)?;
        Ok(Self { label: label.into(), item: TransactWriteItem::builder().condition_check(check).build() })
    }

    fn for_table(&self, table: &str) -> TransactWriteItem {
        let mut item = self.item.clone();
        if let Some(p) = item.put.as_mut() {
            p.table_name = table.to_owned();
        }
        if let Some(u) = item.update.as_mut() {
            u.table_name = table.to_owned();
        }
        if let Some(d) = item.delete.as_mut() {
            d.table_name = table.to_owned();
        }
        if let Some(c) = item.condition_check.as_mut() {
            c.table_name = table.to_owned();
        }
        item
    }
}

/// What one attempt of a transaction can end in, before retries.
#[derive(Debug)]
pub enum Attempt {
    Done,
    Conflict,
    Failed(TransactError),
}

impl Store {
    /// Runs the actions as one transaction, retrying transaction conflicts.
    pub async fn transact(&self, actions: &[TxAction]) -> Result<(), TransactError> {
        if actions.len() > MAX_ACTIONS {
            return Err(TransactError::TooLarge(actions.len()));
        }
        if actions.is_empty() {
            return Ok(());
        }
        let items: Vec<TransactWriteItem> = actions.iter().map(|a| a.for_table(self.table())).collect();
        retry_conflicts(Backoff::default(), || async {
            let result = self.client().transact_write_items().set_transact_items(Some(items.clone())).send().await;
            match result {
                Ok(_) => Attempt::Done,
                Err(err) => classify(err, actions),
            }
        })
        .await
    }
}

fn classify<R: std::fmt::Debug>(
    err: aws_sdk_dynamodb::error::SdkError<TransactWriteItemsError, R>,
    actions: &[TxAction],
) -> Attempt {
    if let Some(TransactWriteItemsError::TransactionCanceledException(cancelled)) = err.as_service_error() {
        let reasons = cancelled.cancellation_reasons();
        // A condition failure is the caller's answer; a conflict is worth retrying.
        if let Some((index, _)) = reasons.iter().enumerate().find(|(_, r)| r.code() == Some("ConditionalCheckFailed")) {
            let label = actions.get(index).map(|a| a.label.clone()).unwrap_or_default();
            return Attempt::Failed(TransactError::ConditionFailed { label, index });
        }
        if reasons.iter().any(|r| r.code() == Some("TransactionConflict")) {
            return Attempt::Conflict;
        }
        let codes: Vec<&str> = reasons.iter().filter_map(|r| r.code()).filter(|c| *c != "None").collect();
        return Attempt::Failed(TransactError::Store(StoreError::Rejected {
            code: "TransactionCanceled".into(),
            message: codes.join(","),
        }));
    }
    if let Some(service) = err.as_service_error()
        && (service.code() == Some("TransactionConflictException") || service.is_transaction_in_progress_exception())
    {
        return Attempt::Conflict;
    }
    Attempt::Failed(TransactError::Store(StoreError::sdk(err)))
}

/// Exponential backoff with full jitter, bounded.
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    pub attempts: u32,
    pub base: Duration,
    pub cap: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Self { attempts: 6, base: Duration::from_millis(10), cap: Duration::from_millis(400) }
    }
}

/// Runs `attempt` until it is done, fails, or has conflicted `backoff.attempts` times.
pub async fn retry_conflicts<F, Fut>(backoff: Backoff, mut attempt: F) -> Result<(), TransactError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Attempt>,
{
    for n in 0..backoff.attempts {
        match attempt().await {
            Attempt::Done => return Ok(()),
            Attempt::Failed(err) => return Err(err),
            Attempt::Conflict => {
                let ceiling = backoff.base.saturating_mul(2u32.saturating_pow(n)).min(backoff.cap);
                tokio::time::sleep(jitter(ceiling)).await;
            }
        }
    }
    Err(TransactError::Conflict)
}

fn jitter(ceiling: Duration) -> Duration {
    let mut bytes = [0u8; 4];
    // Without entropy the full ceiling is a fine (if less spread) wait.
    if getrandom::fill(&mut bytes).is_err() {
        return ceiling;
    }
    let fraction = f64::from(u32::from_le_bytes(bytes)) / f64::from(u32::MAX);
    ceiling.mul_f64(fraction)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    fn fast() -> Backoff {
        Backoff { attempts: 4, base: Duration::from_millis(1), cap: Duration::from_millis(2) }
    }

    #[tokio::test]
    async fn conflicts_are_retried_until_success() {
        let calls = AtomicU32::new(0);
        let result = retry_conflicts(fast(), || async {
            if calls.fetch_add(1, Ordering::SeqCst) < 2 { Attempt::Conflict } else { Attempt::Done }
        })
        .await;
        assert!(result.is_ok());
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn persistent_conflict_gives_up() {
        let calls = AtomicU32::new(0);
        let result = retry_conflicts(fast(), || async {
            calls.fetch_add(1, Ordering::SeqCst);
            Attempt::Conflict
        })
        .await;
        assert!(matches!(result, Err(TransactError::Conflict)));
        assert_eq!(calls.load(Ordering::SeqCst), 4);
    }

    #[tokio::test]
    async fn condition_failures_are_not_retried() {
        let calls = AtomicU32::new(0);
        let result = retry_conflicts(fast(), || async {
            calls.fetch_add(1, Ordering::SeqCst);
            Attempt::Failed(TransactError::ConditionFailed { label: "cell".into(), index: 3 })
        })
        .await;
        assert!(matches!(result, Err(TransactError::ConditionFailed { ref label, index: 3 }) if label == "cell"));
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }
}
