"""A loopback stand-in for the OSV query API (POST /v1/query), answering from osv-snapshot.json.

Why: on this project's machines and in CI the only registry reachable is PyPI's package index, and
its per-version JSON API (which pip-audit's default "pypi" service uses) answers 404, while
api.osv.dev does not resolve; pip-audit then skips every package and still prints "No known
vulnerabilities found". This server lets `pip-audit -s osv --osv-url http://127.0.0.1:PORT/v1/query`
check the pins against a reviewed snapshot instead.

    python osv_local.py SNAPSHOT.json PORTFILE    # binds 127.0.0.1:0, writes the port to PORTFILE
"""
from __future__ import annotations

import json
import re
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from packaging.version import InvalidVersion, Version


def canon(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def affected(version: Version, events: list[dict]) -> bool:
    """OSV ECOSYSTEM range semantics, for ranges given as introduced/fixed/last_affected pairs."""
    inside = False
    for event in events:  # events are written in ascending order in the snapshot
        if "introduced" in event:
            intro = event["introduced"]
            if intro == "0" or version >= Version(intro):
                inside = True
            continue
        fixed, last = event.get("fixed"), event.get("last_affected")
        past_fix = fixed is not None and version >= Version(fixed)
        past_last = last is not None and version > Version(last)
        if inside and (past_fix or past_last):
            inside = False
    return inside


def load(path: Path) -> dict[str, list[dict]]:
    index: dict[str, list[dict]] = {}
    for record in json.loads(path.read_text()):
        for aff in record["affected"]:
            aff["package"]["name"] = canon(aff["package"]["name"])
            index.setdefault(aff["package"]["name"], []).append(record)
    return index


def make_handler(index: dict[str, list[dict]]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            try:
                query = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
                name = canon(query["package"]["name"])
                version = Version(query["version"])
            except (KeyError, ValueError, InvalidVersion):
                self.send_error(400)
                return
            vulns = []
            for record in index.get(name, []):
                for aff in record["affected"]:
                    if aff["package"]["name"] != name:
                        continue
                    if any(affected(version, r["events"]) for r in aff.get("ranges", [])):
                        vulns.append(record)
                        break
            body = json.dumps({"vulns": vulns} if vulns else {}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    return Handler


def main() -> None:
    snapshot, portfile = Path(sys.argv[1]), Path(sys.argv[2])
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(load(snapshot)))
    portfile.write_text(str(server.server_address[1]))
    server.serve_forever()


if __name__ == "__main__":
    main()
