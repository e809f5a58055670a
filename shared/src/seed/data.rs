//! Parsing the seed files (embedded at compile time) into typed values.

use std::collections::{BTreeMap, HashSet};

use serde::Deserialize;

use super::SeedError;
use crate::{
    accounts::AccountStatus,
    availability::{BookingSettings, WeeklyTemplate, Window, parse_weekday},
    catalog::{Catalog, Category, Service},
    instructors::{AgeGroup, InstructorProfile, Level, LocationType, MAX_RATE, MIN_RATE, Offering, valid_duration},
    money::Cents,
};

const CATEGORIES: &str = include_str!("../../seed/categories.yaml");
const SERVICES: &str = include_str!("../../seed/services.yaml");
const PATTERNS: &str = include_str!("../../seed/availability_patterns.yaml");
const INSTRUCTORS: &str = include_str!("../../seed/instructors.yaml");
const USERS: &str = include_str!("../../seed/users.yaml");
pub(super) const FILES: [&str; 5] = [CATEGORIES, SERVICES, PATTERNS, INSTRUCTORS, USERS];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedUser {
    pub email: String,
    pub full_name: String,
    #[serde(default)]
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedPattern {
    pub description: String,
    /// weekday name → windows as ["HH:MM", "HH:MM"].
    pub days: BTreeMap<String, Vec<[String; 2]>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedOffering {
    pub service: String,
    pub rate_cents: u32,
    pub durations: Vec<u16>,
    #[serde(default)]
    pub levels: Vec<Level>,
    #[serde(default)]
    pub age_groups: Vec<AgeGroup>,
    pub location_types: Vec<LocationType>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub equipment: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedInstructor {
    pub email: String,
    pub full_name: String,
    #[serde(default)]
    pub phone: Option<String>,
    pub status: AccountStatus,
    pub bio: String,
    pub years_experience: u8,
    pub areas: Vec<String>,
    pub availability_pattern: String,
    #[serde(default)]
    pub booking: Option<BookingSettings>,
    pub offerings: Vec<SeedOffering>,
}

#[derive(Debug, Clone)]
pub struct SeedData {
    pub catalog: Catalog,
    pub patterns: BTreeMap<String, SeedPattern>,
    pub instructors: Vec<SeedInstructor>,
    pub students: Vec<SeedUser>,
    pub admins: Vec<SeedUser>,
}

#[derive(Deserialize)]
struct CategoriesFile {
    categories: Vec<Category>,
}
#[derive(Deserialize)]
struct ServicesFile {
    services: Vec<Service>,
}
#[derive(Deserialize)]
struct PatternsFile {
    patterns: BTreeMap<String, SeedPattern>,
}
#[derive(Deserialize)]
struct InstructorsFile {
    instructors: Vec<SeedInstructor>,
}
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UsersFile {
    students: Vec<SeedUser>,
    admins: Vec<SeedUser>,
}

fn parse<T: serde::de::DeserializeOwned>(name: &str, text: &str) -> Result<T, String> {
    serde_yaml::from_str(text).map_err(|e| format!("seed/{name}: {e}"))
}

impl SeedData {
    pub fn demo() -> Result<Self, String> {
        let categories: CategoriesFile = parse("categories.yaml", CATEGORIES)?;
        let services: ServicesFile = parse("services.yaml", SERVICES)?;
        let patterns: PatternsFile = parse("availability_patterns.yaml", PATTERNS)?;
        let instructors: InstructorsFile = parse("instructors.yaml", INSTRUCTORS)?;
        let users: UsersFile = parse("users.yaml", USERS)?;
        let data = Self {
            catalog: Catalog::new(categories.categories, services.services),
            patterns: patterns.patterns,
            instructors: instructors.instructors,
            students: users.students,
            admins: users.admins,
        };
        data.check()?;
        Ok(data)
    }

    /// Cross-file consistency: every reference resolves, every value is in range.
    fn check(&self) -> Result<(), String> {
        let categories: HashSet<&str> = self.catalog.categories.iter().map(|c| c.slug.as_str()).collect();
        for service in &self.catalog.services {
            if !categories.contains(service.category.as_str()) {
                return Err(format!("service {} has unknown category {}", service.slug, service.category));
            }
            if let Some(missing) = service.related.iter().find(|r| self.catalog.service(r).is_none()) {
                return Err(format!("service {} relates to unknown {missing}", service.slug));
            }
        }
        for (name, pattern) in &self.patterns {
            pattern.template().map_err(|e| format!("pattern {name}: {e}"))?;
        }
        for instructor in &self.instructors {
            if !self.patterns.contains_key(&instructor.availability_pattern) {
                return Err(format!("{} has unknown pattern {}", instructor.email, instructor.availability_pattern));
            }
            if let Some(area) = instructor.areas.iter().find(|a| crate::places::places().canonical_area(a).is_none()) {
                return Err(format!("{} serves unknown area {area}", instructor.email));
            }
            let mut seen = HashSet::new();
            for offering in &instructor.offerings {
                let service = self
                    .catalog
                    .service(&offering.service)
                    .ok_or_else(|| format!("{} offers unknown service {}", instructor.email, offering.service))?;
                if !seen.insert(&offering.service) {
                    return Err(format!("{} offers {} twice", instructor.email, offering.service));
                }
                let rate = Cents(offering.rate_cents);
                if rate < MIN_RATE || rate > MAX_RATE {
                    return Err(format!("{} {}: rate out of range", instructor.email, offering.service));
                }
                if offering.durations.is_empty() || !offering.durations.iter().all(|d| valid_duration(*d)) {
                    return Err(format!("{} {}: invalid durations", instructor.email, offering.service));
                }
                if offering.location_types.contains(&LocationType::Online) && !service.online_capable {
                    return Err(format!("{} {}: online for an in-person-only service", instructor.email, service.slug));
                }
            }
        }
        Ok(())
    }
}

impl SeedPattern {
    /// The pattern as a weekly template.
    pub fn template(&self) -> Result<WeeklyTemplate, String> {
        let mut days = Vec::new();
        for (name, windows) in &self.days {
            let day = parse_weekday(name).ok_or_else(|| format!("unknown weekday {name}"))?;
            let windows = windows
                .iter()
                .map(|[start, end]| Window::parse(start, end).map_err(|e| format!("{name} {start}-{end}: {e}")))
                .collect::<Result<Vec<_>, _>>()?;
            days.push((day, windows));
        }
        WeeklyTemplate::from_days(days).map_err(|e| e.to_string())
    }
}

impl SeedInstructor {
    pub fn user(&self) -> SeedUser {
        SeedUser { email: self.email.clone(), full_name: self.full_name.clone(), phone: self.phone.clone() }
    }

    pub fn profile(&self, _data: &SeedData) -> Result<InstructorProfile, SeedError> {
        Ok(InstructorProfile {
            id: super::instructor_id(&self.email),
            full_name: self.full_name.clone(),
            bio: self.bio.clone(),
            years_experience: self.years_experience,
            areas: self.areas.clone(),
            settings: self.booking.unwrap_or_default(),
            offerings: self
                .offerings
                .iter()
                .map(|o| Offering {
                    id: super::offering_id(&self.email, &o.service),
                    service: o.service.clone(),
                    rate_cents: Cents(o.rate_cents),
                    durations: o.durations.clone(),
                    levels: o.levels.clone(),
                    age_groups: o.age_groups.clone(),
                    location_types: o.location_types.clone(),
                    description: o.description.clone(),
                    equipment: o.equipment.clone(),
                    active: true,
                })
                .collect(),
            status: self.status,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_data_parses_and_has_the_reference_counts() {
        let data = SeedData::demo().unwrap();
        assert_eq!(data.catalog.categories.len(), 7);
        assert_eq!(data.catalog.services.len(), 250);
        assert_eq!(data.instructors.len(), 68);
        assert_eq!(data.instructors.iter().filter(|i| i.status == AccountStatus::Suspended).count(), 2);
        assert_eq!(data.instructors.iter().filter(|i| i.status == AccountStatus::Deactivated).count(), 1);
        assert_eq!(data.patterns.len(), 8);
        assert_eq!(data.admins.len(), 1);
        assert!(data.students.len() >= 5);
    }

    #[test]
    fn seeded_ids_are_deterministic_and_unique() {
        let data = SeedData::demo().unwrap();
        let ids: HashSet<_> = data.instructors.iter().map(|i| super::super::user_id(&i.email)).collect();
        assert_eq!(ids.len(), 68);
        assert_eq!(super::super::user_id("Sarah.Chen@example.com"), super::super::user_id("sarah.chen@example.com"));
    }
}
