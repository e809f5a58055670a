//! What signing in and checking a token cost, each beside a baseline measured in the same
//! run (BENCHMARKS.md records the ratios):
//!
//! * `password/argon2id_hash` (the production parameters) vs `password/sha256` of the same
//!   input: how much deliberate slowness a login buys;
//! * `token/verify` (the EdDSA access-token check every request pays) vs
//!   `token/decode_unverified` (base64 + JSON of the same claims, no signature check);
//! * `login/wrong_password` vs `login/unknown_email` (the whole domain login against an
//!   in-memory table): equal, so response time does not reveal which emails exist.
//!
//! Run: `cargo bench -p instainstru-shared --bench auth`

use std::hint::black_box;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use criterion::{Criterion, criterion_group, criterion_main};
use instainstru_shared::{
    accounts::{
        Email, FullName, NewPassword, TimeZoneName, login,
        register::{self, Registration},
    },
    auth::{
        Caller, KeyPair, TokenSigner, TokenVerifier,
        password::{self, hash},
        tokens::AccessClaims,
    },
    clock::{Clock, FixedClock},
    rbac::Role,
};
use instainstru_testkit::TestEnv;
use sha2::{Digest, Sha256};

const PASSWORD: &str = "Str0ng pass";

fn passwords(c: &mut Criterion) {
    let mut group = c.benchmark_group("password");
    group.sample_size(20);
    group.bench_function("argon2id_hash", |b| b.iter(|| hash(black_box(PASSWORD)).unwrap()));
    let stored = hash(PASSWORD).unwrap();
    group.bench_function("argon2id_verify", |b| b.iter(|| password::verify(black_box(PASSWORD), black_box(&stored))));
    group.bench_function("sha256", |b| b.iter(|| Sha256::digest(black_box(PASSWORD).as_bytes())));
    group.finish();
}

fn tokens(c: &mut Criterion) {
    let keys = KeyPair::generate().unwrap();
    let signer = TokenSigner::from_pem(&keys.private_pem).unwrap();
    let verifier = TokenVerifier::from_pem(&keys.public_pem).unwrap();
    let clock = FixedClock::new("2026-11-26T15:00:00Z".parse().unwrap());
    let caller = Caller {
        user_id: instainstru_shared::ids::UserId::trusted("01JZ1MH2004SNSET1RGQ0V6CGE"),
        roles: vec![Role::Student],
        permissions: Role::Student.permissions().iter().copied().collect(),
        session_id: "01JZ1MH2004SNSET1RGQ0V6CGF".into(),
    };
    let (token, _) = signer.issue(&clock, &caller).unwrap();
    let now = clock.now();
    let mut group = c.benchmark_group("token");
    group.bench_function("verify", |b| b.iter(|| verifier.verify(black_box(&token), now).unwrap()));
    group.bench_function("decode_unverified", |b| {
        b.iter(|| {
            let payload = black_box(&token).split('.').nth(1).unwrap();
            let bytes = URL_SAFE_NO_PAD.decode(payload).unwrap();
            serde_json::from_slice::<AccessClaims>(&bytes).unwrap()
        })
    });
    group.finish();
}

fn logins(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let env = runtime.block_on(async {
        let env = TestEnv::new().await;
        let registration = Registration {
            email: Email::parse("bench@example.com").unwrap(),
            password: NewPassword::parse("password", PASSWORD).unwrap(),
            full_name: FullName::parse("full_name", "Bench").unwrap(),
            role: Role::Student,
            time_zone: TimeZoneName::default_zone(),
        };
        register::register(&env.store, env.clock.now(), registration).await.unwrap();
        env
    });
    let known = Email::parse("bench@example.com").unwrap();
    let unknown = Email::parse("nobody@example.com").unwrap();
    let mut group = c.benchmark_group("login");
    group.sample_size(20);
    group.bench_function("wrong_password", |b| {
        b.iter(|| runtime.block_on(login::authenticate(&env.store, &known, "Wrong pass1")).unwrap_err())
    });
    group.bench_function("unknown_email", |b| {
        b.iter(|| runtime.block_on(login::authenticate(&env.store, &unknown, "Wrong pass1")).unwrap_err())
    });
    group.finish();
}

criterion_group!(benches, passwords, tokens, logins);
criterion_main!(benches);
