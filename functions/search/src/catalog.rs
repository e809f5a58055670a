//! Catalog pages, served from the in-memory directory with ETags.

use axum::{
    extract::{Path, State},
    http::HeaderMap,
    response::Response,
};
use instainstru_shared::{
    AppState,
    catalog::{AllServicesCategory, CategoryView, ServiceSummary, ServiceView},
    http::{ApiError, ApiResult, ValidQuery},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::rendered::catalog_response;

/// The categories, in display order, with how many services each has.
#[utoipa::path(get, path = "/api/v1/catalog/categories", tag = "catalog", security(()),
    responses((status = 200, body = Vec<CategoryView>), (status = 304, description = "Not modified")))]
pub async fn categories(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    let dir = state.directory.get(&state.store, state.clock.now()).await?;
    catalog_response(&dir, "categories", &headers, || {
        Ok(dir
            .catalog
            .categories
            .iter()
            .map(|c| CategoryView::new(c, u32::try_from(dir.catalog.services_in(&c.slug).count()).unwrap_or(u32::MAX)))
            .collect::<Vec<_>>())
    })
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ServicesQuery {
    /// A category slug; all services when absent.
    pub category: Option<String>,
}

/// Services (of one category, or all), in display order, with instructor counts and
/// price ranges.
#[utoipa::path(get, path = "/api/v1/catalog/services", tag = "catalog", security(()), params(ServicesQuery),
    responses((status = 200, body = Vec<ServiceView>), (status = 404, body = instainstru_shared::http::Problem)))]
pub async fn services(
    State(state): State<AppState>,
    headers: HeaderMap,
    ValidQuery(query): ValidQuery<ServicesQuery>,
) -> ApiResult<Response> {
    let dir = state.directory.get(&state.store, state.clock.now()).await?;
    if let Some(category) = &query.category
        && dir.catalog.category(category).is_none()
    {
        return Err(ApiError::not_found("unknown_category", format!("no category {category:?}")).with_field("category"));
    }
    let key = format!("services?category={}", query.category.as_deref().unwrap_or("*"));
    catalog_response(&dir, &key, &headers, || {
        Ok(dir
            .catalog
            .services
            .iter()
            .filter(|s| query.category.as_ref().is_none_or(|c| &s.category == c))
            .map(|s| ServiceView::new(s, dir.stats(&s.slug)))
            .collect::<Vec<_>>())
    })
}

/// One service by slug.
#[utoipa::path(get, path = "/api/v1/catalog/services/{slug}", tag = "catalog", security(()),
    params(("slug" = String, Path, description = "Service slug, e.g. `piano`")),
    responses((status = 200, body = ServiceView), (status = 404, body = instainstru_shared::http::Problem)))]
pub async fn service(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> ApiResult<Response> {
    let dir = state.directory.get(&state.store, state.clock.now()).await?;
    let service = dir
        .catalog
        .service(&slug)
        .ok_or_else(|| ApiError::not_found("unknown_service", format!("no service {slug:?}")).with_field("slug"))?;
    catalog_response(&dir, &format!("service/{slug}"), &headers, || Ok(ServiceView::new(service, dir.stats(&slug))))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TopServicesQuery {
    /// Services per category, 1–50 (default 6).
    pub per_category: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryTopServices {
    pub category: CategoryView,
    pub services: Vec<ServiceView>,
}

/// The first N services of each category by display order (which the daily analytics job
/// keeps sorted by popularity): the homepage.
#[utoipa::path(get, path = "/api/v1/catalog/top-services", tag = "catalog", security(()), params(TopServicesQuery),
    responses((status = 200, body = Vec<CategoryTopServices>), (status = 400, body = instainstru_shared::http::Problem)))]
pub async fn top_services(
    State(state): State<AppState>,
    headers: HeaderMap,
    ValidQuery(query): ValidQuery<TopServicesQuery>,
) -> ApiResult<Response> {
    let per_category = query.per_category.unwrap_or(6);
    if !(1..=50).contains(&per_category) {
        return Err(ApiError::invalid("per_category", "per_category must be between 1 and 50"));
    }
    let dir = state.directory.get(&state.store, state.clock.now()).await?;
    catalog_response(&dir, &format!("top-services/{per_category}"), &headers, || Ok(top(&dir, per_category)))
}

fn top(dir: &instainstru_shared::directory::Directory, per_category: u32) -> Vec<CategoryTopServices> {
    dir.catalog
        .categories
        .iter()
        .map(|c| {
            let services: Vec<ServiceView> = dir
                .catalog
                .services_in(&c.slug)
                .take(per_category as usize)
                .map(|s| ServiceView::new(s, dir.stats(&s.slug)))
                .collect();
            let count = u32::try_from(dir.catalog.services_in(&c.slug).count()).unwrap_or(u32::MAX);
            CategoryTopServices { category: CategoryView::new(c, count), services }
        })
        .collect()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AllServices {
    pub categories: Vec<AllServicesCategory>,
    pub total_services: u32,
}

/// Every category with every service, its instructor count and price range: the
/// all-services page in one call.
#[utoipa::path(get, path = "/api/v1/catalog/all-services", tag = "catalog", security(()),
    responses((status = 200, body = AllServices), (status = 304, description = "Not modified")))]
pub async fn all_services(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    let dir = state.directory.get(&state.store, state.clock.now()).await?;
    catalog_response(&dir, "all-services", &headers, || Ok(all(&dir)))
}

fn all(dir: &instainstru_shared::directory::Directory) -> AllServices {
    let categories: Vec<AllServicesCategory> = dir
        .catalog
        .categories
        .iter()
        .map(|c| AllServicesCategory {
            slug: c.slug.clone(),
            name: c.name.clone(),
            subtitle: c.subtitle.clone(),
            display_order: c.display_order,
            icon: c.icon.clone(),
            services: dir.catalog.services_in(&c.slug).map(|s| ServiceSummary::new(s, dir.stats(&s.slug))).collect(),
        })
        .collect();
    let total_services = u32::try_from(dir.catalog.services.len()).unwrap_or(u32::MAX);
    AllServices { categories, total_services }
}
