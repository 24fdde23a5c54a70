"""A loopback stand-in for the OSV query API (POST /v1/query), answering from osv-snapshot.json, and the
banner that says, on every audit run, how old that snapshot is and which pins were checked against it.

Why: on this project's machines and in CI the only network reachable is the package registries. PyPI's
per-version JSON API (which pip-audit's default "pypi" service uses) does not answer and api.osv.dev does
not resolve; pip-audit then skips every package and still prints "No known vulnerabilities found". No
registry package ships a complete, current copy of the PyPA/OSV advisory data (docs/audit.md lists the
candidates checked), so this server lets `pip-audit -s osv --osv-url http://127.0.0.1:PORT/v1/query`
check the pins against a reviewed, hand-copied snapshot instead: a pass means only that no record IN
THE SNAPSHOT is unaccepted, and the banner says so, naming every pin that was never looked up in the
PyPA database (not in the snapshot's checked_packages).

    python osv_local.py serve SNAPSHOT.json PORTFILE   # binds 127.0.0.1:0, writes the port to PORTFILE
    python osv_local.py banner SNAPSHOT.json [--constraints FILE] [--site-packages DIR]
        # prints the snapshot's date, record count and coverage of the pins; exits 1 if the snapshot is
        # older than AUDIT_MAX_AGE_DAYS (default 120) or dated in the future
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from email.parser import HeaderParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

Record = dict[str, Any]
MAX_AGE_ENV = "AUDIT_MAX_AGE_DAYS"
DEFAULT_MAX_AGE_DAYS = 120
RANGE_TYPES = ("ECOSYSTEM", "SEMVER")  # both compare with PEP 440 for PyPI; GIT ranges hold commits


def canon(name: str) -> str:
    """PEP 503 normalised project name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _event_version(event: dict[str, str]) -> Version:
    value = next(iter(event.values()))
    return Version("0") if value == "0" else Version(value)


def affected(version: Version, events: list[dict[str, str]]) -> bool:
    """OSV range evaluation (osv-schema "Evaluation"): walk the events in version order; `introduced`
    opens the range at or below `version`, `fixed` closes it at or below `version`, `last_affected` closes
    it below `version`. Several introduced/fixed pairs in one range describe several branches."""
    inside = False
    # Events are not required to be sorted. At equal versions an introduced comes first, so that
    # introduced X / fixed X (an empty range) leaves X unaffected.
    for event in sorted(events, key=lambda e: (_event_version(e), "introduced" not in e)):
        kind, at = next(iter(event.items()))
        if kind == "introduced" and (at == "0" or version >= Version(at)):
            inside = True
        elif (kind == "fixed" and version >= Version(at)) or (kind == "last_affected" and version > Version(at)):
            inside = False
        # "limit" only bounds GIT ranges: it has no meaning for a single version.
    return inside


def affects(aff: Record, version: Version) -> bool:
    """Whether one `affected` entry of a record covers `version` (explicit versions or ranges)."""
    for listed in aff.get("versions", []):
        try:
            if Version(listed) == version:
                return True
        except InvalidVersion:
            continue
    return any(affected(version, r["events"]) for r in aff.get("ranges", []) if r.get("type") in RANGE_TYPES)


def validate(records: list[Record]) -> None:
    """Fails loudly on a record this server could not evaluate (a bad record must not pass silently)."""
    seen: set[str] = set()
    for record in records:
        rid = record.get("id")
        if not isinstance(rid, str) or not rid:
            raise ValueError(f"record without an id: {record!r:.200}")
        if rid in seen:
            raise ValueError(f"{rid}: duplicate id")
        seen.add(rid)
        if not record.get("affected"):
            raise ValueError(f"{rid}: no 'affected' entry")
        for aff in record["affected"]:
            if aff["package"].get("ecosystem") != "PyPI":
                raise ValueError(f"{rid}: not a PyPI record")
            for rng in aff.get("ranges", []):
                if rng.get("type") not in RANGE_TYPES:
                    continue
                for event in rng["events"]:
                    if len(event) != 1 or next(iter(event)) not in ("introduced", "fixed", "last_affected"):
                        raise ValueError(f"{rid}: unexpected event {event}")
                    try:
                        _event_version(event)
                    except InvalidVersion as exc:
                        raise ValueError(f"{rid}: {exc}") from exc
                if not any("introduced" in e for e in rng["events"]):
                    raise ValueError(f"{rid}: a range without 'introduced' affects nothing")


@dataclass
class Snapshot:
    as_of: date
    source: str
    complete: bool
    records: list[Record]
    # The packages (canonical names) looked up in the advisory database, on checked_on; None for an older
    # snapshot that does not say (then only the packages with a record count as covered).
    checked_packages: frozenset[str] | None = None
    checked_on: date | None = None
    not_checked: dict[str, str] = field(default_factory=dict)  # package -> why it could not be checked


def load_snapshot(path: Path) -> Snapshot:
    data = json.loads(path.read_text())
    records = data["records"]
    validate(records)
    checked = data.get("checked_packages")
    return Snapshot(
        date.fromisoformat(data["as_of"]),
        data["source"],
        bool(data.get("complete")),
        records,
        frozenset(canon(name) for name in checked) if checked is not None else None,
        date.fromisoformat(data["checked_on"]) if data.get("checked_on") else None,
        {canon(name): why for name, why in data.get("not_checked", {}).items()},
    )


def build_index(records: list[Record]) -> dict[str, list[Record]]:
    """Package name (canonical) -> the records with an `affected` entry for it."""
    index: dict[str, list[Record]] = {}
    for record in records:
        for name in dict.fromkeys(canon(aff["package"]["name"]) for aff in record["affected"]):
            index.setdefault(name, []).append(record)
    return index


def find(index: dict[str, list[Record]], name: str, version: Version) -> list[Record]:
    """The records that affect package `name` at `version`."""
    name = canon(name)
    return [
        record
        for record in index.get(name, [])
        if any(canon(aff["package"]["name"]) == name and affects(aff, version) for aff in record["affected"])
    ]


def read_constraints(path: Path) -> dict[str, str]:
    """name -> version for every `name==version` pin (comments, markers and options skipped)."""
    pins: dict[str, str] = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].split(";", 1)[0].strip()
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*===?\s*(\S+)", line)
        if match:
            pins[canon(match[1])] = match[2]
    return pins


def read_site_packages(path: Path) -> dict[str, str]:
    """name -> version for every distribution installed in a site-packages directory."""
    pins: dict[str, str] = {}
    for metadata in sorted(path.glob("*.dist-info/METADATA")):
        headers = HeaderParser().parsestr(metadata.read_text(encoding="utf-8", errors="replace"))
        if headers["Name"] and headers["Version"]:
            pins[canon(headers["Name"])] = headers["Version"]
    return pins


def max_age_days(environ: Mapping[str, str] = os.environ) -> int:
    raw = environ.get(MAX_AGE_ENV, "").strip()
    if not raw:
        return DEFAULT_MAX_AGE_DAYS
    if not raw.isdigit():
        raise ValueError(f"{MAX_AGE_ENV} must be a whole number of days, not {raw!r}")
    return int(raw)


def freshness_error(as_of: date, today: date, max_age: int) -> str | None:
    """Why the snapshot may not be used today, or None if it may."""
    age = (today - as_of).days
    if age < 0:
        return f"the snapshot is dated {as_of}, after today ({today}): fix AS_OF in make_records.py"
    if age > max_age:
        return (
            f"the snapshot is {age} days old (as of {as_of}), more than {MAX_AGE_ENV}={max_age}: advisories "
            "published since then are not checked. Re-read the PyPA advisory database for every pin, update "
            f"make_records.py (records and AS_OF) and audit-ignore.txt, or set {MAX_AGE_ENV} to accept it knowingly"
        )
    return None


def banner(snapshot: Snapshot, pins: dict[str, str] | None, pins_label: str, today: date, max_age: int) -> str:
    index = build_index(snapshot.records)
    age = (today - snapshot.as_of).days
    lines = [
        "=" * 100,
        f"ADVISORY DATA: {len(snapshot.records)} records for {len(index)} packages, as of {snapshot.as_of} "
        f"({age} days old; limit {max_age}, {MAX_AGE_ENV})",
        f"  source: {snapshot.source}",
    ]
    if not snapshot.complete:
        lines.append("  NOT a complete advisory database: none is reachable from this network (docs/audit.md).")
    if pins is not None:
        lines.extend(coverage_lines(snapshot, index, pins, pins_label))
    lines.append("=" * 100)
    return "\n".join(lines)


def coverage_lines(snapshot: Snapshot, index: dict[str, list[Record]], pins: dict[str, str], label: str) -> list[str]:
    """Which of `pins` were checked against the advisory database, and which were not (named, with why)."""
    with_record = sorted(name for name in pins if name in index)
    if snapshot.checked_packages is None:
        names = ", ".join(with_record)
        lines = [f"COVERAGE: {len(with_record)} of {len(pins)} packages in {label} have any record: {names}"]
        if not snapshot.complete:
            lines.append(
                f"  The other {len(pins) - len(with_record)} are checked against NOTHING: 'No known vulnerabilities' "
                "below means only that no record in this snapshot is unaccepted."
            )
        return lines
    checked = sorted(name for name in pins if name in snapshot.checked_packages)
    unchecked = sorted(name for name in pins if name not in snapshot.checked_packages)
    lines = [
        f"COVERAGE: {len(checked)} of {len(pins)} pins in {label} checked against the PyPA advisory database as "
        f"stored on {snapshot.checked_on} (read then; see source); {len(with_record)} have any record in this snapshot",
        "  (the PyPA database only: not GitHub's advisory database or the other OSV sources; see docs/audit.md)",
    ]
    if unchecked:
        lines.append(
            f"  NOT CHECKED ({len(unchecked)}), 'No known vulnerabilities' says nothing about them: "
            + "; ".join(f"{name}: {snapshot.not_checked.get(name, 'never looked up')}" for name in unchecked)
        )
    return lines


def make_handler(index: dict[str, list[Record]]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            try:
                query = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
                name = query["package"]["name"]
                ecosystem = query["package"].get("ecosystem", "PyPI")
                version = Version(query["version"])
            except (KeyError, TypeError, ValueError, InvalidVersion):
                self.send_error(400)
                return
            vulns = find(index, name, version) if ecosystem == "PyPI" else []
            body = json.dumps({"vulns": vulns} if vulns else {}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    return Handler


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve")
    serve.add_argument("snapshot", type=Path)
    serve.add_argument("portfile", type=Path)
    show = sub.add_parser("banner")
    show.add_argument("snapshot", type=Path)
    show.add_argument("--constraints", type=Path)
    show.add_argument("--site-packages", type=Path)
    args = parser.parse_args(argv)

    snapshot = load_snapshot(args.snapshot)
    if args.command == "serve":
        server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(build_index(snapshot.records)))
        args.portfile.write_text(str(server.server_address[1]))
        server.serve_forever()
        return 0

    pins, label = None, ""
    if args.constraints:
        pins, label = read_constraints(args.constraints), str(args.constraints)
    elif args.site_packages:
        pins, label = read_site_packages(args.site_packages), str(args.site_packages)
    today = date.today()
    try:
        limit = max_age_days()
    except ValueError as exc:
        print(f"AUDIT FAILED: {exc}", file=sys.stderr)
        return 1
    print(banner(snapshot, pins, label, today, limit), flush=True)
    error = freshness_error(snapshot.as_of, today, limit)
    if error:
        print(f"AUDIT FAILED: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
