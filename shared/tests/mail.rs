//! The SES mail sender against moto's SES v2: a message from a verified identity is
//! accepted; from an unverified one it is refused and the error reaches the caller.

use instainstru_shared::mail::{Mail, MailSender, SesMailer};
use instainstru_testkit::{moto_endpoint, sesv2_client};

#[tokio::test]
async fn ses_sends_from_a_verified_identity_only() {
    let endpoint = moto_endpoint();
    let client = sesv2_client(&endpoint.url);
    let sender = format!("no-reply-{}@instainstru.com", instainstru_shared::ids::new_id().to_lowercase());
    let mail = Mail {
        to: "someone@example.com".into(),
        subject: "Reset your InstaInstru password".into(),
        text: "http://127.0.0.1:3000/reset-password?token=abc".into(),
    };
    let mailer = SesMailer::new(client.clone(), &sender);
    let refused = mailer.send(&mail).await;
    assert!(refused.is_err(), "an unverified sender must be refused");
    assert!(refused.unwrap_err().to_string().contains("not verified"));

    client.create_email_identity().email_identity(&sender).send().await.expect("verify the sender");
    mailer.send(&mail).await.expect("sent");
}
