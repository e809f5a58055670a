#[tokio::main]
async fn main() -> Result<(), instainstru_shared::lambda::Error> {
    instainstru_shared::lambda::init_tracing();
    let state = instainstru_shared::lambda::state_from_env(instainstru_shared::function::Function::Search).await?;
    instainstru_shared::lambda::warm_directory(&state).await;
    instainstru_shared::lambda::run_http(instainstru_search::router(state)).await
}
