"""Tests that need a service (PostgreSQL, Redis, RabbitMQ, Chromium, nginx, docker-compose, a PostgreSQL cluster
to restart): skipped, loudly, on a developer's machine without it; a failure in CI, where `.ci/run` sets
REQUIRE_SERVICES=1, so a green run means the production profile and the deployment files were really tested."""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def services_required() -> bool:
    return os.environ.get("REQUIRE_SERVICES", "") == "1"


def unavailable(reason: str) -> NoReturn:
    """Skip the test for `reason`, or fail it when REQUIRE_SERVICES=1."""
    if services_required():
        pytest.fail(f"{reason} (REQUIRE_SERVICES=1: a missing service fails instead of skipping)", pytrace=False)
    pytest.skip(reason)
