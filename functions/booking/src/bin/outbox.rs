use lambda_runtime::{LambdaEvent, service_fn};

#[tokio::main]
async fn main() -> Result<(), instainstru_shared::lambda::Error> {
    instainstru_shared::lambda::init_tracing();
    let state =
        instainstru_shared::lambda::state_from_env(instainstru_shared::function::Function::BookingOutbox).await?;
    lambda_runtime::run(service_fn(|event: LambdaEvent<serde_json::Value>| {
        let state = state.clone();
        async move {
            instainstru_booking::sweep_outbox(&state, event.payload)
                .await
                .map(|report| serde_json::json!({ "published": report.published, "reminders": report.reminders }))
                .map_err(lambda_runtime::Error::from)
        }
    }))
    .await
}
