//! Roles and the thirty permissions (PRODUCT.md §2).
//!
//! Effective permissions = the union of the roles' permissions, plus per-user grants,
//! minus per-user revokes. A revoke wins over a role: that is the fix the old version
//! needed.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

macro_rules! permissions {
    ($($variant:ident => $name:literal),+ $(,)?) => {
        /// One of the thirty permissions. The wire name is the snake_case string.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum Permission { $($variant),+ }

        impl Permission {
            pub const ALL: &'static [Permission] = &[$(Permission::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $(Permission::$variant => $name),+ }
            }

            pub fn parse(name: &str) -> Option<Self> {
                match name { $($name => Some(Permission::$variant),)+ _ => None }
            }
        }
    };
}

permissions! {
    // shared
    ManageOwnProfile => "manage_own_profile",
    ViewOwnBookings => "view_own_bookings",
    ViewOwnSearchHistory => "view_own_search_history",
    ChangeOwnPassword => "change_own_password",
    DeleteOwnAccount => "delete_own_account",
    // student
    ViewInstructors => "view_instructors",
    ViewInstructorAvailability => "view_instructor_availability",
    CreateBookings => "create_bookings",
    CancelOwnBookings => "cancel_own_bookings",
    ViewBookingDetails => "view_booking_details",
    // instructor
    ManageInstructorProfile => "manage_instructor_profile",
    ManageServices => "manage_services",
    ManageAvailability => "manage_availability",
    ViewIncomingBookings => "view_incoming_bookings",
    CompleteBookings => "complete_bookings",
    CancelStudentBookings => "cancel_student_bookings",
    ViewOwnInstructorAnalytics => "view_own_instructor_analytics",
    SuspendOwnInstructorAccount => "suspend_own_instructor_account",
    // admin
    ViewAllUsers => "view_all_users",
    ManageUsers => "manage_users",
    ViewSystemAnalytics => "view_system_analytics",
    ExportAnalytics => "export_analytics",
    ViewAllBookings => "view_all_bookings",
    ManageAllBookings => "manage_all_bookings",
    AccessMonitoring => "access_monitoring",
    ModerateContent => "moderate_content",
    ViewFinancials => "view_financials",
    ManageFinancials => "manage_financials",
    ManageRoles => "manage_roles",
    ManagePermissions => "manage_permissions",
}

impl std::fmt::Display for Permission {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Student,
    Instructor,
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Student, Role::Instructor, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Student => "student",
            Role::Instructor => "instructor",
            Role::Admin => "admin",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Role::ALL.into_iter().find(|r| r.as_str() == name)
    }

    pub fn permissions(self) -> &'static [Permission] {
        use Permission::*;
        const SHARED: [Permission; 5] =
            [ManageOwnProfile, ViewOwnBookings, ViewOwnSearchHistory, ChangeOwnPassword, DeleteOwnAccount];
        const STUDENT: [Permission; 10] = [
            SHARED[0],
            SHARED[1],
            SHARED[2],
            SHARED[3],
            SHARED[4],
            ViewInstructors,
            ViewInstructorAvailability,
            CreateBookings,
            CancelOwnBookings,
            ViewBookingDetails,
        ];
        const INSTRUCTOR: [Permission; 13] = [
            SHARED[0],
            SHARED[1],
            SHARED[2],
            SHARED[3],
            SHARED[4],
            ManageInstructorProfile,
            ManageServices,
            ManageAvailability,
            ViewIncomingBookings,
            CompleteBookings,
            CancelStudentBookings,
            ViewOwnInstructorAnalytics,
            SuspendOwnInstructorAccount,
        ];
        match self {
            Role::Student => &STUDENT,
            Role::Instructor => &INSTRUCTOR,
            Role::Admin => Permission::ALL,
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Roles ∪ grants − revokes.
pub fn effective_permissions(
    roles: &[Role],
    grants: &BTreeSet<Permission>,
    revokes: &BTreeSet<Permission>,
) -> BTreeSet<Permission> {
    roles
        .iter()
        .flat_map(|r| r.permissions().iter().copied())
        .chain(grants.iter().copied())
        .filter(|p| !revokes.contains(p))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_are_thirty_permissions_and_admin_holds_all() {
        assert_eq!(Permission::ALL.len(), 30);
        let unique: BTreeSet<_> = Permission::ALL.iter().collect();
        assert_eq!(unique.len(), 30);
        assert_eq!(Role::Admin.permissions().len(), 30);
        for p in Permission::ALL {
            assert_eq!(Permission::parse(p.as_str()), Some(*p));
        }
    }

    #[test]
    fn role_sets_match_the_product_table() {
        assert_eq!(Role::Student.permissions().len(), 10);
        assert_eq!(Role::Instructor.permissions().len(), 13);
        assert!(Role::Student.permissions().contains(&Permission::CreateBookings));
        assert!(!Role::Instructor.permissions().contains(&Permission::CreateBookings));
        assert!(Role::Instructor.permissions().contains(&Permission::ManageAvailability));
        let student: BTreeSet<_> = Role::Student.permissions().iter().collect();
        let instructor: BTreeSet<_> = Role::Instructor.permissions().iter().collect();
        assert_eq!(student.intersection(&instructor).count(), 5, "only the shared group overlaps");
    }

    #[test]
    fn revoke_removes_a_role_granted_permission_and_grant_adds() {
        let revokes = BTreeSet::from([Permission::CreateBookings]);
        let grants = BTreeSet::from([Permission::ViewSystemAnalytics]);
        let eff = effective_permissions(&[Role::Student], &grants, &revokes);
        assert!(!eff.contains(&Permission::CreateBookings));
        assert!(eff.contains(&Permission::ViewSystemAnalytics));
        assert!(eff.contains(&Permission::ViewInstructors));
        assert_eq!(eff.len(), 10);
    }
}
