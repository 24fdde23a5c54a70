"""Closed by default: the action server's token, and Rasa's HTTP API only with a token."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
import requests

from tools.stack import HOST, ROOT, Processes, actions_command

TOKEN = "action-token-for-tests"


@pytest.fixture(scope="module")
def action_server_with_token(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = int(os.environ.get("E2E_TOKEN_ACTION_PORT", "15056"))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ACTION_HOST": HOST, "ACTION_PORT": str(port),
           "ACTION_SERVER_TOKEN": TOKEN}
    url = f"http://{HOST}:{port}"
    with Processes(tmp_path_factory.mktemp("token"), env) as processes:
        processes.launch("actions", actions_command())
        processes.wait_until_up(f"{url}/health", timeout_s=60)
        yield url


def call(url: str, **kwargs: object) -> int:
    body = {"next_action": "action_delete_my_data", "tracker": {"sender_id": "x", "slots": {}, "events": []}}
    return requests.post(f"{url}/webhook", json=body, timeout=10, **kwargs).status_code  # type: ignore[arg-type]


def test_the_action_server_refuses_calls_without_its_token(action_server_with_token: str) -> None:
    assert call(action_server_with_token) == 403
    assert call(action_server_with_token, params={"token": "wrong"}) == 403
    assert call(action_server_with_token, params={"token": TOKEN}) == 200
    assert call(action_server_with_token, headers={"Authorization": f"Bearer {TOKEN}"}) == 200


def test_the_http_api_cannot_be_enabled_without_a_token() -> None:
    env = {**os.environ, "RASA_ENABLE_API": "true", "RASA_AUTH_TOKEN": ""}
    result = subprocess.run([sys.executable, "-m", "tools.serve"], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=30, check=False)
    assert result.returncode == 2
    assert "RASA_AUTH_TOKEN" in result.stderr
