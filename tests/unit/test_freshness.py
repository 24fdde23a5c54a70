"""`make freshness` (tools/freshness.py): fails on an aged or unsourced directory item, passes on the real one."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from tools import freshness

ROOT = Path(__file__).resolve().parent.parent.parent
DIRECTORY = ROOT / "directory"


def copy_directory(tmp_path: Path) -> Path:
    """A copy of the directory (main file, schema is read from the repository, state files)."""
    shutil.copy(DIRECTORY / "referral_directory.yml", tmp_path / "referral_directory.yml")
    shutil.copytree(DIRECTORY / "states", tmp_path / "states")
    return tmp_path / "referral_directory.yml"


def test_the_current_directory_is_fresh() -> None:
    assert freshness.main([]) == 0


def test_an_aged_state_entry_fails_and_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main_file = copy_directory(tmp_path)
    morelos = tmp_path / "states" / "morelos.yml"
    data = yaml.safe_load(morelos.read_text(encoding="utf-8"))
    data["child_protection"]["phones"][0]["verified_on"] = "2024-01-15"
    morelos.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert freshness.main([str(main_file), "--today", "2026-12-06"]) == 1
    out = capsys.readouterr().out
    assert "morelos.yml.child_protection.phones[800 831 8884]: verified_on 2024-01-15 is older than 365 days" in out
    assert "freshness: 1 item(s) to re-verify" in out


def test_everything_ages_after_the_configured_age(tmp_path: Path) -> None:
    main_file = copy_directory(tmp_path)
    assert freshness.main([str(main_file), "--today", "2026-12-06", "--max-age-days", "365"]) == 0
    assert freshness.main([str(main_file), "--today", "2028-12-06", "--max-age-days", "365"]) == 1


def test_an_item_without_a_source_is_listed() -> None:
    data = {"institutions": [{"id": "x", "phones": [{"number": "800 000 0000", "verified_on": "2026-12-01"}]}]}
    problems = freshness.problems_in(data, "referral_directory.yml", date(2026, 12, 6), 365)
    assert problems == ["referral_directory.yml.institutions[x].phones[800 000 0000]: no source"]
