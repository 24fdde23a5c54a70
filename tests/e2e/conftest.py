"""Start the action server and Rasa on loopback for the end-to-end tests.

Ports default to 15055/15005 so the tests do not collide with `make run` (5055/5005);
override with E2E_ACTION_PORT and E2E_RASA_PORT. Conversations go to a temporary SQLite file.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "current.tar.gz"
HOST = "127.0.0.1"
STARTUP_TIMEOUT_S = 240


def _wait_until_up(url: str, processes: list[subprocess.Popen], logs: list[Path]) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        for process, log in zip(processes, logs, strict=True):
            if process.poll() is not None:
                raise RuntimeError(f"{log.name}: the process exited early:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(1)
    tails = "\n".join(p.read_text()[-2000:] for p in logs)
    raise RuntimeError(f"{url} did not come up in {STARTUP_TIMEOUT_S}s:\n{tails}")


@pytest.fixture(scope="session")
def rasa_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make train` (make test does it first)")
    work = tmp_path_factory.mktemp("e2e")
    action_port = int(os.environ.get("E2E_ACTION_PORT", "15055"))
    rasa_port = int(os.environ.get("E2E_RASA_PORT", "15005"))
    endpoints = work / "endpoints.yml"
    endpoints.write_text(
        f'action_endpoint:\n  url: "http://{HOST}:{action_port}/webhook"\n'
        f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {work / 'rasa.db'}\n",
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false", "SANIC_HOST": HOST}
    bin_dir = Path(sys.executable).parent
    logs = [work / "actions.log", work / "rasa.log"]
    commands = [
        [str(bin_dir / "python"), "-m", "rasa_sdk", "--actions", "actions", "--port", str(action_port)],
        [str(bin_dir / "rasa"), "run", "--model", str(MODEL), "--interface", HOST, "--port", str(rasa_port),
         "--endpoints", str(endpoints), "--credentials", str(ROOT / "credentials.yml")],
    ]
    processes = [
        subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
        for cmd, log in zip(commands, logs, strict=True)
    ]
    try:
        _wait_until_up(f"http://{HOST}:{action_port}/health", processes, logs)
        _wait_until_up(f"http://{HOST}:{rasa_port}/", processes, logs)
        yield f"http://{HOST}:{rasa_port}"
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


class Conversation:
    """One person talking to the REST channel."""

    def __init__(self, rasa_url: str) -> None:
        self.url = f"{rasa_url}/webhooks/rest/webhook"
        self.sender = f"e2e-{uuid.uuid4().hex}"

    def say(self, text: str) -> list[dict[str, Any]]:
        response = requests.post(self.url, json={"sender": self.sender, "message": text}, timeout=60)
        response.raise_for_status()
        return list(response.json())

    def say_text(self, text: str) -> str:
        return "\n".join(m.get("text", "") for m in self.say(text))


@pytest.fixture
def conversation(rasa_url: str) -> Conversation:
    return Conversation(rasa_url)
