"""Closed by default: the action server's token, and Rasa's HTTP API only with a token."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.servers import HOST, ROOT

TOKEN = "action-token-for-tests"


@pytest.fixture(scope="module")
def action_server_with_token(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = int(os.environ.get("E2E_TOKEN_ACTION_PORT", "15056"))
    log = tmp_path_factory.mktemp("token") / "actions.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ACTION_HOST": HOST, "ACTION_PORT": str(port),
           "ACTION_SERVER_TOKEN": TOKEN}
    process = subprocess.Popen([sys.executable, "-m", "actions.server"], cwd=ROOT, env=env,
                               stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://{HOST}:{port}"
    try:
        for _ in range(120):
            try:
                if requests.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


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
    result = subprocess.run([str(Path(ROOT) / "tools" / "serve.sh")], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=30, check=False)
    assert result.returncode == 2
    assert "RASA_AUTH_TOKEN" in result.stderr
