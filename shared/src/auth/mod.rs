//! Who is calling: access tokens (EdDSA JWTs), password hashing, and the caller identity
//! handed to handlers.

mod identity;
pub mod keys;
pub mod password;
pub mod tokens;

pub use identity::{Caller, Identity};
pub use keys::KeyPair;
pub use tokens::{AccessClaims, TokenError, TokenSigner, TokenVerifier};
