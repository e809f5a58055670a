#!/usr/bin/env bash
# Runs every test on a fresh machine: the README's test command, and what .ci/run calls.
#
#   1. a Python virtualenv (.venv) with moto and cfn-lint (infra/scripts/requirements.txt),
#      Debian's Chromium and playwright-core for the dashboard's browser test
#   2. moto on a free loopback port, stopped on exit even when a test fails
#   3. rustfmt and clippy (-D warnings)
#   4. cargo test for the whole workspace (tiers 1-5; storage and queue tests run against
#      both dynoxide and moto, which they find through MOTO_ENDPOINT)
#   5. cfn-lint on template.yaml, and `sam validate --lint` too when the SAM CLI is on PATH
#      (README "Deploy to AWS" says how to install it; it is slow to install, so optional)
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
if command -v sam >/dev/null 2>&1; then
  echo "== sam validate --lint"
  sam validate --lint --template template.yaml --region us-east-1
else
  echo "(sam validate --lint not run: the SAM CLI is not on PATH)"
fi
echo "all checks passed"
