//! The domain stays below the web (ARCHITECTURE.md, invariant "domain below http"): no
//! module of the shared crate outside the HTTP/Lambda glue refers to `http`, `state`,
//! `lambda`, `AppState` or axum. Domain functions take plain inputs (`Env`, ids, values);
//! request parsing and the mapping of refusals to problems live in `http`.

use std::{fs, path::Path};

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
