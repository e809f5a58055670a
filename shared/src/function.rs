//! Which Lambda a state serves: the one place a function's name is written.
//!
//! The name is template.yaml's `Metadata.BuildProperties.Binary` (a test in infra/local
//! checks both lists agree); it labels logs and `/health`, and it decides what a function's
//! state may hold, mirroring its IAM role: only `accounts` signs tokens, only `accounts` and
//! `booking-notify` send mail.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Function {
    Search,
    Booking,
    BookingOutbox,
    BookingNotify,
    Admin,
    Accounts,
    AnalyticsWorker,
    AnalyticsDaily,
    /// The local platform's and the tests' one state before it is labelled for a function.
    Platform,
}

impl Function {
    /// Every deployed function (not [`Function::Platform`]).
    pub const DEPLOYED: [Function; 8] = [
        Function::Search,
        Function::Booking,
        Function::BookingOutbox,
        Function::BookingNotify,
        Function::Admin,
        Function::Accounts,
        Function::AnalyticsWorker,
        Function::AnalyticsDaily,
    ];

    /// The binary's name, as template.yaml and the logs spell it.
    pub const fn label(self) -> &'static str {
        match self {
            Function::Search => "search",
            Function::Booking => "booking",
            Function::BookingOutbox => "booking-outbox",
            Function::BookingNotify => "booking-notify",
            Function::Admin => "admin",
            Function::Accounts => "accounts",
            Function::AnalyticsWorker => "analytics-worker",
            Function::AnalyticsDaily => "analytics-daily",
            Function::Platform => "platform",
        }
    }

    /// The deployed function with this binary name.
    pub fn from_label(label: &str) -> Option<Function> {
        Function::DEPLOYED.into_iter().find(|f| f.label() == label)
    }

    /// Only `accounts` holds the token-signing key (DESIGN: its IAM role alone may read it).
    pub const fn signs_tokens(self) -> bool {
        matches!(self, Function::Accounts)
    }

    /// The functions whose IAM role may call SES: accounts (password resets) and
    /// booking-notify (booking mail).
    pub const fn sends_mail(self) -> bool {
        matches!(self, Function::Accounts | Function::BookingNotify)
    }
}

impl fmt::Display for Function {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_deployed_label_names_one_function() {
        for function in Function::DEPLOYED {
            assert_eq!(Function::from_label(function.label()), Some(function));
        }
        assert_eq!(Function::from_label("platform"), None);
        assert_eq!(Function::from_label("Search"), None);
    }
}
