//! Ed25519 key material for access tokens, as PEM (PKCS#8 private, SPKI public).
//!
//! Only `accounts` ever holds the private key; every function verifies with the public
//! one. On AWS both come from SSM Parameter Store (see template.yaml); the local platform
//! generates a development pair on first start and keeps it under `.local/`.

use aws_lc_rs::{
    rand::SystemRandom,
    signature::{Ed25519KeyPair, KeyPair as _},
};
use base64::{Engine, engine::general_purpose::STANDARD};

#[derive(Clone)]
pub struct KeyPair {
    pub private_pem: String,
    pub public_pem: String,
}

impl std::fmt::Debug for KeyPair {
    // Never print key material, not even in a debug log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyPair { .. }")
    }
}

/// The fixed DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): algorithm id
/// 1.3.101.112 followed by a 32-byte bit string.
const ED25519_SPKI_PREFIX: [u8; 12] = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00];

impl KeyPair {
    pub fn generate() -> Result<Self, String> {
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).map_err(|e| format!("key generation: {e}"))?;
        let pair = Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).map_err(|e| format!("key parse: {e}"))?;
        let mut spki = ED25519_SPKI_PREFIX.to_vec();
        spki.extend_from_slice(pair.public_key().as_ref());
        Ok(Self { private_pem: pem("PRIVATE KEY", pkcs8.as_ref()), public_pem: pem("PUBLIC KEY", &spki) })
    }
}

fn pem(label: &str, der: &[u8]) -> String {
    let body = STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in body.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}
