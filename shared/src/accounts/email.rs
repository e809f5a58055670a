//! An email address that has been checked and can be compared case-insensitively.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email {
    display: String,
    normalized: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be a valid email address")]
pub struct InvalidEmail;

impl Email {
    pub fn parse(text: &str) -> Result<Self, InvalidEmail> {
        let display = text.trim();
        if display.len() > 254 || display.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(InvalidEmail);
        }
        let (local, domain) = display.rsplit_once('@').ok_or(InvalidEmail)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        if local.is_empty() || local.len() > 64 || local.contains('@') || !domain_ok {
            return Err(InvalidEmail);
        }
        // Case-insensitive uniqueness: the whole address is compared lowercased (what
        // users expect, and what every major provider does in practice).
        Ok(Self { display: display.to_owned(), normalized: display.to_lowercase() })
    }

    pub fn as_str(&self) -> &str {
        &self.display
    }

    pub fn normalized(&self) -> &str {
        &self.normalized
    }
}

impl TryFrom<String> for Email {
    type Error = InvalidEmail;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Email::parse(&value)
    }
}

impl From<Email> for String {
    fn from(value: Email) -> Self {
        value.display
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_case() {
        let a = Email::parse(" Sarah.Chen@Example.com ").unwrap();
        assert_eq!(a.as_str(), "Sarah.Chen@Example.com");
        assert_eq!(a.normalized(), "sarah.chen@example.com");
    }

    #[test]
    fn rejects_malformed() {
        for bad in ["", "no-at", "a@b", "@example.com", "a b@example.com", "a@.com", "a@example..com", "a@exa mple.com"]
        {
            assert_eq!(Email::parse(bad), Err(InvalidEmail), "{bad:?}");
        }
    }
}
