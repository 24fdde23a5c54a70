"""Start the assistant's processes on loopback for end-to-end and browser tests.

The same commands as `make run` (tools/serve.sh): the action server, Rasa with credentials.yml,
and, for the browser tests, the web chat server. Ports default to 15055/15005/18080 so the tests
do not collide with a running `make run`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests
import yaml

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "current.tar.gz"
HOST = "127.0.0.1"
STARTUP_TIMEOUT_S = 240


class Stack:
    """Addresses of a running stack."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.action_port = int(os.environ.get("E2E_ACTION_PORT", "15055"))
        self.rasa_port = int(os.environ.get("E2E_RASA_PORT", "15005"))
        self.web_port = int(os.environ.get("E2E_WEB_PORT", "18080"))

    @property
    def rasa_url(self) -> str:
        return f"http://{HOST}:{self.rasa_port}"

    @property
    def web_url(self) -> str:
        return f"http://{HOST}:{self.web_port}"

    @property
    def tracker_db(self) -> Path:
        return self.workdir / "rasa.db"


def wait_until_up(url: str, processes: list[subprocess.Popen], logs: list[Path]) -> None:
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


def local_endpoints(action_url: str | None, tracker_db: Path) -> str:
    """endpoints.yml (what `make run` uses) with another action server address and tracker database;
    without an action server when `action_url` is None."""
    config = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    if action_url is None:
        del config["action_endpoint"]
    else:
        config["action_endpoint"]["url"] = action_url
    config["tracker_store"]["db"] = str(tracker_db)
    return str(yaml.safe_dump(config, sort_keys=False))


API_TOKEN = "e2e-test-token"  # the tests turn Rasa's HTTP API on, with this token


@contextmanager
def running_stack(workdir: Path, with_web: bool = False, env: dict[str, str] | None = None) -> Iterator[Stack]:
    """Run the stack until the block ends; logs go to `workdir`."""
    if not MODEL.exists():
        raise RuntimeError(f"{MODEL} is missing: run `make train` (make test does it first)")
    stack = Stack(workdir)
    endpoints = workdir / "endpoints.yml"
    endpoints.write_text(
        local_endpoints(f"http://{HOST}:{stack.action_port}/webhook", stack.tracker_db), encoding="utf-8"
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "RASA_TELEMETRY_ENABLED": "false",
        "SANIC_HOST": HOST,
        "WEBCHAT_HOST": HOST,
        "WEBCHAT_PORT": str(stack.web_port),
        "WEBCHAT_SOCKET_URL": stack.rasa_url,
        "WEBCHAT_ALLOWED_ORIGINS": stack.web_url,
        "ACTION_HOST": HOST,
        "ACTION_PORT": str(stack.action_port),
        "SANIC_REQUEST_MAX_SIZE": "65536",
        "FEEDBACK_DB": str(workdir / "feedback.sqlite"),
        "ENDPOINTS_FILE": str(endpoints),
        "LOG_LEVEL": "INFO",
        **(env or {}),
    }
    bin_dir = Path(sys.executable).parent
    commands = {
        "actions": [str(bin_dir / "python"), "-m", "actions.server"],
        "rasa": [str(bin_dir / "rasa"), "run", "--model", str(MODEL), "--interface", HOST,
                 "--port", str(stack.rasa_port), "--endpoints", str(endpoints),
                 "--credentials", str(ROOT / "credentials.yml"), "--enable-api", "--auth-token", API_TOKEN],
    }
    if with_web:
        commands["web"] = [str(bin_dir / "python"), str(ROOT / "web" / "server.py")]
    logs = [workdir / f"{name}.log" for name in commands]
    processes = [
        subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
        for cmd, log in zip(commands.values(), logs, strict=True)
    ]
    try:
        wait_until_up(f"http://{HOST}:{stack.action_port}/health", processes, logs)
        wait_until_up(f"{stack.rasa_url}/", processes, logs)
        if with_web:
            wait_until_up(stack.web_url, processes, logs)
        yield stack
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
