//! The admin's user list: every account, newest first, filtered by a name/email
//! substring, a role and a status, with an opaque cursor.
//!
//! Accounts sit on GSI1 (`USERS`, `<created>#<id>`); the filters are applied while walking
//! it, so a page may need several index pages. Each request reads at most
//! [`SCAN_BUDGET`] accounts and then returns what it found with a cursor to go on from,
//! which bounds its cost however rare the matches are.

use super::{AccountStatus, User, UserItem};
use crate::{
    rbac::Role,
    store::{Cursor, Index, Query, Record, Store, StoreError, keys},
};

/// The most accounts one request reads.
pub const SCAN_BUDGET: usize = 1000;
const INDEX_PAGE: u32 = 100;

#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    /// Case-insensitive substring of the full name or the email.
    pub text: Option<String>,
    pub role: Option<Role>,
    pub status: Option<AccountStatus>,
}

impl UserFilter {
    pub fn matches(&self, user: &User) -> bool {
        let text_ok = self.text.as_ref().is_none_or(|needle| {
            let needle = needle.to_lowercase();
            user.full_name.to_lowercase().contains(&needle) || user.email.to_lowercase().contains(&needle)
        });
        text_ok && self.role.is_none_or(|r| user.has_role(r)) && self.status.is_none_or(|s| user.status == s)
    }
}

/// The cursor that resumes a walk of the index right after `record`.
fn cursor_after(record: &Record<UserItem>) -> Cursor {
    let mut pairs = vec![("PK", record.pk.clone()), ("SK", record.sk.clone())];
    if let (Some(pk), Some(sk)) = (&record.gsi1pk, &record.gsi1sk) {
        pairs.push(("GSI1PK", pk.clone()));
        pairs.push(("GSI1SK", sk.clone()));
    }
    Cursor::from_pairs(pairs)
}

/// Up to `limit` matching users after `cursor`, and the cursor for the rest (absent at
/// the end).
pub async fn list(
    store: &Store,
    filter: &UserFilter,
    cursor: Option<Cursor>,
    limit: usize,
) -> Result<(Vec<User>, Option<Cursor>), StoreError> {
    let mut query = Query::partition(Index::Gsi1, keys::USERS).newest_first().limit(INDEX_PAGE).after(cursor);
    let mut found = Vec::new();
    let mut scanned = 0;
    loop {
        let page = store.query::<Record<UserItem>>(query.clone()).await?;
        let count = page.items.len();
        for (i, record) in page.items.into_iter().enumerate() {
            scanned += 1;
            let last_in_page = i + 1 == count;
            let user_matches = filter.matches(&record.data.user);
            let resume = cursor_after(&record);
            if user_matches {
                found.push(record.data.user);
            }
            let more_after_this = !last_in_page || page.next.is_some();
            if (found.len() == limit || scanned >= SCAN_BUDGET) && more_after_this {
                return Ok((found, Some(resume)));
            }
        }
        match page.next {
            Some(next) => query.cursor = Some(next),
            None => return Ok((found, None)),
        }
    }
}
