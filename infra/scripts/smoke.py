#!/usr/bin/env python3
"""Smoke test of a deployed stage (or the local platform): standard library only.

    infra/scripts/smoke.py https://abc123.execute-api.us-east-1.amazonaws.com

Checks, in order, and stops at the first failure (exit 1, naming the step):
  1. GET  /api/v1/health                         200, status ok
  2. GET  /api/v1/catalog/all-services           200, at least one category with services
  3. GET  /api/v1/search?q=piano                 200, at least one instructor
  4. POST /api/v1/auth/register                  201, a new student (unique e-mail per run)
  5. POST /api/v1/auth/login                     200, an access token
  6. GET  /api/v1/instructors/{id}/next-available, then /availability from the day after
     that date: a bookable start of a searched instructor on a later date than the earliest
     one (the earliest moves with the clock at every quarter hour; a later date cannot be
     overtaken by the notice while the smoke test runs)
  7. POST /api/v1/bookings                       201, confirmed
  8. POST /api/v1/bookings/{id}/cancel           200, cancelled
  9. GET  /api/v1/instructors/{id}/availability  the cancelled start is bookable again

It writes one student account and one cancelled booking per run: on a production stage, run
it against a stage you are happy to hold such test data.
"""

import datetime
import json
import secrets
import sys
import time as time_module
import urllib.error
import urllib.request

API = "/api/v1"
# How long public availability may lag a booking or a cancel: the directory refresh
# interval (5 s on Lambda, 2 s on the local platform), with a margin.
FRESHNESS_BOUND_SECONDS = 8


class Failed(Exception):
    pass


def call(base, method, path, body=None, token=None, headers=None):
    """(status, parsed JSON body or None)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + API + path, data=data, method=method)
    request.add_header("accept", "application/json")
    if data is not None:
        request.add_header("content-type", "application/json")
    if token:
        request.add_header("authorization", f"Bearer {token}")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    except (urllib.error.URLError, OSError) as error:
        raise Failed(f"{method} {path}: {error}") from error
    try:
        payload = json.loads(raw) if raw else None
    except ValueError:
        payload = None
    return status, payload


def expect(step, status, payload, wanted):
    if status != wanted:
        raise Failed(f"{step}: HTTP {status}, wanted {wanted}: {json.dumps(payload)[:500]}")
    print(f"ok   {step}")
    return payload


def smoke(base):
    base = base.rstrip("/")
    if base.endswith(API):
        base = base[: -len(API)]

    health = expect("health", *call(base, "GET", "/health"), 200)
    if not isinstance(health, dict) or health.get("status") != "ok":
        raise Failed(f"health: unexpected body {health}")

    catalog = expect("catalog", *call(base, "GET", "/catalog/all-services"), 200)
    categories = catalog.get("categories", []) if isinstance(catalog, dict) else []
    if not any(c.get("services") for c in categories):
        raise Failed("catalog: no category has services")

    found = expect("search", *call(base, "GET", "/search?q=piano&limit=10"), 200)
    results = found.get("results", []) if isinstance(found, dict) else []
    if not results:
        raise Failed("search: no instructor for 'piano'")

    email = f"smoke.{secrets.token_hex(6)}@example.com"
    password = "Smoke " + secrets.token_hex(8)
    register = {"email": email, "password": password, "full_name": "Smoke Test", "role": "student"}
    expect("register", *call(base, "POST", "/auth/register", register), 201)
    login = expect("login", *call(base, "POST", "/auth/login", {"email": email, "password": password}), 200)
    token = login.get("access_token")
    if not token:
        raise Failed("login: no access_token")

    # A searched instructor's first bookable hour on a later date than their earliest
    # bookable start, from the public availability. Not the earliest start itself: it moves
    # on at every quarter hour of the real clock, so a boundary passing between two requests
    # would make it unbookable (or no longer listed after the cancel).
    slot = None
    for result in results:
        instructor = result["instructor"]["id"]
        offering = next(
            (o for o in result["offerings"] if o.get("matches") and 60 in o.get("durations", [])),
            None,
        )
        if offering is None:
            continue
        status, nxt = call(base, "GET", f"/instructors/{instructor}/next-available?duration=60")
        if status != 200 or not isinstance(nxt, dict) or not nxt.get("next"):
            continue
        earliest = datetime.date.fromisoformat(nxt["next"]["date"])
        first, last = earliest + datetime.timedelta(days=1), earliest + datetime.timedelta(days=14)
        status, days = call(base, "GET", f"/instructors/{instructor}/availability?start={first}&end={last}&duration=60")
        if status != 200 or not isinstance(days, dict):
            continue
        later = [(d["date"], d["slots"][0]["time"]) for d in days.get("days", []) if d.get("slots")]
        if later:
            date, time = later[0]
            slot = (instructor, offering, date, time)
            break
    if slot is None:
        raise Failed("availability: no searched instructor has a bookable 60-minute start")
    instructor, offering, date, time = slot
    print(f"ok   availability ({instructor} {date} {time})")

    booking = {
        "instructor_id": instructor,
        "offering_id": offering["id"],
        "date": date,
        "start_time": time,
        "duration_minutes": 60,
        "location_type": offering["location_types"][0],
    }
    key = {"idempotency-key": "smoke-" + secrets.token_hex(8)}
    created = expect("book", *call(base, "POST", "/bookings", booking, token, key), 201)
    if created.get("status") != "confirmed":
        raise Failed(f"book: status {created.get('status')}")
    cancelled = expect(
        "cancel",
        *call(base, "POST", f"/bookings/{created['id']}/cancel", {"reason": "smoke test"}, token),
        200,
    )
    if cancelled.get("status") != "cancelled":
        raise Failed(f"cancel: status {cancelled.get('status')}")
    # Public availability answers from the warm directory, which learns of the cancel within
    # its refresh interval (2 s locally, 5 s on Lambda): ask again until then.
    deadline = time_module.monotonic() + FRESHNESS_BOUND_SECONDS
    while True:
        status, days = call(base, "GET", f"/instructors/{instructor}/availability?start={date}&end={date}&duration=60")
        if status == 200 and time in starts_on(days, date):
            break
        if time_module.monotonic() > deadline:
            raise Failed(f"released: {date} {time} is not bookable again {FRESHNESS_BOUND_SECONDS} s after the cancel")
        time_module.sleep(0.2)
    print("ok   released")


def starts_on(days, date):
    """The HH:MM starts an availability response lists for `date`."""
    if not isinstance(days, dict):
        return []
    for day in days.get("days", []):
        if day.get("date") == date:
            return [s.get("time") for s in day.get("slots", [])]
    return []


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        smoke(sys.argv[1])
    except Failed as failure:
        print(f"FAIL {failure}", file=sys.stderr)
        return 1
    print("smoke test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
