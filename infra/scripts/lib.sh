# Sourced by the scripts here: the project's Python virtualenv and a private moto server.
# (Sourced, not run: `source "$(dirname "$0")/lib.sh"` after `cd` to the repository root.)

# .venv with infra/scripts/requirements.txt (moto, cfn-lint, cargo-lambda), reinstalled
# only when that file changes; its bin/ goes first on PATH.
ensure_venv() {
  venv="$root/.venv"
  if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
  fi
  if ! cmp -s infra/scripts/requirements.txt "$venv/.requirements" 2>/dev/null; then
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r infra/scripts/requirements.txt
    cp infra/scripts/requirements.txt "$venv/.requirements"
  fi
  export PATH="$venv/bin:$PATH"
}

# moto (infra/scripts/moto_server.py: moto's server with its table backup taken once per
# transaction) on a free loopback port, stopped when the calling script exits (even on failure);
# exports MOTO_ENDPOINT, which the tests and harnesses look for.
start_moto() {
  local port
  port=$("$venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  moto_log=$(mktemp)
  "$venv/bin/python" infra/scripts/moto_server.py "$port" >"$moto_log" 2>&1 &
  moto_pid=$!
  trap 'kill "$moto_pid" 2>/dev/null || true; wait "$moto_pid" 2>/dev/null || true; rm -f "$moto_log"' EXIT INT TERM
  for _ in $(seq 1 100); do
    if "$venv/bin/python" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/moto-api/', timeout=1)" 2>/dev/null; then
      break
    fi
    if ! kill -0 "$moto_pid" 2>/dev/null; then echo "moto failed to start:"; cat "$moto_log"; exit 1; fi
    sleep 0.1
  done
  export MOTO_ENDPOINT="http://127.0.0.1:$port"
  echo "moto listening on $MOTO_ENDPOINT"
}

# The binaries template.yaml deploys (the template self-check test keeps this list honest),
# into the array `binaries`, and `-p <package> --bin <binary>` flags selecting them into
# `bin_flags`. Selecting the binaries' own packages makes feature unification cover those
# packages only, so nothing a test-only package enables reaches a Lambda (the embedded
# DynamoDB is a crate of its own, testkit/, which no Lambda depends on).
template_binaries() {
  mapfile -t binaries < <(sed -n 's/^ *Binary: *\([A-Za-z0-9_-]*\) *$/\1/p' template.yaml)
  if [ "${#binaries[@]}" -eq 0 ]; then
    echo "no Metadata.BuildProperties.Binary in template.yaml" >&2
    exit 1
  fi
  local packages
  mapfile -t packages < <(cargo metadata --no-deps --format-version 1 --locked | python3 -c '
import json, sys
wanted = set(sys.argv[1:])
for p in json.load(sys.stdin)["packages"]:
    if any("bin" in t["kind"] and t["name"] in wanted for t in p["targets"]):
        print(p["name"])
' "${binaries[@]}")
  bin_flags=()
  for p in "${packages[@]}"; do bin_flags+=(-p "$p"); done
  for b in "${binaries[@]}"; do bin_flags+=(--bin "$b"); done
}

# cargo-lambda's flag for this machine's architecture (arm64 artifacts cannot run on x86_64).
host_target_flag() {
  case "$(uname -m)" in
    x86_64) echo --x86-64 ;;
    aarch64 | arm64) echo --arm64 ;;
    *) echo "unsupported host $(uname -m)" >&2; exit 2 ;;
  esac
}

# What the dashboard's browser test (infra/local/tests/dashboard.rs) drives: Debian's
# Chromium (apt; $CHROMIUM overrides its path) and playwright-core from npm (infra/browser,
# reinstalled only when its lock file changes). Playwright's own browser download is not
# used: this machine reaches package registries only.
ensure_browser() {
  local chromium=${CHROMIUM:-/usr/bin/chromium}
  if [ ! -x "$chromium" ]; then
    echo "== installing Chromium (apt)"
    local sudo_cmd=""
    if [ "$(id -u)" -ne 0 ]; then sudo_cmd=sudo; fi
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null
  fi
  if ! cmp -s infra/browser/package-lock.json infra/browser/node_modules/.installed-lock 2>/dev/null; then
    echo "== npm ci (infra/browser)"
    npm ci --prefix infra/browser --no-audit --no-fund --silent
    cp infra/browser/package-lock.json infra/browser/node_modules/.installed-lock
  fi
}
