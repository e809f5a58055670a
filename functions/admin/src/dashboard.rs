//! The admin dashboard page (PRODUCT.md §9): searches over time, top and zero-result
//! queries, the conversion funnel and queue health for 7/30/90 days, CSV downloads, and a
//! refresh every 5 minutes. The page is a static shell with no data in it: its script signs
//! in and reads the admin API with the user's bearer token, so every figure it shows is
//! guarded by the API's own permissions (view_system_analytics, export_analytics,
//! access_monitoring). A browser cannot send a bearer token when it navigates, which is why
//! the shell itself is public.

use axum::{
    Extension,
    body::Bytes,
    http::{HeaderValue, header},
    response::{Html, IntoResponse, Response},
};
use base64::Engine;
use instainstru_shared::analytics::reports::Report;
use sha2::{Digest, Sha256};

const PAGE: &str = include_str!("dashboard.html");

/// Where the page lists every report of the registry with its CSV button.
const REPORTS_MARK: &str = "<!-- reports -->";

/// The page as served, with its Content-Security-Policy.
#[derive(Debug, Clone)]
pub struct Page {
    /// Shared, not copied, by each response.
    html: Bytes,
    policy: HeaderValue,
}

impl Page {
    /// The page listing `registry`'s reports. The list is plain markup (the page's script
    /// binds every `data-report` button), so the inline script and style, and with them
    /// the policy's hashes, stay as written.
    pub fn of(registry: &[Report]) -> Self {
        let items: String = registry
            .iter()
            .map(|r| {
                let name = escape(r.name);
                format!(
                    "<li><button type=\"button\" class=\"csv\" data-report=\"{name}\">CSV</button> <strong>{name}</strong>: {}</li>",
                    escape(r.description)
                )
            })
            .collect();
        let html = PAGE.replace(REPORTS_MARK, &format!("<ul class=\"reports\">{items}</ul>"));
        let policy = policy(&html);
        Self { html: Bytes::from(html), policy }
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The page's one inline script and one inline style, by hash: the browser runs nothing
/// else, loads nothing from any other origin (there is no CDN to reach, and a page that
/// tried would be stopped here), and sends API calls only to the page's own origin.
fn policy(page: &str) -> HeaderValue {
    let hash = |tag: &str| {
        let open = format!("<{tag}>");
        let start = page.find(&open).map(|i| i + open.len()).unwrap_or(0);
        let end = page[start..].find(&format!("</{tag}>")).map(|i| start + i).unwrap_or(start);
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(&page.as_bytes()[start..end]))
    };
    let policy = format!(
        "default-src 'none'; script-src 'sha256-{}'; style-src 'sha256-{}'; connect-src 'self'; \
         img-src 'self' blob: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        hash("script"),
        hash("style")
    );
    HeaderValue::from_str(&policy).unwrap_or_else(|_| HeaderValue::from_static("default-src 'none'"))
}

/// The analytics dashboard: an HTML page for a browser (it signs in itself; the figures
/// need view_system_analytics, the CSV buttons export_analytics, queue health
/// access_monitoring).
#[utoipa::path(get, path = "/api/v1/admin/dashboard", tag = "admin", security(()),
    responses((status = 200, description = "HTML page (no data in it; see the description)", content_type = "text/html")))]
pub async fn dashboard(Extension(page): Extension<Page>) -> Response {
    let mut response = Html(page.html).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, page.policy.clone());
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}
