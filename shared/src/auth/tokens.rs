//! Access tokens: EdDSA-signed JWTs, at most 15 minutes long.
//!
//! Verification is strict: the algorithm is pinned (so `alg: none` and HS256-with-the-
//! public-key tricks fail), the header `typ` must be `at+jwt` (RFC 9068), and `iss`, `aud`,
//! `exp`, `nbf` and `sub` must all be present and right. `exp`/`nbf` are checked against
//! the injected [`Clock`], not the system time, so tests can fix "now".

use std::collections::BTreeSet;

use jiff::Timestamp;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, decode_header, encode};
use serde::{Deserialize, Serialize};

use super::Caller;
use crate::{
    clock::Clock,
    ids::UserId,
    rbac::{Permission, Role},
};

pub const ISSUER: &str = "instainstru-accounts";
pub const AUDIENCE: &str = "instainstru-api";
pub const ACCESS_TOKEN_TYPE: &str = "at+jwt";
/// PRODUCT.md §1: access tokens live at most 15 minutes.
pub const ACCESS_TOKEN_SECONDS: i64 = 15 * 60;
/// Tolerated clock skew between Lambda instances.
const LEEWAY_SECONDS: i64 = 5;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessClaims {
    pub iss: String,
    pub aud: String,
    pub sub: String,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    pub jti: String,
    /// Refresh-token family (the session) this token belongs to.
    pub sid: String,
    pub roles: Vec<Role>,
    pub perms: Vec<Permission>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("the token is malformed or its signature is invalid")]
    Invalid,
    #[error("the token has expired")]
    Expired,
    #[error("the token is not valid yet")]
    NotYetValid,
}

/// Signs access tokens. Only the `accounts` function constructs one.
pub struct TokenSigner {
    key: EncodingKey,
}

impl TokenSigner {
    pub fn from_pem(private_pem: &str) -> Result<Self, String> {
        EncodingKey::from_ed_pem(private_pem.as_bytes())
            .map(|key| Self { key })
            .map_err(|e| format!("invalid Ed25519 private key: {e}"))
    }

    pub fn issue(&self, clock: &dyn Clock, caller: &Caller) -> Result<(String, AccessClaims), String> {
        let now = clock.now().as_second();
        let claims = AccessClaims {
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            sub: caller.user_id.to_string(),
            iat: now,
            nbf: now,
            exp: now + ACCESS_TOKEN_SECONDS,
            jti: crate::ids::new_id(),
            sid: caller.session_id.clone(),
            roles: caller.roles.clone(),
            perms: caller.permissions.iter().copied().collect(),
        };
        let token = self.sign(&claims)?;
        Ok((token, claims))
    }

    /// Signs arbitrary claims (tests use it to forge expired or misaddressed tokens
    /// with the real key).
    pub fn sign<T: Serialize>(&self, claims: &T) -> Result<String, String> {
        let mut header = Header::new(Algorithm::EdDSA);
        header.typ = Some(ACCESS_TOKEN_TYPE.to_owned());
        encode(&header, claims, &self.key).map_err(|e| e.to_string())
    }
}

/// Verifies access tokens. Every function holds one.
pub struct TokenVerifier {
    key: DecodingKey,
    validation: Validation,
}

impl TokenVerifier {
    pub fn from_pem(public_pem: &str) -> Result<Self, String> {
        let key =
            DecodingKey::from_ed_pem(public_pem.as_bytes()).map_err(|e| format!("invalid Ed25519 public key: {e}"))?;
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.algorithms = vec![Algorithm::EdDSA];
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
        // Time is checked below against the injected clock.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        Ok(Self { key, validation })
    }

    pub fn verify(&self, token: &str, now: Timestamp) -> Result<Caller, TokenError> {
        let header = decode_header(token).map_err(|_| TokenError::Invalid)?;
        if header.alg != Algorithm::EdDSA || header.typ.as_deref() != Some(ACCESS_TOKEN_TYPE) {
            return Err(TokenError::Invalid);
        }
        let data = decode::<AccessClaims>(token, &self.key, &self.validation).map_err(|_| TokenError::Invalid)?;
        let claims = data.claims;
        let now = now.as_second();
        if claims.exp <= now - LEEWAY_SECONDS {
            return Err(TokenError::Expired);
        }
        if claims.nbf > now + LEEWAY_SECONDS {
            return Err(TokenError::NotYetValid);
        }
        // A token claiming a longer life than we ever issue was not issued by us.
        if claims.exp - claims.nbf > ACCESS_TOKEN_SECONDS {
            return Err(TokenError::Invalid);
        }
        // We only ever sign ULID subjects; anything else was not issued by us.
        let user_id = UserId::parse(&claims.sub).ok_or(TokenError::Invalid)?;
        Ok(Caller {
            user_id,
            roles: claims.roles,
            permissions: claims.perms.into_iter().collect::<BTreeSet<_>>(),
            session_id: claims.sid,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{auth::KeyPair, clock::FixedClock};

    fn caller() -> Caller {
        Caller {
            user_id: UserId::trusted("01J0000000000000000000000A"),
            roles: vec![Role::Student],
            permissions: Role::Student.permissions().iter().copied().collect(),
            session_id: "S".into(),
        }
    }

    #[test]
    fn issued_tokens_verify_within_their_life_only() {
        let keys = KeyPair::generate().unwrap();
        let signer = TokenSigner::from_pem(&keys.private_pem).unwrap();
        let verifier = TokenVerifier::from_pem(&keys.public_pem).unwrap();
        let start: Timestamp = "2026-11-26T15:00:00Z".parse().unwrap();
        let clock = FixedClock::new(start);
        let (token, claims) = signer.issue(&clock, &caller()).unwrap();
        assert_eq!(claims.exp - claims.iat, 900);
        assert_eq!(verifier.verify(&token, start), Ok(caller()));
        let later = start.checked_add(jiff::SignedDuration::from_secs(901 + LEEWAY_SECONDS)).unwrap();
        assert_eq!(verifier.verify(&token, later), Err(TokenError::Expired));
        let earlier = start.checked_sub(jiff::SignedDuration::from_secs(60)).unwrap();
        assert_eq!(verifier.verify(&token, earlier), Err(TokenError::NotYetValid));
    }

    #[test]
    fn another_key_is_refused() {
        let ours = KeyPair::generate().unwrap();
        let theirs = KeyPair::generate().unwrap();
        let clock = FixedClock::new("2026-11-26T15:00:00Z".parse().unwrap());
        let (token, _) = TokenSigner::from_pem(&theirs.private_pem).unwrap().issue(&clock, &caller()).unwrap();
        let verifier = TokenVerifier::from_pem(&ours.public_pem).unwrap();
        assert_eq!(verifier.verify(&token, clock.now()), Err(TokenError::Invalid));
    }

    #[test]
    fn a_subject_that_is_not_a_user_id_is_refused() {
        let keys = KeyPair::generate().unwrap();
        let clock = FixedClock::new("2026-11-26T15:00:00Z".parse().unwrap());
        let verifier = TokenVerifier::from_pem(&keys.public_pem).unwrap();
        for sub in ["admin", "01j0000000000000000000000a", "../USER#x"] {
            let odd = Caller { user_id: UserId::trusted(sub), ..caller() };
            let (token, _) = TokenSigner::from_pem(&keys.private_pem).unwrap().issue(&clock, &odd).unwrap();
            assert_eq!(verifier.verify(&token, clock.now()), Err(TokenError::Invalid), "{sub}");
        }
    }
}
