//! The baseline the cold-start measurement divides by (infra/scripts/coldstart.sh): the
//! smallest function lambda_runtime can run, echoing its event. It is built by the same
//! `cargo lambda build --release` invocation as the real functions, so the ratio isolates
//! what our own initialisation (SDK config, keys, routers) adds to the runtime's.

use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde_json::{Value, json};

#[tokio::main]
async fn main() -> Result<(), Error> {
    lambda_runtime::run(service_fn(|event: LambdaEvent<Value>| async move {
        Ok::<_, Error>(json!({ "hello": event.payload }))
    }))
    .await
}
