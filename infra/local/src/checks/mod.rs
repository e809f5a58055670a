//! The template checks itself: every rule template.yaml must keep, as one function that
//! returns every violation (empty = deployable). `infra/local/tests/template_check.rs` runs
//! it on the real template and on deliberately broken copies, one per rule.
//!
//! The facts the template is checked against (the workspace's binaries, each function's
//! router, what each function's code calls) are passed in, so the rules stay pure.

mod cfn;
mod functions;
pub mod grants;
mod queues;
mod schedules;

use std::collections::{BTreeMap, BTreeSet};

pub(crate) use cfn::{intrinsic as cfn_intrinsic, sub_variables};
pub use grants::Grant;

use crate::template::Template;

/// What the template must agree with.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Every `[[bin]]` name in the workspace.
    pub binaries: BTreeSet<String>,
    /// Binary → the (METHOD, path) routes its router serves (HTTP functions only).
    pub routers: BTreeMap<String, BTreeSet<(String, String)>>,
    /// Binary → what its code calls (grants::declared()).
    pub needs: BTreeMap<String, BTreeSet<Grant>>,
}

/// The rules, each a stable name a violation carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rule {
    /// Runtime `provided.al2023`.
    Runtime,
    /// arm64 (directly or through the `Architecture` parameter whose default is arm64).
    Architecture,
    /// `Metadata.BuildMethod: rust-cargolambda`.
    BuildMethod,
    /// `Metadata.BuildProperties.Binary` (the only place SAM CLI reads it) names a binary of
    /// the workspace.
    Binary,
    /// The function is routed a path its router does not serve.
    RouteNotServed,
    /// The router serves a path the template does not route to it.
    RouteNotRouted,
    /// A route is given to two functions, or the shared health route to none or several.
    RouteOwnership,
    /// An SQS event source without `FunctionResponseTypes: [ReportBatchItemFailures]`.
    BatchItemFailures,
    /// A queue that is not a dead-letter queue has no redrive policy to an existing queue.
    DeadLetterQueue,
    /// A queue's visibility timeout is under 6× its consumer's timeout.
    VisibilityTimeout,
    /// A schedule expression that EventBridge Scheduler would reject.
    ScheduleExpression,
    /// A schedule without a valid IANA `ScheduleExpressionTimezone`.
    ScheduleTimezone,
    /// A schedule without a dead-letter queue for events it could not deliver.
    ScheduleDeadLetter,
    /// A policy grants something the function's code does not call.
    ExtraGrant,
    /// The function's code calls something its policy does not grant.
    MissingGrant,
    /// A policy statement this checker does not understand (so cannot vouch for).
    UnknownGrant,
    /// `search` may write only its rate-limit, salt and history items.
    SearchReadOnly,
    /// An alarm's dimension names no resource of the right type.
    AlarmTarget,
    /// A reference (`!Ref`, `!GetAtt`, `${...}`) to nothing.
    DanglingReference,
    /// A function sets an environment variable only the emulator test may set.
    TestOnlyEnvironment,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Violation {
    pub rule: Rule,
    /// The logical id (and event or statement) at fault.
    pub at: String,
    pub detail: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?} at {}: {}", self.rule, self.at, self.detail)
    }
}

pub(crate) fn violation(rule: Rule, at: impl Into<String>, detail: impl Into<String>) -> Violation {
    Violation { rule, at: at.into(), detail: detail.into() }
}

/// Every violation of every rule, sorted.
pub fn check(template: &Template, facts: &Facts) -> Vec<Violation> {
    let mut out = Vec::new();
    out.extend(cfn::dangling_references(template));
    out.extend(functions::check(template, facts));
    out.extend(queues::check(template));
    out.extend(schedules::check(template));
    out.extend(grants::check(template, facts));
    out.extend(cfn::alarms(template));
    out.sort();
    out.dedup();
    out
}

/// The workspace's `[[bin]]` names, read from every member's Cargo.toml.
pub fn workspace_binaries(root: &std::path::Path) -> Result<BTreeSet<String>, String> {
    let read = |p: &std::path::Path| std::fs::read_to_string(p).map_err(|e| format!("{p:?}: {e}"));
    let workspace = read(&root.join("Cargo.toml"))?;
    let members = workspace
        .split_once("members = [")
        .and_then(|(_, rest)| rest.split_once(']'))
        .map(|(list, _)| list)
        .ok_or("workspace Cargo.toml has no members list")?;
    let mut out = BTreeSet::new();
    for member in members.split(',').map(|m| m.trim().trim_matches('"')).filter(|m| !m.is_empty()) {
        let manifest = read(&root.join(member).join("Cargo.toml"))?;
        // Each `[[bin]]` table's `name = "…"` (the only bins here are declared explicitly).
        for table in manifest.split("[[bin]]").skip(1) {
            let body = table.split("\n[").next().unwrap_or_default();
            if let Some(name) = body
                .lines()
                .find_map(|l| l.trim().strip_prefix("name").map(str::trim).and_then(|r| r.strip_prefix('=')))
            {
                out.insert(name.trim().trim_matches('"').to_owned());
            }
        }
    }
    Ok(out)
}
