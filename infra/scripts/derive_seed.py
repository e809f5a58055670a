#!/usr/bin/env python3
"""Derive InstaInstru's demo seed data (shared/seed/*.yaml) from the earlier product's reference data.

Structural facts (slugs, names, search terms, related services, flags, display orders, instructor
names/emails/phones/prices/durations/areas/patterns/statuses) come from the reference folder.
Every free-text description and bio, plus a few demo choices (extra neighborhoods, non-default
booking settings), comes from the hand-written files in shared/seed/text/:

    shared/seed/text/catalog.yaml      category, service and availability-pattern descriptions
    shared/seed/text/instructors.yaml  bios, offering descriptions, neighborhoods, booking settings

Outputs (overwritten; deterministic, no randomness):

    shared/seed/categories.yaml
    shared/seed/services.yaml
    shared/seed/availability_patterns.yaml
    shared/seed/instructors.yaml
    shared/seed/users.yaml

Usage (from the repository root):

    python3 infra/scripts/derive_seed.py [REFERENCE_DIR] [--out DIR] [--check]

REFERENCE_DIR defaults to ../shared/reference/instructly-seed-data relative to the repository
root. --out writes somewhere else (default: shared/seed). --check writes nothing and exits 1 if
any output file would change.

Requires Python 3.11 and PyYAML (the system python3 has it). If PyYAML is missing:
    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install pyyaml
    /tmp/venv/bin/python infra/scripts/derive_seed.py
Emission is plain PyYAML (a SafeDumper subclass, sort_keys=False, allow_unicode=True, width=100);
the subclass only indents block sequences under their key and prints short lists in flow style.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_REFERENCE = REPO_ROOT.parent / "shared" / "reference" / "instructly-seed-data"
SEED_DIR = REPO_ROOT / "shared" / "seed"
TEXT_DIR = SEED_DIR / "text"

ADMIN_EMAILS = ["admin@instainstru.com"]
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
BOROUGHS = ["Manhattan", "Brooklyn", "Queens", "Bronx", "Staten Island"]
NEIGHBORHOODS = {
    "Brooklyn": ["Park Slope", "Williamsburg", "DUMBO", "Brooklyn Heights", "Bushwick", "Bed-Stuy",
                 "Greenpoint"],
    "Queens": ["Astoria", "Long Island City", "Flushing", "Jackson Heights", "Forest Hills"],
    "Manhattan": ["Harlem", "Upper East Side", "Upper West Side", "Lower East Side",
                  "Financial District", "Chelsea", "Greenwich Village", "East Village", "SoHo",
                  "Tribeca", "Midtown", "Washington Heights"],
}
NEIGHBORHOOD_BOROUGH = {n: b for b, ns in NEIGHBORHOODS.items() for n in ns}
LEVELS = {"beginner", "intermediate", "advanced"}
AGE_GROUPS = {"kids", "teens", "adults"}
LOCATION_MAP = {"in-person": "in_person", "in_person": "in_person", "online": "online"}
BOOKING_KEYS = ["min_notice_hours", "buffer_minutes", "horizon_days"]
BOOKING_BOUNDS = {"min_notice_hours": (0, 168), "buffer_minutes": (0, 60), "horizon_days": (1, 365)}
STATUSES = {"active", "suspended", "deactivated"}
TIME_RE = re.compile(r"^([01]\d|2[0-3]):(00|15|30|45)$")
SENTENCE_END_RE = re.compile(r"[.!?](?:\s|$)")

HEADER_SOURCE = (
    "# Derived from the earlier product's reference data (instructly-seed-data) by\n"
    "# infra/scripts/derive_seed.py, plus hand-written text from shared/seed/text/.\n"
    "# Do not edit by hand: edit the text files or the script and regenerate with\n"
    "#   python3 infra/scripts/derive_seed.py\n"
)


# --------------------------------------------------------------------------- YAML emission

class Flow(list):
    """A list emitted in flow style: [a, b, c]."""


class Window(list):
    """A time window emitted as ["HH:MM", "HH:MM"]."""


class SeedDumper(yaml.SafeDumper):
    def increase_indent(self, flow=False, indentless=False):
        # Indent block sequences under their parent key (2 spaces) instead of PyYAML's default.
        return super().increase_indent(flow, False)


def _represent_flow(dumper, data):
    return dumper.represent_sequence("tag:yaml.org,2002:seq", list(data), flow_style=True)


def _represent_window(dumper, data):
    items = [yaml.ScalarNode("tag:yaml.org,2002:str", s, style='"') for s in data]
    return yaml.SequenceNode("tag:yaml.org,2002:seq", items, flow_style=True)


SeedDumper.add_representer(Flow, _represent_flow)
SeedDumper.add_representer(Window, _represent_window)


def emit(header: str, data: dict) -> str:
    body = yaml.dump(data, Dumper=SeedDumper, sort_keys=False, allow_unicode=True, width=100,
                     indent=2, default_flow_style=False)
    return header + "\n" + body


# --------------------------------------------------------------------------- helpers

class Problems:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.notes: list[str] = []

    def error(self, msg: str) -> None:
        self.errors.append(msg)

    def note(self, msg: str) -> None:
        self.notes.append(msg)


def load(path: Path):
    with path.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def words(s: str) -> int:
    return len(s.split())


def sentences(s: str) -> int:
    return len(SENTENCE_END_RE.findall(s.strip()))


def check_text_keys(kind: str, expected: list[str], given: dict, p: Problems) -> None:
    missing = [k for k in expected if k not in given]
    extra = [k for k in given if k not in set(expected)]
    if missing:
        p.error(f"{kind}: no hand-written text for {missing}")
    if extra:
        p.error(f"{kind}: hand-written text for unknown keys {extra}")


# --------------------------------------------------------------------------- builders

def build_categories(ref: Path, text: dict, p: Problems) -> list[dict]:
    cats = load(ref / "catalog" / "categories.yaml")["categories"]
    check_text_keys("categories", [c["slug"] for c in cats], text, p)
    out = []
    for c in cats:
        desc = text.get(c["slug"], "")
        if sentences(desc) != 1:
            p.error(f"category {c['slug']}: description must be one sentence")
        out.append({
            "slug": c["slug"],
            "name": c["name"],
            "subtitle": c.get("subtitle") or "",
            "description": desc,
            "display_order": int(c["display_order"]),
            "icon": c["icon_name"],
        })
    return out


def build_services(ref: Path, categories: list[dict], text: dict, p: Problems) -> list[dict]:
    svcs = load(ref / "catalog" / "services.yaml")["services"]
    slugs = [s["slug"] for s in svcs]
    if len(set(slugs)) != len(slugs):
        p.error("reference services: duplicate slugs")
    known = set(slugs)
    cat_slugs = {c["slug"] for c in categories}
    check_text_keys("services", slugs, text, p)
    dropped: list[tuple[str, str]] = []
    out = []
    for s in svcs:
        if s["category_slug"] not in cat_slugs:
            p.error(f"service {s['slug']}: unknown category {s['category_slug']}")
        desc = text.get(s["slug"], "")
        if not 8 <= words(desc) <= 20:
            p.error(f"service {s['slug']}: description has {words(desc)} words (want 8-20)")
        if sentences(desc) != 1:
            p.error(f"service {s['slug']}: description must be one sentence")
        related = []
        for r in s.get("related_services") or []:
            if r in known:
                related.append(r)
            else:
                dropped.append((s["slug"], r))
        terms = list(s.get("search_terms") or [])
        dup_terms = sorted({t for t in terms if terms.count(t) > 1})
        if dup_terms:
            p.note(f"service {s['slug']}: repeated search terms kept as in reference: {dup_terms}")
        out.append({
            "slug": s["slug"],
            "name": s["name"],
            "category": s["category_slug"],
            "description": desc,
            "search_terms": terms,
            "related": Flow(related),
            "online_capable": bool(s["online_capable"]),
            "requires_certification": bool(s["requires_certification"]),
            "display_order": int(s["display_order"]),
        })
    for svc, r in dropped:
        p.note(f"service {svc}: dropped related slug '{r}' (not in catalog)")
    p.note(f"related slugs dropped: {len(dropped)}")
    names: dict[str, list[str]] = {}
    for s in out:
        names.setdefault(s["name"], []).append(s["slug"])
    for n, ss in names.items():
        if len(ss) > 1:
            p.note(f"catalog: service name '{n}' is shared by {ss}")
    for c in categories:
        n = sum(1 for s in out if s["category"] == c["slug"])
        if n == 0:
            p.note(f"catalog: category '{c['slug']}' has no services in the reference")
        orders = sorted(s["display_order"] for s in out if s["category"] == c["slug"])
        if orders and orders != list(range(1, len(orders) + 1)):
            gaps = sorted(set(range(1, orders[-1] + 1)) - set(orders))
            p.note(f"catalog: category '{c['slug']}' display_order gaps {gaps} (kept as in reference)")
    return out


def build_patterns(ref: Path, text: dict, p: Problems) -> dict:
    pats = load(ref / "availability_patterns.yaml")["patterns"]
    check_text_keys("patterns", list(pats), text, p)
    out = {}
    for name, pat in pats.items():
        days = {}
        for day, windows in (pat.get("days") or {}).items():
            d = str(day).lower()
            if d not in WEEKDAYS:
                p.error(f"pattern {name}: unknown weekday {day}")
                continue
            ws = []
            prev_end = None
            for w in windows:
                start, end = str(w[0]), str(w[1])
                if not (TIME_RE.match(start) and TIME_RE.match(end)) or start >= end:
                    p.error(f"pattern {name} {d}: bad window {w}")
                if prev_end is not None and start < prev_end:
                    p.error(f"pattern {name} {d}: overlapping windows")
                prev_end = end
                ws.append(Window([start, end]))
            days[d] = Flow(ws)
        # weekday order, whatever order the reference used
        days = {d: days[d] for d in WEEKDAYS if d in days}
        out[name] = {"description": text.get(name, ""), "days": days}
    return out


def build_instructors(ref: Path, services: list[dict], patterns: dict, text: dict,
                      p: Problems) -> list[dict]:
    raw = load(ref / "instructors.yaml")["instructors"]
    emails = [i["email"] for i in raw]
    if len({e.lower() for e in emails}) != len(emails):
        p.error("reference instructors: duplicate emails (case-insensitive)")
    check_text_keys("instructors", emails, text, p)

    by_name: dict[str, list[dict]] = {}
    for s in services:
        by_name.setdefault(s["name"], []).append(s)
    ambiguous_used: dict[str, list[str]] = {}

    out = []
    for i in raw:
        email = i["email"]
        prof = i.get("profile") or {}
        t = text.get(email) or {}
        status = i.get("account_status") or "active"
        if status not in STATUSES:
            p.error(f"{email}: unknown status {status}")

        bio = t.get("bio", "")
        if not 120 <= len(bio) <= 600:
            p.error(f"{email}: bio is {len(bio)} characters (want 120-600)")
        if not 2 <= sentences(bio) <= 4:
            p.error(f"{email}: bio has {sentences(bio)} sentences (want 2-4)")

        years = int(prof["years_experience"])
        if not 0 <= years <= 50:
            p.error(f"{email}: years_experience {years} out of range")

        boroughs = list(prof.get("areas") or [])
        for b in boroughs:
            if b not in BOROUGHS:
                p.error(f"{email}: unknown borough {b}")
        areas = list(boroughs)
        for n in t.get("neighborhoods") or []:
            b = NEIGHBORHOOD_BOROUGH.get(n)
            if b is None:
                p.error(f"{email}: neighborhood {n} not in the allowed list")
            elif b not in boroughs:
                p.error(f"{email}: neighborhood {n} is in {b}, not in {boroughs}")
            if n in areas:
                p.error(f"{email}: duplicate area {n}")
            areas.append(n)
        if t.get("neighborhoods") and status != "active":
            p.error(f"{email}: neighborhoods are only added for active instructors")

        pattern = i.get("availability_pattern")
        if pattern not in patterns:
            p.error(f"{email}: unknown availability pattern {pattern}")

        rec = {
            "email": email,
            "full_name": i["full_name"],
            "phone": str(i["phone"]),
            "status": status,
            "bio": bio,
            "years_experience": years,
            "areas": Flow(areas),
            "availability_pattern": pattern,
        }

        if "booking" in t:
            bk = t["booking"]
            if list(bk) != BOOKING_KEYS:
                p.error(f"{email}: booking must list exactly {BOOKING_KEYS} in that order")
            for k, (lo, hi) in BOOKING_BOUNDS.items():
                v = bk.get(k)
                if not isinstance(v, int) or not lo <= v <= hi:
                    p.error(f"{email}: booking {k}={v!r} out of range {lo}-{hi}")
            rec["booking"] = {k: bk.get(k) for k in BOOKING_KEYS}

        texts = t.get("offerings") or {}
        offerings = []
        seen: set[str] = set()
        for o in prof.get("services") or []:
            cands = by_name.get(o["name"])
            if not cands:
                p.error(f"{email}: service name '{o['name']}' not in catalog")
                continue
            svc = cands[0]  # first in reference order when a name is shared
            if len(cands) > 1:
                ambiguous_used.setdefault(o["name"], []).append(email)
            slug = svc["slug"]
            if slug in seen:
                p.note(f"{email}: second offering for '{slug}' dropped (kept the first)")
                continue
            seen.add(slug)

            price = o["price"]
            rate_cents = int(round(float(price) * 100))
            if not 100 <= rate_cents <= 100_000:
                p.error(f"{email} {slug}: rate {price} out of range")

            durations = [int(d) for d in (o.get("duration_options") or [60])]
            for d in durations:
                if d % 15 or not 15 <= d <= 240:
                    p.error(f"{email} {slug}: bad duration {d}")

            levels: list[str] = []
            ages = [str(a).lower() for a in (o.get("age_groups") or [])]
            for lv in o.get("levels_taught") or []:
                lv_l = str(lv).lower()
                if lv_l == "k-5":
                    if ages and "kids" not in ages:
                        ages.append("kids")
                    elif not ages:
                        ages = ["kids"]
                elif lv_l in LEVELS:
                    if lv_l not in levels:
                        levels.append(lv_l)
                else:
                    p.error(f"{email} {slug}: unknown level {lv}")
            for a in ages:
                if a not in AGE_GROUPS:
                    p.error(f"{email} {slug}: unknown age group {a}")

            locs: list[str] = []
            for lt in o.get("location_types") or ["in-person"]:
                m = LOCATION_MAP.get(str(lt).lower())
                if m is None:
                    p.error(f"{email} {slug}: unknown location type {lt}")
                elif m == "online" and not svc["online_capable"]:
                    p.note(f"{email} {slug}: 'online' removed (service is not online-capable)")
                elif m not in locs:
                    locs.append(m)
            if not locs:
                p.error(f"{email} {slug}: no location types left")

            desc = texts.get(slug, "")
            if not desc or sentences(desc) != 1:
                p.error(f"{email} {slug}: offering description must be one sentence")

            offerings.append({
                "service": slug,
                "rate_cents": rate_cents,
                "durations": Flow(durations),
                "levels": Flow(levels),
                "age_groups": Flow(ages),
                "location_types": Flow(locs),
                "description": desc,
                "equipment": Flow(list(o.get("equipment_required") or [])),
            })
        extra = sorted(set(texts) - seen)
        if extra:
            p.error(f"{email}: offering text for services it does not offer: {extra}")
        rec["offerings"] = offerings
        out.append(rec)

    for name, who in ambiguous_used.items():
        first = by_name[name][0]["slug"]
        others = [s["slug"] for s in by_name[name][1:]]
        p.note(f"offerings: ambiguous service name '{name}' (used by {who}) mapped to '{first}' "
               f"(first in reference order; not {others})")
    dropped_fields = sorted({k for i in raw for o in (i.get("profile") or {}).get("services") or []
                             for k in o} - {"name", "description", "price", "duration_options",
                                            "levels_taught", "age_groups", "location_types",
                                            "equipment_required"})
    if dropped_fields:
        p.note(f"offerings: reference fields not carried over: {dropped_fields}")
    return out


def build_users(ref: Path, instructors: list[dict], p: Problems) -> dict:
    raw = load(ref / "students.yaml")["students"]
    students, admins = [], []
    for s in raw:
        rec = {"email": s["email"], "full_name": s["full_name"], "phone": str(s["phone"])}
        (admins if s["email"].lower() in ADMIN_EMAILS else students).append(rec)
    if [a["email"] for a in admins] != ADMIN_EMAILS:
        p.error(f"expected exactly the admin users {ADMIN_EMAILS}, found {admins}")
    all_emails = [u["email"].lower() for u in students + admins + instructors]
    if len(set(all_emails)) != len(all_emails):
        p.error("users: an email is used by more than one seeded user")
    instr_phones = {i["phone"]: i["email"] for i in instructors}
    for s in students + admins:
        if s["phone"] in instr_phones:
            p.note(f"users: {s['email']} shares phone {s['phone']} with instructor "
                   f"{instr_phones[s['phone']]} (kept as in reference)")
    return {"students": students, "admins": admins}


# --------------------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("reference", nargs="?", default=str(DEFAULT_REFERENCE),
                    help="reference folder (default: %(default)s)")
    ap.add_argument("--out", default=str(SEED_DIR), help="output folder (default: %(default)s)")
    ap.add_argument("--check", action="store_true",
                    help="write nothing; exit 1 if any output would change")
    ap.add_argument("--quiet", action="store_true", help="do not print the notes")
    args = ap.parse_args(argv)

    ref = Path(args.reference).resolve()
    out_dir = Path(args.out).resolve()
    p = Problems()

    cat_text = load(TEXT_DIR / "catalog.yaml")
    ins_text = load(TEXT_DIR / "instructors.yaml")["instructors"]
    config = load(ref / "config.yaml") or {}
    password = ((config.get("settings") or {}).get("default_password")) or "Test1234"

    categories = build_categories(ref, cat_text["categories"], p)
    services = build_services(ref, categories, cat_text["services"], p)
    patterns = build_patterns(ref, cat_text["patterns"], p)
    instructors = build_instructors(ref, services, patterns, ins_text, p)
    users = build_users(ref, instructors, p)

    if p.errors:
        for e in p.errors:
            print(f"ERROR: {e}", file=sys.stderr)
        return 2

    by_status: dict[str, int] = {}
    for i in instructors:
        by_status[i["status"]] = by_status.get(i["status"], 0) + 1
    n_off = sum(len(i["offerings"]) for i in instructors)
    n_nb = sum(1 for i in instructors if len(i["areas"]) > len(set(i["areas"]) & set(BOROUGHS)))

    files = {
        "categories.yaml": emit(
            "# Demo seed: the 7 service categories of the InstaInstru catalog.\n" + HEADER_SOURCE,
            {"categories": categories}),
        "services.yaml": emit(
            f"# Demo seed: the {len(services)} catalog services, in reference order.\n"
            "# related: slugs of related services (unknown slugs from the reference dropped).\n"
            + HEADER_SOURCE,
            {"services": services}),
        "availability_patterns.yaml": emit(
            "# Demo seed: named weekly availability templates (wall-clock windows, NYC time).\n"
            "# days: weekday -> list of [\"HH:MM\", \"HH:MM\"] windows; missing weekday = unavailable.\n"
            + HEADER_SOURCE,
            {"patterns": patterns}),
        "instructors.yaml": emit(
            f"# Demo seed: {len(instructors)} instructor accounts with profiles and offerings.\n"
            "# booking is omitted when the defaults apply (min_notice_hours 2, buffer_minutes 0,\n"
            "# horizon_days 90). Empty levels / age_groups mean all. rate_cents is per hour.\n"
            f"# Demo password for every seeded user: \"{password}\" (see users.yaml).\n"
            + HEADER_SOURCE,
            {"instructors": instructors}),
        "users.yaml": emit(
            "# Demo seed: student and admin accounts (instructors are in instructors.yaml).\n"
            f"# Every seeded user's demo password is \"{password}\".\n" + HEADER_SOURCE,
            {"students": users["students"], "admins": users["admins"]}),
    }

    # Round-trip sanity check: each file parses back to plain data.
    for name, content in files.items():
        yaml.safe_load(content)

    changed = []
    for name, content in files.items():
        path = out_dir / name
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old != content:
            changed.append(name)
            if not args.check:
                out_dir.mkdir(parents=True, exist_ok=True)
                path.write_text(content, encoding="utf-8")

    if not args.quiet:
        for n in p.notes:
            print(f"note: {n}")
        print(f"categories={len(categories)} services={len(services)} patterns={len(patterns)} "
              f"instructors={len(instructors)} {dict(sorted(by_status.items()))} "
              f"offerings={n_off} with_neighborhoods={n_nb} "
              f"with_booking={sum(1 for i in instructors if 'booking' in i)} "
              f"students={len(users['students'])} admins={len(users['admins'])}")
    if args.check:
        if changed:
            print(f"out of date: {', '.join(changed)}", file=sys.stderr)
            return 1
        print("up to date")
    else:
        print(f"wrote {len(changed)} changed file(s) to {out_dir}" + (f": {', '.join(changed)}" if changed else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
