//! Outgoing mail (password resets today; booking notifications later) through one port.
//!
//! Two real senders exist, hence the trait: [`SesMailer`] on AWS (SES v2, from the
//! `SENDER_EMAIL` identity) and [`outbox::Outbox`] in the local platform and tests, which
//! keeps each mail as an item in the table so a developer can read it
//! (`instainstru-local outbox`) and follow the link inside.

pub mod outbox;
mod ses;

use serde::{Deserialize, Serialize};

pub use outbox::Outbox;
pub use ses::SesMailer;

/// One plain-text mail to one recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
}

#[derive(Debug, thiserror::Error)]
#[error("could not send mail: {0}")]
pub struct MailError(pub String);

#[async_trait::async_trait]
pub trait MailSender: Send + Sync + 'static {
    async fn send(&self, mail: &Mail) -> Result<(), MailError>;
}
