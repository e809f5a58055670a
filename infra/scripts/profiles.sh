#!/usr/bin/env bash
# The release profile, measured: builds the search function (the largest and most CPU-bound)
# and the hello-world baseline under several `[profile.release]` settings and reports, for
# each, the build time, the bootstrap's size raw and zipped, and cold start / invocation
# times from the same harness as coldstart.sh. BENCHMARKS.md "Release profile" has the table.
#
#   infra/scripts/profiles.sh                       # 10 runs, every variant
#   infra/scripts/profiles.sh 10 ours cargo-default # some variants
#
# Each variant is a full release build of search's dependency tree (10-25 minutes on 2
# cores) in its own target directory under target/profiles/, overriding Cargo.toml's
# settings through CARGO_PROFILE_RELEASE_* variables; "ours" is Cargo.toml as committed,
# built into the normal target directory, so after coldstart.sh it costs nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
runs=${1:-10}
shift || true

declare -A settings=(
  [ours]=""
  [cargo-default]="STRIP=none LTO=false CODEGEN_UNITS=16"
  [fat-lto]="LTO=fat"
  [opt-size]="OPT_LEVEL=s"
  [panic-abort]="PANIC=abort"
)
order=(ours cargo-default fat-lto opt-size panic-abort)
if [ $# -gt 0 ]; then order=("$@"); fi
for v in "${order[@]}"; do
  if [ -z "${settings[$v]+set}" ]; then echo "unknown variant $v (one of ${!settings[*]})" >&2; exit 2; fi
done

source infra/scripts/lib.sh
ensure_venv
target_flag=$(host_target_flag)
arch=x86_64
if [ "$target_flag" = --arm64 ]; then arch=arm64; fi
echo "== cargo test --workspace --no-run (the harness)"
cargo test --workspace --no-run --locked --quiet

declare -A built dirs
for v in "${order[@]}"; do
  overrides=()
  for kv in ${settings[$v]}; do overrides+=("CARGO_PROFILE_RELEASE_$kv"); done
  if [ "$v" = ours ]; then
    dir=target/lambda-host
  else
    overrides+=("CARGO_TARGET_DIR=$root/target/profiles/$v")
    dir=target/profiles/$v/lambda
  fi
  echo "== $v: ${settings[$v]:-Cargo.toml as committed}"
  start=$(date +%s)
  env "${overrides[@]}" cargo lambda build --release "$target_flag" --locked --lambda-dir "$dir" \
    -p lambda-hello --bin hello -p instainstru-search --bin search
  built[$v]=$(( $(date +%s) - start ))
  dirs[$v]=$dir
done

start_moto
for v in "${order[@]}"; do
  echo
  echo "## $v (${settings[$v]:-Cargo.toml as committed}); built in ${built[$v]} s"
  python3 infra/scripts/check_artifact.py "$arch" "hello=${dirs[$v]}/hello/bootstrap" \
    "search=${dirs[$v]}/search/bootstrap"
  target/debug/coldstart "${dirs[$v]}" "$runs" search
done
