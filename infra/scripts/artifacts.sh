#!/usr/bin/env bash
# Builds the Lambda artifacts SAM uploads: one `bootstrap` per function template.yaml
# names (Metadata.Binary), exactly as `sam build` with `BuildMethod: rust-cargolambda`
# does (`cargo lambda build --release --arm64`), then checks each one and reports sizes.
#
#   infra/scripts/artifacts.sh            # arm64, or x86_64 when the arm64 std is unavailable
#   ARCH=x86_64 infra/scripts/artifacts.sh
#
# Output: target/lambda/<binary>/bootstrap, and the size table on stdout. A release build of
# the workspace takes 10-45 minutes on 2 cores; it is not part of the test command.
#
# Checks (infra/scripts/check_artifact.py): each bootstrap is an ELF executable for the
# chosen architecture and needs no glibc symbol newer than 2.34 (Amazon Linux 2023).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

# cargo-lambda (with Zig, its cross linker) comes from PyPI into the project's venv.
source infra/scripts/lib.sh
ensure_venv

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
  arm64) target_flag=--arm64 ;;
  x86_64) target_flag=--x86-64 ;;
  *) echo "ARCH must be arm64 or x86_64, not $arch" >&2; exit 2 ;;
esac

template_binaries

echo "== cargo lambda build --release $target_flag (${binaries[*]})"
start=$(date +%s)
cargo lambda build --release "$target_flag" --locked "${bin_flags[@]}"
echo "built in $(( $(date +%s) - start )) s"

specs=()
# cargo lambda writes under the target directory, wherever CARGO_TARGET_DIR puts it.
target_dir=${CARGO_TARGET_DIR:-target}
for b in "${binaries[@]}"; do specs+=("$b=$target_dir/lambda/$b/bootstrap"); done
echo "== checks and sizes"
python3 infra/scripts/check_artifact.py "$arch" "${specs[@]}"
echo "artifacts ok ($arch)"
