//! The embedded DynamoDB: dynoxide in-process behind its real HTTP front end on a loopback
//! port, so the AWS SDK talks to it exactly as it talks to DynamoDB.

use std::net::SocketAddr;

use instainstru_shared::store::{Store, StoreError, create_table};

use crate::clients::dynamodb_client;

/// Where an embedded or emulated DynamoDB listens.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub url: String,
}

/// Starts dynoxide on 127.0.0.1 (port 0 = any free port), backed by `path` or memory.
pub async fn start_dynoxide(path: Option<&std::path::Path>, port: u16) -> Result<Endpoint, String> {
    let db = match path {
        Some(path) => dynoxide::Database::new(&path.to_string_lossy()).map_err(|e| format!("open {path:?}: {e}"))?,
        None => dynoxide::Database::memory().map_err(|e| e.to_string())?,
    };
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port)))
        .await
        .map_err(|e| format!("bind dynoxide: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    tokio::spawn(dynoxide::server::serve_on(listener, db));
    Ok(Endpoint { url: format!("http://{addr}") })
}

/// A store over a fresh table on `endpoint`.
pub async fn store_on(endpoint: &Endpoint, table: &str) -> Result<Store, StoreError> {
    let client = dynamodb_client(endpoint);
    create_table(&client, table).await?;
    Ok(Store::new(client, table))
}
