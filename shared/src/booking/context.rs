//! What a booking decision reads, in one round trip: the instructor's profile, their
//! schedule, the student's account and (on create) the idempotency record, by one
//! BatchGetItem (strongly consistent).

use serde_json::Value;

use super::idempotency::IdempotencyItem;
use crate::{
    accounts::{User, UserItem},
    availability::{Schedule, stored::AvailabilityItem},
    ids::{InstructorId, UserId},
    instructors::{InstructorProfile, ProfileItem},
    store::{Key, Record, Store, StoreError, keys},
};

#[derive(Debug, Default)]
pub struct Context {
    pub profile: Option<InstructorProfile>,
    pub schedule: Schedule,
    pub student: Option<User>,
    pub prior: Option<Record<IdempotencyItem>>,
}

fn decode<T: serde::de::DeserializeOwned>(item: Value) -> Result<T, StoreError> {
    serde_json::from_value(item).map_err(|e| StoreError::Corrupt(e.to_string()))
}

pub async fn load(
    store: &Store,
    instructor_id: &InstructorId,
    student_id: &UserId,
    idempotency: Option<&Key>,
) -> Result<Context, StoreError> {
    let profile_key = keys::instructor_profile(instructor_id);
    let schedule_key = crate::availability::stored::key(instructor_id);
    let student_key = keys::user(student_id);
    let mut wanted = vec![profile_key.clone(), schedule_key.clone(), student_key.clone()];
    wanted.extend(idempotency.cloned());
    let mut context = Context::default();
    for item in store.get_many::<Value>(&wanted).await? {
        let key = Key::new(
            item.get("PK").and_then(Value::as_str).unwrap_or_default(),
            item.get("SK").and_then(Value::as_str).unwrap_or_default(),
        );
        if key == profile_key {
            context.profile = Some(decode::<Record<ProfileItem>>(item)?.data.profile);
        } else if key == schedule_key {
            context.schedule = decode::<Record<AvailabilityItem>>(item)?.data.schedule;
        } else if key == student_key {
            context.student = Some(decode::<Record<UserItem>>(item)?.data.user);
        } else if idempotency == Some(&key) {
            context.prior = Some(decode(item)?);
        }
    }
    Ok(context)
}
