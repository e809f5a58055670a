#!/usr/bin/env bash
# Runs every test on a fresh machine: the README's test command, and what .ci/run calls.
#
#   1. a Python virtualenv (.venv) with moto, cfn-lint and SAM CLI (infra/scripts/requirements.txt),
#      Debian's Chromium and playwright-core for the dashboard's browser test
#   2. moto on a free loopback port, stopped on exit even when a test fails
#   3. rustfmt and clippy (-D warnings)
#   4. cargo test for the whole workspace (tiers 1-5; storage and queue tests run against
#      both dynoxide and moto, which they find through MOTO_ENDPOINT)
#   5. cfn-lint and `sam validate --lint` on template.yaml (SAM CLI's build plan for each
#      function is checked by a test in step 4: infra/local/tests/template_check.rs)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

source infra/scripts/lib.sh
ensure_venv
ensure_browser
start_moto

echo "== rustfmt"
cargo fmt --all -- --check
echo "== clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "== tests"
cargo test --workspace --locked "$@"
echo "== cfn-lint"
cfn-lint template.yaml
echo "== sam validate --lint"
SAM_CLI_TELEMETRY=0 sam validate --lint --template template.yaml --region us-east-1
echo "all checks passed"
