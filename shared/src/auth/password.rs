//! Argon2id password hashing (OWASP's recommended parameters), and a dummy hash so that
//! a login for an unknown email costs the same time as a real one.

use std::sync::LazyLock;

use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version};

/// m = 19 MiB, t = 2, p = 1: OWASP's Argon2id baseline. BENCHMARKS.md records its cost.
pub fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub fn hash(password: &str) -> Result<String, String> {
    hasher().hash_password(password.as_bytes()).map(|h| h.to_string()).map_err(|e| e.to_string())
}

/// True when `password` matches the PHC string `hash`.
pub fn verify(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => hasher().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash("a password nobody has, hashed once per process").unwrap_or_default());

/// Spends the time of one verification against a hash nobody can match: used when the
/// email is unknown, so response time does not reveal which emails exist.
pub fn verify_dummy(password: &str) {
    let _ = verify(password, &DUMMY_HASH);
}

/// [`hash`] off the async runtime: Argon2id is deliberately slow CPU work (BENCHMARKS.md),
/// which must not stall the other requests a worker thread is serving.
pub async fn hash_off_thread(password: String) -> Result<String, String> {
    tokio::task::spawn_blocking(move || hash(&password)).await.map_err(|e| e.to_string())?
}

/// [`verify`] off the async runtime.
pub async fn verify_off_thread(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || verify(&password, &hash)).await.unwrap_or(false)
}

/// [`verify_dummy`] off the async runtime.
pub async fn verify_dummy_off_thread(password: String) {
    let _ = tokio::task::spawn_blocking(move || verify_dummy(&password)).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_are_argon2id() {
        let h = hash("Test1234").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify("Test1234", &h));
        assert!(!verify("test1234", &h));
        assert!(!verify("Test1234", "not a hash"));
    }
}
