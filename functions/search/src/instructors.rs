//! Public instructor listings and profiles. Only listed instructors (active, complete,
//! with an active offering) ever appear; contact data is not part of the public type.

use axum::{Json, extract::State};
use instainstru_shared::{
    AppState,
    directory::Directory,
    http::{ApiError, ApiResult, Bounds, IdPath, ValidQuery, page},
    ids::InstructorId,
    instructors::{InstructorProfile, PublicInstructor},
    money::Cents,
    places::places,
    refusal::Refusal,
    store::Cursor,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

const PAGE: Bounds = Bounds { default: 20, max: 100 };
const CURSOR_KIND: &str = "instructors";

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only instructors with an active offering of this service (slug).
    pub service: Option<String>,
    /// Lowest hourly rate, in cents.
    pub min_price: Option<i64>,
    /// Highest hourly rate, in cents.
    pub max_price: Option<i64>,
    /// Only instructors who teach in person in this borough (slug or name).
    pub borough: Option<String>,
    pub cursor: Option<String>,
    /// 1–100, default 20.
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InstructorPage {
    pub items: Vec<PublicInstructor>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

struct Filter {
    service: Option<String>,
    min: Option<Cents>,
    max: Option<Cents>,
    borough: Option<String>,
    after: Option<String>,
    limit: usize,
}

fn price(field: &str, value: Option<i64>) -> ApiResult<Option<Cents>> {
    value
        .map(|v| {
            u32::try_from(v).map(Cents).map_err(|_| {
                ApiError::invalid(field, format!("{field} must be a whole number of cents from 0 to 4294967295"))
            })
        })
        .transpose()
}

fn filter(query: ListQuery, dir: &Directory) -> ApiResult<Filter> {
    let min = price("min_price", query.min_price)?;
    let max = price("max_price", query.max_price)?;
    if let (Some(min), Some(max)) = (min, max)
        && min > max
    {
        return Err(ApiError::invalid("min_price", "min_price must not exceed max_price"));
    }
    let limit = page::limit(query.limit, PAGE)?;
    if let Some(service) = &query.service
        && dir.catalog.service(service).is_none()
    {
        return Err(ApiError::not_found("unknown_service", format!("no service {service:?}")).with_field("service"));
    }
    let borough = match &query.borough {
        None => None,
        Some(text) => Some(
            places()
                .borough(text)
                .map(|b| b.slug.clone())
                .ok_or_else(|| ApiError::invalid("borough", "borough must be one of the five NYC boroughs"))?,
        ),
    };
    let after = match &query.cursor {
        None => None,
        Some(text) => {
            let cursor = Cursor::decode(text)?;
            match (cursor.get("kind"), cursor.get("after")) {
                (Some(CURSOR_KIND), Some(after)) => Some(after.to_owned()),
                _ => return Err(ApiError::invalid("cursor", "cursor belongs to a different listing")),
            }
        }
    };
    Ok(Filter { service: query.service, min, max, borough, after, limit: limit as usize })
}

impl Filter {
    fn matches(&self, profile: &InstructorProfile) -> bool {
        if let Some(borough) = &self.borough
            && !places().covers_borough(&profile.areas, borough)
        {
            return false;
        }
        profile.active_offerings().any(|o| {
            self.service.as_ref().is_none_or(|s| &o.service == s)
                && self.min.is_none_or(|min| o.rate_cents >= min)
                && self.max.is_none_or(|max| o.rate_cents <= max)
                && (self.borough.is_none() || o.offers(instainstru_shared::instructors::LocationType::InPerson))
        })
    }
}

/// Listed instructors, filtered, in a stable order with an opaque cursor.
#[utoipa::path(get, path = "/api/v1/instructors", tag = "instructors", security(()), params(ListQuery),
    responses((status = 200, body = InstructorPage), (status = 400, body = instainstru_shared::http::Problem),
        (status = 404, body = instainstru_shared::http::Problem)))]
pub async fn list(
    State(state): State<AppState>,
    ValidQuery(query): ValidQuery<ListQuery>,
) -> ApiResult<Json<InstructorPage>> {
    let dir = state.directory.get(&state.store, state.clock.now()).await?;
    let filter = filter(query, &dir)?;
    let mut matching = dir
        .listed()
        .filter(|p| filter.after.as_ref().is_none_or(|after| p.id.as_str() > after.as_str()))
        .filter(|p| filter.matches(p));
    let items: Vec<&InstructorProfile> = matching.by_ref().take(filter.limit).collect();
    let next_cursor = match (items.last(), matching.next()) {
        (Some(last), Some(_)) => {
            Some(Cursor::from_pairs([("kind", CURSOR_KIND), ("after", last.id.as_str())]).encode())
        }
        _ => None,
    };
    let now = state.clock.now();
    let items = items
        .into_iter()
        .map(|p| PublicInstructor::new(p, &dir.catalog).with_next_available(dir.next_available(p, now)))
        .collect();
    Ok(Json(InstructorPage { items, next_cursor }))
}

/// One instructor's public profile. Unknown, suspended, deactivated and incomplete
/// instructors are all simply not found.
#[utoipa::path(get, path = "/api/v1/instructors/{id}", tag = "instructors", security(()),
    params(("id" = String, Path, description = "Instructor id (ULID)")),
    responses((status = 200, body = PublicInstructor), (status = 404, body = instainstru_shared::http::Problem)))]
pub async fn profile(
    State(state): State<AppState>,
    IdPath(id): IdPath<InstructorId>,
) -> ApiResult<Json<PublicInstructor>> {
    let not_found = || ApiError::from(Refusal::instructor_not_found());
    let dir = state.directory.get(&state.store, state.clock.now()).await?;
    let profile = dir.instructor(&id).filter(|p| p.is_listed()).ok_or_else(not_found)?;
    let next = dir.next_available(profile, state.clock.now());
    Ok(Json(PublicInstructor::new(profile, &dir.catalog).with_next_available(next)))
}
