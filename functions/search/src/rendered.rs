//! Catalog responses are the same for every caller until the directory changes, so each is
//! rendered (serialised and hashed for its ETag) once per directory generation and then
//! served from memory.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use axum::{http::HeaderMap, response::Response};
use instainstru_shared::{
    directory::Directory,
    http::{ApiResult, cache::Rendered},
};

/// Renders of one directory generation, by route key.
type Renders = HashMap<String, Arc<Rendered>>;

/// Memoised renders of the newest directory generation seen (older ones are dropped).
static MEMO: Mutex<Option<(u64, Renders)>> = Mutex::new(None);

/// The rendered response for `key` (the route and its parameters) on this directory.
pub fn catalog_response<T: serde::Serialize>(
    dir: &Directory,
    key: &str,
    headers: &HeaderMap,
    render: impl FnOnce() -> ApiResult<T>,
) -> ApiResult<Response> {
    let generation = dir.generation();
    let cached = {
        let memo = MEMO.lock().unwrap_or_else(|p| p.into_inner());
        memo.as_ref().filter(|(g, _)| *g == generation).and_then(|(_, m)| m.get(key).cloned())
    };
    let rendered = match cached {
        Some(r) => r,
        None => {
            let rendered = Arc::new(Rendered::json(&render()?)?);
            let mut memo = MEMO.lock().unwrap_or_else(|p| p.into_inner());
            match memo.as_mut() {
                Some((g, map)) if *g == generation => {
                    map.insert(key.to_owned(), rendered.clone());
                }
                // A newer generation replaces the memo; an older one is served but not kept.
                Some((g, _)) if *g > generation => {}
                _ => *memo = Some((generation, HashMap::from([(key.to_owned(), rendered.clone())]))),
            }
            rendered
        }
    };
    Ok(rendered.respond(headers, instainstru_shared::http::cache::CATALOG_CACHE))
}
