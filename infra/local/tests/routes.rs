//! template.yaml, the function routers, the local platform's mounts and openapi.json must
//! all agree.

use std::collections::BTreeSet;

use instainstru_local::{
    functions::{self, http_functions},
    platform,
    template::Template,
};
use instainstru_shared::http::access::operations;
use instainstru_testkit::TestEnv;

/// Every function serves the shared health route; API Gateway sends it to one of them.
const SHARED: (&str, &str) = ("GET", "/api/v1/health");

fn router_routes(api: fn() -> instainstru_shared::http::Routes) -> BTreeSet<(String, String)> {
    let doc = api().into_openapi();
    doc.paths
        .paths
        .iter()
        .flat_map(|(path, item)| operations(item).into_iter().map(move |(m, _)| (m.to_string(), path.clone())))
        .collect()
}

#[test]
fn template_routes_and_function_routers_agree() {
    let template = Template::embedded().unwrap();
    let mut health_owners = 0;
    for function in http_functions() {
        let declared =
            template.function(function.binary()).unwrap_or_else(|| panic!("{} not in template", function.binary()));
        let in_template: BTreeSet<(String, String)> =
            declared.routes.iter().map(|r| (r.method.to_string(), r.path.clone())).collect();
        let mut in_router = router_routes(function.api);
        if !in_template.contains(&(SHARED.0.to_owned(), SHARED.1.to_owned())) {
            in_router.remove(&(SHARED.0.to_owned(), SHARED.1.to_owned()));
        } else {
            health_owners += 1;
        }
        let only_template: Vec<_> = in_template.difference(&in_router).collect();
        let only_router: Vec<_> = in_router.difference(&in_template).collect();
        assert!(
            only_template.is_empty(),
            "{}: routed by template.yaml but not served: {only_template:?}",
            function.binary()
        );
        assert!(
            only_router.is_empty(),
            "{}: served but not routed by template.yaml: {only_router:?}",
            function.binary()
        );
    }
    assert_eq!(health_owners, 1, "exactly one function answers /api/v1/health through API Gateway");
    // No route is given to two functions.
    let mut seen = BTreeSet::new();
    for function in &template.functions {
        for route in &function.routes {
            assert!(
                seen.insert((route.method.to_string(), route.path.clone())),
                "{} {} routed twice",
                route.method,
                route.path
            );
        }
    }
}

#[tokio::test]
async fn the_local_platform_mounts_exactly_the_template_routes() {
    let env = TestEnv::new().await;
    let template = Template::embedded().unwrap();
    let (app, mounted) = platform::mount_with_table(&template, &env.state).unwrap();
    let mounted: BTreeSet<(String, String, String)> = mounted.into_iter().collect();
    let expected: BTreeSet<(String, String, String)> = template
        .functions
        .iter()
        .flat_map(|f| f.routes.iter().map(move |r| (r.method.to_string(), r.path.clone(), f.binary.clone())))
        .collect();
    assert_eq!(mounted, expected);

    // Through HTTP: a template route reaches its function; anything else is a 404 problem.
    use instainstru_testkit::http_test::Call;
    let health = Call::get("/api/v1/health").send(&app).await;
    assert_eq!(health.json()["function"], "search");
    Call::get("/api/v1/not-a-route").send(&app).await.assert_problem(404, "route_not_found");
    Call::post("/api/v1/catalog/categories").send(&app).await.assert_problem(405, "method_not_allowed");
    // Path parameters reach the function's own router intact.
    Call::get("/api/v1/catalog/services/no-such-service").send(&app).await.assert_problem(404, "unknown_service");
    let preflight = Call::new("OPTIONS", "/api/v1/catalog/categories")
        .header("origin", "https://example.com")
        .header("access-control-request-method", "GET")
        .send(&app)
        .await;
    assert_eq!(preflight.status, 200);
    assert!(preflight.header("access-control-allow-origin").is_some());
}

#[test]
fn openapi_json_is_generated_from_the_code_and_covers_every_route() {
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi.json")).unwrap();
    assert!(
        committed == functions::openapi_json(),
        "openapi.json is stale: run `cargo run -p instainstru-local -- openapi > openapi.json`"
    );
    let doc = functions::openapi();
    assert_eq!(serde_json::to_value(&doc).unwrap()["openapi"], "3.1.0");
    let template = Template::embedded().unwrap();
    for function in &template.functions {
        for route in &function.routes {
            let item =
                doc.paths.paths.get(&route.path).unwrap_or_else(|| panic!("{} missing from openapi.json", route.path));
            assert!(
                operations(item).iter().any(|(m, _)| *m == route.method),
                "{} {} missing from openapi.json",
                route.method,
                route.path
            );
        }
    }
}

#[test]
fn every_route_of_every_function_declares_its_access() {
    // Compared with template.yaml, which is written by hand and not derived from the
    // routers: the access table of each function covers exactly its template routes, plus
    // the shared health route every function serves.
    let template = Template::embedded().unwrap();
    for function in http_functions() {
        let table = instainstru_shared::http::access_table((function.api)())
            .unwrap_or_else(|e| panic!("{}: {e}", function.binary()));
        let declared: BTreeSet<(String, String)> =
            table.routes().map(|(method, path, _)| (method.to_string(), path.to_owned())).collect();
        assert_eq!(declared.len(), table.routes().count(), "{}: a route declared twice", function.binary());
        let mut routed: BTreeSet<(String, String)> = template
            .function(function.binary())
            .unwrap_or_else(|| panic!("{} not in template", function.binary()))
            .routes
            .iter()
            .map(|r| (r.method.to_string(), r.path.clone()))
            .collect();
        routed.insert((SHARED.0.to_owned(), SHARED.1.to_owned()));
        assert_eq!(declared, routed, "{}: access declarations vs template.yaml routes", function.binary());
    }
}
