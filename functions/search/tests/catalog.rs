//! The catalog and instructor routes over the seeded demo data, through HTTP.

use instainstru_shared::seed;
use instainstru_testkit::{
    TestEnv,
    http_test::{Call, TestResponse},
};

async fn get(env: &TestEnv, uri: &str) -> TestResponse {
    Call::get(uri).send(&instainstru_search::router(env.state.clone())).await
}

#[tokio::test]
async fn all_services_lists_every_category_and_service_with_counts_and_prices() {
    let env = TestEnv::seeded().await;
    let res = get(&env, "/api/v1/catalog/all-services").await;
    assert_eq!(res.status, 200, "{}", res.text());
    let body = res.json();
    let categories = body["categories"].as_array().unwrap();
    assert_eq!(categories.len(), 7);
    let services: Vec<&serde_json::Value> = categories.iter().flat_map(|c| c["services"].as_array().unwrap()).collect();
    assert_eq!(services.len(), 250);
    assert_eq!(body["total_services"], 250);
    // Piano: Sarah Chen ($120) and Michael Rodriguez ($65), both active.
    let piano = services.iter().find(|s| s["slug"] == "piano").unwrap();
    assert_eq!(piano["instructor_count"], 2);
    assert_eq!(piano["price_range"]["min_cents"], 6500);
    assert_eq!(piano["price_range"]["max_cents"], 12000);
    assert_eq!(piano["price_range"]["currency"], "USD");
    // Guitar's suspended instructor (David Martinez, $85) is not counted.
    let guitar = services.iter().find(|s| s["slug"] == "guitar").unwrap();
    let data = seed::SeedData::demo().unwrap();
    let active_guitar: Vec<u32> = data
        .instructors
        .iter()
        .filter(|i| i.status == instainstru_shared::accounts::AccountStatus::Active)
        .flat_map(|i| i.offerings.iter().filter(|o| o.service == "guitar").map(|o| o.rate_cents))
        .collect();
    assert_eq!(guitar["instructor_count"], active_guitar.len());
    assert_eq!(guitar["price_range"]["max_cents"], *active_guitar.iter().max().unwrap());
    // A service nobody teaches has a zero count and no price range.
    let untaught = services.iter().find(|s| s["instructor_count"] == 0).unwrap();
    assert!(untaught["price_range"].is_null());
    // The Kids category exists even though it has no services of its own.
    assert!(categories.iter().any(|c| c["slug"] == "kids" && c["services"].as_array().unwrap().is_empty()));
}

#[tokio::test]
async fn catalog_responses_carry_etags_and_answer_304() {
    let env = TestEnv::seeded().await;
    let router = instainstru_search::router(env.state.clone());
    for uri in [
        "/api/v1/catalog/categories",
        "/api/v1/catalog/services?category=music",
        "/api/v1/catalog/services/piano",
        "/api/v1/catalog/top-services?per_category=3",
        "/api/v1/catalog/all-services",
    ] {
        let first = Call::get(uri).send(&router).await;
        assert_eq!(first.status, 200, "{uri}");
        let etag = first.header("etag").unwrap_or_else(|| panic!("{uri}: no etag")).to_owned();
        assert!(first.header("cache-control").unwrap().contains("max-age"), "{uri}");
        let again = Call::get(uri).header("if-none-match", &etag).send(&router).await;
        assert_eq!(again.status, 304, "{uri}");
        assert!(again.body.is_empty());
        assert_eq!(again.header("etag"), Some(etag.as_str()));
        let stale = Call::get(uri).header("if-none-match", "\"something-else\"").send(&router).await;
        assert_eq!(stale.status, 200, "{uri}");
    }
}

#[tokio::test]
async fn categories_services_and_top_services() {
    let env = TestEnv::seeded().await;
    let categories = get(&env, "/api/v1/catalog/categories").await.json();
    let slugs: Vec<&str> = categories.as_array().unwrap().iter().map(|c| c["slug"].as_str().unwrap()).collect();
    assert_eq!(slugs, ["music", "tutoring", "sports-fitness", "language", "arts", "kids", "hidden-gems"]);
    assert_eq!(categories[0]["service_count"], 41);

    let music = get(&env, "/api/v1/catalog/services?category=music").await.json();
    let music = music.as_array().unwrap();
    assert_eq!(music.len(), 41);
    assert!(music.iter().all(|s| s["category"] == "music"));
    let orders: Vec<u64> = music.iter().map(|s| s["display_order"].as_u64().unwrap()).collect();
    assert!(orders.windows(2).all(|w| w[0] <= w[1]), "display order");
    assert_eq!(get(&env, "/api/v1/catalog/services").await.json().as_array().unwrap().len(), 250);

    let piano = get(&env, "/api/v1/catalog/services/piano").await.json();
    assert_eq!(piano["name"], "Piano");
    assert!(piano["search_terms"].as_array().unwrap().iter().any(|t| t == "keyboard"));
    assert!(piano["related"].as_array().unwrap().iter().any(|t| t == "music-theory"));

    let top = get(&env, "/api/v1/catalog/top-services?per_category=2").await.json();
    let top = top.as_array().unwrap();
    assert_eq!(top.len(), 7);
    assert_eq!(top[0]["category"]["slug"], "music");
    assert_eq!(top[0]["services"].as_array().unwrap().len(), 2);
    assert_eq!(top[0]["services"][0]["slug"], "piano");
    assert_eq!(get(&env, "/api/v1/catalog/top-services").await.json()[0]["services"].as_array().unwrap().len(), 6);
}

#[tokio::test]
async fn unknown_slugs_are_404_problems() {
    let env = TestEnv::seeded().await;
    get(&env, "/api/v1/catalog/services/no-such-thing").await.assert_problem(404, "unknown_service");
    let body = get(&env, "/api/v1/catalog/services?category=nope").await.assert_problem(404, "unknown_category");
    assert_eq!(body["field"], "category");
    get(&env, "/api/v1/instructors?service=nope").await.assert_problem(404, "unknown_service");
    get(&env, "/api/v1/no/such/route").await.assert_problem(404, "route_not_found");
}

#[tokio::test]
async fn bad_query_parameters_are_400s_naming_the_parameter() {
    let env = TestEnv::seeded().await;
    let cases = [
        ("/api/v1/catalog/top-services?per_category=0", "per_category"),
        ("/api/v1/catalog/top-services?per_category=51", "per_category"),
        ("/api/v1/catalog/top-services?per_category=abc", "per_category"),
        ("/api/v1/instructors?min_price=-5", "min_price"),
        ("/api/v1/instructors?max_price=-1", "max_price"),
        ("/api/v1/instructors?min_price=9000&max_price=5000", "min_price"),
        ("/api/v1/instructors?min_price=ten", "min_price"),
        ("/api/v1/instructors?limit=0", "limit"),
        ("/api/v1/instructors?limit=1000", "limit"),
        ("/api/v1/instructors?limit=99999999999999999999999", "limit"),
        ("/api/v1/instructors?cursor=not-a-cursor", "cursor"),
        ("/api/v1/instructors?cursor=eyJQSyI6IlVTRVIjMSIsIlNLIjoiWCJ9", "cursor"),
        ("/api/v1/instructors?borough=atlantis", "borough"),
    ];
    for (uri, field) in cases {
        let body = get(&env, uri).await.assert_problem(400, "invalid_parameter");
        assert_eq!(body["field"], field, "{uri}: {body}");
    }
}

#[tokio::test]
async fn wrong_methods_are_405_problems() {
    let env = TestEnv::seeded().await;
    let res = Call::post("/api/v1/catalog/categories").send(&instainstru_search::router(env.state.clone())).await;
    res.assert_problem(405, "method_not_allowed");
}

fn assert_no_contact_data(value: &serde_json::Value) {
    let text = value.to_string();
    assert!(!text.contains("@example.com"), "email leaked: {text}");
    assert!(!text.contains("+1212555"), "phone leaked: {text}");
    assert!(!text.contains("password"), "password field leaked");
}

#[tokio::test]
async fn instructor_profiles_never_show_contact_data_and_hide_unlisted_instructors() {
    let env = TestEnv::seeded().await;
    let sarah = seed::user_id("sarah.chen@example.com");
    let res = get(&env, &format!("/api/v1/instructors/{sarah}")).await;
    assert_eq!(res.status, 200, "{}", res.text());
    let body = res.json();
    assert_eq!(body["full_name"], "Sarah Chen");
    assert_eq!(body["offerings"][0]["service"], "piano");
    assert_eq!(body["offerings"][0]["rate_cents"], 12000);
    // Thursday 10:00 in New York; her pattern opens Thursdays at 14:00.
    assert_eq!(body["next_available"]["date"], "2026-11-26");
    assert_eq!(body["next_available"]["time"], "14:00");
    assert_no_contact_data(&body);

    for email in ["david.martinez@example.com", "lisa.thompson@example.com", "michael.brown@example.com"] {
        let id = seed::user_id(email);
        get(&env, &format!("/api/v1/instructors/{id}")).await.assert_problem(404, "instructor_not_found");
    }
    // Students are not instructors; malformed ids are simply not found.
    let john = seed::user_id("john.smith@example.com");
    get(&env, &format!("/api/v1/instructors/{john}")).await.assert_problem(404, "instructor_not_found");
    get(&env, "/api/v1/instructors/%F0%9F%8E%B9").await.assert_problem(404, "instructor_not_found");
}

#[tokio::test]
async fn instructor_listing_filters_and_pages() {
    let env = TestEnv::seeded().await;
    let data = seed::SeedData::demo().unwrap();
    let active = data.instructors.iter().filter(|i| i.status == instainstru_shared::accounts::AccountStatus::Active);
    let expected_total = active.clone().count();

    // Every page, following the cursor, lists each active instructor exactly once.
    let mut ids = Vec::new();
    let mut uri = "/api/v1/instructors?limit=7".to_owned();
    loop {
        let page = get(&env, &uri).await.json();
        assert_no_contact_data(&page);
        for item in page["items"].as_array().unwrap() {
            ids.push(item["id"].as_str().unwrap().to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(cursor) => uri = format!("/api/v1/instructors?limit=7&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(ids.len(), expected_total);
    let unique: std::collections::BTreeSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), expected_total);
    assert!(!ids.contains(&seed::user_id("david.martinez@example.com").into()));

    // Service + price: only guitar offerings within the range.
    let page = get(&env, "/api/v1/instructors?service=guitar&max_price=8000").await.json();
    let expected: Vec<String> = active
        .clone()
        .filter(|i| i.offerings.iter().any(|o| o.service == "guitar" && o.rate_cents <= 8000))
        .map(|i| seed::user_id(&i.email).into())
        .collect();
    let got: Vec<String> =
        page["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_owned()).collect();
    assert!(!got.is_empty());
    assert_eq!(got.iter().collect::<std::collections::BTreeSet<_>>(), expected.iter().collect());

    // Borough: only instructors serving Queens in person.
    let page = get(&env, "/api/v1/instructors?borough=queens&limit=100").await.json();
    for item in page["items"].as_array().unwrap() {
        let areas: Vec<&str> = item["areas"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
        assert!(
            areas.iter().any(|a| instainstru_shared::places::places().covers_borough(&[a.to_string()], "queens")),
            "{areas:?}"
        );
    }
    let queens_expected = active
        .filter(|i| {
            instainstru_shared::places::places().covers_borough(&i.areas, "queens")
                && i.offerings
                    .iter()
                    .any(|o| o.location_types.contains(&instainstru_shared::instructors::LocationType::InPerson))
        })
        .count();
    assert_eq!(page["items"].as_array().unwrap().len(), queens_expected);
}

#[tokio::test]
async fn the_directory_sees_new_data_after_a_version_bump() {
    let env = TestEnv::seeded().await;
    let router = instainstru_search::router(env.state.clone());
    let sarah = seed::user_id("sarah.chen@example.com");
    assert_eq!(Call::get(&format!("/api/v1/instructors/{sarah}")).send(&router).await.status, 200);
    // Suspend her profile directly in the table, then bump the version as every writer does.
    let (mut profile, _) =
        instainstru_shared::instructors::get(&env.store, &sarah.as_instructor()).await.unwrap().unwrap();
    profile.status = instainstru_shared::accounts::AccountStatus::Suspended;
    env.store.put(&profile.record()).await.unwrap();
    assert_eq!(Call::get(&format!("/api/v1/instructors/{sarah}")).send(&router).await.status, 200, "cached");
    instainstru_shared::changes::everything(&env.store).await.unwrap();
    Call::get(&format!("/api/v1/instructors/{sarah}")).send(&router).await.assert_problem(404, "instructor_not_found");
}

#[tokio::test]
async fn health_docs_and_openapi_are_served() {
    let env = TestEnv::new().await;
    let health = get(&env, "/api/v1/health").await;
    assert_eq!(health.json()["function"], "search");
    assert!(health.header("x-request-id").is_some());
    let doc = get(&env, "/api/v1/openapi.json").await.json();
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["paths"]["/api/v1/catalog/all-services"]["get"].is_object());
    let page = get(&env, "/api/v1/docs").await;
    assert!(page.header("content-type").unwrap().starts_with("text/html"));
    assert!(page.text().contains("openapi.json"));
    assert!(!page.text().contains("https://"), "the docs page must work offline");
}
