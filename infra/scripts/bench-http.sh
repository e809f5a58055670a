#!/usr/bin/env bash
# HTTP benchmarks of the local platform against a bare axum JSON endpoint, in one run:
#   - start-to-first-response of `instainstru-local` (fresh in-memory store, seeding included,
#     and a restart on an already-seeded data folder) vs the bare server's;
#   - latency and throughput (wrk) of GET /api/v1/catalog/all-services and
#     GET /api/v1/instructors?service=piano vs GET /json on the bare server.
# Usage: infra/scripts/bench-http.sh [duration-seconds] [connections]
# Needs wrk (apt-get install wrk; installed here if missing and possible).
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-10}
connections=${2:-16}
command -v wrk >/dev/null || { apt-get install -y -q wrk >/dev/null 2>&1 || { echo "wrk is required (apt-get install wrk)"; exit 1; }; }

cargo build --release --locked -q -p instainstru-local --bins
bin=target/release

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
now_ns() { date +%s%N; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$data"; }
trap cleanup EXIT
data=$(mktemp -d)

# Spawns "$@", waits for the first 200 at $1; sets $elapsed_ms and $started_pid.
time_to_first_response() {
  local url=$1; shift
  local t0; t0=$(now_ns)
  "$@" >/dev/null 2>&1 &
  started_pid=$!
  pids+=("$started_pid")
  until curl -fsS -o /dev/null "$url" 2>/dev/null; do sleep 0.005; done
  elapsed_ms=$(( ($(now_ns) - t0) / 1000000 ))
}

p_bare=$(free_port); p_mem=$(free_port); p_file=$(free_port)
time_to_first_response "http://127.0.0.1:$p_bare/json" "$bin/bare-axum" "$p_bare"; bare_ms=$elapsed_ms
time_to_first_response "http://127.0.0.1:$p_mem/api/v1/health" "$bin/instainstru-local" serve --memory --port "$p_mem"; mem_ms=$elapsed_ms
# A data folder: first start seeds; stop it and time the restart.
time_to_first_response "http://127.0.0.1:$p_file/api/v1/health" "$bin/instainstru-local" --data-dir "$data" serve --port "$p_file"; seed_ms=$elapsed_ms
kill "$started_pid"; wait "$started_pid" 2>/dev/null || true
time_to_first_response "http://127.0.0.1:$p_file/api/v1/health" "$bin/instainstru-local" --data-dir "$data" serve --port "$p_file"; restart_ms=$elapsed_ms
kill "$started_pid"; wait "$started_pid" 2>/dev/null || true

run_wrk() {
  # prints: requests/s, p50 ms, p99 ms
  wrk -t2 -c"$connections" -d"${duration}s" --latency "$1" 2>/dev/null | awk '
    /Requests\/sec/ { rps=$2 }
    /^ +50%/ { p50=$2 } /^ +99%/ { p99=$2 }
    function ms(v) { if (v ~ /us$/) { sub(/us$/,"",v); return v/1000 } if (v ~ /ms$/) { sub(/ms$/,"",v); return v+0 } if (v ~ /s$/) { sub(/s$/,"",v); return v*1000 } return v }
    END { printf "%.0f %.2f %.2f\n", rps, ms(p50), ms(p99) }'
}

curl -fsS -o /dev/null "http://127.0.0.1:$p_mem/api/v1/catalog/all-services"  # warm the directory
read -r b_rps b_p50 b_p99 < <(run_wrk "http://127.0.0.1:$p_bare/json")
read -r a_rps a_p50 a_p99 < <(run_wrk "http://127.0.0.1:$p_mem/api/v1/catalog/all-services")
read -r i_rps i_p50 i_p99 < <(run_wrk "http://127.0.0.1:$p_mem/api/v1/instructors?service=piano")
bytes_all=$(curl -fsS "http://127.0.0.1:$p_mem/api/v1/catalog/all-services" | wc -c)
bytes_ins=$(curl -fsS "http://127.0.0.1:$p_mem/api/v1/instructors?service=piano" | wc -c)

ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }
cat <<TABLE
wrk -t2 -c$connections -d${duration}s on $(nproc) cores, release build, loopback; same run.

| measurement | value | baseline (bare axum) | ratio |
|---|---|---|---|
| start to first response, --memory (incl. seeding) | ${mem_ms} ms | ${bare_ms} ms | $(ratio "$mem_ms" "$bare_ms") |
| start to first response, data folder, first start (seeding) | ${seed_ms} ms | ${bare_ms} ms | $(ratio "$seed_ms" "$bare_ms") |
| start to first response, data folder, restart (no seeding) | ${restart_ms} ms | ${bare_ms} ms | $(ratio "$restart_ms" "$bare_ms") |
| all-services ($bytes_all bytes) throughput | ${a_rps} req/s | ${b_rps} req/s | $(ratio "$a_rps" "$b_rps") |
| all-services p50 / p99 | ${a_p50} / ${a_p99} ms | ${b_p50} / ${b_p99} ms | $(ratio "$a_p50" "$b_p50") / $(ratio "$a_p99" "$b_p99") |
| instructors?service=piano ($bytes_ins bytes) throughput | ${i_rps} req/s | ${b_rps} req/s | $(ratio "$i_rps" "$b_rps") |
| instructors?service=piano p50 / p99 | ${i_p50} / ${i_p99} ms | ${b_p50} / ${b_p99} ms | $(ratio "$i_p50" "$b_p50") / $(ratio "$i_p99" "$b_p99") |
TABLE
