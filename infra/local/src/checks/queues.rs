//! Queues and their consumers: partial batch failures, dead-letter queues, visibility.

use std::collections::{BTreeMap, BTreeSet};

use serde_yaml::Value;

use super::{Rule, Violation, cfn, violation};
use crate::template::Template;

/// SQS's default visibility timeout and SAM's default function timeout.
const DEFAULT_VISIBILITY: u64 = 30;
const DEFAULT_TIMEOUT: u64 = 3;

pub(crate) fn function_timeout(template: &Template, properties: &Value) -> u64 {
    properties
        .get("Timeout")
        .or_else(|| template.document.get("Globals").and_then(|g| g.get("Function")).and_then(|f| f.get("Timeout")))
        .and_then(Value::as_u64)
        .unwrap_or(DEFAULT_TIMEOUT)
}

/// Queues used as somebody's dead-letter queue (a queue's redrive policy or a schedule's
/// `DeadLetterConfig`).
fn dead_letter_queues(template: &Template) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (_, resource) in cfn::resources(template) {
        cfn::walk(&resource, &mut |v| {
            let Value::Mapping(map) = v else { return };
            let redrive = map.get("deadLetterTargetArn");
            let config = map.get("DeadLetterConfig").and_then(|c| c.get("Arn"));
            for target in [redrive, config].into_iter().flatten().filter_map(cfn::get_att) {
                out.insert(target.0);
            }
        });
    }
    out
}

pub(crate) fn check(template: &Template) -> Vec<Violation> {
    let mut out = Vec::new();
    // Consumers (queue → timeouts of the functions it triggers).
    let mut consumers: BTreeMap<String, Vec<(String, u64)>> = BTreeMap::new();
    for function in &template.functions {
        let Some(events) = function.properties.get("Events").and_then(Value::as_mapping) else { continue };
        for (name, event) in events {
            if event.get("Type").and_then(Value::as_str) != Some("SQS") {
                continue;
            }
            let at = format!("{}.{}", function.logical_id, name.as_str().unwrap_or_default());
            let props = event.get("Properties").cloned().unwrap_or(Value::Null);
            let reports = props
                .get("FunctionResponseTypes")
                .and_then(Value::as_sequence)
                .is_some_and(|t| t.iter().any(|v| v.as_str() == Some("ReportBatchItemFailures")));
            if !reports {
                out.push(violation(
                    Rule::BatchItemFailures,
                    &at,
                    "SQS event source without FunctionResponseTypes: [ReportBatchItemFailures]: one bad message would replay its whole batch",
                ));
            }
            match props.get("Queue").and_then(cfn::get_att) {
                Some((queue, attr)) if attr == "Arn" => consumers
                    .entry(queue)
                    .or_default()
                    .push((function.logical_id.clone(), function_timeout(template, &function.properties))),
                _ => out.push(violation(Rule::DanglingReference, &at, "Queue is not !GetAtt <queue>.Arn")),
            }
        }
    }
    let dlqs = dead_letter_queues(template);
    for (id, queue) in cfn::of_type(template, "AWS::SQS::Queue") {
        let props = queue.get("Properties").cloned().unwrap_or(Value::Null);
        if !dlqs.contains(&id) {
            let redrive = props.get("RedrivePolicy");
            let target = redrive.and_then(|r| r.get("deadLetterTargetArn")).and_then(cfn::get_att);
            let receives = redrive.and_then(|r| r.get("maxReceiveCount")).and_then(Value::as_u64).unwrap_or(0);
            let target_ok = target.as_ref().is_some_and(|(t, attr)| {
                attr == "Arn" && cfn::resource_type(template, t).as_deref() == Some("AWS::SQS::Queue")
            });
            if !target_ok || receives == 0 {
                out.push(violation(
                    Rule::DeadLetterQueue,
                    &id,
                    "no RedrivePolicy with deadLetterTargetArn (!GetAtt <queue>.Arn) and maxReceiveCount ≥ 1",
                ));
            }
        }
        let visibility = props.get("VisibilityTimeout").and_then(Value::as_u64).unwrap_or(DEFAULT_VISIBILITY);
        for (function, timeout) in consumers.get(&id).into_iter().flatten() {
            if visibility < 6 * timeout {
                out.push(violation(
                    Rule::VisibilityTimeout,
                    &id,
                    format!("visibility {visibility} s < 6 × {function}'s timeout {timeout} s"),
                ));
            }
        }
    }
    out
}
