#!/usr/bin/env python3
"""Monthly AWS cost of the stack, per component, at a traffic profile and at 100x it.

    python3 infra/scripts/cost.py            # prints COST.md's tables
    python3 infra/scripts/cost.py --scale 10 # any other multiple of the base traffic

Standard library only. Every input is a named constant below, with where it comes from:
change one and rerun. Prices are AWS list prices for us-east-1 (see PRICES), without the
free tier (which would make the base profile nearly free), as of the date in PRICES_AS_OF.
"""

import argparse
import math

PRICES_AS_OF = "2026-11 (us-east-1 list prices, no free tier)"
PRICES = {
    # API Gateway HTTP API: per million requests (first 300 M a month; each 512 KB counts as one).
    "apigw_per_million": 1.00,
    # Lambda, arm64: per GB-second of billed duration (init is billed too since 2025-08) and
    # per million requests.
    "lambda_gb_s": 0.0000133334,
    "lambda_per_million": 0.20,
    # DynamoDB on-demand (after the November 2024 reduction): per million request units,
    # and storage per GB-month.
    "ddb_write_per_million": 0.625,
    "ddb_read_per_million": 0.125,
    "ddb_storage_gb_month": 0.25,
    # SQS standard queue: per million requests (each 64 KB chunk counts as one).
    "sqs_per_million": 0.40,
    # EventBridge Scheduler: per million invocations (14 M a month are free; not applied).
    "scheduler_per_million": 1.00,
    # CloudWatch Logs (standard class): ingestion per GB and storage per GB-month; alarms.
    "logs_ingest_gb": 0.50,
    "logs_store_gb_month": 0.03,
    "alarm_month": 0.10,
    # SES: per thousand e-mails.
    "ses_per_thousand": 0.10,
}

# The earlier version's fixed hosting, for comparison.
EARLIER_HOSTING_MONTH = 53.00

# Base traffic: operations per day. The earlier version's traffic is not recorded in this
# repository or its specs; this is an assumption sized to its data (68 instructors, a few
# hundred active students): about 9 000 API requests a day. Scale it with --scale.
OPERATIONS_PER_DAY = {
    # name: (per day, function, DynamoDB fixture (events/), SQS events published, e-mails)
    "search": (2000, "search", "search-piano-brooklyn", 1, 0),
    "catalog and public profiles": (3000, "search", "instructor-profile", 0, 0),
    "public availability": (1000, "booking", "availability-instructor", 0, 0),
    "own lessons and home": (1500, "booking", "bookings-list", 0, 0),
    "instructor schedule edits": (20, "booking", "availability-mine-override-put", 0, 0),
    # Booking mail (booking-notify): a confirmation and a reminder to each party.
    "booking create": (60, "booking", "booking-create", 1, 4),
    # No successful cancel fixture exists: modelled as a create (same transaction shape);
    # one mail to each party.
    "booking cancel / reschedule": (15, "booking", "booking-create", 1, 2),
    "login": (150, "accounts", "accounts-login", 0, 0),
    # Refresh rotates the session like a login does (no successful refresh fixture exists).
    "token refresh": (600, "accounts", "accounts-login", 0, 0),
    "me / profile": (500, "accounts", "accounts-me", 0, 0),
    "register": (20, "accounts", "accounts-register", 0, 0),
    "password reset": (5, "accounts", "accounts-password-reset", 0, 1),
    "admin": (100, "admin", "admin-users", 0, 0),
}

# What each function is given (template.yaml) and how long it runs. Warm duration: the
# cold-start run's median warm invocation on the development machine against a local
# DynamoDB (BENCHMARKS.md "Cold start"), stretched by CPU_SHARE (Lambda gives a function
# CPU in proportion to its memory: one full vCPU at 1769 MB), plus DYNAMODB_RTT_MS per
# DynamoDB call, since AWS's DynamoDB is a network round trip away and the local one is not.
FULL_VCPU_MB = 1769
MEMORY_MB = {
    "search": 256,
    "booking": 256,
    "booking-outbox": 256,
    "admin": 256,
    "accounts": 256,
    "analytics-worker": 256,
    "analytics-daily": 1024,
}
WARM_MS = {  # BENCHMARKS.md "Cold start", warm invocation column (release build)
    "search": 4.9,
    "booking": 1.5,
    "booking-outbox": 3.8,
    "admin": 3.1,
    "accounts": 0.9,
    "analytics-worker": 5.7,
    "analytics-daily": 44.8,
}
# BENCHMARKS.md "Cold start", init column (release build). search and booking include the
# directory load against the local table (I/O, here stretched by the CPU share like the
# rest, so an upper bound); its AWS round trips and read units are COLD_LOAD below.
INIT_MS = {
    "search": 43.1,
    "booking": 43.6,
    "booking-outbox": 5.3,
    "admin": 6.3,
    "accounts": 6.8,
    "analytics-worker": 5.5,
    "analytics-daily": 6.8,
}
# The search directory is loaded once per execution environment: in init for search and
# booking, on the first offering edit for accounts (counted for every accounts environment:
# an upper bound). Read units and round trips per load: the catalog-all-services fixture,
# the first to load it: 68 calls, 122 read units.
COLD_LOAD = {"search": (68, 122.0), "booking": (68, 122.0), "accounts": (68, 122.0)}
# Argon2id (login, register) is CPU bound: 20.7 ms of one core per hash (BENCHMARKS.md
# "Signing in"), stretched like the rest by the function's CPU share.
EXTRA_MS = {"login": 20.7, "register": 20.7}
DYNAMODB_RTT_MS = 6.0
# The share of invocations that start a new execution environment. At low traffic most
# idle environments are reclaimed between requests; at 100x nearly all requests are warm.
COLD_FRACTION = {1: 0.05, 100: 0.005}

# DynamoDB request units each fixture consumed, as reported by the emulator's
# ConsumedCapacity (cargo test -p instainstru-local --test fixtures -- --nocapture):
# (calls, read units, write units).
DYNAMODB = {
    "search-piano-brooklyn": (2, 1.0, 1.0),
    "instructor-profile": (1, 1.0, 0.0),
    # availability-instructor's row less the cold directory load it reports (68 calls, 122
    # read units): a warm answer comes from the directory; counted, like instructor-profile,
    # as one feed read (what availability-instructor-unknown reports).
    "availability-instructor": (1, 1.0, 0.0),
    "bookings-list": (1, 0.5, 0.0),
    "availability-mine-override-put": (3, 2.0, 4.0),
    # booking-create's row less the directory reload it triggered (68 calls, 122 read units):
    # the 74 calls / 127.5 / 32 it reports include that reload.
    "booking-create": (6, 5.5, 32.0),
    "accounts-login": (6, 3.0, 6.0),
    "accounts-me": (1, 1.0, 0.0),
    "accounts-register": (4, 0.0, 11.0),
    "accounts-password-reset": (4, 2.0, 2.0),
    "admin-users": (1, 4.5, 0.0),
    "analytics-worker-batch": (7, 5.0, 7.0),
    "booking-outbox": (2, 1.0, 1.0),
    "analytics-daily": (1, 0.0, 1.0),
}
# The worker fixture's batch holds this many messages.
WORKER_BATCH_MESSAGES = 4
# SQS requests per published event: the SendMessage, and the event source's receive and
# delete, batched up to 10 (template.yaml BatchSize) but rarely full at low traffic.
SQS_REQUESTS_PER_EVENT = 1 + 2 / 2
# The event source mapping long-polls the queue even when idle: about 5 pollers, one
# 20-second receive each, around the clock.
SQS_IDLE_POLLS_PER_MONTH = 5 * 3 * 60 * 24 * 30
# Schedules: the outbox sweep every minute, the daily job once a day.
SCHEDULED_PER_MONTH = {"booking-outbox": 60 * 24 * 30, "analytics-daily": 30}
# CloudWatch: bytes logged per invocation (Lambda's JSON START/END/REPORT lines plus the
# function's one request line), kept LOG_RETENTION_MONTHS on average; alarms in the template.
LOG_BYTES_PER_INVOCATION = 1500
LOG_RETENTION_MONTHS = 1
ALARMS = 3
# Table size: the demo data is about 2 MB; each booking with its cells and history ~4 KB.
TABLE_GB_BASE = 0.01
DAYS = 30


def cpu(function, ms):
    """`ms` of one full core, at the function's share of a vCPU."""
    return ms * max(1.0, FULL_VCPU_MB / MEMORY_MB[function])


def billed_ms(ms):
    return math.ceil(ms)


def model(scale):
    cold = COLD_FRACTION.get(scale, 0.05 if scale < 10 else 0.005)
    lines = {}
    api_requests = 0.0
    lambda_requests = 0.0
    gb_seconds = 0.0
    read_units = write_units = 0.0
    events = emails = 0.0
    invocations_logged = 0.0

    def lambda_work(function, count, ms):
        nonlocal lambda_requests, gb_seconds, invocations_logged
        memory_gb = MEMORY_MB[function] / 1024
        lambda_requests += count
        invocations_logged += count
        gb_seconds += count * memory_gb * billed_ms(ms) / 1000
        gb_seconds += count * cold * memory_gb * billed_ms(cpu(function, INIT_MS[function])) / 1000
        if function in COLD_LOAD:
            nonlocal read_units
            calls, units = COLD_LOAD[function]
            read_units += count * cold * units
            gb_seconds += count * cold * memory_gb * calls * DYNAMODB_RTT_MS / 1000

    for name, (per_day, function, fixture, published, mails) in OPERATIONS_PER_DAY.items():
        count = per_day * scale * DAYS
        calls, reads, writes = DYNAMODB[fixture]
        api_requests += count
        ms = cpu(function, WARM_MS[function] + EXTRA_MS.get(name, 0.0)) + calls * DYNAMODB_RTT_MS
        lambda_work(function, count, ms)
        read_units += count * reads
        write_units += count * writes
        events += count * published
        emails += count * mails

    # The analytics worker: one invocation per batch; at low traffic batches are small.
    calls, reads, writes = DYNAMODB["analytics-worker-batch"]
    batch = 2 if scale < 10 else 10
    batches = events / batch
    per_message = (reads / WORKER_BATCH_MESSAGES, writes / WORKER_BATCH_MESSAGES)
    lambda_work("analytics-worker", batches, cpu("analytics-worker", WARM_MS["analytics-worker"]) + calls * DYNAMODB_RTT_MS)
    read_units += events * per_message[0]
    write_units += events * per_message[1]

    for function, runs in SCHEDULED_PER_MONTH.items():
        calls, reads, writes = DYNAMODB[function if function != "analytics-daily" else "analytics-daily"]
        if function == "booking-outbox":
            # Nearly every sweep finds the outbox empty: one query, nothing written.
            reads, writes, calls = 0.5, 0.0, 1
        daily_scale = scale if function == "analytics-daily" else 1
        lambda_work(function, runs, cpu(function, WARM_MS[function]) * daily_scale + calls * DYNAMODB_RTT_MS)
        read_units += runs * reads * daily_scale
        write_units += runs * writes * daily_scale

    log_gb = invocations_logged * LOG_BYTES_PER_INVOCATION / 1e9
    p = PRICES
    lines["API Gateway HTTP API"] = api_requests / 1e6 * p["apigw_per_million"]
    lines["Lambda requests"] = lambda_requests / 1e6 * p["lambda_per_million"]
    lines["Lambda compute (GB-s)"] = gb_seconds * p["lambda_gb_s"]
    lines["DynamoDB reads"] = read_units / 1e6 * p["ddb_read_per_million"]
    lines["DynamoDB writes"] = write_units / 1e6 * p["ddb_write_per_million"]
    lines["DynamoDB storage"] = TABLE_GB_BASE * scale * p["ddb_storage_gb_month"]
    sqs_requests = events * SQS_REQUESTS_PER_EVENT + SQS_IDLE_POLLS_PER_MONTH
    lines["SQS"] = sqs_requests / 1e6 * p["sqs_per_million"]
    lines["EventBridge Scheduler"] = sum(SCHEDULED_PER_MONTH.values()) / 1e6 * p["scheduler_per_million"]
    lines["CloudWatch Logs"] = log_gb * (p["logs_ingest_gb"] + LOG_RETENTION_MONTHS * p["logs_store_gb_month"])
    lines["CloudWatch alarms"] = ALARMS * p["alarm_month"]
    lines["SES"] = emails / 1000 * p["ses_per_thousand"]
    volumes = {
        "API requests": api_requests,
        "Lambda invocations": lambda_requests,
        "Lambda GB-s": gb_seconds,
        "DynamoDB read units": read_units,
        "DynamoDB write units": write_units,
        "SQS requests": sqs_requests,
        "log GB": log_gb,
    }
    return lines, volumes


def money(x):
    return f"${x:,.2f}" if x >= 0.01 or x == 0 else "<$0.01"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, action="append", help="traffic multiples (default 1 and 100)")
    args = parser.parse_args()
    scales = args.scale or [1, 100]
    results = {s: model(s) for s in scales}
    print(f"Prices: {PRICES_AS_OF}\n")
    header = " | ".join(f"{s}x traffic" for s in scales)
    print(f"| component | {header} |")
    print("|---|" + "---|" * len(scales))
    for component in results[scales[0]][0]:
        cells = " | ".join(money(results[s][0][component]) for s in scales)
        print(f"| {component} | {cells} |")
    totals = " | ".join(f"**{money(sum(results[s][0].values()))}**" for s in scales)
    print(f"| **total per month** | {totals} |")
    earlier = " | ".join(money(EARLIER_HOSTING_MONTH) for _ in scales)
    print(f"| earlier version's fixed hosting | {earlier} |")
    print()
    print(f"| volume per month | {header} |")
    print("|---|" + "---|" * len(scales))
    for volume in results[scales[0]][1]:
        cells = " | ".join(f"{results[s][1][volume]:,.1f}" for s in scales)
        print(f"| {volume} | {cells} |")


if __name__ == "__main__":
    main()
