//! What a Lambda's init does for its first request: the search directory warmed by
//! `lambda::warm_directory` (in main, before the runtime starts) is the one the function's
//! router reads, so the first caller does not pay for loading it.

use std::{sync::Arc, time::Duration};

use instainstru_shared::{clock::Clock, config::Config, lambda, store::Store};
use instainstru_testkit::TestEnv;

#[tokio::test]
async fn the_directory_warmed_in_init_is_the_one_the_router_reads() {
    let env = TestEnv::seeded().await;
    let now = env.clock.now();
    // The test environment checks the change feed on every read (refresh zero); a deployed
    // function checks it only every `index_refresh`. Within that interval the router must
    // answer from what init loaded, without reading the table at all.
    let mut base = env.state.clone();
    base.config = Arc::new(Config { index_refresh: Duration::from_secs(3600), ..(*env.state.config).clone() });
    // As lambda::state_from_env labels it, then as the function's router labels it again.
    let state = base.for_function(instainstru_shared::function::Function::Search);
    lambda::warm_directory(&state).await;
    let routed = state.for_function(instainstru_shared::function::Function::Search);
    // A store whose table does not exist: any load or feed check through it fails, so the
    // first request succeeds only if init already loaded the directory into this cache.
    let unreachable = Store::new(env.store.client().clone(), "no-such-table");
    let warmed = routed
        .directory
        .get(&unreachable, now)
        .await
        .expect("the first request is answered from the directory warmed in init, without the store");
    assert!(warmed.listed().count() > 60, "the seeded instructors are in it");
    // It is the same copy on a second request.
    assert!(Arc::ptr_eq(&warmed, &routed.directory.get(&unreachable, now).await.unwrap()));

    // Another function's label is another Lambda: its own cache, loaded on its own (so it
    // cannot answer without the store, and what it loads is a different copy).
    let other = state.for_function(instainstru_shared::function::Function::Booking);
    assert!(other.directory.get(&unreachable, now).await.is_err(), "another function's cache starts empty");
    assert!(!Arc::ptr_eq(&warmed, &other.directory.get(&other.store, now).await.unwrap()));
}
