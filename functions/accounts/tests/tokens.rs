//! Token attacks, each through a real route: every forged, misaddressed, stale or
//! tampered access token is a 401, and a deactivated user's refresh token is dead.

mod common;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use common::*;
use instainstru_shared::{
    auth::tokens::{ACCESS_TOKEN_SECONDS, AUDIENCE, AccessClaims, ISSUER},
    clock::Clock,
    rbac::{Permission, Role},
};
use instainstru_testkit::{TestEnv, http_test::Call};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::json;

fn claims(env: &TestEnv, user_id: &str) -> AccessClaims {
    let now = env.clock.now().as_second();
    AccessClaims {
        iss: ISSUER.into(),
        aud: AUDIENCE.into(),
        sub: user_id.into(),
        iat: now,
        nbf: now,
        exp: now + ACCESS_TOKEN_SECONDS,
        jti: "j".into(),
        sid: "s".into(),
        roles: vec![Role::Student],
        perms: Role::Student.permissions().to_vec(),
    }
}

fn b64(value: &serde_json::Value) -> String {
    URL_SAFE_NO_PAD.encode(value.to_string())
}

async fn assert_rejected(env: &TestEnv, token: &str, code: &str, what: &str) {
    let res = send(env, Call::get("/api/v1/me").token(token)).await;
    assert_eq!(res.status, 401, "{what}: {}", res.text());
    assert_eq!(res.json()["code"], code, "{what}");
}

#[tokio::test]
async fn forged_and_misaddressed_access_tokens_are_401() {
    let env = TestEnv::new().await;
    let (access, _, id) = registered(&env, "target@example.com", "student").await;
    assert_eq!(me(&env, &access).await.status, 200, "the genuine token works");
    let good = claims(&env, &id);
    assert_eq!(me(&env, &env.signer.sign(&good).unwrap()).await.status, 200, "so do well-formed ones we sign");

    // alg: none, no signature.
    let none =
        format!("{}.{}.", b64(&json!({ "alg": "none", "typ": "at+jwt" })), b64(&serde_json::to_value(&good).unwrap()));
    assert_rejected(&env, &none, "invalid_token", "alg none").await;

    // HS256 keyed with the public key (the classic algorithm-confusion attack).
    let mut header = Header::new(Algorithm::HS256);
    header.typ = Some("at+jwt".into());
    let hs = jsonwebtoken::encode(&header, &good, &EncodingKey::from_secret(env.keys.public_pem.as_bytes())).unwrap();
    assert_rejected(&env, &hs, "invalid_token", "HS256 with the public key").await;

    let wrong_iss = AccessClaims { iss: "someone-else".into(), ..good.clone() };
    assert_rejected(&env, &env.signer.sign(&wrong_iss).unwrap(), "invalid_token", "wrong iss").await;
    let wrong_aud = AccessClaims { aud: "another-api".into(), ..good.clone() };
    assert_rejected(&env, &env.signer.sign(&wrong_aud).unwrap(), "invalid_token", "wrong aud").await;

    let now = env.clock.now().as_second();
    let expired = AccessClaims { iat: now - 3600, nbf: now - 3600, exp: now - 2700, ..good.clone() };
    assert_rejected(&env, &env.signer.sign(&expired).unwrap(), "token_expired", "expired").await;
    let early = AccessClaims { iat: now, nbf: now + 600, exp: now + 900, ..good.clone() };
    assert_rejected(&env, &env.signer.sign(&early).unwrap(), "invalid_token", "not yet valid").await;
    let too_long = AccessClaims { exp: now + 86_400, ..good.clone() };
    assert_rejected(&env, &env.signer.sign(&too_long).unwrap(), "invalid_token", "a life we never issue").await;

    // Tampered payload: the student makes themselves admin, keeping the signature.
    let parts: Vec<&str> = access.split('.').collect();
    let mut payload: serde_json::Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    payload["roles"] = json!(["admin"]);
    payload["perms"] = json!(Permission::ALL);
    let tampered = format!("{}.{}.{}", parts[0], b64(&payload), parts[2]);
    assert_rejected(&env, &tampered, "invalid_token", "tampered payload").await;

    // Wrong token type in the header (an ID token, say).
    let mut jwt = Header::new(Algorithm::EdDSA);
    jwt.typ = Some("JWT".into());
    let key = EncodingKey::from_ed_pem(env.keys.private_pem.as_bytes()).unwrap();
    assert_rejected(&env, &jsonwebtoken::encode(&jwt, &good, &key).unwrap(), "invalid_token", "typ JWT").await;

    // Another key altogether.
    let other = instainstru_shared::auth::KeyPair::generate().unwrap();
    let foreign = instainstru_shared::auth::TokenSigner::from_pem(&other.private_pem).unwrap().sign(&good).unwrap();
    assert_rejected(&env, &foreign, "invalid_token", "another key").await;

    for junk in ["", "abc", "a.b.c", &access[..access.len() - 2]] {
        assert_rejected(&env, junk, "invalid_token", "junk").await;
    }
    // A bad token is a 401 even where no token is needed: the client thinks it is signed in.
    let res =
        send(&env, Call::post("/api/v1/auth/password-reset").token(&tampered).json(json!({ "email": "a@b.co" }))).await;
    res.assert_problem(401, "invalid_token");
}

#[tokio::test]
async fn a_refresh_token_of_a_user_deactivated_since_is_401() {
    let env = TestEnv::new().await;
    let (access, refresh_token, _) = registered(&env, "leaving@example.com", "instructor").await;
    let (_, other_session) = logged_in(&env, "leaving@example.com", PASSWORD).await;
    let res = send(&env, Call::post("/api/v1/instructors/me/account-status/deactivate").token(&access)).await;
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.json()["status"], "deactivated");
    refresh(&env, &refresh_token).await.assert_problem(401, "session_ended");
    refresh(&env, &other_session).await.assert_problem(401, "session_ended");
    // The still-unexpired access token can no longer act on the account.
    me(&env, &access).await.assert_problem(403, "account_deactivated");
    login(&env, "leaving@example.com", PASSWORD).await.assert_problem(403, "account_deactivated");
}
