//! The environment a function's process gets on Lambda: the variables template.yaml gives
//! it (`Globals.Function.Environment` and its own, intrinsic functions resolved against
//! stand-ins for the stack's resources) and those the Lambda service sets itself. The
//! runtime-emulator test and the cold-start benchmark start the real binaries with it.

use std::collections::BTreeMap;

use serde_yaml::Value;

use crate::{checks, template::Template};

/// What `!Ref` / `!GetAtt` of the stack's resources stand for locally, e.g.
/// `Table` → the local table's name, `EventsQueue` → a local queue's URL.
pub type Resources = BTreeMap<String, String>;

/// The region every local run pretends to be in.
pub const REGION: &str = "us-east-1";

enum Resolved {
    One(String),
    List(Vec<String>),
}

fn resolve(template: &Template, resources: &Resources, value: &Value) -> Result<Resolved, String> {
    if let Some((name, arg)) = checks::cfn_intrinsic(value) {
        return match name.as_str() {
            "Ref" => {
                let target = arg.as_str().ok_or("!Ref of a non-string")?;
                if let Some(local) = resources.get(target) {
                    return Ok(Resolved::One(local.clone()));
                }
                if target == "AWS::Region" {
                    return Ok(Resolved::One(REGION.into()));
                }
                let parameter = template
                    .document
                    .get("Parameters")
                    .and_then(|p| p.get(target))
                    .ok_or(format!("!Ref {target}: no local stand-in and no parameter"))?;
                let default = parameter.get("Default").ok_or(format!("parameter {target} has no Default"))?;
                let text = match default {
                    Value::String(s) => s.clone(),
                    other => serde_yaml::to_string(other).map_err(|e| e.to_string())?.trim().to_owned(),
                };
                if parameter.get("Type").and_then(Value::as_str) == Some("CommaDelimitedList") {
                    Ok(Resolved::List(text.split(',').map(|s| s.trim().to_owned()).collect()))
                } else {
                    Ok(Resolved::One(text))
                }
            }
            "GetAtt" => {
                let text = match arg {
                    Value::String(s) => s.clone(),
                    Value::Sequence(parts) => parts.iter().filter_map(Value::as_str).collect::<Vec<_>>().join("."),
                    _ => return Err("!GetAtt of an unexpected shape".into()),
                };
                resources.get(&text).cloned().map(Resolved::One).ok_or(format!("!GetAtt {text}: no local stand-in"))
            }
            "Join" => {
                let parts = arg.as_sequence().filter(|p| p.len() == 2).ok_or("!Join takes [separator, list]")?;
                let separator = parts[0].as_str().ok_or("!Join separator")?;
                let items = match resolve(template, resources, &parts[1])? {
                    Resolved::List(items) => items,
                    Resolved::One(_) => match &parts[1] {
                        Value::Sequence(items) => items
                            .iter()
                            .map(|i| one(resolve(template, resources, i)?))
                            .collect::<Result<Vec<_>, String>>()?,
                        _ => return Err("!Join of a single value".into()),
                    },
                };
                Ok(Resolved::One(items.join(separator)))
            }
            "Sub" => {
                let mut text = arg.as_str().ok_or("!Sub with variables is not supported here")?.to_owned();
                for var in checks::sub_variables(&text) {
                    let value = if var.contains('.') {
                        resources.get(&var).cloned().ok_or(format!("${{{var}}}: no local stand-in"))?
                    } else {
                        let reference = Value::Tagged(Box::new(serde_yaml::value::TaggedValue {
                            tag: serde_yaml::value::Tag::new("Ref"),
                            value: Value::String(var.clone()),
                        }));
                        one(resolve(template, resources, &reference)?)?
                    };
                    text = text.replace(&format!("${{{var}}}"), &value);
                }
                Ok(Resolved::One(text))
            }
            other => Err(format!("intrinsic {other} is not resolved locally")),
        };
    }
    match value {
        Value::String(s) => Ok(Resolved::One(s.clone())),
        Value::Number(n) => Ok(Resolved::One(n.to_string())),
        Value::Bool(b) => Ok(Resolved::One(b.to_string())),
        Value::Sequence(items) => {
            Ok(Resolved::List(items.iter().map(|i| one(resolve(template, resources, i)?)).collect::<Result<_, _>>()?))
        }
        other => Err(format!("cannot resolve {other:?}")),
    }
}

fn one(resolved: Resolved) -> Result<String, String> {
    match resolved {
        Resolved::One(s) => Ok(s),
        Resolved::List(items) => Ok(items.join(",")),
    }
}

/// The variables template.yaml gives `binary` (Globals first, the function's own over them).
pub fn template_environment(
    template: &Template,
    binary: &str,
    resources: &Resources,
) -> Result<BTreeMap<String, String>, String> {
    let function = template.function(binary).ok_or(format!("{binary} is not in template.yaml"))?;
    let globals = template.document.get("Globals").and_then(|g| g.get("Function")).and_then(|f| f.get("Environment"));
    let own = function.properties.get("Environment");
    let mut out = BTreeMap::new();
    for environment in [globals, own].into_iter().flatten() {
        let variables = environment.get("Variables").and_then(Value::as_mapping).cloned().unwrap_or_default();
        for (name, value) in variables {
            let name = name.as_str().ok_or("variable name is not a string")?.to_owned();
            let value = one(resolve(template, resources, &value).map_err(|e| format!("{binary} {name}: {e}"))?)?;
            out.insert(name, value);
        }
    }
    Ok(out)
}

/// The function's memory (MB), as Lambda reports it to the process.
pub fn memory_size(template: &Template, binary: &str) -> u64 {
    let function = template.function(binary);
    function
        .and_then(|f| f.properties.get("MemorySize"))
        .or_else(|| template.document.get("Globals")?.get("Function")?.get("MemorySize"))
        .and_then(Value::as_u64)
        .unwrap_or(128)
}

/// What the Lambda service sets in every function's process, with the runtime API at
/// `runtime_api` (a URL: cargo-lambda's emulator serves each function under its own path)
/// and dummy credentials (every AWS endpoint is local).
pub fn service_environment(template: &Template, binary: &str, runtime_api: &str) -> BTreeMap<String, String> {
    [
        ("AWS_LAMBDA_RUNTIME_API", runtime_api.to_owned()),
        ("AWS_LAMBDA_FUNCTION_NAME", binary.to_owned()),
        ("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST".to_owned()),
        ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", memory_size(template, binary).to_string()),
        ("AWS_LAMBDA_LOG_GROUP_NAME", format!("/aws/lambda/{binary}")),
        ("AWS_LAMBDA_LOG_STREAM_NAME", "local".to_owned()),
        ("AWS_REGION", REGION.to_owned()),
        ("AWS_DEFAULT_REGION", REGION.to_owned()),
        ("AWS_ACCESS_KEY_ID", "local".to_owned()),
        ("AWS_SECRET_ACCESS_KEY", "local".to_owned()),
        ("AWS_SESSION_TOKEN", "local".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}
