use lambda_runtime::{LambdaEvent, service_fn};

#[tokio::main]
async fn main() -> Result<(), instainstru_shared::lambda::Error> {
    instainstru_shared::lambda::init_tracing();
    let state =
        instainstru_shared::lambda::state_from_env(instainstru_shared::function::Function::AnalyticsDaily).await?;
    lambda_runtime::run(service_fn(|event: LambdaEvent<serde_json::Value>| {
        let state = state.clone();
        async move { instainstru_analytics::run_daily(&state, event.payload).await.map_err(lambda_runtime::Error::from) }
    }))
    .await
}
