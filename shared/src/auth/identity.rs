use std::collections::BTreeSet;

use crate::{
    ids::UserId,
    rbac::{Permission, Role},
};

/// A signed-in caller, as the access token describes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub user_id: UserId,
    pub roles: Vec<Role>,
    pub permissions: BTreeSet<Permission>,
    /// The refresh-token family this access token was minted under (for logout).
    pub session_id: String,
}

impl Caller {
    pub fn can(&self, permission: Permission) -> bool {
        self.permissions.contains(&permission)
    }

    pub fn is(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// Whoever is calling: a guest or a verified user. The access layer puts it in every
/// request's extensions after checking the route's declared permission (`http::identity`
/// extracts it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    Guest,
    User(Caller),
}

impl Identity {
    pub fn caller(&self) -> Option<&Caller> {
        match self {
            Identity::Guest => None,
            Identity::User(c) => Some(c),
        }
    }
}
