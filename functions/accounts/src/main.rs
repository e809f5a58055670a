#[tokio::main]
async fn main() -> Result<(), instainstru_shared::lambda::Error> {
    instainstru_shared::lambda::init_tracing();
    let state = instainstru_shared::lambda::state_from_env(instainstru_shared::function::Function::Accounts).await?;
    instainstru_shared::lambda::run_http(instainstru_accounts::router(state)).await
}
