//! The audit log: who changed what about whom, when, and the state before and after.
//!
//! An entry is written in the same transaction as the change it describes (see
//! [`AuditEntry::action`]), so the log cannot miss a change or record one that did not
//! happen. Entries live in one partition (`AUDIT`, newest first by sort key) and are also
//! indexed by target on GSI1, so "everything that happened to this user" is one query.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::store::{Cursor, Index, Page, Query, Record, Store, StoreError, TxAction, keys, transact::Condition};

/// What was done. The wire names are stable (clients filter on them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum AuditAction {
    #[serde(rename = "user.suspend")]
    UserSuspend,
    #[serde(rename = "user.reactivate")]
    UserReactivate,
    #[serde(rename = "role.assign")]
    RoleAssign,
    #[serde(rename = "role.remove")]
    RoleRemove,
    #[serde(rename = "permission.grant")]
    PermissionGrant,
    #[serde(rename = "permission.revoke")]
    PermissionRevoke,
    /// The account's personal data was erased (by the user or an admin).
    #[serde(rename = "user.erase")]
    UserErase,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AuditEntry {
    pub id: String,
    /// RFC 3339 UTC.
    pub at: String,
    /// The user who made the change.
    pub actor_id: String,
    pub action: AuditAction,
    /// The user the change was made to.
    pub target_id: String,
    /// The target's relevant state before the change.
    #[schema(value_type = Object)]
    pub before: serde_json::Value,
    /// … and after it.
    #[schema(value_type = Object)]
    pub after: serde_json::Value,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "entity", rename = "audit_entry")]
struct AuditItem {
    #[serde(flatten)]
    entry: AuditEntry,
}

impl AuditEntry {
    pub fn new(
        at: Timestamp,
        actor_id: &str,
        action: AuditAction,
        target_id: &str,
        before: serde_json::Value,
        after: serde_json::Value,
    ) -> Self {
        Self {
            id: crate::ids::new_id(),
            at: at.to_string(),
            actor_id: actor_id.to_owned(),
            action,
            target_id: target_id.to_owned(),
            before,
            after,
        }
    }

    fn record(&self) -> Result<Record<AuditItem>, StoreError> {
        let at: Timestamp = self.at.parse().map_err(|e| StoreError::Corrupt(format!("audit time: {e}")))?;
        Ok(Record::new(keys::audit_entry(at, &self.id), AuditItem { entry: self.clone() })
            .gsi1(keys::audit_of(&self.target_id), format!("{}#{}", keys::instant(at), self.id)))
    }

    /// The transaction action that writes this entry, to go beside the change itself.
    pub fn action(&self) -> Result<TxAction, StoreError> {
        TxAction::put("audit", &self.record()?, Condition::absent())
    }
}

/// One page of the log, newest first: everything, or only what happened to `target`.
pub async fn list(
    store: &Store,
    target: Option<&str>,
    cursor: Option<Cursor>,
    limit: u32,
) -> Result<Page<AuditEntry>, StoreError> {
    let query = match target {
        Some(target) => Query::partition(Index::Gsi1, keys::audit_of(target)),
        None => Query::partition(Index::Table, keys::AUDIT),
    };
    let page = store.query::<Record<AuditItem>>(query.newest_first().limit(limit).after(cursor)).await?;
    Ok(Page { items: page.items.into_iter().map(|r| r.data.entry).collect(), next: page.next })
}
