//! The `booking-notify` handler: the notifications queue's consumer (SQS, partial batch
//! failures). It is the only function that sends booking mail.

use aws_lambda_events::sqs::{SqsBatchResponse, SqsEvent};
use instainstru_shared::{AppState, notify, queue::batch};

pub async fn notify_batch(state: &AppState, event: SqsEvent) -> SqsBatchResponse {
    batch::each(event, |message| async move {
        let envelope = batch::envelope(&message)?;
        let sender = state.mail.as_deref().ok_or("this function has no mail sender")?;
        let outcome =
            notify::apply(&state.store, sender, &envelope, state.clock.now()).await.map_err(|e| e.to_string())?;
        tracing::info!(event_id = %envelope.id, kind = %envelope.kind, sent = outcome.sent,
            already_sent = outcome.already_sent, "notification applied");
        Ok::<(), String>(())
    })
    .await
}
