//! Mail through Amazon SES (API v2).

use aws_sdk_sesv2::{
    Client,
    types::{Body, Content, Destination, EmailContent, Message},
};

use super::{Mail, MailError, MailSender};

#[derive(Debug, Clone)]
pub struct SesMailer {
    client: Client,
    /// A verified SES identity (template.yaml parameter `SenderEmail`).
    from: String,
}

impl SesMailer {
    pub fn new(client: Client, from: impl Into<String>) -> Self {
        Self { client, from: from.into() }
    }
}

fn utf8(text: &str) -> Result<Content, MailError> {
    Content::builder().data(text).charset("UTF-8").build().map_err(|e| MailError(e.to_string()))
}

#[async_trait::async_trait]
impl MailSender for SesMailer {
    async fn send(&self, mail: &Mail) -> Result<(), MailError> {
        let message = Message::builder()
            .subject(utf8(&mail.subject)?)
            .body(Body::builder().text(utf8(&mail.text)?).build())
            .build();
        self.client
            .send_email()
            .from_email_address(&self.from)
            .destination(Destination::builder().to_addresses(&mail.to).build())
            .content(EmailContent::builder().simple(message).build())
            .send()
            .await
            .map_err(|e| MailError(format!("{}", aws_sdk_sesv2::error::DisplayErrorContext(e))))?;
        Ok(())
    }
}
