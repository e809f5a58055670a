//! What template.yaml says: the functions, their binaries, and the HTTP routes API
//! Gateway sends to each. The local platform mounts routes from here, so what runs locally
//! is routed exactly as on AWS.

use http::Method;
use serde_yaml::Value;

pub const TEMPLATE: &str = include_str!("../../../template.yaml");

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub method: Method,
    pub path: String,
}

#[derive(Debug, Clone)]
pub struct Function {
    pub logical_id: String,
    pub binary: String,
    pub properties: Value,
    pub metadata: Value,
    pub routes: Vec<Route>,
}

#[derive(Debug, Clone)]
pub struct Template {
    pub document: Value,
    pub functions: Vec<Function>,
}

impl Template {
    pub fn parse(text: &str) -> Result<Self, String> {
        let document: Value = serde_yaml::from_str(text).map_err(|e| format!("template.yaml: {e}"))?;
        let resources = document.get("Resources").and_then(Value::as_mapping).ok_or("template has no Resources")?;
        let mut functions = Vec::new();
        for (id, resource) in resources {
            if resource.get("Type").and_then(Value::as_str) != Some("AWS::Serverless::Function") {
                continue;
            }
            let logical_id = id.as_str().ok_or("resource id is not a string")?.to_owned();
            let metadata = resource.get("Metadata").cloned().unwrap_or(Value::Null);
            // SAM CLI reads a Rust function's binary only from `Metadata.BuildProperties.Binary`;
            // a missing one is left empty for the self-check to report (Rule::Binary), not a
            // parse error, so a broken copy is explained rather than refused.
            let binary = metadata
                .get("BuildProperties")
                .and_then(|p| p.get("Binary"))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let properties = resource.get("Properties").cloned().unwrap_or(Value::Null);
            let mut routes = Vec::new();
            if let Some(events) = properties.get("Events").and_then(Value::as_mapping) {
                for (name, event) in events {
                    if event.get("Type").and_then(Value::as_str) != Some("HttpApi") {
                        continue;
                    }
                    let props = event.get("Properties").ok_or(format!("{logical_id}.{name:?} has no Properties"))?;
                    let method =
                        props.get("Method").and_then(Value::as_str).ok_or(format!("{logical_id}.{name:?}: Method"))?;
                    let path =
                        props.get("Path").and_then(Value::as_str).ok_or(format!("{logical_id}.{name:?}: Path"))?;
                    let method =
                        Method::from_bytes(method.to_ascii_uppercase().as_bytes()).map_err(|e| e.to_string())?;
                    routes.push(Route { method, path: path.to_owned() });
                }
            }
            functions.push(Function { logical_id, binary, properties, metadata, routes });
        }
        Ok(Self { document, functions })
    }

    pub fn embedded() -> Result<Self, String> {
        Self::parse(TEMPLATE)
    }

    pub fn function(&self, binary: &str) -> Option<&Function> {
        self.functions.iter().find(|f| f.binary == binary)
    }
}
