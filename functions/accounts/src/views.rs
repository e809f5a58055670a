//! What this function answers with.

use std::collections::BTreeSet;

use instainstru_shared::{
    accounts::{AccountStatus, User, sessions::IssuedRefresh},
    auth::tokens::{ACCESS_TOKEN_SECONDS, AccessClaims},
    availability::BookingSettings,
    instructors::{AgeGroup, InstructorProfile, Level, LocationType, Offering},
    money::{CURRENCY, Cents},
    rbac::{Permission, Role},
};
use serde::Serialize;
use utoipa::ToSchema;

/// The signed-in user, as `GET /me` shows them.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub id: String,
    pub email: String,
    pub full_name: String,
    pub roles: Vec<Role>,
    /// Effective permissions: the roles' plus grants minus revokes.
    pub permissions: BTreeSet<Permission>,
    pub time_zone: String,
    pub status: AccountStatus,
    /// RFC 3339 UTC.
    pub created_at: String,
}

impl Me {
    pub fn new(user: &User) -> Self {
        Self {
            id: String::from(&user.id),
            email: user.email.clone(),
            full_name: user.full_name.clone(),
            roles: user.roles.clone(),
            permissions: user.permissions(),
            time_zone: user.time_zone.clone(),
            status: user.status,
            created_at: user.created_at.clone(),
        }
    }
}

/// A signed-in session: a short-lived access token and the refresh token that renews it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Tokens {
    /// EdDSA JWT; send as `Authorization: Bearer <access_token>`.
    pub access_token: String,
    pub token_type: &'static str,
    /// Seconds until the access token expires (at most 900).
    pub expires_in: i64,
    /// Opaque; exchange it at `POST /auth/refresh` (each use returns a new one, and the
    /// old one must never be used again).
    pub refresh_token: String,
    /// RFC 3339 UTC: when the refresh token expires if unused.
    pub refresh_expires_at: String,
    pub user: Me,
}

impl Tokens {
    pub fn new(access_token: String, claims: &AccessClaims, refresh: IssuedRefresh, user: &User) -> Self {
        Self {
            access_token,
            token_type: "Bearer",
            expires_in: (claims.exp - claims.iat).min(ACCESS_TOKEN_SECONDS),
            refresh_token: refresh.token,
            refresh_expires_at: refresh.expires_at.to_string(),
            user: Me::new(user),
        }
    }
}

/// One of the instructor's own offerings (inactive ones included).
#[derive(Debug, Serialize, ToSchema)]
pub struct OwnOffering {
    pub id: String,
    pub service: String,
    pub rate_cents: Cents,
    pub currency: &'static str,
    pub durations: Vec<u16>,
    pub levels: Vec<Level>,
    pub age_groups: Vec<AgeGroup>,
    pub location_types: Vec<LocationType>,
    pub description: String,
    pub equipment: Vec<String>,
    pub active: bool,
}

impl OwnOffering {
    pub fn new(offering: &Offering) -> Self {
        Self {
            id: String::from(&offering.id),
            service: offering.service.clone(),
            rate_cents: offering.rate_cents,
            currency: CURRENCY,
            durations: offering.durations.clone(),
            levels: offering.levels.clone(),
            age_groups: offering.age_groups.clone(),
            location_types: offering.location_types.clone(),
            description: offering.description.clone(),
            equipment: offering.equipment.clone(),
            active: offering.active,
        }
    }
}

/// The instructor's own profile, with what still keeps it out of listings.
#[derive(Debug, Serialize, ToSchema)]
pub struct OwnProfile {
    pub id: String,
    pub full_name: String,
    pub bio: String,
    pub years_experience: u8,
    pub areas: Vec<String>,
    pub booking_settings: BookingSettings,
    pub offerings: Vec<OwnOffering>,
    pub status: AccountStatus,
    /// Whether students can find and book this profile now.
    pub listed: bool,
    /// What is missing for that: `bio`, `areas`, `active_offering`, `active_account`.
    pub missing: Vec<&'static str>,
    /// The version `If-Match` must name (also the `ETag`).
    pub version: u64,
}

impl OwnProfile {
    pub fn new(profile: &InstructorProfile, version: u64) -> Self {
        let mut missing = Vec::new();
        if !instainstru_shared::instructors::BIO_LENGTH.contains(&profile.bio.chars().count()) {
            missing.push("bio");
        }
        if profile.areas.is_empty() {
            missing.push("areas");
        }
        if profile.active_offerings().next().is_none() {
            missing.push("active_offering");
        }
        if profile.status != AccountStatus::Active {
            missing.push("active_account");
        }
        Self {
            id: String::from(&profile.id),
            full_name: profile.full_name.clone(),
            bio: profile.bio.clone(),
            years_experience: profile.years_experience,
            areas: profile.areas.clone(),
            booking_settings: profile.settings,
            offerings: profile.offerings.iter().map(OwnOffering::new).collect(),
            status: profile.status,
            listed: profile.is_listed(),
            missing,
            version,
        }
    }
}
