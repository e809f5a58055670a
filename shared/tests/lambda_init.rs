//! What a Lambda's init does for its first request: the search directory warmed by
//! `lambda::warm_directory` (in main, before the runtime starts) is the one the function's
//! router reads, so the first caller does not pay for loading it.

use std::sync::Arc;

use instainstru_shared::{clock::Clock, embedded::TestEnv, lambda};

#[tokio::test]
async fn the_directory_warmed_in_init_is_the_one_the_router_reads() {
    let env = TestEnv::seeded().await;
    let now = env.clock.now();
    // As lambda::state_from_env labels it, then as the function's router labels it again.
    let state = env.state.for_function("search");
    lambda::warm_directory(&state).await;
    let warmed = state.directory.get(&state.store, now).await.unwrap();
    let routed = state.for_function("search");
    assert!(Arc::ptr_eq(&warmed, &routed.directory.get(&routed.store, now).await.unwrap()));
    assert!(warmed.listed().count() > 60, "the seeded instructors are in it");

    // Another function's label is another Lambda: its own cache, loaded on its own.
    let other = state.for_function("booking");
    assert!(!Arc::ptr_eq(&warmed, &other.directory.get(&other.store, now).await.unwrap()));
}
