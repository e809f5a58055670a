//! Runtime configuration, read once at cold start from the environment that
//! template.yaml (or the local platform) gives each function.

use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Config {
    /// The single DynamoDB table.
    pub table_name: String,
    /// The events queue (SQS URL); `None` only where nothing publishes (tests of pure reads).
    pub events_queue_url: Option<String>,
    /// The notifications queue (SQS URL), set for the functions that publish booking
    /// events (booking, booking-outbox); they fan those out to both queues.
    pub notifications_queue_url: Option<String>,
    /// Origins allowed by CORS; empty means any origin (the local platform).
    pub cors_allowed_origins: Vec<String>,
    /// How often a warm search Lambda checks whether its in-memory index is stale.
    pub index_refresh: Duration,
    /// Public base URL used in links sent by email (password reset).
    pub public_base_url: String,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            table_name: "instainstru".to_owned(),
            events_queue_url: None,
            notifications_queue_url: None,
            cors_allowed_origins: Vec::new(),
            index_refresh: Duration::from_secs(5),
            public_base_url: "http://127.0.0.1:3000".to_owned(),
        }
    }
}

impl Config {
    pub fn from_env() -> Self {
        let defaults = Self::default();
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        Self {
            table_name: var("TABLE_NAME").unwrap_or(defaults.table_name),
            events_queue_url: var("EVENTS_QUEUE_URL"),
            notifications_queue_url: var("NOTIFICATIONS_QUEUE_URL"),
            cors_allowed_origins: var("CORS_ALLOWED_ORIGINS")
                .map(|v| v.split(',').map(|o| o.trim().to_owned()).filter(|o| !o.is_empty()).collect())
                .unwrap_or_default(),
            index_refresh: var("INDEX_REFRESH_SECONDS")
                .and_then(|v| v.parse::<u64>().ok())
                .map(Duration::from_secs)
                .unwrap_or(defaults.index_refresh),
            public_base_url: var("PUBLIC_BASE_URL").unwrap_or(defaults.public_base_url),
        }
    }
}
