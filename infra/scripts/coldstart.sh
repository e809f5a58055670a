#!/usr/bin/env bash
# Cold start of every function beside a minimal lambda_runtime hello-world (infra/hello),
# all built in one `cargo lambda build --release` for this machine's architecture (the
# arm64 artifacts cannot run on an x86_64 host), then started RUNS times each as Lambda
# starts them (infra/local/src/bin/coldstart.rs). Prints BENCHMARKS.md's table.
#
#   infra/scripts/coldstart.sh                  # 10 runs per function, release build
#   infra/scripts/coldstart.sh 30
#   PROFILE=debug infra/scripts/coldstart.sh    # the test build's binaries instead (minutes,
#                                               # not the release build's tens of minutes)
#
# A release build of the workspace takes 10-45 minutes on 2 cores; it is not part of the
# test command. Needs moto for SQS (started here from .venv, as test.sh does).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
runs=${1:-10}

venv="$root/.venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
if ! cmp -s infra/scripts/requirements.txt "$venv/.requirements" 2>/dev/null; then
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r infra/scripts/requirements.txt
  cp infra/scripts/requirements.txt "$venv/.requirements"
fi
export PATH="$venv/bin:$PATH"

case "$(uname -m)" in
  x86_64) target_flag=--x86-64 ;;
  aarch64 | arm64) target_flag=--arm64 ;;
  *) echo "unsupported host $(uname -m)" >&2; exit 2 ;;
esac

# The same selection as artifacts.sh (the template's binaries and their own packages), plus
# the baseline, in the same invocation: same profile, same linker, same feature set.
mapfile -t binaries < <(sed -n 's/^ *Binary: *\([A-Za-z0-9_-]*\) *$/\1/p' template.yaml)
mapfile -t packages < <(cargo metadata --no-deps --format-version 1 --locked | python3 -c '
import json, sys
wanted = set(sys.argv[1:])
for p in json.load(sys.stdin)["packages"]:
    if any("bin" in t["kind"] and t["name"] in wanted for t in p["targets"]):
        print(p["name"])
' "${binaries[@]}")
flags=(-p lambda-hello --bin hello)
for p in "${packages[@]}"; do flags+=(-p "$p"); done
for b in "${binaries[@]}"; do flags+=(--bin "$b"); done
# The harness itself (and, with PROFILE=debug, the measured binaries): exactly what the test
# command builds, so after a test run this is a no-op (`cargo run` would resolve features
# differently and rebuild half the dependency tree).
echo "== cargo test --workspace --no-run"
cargo test --workspace --no-run --locked --quiet
start=$(date +%s)
if [ "${PROFILE:-release}" = debug ]; then
  lambda_dir=target/debug
  cargo build --locked --quiet -p lambda-hello --bin hello
else
  lambda_dir=target/lambda-host
  echo "== cargo lambda build --release $target_flag --lambda-dir $lambda_dir (hello ${binaries[*]})"
  cargo lambda build --release "$target_flag" --locked --lambda-dir "$lambda_dir" "${flags[@]}"
fi
echo "built in $(( $(date +%s) - start )) s"

port=$("$venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
"$venv/bin/moto_server" -H 127.0.0.1 -p "$port" >/dev/null 2>&1 &
moto_pid=$!
trap 'kill "$moto_pid" 2>/dev/null || true; wait "$moto_pid" 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 100); do
  if "$venv/bin/python" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/moto-api/', timeout=1)" 2>/dev/null; then break; fi
  sleep 0.1
done
export MOTO_ENDPOINT="http://127.0.0.1:$port"

echo "== cold starts ($runs per function)"
target/debug/coldstart "$lambda_dir" "$runs"
