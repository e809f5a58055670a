//! The permission matrix: every route of every function × {guest, student, instructor,
//! admin, a student with the route's permission revoked, a student granted it}, expected
//! (guest-or-permission routes let guests through and hold signed-in callers to it),
//! statuses derived from the routes' own declarations and checked with real requests.
//!
//! Nothing here lists routes by hand: routes other engineers add are covered as soon as
//! they are declared. Path parameters get a syntactically valid dummy (a fresh ULID), no
//! body is sent, and callers are fresh user ids, so a permitted request ends in some
//! 4xx/2xx of the handler's own (404, 400, 415…) but never 401 or 403.

use instainstru_local::functions::http_functions;
use instainstru_shared::{
    http::{Access, access_table},
    ids,
    rbac::{Permission, Role},
};
use instainstru_testkit::{TestEnv, http_test::Call};

/// The route template with every `{param}` filled with a fresh ULID.
fn concrete(path: &str) -> String {
    path.split('/')
        .map(
            |segment| {
                if segment.starts_with('{') && segment.ends_with('}') { ids::new_id() } else { segment.to_owned() }
            },
        )
        .collect::<Vec<_>>()
        .join("/")
}

struct Identity {
    name: &'static str,
    token: Option<String>,
    permissions: Vec<Permission>,
}

fn identities(env: &TestEnv, permission: Option<Permission>) -> Vec<Identity> {
    let user = |name, roles: &[Role], grants: &[Permission], revokes: &[Permission]| {
        let permissions = instainstru_shared::rbac::effective_permissions(
            roles,
            &grants.iter().copied().collect(),
            &revokes.iter().copied().collect(),
        );
        Identity {
            name,
            token: Some(env.token(&ids::UserId::generate(), roles, grants, revokes)),
            permissions: permissions.into_iter().collect(),
        }
    };
    // For a public route any permission will do for the revoke/grant variants.
    let p = permission.unwrap_or(Permission::ViewInstructors);
    vec![
        Identity { name: "guest", token: None, permissions: Vec::new() },
        user("student", &[Role::Student], &[], &[]),
        user("instructor", &[Role::Instructor], &[], &[]),
        user("admin", &[Role::Admin], &[], &[]),
        user("student with one revoke", &[Role::Student], &[], &[p]),
        user("student with one grant", &[Role::Student], &[p], &[]),
    ]
}

#[tokio::test]
async fn every_route_answers_every_identity_as_its_declaration_says() {
    let env = TestEnv::seeded().await;
    let mut checked = 0;
    let mut protected = 0;
    let mut failures = Vec::new();
    for function in http_functions() {
        let table = access_table((function.api)()).unwrap_or_else(|e| panic!("{}: {e}", function.binary()));
        let router = (function.router)(env.state.clone());
        let mut routes: Vec<_> = table.routes().map(|(m, p, a)| (m.clone(), p.to_owned(), a)).collect();
        routes.sort_by(|a, b| (a.1.as_str(), a.0.as_str()).cmp(&(b.1.as_str(), b.0.as_str())));
        for (method, path, access) in routes {
            let (permission, guests_allowed) = match access {
                Access::Public => (None, true),
                Access::Requires(p) => (Some(p), false),
                Access::GuestOrRequires(p) => (Some(p), true),
            };
            protected += usize::from(permission.is_some());
            for identity in identities(&env, permission) {
                let uri = concrete(&path);
                let mut call = Call::new(method.as_str(), &uri).client_ip("192.0.2.1");
                if let Some(token) = &identity.token {
                    call = call.token(token);
                }
                let status = call.send(&router).await.status;
                let expected: &[u16] = match permission {
                    None => &[],
                    Some(_) if identity.token.is_none() && guests_allowed => &[],
                    Some(_) if identity.token.is_none() => &[401],
                    Some(p) if !identity.permissions.contains(&p) => &[403],
                    Some(_) => &[],
                };
                let ok = if expected.is_empty() { status != 401 && status != 403 } else { expected.contains(&status) };
                if !ok {
                    let want =
                        if expected.is_empty() { "neither 401 nor 403".to_owned() } else { format!("{expected:?}") };
                    failures.push(format!(
                        "{} {method} {path} as {}: {status}, expected {want}",
                        function.binary(),
                        identity.name
                    ));
                }
                checked += 1;
            }
        }
    }
    assert!(failures.is_empty(), "{} of {checked} checks failed:\n{}", failures.len(), failures.join("\n"));
    // The matrix is not vacuous: the accounts and admin routes alone give this many.
    assert!(protected >= 22, "only {protected} protected routes found");
    assert!(checked >= 6 * 40, "only {checked} checks");
}
