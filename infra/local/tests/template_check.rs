//! The template checks itself: no violation on the real template.yaml, and each rule
//! caught on a copy broken in exactly that way.

use std::{collections::BTreeSet, path::PathBuf};

use instainstru_local::{
    checks::{self, Facts, Rule, Violation},
    functions::http_functions,
    template::{TEMPLATE, Template},
};
use instainstru_shared::{function::Function, http::access::operations};

fn facts() -> Facts {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let routers = http_functions()
        .into_iter()
        .map(|f| {
            let doc = (f.api)().into_openapi();
            let routes: BTreeSet<(String, String)> = doc
                .paths
                .paths
                .iter()
                .flat_map(|(path, item)| operations(item).into_iter().map(move |(m, _)| (m.to_string(), path.clone())))
                .collect();
            (f.binary().to_owned(), routes)
        })
        .collect();
    Facts { binaries: checks::workspace_binaries(&root).unwrap(), routers, needs: checks::grants::declared() }
}

fn violations(text: &str) -> Vec<Violation> {
    checks::check(&Template::parse(text).unwrap(), &facts())
}

#[test]
fn the_real_template_keeps_every_rule() {
    let found = violations(TEMPLATE);
    assert!(found.is_empty(), "template.yaml breaks its rules:\n{}", render(&found));
    // The facts are real: every function's binary and router was found.
    let facts = facts();
    for name in [
        "search",
        "booking",
        "booking-outbox",
        "booking-notify",
        "admin",
        "accounts",
        "analytics-worker",
        "analytics-daily",
    ] {
        assert!(facts.binaries.contains(name), "{name} not found among {:?}", facts.binaries);
    }
    assert_eq!(facts.routers.len(), 4);
}

fn render(found: &[Violation]) -> String {
    found.iter().map(|v| format!("  {v}")).collect::<Vec<_>>().join("\n")
}

/// A copy with `from` replaced by `to` (which must occur), and its violations.
fn broken(from: &str, to: &str) -> Vec<Violation> {
    assert!(TEMPLATE.contains(from), "the template no longer contains {from:?}: update this test");
    violations(&TEMPLATE.replacen(from, to, 1))
}

#[track_caller]
fn assert_caught(found: &[Violation], rule: Rule, at: &str) {
    assert!(
        found.iter().any(|v| v.rule == rule && v.at.contains(at)),
        "expected {rule:?} at {at}, found:\n{}",
        render(found)
    );
}

#[test]
fn each_function_rule_is_caught() {
    assert_caught(&broken("Runtime: provided.al2023", "Runtime: provided.al2"), Rule::Runtime, "SearchFunction");
    let found = broken("    Default: arm64\n", "    Default: x86_64\n");
    assert_caught(&found, Rule::Architecture, "AccountsFunction");
    let found = broken("Architectures: [!Ref Architecture]", "Architectures: [x86_64]");
    assert_caught(&found, Rule::Architecture, "BookingFunction");
    let found = broken(
        "      BuildMethod: rust-cargolambda\n      BuildProperties:\n        Binary: admin",
        "      BuildMethod: makefile\n      BuildProperties:\n        Binary: admin",
    );
    assert_caught(&found, Rule::BuildMethod, "AdminFunction");
    // The key SAM CLI ignores (the template's form before issue 12): caught, not accepted.
    let found = broken("      BuildProperties:\n        Binary: search\n", "      Binary: search\n");
    assert_caught(&found, Rule::Binary, "SearchFunction");
    assert!(found.iter().any(|v| v.to_string().contains("ignored by SAM CLI")), "{}", render(&found));
    assert_caught(&broken("Binary: booking-outbox", "Binary: booking-sweeper"), Rule::Binary, "BookingOutboxFunction");
    let env = "          JWT_PRIVATE_KEY_PARAMETER: !Ref JwtPrivateKeyParameter\n";
    let found = broken(env, &format!("{env}          INSTAINSTRU_EMULATOR_NOW: \"2026-11-26T15:00:00Z\"\n"));
    assert_caught(&found, Rule::TestOnlyEnvironment, "AccountsFunction");
}

#[test]
fn each_route_rule_is_caught() {
    let health = "        Health:\n          Type: HttpApi\n          Properties: { ApiId: !Ref HttpApi, Method: GET, Path: /api/v1/health }\n";
    let extra = "        Bogus:\n          Type: HttpApi\n          Properties: { ApiId: !Ref HttpApi, Method: GET, Path: /api/v1/bogus }\n";
    let found = broken(health, &format!("{health}{extra}"));
    assert_caught(&found, Rule::RouteNotServed, "SearchFunction");
    let delete = "        SearchHistoryDelete:\n          Type: HttpApi\n          Properties: { ApiId: !Ref HttpApi, Method: DELETE, Path: \"/api/v1/search-history/{id}\" }\n";
    assert_caught(&broken(delete, ""), Rule::RouteNotRouted, "SearchFunction");
    // The health route given to no function, and a route given to two.
    assert_caught(&broken(health, ""), Rule::RouteOwnership, "HttpApi");
    let me = "        MeGet:\n          Type: HttpApi\n          Properties: { ApiId: !Ref HttpApi, Method: GET, Path: /api/v1/me }\n";
    let twice = me.replace("MeGet", "MeGetAgain");
    let found = broken(me, &format!("{me}{twice}"));
    assert_caught(&found, Rule::RouteOwnership, "AccountsFunction");
}

#[test]
fn each_queue_rule_is_caught() {
    let found = broken("            FunctionResponseTypes: [ReportBatchItemFailures]\n", "");
    // (The first SQS event source in the template is booking-notify's.)
    assert_caught(&found, Rule::BatchItemFailures, "BookingNotifyFunction.Notifications");
    let redrive = "      RedrivePolicy:\n        deadLetterTargetArn: !GetAtt EventsDeadLetterQueue.Arn\n        maxReceiveCount: 3\n";
    assert_caught(&broken(redrive, ""), Rule::DeadLetterQueue, "EventsQueue");
    assert_caught(&broken("VisibilityTimeout: 360", "VisibilityTimeout: 300"), Rule::VisibilityTimeout, "EventsQueue");
    // Raising the consumer's timeout breaks the same rule from the other side.
    let worker = "      Description: Consumes the events queue (search history, analytics counters)\n      Timeout: 60";
    let found = broken(worker, &worker.replace("Timeout: 60", "Timeout: 61"));
    assert_caught(&found, Rule::VisibilityTimeout, "EventsQueue");
}

#[test]
fn each_schedule_rule_is_caught() {
    assert_caught(
        &broken("cron(30 2 * * ? *)", "cron(30 2 * * *)"),
        Rule::ScheduleExpression,
        "AnalyticsDailyFunction",
    );
    assert_caught(&broken("rate(1 minute)", "rate(1 minutes)"), Rule::ScheduleExpression, "BookingOutboxFunction");
    let zone = "            ScheduleExpressionTimezone: America/New_York\n";
    let found = violations(&TEMPLATE.replace(zone, ""));
    assert_caught(&found, Rule::ScheduleTimezone, "AnalyticsDailyFunction");
    assert_caught(&found, Rule::ScheduleTimezone, "BookingOutboxFunction");
    let found = broken("ScheduleExpressionTimezone: America/New_York", "ScheduleExpressionTimezone: America/Gotham");
    assert_caught(&found, Rule::ScheduleTimezone, "BookingOutboxFunction");
    let dlq = "            DeadLetterConfig: { Arn: !GetAtt AnalyticsDailyDeadLetterQueue.Arn }\n";
    assert_caught(&broken(dlq, ""), Rule::ScheduleDeadLetter, "AnalyticsDailyFunction");
}

#[test]
fn each_policy_rule_is_caught() {
    // Search made read-write.
    let read = "        - DynamoDBReadPolicy: { TableName: !Ref Table }\n";
    let found = broken(read, "        - DynamoDBCrudPolicy: { TableName: !Ref Table }\n");
    assert_caught(&found, Rule::SearchReadOnly, "SearchFunction");
    assert_caught(&found, Rule::ExtraGrant, "SearchFunction");
    // Search's key-limited write widened to every key.
    let found = broken("dynamodb:LeadingKeys: [\"RATE#*\", \"SALT\", \"HIST#*\"]", "dynamodb:LeadingKeys: [\"*\"]");
    assert_caught(&found, Rule::SearchReadOnly, "SearchFunction");
    // The worker given a queue it never sends to.
    let worker = "      Description: Consumes the events queue (search history, analytics counters)\n      Timeout: 60\n      Policies:\n";
    let send = "        - SQSSendMessagePolicy: { QueueName: !GetAtt EventsQueue.QueueName }\n";
    let found = broken(worker, &format!("{worker}{send}"));
    assert_caught(&found, Rule::ExtraGrant, "AnalyticsWorkerFunction");
    // booking-notify (the template's first SES statement) without SES: it sends booking mail.
    let ses = "            - Effect: Allow\n              Action: ses:SendEmail\n";
    let found = broken(ses, "            - Effect: Allow\n              Action: ses:SendRawEmail\n");
    assert_caught(&found, Rule::UnknownGrant, "BookingNotifyFunction");
    assert_caught(&found, Rule::MissingGrant, "BookingNotifyFunction");
    // A wildcard is never vouched for.
    let found = broken("Action: [dynamodb:UpdateItem, dynamodb:PutItem]", "Action: \"dynamodb:*\"");
    assert_caught(&found, Rule::UnknownGrant, "SearchFunction");
    // SecureString decryption not limited to SSM.
    let found = broken(
        "              Condition:\n                StringEquals:\n                  kms:ViaService: !Sub \"ssm.${AWS::Region}.amazonaws.com\"\n",
        "",
    );
    assert_caught(&found, Rule::UnknownGrant, "AccountsFunction");
}

#[test]
fn alarm_and_reference_rules_are_caught() {
    let found = broken(
        "Dimensions: [{ Name: FunctionName, Value: !Ref AnalyticsDailyFunction }]",
        "Dimensions: [{ Name: FunctionName, Value: analytics-daily }]",
    );
    assert_caught(&found, Rule::AlarmTarget, "DailyJobFailureAlarm");
    let found = broken("Value: !GetAtt EventsDeadLetterQueue.QueueName", "Value: !GetAtt EventsQueue.Arn");
    assert_caught(&found, Rule::AlarmTarget, "EventsDeadLetterAlarm");
    let found = broken(
        "Dimensions: [{ Name: FunctionName, Value: !Ref BookingOutboxFunction }]",
        "Dimensions: [{ Name: FunctionName, Value: !Ref BookingOutboxFunctio }]",
    );
    assert_caught(&found, Rule::DanglingReference, "BookingOutboxFailureAlarm");
    assert_caught(&found, Rule::AlarmTarget, "BookingOutboxFailureAlarm");
    assert_caught(&broken("TABLE_NAME: !Ref Table", "TABLE_NAME: !Ref Tabel"), Rule::DanglingReference, "Globals");
    let found = broken("parameter${JwtPrivateKeyParameter}", "parameter${JwtSecretKeyParameter}");
    assert_caught(&found, Rule::DanglingReference, "AccountsFunction");
}

/// What SAM CLI's own build code (infra/scripts/sam_build_plan.py, over samcli's template
/// reader and build options) plans for a template: its exit status and its JSON.
fn sam_build_plan(template: &str) -> (bool, String, String) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    static COPIES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = COPIES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("sam-build-plan-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // Beside a copy of the workspace's manifest, as SAM's workflow selection looks for one.
    std::fs::copy(root.join("Cargo.toml"), dir.join("Cargo.toml")).unwrap();
    let path = dir.join("template.yaml");
    std::fs::write(&path, template).unwrap();
    let output = std::process::Command::new("python3")
        .arg(root.join("infra/scripts/sam_build_plan.py"))
        .arg(&path)
        .output()
        .expect("python3 (the test command puts .venv, with aws-sam-cli, first on PATH)");
    std::fs::remove_dir_all(&dir).ok();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        !stderr.contains("ModuleNotFoundError"),
        "SAM CLI is not importable; run through infra/scripts/test.sh, which installs it:\n{stderr}"
    );
    (output.status.success(), String::from_utf8_lossy(&output.stdout).into_owned(), stderr)
}

#[test]
fn sam_cli_builds_each_function_from_its_binary_for_arm64() {
    let (ok, stdout, stderr) = sam_build_plan(TEMPLATE);
    assert!(ok, "SAM CLI's build plan failed:\n{stdout}\n{stderr}");
    let plan: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let template = Template::embedded().unwrap();
    let planned: BTreeSet<&str> = plan.as_object().unwrap().keys().map(String::as_str).collect();
    let ours: BTreeSet<&str> = template.functions.iter().map(|f| f.logical_id.as_str()).collect();
    assert_eq!(planned, ours, "SAM CLI and our template reader see different functions");
    assert_eq!(planned.len(), 8);
    for function in &template.functions {
        let entry = &plan[&function.logical_id];
        assert_eq!(entry["build_method"], "rust-cargolambda", "{}", function.logical_id);
        assert_eq!(entry["binary"], function.binary.as_str(), "{}: the binary SAM builds", function.logical_id);
        assert_eq!(entry["architecture"], "arm64", "{}", function.logical_id);
    }
}

#[test]
fn sam_cli_finds_no_binary_under_the_key_it_ignores() {
    // The template's form before issue 12: `Metadata.Binary`, which SAM CLI never reads.
    let old = TEMPLATE.replace("      BuildProperties:\n        Binary:", "      Binary:");
    assert_ne!(old, TEMPLATE, "the template no longer has BuildProperties.Binary: update this test");
    let (ok, stdout, stderr) = sam_build_plan(&old);
    assert!(!ok, "SAM CLI found binaries under Metadata.Binary:\n{stdout}");
    assert!(stderr.contains("sam build would pick no binary for: AccountsFunction"), "{stderr}");
    let plan: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert!(plan.as_object().unwrap().values().all(|f| f["binary"].is_null()), "{stdout}");
}

#[test]
fn the_function_enum_names_exactly_the_template_functions() {
    let template = Template::embedded().unwrap();
    let in_template: BTreeSet<&str> = template.functions.iter().map(|f| f.binary.as_str()).collect();
    let named: BTreeSet<&str> = Function::DEPLOYED.iter().map(|f| f.label()).collect();
    assert_eq!(named, in_template, "shared::function::Function::DEPLOYED vs template.yaml's binaries");
}
