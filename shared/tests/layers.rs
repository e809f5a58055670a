//! The domain stays below the web (ARCHITECTURE.md, invariant "domain below http"): no
//! module of the shared crate outside the HTTP/Lambda glue refers to `http`, `state`,
//! `lambda`, `AppState` or axum. Domain functions take plain inputs (`Env`, ids, values);
//! request parsing and the mapping of refusals to problems live in `http`.

use std::{
    collections::{BTreeMap, BTreeSet},
    fs,
    path::Path,
};

/// The glue that may speak HTTP: the `http` module, the Lambda state and runtime, the
/// local/test harness (which is the instainstru-testkit crate, outside `shared/src`).
const GLUE: [&str; 3] = ["http", "state.rs", "lambda.rs"];
const FORBIDDEN_PATHS: [&str; 8] = [
    "crate::http",
    "crate::state",
    "crate::lambda",
    "super::http",
    "AppState",
    "axum",
    "lambda_http",
    "lambda_runtime",
];
const FORBIDDEN_MODULES: [&str; 4] = ["http", "state", "lambda", "AppState"];

fn without_comments(source: &str) -> String {
    source.lines().map(|line| line.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n")
}

/// The first path segment of each top-level item of every `use crate::{ … }` group.
fn grouped_imports(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("use crate::{") {
        let body = &rest[at + "use crate::{".len()..];
        let (mut depth, mut item, mut end) = (0usize, String::new(), body.len());
        for (i, c) in body.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => {
                    end = i;
                    break;
                }
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    found.push(std::mem::take(&mut item));
                    continue;
                }
                _ => {}
            }
            item.push(c);
        }
        found.push(item);
        rest = &body[end..];
    }
    found.into_iter().filter_map(|i| i.split("::").next().map(|s| s.trim().to_owned())).collect()
}

/// What in `source` crosses from the domain into the glue.
fn violations(source: &str) -> Vec<String> {
    let code = without_comments(source);
    let mut found: Vec<String> = FORBIDDEN_PATHS.iter().filter(|p| code.contains(*p)).map(|p| p.to_string()).collect();
    found.extend(grouped_imports(&code).into_iter().filter(|m| FORBIDDEN_MODULES.contains(&m.as_str())));
    found
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_domain_module_refers_to_http_state_or_lambda() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let domain: Vec<_> = files
        .into_iter()
        .filter(|f| {
            let relative = f.strip_prefix(&src).unwrap();
            let first = relative.components().next().unwrap().as_os_str().to_str().unwrap();
            !GLUE.contains(&first) && first != "lib.rs"
        })
        .collect();
    // The scan must see the domain, or it proves nothing.
    assert!(domain.len() > 100, "only {} domain files found under {}", domain.len(), src.display());
    let offenders: Vec<String> = domain
        .iter()
        .filter_map(|f| {
            let found = violations(&fs::read_to_string(f).unwrap());
            (!found.is_empty()).then(|| format!("{}: {}", f.strip_prefix(&src).unwrap().display(), found.join(", ")))
        })
        .collect();
    assert!(offenders.is_empty(), "domain modules reaching into the HTTP layer:\n{}", offenders.join("\n"));
}

#[test]
fn the_scan_catches_each_way_of_importing_the_glue() {
    for bad in [
        "use crate::http::ApiError;",
        "use crate::{\n    accounts::User,\n    http::{ApiError, ClientIp},\n};",
        "use crate::{AppState, store::Store};",
        "use crate::{store::Store, state};",
        "fn f(s: &crate::state::AppState) {}",
        "use axum::http::HeaderMap;",
    ] {
        assert!(!violations(bad).is_empty(), "{bad}");
    }
    for fine in [
        "use crate::{store::{Key, Store}, search::events::SearchContext};",
        "// the handler in crate::http maps this\nuse crate::refusal::Refusal;",
        "let url = \"https://example.com\";",
    ] {
        assert!(violations(fine).is_empty(), "{fine}");
    }
}

/// Production code of one file: a file under a `tests` module is all test code, and an
/// inline `#[cfg(test)] mod tests { … }` must be the file's last item (rustfmt puts every
/// top-level item at column 0, so nothing at column 0 may follow the module's opening line
/// but its closing brace).
fn production_code(relative: &Path, source: &str) -> Option<String> {
    if relative.components().any(|c| c.as_os_str() == "tests" || c.as_os_str() == "tests.rs") {
        return None;
    }
    let code = without_comments(source);
    let Some(cut) = code.find("#[cfg(test)]\nmod tests {") else { return Some(code) };
    let after: Vec<&str> = code[cut..].lines().skip(2).filter(|l| !l.is_empty() && !l.starts_with(' ')).collect();
    assert_eq!(after, ["}"], "{}: an inline test module that is not the file's last item", relative.display());
    Some(code[..cut].to_owned())
}

/// Which top-level modules each top-level module of the crate refers to (`crate::x…`
/// anywhere, or `x` as an item of a `use crate::{…}` group).
fn module_graph(files: &[(String, String)]) -> BTreeMap<String, BTreeSet<String>> {
    let modules: BTreeSet<String> = files.iter().map(|(m, _)| m.clone()).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = modules.iter().map(|m| (m.clone(), BTreeSet::new())).collect();
    for (module, code) in files {
        let mut named = grouped_imports(code);
        let mut rest = code.as_str();
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            named.push(rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect());
        }
        let edges = graph.get_mut(module).unwrap();
        edges.extend(named.into_iter().filter(|n| n != module && modules.contains(n)));
    }
    graph
}

/// The strongly connected components with more than one module (Tarjan), largest first.
fn circles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<BTreeSet<String>> {
    struct Walk<'a> {
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        found: Vec<BTreeSet<String>>,
    }
    fn visit<'a>(w: &mut Walk<'a>, v: &'a str) {
        let n = w.index.len();
        w.index.insert(v, n);
        w.low.insert(v, n);
        w.stack.push(v);
        for next in &w.graph[v] {
            let next = next.as_str();
            if !w.index.contains_key(next) {
                visit(w, next);
                let low = w.low[v].min(w.low[next]);
                w.low.insert(v, low);
            } else if w.stack.contains(&next) {
                let low = w.low[v].min(w.index[next]);
                w.low.insert(v, low);
            }
        }
        if w.low[v] == w.index[v] {
            let mut component = BTreeSet::new();
            while let Some(top) = w.stack.pop() {
                component.insert(top.to_owned());
                if top == v {
                    break;
                }
            }
            w.found.push(component);
        }
    }
    let mut walk = Walk { graph, index: BTreeMap::new(), low: BTreeMap::new(), stack: Vec::new(), found: Vec::new() };
    for v in graph.keys() {
        if !walk.index.contains_key(v.as_str()) {
            visit(&mut walk, v);
        }
    }
    let mut found: Vec<_> = walk.found.into_iter().filter(|c| c.len() > 1).collect();
    found.sort_by_key(|c| std::cmp::Reverse(c.len()));
    found
}

/// The crate's top-level modules with their production code.
fn shared_modules() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut modules = Vec::new();
    for file in files {
        let relative = file.strip_prefix(&src).unwrap();
        let first = relative.components().next().unwrap().as_os_str().to_str().unwrap();
        let module = first.trim_end_matches(".rs").to_owned();
        if module == "lib" {
            continue;
        }
        let source = fs::read_to_string(&file).unwrap();
        if let Some(code) = production_code(relative, &source) {
            modules.push((module, code));
        }
    }
    modules
}

/// ARCHITECTURE.md, invariant "read models above what they read": no circle of top-level
/// modules passes through the directory, the change feed or the seed, and every circle
/// that remains is listed in ARCHITECTURE.md (so the list cannot go stale). Prints the
/// graph: `cargo test -p instainstru-shared --test layers module_circles -- --nocapture`.
#[test]
fn module_circles_avoid_the_read_model_and_are_listed() {
    let graph = module_graph(&shared_modules());
    assert!(graph.len() > 25, "only {} top-level modules found", graph.len());
    for (module, uses) in &graph {
        println!("{module} -> {}", uses.iter().cloned().collect::<Vec<_>>().join(" "));
    }
    let found = circles(&graph);
    let architecture = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../ARCHITECTURE.md")).unwrap();
    for circle in &found {
        let listed = circle.iter().cloned().collect::<Vec<_>>().join(", ");
        println!("circle of {}: {listed}", circle.len());
        for above in ["directory", "changes", "seed"] {
            assert!(!circle.contains(above), "{above} is in a circle: {listed}");
        }
        assert!(
            architecture.contains(&format!("circle of {}: {listed}", circle.len())),
            "ARCHITECTURE.md does not list the circle of {}: {listed}",
            circle.len()
        );
    }
    let largest = found.first().map_or(0, BTreeSet::len);
    assert!(largest < 10, "the largest circle has {largest} modules (it had 10 before issue 13)");
}

#[test]
fn the_graph_sees_each_way_of_naming_a_module_and_finds_circles() {
    let files: Vec<(String, String)> = [
        ("a", "use crate::{b::Thing, store};"),
        ("b", "fn f() { crate::c::go() }"),
        ("c", "use crate::a;"),
        ("d", "use crate::{\n    a::{X, Y},\n    store::Key,\n};"),
        ("store", "// crate::d is only mentioned in a comment\n"),
    ]
    .into_iter()
    .map(|(m, s)| (m.to_owned(), without_comments(s)))
    .collect();
    let graph = module_graph(&files);
    let set = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<BTreeSet<_>>();
    assert_eq!(graph["a"], set(&["b", "store"]));
    assert_eq!(graph["b"], set(&["c"]));
    assert_eq!(graph["d"], set(&["a", "store"]));
    assert_eq!(graph["store"], set(&[]));
    assert_eq!(circles(&graph), vec![set(&["a", "b", "c"])]);
    let cut = production_code(Path::new("x.rs"), "use crate::a;\n#[cfg(test)]\nmod tests {\n    use crate::b;\n}\n");
    assert_eq!(cut.as_deref(), Some("use crate::a;\n"));
    assert_eq!(production_code(Path::new("search/tests.rs"), "use crate::seed;"), None);
}
