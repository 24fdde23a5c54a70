"""The dependency audit (tools/audit): the accepted-advisory list against the snapshot and the pins, the
OSV range evaluation of the loopback server, the pin readers, the coverage banner and the freshness check.

All offline: hand-built records, temporary files and one loopback server.
"""

from __future__ import annotations

import json
import threading
import urllib.request
from datetime import date, timedelta
from http.server import ThreadingHTTPServer
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from packaging.version import Version

from tools.audit import osv_local
from tools.audit.osv_local import affected, build_index, canon, find

ROOT = Path(__file__).resolve().parents[2]
AUDIT = ROOT / "tools" / "audit"
SNAPSHOT = osv_local.load_snapshot(AUDIT / "osv-snapshot.json")


def ignore_lines() -> list[tuple[str, str]]:
    lines = []
    for raw in (AUDIT / "audit-ignore.txt").read_text().splitlines():
        if raw.strip() and not raw.lstrip().startswith("#"):
            vuln_id, _, reason = raw.strip().partition(" ")
            lines.append((vuln_id, reason.strip()))
    return lines


def pins() -> dict[str, set[str]]:
    """Every version the audit checks: constraints.txt plus what is installed where the tests run (.venv)."""
    found: dict[str, set[str]] = {}
    for name, version in osv_local.read_constraints(ROOT / "constraints.txt").items():
        found.setdefault(name, set()).add(version)
    for dist in metadata.distributions():
        found.setdefault(canon(dist.metadata["Name"]), set()).add(dist.version)
    return found


def record(rid: str, events: list[dict[str, str]], pkg: str = "demo", **extra: Any) -> dict[str, Any]:
    return {
        "id": rid,
        "affected": [
            {"package": {"name": pkg, "ecosystem": "PyPI"}, "ranges": [{"type": "ECOSYSTEM", "events": events}]}
        ],
        **extra,
    }


# --- audit-ignore.txt against the snapshot and the pins --------------------------------------------------


def test_every_accepted_advisory_has_a_specific_reason() -> None:
    lines = ignore_lines()
    assert lines
    for vuln_id, reason in lines:
        assert len(reason.split()) >= 4, f"{vuln_id}: no reason (or a one-word one) in audit-ignore.txt"
    ids = [vuln_id for vuln_id, _ in lines]
    assert len(ids) == len(set(ids)), "an id is listed twice in audit-ignore.txt"


def test_every_accepted_advisory_is_a_record_of_the_snapshot() -> None:
    record_ids = {r["id"] for r in SNAPSHOT.records}
    stale = [vuln_id for vuln_id, _ in ignore_lines() if vuln_id not in record_ids]
    assert not stale, f"audit-ignore.txt lists ids that are no record's id in osv-snapshot.json: {stale}"


def test_every_accepted_advisory_still_affects_a_pin() -> None:
    """An upgrade past the fix must take the line out of audit-ignore.txt, or it would hide a regression."""
    by_id = {r["id"]: r for r in SNAPSHOT.records}
    index = build_index(SNAPSHOT.records)
    current = pins()
    for vuln_id, _ in ignore_lines():
        names = {canon(aff["package"]["name"]) for aff in by_id[vuln_id]["affected"]}
        hits = [
            (name, v)
            for name in names
            for v in current.get(name, ())
            if by_id[vuln_id] in find(index, name, Version(v))
        ]
        assert hits, f"{vuln_id} affects no pinned or installed version any more: remove it from audit-ignore.txt"


def test_every_record_affecting_a_pin_is_accepted() -> None:
    """What `make audit` checks, without pip-audit: no snapshot record hits a pin unaccepted."""
    accepted = {vuln_id for vuln_id, _ in ignore_lines()}
    index = build_index(SNAPSHOT.records)
    unaccepted = sorted(
        f"{r['id']} ({name} {v})"
        for name, versions in pins().items()
        for v in versions
        for r in find(index, name, Version(v))
        if r["id"] not in accepted
    )
    assert not unaccepted, f"triage these into audit-ignore.txt (with a reason) or upgrade: {unaccepted}"


def test_snapshot_is_dated_and_marked_incomplete() -> None:
    assert SNAPSHOT.as_of <= date.today()
    assert SNAPSHOT.complete is False  # the PyPA database only, as stored in the search index: the banner says so
    assert len(SNAPSHOT.records) >= 59


def test_snapshot_says_which_packages_were_checked() -> None:
    assert SNAPSHOT.checked_on is not None and SNAPSHOT.as_of <= SNAPSHOT.checked_on <= date.today()
    assert SNAPSHOT.checked_packages is not None and len(SNAPSHOT.checked_packages) > 100
    assert not SNAPSHOT.checked_packages & set(SNAPSHOT.not_checked), "a package is both checked and not checked"
    for name, why in SNAPSHOT.not_checked.items():
        assert len(why.split()) >= 4, f"{name}: say why it could not be checked"
    # Every package with a record in the snapshot was looked up (the records came from that look-up).
    assert set(build_index(SNAPSHOT.records)) <= SNAPSHOT.checked_packages


def test_records_read_from_the_database_name_where_they_were_read() -> None:
    entries = json.loads((AUDIT / "pypa-records.json").read_text())
    by_id = {r["id"]: r for r in SNAPSHOT.records}
    assert entries
    for entry in entries:
        source = entry["source"]
        assert source["path"] == f"vulns/{entry['package']}/{entry['id']}.yaml"
        assert len(source["commit"]) == 40 and int(source["commit"], 16) >= 0
        assert by_id[entry["id"]]["database_specific"]["source"] == source, "run tools/audit/make_records.py"
    assert len(by_id) == len(SNAPSHOT.records)


# --- OSV range evaluation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "version, expected",
    [("0.1", True), ("1.9.9", True), ("2.0.0rc1", True), ("2.0.0", False), ("3.0", False)],
)
def test_introduced_zero_fixed(version: str, expected: bool) -> None:
    assert affected(Version(version), [{"introduced": "0"}, {"fixed": "2.0.0"}]) is expected


@pytest.mark.parametrize(
    "version, expected",
    [("0.5", False), ("0.6", True), ("0.9", True), ("0.9.1", False), ("1.0", False)],
)
def test_introduced_last_affected(version: str, expected: bool) -> None:
    assert affected(Version(version), [{"introduced": "0.6"}, {"last_affected": "0.9"}]) is expected


@pytest.mark.parametrize(
    "version, expected",
    [
        ("1.0", True),  # first branch
        ("1.45.1", False),  # its fix
        ("1.99", False),  # between the branches
        ("2.0.0a1", True),  # second branch opens on a pre-release
        ("2.7.9", True),
        ("2.8.0", False),
        ("3.0", True),  # third branch, never fixed
    ],
)
def test_several_branches_in_one_range(version: str, expected: bool) -> None:
    events = [
        {"introduced": "0"},
        {"fixed": "1.45.1"},
        {"introduced": "2.0.0a1"},
        {"fixed": "2.8.0"},
        {"introduced": "3.0"},
    ]
    assert affected(Version(version), events) is expected
    # Events need not be written in order.
    assert affected(Version(version), list(reversed(events))) is expected


def test_introduced_and_fixed_at_the_same_version_affect_nothing() -> None:
    assert affected(Version("1.0"), [{"introduced": "1.0"}, {"fixed": "1.0"}]) is False


def test_several_ranges_and_explicit_versions() -> None:
    rec = record("X-1", [{"introduced": "1.0"}, {"fixed": "1.2"}])
    aff = rec["affected"][0]
    aff["ranges"].append({"type": "ECOSYSTEM", "events": [{"introduced": "3.0"}, {"last_affected": "3.1"}]})
    aff["ranges"].append({"type": "GIT", "repo": "x", "events": [{"introduced": "0"}, {"fixed": "deadbeef"}]})
    aff["versions"] = ["2.5"]
    index = build_index([rec])
    hits = {v: bool(find(index, "demo", Version(v))) for v in ["0.9", "1.1", "1.2", "2.5", "2.6", "3.1", "3.2"]}
    assert hits == {"0.9": False, "1.1": True, "1.2": False, "2.5": True, "2.6": False, "3.1": True, "3.2": False}


def test_find_normalises_names_and_matches_each_package_alone() -> None:
    rec = record("X-2", [{"introduced": "0"}, {"fixed": "2.0"}], pkg="Sanic_Cors")
    rec["affected"].append(
        {
            "package": {"name": "other.pkg", "ecosystem": "PyPI"},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "5"}]}],
        }
    )
    index = build_index([rec])
    assert find(index, "sanic-cors", Version("1.0")) == [rec]
    assert find(index, "SANIC.CORS", Version("1.0")) == [rec]
    assert find(index, "sanic-cors", Version("5.0")) == []  # the other package's range does not apply
    assert find(index, "other-pkg", Version("5.0")) == [rec]
    assert find(index, "unrelated", Version("1.0")) == []


def test_the_snapshot_records_evaluate_as_their_fix_versions_say() -> None:
    index = build_index(SNAPSHOT.records)
    assert [r["id"] for r in find(index, "skops", Version("0.9.0"))] == [
        "PYSEC-2026-1925",
        "PYSEC-2026-1926",
        "PYSEC-2026-1927",
        "PYSEC-2026-1928",
    ]
    assert [r["id"] for r in find(index, "skops", Version("0.10"))] == [
        "PYSEC-2026-1925",
        "PYSEC-2026-1926",
        "PYSEC-2026-1927",
    ]
    assert find(index, "skops", Version("0.13.0")) == []
    assert {r["id"] for r in find(index, "sentry-sdk", Version("2.7"))} == {"PYSEC-2026-1917"}
    assert find(index, "sentry-sdk", Version("1.45.1")) == []


@pytest.mark.parametrize(
    "bad, message",
    [
        (record("B-1", [{"fixed": "1.0"}]), "without 'introduced'"),
        (record("B-2", [{"introduced": "0"}, {"fixed": "not a version"}]), "Invalid version"),
        (record("B-3", [{"introduced": "0"}, {"limit": "1.0"}]), "unexpected event"),
        ({"id": "B-4", "affected": []}, "no 'affected'"),
        (
            {"id": "B-5", "affected": [{"package": {"name": "x", "ecosystem": "npm"}, "ranges": []}]},
            "not a PyPI record",
        ),
    ],
)
def test_validate_rejects_records_the_server_cannot_evaluate(bad: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        osv_local.validate([bad])


def test_validate_rejects_duplicate_ids() -> None:
    ok = record("D-1", [{"introduced": "0"}, {"fixed": "1"}])
    osv_local.validate([ok])
    with pytest.raises(ValueError, match="duplicate"):
        osv_local.validate([ok, ok])


def test_server_answers_pip_audit_queries() -> None:
    rec = record("S-1", [{"introduced": "0"}, {"fixed": "2.0"}], pkg="demo-pkg", aliases=["CVE-0-1"])
    server = ThreadingHTTPServer(("127.0.0.1", 0), osv_local.make_handler(build_index([rec])))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/v1/query"

        def query(body: dict[str, Any]) -> Any:
            request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST")
            with urllib.request.urlopen(request, timeout=5) as response:
                return json.loads(response.read())

        hit = query({"package": {"name": "Demo_Pkg", "ecosystem": "PyPI"}, "version": "1.5"})
        assert [v["id"] for v in hit["vulns"]] == ["S-1"]
        assert query({"package": {"name": "demo-pkg", "ecosystem": "PyPI"}, "version": "2.0"}) == {}
        assert query({"package": {"name": "demo-pkg", "ecosystem": "npm"}, "version": "1.5"}) == {}
        with pytest.raises(urllib.error.HTTPError):
            query({"package": {"name": "demo-pkg"}, "version": "not a version"})
    finally:
        server.shutdown()
        server.server_close()


# --- pins, coverage banner, freshness ---------------------------------------------------------------------


def test_read_constraints(tmp_path: Path) -> None:
    path = tmp_path / "c.txt"
    path.write_text(
        "# comment\n-r other.txt\nAiohttp==3.9.5\nSanic_Cors == 2.0.1  # why\n"
        'pymongo[srv]==4.3.3 ; python_version >= "3.8"\nloose>=1.0\n\n'
    )
    assert osv_local.read_constraints(path) == {"aiohttp": "3.9.5", "sanic-cors": "2.0.1", "pymongo": "4.3.3"}


def test_read_constraints_reads_every_project_pin() -> None:
    text = (ROOT / "constraints.txt").read_text()
    expected = sum(1 for line in text.splitlines() if "==" in line and not line.lstrip().startswith("#"))
    assert len(osv_local.read_constraints(ROOT / "constraints.txt")) == expected > 100


def test_read_site_packages(tmp_path: Path) -> None:
    for name, version in [("Sanic_Cors", "2.0.1"), ("pip", "26.3")]:
        info = tmp_path / f"{name}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n\nbody\n")
    (tmp_path / "broken-1.0.dist-info").mkdir()  # no METADATA: skipped
    assert osv_local.read_site_packages(tmp_path) == {"sanic-cors": "2.0.1", "pip": "26.3"}


def test_banner_states_date_records_and_coverage() -> None:
    snap = osv_local.Snapshot(
        date(2026, 11, 29),
        "hand-copied",
        False,
        [record("A-1", [{"introduced": "0"}]), record("A-2", [{"introduced": "0"}], pkg="b")],
    )
    text = osv_local.banner(
        snap, {"demo": "1", "b": "2", "c": "3", "d": "4"}, "constraints.txt", date(2026, 12, 5), 120
    )
    assert "2 records for 2 packages, as of 2026-11-29 (6 days old; limit 120" in text
    assert "NOT a complete advisory database" in text
    assert "COVERAGE: 2 of 4 packages in constraints.txt have any record: b, demo" in text
    assert "The other 2 are checked against NOTHING" in text


def test_banner_names_the_pins_that_were_not_checked() -> None:
    snap = osv_local.Snapshot(
        date(2026, 11, 29),
        "hand-copied",
        False,
        [record("A-1", [{"introduced": "0"}], pkg="b")],
        checked_packages=frozenset({"a", "b", "c"}),
        checked_on=date(2026, 12, 5),
        not_checked={"tf": "folder too large to list"},
    )
    text = osv_local.banner(
        snap, {"a": "1", "b": "2", "c": "3", "tf": "4", "new": "5"}, "constraints.txt", date(2026, 12, 5), 120
    )
    assert "COVERAGE: 3 of 5 pins in constraints.txt checked against the PyPA advisory database" in text
    assert "as stored on 2026-12-05" in text
    assert "1 have any record in this snapshot" in text
    assert "not GitHub's advisory database" in text
    assert "NOT CHECKED (2)" in text
    assert "new: never looked up" in text  # a pin added after the look-up is named, not silently counted
    assert "tf: folder too large to list" in text
    assert "checked against NOTHING" not in text


def test_banner_without_unchecked_pins_names_none() -> None:
    snap = osv_local.Snapshot(
        date(2026, 11, 29), "x", False, [], checked_packages=frozenset({"a"}), checked_on=date(2026, 12, 5)
    )
    text = osv_local.banner(snap, {"a": "1"}, "c.txt", date(2026, 12, 5), 120)
    assert "COVERAGE: 1 of 1 pins" in text
    assert "NOT CHECKED" not in text


def test_load_snapshot_reads_the_checked_packages(tmp_path: Path) -> None:
    path = tmp_path / "snap.json"
    base = {"as_of": "2026-11-29", "source": "t", "records": [record("A-1", [{"introduced": "0"}])]}
    path.write_text(json.dumps(base))
    old = osv_local.load_snapshot(path)
    assert old.checked_packages is None and old.checked_on is None and old.not_checked == {}
    checked = {"checked_on": "2026-12-05", "checked_packages": ["Sanic_Cors"], "not_checked": {"TensorFlow": "why"}}
    path.write_text(json.dumps({**base, **checked}))
    new = osv_local.load_snapshot(path)
    assert new.checked_packages == {"sanic-cors"}
    assert new.checked_on == date(2026, 12, 5)
    assert new.not_checked == {"tensorflow": "why"}


@pytest.mark.parametrize(
    "as_of, max_age, stale",
    [
        (date(2026, 12, 5), 120, False),
        (date(2026, 8, 7), 120, False),
        (date(2026, 8, 6), 120, True),
        (date(2026, 12, 6), 120, True),
    ],
)
def test_freshness(as_of: date, max_age: int, stale: bool) -> None:
    assert (osv_local.freshness_error(as_of, date(2026, 12, 5), max_age) is not None) is stale


def test_max_age_comes_from_the_environment() -> None:
    assert osv_local.max_age_days({}) == osv_local.DEFAULT_MAX_AGE_DAYS == 120
    assert osv_local.max_age_days({"AUDIT_MAX_AGE_DAYS": "30"}) == 30
    with pytest.raises(ValueError):
        osv_local.max_age_days({"AUDIT_MAX_AGE_DAYS": "-1"})


def test_banner_command_fails_on_a_stale_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("AUDIT_MAX_AGE_DAYS", raising=False)
    path = tmp_path / "snap.json"
    records = [record("A-1", [{"introduced": "0"}, {"fixed": "2"}])]

    def write(as_of: date) -> None:
        path.write_text(json.dumps({"as_of": as_of.isoformat(), "source": "test", "records": records}))

    write(date.today() - timedelta(days=121))
    assert osv_local.main(["banner", str(path)]) == 1
    assert "AUDIT FAILED" in capsys.readouterr().err
    monkeypatch.setenv("AUDIT_MAX_AGE_DAYS", "200")
    assert osv_local.main(["banner", str(path)]) == 0
    monkeypatch.delenv("AUDIT_MAX_AGE_DAYS")
    write(date.today())
    assert osv_local.main(["banner", str(path)]) == 0
    assert "1 records for 1 packages" in capsys.readouterr().out
