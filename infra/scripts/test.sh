#!/usr/bin/env bash
# Runs every test on a fresh machine: the README's test command, and what .ci/run calls.
#
#   1. a Python virtualenv (.venv) with moto and cfn-lint (infra/scripts/requirements.txt)
#   2. moto on a free loopback port, stopped on exit even when a test fails
#   3. rustfmt and clippy (-D warnings)
#   4. cargo test for the whole workspace (tiers 1-5; storage and queue tests run against
#      both dynoxide and moto, which they find through MOTO_ENDPOINT)
#   5. cfn-lint on template.yaml, and `sam validate --lint` too when the SAM CLI is on PATH
#      (README "Deploy to AWS" says how to install it; it is slow to install, so optional)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

venv="$root/.venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
if ! cmp -s infra/scripts/requirements.txt "$venv/.requirements" 2>/dev/null; then
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r infra/scripts/requirements.txt
  cp infra/scripts/requirements.txt "$venv/.requirements"
fi

port=$("$venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
moto_log=$(mktemp)
"$venv/bin/moto_server" -H 127.0.0.1 -p "$port" >"$moto_log" 2>&1 &
moto_pid=$!
cleanup() {
  kill "$moto_pid" 2>/dev/null || true
  wait "$moto_pid" 2>/dev/null || true
  rm -f "$moto_log"
}
trap cleanup EXIT INT TERM
for _ in $(seq 1 100); do
  if "$venv/bin/python" -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$port/moto-api/', timeout=1)" 2>/dev/null; then break; fi
  if ! kill -0 "$moto_pid" 2>/dev/null; then echo "moto failed to start:"; cat "$moto_log"; exit 1; fi
  sleep 0.1
done
export MOTO_ENDPOINT="http://127.0.0.1:$port"
echo "moto listening on $MOTO_ENDPOINT"

echo "== rustfmt"
cargo fmt --all -- --check
echo "== clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "== tests"
cargo test --workspace --locked "$@"
echo "== cfn-lint"
"$venv/bin/cfn-lint" template.yaml
if command -v sam >/dev/null 2>&1; then
  echo "== sam validate --lint"
  sam validate --lint --template template.yaml --region us-east-1
else
  echo "(sam validate --lint not run: the SAM CLI is not on PATH)"
fi
echo "all checks passed"
