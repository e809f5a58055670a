//! The baseline for the HTTP benchmarks (infra/scripts/bench-http.sh): a bare axum server
//! answering one small JSON document, with none of our middleware, storage or logic. The
//! platform's figures are reported as ratios against it, measured in the same run.

use axum::{Json, Router, routing::get};

#[tokio::main]
async fn main() -> Result<(), String> {
    let port: u16 = std::env::args().nth(1).and_then(|p| p.parse().ok()).unwrap_or(3999);
    let app = Router::new().route(
        "/json",
        get(|| async { Json(serde_json::json!({ "status": "ok", "items": [1, 2, 3], "name": "baseline" })) }),
    );
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.map_err(|e| e.to_string())?;
    println!("listening on http://{}", listener.local_addr().map_err(|e| e.to_string())?);
    axum::serve(listener, app).await.map_err(|e| e.to_string())
}
