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

source infra/scripts/lib.sh
ensure_venv
target_flag=$(host_target_flag)

# The same selection as artifacts.sh (the template's binaries and their own packages), plus
# the baseline, in the same invocation: same profile, same linker, same feature set.
template_binaries
flags=(-p lambda-hello --bin hello)
flags+=("${bin_flags[@]}")
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

start_moto

echo "== cold starts ($runs per function)"
target/debug/coldstart "$lambda_dir" "$runs"
