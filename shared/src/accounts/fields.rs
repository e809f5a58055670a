//! The typed values an account is made of, each checked once at the edge: a full name,
//! a time zone, and a new password that meets the policy.

use std::fmt;

use super::AccountError;

/// A person's name as shown to others: 1–100 characters once trimmed, no control
/// characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FullName(String);

impl FullName {
    pub const MAX_CHARS: usize = 100;

    pub fn parse(field: &str, text: &str) -> Result<Self, AccountError> {
        let name = text.trim();
        if name.is_empty() {
            return Err(AccountError::invalid(field, format!("{field} must not be empty")));
        }
        if name.chars().count() > Self::MAX_CHARS {
            return Err(AccountError::invalid(
                field,
                format!("{field} must be at most {} characters", Self::MAX_CHARS),
            ));
        }
        if name.chars().any(char::is_control) {
            return Err(AccountError::invalid(field, format!("{field} must not contain control characters")));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// An IANA time zone name that the bundled tz database knows ("America/New_York").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeZoneName(String);

impl TimeZoneName {
    pub const DEFAULT: &'static str = "America/New_York";

    pub fn parse(field: &str, text: &str) -> Result<Self, AccountError> {
        let name = text.trim();
        // Only names of the bundled tz database: a bare offset ("+05:00") has no DST rules.
        if name.is_empty() || name.len() > 64 || jiff::tz::TimeZone::get(name).is_err() {
            return Err(AccountError::invalid(
                field,
                format!("{field} must be an IANA time zone name such as America/New_York"),
            ));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn default_zone() -> Self {
        Self(Self::DEFAULT.to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// A password a user is choosing (PRODUCT.md §1): at least 8 characters, at most 128,
/// and not all of one character class (lowercase, uppercase, digits, everything else).
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl fmt::Debug for NewPassword {
    // A password never reaches a log, not even through a debug print.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(..)")
    }
}

impl NewPassword {
    pub const MIN_CHARS: usize = 8;
    /// Bounded so that hashing cost stays bounded.
    pub const MAX_CHARS: usize = 128;

    pub fn parse(field: &str, text: &str) -> Result<Self, AccountError> {
        let count = text.chars().count();
        if count < Self::MIN_CHARS {
            return Err(AccountError::invalid_with(
                field,
                "weak_password",
                format!("{field} must be at least {} characters", Self::MIN_CHARS),
            ));
        }
        if count > Self::MAX_CHARS {
            return Err(AccountError::invalid_with(
                field,
                "weak_password",
                format!("{field} must be at most {} characters", Self::MAX_CHARS),
            ));
        }
        let class = |c: char| {
            if c.is_lowercase() {
                0
            } else if c.is_uppercase() {
                1
            } else if c.is_numeric() {
                2
            } else {
                3
            }
        };
        let mut classes = text.chars().map(class);
        let first = classes.next();
        if classes.all(|c| Some(c) == first) {
            return Err(AccountError::invalid_with(
                field,
                "weak_password",
                format!("{field} must mix character classes (letters, digits, symbols), not use only one"),
            ));
        }
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_policy() {
        for good in ["Test1234", "correct horse", "abcdefg1", "ÄÖÜäöü12", "12345678!"] {
            assert!(NewPassword::parse("password", good).is_ok(), "{good}");
        }
        for bad in ["", "Ab1", "abcdefgh", "ABCDEFGH", "12345678", "!!!!!!!!", "ééééééééé", &"aB1".repeat(50)]
        {
            let err = NewPassword::parse("password", bad).unwrap_err();
            assert!(
                matches!(err, AccountError::Invalid { code: "weak_password", ref field, .. } if field == "password")
            );
        }
        assert_eq!(format!("{:?}", NewPassword::parse("p", "Secret123").unwrap()), "NewPassword(..)");
    }

    #[test]
    fn names_and_zones() {
        assert_eq!(FullName::parse("full_name", "  Ada Lovelace ").unwrap().as_str(), "Ada Lovelace");
        assert!(FullName::parse("full_name", "   ").is_err());
        assert!(FullName::parse("full_name", &"x".repeat(101)).is_err());
        assert!(FullName::parse("full_name", "bad\u{0}name").is_err());
        assert_eq!(TimeZoneName::parse("time_zone", "Europe/Paris").unwrap().as_str(), "Europe/Paris");
        assert!(TimeZoneName::parse("time_zone", "UTC").is_ok());
        for bad in ["", "Mars/Olympus", "+05:00", "America/New_York/Extra"] {
            assert!(TimeZoneName::parse("time_zone", bad).is_err(), "{bad}");
        }
    }
}
