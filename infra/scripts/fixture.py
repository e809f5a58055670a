#!/usr/bin/env python3
"""Writes an API Gateway HTTP API (payload format 2.0) event fixture to events/http/.

    infra/scripts/fixture.py NAME METHOD ROUTE [--path-param k=v ...] [--query k=v ...]
                             [--header k=v ...] [--json BODY] [--token EMAIL]
                             [--seeded-id k=EMAIL ...]

ROUTE is the template route ("/api/v1/catalog/services/{slug}"); --path-param fills it in.
--token EMAIL puts `Authorization: Bearer {{token:EMAIL}}` in the event: the replay tests
(and the runtime-emulator test) replace it with a real token for that seeded user, since a
committed fixture cannot hold a valid signature.

The shape follows what API Gateway sends to a Lambda integration, so `sam local invoke -e`
and `cargo lambda invoke --data-file` accept the file as is. Expected responses are in
events/expected.yaml.
"""
import argparse
import hashlib
import json
import pathlib
import urllib.parse

ROOT = pathlib.Path(__file__).resolve().parents[2]


def seeded_id(email):
    """The deterministic id the seed gives `email` (shared/src/ids.rs deterministic_id); for
    an offering, pass "EMAIL/SERVICE" (seed::offering_id)."""
    epoch_ms = 1751328000000  # seed::SEED_EPOCH_MS
    digest = hashlib.sha256(email.lower().encode()).digest()[:10]
    n = (epoch_ms << 80) | int.from_bytes(digest, "big")
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    return "".join(alphabet[(n >> (5 * i)) & 31] for i in reversed(range(26)))


def pairs(values):
    out = {}
    for item in values or []:
        key, _, value = item.partition("=")
        out[key] = value
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("name")
    p.add_argument("method")
    p.add_argument("route")
    p.add_argument("--path-param", action="append")
    p.add_argument(
        "--seeded-id",
        action="append",
        help="k=SEED: path parameter k is the seed's deterministic id for SEED (EMAIL for a user, EMAIL/SERVICE for an offering)",
    )
    p.add_argument("--query", action="append")
    p.add_argument("--header", action="append")
    p.add_argument("--json")
    p.add_argument("--token")
    a = p.parse_args()

    params = pairs(a.path_param)
    params.update({k: seeded_id(v) for k, v in pairs(a.seeded_id).items()})
    path = a.route
    for key, value in params.items():
        path = path.replace("{" + key + "}", urllib.parse.quote(value, safe=""))
    query = pairs(a.query)
    headers = {
        "accept": "application/json",
        "host": "api.instainstru.com",
        "user-agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
        "x-forwarded-for": "203.0.113.10",
        "x-forwarded-port": "443",
        "x-forwarded-proto": "https",
    }
    headers.update({k.lower(): v for k, v in pairs(a.header).items()})
    if a.token:
        headers["authorization"] = "Bearer {{token:%s}}" % a.token
    body = None
    if a.json is not None:
        body = json.dumps(json.loads(a.json), separators=(",", ":"))
        headers["content-type"] = "application/json"
        headers["content-length"] = str(len(body.encode()))

    event = {
        "version": "2.0",
        "routeKey": f"{a.method.upper()} {a.route}",
        "rawPath": path,
        "rawQueryString": urllib.parse.urlencode(query),
        "headers": headers,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "abcdef1234",
            "domainName": "api.instainstru.com",
            "domainPrefix": "api",
            "http": {
                "method": a.method.upper(),
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "203.0.113.10",
                "userAgent": headers["user-agent"],
            },
            "requestId": "fixture-" + a.name,
            "routeKey": f"{a.method.upper()} {a.route}",
            "stage": "$default",
            "time": "26/Nov/2026:15:00:00 +0000",
            "timeEpoch": 1795791600000,
        },
        "isBase64Encoded": False,
    }
    if query:
        event["queryStringParameters"] = query
    if params:
        event["pathParameters"] = params
    if body is not None:
        event["body"] = body
    out = ROOT / "events" / "http" / f"{a.name}.json"
    out.write_text(json.dumps(event, indent=2) + "\n")
    print(out.relative_to(ROOT))


if __name__ == "__main__":
    main()
