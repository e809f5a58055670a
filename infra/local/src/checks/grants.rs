//! Least privilege: each function's policies grant exactly what its code calls.
//!
//! [`declared`] is the table of what each function's code calls, kept beside this check
//! (the function crates are thin; their AWS calls are the shared crate's `Store`,
//! `SqsPublisher`, `SesMailer` and `lambda::secret`). Two tests keep it honest:
//! `template_check.rs` compares it with the template's policies in both directions, and
//! `fixtures.rs` replays every events/ fixture with each function's DynamoDB and queue
//! calls recorded and checks every observed call against the template's grants (and that
//! a function granted writes does write).
//!
//! Granularity: SAM's policy templates are the unit (`DynamoDBReadPolicy` = read,
//! `DynamoDBCrudPolicy` = read + write); anything finer is an explicit statement, which
//! this check must understand or it reports `UnknownGrant`. `search` is held to read-only
//! plus `PutItem`/`UpdateItem` on items whose partition key is its rate-limit counter
//! (`RATE#…`), the day's IP salt (`SALT`) or the caller's own history (`HIST#…`), via
//! `dynamodb:LeadingKeys`; that exception is hard-coded in [`Rule::SearchReadOnly`] too,
//! so editing the table and the template together cannot widen it unnoticed.

use std::collections::{BTreeMap, BTreeSet};

use serde_yaml::Value;

use super::{Facts, Rule, Violation, cfn, violation};
use crate::template::Template;

/// One thing a function may do.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Grant {
    /// GetItem, BatchGetItem, Query, Scan, DescribeTable on the table and its indexes.
    TableRead,
    /// Every item write: PutItem, UpdateItem, DeleteItem, BatchWriteItem, ConditionCheckItem.
    TableWrite,
    /// These write actions, only on items whose partition key matches one of these patterns
    /// (`*` = any suffix).
    TableWriteKeys { actions: Vec<String>, keys: Vec<String> },
    /// sqs:SendMessage* on this queue (logical id).
    QueueSend(String),
    /// ssm:GetParameter on the parameter named by this template parameter.
    Parameter(String),
    /// kms:Decrypt only through SSM (SecureString parameters).
    DecryptViaSsm,
    /// ses:SendEmail.
    SendEmail,
    /// sqs:GetQueueAttributes on this queue (logical id): monitoring its depth.
    QueueAttributes(String),
    /// sqs:ReceiveMessage + sqs:DeleteMessage on this queue: draining a dead-letter queue
    /// in a redrive.
    QueueDrain(String),
}

/// The DynamoDB actions each SAM policy template allows (the SAM policy template list).
pub const READ_ACTIONS: [&str; 5] = ["GetItem", "BatchGetItem", "Query", "Scan", "DescribeTable"];
pub const WRITE_ACTIONS: [&str; 5] = ["PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "ConditionCheckItem"];

/// What each function's code calls.
pub fn declared() -> BTreeMap<String, BTreeSet<Grant>> {
    use Grant::*;
    let events = || QueueSend("EventsQueue".into());
    let notifications = || QueueSend("NotificationsQueue".into());
    // Every function verifies tokens with the public key it reads at cold start.
    let public_key = || Parameter("JwtPublicKeyParameter".into());
    let crud = [TableRead, TableWrite];
    let table: Vec<(&str, Vec<Grant>)> = vec![
        // Catalog, profiles, search read the directory; a request may count its rate limit,
        // read or create the day's salt, and soft-delete its own history entry; searches
        // publish their event.
        (
            "search",
            vec![
                TableRead,
                TableWriteKeys {
                    actions: vec!["PutItem".into(), "UpdateItem".into()],
                    keys: vec!["HIST#*".into(), "RATE#*".into(), "SALT".into()],
                },
                events(),
                public_key(),
            ],
        ),
        // Bookings and availability write; booking events go out through the queue.
        // Booking events go to both queues (analytics and notifications).
        ("booking", [crud.to_vec(), vec![events(), notifications(), public_key()]].concat()),
        // Republishes the outbox; publishes due reminders to the notifications queue.
        ("booking-outbox", [crud.to_vec(), vec![events(), notifications(), public_key()]].concat()),
        // Reads bookings and users, claims each mail, indexes reminders; sends the mail.
        ("booking-notify", [crud.to_vec(), vec![public_key(), SendEmail]].concat()),
        // Users, roles, audit; admin changes publish account events. Operations: every
        // queue's depth, draining the dead-letter queues back into their sources.
        (
            "admin",
            [
                crud.to_vec(),
                vec![events(), notifications(), public_key()],
                ["EventsQueue", "EventsDeadLetterQueue", "NotificationsQueue", "NotificationsDeadLetterQueue"]
                    .map(|q| QueueAttributes(q.into()))
                    .to_vec(),
                ["EventsDeadLetterQueue", "NotificationsDeadLetterQueue"].map(|q| QueueDrain(q.into())).to_vec(),
            ]
            .concat(),
        ),
        // The only signer (private key, a SecureString) and the only mail sender.
        (
            "accounts",
            [
                crud.to_vec(),
                vec![events(), public_key(), Parameter("JwtPrivateKeyParameter".into()), DecryptViaSsm, SendEmail],
            ]
            .concat(),
        ),
        // Applies events to history and counters; it consumes the queue (the event source
        // mapping's own permissions come with the SQS event) and publishes nothing.
        ("analytics-worker", [crud.to_vec(), vec![public_key()]].concat()),
        // Records its run; publishes nothing.
        ("analytics-daily", [crud.to_vec(), vec![public_key()]].concat()),
    ];
    table.into_iter().map(|(f, g)| (f.to_owned(), g.into_iter().collect())).collect()
}

/// The grants a function's `Policies` give, and anything not understood.
pub fn granted(template: &Template, logical_id: &str, policies: &Value) -> (BTreeSet<Grant>, Vec<Violation>) {
    let mut grants = BTreeSet::new();
    let mut unknown = Vec::new();
    let Some(policies) = policies.as_sequence() else {
        return (grants, unknown);
    };
    for policy in policies {
        let Some(map) = policy.as_mapping() else {
            unknown.push(violation(Rule::UnknownGrant, logical_id, format!("policy {policy:?}")));
            continue;
        };
        for (name, arg) in map {
            let table_is_ours = || arg.get("TableName").and_then(cfn::reference) == Some("Table");
            match name.as_str().unwrap_or_default() {
                "DynamoDBReadPolicy" if table_is_ours() => {
                    grants.insert(Grant::TableRead);
                }
                "DynamoDBCrudPolicy" if table_is_ours() => {
                    grants.insert(Grant::TableRead);
                    grants.insert(Grant::TableWrite);
                }
                "SQSSendMessagePolicy" => match arg.get("QueueName").and_then(cfn::get_att) {
                    Some((queue, attr)) if attr == "QueueName" => {
                        grants.insert(Grant::QueueSend(queue));
                    }
                    _ => unknown.push(violation(Rule::UnknownGrant, logical_id, "SQSSendMessagePolicy QueueName")),
                },
                "Statement" => {
                    for statement in arg.as_sequence().into_iter().flatten() {
                        match statement_grants(template, statement) {
                            Ok(found) => grants.extend(found),
                            Err(why) => unknown.push(violation(Rule::UnknownGrant, logical_id, why)),
                        }
                    }
                }
                other => unknown.push(violation(Rule::UnknownGrant, logical_id, format!("policy {other}"))),
            }
        }
    }
    (grants, unknown)
}

fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Sequence(items)) => items.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        _ => Vec::new(),
    }
}

/// An explicit `Allow` statement, understood or refused.
fn statement_grants(template: &Template, statement: &Value) -> Result<Vec<Grant>, String> {
    if statement.get("Effect").and_then(Value::as_str) != Some("Allow") {
        return Err(format!("statement without Effect: Allow: {statement:?}"));
    }
    let actions = strings(statement.get("Action"));
    let resources: Vec<&Value> = match statement.get("Resource") {
        Some(Value::Sequence(items)) => items.iter().collect(),
        Some(one) => vec![one],
        None => Vec::new(),
    };
    let condition = statement.get("Condition");
    if actions.is_empty() || actions.iter().any(|a| a.contains('*')) {
        return Err(format!("actions {actions:?}: wildcards or none"));
    }
    let services: BTreeSet<&str> = actions.iter().filter_map(|a| a.split(':').next()).collect();
    let [service] = services.into_iter().collect::<Vec<_>>()[..] else {
        return Err(format!("actions {actions:?} mix services"));
    };
    match service {
        "ssm" if actions == ["ssm:GetParameter"] && condition.is_none() => resources
            .iter()
            .map(|r| {
                let (name, arg) = cfn::intrinsic(r).ok_or(format!("ssm resource {r:?} is not !Sub"))?;
                let text = arg.as_str().filter(|_| name == "Sub").ok_or(format!("ssm resource {r:?}"))?;
                let (_, parameter) = text.split_once(":parameter${").ok_or(format!("ssm resource {text}"))?;
                let parameter = parameter.strip_suffix('}').ok_or(format!("ssm resource {text}: one parameter"))?;
                if template.document.get("Parameters").and_then(|p| p.get(parameter)).is_none() {
                    return Err(format!("ssm resource names no template parameter: {text}"));
                }
                Ok(Grant::Parameter(parameter.to_owned()))
            })
            .collect(),
        "kms" if actions == ["kms:Decrypt"] => {
            let via = condition.and_then(|c| c.get("StringEquals")).and_then(|c| c.get("kms:ViaService"));
            let via_ssm =
                via.and_then(cfn::intrinsic).and_then(|(_, v)| v.as_str()).is_some_and(|v| v.starts_with("ssm."));
            if via_ssm {
                Ok(vec![Grant::DecryptViaSsm])
            } else {
                Err("kms:Decrypt not limited to kms:ViaService ssm".into())
            }
        }
        "ses" if actions == ["ses:SendEmail"] && condition.is_none() => Ok(vec![Grant::SendEmail]),
        "sqs" if condition.is_none() => {
            let queues = resources
                .iter()
                .map(|r| match cfn::get_att(r) {
                    Some((queue, attr)) if attr == "Arn" => Ok(queue.to_owned()),
                    _ => Err(format!("sqs resource {r:?} is not a queue's !GetAtt Arn")),
                })
                .collect::<Result<Vec<_>, _>>()?;
            let mut sorted: Vec<&str> = actions.iter().map(String::as_str).collect();
            sorted.sort_unstable();
            let grant: fn(String) -> Grant = match sorted[..] {
                ["sqs:GetQueueAttributes"] => Grant::QueueAttributes,
                ["sqs:DeleteMessage", "sqs:ReceiveMessage"] => Grant::QueueDrain,
                ["sqs:SendMessage"] => Grant::QueueSend,
                _ => return Err(format!("sqs actions {actions:?} are not understood by this check")),
            };
            Ok(queues.into_iter().map(grant).collect())
        }
        "dynamodb" => {
            let on_table =
                resources.len() == 1 && cfn::get_att(resources[0]).is_some_and(|(t, a)| t == "Table" && a == "Arn");
            let keys = condition
                .and_then(|c| c.get("ForAllValues:StringLike"))
                .and_then(|c| c.get("dynamodb:LeadingKeys"))
                .map(|k| strings(Some(k)));
            let actions: Vec<String> = actions.iter().map(|a| a.trim_start_matches("dynamodb:").to_owned()).collect();
            match keys {
                Some(mut keys) if on_table && condition.and_then(Value::as_mapping).map(|m| m.len()) == Some(1) => {
                    let mut actions = actions;
                    actions.sort();
                    keys.sort();
                    Ok(vec![Grant::TableWriteKeys { actions, keys }])
                }
                _ => Err(format!("dynamodb statement {actions:?} is not a LeadingKeys-limited write on the table")),
            }
        }
        _ => Err(format!("actions {actions:?} are not understood by this check")),
    }
}

pub(crate) fn check(template: &Template, facts: &Facts) -> Vec<Violation> {
    let mut out = Vec::new();
    for function in &template.functions {
        let id = &function.logical_id;
        let policies = function.properties.get("Policies").cloned().unwrap_or(Value::Null);
        let (grants, unknown) = granted(template, id, &policies);
        out.extend(unknown);
        if function.binary == "search" {
            let widened = grants.iter().any(|g| match g {
                Grant::TableWrite => true,
                Grant::TableWriteKeys { actions, keys } => {
                    actions.iter().any(|a| a != "PutItem" && a != "UpdateItem")
                        || keys.iter().any(|k| !["HIST#*", "RATE#*", "SALT"].contains(&k.as_str()))
                }
                _ => false,
            });
            if widened {
                out.push(violation(
                    Rule::SearchReadOnly,
                    id,
                    format!("search may write more than its own items: {grants:?}"),
                ));
            }
        }
        let Some(needs) = facts.needs.get(&function.binary) else {
            out.push(violation(Rule::ExtraGrant, id, format!("no declaration of what {} calls", function.binary)));
            continue;
        };
        for extra in grants.difference(needs) {
            out.push(violation(Rule::ExtraGrant, id, format!("{extra:?} is granted but not called")));
        }
        for missing in needs.difference(&grants) {
            out.push(violation(Rule::MissingGrant, id, format!("{missing:?} is called but not granted")));
        }
    }
    out
}

/// Whether `grants` allow this DynamoDB action on an item with this partition key (for
/// writes). Reads need `TableRead`; `TransactWriteItems` is authorised per item action.
pub fn allows(grants: &BTreeSet<Grant>, action: &str, partition_key: Option<&str>) -> bool {
    if READ_ACTIONS.contains(&action) {
        return grants.contains(&Grant::TableRead);
    }
    if grants.contains(&Grant::TableWrite) {
        return WRITE_ACTIONS.contains(&action);
    }
    grants.iter().any(|g| match g {
        Grant::TableWriteKeys { actions, keys } => {
            actions.iter().any(|a| a == action)
                && partition_key.is_some_and(|pk| {
                    keys.iter().any(|k| match k.strip_suffix('*') {
                        Some(prefix) => pk.starts_with(prefix),
                        None => pk == k,
                    })
                })
        }
        _ => false,
    })
}
