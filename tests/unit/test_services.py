"""A missing service skips a test on a developer's machine and fails it in CI (REQUIRE_SERVICES=1)."""

from __future__ import annotations

import pytest

from tests.services import unavailable


def test_without_require_services_a_missing_service_skips(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REQUIRE_SERVICES", raising=False)
    with pytest.raises(pytest.skip.Exception, match="Redis not listening"):
        unavailable("Redis not listening")


def test_with_require_services_a_missing_service_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REQUIRE_SERVICES", "1")
    with pytest.raises(pytest.fail.Exception, match=r"Redis not listening.*REQUIRE_SERVICES=1"):
        unavailable("Redis not listening")


def test_ci_requires_the_services() -> None:
    from pathlib import Path

    run = (Path(__file__).resolve().parents[2] / ".ci" / "run").read_text(encoding="utf-8")
    assert "export REQUIRE_SERVICES=1" in run
