//! Each function: runtime, architecture, build method, binary, environment, and its HTTP
//! routes against its router.

use std::collections::{BTreeMap, BTreeSet};

use serde_yaml::Value;

use super::{Facts, Rule, Violation, cfn, violation};
use crate::template::Template;

/// Every function also serves this; API Gateway sends it to exactly one of them.
pub const SHARED_HEALTH: (&str, &str) = ("GET", "/api/v1/health");

/// A function property, or the `Globals.Function` default.
fn property(template: &Template, properties: &Value, name: &str) -> Option<Value> {
    properties
        .get(name)
        .or_else(|| template.document.get("Globals").and_then(|g| g.get("Function")).and_then(|f| f.get(name)))
        .cloned()
}

fn parameter_default(template: &Template, name: &str) -> Option<String> {
    let default = template.document.get("Parameters")?.get(name)?.get("Default")?;
    default.as_str().map(str::to_owned)
}

pub(crate) fn check(template: &Template, facts: &Facts) -> Vec<Violation> {
    let mut out = Vec::new();
    for function in &template.functions {
        let id = &function.logical_id;
        let props = &function.properties;
        let runtime = property(template, props, "Runtime");
        if runtime.as_ref().and_then(Value::as_str) != Some("provided.al2023") {
            out.push(violation(Rule::Runtime, id, format!("runtime {runtime:?}, expected provided.al2023")));
        }
        let architectures = property(template, props, "Architectures");
        let resolved: Option<Vec<String>> = architectures.as_ref().and_then(Value::as_sequence).map(|list| {
            list.iter()
                .map(|a| match cfn::reference(a) {
                    Some(parameter) => parameter_default(template, parameter).unwrap_or_default(),
                    None => a.as_str().unwrap_or_default().to_owned(),
                })
                .collect()
        });
        if resolved.as_deref() != Some(&["arm64".to_owned()]) {
            out.push(violation(Rule::Architecture, id, format!("architectures {resolved:?}, expected [arm64]")));
        }
        let build = function.metadata.get("BuildMethod").and_then(Value::as_str);
        if build != Some("rust-cargolambda") {
            out.push(violation(Rule::BuildMethod, id, format!("BuildMethod {build:?}, expected rust-cargolambda")));
        }
        if function.metadata.get("Binary").is_some() {
            out.push(violation(
                Rule::Binary,
                id,
                "Metadata.Binary is ignored by SAM CLI; the binary goes in Metadata.BuildProperties.Binary",
            ));
        }
        if function.binary.is_empty() {
            out.push(violation(Rule::Binary, id, "no Metadata.BuildProperties.Binary"));
        } else if !facts.binaries.contains(&function.binary) {
            out.push(violation(Rule::Binary, id, format!("no binary {:?} in the workspace", function.binary)));
        }
        let environment = [
            props.get("Environment").and_then(|e| e.get("Variables")),
            template.document.get("Globals").and_then(|g| g.get("Function")).and_then(|f| f.get("Environment")),
        ];
        for variables in environment.into_iter().flatten() {
            let variables = variables.get("Variables").unwrap_or(variables);
            if variables.get(instainstru_shared::lambda::EMULATOR_NOW).is_some() {
                out.push(violation(
                    Rule::TestOnlyEnvironment,
                    id,
                    format!(
                        "{} freezes the clock; only the emulator test sets it",
                        instainstru_shared::lambda::EMULATOR_NOW
                    ),
                ));
            }
        }
    }
    out.extend(routes(template, facts));
    out
}

/// Template routes and routers agree; no route has two owners; health has exactly one.
fn routes(template: &Template, facts: &Facts) -> Vec<Violation> {
    let mut out = Vec::new();
    let health = (SHARED_HEALTH.0.to_owned(), SHARED_HEALTH.1.to_owned());
    let mut owners: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for function in &template.functions {
        let routed: BTreeSet<(String, String)> =
            function.routes.iter().map(|r| (r.method.to_string(), r.path.clone())).collect();
        for route in &function.routes {
            let key = (route.method.to_string(), route.path.clone());
            owners.entry(key).or_default().push(function.logical_id.clone());
        }
        let Some(served) = facts.routers.get(&function.binary) else {
            if !routed.is_empty() {
                out.push(violation(Rule::RouteNotServed, &function.logical_id, "routed HTTP but has no router"));
            }
            continue;
        };
        let mut served = served.clone();
        if !routed.contains(&health) {
            served.remove(&health);
        }
        for (method, path) in routed.difference(&served) {
            out.push(violation(Rule::RouteNotServed, &function.logical_id, format!("{method} {path}")));
        }
        for (method, path) in served.difference(&routed) {
            out.push(violation(Rule::RouteNotRouted, &function.logical_id, format!("{method} {path}")));
        }
    }
    for ((method, path), functions) in &owners {
        if functions.len() > 1 {
            out.push(violation(Rule::RouteOwnership, functions.join(", "), format!("{method} {path} routed twice")));
        }
    }
    if !owners.contains_key(&health) && !facts.routers.is_empty() {
        out.push(violation(
            Rule::RouteOwnership,
            "HttpApi",
            format!("no function is routed {} {}", health.0, health.1),
        ));
    }
    out
}
