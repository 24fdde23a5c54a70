"""Start the assistant's processes on loopback: the one launcher of the end-to-end and browser tests, the
production-profile cluster of the fault tests (tests/cluster.py), `make eval`, `make bench` and
tools/measure_conversations.py.

`make run` (tools/serve.py) starts the same commands: the action server (`python -m actions.server`), Rasa
with credentials.yml, and the web chat server. `running_stack` runs one stack described by a `Stack`; the
`Processes` under it also serve a caller that starts, stops and restarts processes one by one, and
tools/serve.py, whose processes write to the terminal.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import requests
import yaml

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "current.tar.gz"
HOST = "127.0.0.1"
STARTUP_TIMEOUT_S = 240
STOP_TIMEOUT_S = 30
API_TOKEN = "e2e-test-token"  # the token of Rasa's HTTP API in a stack on the test ports
# Every process of a stack, and of `make run`: the project importable, no telemetry, TensorFlow quiet.
BASE_ENVIRONMENT = {"PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
MAX_REQUEST_BYTES = "65536"  # SANIC_REQUEST_MAX_SIZE: larger requests get 413 before anything is parsed


def bin_dir() -> Path:
    """The virtualenv's scripts (python, rasa): those of the running interpreter."""
    return Path(sys.executable).parent


def actions_command() -> list[str]:
    """The action server, as `make run` starts it (ACTION_HOST, ACTION_PORT from the environment)."""
    return [str(bin_dir() / "python"), "-m", "actions.server"]


def rasa_command(
    model: Path, port: int, endpoints: Path, api_token: str | None = None, interface: str = HOST
) -> list[str]:
    """`rasa run` on `interface` (default: loopback) with credentials.yml; Rasa's HTTP API only with
    `api_token`."""
    command = [
        str(bin_dir() / "rasa"), "run", "--model", str(model), "--interface", interface, "--port", str(port),
        "--endpoints", str(endpoints), "--credentials", str(ROOT / "credentials.yml"),
    ]
    if api_token is not None:
        command += ["--enable-api", "--auth-token", api_token]
    return command


def web_command() -> list[str]:
    """The web chat server (WEBCHAT_HOST, WEBCHAT_PORT from the environment)."""
    return [str(bin_dir() / "python"), str(ROOT / "web" / "server.py")]


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


class ExitedEarlyError(RuntimeError):
    """A process exited while `Processes.wait_until_up` waited for a URL to answer."""


class Processes:
    """Named processes started from the project root with one environment, each writing its output to a log
    in `workdir` (None: to this process's terminal, no logs). As a context manager, every process still
    running is stopped at the end of the block."""

    def __init__(self, workdir: Path | None, env: Mapping[str, str]) -> None:
        self.workdir = workdir
        self.env = dict(env)
        self.running: dict[str, subprocess.Popen[bytes]] = {}
        self.logs: dict[str, Path] = {}

    @property
    def pids(self) -> dict[str, int]:
        return {name: process.pid for name, process in self.running.items()}

    def launch(self, name: str, command: list[str], log_name: str | None = None) -> subprocess.Popen[bytes]:
        """Start `command` as `name` without waiting for it (its log: `log_name`, default `<name>.log`; none
        without a workdir)."""
        if name in self.running:
            raise RuntimeError(f"{name} is already running")
        if self.workdir is None:
            logger.debug("starting %s: %s", name, " ".join(command))
            process = subprocess.Popen(command, cwd=ROOT, env=self.env)
        else:
            log = self.workdir / (log_name or f"{name}.log")
            logger.debug("starting %s: %s (log: %s)", name, " ".join(command), log)
            with log.open("w") as out:
                process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT)
            self.logs[name] = log
        self.running[name] = process
        return process

    def wait_until_up(
        self, url: str, watched: Iterable[str] | None = None, timeout_s: float = STARTUP_TIMEOUT_S
    ) -> None:
        """Wait until `url` answers 200; fail (ExitedEarlyError), with its log, as soon as a process of `watched`
        (default: every running one) has exited."""
        names = list(self.running if watched is None else watched)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            for name in names:
                code = self.running[name].poll()
                if code is None:
                    continue
                if name in self.logs:
                    log = self.logs[name].name
                    raise ExitedEarlyError(f"{log}: the process exited early:\n{self._tail(name, 3000)}")
                raise ExitedEarlyError(f"{name}: the process exited early (exit code {code})")
            try:
                if requests.get(url, timeout=2).status_code == 200:
                    return
            except (requests.ConnectionError, requests.Timeout):  # not listening yet, or busy loading
                pass
            time.sleep(1)
        tails = "\n".join(self._tail(name, 2000) for name in names)
        raise RuntimeError(f"{url} did not come up in {timeout_s:.0f}s:\n{tails}")

    def _tail(self, name: str, chars: int) -> str:
        return self.logs[name].read_text(errors="replace")[-chars:] if name in self.logs else ""

    def wait_any(self, poll_s: float = 0.5) -> tuple[str, int]:
        """Wait until one of the running processes exits: its name and exit code (it stays in `running`)."""
        if not self.running:
            raise RuntimeError("no process is running")
        while True:
            for name, process in self.running.items():
                code = process.poll()
                if code is not None:
                    return name, code
            time.sleep(poll_s)

    def stop(self, name: str, sig: int = signal.SIGTERM) -> None:
        """Stop one process (SIGKILL: no chance to clean up, as in a crash); killed if it outlives the
        timeout."""
        process = self.running.pop(name)
        process.send_signal(sig)
        _reap(process)

    def stop_all(self) -> None:
        """SIGTERM to every process at once, then wait for each."""
        stopping = list(self.running.values())
        self.running.clear()
        for process in stopping:
            process.terminate()
        for process in stopping:
            _reap(process)

    def __enter__(self) -> Processes:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop_all()


def _reap(process: subprocess.Popen[bytes]) -> None:
    try:
        process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass(frozen=True)
class Stack:
    """Where the processes of one stack listen, what Rasa serves, and the folder of its files (logs,
    endpoints, tracker database, feedback counts)."""

    workdir: Path
    rasa_port: int
    action_port: int | None = None  # None: no action server (a bot without custom actions)
    web_port: int | None = None  # where the web chat page is served from (its origin); None: nowhere
    serve_web: bool = False  # start the web chat server on web_port
    model: Path = MODEL
    api_token: str | None = None  # Rasa's HTTP API on, with this token; None: off, as in `make run`
    startup_timeout_s: float = STARTUP_TIMEOUT_S  # for each server to answer after the start

    def __post_init__(self) -> None:
        if self.serve_web and self.web_port is None:
            raise ValueError("serve_web needs a web_port")

    @classmethod
    def on_test_ports(cls, workdir: Path, with_web: bool = False) -> Stack:
        """The stack of the end-to-end tests, `make eval` and the browser tests: ports 15055 (actions),
        15005 (Rasa) and 18080 (web) unless E2E_ACTION_PORT, E2E_RASA_PORT, E2E_WEB_PORT say otherwise (so
        that a running `make run` is not disturbed), with the HTTP API on (API_TOKEN)."""
        return cls(
            workdir=workdir,
            rasa_port=int(os.environ.get("E2E_RASA_PORT", "15005")),
            action_port=int(os.environ.get("E2E_ACTION_PORT", "15055")),
            web_port=int(os.environ.get("E2E_WEB_PORT", "18080")),
            serve_web=with_web,
            api_token=API_TOKEN,
        )

    @property
    def rasa_url(self) -> str:
        return f"http://{HOST}:{self.rasa_port}"

    @property
    def web_url(self) -> str:
        return f"http://{HOST}:{self.web_port}"

    @property
    def action_url(self) -> str | None:
        """The action server's webhook, as Rasa calls it."""
        return None if self.action_port is None else f"http://{HOST}:{self.action_port}/webhook"

    @property
    def endpoints(self) -> Path:
        return self.workdir / "endpoints.yml"

    @property
    def tracker_db(self) -> Path:
        return self.workdir / "rasa.db"

    def environment(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        """This process's environment with what the stack's processes need to find each other, then `extra`."""
        env = {
            **os.environ,
            **BASE_ENVIRONMENT,
            "LOG_LEVEL": "INFO",
            "SANIC_HOST": HOST,
            "SANIC_REQUEST_MAX_SIZE": MAX_REQUEST_BYTES,
            "ACTION_HOST": HOST,
            "FEEDBACK_DB": str(self.workdir / "feedback.sqlite"),
            "ENDPOINTS_FILE": str(self.endpoints),
        }
        if self.action_port is not None:
            env["ACTION_PORT"] = str(self.action_port)
        if self.web_port is not None:
            env |= {
                "WEBCHAT_HOST": HOST,
                "WEBCHAT_PORT": str(self.web_port),
                "WEBCHAT_SOCKET_URL": self.rasa_url,
                "WEBCHAT_ALLOWED_ORIGINS": self.web_url,
            }
        return env | dict(extra or {})


@contextmanager
def running_stack(stack: Stack, env: Mapping[str, str] | None = None) -> Iterator[Processes]:
    """Run the stack (its action server, Rasa and web chat server, started together) until the block ends;
    `env` is added to the processes' environment. Yields the processes, by role: actions, rasa, web."""
    if not stack.model.exists():
        raise RuntimeError(f"{stack.model} is missing: run `make train` (make test does it first)")
    stack.workdir.mkdir(parents=True, exist_ok=True)
    stack.endpoints.write_text(local_endpoints(stack.action_url, stack.tracker_db), encoding="utf-8")
    with Processes(stack.workdir, stack.environment(env)) as processes:
        health = []
        if stack.action_port is not None:
            processes.launch("actions", actions_command())
            health.append(f"http://{HOST}:{stack.action_port}/health")
        processes.launch("rasa", rasa_command(stack.model, stack.rasa_port, stack.endpoints, stack.api_token))
        health.append(f"{stack.rasa_url}/")
        if stack.serve_web:
            processes.launch("web", web_command())
            health.append(stack.web_url)
        for url in health:
            processes.wait_until_up(url, timeout_s=stack.startup_timeout_s)
        yield processes
