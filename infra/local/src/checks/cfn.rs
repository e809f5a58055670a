//! Reading CloudFormation out of the parsed template: resources, intrinsic functions
//! (short `!Ref X` and long `{Ref: X}` forms), references that point at nothing, alarms.

use serde_yaml::{Mapping, Value};

use super::{Rule, Violation, violation};
use crate::template::Template;

pub(crate) fn resources(template: &Template) -> Mapping {
    template.document.get("Resources").and_then(Value::as_mapping).cloned().unwrap_or_default()
}

pub(crate) fn resource_type(template: &Template, id: &str) -> Option<String> {
    template.document.get("Resources")?.get(id)?.get("Type")?.as_str().map(str::to_owned)
}

/// (logical id, resource) of every resource of this type.
pub(crate) fn of_type(template: &Template, kind: &str) -> Vec<(String, Value)> {
    resources(template)
        .into_iter()
        .filter(|(_, r)| r.get("Type").and_then(Value::as_str) == Some(kind))
        .filter_map(|(id, r)| Some((id.as_str()?.to_owned(), r)))
        .collect()
}

fn is_parameter(template: &Template, name: &str) -> bool {
    template.document.get("Parameters").and_then(|p| p.get(name)).is_some()
}

/// An intrinsic function: its name without `!`/`Fn::` and its argument.
pub(crate) fn intrinsic(value: &Value) -> Option<(String, &Value)> {
    match value {
        Value::Tagged(tagged) => Some((tagged.tag.to_string().trim_start_matches('!').to_owned(), &tagged.value)),
        Value::Mapping(map) if map.len() == 1 => {
            let (key, arg) = map.iter().next()?;
            let key = key.as_str()?;
            let name = if key == "Ref" { "Ref" } else { key.strip_prefix("Fn::")? };
            Some((name.to_owned(), arg))
        }
        _ => None,
    }
}

/// `!Ref X` → X.
pub(crate) fn reference(value: &Value) -> Option<&str> {
    match intrinsic(value)? {
        (name, Value::String(target)) if name == "Ref" => Some(target.as_str()),
        _ => None,
    }
}

/// `!GetAtt X.Attr` (or `[X, Attr]`) → (X, Attr).
pub(crate) fn get_att(value: &Value) -> Option<(String, String)> {
    let (name, arg) = intrinsic(value)?;
    if name != "GetAtt" {
        return None;
    }
    match arg {
        Value::String(s) => s.split_once('.').map(|(a, b)| (a.to_owned(), b.to_owned())),
        Value::Sequence(parts) if parts.len() == 2 => {
            Some((parts[0].as_str()?.to_owned(), parts[1].as_str()?.to_owned()))
        }
        _ => None,
    }
}

/// The `${Name}` / `${Name.Attr}` variables of a `!Sub` string (not `${!Literal}`).
pub(crate) fn sub_variables(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        let name = &after[..end];
        if !name.starts_with('!') {
            out.push(name.to_owned());
        }
        rest = &after[end + 1..];
    }
    out
}

/// Every `!Ref`, `!GetAtt` and `!Sub` variable names a parameter, a resource or a pseudo
/// parameter.
pub(crate) fn dangling_references(template: &Template) -> Vec<Violation> {
    let mut out = Vec::new();
    let exists = |name: &str| {
        name.starts_with("AWS::") || is_parameter(template, name) || resource_type(template, name).is_some()
    };
    let visit = |at: &str, value: &Value, out: &mut Vec<Violation>| {
        walk(value, &mut |v| {
            if let Some(target) = reference(v)
                && !exists(target)
            {
                out.push(violation(Rule::DanglingReference, at, format!("!Ref {target}")));
            }
            if let Some((target, attr)) = get_att(v)
                && resource_type(template, &target).is_none()
            {
                out.push(violation(Rule::DanglingReference, at, format!("!GetAtt {target}.{attr}")));
            }
            if let Some((name, arg)) = intrinsic(v)
                && name == "Sub"
            {
                let text = match arg {
                    Value::String(s) => Some(s.as_str()),
                    Value::Sequence(parts) => parts.first().and_then(Value::as_str),
                    _ => None,
                };
                for var in text.map(sub_variables).unwrap_or_default() {
                    let base = var.split('.').next().unwrap_or_default();
                    if !exists(base) {
                        out.push(violation(Rule::DanglingReference, at, format!("${{{var}}} in !Sub")));
                    }
                }
            }
        });
    };
    for section in ["Globals", "Outputs"] {
        if let Some(value) = template.document.get(section) {
            visit(section, value, &mut out);
        }
    }
    for (id, resource) in resources(template) {
        visit(id.as_str().unwrap_or_default(), &resource, &mut out);
    }
    out
}

/// Calls `f` on `value` and everything inside it.
pub(crate) fn walk(value: &Value, f: &mut dyn FnMut(&Value)) {
    f(value);
    match value {
        Value::Sequence(items) => items.iter().for_each(|v| walk(v, f)),
        Value::Mapping(map) => map.values().for_each(|v| walk(v, f)),
        Value::Tagged(tagged) => walk(&tagged.value, f),
        _ => {}
    }
}

/// Every alarm watches a resource of this template: a `FunctionName` dimension is `!Ref`
/// of a function, a `QueueName` dimension `!GetAtt` of a queue's `QueueName`.
pub(crate) fn alarms(template: &Template) -> Vec<Violation> {
    let mut out = Vec::new();
    for (id, alarm) in of_type(template, "AWS::CloudWatch::Alarm") {
        let dimensions = alarm.get("Properties").and_then(|p| p.get("Dimensions")).and_then(Value::as_sequence);
        let Some(dimensions) = dimensions.filter(|d| !d.is_empty()) else {
            out.push(violation(Rule::AlarmTarget, &id, "no Dimensions: the alarm watches nothing of this stack"));
            continue;
        };
        for dimension in dimensions {
            let name = dimension.get("Name").and_then(Value::as_str).unwrap_or_default();
            let value = dimension.get("Value").cloned().unwrap_or(Value::Null);
            let ok = match name {
                "FunctionName" => reference(&value)
                    .and_then(|r| resource_type(template, r))
                    .is_some_and(|t| t == "AWS::Serverless::Function"),
                "QueueName" => get_att(&value).is_some_and(|(r, attr)| {
                    attr == "QueueName" && resource_type(template, &r).as_deref() == Some("AWS::SQS::Queue")
                }),
                other => {
                    out.push(violation(Rule::AlarmTarget, &id, format!("dimension {other:?} is not checked")));
                    continue;
                }
            };
            if !ok {
                out.push(violation(
                    Rule::AlarmTarget,
                    &id,
                    format!("{name} dimension does not name a resource of this template: {value:?}"),
                ));
            }
        }
    }
    out
}
