#!/usr/bin/env bash
# Builds the Lambda artifacts exactly as `sam deploy` uploads them: `sam build` (template.yaml's
# `BuildMethod: rust-cargolambda`, `BuildProperties.Binary` per function: SAM CLI runs
# `cargo lambda build --release [--arm64] --bin <binary>` once per function), then checks each
# `.aws-sam/build/<Function>/bootstrap` and reports sizes.
#
#   infra/scripts/artifacts.sh            # arm64, or x86_64 when the arm64 std is unavailable
#   ARCH=x86_64 infra/scripts/artifacts.sh
#
# Output: .aws-sam/build/ (what `sam deploy` packages), and the size table on stdout. A release
# build of the workspace takes 10-45 minutes on 2 cores; it is not part of the test command.
#
# Checks (infra/scripts/check_artifact.py): each bootstrap is an ELF executable for the
# chosen architecture, needs no glibc symbol newer than 2.34 (Amazon Linux 2023), and carries
# none of the local platform's embedded DynamoDB (only testkit/ depends on dynoxide, and
# Cargo.toml's default-members keep it out).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

# SAM CLI and cargo-lambda (with Zig, its cross linker) come from PyPI into the project's venv.
source infra/scripts/lib.sh
ensure_venv
export SAM_CLI_TELEMETRY=0

arch=${ARCH:-arm64}
if [ "$arch" = arm64 ]; then
  toolchain=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)
  if ! rustup target add aarch64-unknown-linux-gnu --toolchain "$toolchain" >/dev/null 2>&1; then
    echo "NOTE: the Rust standard library for aarch64-unknown-linux-gnu could not be installed;"
    echo "      building x86_64 instead. Deploy with: sam deploy --parameter-overrides Architecture=x86_64"
    arch=x86_64
  fi
fi
case "$arch" in
  arm64 | x86_64) ;;
  *) echo "ARCH must be arm64 or x86_64, not $arch" >&2; exit 2 ;;
esac

echo "== sam build --parameter-overrides Architecture=$arch"
start=$(date +%s)
sam build --parameter-overrides "Architecture=$arch"
echo "built in $(( $(date +%s) - start )) s"

# The functions SAM built, by logical id, as SAM CLI's own code reads the template.
mapfile -t functions < <(python3 infra/scripts/sam_build_plan.py template.yaml |
  python3 -c 'import json, sys; print("\n".join(sorted(json.load(sys.stdin))))')
specs=()
for f in "${functions[@]}"; do specs+=("$f=.aws-sam/build/$f/bootstrap"); done
echo "== checks and sizes"
python3 infra/scripts/check_artifact.py "$arch" "${specs[@]}"
echo "artifacts ok ($arch)"
