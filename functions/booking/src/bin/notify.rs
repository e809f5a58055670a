use aws_lambda_events::sqs::SqsEvent;
use lambda_runtime::{LambdaEvent, service_fn};

#[tokio::main]
async fn main() -> Result<(), instainstru_shared::lambda::Error> {
    instainstru_shared::lambda::init_tracing();
    let state =
        instainstru_shared::lambda::state_from_env(instainstru_shared::function::Function::BookingNotify).await?;
    lambda_runtime::run(service_fn(|event: LambdaEvent<SqsEvent>| {
        let state = state.clone();
        async move { Ok::<_, lambda_runtime::Error>(instainstru_booking::notify_batch(&state, event.payload).await) }
    }))
    .await
}
