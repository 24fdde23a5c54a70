"""Writes osv-snapshot.json: the OSV records (trimmed to the fields pip-audit reads) for every
advisory found to affect this project's pins, copied from the PyPA advisory database (PYSEC ids; GHSA
ids where it had none): the records below (copied by hand on AS_OF) plus pypa-records.json (one entry
per record, with the repository, path and commit it was read at, read on CHECKED_ON from the index's
stored copies of pypa/advisory-database and its mirror westonsteimel/advisory-database-pypa).
pypa-checked.json says which pins were looked up there (checked_packages in the snapshot) and which
could not be (not_checked). Regenerate after editing either file, and move AS_OF to the day the data
was read once EVERY pin has been checked: the audit fails once AS_OF is older than AUDIT_MAX_AGE_DAYS
(docs/audit.md). This is NOT a complete database: it is the PyPA database only (not GitHub's advisory
database or the other OSV sources), as stored in that index (docs/audit.md says why and how stale).

    python tools/audit/make_records.py
"""
import json
from pathlib import Path
from typing import Any

AS_OF = "2026-11-29"
SOURCE = (
    "PyPA advisory database only (pypa/advisory-database and its mirror westonsteimel/advisory-database-pypa, "
    "as stored in the search index; newest record read: modified 2026-09-10), records for this project's pins"
)
HERE = Path(__file__).parent

R: list[dict[str, Any]] = []
def add(
    id: str, aliases: list[str], pkg: str, events: list[dict[str, str]], summary: str, published: str | None = None
) -> None:
    R.append({"schema_version": "1.6.0", "id": id, "aliases": aliases, "summary": summary,
              **({"published": published} if published else {}),
              "affected": [{"package": {"name": pkg, "ecosystem": "PyPI"},
                            "ranges": [{"type": "ECOSYSTEM", "events": events}]}]})
def fixed(v: str, intro: str = "0") -> list[dict[str, str]]:
    return [{"introduced": intro}, {"fixed": v}]
A = "aiohttp"
add("PYSEC-2026-1097", ["CVE-2025-69226", "GHSA-54jq-c3m8-4m76"], A, fixed("3.13.3"), "brute-force leak of static file path components (web.static)")
add("PYSEC-2026-1099", ["CVE-2025-69224", "GHSA-69f9-5gxw-wvc2"], A, fixed("3.13.3"), "non-ASCII header values: request smuggling in the pure-Python parser")
add("PYSEC-2026-1100", ["CVE-2025-69228", "GHSA-6jhg-hg63-jvvf"], A, fixed("3.13.3"), "memory DoS through large payloads to Request.post()")
add("PYSEC-2026-1101", ["CVE-2025-69223", "GHSA-6mq8-rvhq-8wgg"], A, fixed("3.13.3"), "auto_decompress zip bomb against the server")
add("PYSEC-2026-1103", ["CVE-2024-52304", "GHSA-8495-4g3g-x7pr"], A, fixed("3.10.11"), "chunk-extension request smuggling in the pure-Python parser")
add("PYSEC-2026-1104", ["CVE-2025-53643", "GHSA-9548-qrrj-x5pj"], A, fixed("3.12.14"), "trailer-section request smuggling in the pure-Python parser")
add("PYSEC-2026-1105", ["CVE-2025-69230", "GHSA-fh55-r93g-j68g"], A, fixed("3.13.3"), "cookie parser warning (log) storm")
add("PYSEC-2026-1106", ["CVE-2025-69229", "GHSA-g84x-mcqj-x9qq"], A, fixed("3.13.3"), "CPU DoS through many chunks with request.read()")
add("PYSEC-2026-1107", ["CVE-2025-69227", "GHSA-jj3x-wxrx-4x23"], A, fixed("3.13.3"), "infinite loop in POST body parsing when asserts are disabled (-O)")
add("PYSEC-2026-1109", ["CVE-2025-69225", "GHSA-mqqc-3gqh-h2x8"], A, fixed("3.13.3"), "non-ASCII digits accepted in the Range header")
add("PYSEC-2026-2094", ["CVE-2026-22815", "GHSA-w2fm-2cpv-w7v5"], A, fixed("3.13.4"), "uncapped memory in header/trailer handling")
add("PYSEC-2026-2095", ["CVE-2026-34513", "GHSA-hcc4-c3v8-rx92"], A, fixed("3.13.4"), "unbounded DNS cache (client)")
add("PYSEC-2026-2096", ["CVE-2026-34514", "GHSA-2vrm-gr82-f7m5"], A, fixed("3.13.4"), "header injection through an attacker-controlled content_type")
add("PYSEC-2026-2097", ["CVE-2026-34515", "GHSA-p998-jp59-783m"], A, fixed("3.13.4"), "Windows static handler leaks NTLMv2 remote path")
add("PYSEC-2026-2098", ["CVE-2026-34516", "GHSA-m5qp-6w8w-w647"], A, fixed("3.13.4"), "memory DoS through many multipart headers in a response")
add("PYSEC-2026-2099", ["CVE-2026-34517", "GHSA-3wq7-rqq7-wx6j"], A, fixed("3.13.4"), "multipart field read into memory before client_max_size check")
add("GHSA-9x8q-7h8h-wcw9", ["CVE-2026-54280"], A, fixed("3.14.1"), "payload file not closed when the client disconnects mid-write")
add("PYSEC-2026-3547", ["CVE-2026-59881", "GHSA-mq44-7p77-q5h7"], A, fixed("3.14.2"), "WebSocket client accepts compressed frames without permessage-deflate")
add("PYSEC-2026-1307", ["CVE-2023-29483", "GHSA-3rq5-2g8h-59hc"], "dnspython", fixed("2.6.1"), "TuDoor DNS resolution interference")
add("PYSEC-2026-1826", ["CVE-2024-5629", "GHSA-m87m-mmvp-v9qm"], "pymongo", fixed("4.6.3"), "out-of-bounds read in bson")
add("PYSEC-2026-1917", ["CVE-2024-40647", "GHSA-g92j-qhmh-64v2"], "sentry-sdk", [{"introduced": "0"}, {"fixed": "1.45.1"}, {"introduced": "2.0.0a1"}, {"fixed": "2.8.0"}], "environment variables exposed to subprocesses despite env={}")
add("PYSEC-2026-1812", ["CVE-2024-3772", "GHSA-mr82-8j83-vxmv"], "pydantic", [{"introduced": "0"}, {"fixed": "1.10.13"}, {"introduced": "2.0.0"}, {"fixed": "2.4.0"}], "ReDoS in email validation")
add("PYSEC-2026-1805", ["CVE-2026-0994", "GHSA-7gcm-g887-7qv7"], "protobuf", [{"introduced": "0"}, {"fixed": "5.29.6"}, {"introduced": "6.30.0rc1"}, {"fixed": "6.33.5"}], "json_format.ParseDict recursion limit bypass via nested Any")
add("PYSEC-2026-1806", ["CVE-2025-4565", "GHSA-8qvm-5x2c-j2w7"], "protobuf", [{"introduced": "0"}, {"fixed": "4.25.8"}, {"introduced": "5.26.0rc1"}, {"fixed": "5.29.5"}, {"introduced": "6.30.0rc1"}, {"fixed": "6.31.1"}], "recursion DoS in the pure-Python backend")
add("PYSEC-2026-1854", ["CVE-2025-61765", "GHSA-g8c6-8fjj-2r4m"], "python-socketio", fixed("5.14.0", "0.8.0"), "pickle deserialization from a compromised inter-server message queue")
add("PYSEC-2026-3042", ["CVE-2026-48804", "GHSA-5w7q-77mv-v69f"], "python-socketio", fixed("5.16.2"), "DoS by withholding binary attachments")
add("PYSEC-2026-3032", ["CVE-2026-48802", "GHSA-cgwc-pv48-fhj5"], "python-engineio", fixed("4.13.2"), "unbounded heartbeat thread/task allocation")
add("PYSEC-2026-3033", ["CVE-2026-48809", "GHSA-m9gh-vj53-gvh9"], "python-engineio", fixed("4.13.2"), "max payload size not enforced (ASGI polling, aiohttp websocket)")
add("PYSEC-2026-3539", ["CVE-2026-37737", "GHSA-94jw-hqvj-vw74"], "sanic-cors", [{"introduced": "0"}, {"last_affected": "2.2.0"}], "origin regex not end-anchored: CORS allow-list bypass")
add("PYSEC-2026-1925", ["CVE-2025-54886", "GHSA-378x-6p4f-8jgm"], "skops", fixed("0.13.0"), "Card.get_model silently falls back to joblib (code execution)")
add("PYSEC-2026-1926", ["CVE-2025-54413", "GHSA-4v6w-xpmh-gfgp"], "skops", fixed("0.12.0"), "MethodNode attribute traversal: code execution at load")
add("PYSEC-2026-1927", ["CVE-2025-54412", "GHSA-m7f4-hrc6-fwg3"], "skops", fixed("0.12.0"), "OperatorFuncNode trusted-type inconsistency: code execution at load")
add("PYSEC-2026-1928", ["CVE-2024-37065", "GHSA-q49c-6v6g-wgq3"], "skops", [{"introduced": "0.6"}, {"last_affected": "0.9"}], "unsafe deserialization of crafted models")
add("PYSEC-2024-110", ["CVE-2024-5206", "GHSA-jw8x-6495-233v"], "scikit-learn", fixed("1.5.0"), "TfidfVectorizer keeps all tokens in stop_words_ (data leak when pickled)")
add("PYSEC-2026-1845", ["CVE-2025-71176", "GHSA-6w46-j5rx-g56g"], "pytest", fixed("9.0.3"), "predictable /tmp/pytest-of-{user} directory")
add("PYSEC-2026-3447", ["CVE-2026-59890", "GHSA-h35f-9h28-mq5c"], "setuptools", fixed("83.0.0"), "MANIFEST.in excludes bypassed by NFD file names (macOS sdists)")
add("PYSEC-2025-49", ["CVE-2025-47273", "GHSA-5rjg-fvgr-3xxf"], "setuptools", fixed("78.1.1"), "path traversal in PackageIndex downloads")
add("PYSEC-2026-2047", ["CVE-2026-24049", "GHSA-8rrh-rw8j-w5fx"], "wheel", fixed("0.46.2", "0.40.0"), "wheel unpack chmods paths outside the target")
add("PYSEC-2026-196", ["CVE-2026-8643"], "pip", fixed("26.1.2"), "entry point scripts installed outside the install directory")
add("PYSEC-2026-2875", ["CVE-2026-3219", "GHSA-58qw-9mgm-455v"], "pip", fixed("26.1"), "tar+ZIP polyglot archives treated as ZIP")
add("PYSEC-2026-2876", ["CVE-2026-6357", "GHSA-jp4c-xjxw-mgf9"], "pip", fixed("26.1"), "self-update check imports modules after installing wheels")
add("PYSEC-2026-3721", ["CVE-2026-13346"], "pip", fixed("26.2"), "doubly-encoded URLs from a malicious index write files anywhere")
# Records read from the PyPA database on CHECKED_ON, one entry each, with where they were read.
for entry in json.loads((HERE / "pypa-records.json").read_text()):
    R.append({"schema_version": "1.6.0", "id": entry["id"], "aliases": entry["aliases"], "summary": entry["summary"],
              "published": entry["published"], "modified": entry["modified"],
              "affected": [{"package": {"name": entry["package"], "ecosystem": "PyPI"},
                            "ranges": [{"type": "ECOSYSTEM", "events": entry["events"]}]}],
              "database_specific": {"source": entry["source"], **({"note": entry["note"]} if "note" in entry else {})}})
checked = json.loads((HERE / "pypa-checked.json").read_text())
snapshot = {"as_of": AS_OF, "source": SOURCE, "complete": False, "checked_on": checked["checked_on"],
            "checked_packages": sorted(checked["folder_files"]), "not_checked": checked["not_checked"], "records": R}
with open(HERE / "osv-snapshot.json", "w") as out:
    json.dump(snapshot, out, indent=1)
    out.write("\n")
print(f"{len(R)} records for {len({r['affected'][0]['package']['name'] for r in R})} packages, data as of {AS_OF}; "
      f"{len(snapshot['checked_packages'])} packages checked on {checked['checked_on']}, not checked: "
      f"{', '.join(sorted(checked['not_checked'])) or 'none'}")
