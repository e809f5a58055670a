//! The account invariants that rest on conditional writes and transactions, each run
//! against both emulators (dynoxide and moto): one account per email, refresh-token
//! rotation and reuse, sessions ending with a password change or reset, versioned
//! account changes with their audit entries, the user listing's cursor, and the outbox.

use instainstru_shared::{
    accounts::{
        AccountError, AccountStatus, Email, FullName, NewPassword, TimeZoneName, admin, listing, password,
        register::{self, Registration},
        sessions, status, users,
    },
    audit,
    clock::Clock,
    mail::{Mail, MailSender},
    rbac::{Permission, Role},
};
use instainstru_testkit::{Backend, TestEnv};

fn registration(email: &str, role: Role) -> Registration {
    Registration {
        email: Email::parse(email).unwrap(),
        password: NewPassword::parse("password", "Str0ng pass").unwrap(),
        full_name: FullName::parse("full_name", "Pat Doe").unwrap(),
        role,
        time_zone: TimeZoneName::default_zone(),
    }
}

async fn user(env: &TestEnv, email: &str, role: Role) -> instainstru_shared::accounts::User {
    register::register(&env.store, env.clock.now(), registration(email, role)).await.unwrap()
}

#[tokio::test]
async fn one_account_per_email_in_any_case() {
    for backend in Backend::BOTH {
        let env = backend.env().await;
        user(&env, "Pat@Example.com", Role::Instructor).await;
        let again =
            register::register(&env.store, env.clock.now(), registration("pat@EXAMPLE.COM", Role::Student)).await;
        assert!(matches!(again, Err(AccountError::EmailTaken)), "{backend:?}: {again:?}");
        let found = users::find_by_email(&env.store, &Email::parse("PAT@example.com").unwrap()).await.unwrap().unwrap();
        assert_eq!(found.value.roles, [Role::Instructor], "{backend:?}: the first registration stands");
    }
}

#[tokio::test]
async fn refresh_tokens_rotate_and_a_reuse_revokes_the_family() {
    for backend in Backend::BOTH {
        let env = backend.env().await;
        let pat = user(&env, "pat@example.com", Role::Student).await;
        let now = env.clock.now();
        let first = sessions::start(&env.store, now, &pat).await.unwrap();
        let (who, second) = sessions::rotate(&env.store, now, &first.token).await.unwrap();
        assert_eq!((who.id.as_str(), second.session_id.as_str()), (pat.id.as_str(), first.session_id.as_str()));
        let (_, third) = sessions::rotate(&env.store, now, &second.token).await.unwrap();
        let reuse = sessions::rotate(&env.store, now, &first.token).await;
        assert!(matches!(reuse, Err(AccountError::RefreshReused)), "{backend:?}: {reuse:?}");
        let after = sessions::rotate(&env.store, now, &third.token).await;
        assert!(matches!(after, Err(AccountError::SessionEnded)), "{backend:?}: {after:?}");
        let junk = sessions::rotate(&env.store, now, "not a token").await;
        assert!(matches!(junk, Err(AccountError::RefreshInvalid)), "{backend:?}");
    }
}

#[tokio::test]
async fn password_change_ends_other_sessions_and_reset_ends_all() {
    for backend in Backend::BOTH {
        let env = backend.env().await;
        let pat = user(&env, "pat@example.com", Role::Student).await;
        let now = env.clock.now();
        let mine = sessions::start(&env.store, now, &pat).await.unwrap();
        let other = sessions::start(&env.store, now, &pat).await.unwrap();
        let new = NewPassword::parse("new_password", "N3w password").unwrap();
        password::change(&env.store, now, &pat.id, &mine.session_id, "Str0ng pass", &new).await.unwrap();
        assert!(sessions::rotate(&env.store, now, &other.token).await.is_err(), "{backend:?}");
        let (_, mine) = sessions::rotate(&env.store, now, &mine.token).await.unwrap();

        let (_, token) =
            password::request_reset(&env.store, now, &Email::parse("pat@example.com").unwrap()).await.unwrap().unwrap();
        let reset = NewPassword::parse("new_password", "R3set password").unwrap();
        password::confirm_reset(&env.store, now, &token, &reset).await.unwrap();
        let spent = password::confirm_reset(&env.store, now, &token, &reset).await;
        assert!(matches!(spent, Err(AccountError::ResetTokenInvalid)), "{backend:?}: {spent:?}");
        assert!(
            sessions::rotate(&env.store, now, &mine.token).await.is_err(),
            "{backend:?}: the reset ends every session"
        );
    }
}

#[tokio::test]
async fn admin_changes_are_versioned_audited_and_move_the_profile() {
    for backend in Backend::BOTH {
        let env = backend.env().await;
        let pat = user(&env, "pat@example.com", Role::Instructor).await;
        let boss = user(&env, "boss@example.com", Role::Student).await;
        let now = env.clock.now();
        let change =
            status::admin_set(&env.store, now, &boss.id, &pat.id, status::StatusAction::Suspend).await.unwrap();
        assert_eq!(change.user.status, AccountStatus::Suspended, "{backend:?}");
        let profile = instainstru_shared::instructors::editing::get(&env.store, &pat.id.as_instructor()).await.unwrap();
        assert_eq!(profile.value.status, AccountStatus::Suspended, "{backend:?}");
        let later = now + jiff::SignedDuration::from_secs(1);
        let revoke = admin::PermissionChange::Revoke(Permission::ManageServices);
        let change = admin::change_permission(&env.store, later, &boss.id, &pat.id, revoke).await.unwrap();
        assert!(!change.user.permissions().contains(&Permission::ManageServices), "{backend:?}");
        let stored = users::get(&env.store, &pat.id).await.unwrap().unwrap();
        assert_eq!(stored.version, Some(3), "{backend:?}: registered at 1, two changes");

        let page = audit::list(&env.store, None, None, 10).await.unwrap();
        let actions: Vec<_> = page.items.iter().map(|e| e.action).collect();
        assert_eq!(actions, [audit::AuditAction::PermissionRevoke, audit::AuditAction::UserSuspend], "{backend:?}");
        let about = audit::list(&env.store, Some(pat.id.as_str()), None, 1).await.unwrap();
        assert_eq!(about.items.len(), 1, "{backend:?}");
        let rest = audit::list(&env.store, Some(pat.id.as_str()), about.next, 1).await.unwrap();
        assert_eq!(rest.items[0].action, audit::AuditAction::UserSuspend, "{backend:?}");
        assert_eq!(rest.items[0].before["status"], "active", "{backend:?}");
    }
}

#[tokio::test]
async fn the_user_listing_resumes_from_its_cursor() {
    for backend in Backend::BOTH {
        let env = backend.env().await;
        for n in 0..7 {
            env.clock.advance(jiff::SignedDuration::from_secs(1));
            let role = if n % 2 == 0 { Role::Student } else { Role::Instructor };
            user(&env, &format!("user{n}@example.com"), role).await;
        }
        let filter = listing::UserFilter { role: Some(Role::Student), ..Default::default() };
        let (first, cursor) = listing::list(&env.store, &filter, None, 2).await.unwrap();
        let names: Vec<_> = first.iter().map(|u| u.email.as_str()).collect();
        assert_eq!(names, ["user6@example.com", "user4@example.com"], "{backend:?}: newest first");
        let (rest, end) = listing::list(&env.store, &filter, cursor, 10).await.unwrap();
        let names: Vec<_> = rest.iter().map(|u| u.email.as_str()).collect();
        assert_eq!(names, ["user2@example.com", "user0@example.com"], "{backend:?}");
        assert!(end.is_none(), "{backend:?}");
    }
}

#[tokio::test]
async fn the_outbox_keeps_mail_newest_first() {
    for backend in Backend::BOTH {
        let env = backend.env().await;
        for n in 0..3 {
            env.clock.advance(jiff::SignedDuration::from_secs(1));
            let mail = Mail { to: format!("r{n}@example.com"), subject: "Hi".into(), text: format!("mail {n}") };
            env.outbox.send(&mail).await.unwrap();
        }
        let recent = env.outbox.recent(2).await.unwrap();
        let texts: Vec<_> = recent.iter().map(|m| m.mail.text.as_str()).collect();
        assert_eq!(texts, ["mail 2", "mail 1"], "{backend:?}");
    }
}
