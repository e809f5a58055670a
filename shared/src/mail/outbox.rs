//! The local platform's mail sender: every mail becomes an item in the table
//! (`OUTBOX` / `<sent at>#<id>`, kept 7 days), newest readable first. Nothing leaves the
//! machine; `instainstru-local outbox` prints them.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{Mail, MailError, MailSender};
use crate::{
    clock::Clock,
    store::{Index, Query, Record, Store, StoreError, keys},
};

/// How long a local mail is kept.
const KEEP_SECONDS: i64 = 7 * 24 * 3600;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "entity", rename = "outbox_mail")]
pub struct OutboxMail {
    pub id: String,
    /// RFC 3339 UTC.
    pub sent_at: String,
    #[serde(flatten)]
    pub mail: Mail,
}

#[derive(Clone)]
pub struct Outbox {
    store: Store,
    clock: Arc<dyn Clock>,
}

impl Outbox {
    pub fn new(store: Store, clock: Arc<dyn Clock>) -> Self {
        Self { store, clock }
    }

    /// The newest `limit` mails, newest first (expired ones skipped).
    pub async fn recent(&self, limit: u32) -> Result<Vec<OutboxMail>, StoreError> {
        let now = self.clock.now().as_second();
        let page = self
            .store
            .query::<Record<OutboxMail>>(Query::partition(Index::Table, keys::MAILBOX).newest_first().limit(limit))
            .await?;
        Ok(page.items.into_iter().filter(|r| !r.is_expired(now)).map(|r| r.data).collect())
    }
}

#[async_trait::async_trait]
impl MailSender for Outbox {
    async fn send(&self, mail: &Mail) -> Result<(), MailError> {
        let now = self.clock.now();
        let id = crate::ids::new_id();
        let record =
            Record::new(keys::outbox_mail(now, &id), OutboxMail { id, sent_at: now.to_string(), mail: mail.clone() })
                .expires_at(now.as_second() + KEEP_SECONDS);
        self.store.put_new(&record).await.map_err(|e| MailError(e.to_string()))
    }
}
