"""`make run` (tools/serve.py): its settings and commands, and how it stops, with stand-in processes (no Rasa)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import pytest

from tests.processes import free_port, http_server
from tools import serve, stack
from tools.stack import HOST, MODEL, ROOT

SLEEP = [sys.executable, "-c", "import time; time.sleep(60)"]


# --- settings -------------------------------------------------------------------------------------------------


def test_the_defaults_fill_what_is_unset_or_empty_and_keep_the_rest() -> None:
    env = serve.environment({"RASA_PORT": "6005", "WEBCHAT_HOST": "", "PROFILE": "embedded", "PATH": "/bin"})
    assert env["RASA_PORT"] == "6005"  # from .env
    assert env["WEBCHAT_HOST"] == "127.0.0.1"  # empty in .env: the default, as ${VAR:=default} did
    assert env["PROFILE"] == "embedded" and env["PATH"] == "/bin"
    assert {name: env[name] for name in ("RASA_HOST", "ACTION_HOST", "ACTION_PORT", "WEBCHAT_PORT")} == {
        "RASA_HOST": "127.0.0.1", "ACTION_HOST": "127.0.0.1", "ACTION_PORT": "5055", "WEBCHAT_PORT": "8080",
    }
    assert (env["LOG_LEVEL"], env["SANIC_REQUEST_MAX_SIZE"]) == ("INFO", "65536")
    assert (env["PYTHONPATH"], env["RASA_TELEMETRY_ENABLED"], env["TF_CPP_MIN_LOG_LEVEL"]) == (
        str(ROOT), "false", "2",
    )


def test_the_fixed_settings_win_over_the_environment() -> None:
    env = serve.environment({"PYTHONPATH": "/elsewhere", "RASA_TELEMETRY_ENABLED": "true", "LOG_LEVEL": "DEBUG",
                             "SANIC_REQUEST_MAX_SIZE": "1024"})
    assert (env["PYTHONPATH"], env["RASA_TELEMETRY_ENABLED"]) == (str(ROOT), "false")
    assert (env["LOG_LEVEL"], env["SANIC_REQUEST_MAX_SIZE"]) == ("DEBUG", "1024")


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({}, "endpoints.yml"),
        ({"ACTION_SERVER_TOKEN": ""}, "endpoints.yml"),  # .env.example leaves it empty
        ({"ACTION_SERVER_TOKEN": "s3cret"}, "endpoints.token.yml"),
        ({"PROFILE": "production"}, "endpoints.production.yml"),
        ({"PROFILE": "production", "ACTION_SERVER_TOKEN": "s3cret"}, "endpoints.production.yml"),
        ({"PROFILE": "embedded"}, "endpoints.yml"),
    ],
)
def test_the_endpoints_file(settings: dict[str, str], expected: str) -> None:
    chosen = serve.endpoints_file(serve.environment(settings))
    assert chosen == ROOT / expected
    assert chosen.exists()


def test_the_http_api_is_closed_unless_asked_for_with_a_token() -> None:
    assert serve.api_token({}) is None
    assert serve.api_token({"RASA_ENABLE_API": "false", "RASA_AUTH_TOKEN": "t0k"}) is None
    assert serve.api_token({"RASA_ENABLE_API": "true", "RASA_AUTH_TOKEN": "t0k"}) == "t0k"
    with pytest.raises(serve.SettingsError, match="RASA_AUTH_TOKEN"):
        serve.api_token({"RASA_ENABLE_API": "true", "RASA_AUTH_TOKEN": ""})


def test_the_api_without_a_token_exits_2_before_starting_anything(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(serve, "serve", lambda *args, **kwargs: pytest.fail("nothing may start"))
    assert serve.main({"RASA_ENABLE_API": "true"}) == 2
    assert "RASA_ENABLE_API=true needs RASA_AUTH_TOKEN" in capsys.readouterr().err


def test_the_module_exits_2_without_a_token() -> None:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "RASA_ENABLE_API": "true", "RASA_AUTH_TOKEN": ""}
    result = subprocess.run([sys.executable, "-m", "tools.serve"], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 2
    assert "RASA_AUTH_TOKEN" in result.stderr


# --- what is started ------------------------------------------------------------------------------------------


class FakeProcesses:
    """Records what `serve` asks of Processes; one process "exits" once the banner is printed."""

    made: ClassVar[list[FakeProcesses]] = []

    def __init__(self, workdir: Path | None, env: dict[str, str]) -> None:
        self.workdir, self.env = workdir, dict(env)
        self.launched: dict[str, list[str]] = {}
        self.waited_for: list[str] = []
        self.stopped = False
        FakeProcesses.made.append(self)

    def launch(self, name: str, command: list[str]) -> None:
        self.launched[name] = command

    def wait_until_up(self, url: str, **kwargs: Any) -> None:
        self.waited_for.append(url)

    def wait_any(self) -> tuple[str, int]:
        return "web", 0

    def stop_all(self) -> None:
        self.stopped = True

    def __enter__(self) -> FakeProcesses:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop_all()


@pytest.fixture
def fake_processes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[FakeProcesses]:
    FakeProcesses.made = []
    monkeypatch.setattr(serve, "Processes", FakeProcesses)
    monkeypatch.setattr(serve, "VAR", tmp_path / "var")
    return FakeProcesses.made


def test_the_three_commands_with_the_api_and_the_token_endpoints(
    fake_processes: list[FakeProcesses], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = {"RASA_HOST": "0.0.0.0", "RASA_PORT": "6005", "RASA_ENABLE_API": "true", "RASA_AUTH_TOKEN": "t0k",
                "ACTION_SERVER_TOKEN": "s3cret"}
    assert serve.main(settings) == serve.EXIT_STOPPED  # the fake's "web" exits
    (processes,) = fake_processes
    bin_dir = Path(sys.executable).parent
    endpoints = str(ROOT / "endpoints.token.yml")
    assert processes.workdir is None  # output to the terminal, no log files
    assert processes.launched == {
        "actions": [str(bin_dir / "python"), "-m", "actions.server"],
        "rasa": [
            str(bin_dir / "rasa"), "run", "--model", str(MODEL), "--interface", "0.0.0.0", "--port", "6005",
            "--endpoints", endpoints, "--credentials", str(ROOT / "credentials.yml"),
            "--enable-api", "--auth-token", "t0k",
        ],
        "web": [str(bin_dir / "python"), str(ROOT / "web" / "server.py")],
    }
    assert list(processes.launched) == ["actions", "rasa", "web"]
    assert processes.env["ENDPOINTS_FILE"] == endpoints
    assert processes.env["ACTION_PORT"] == "5055" and processes.env["RASA_TELEMETRY_ENABLED"] == "false"
    assert processes.waited_for == ["http://0.0.0.0:6005/"]
    assert processes.stopped
    assert (tmp_path / "var").is_dir()
    out, err = capsys.readouterr()
    assert "The assistant is running." in out
    assert "web exited (exit code 0); stopping the others." in err


def test_closed_by_default(fake_processes: list[FakeProcesses]) -> None:
    serve.main({})
    (processes,) = fake_processes
    rasa = processes.launched["rasa"]
    assert "--enable-api" not in rasa and "--auth-token" not in rasa
    assert rasa[rasa.index("--interface") + 1] == "127.0.0.1" and rasa[rasa.index("--port") + 1] == "5005"
    assert rasa[rasa.index("--endpoints") + 1] == str(ROOT / "endpoints.yml")
    assert processes.waited_for == ["http://127.0.0.1:5005/"]


def test_the_banner() -> None:
    env = serve.environment({"WEBCHAT_PORT": "8181", "ACTION_PORT": "5155"})
    assert serve.banner(env) == (
        "\nThe assistant is running.\n"
        "  Web chat:       http://127.0.0.1:8181\n"
        "  REST:           curl -s http://127.0.0.1:5005/webhooks/rest/webhook -H 'Content-Type: application/json'"
        """ -d '{"sender":"me","message":"hola"}'\n"""
        "  Action server:  http://127.0.0.1:5155/health\n"
        "Press Ctrl-C to stop."
    )


# --- stopping, with real stand-in processes -------------------------------------------------------------------


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[subprocess.Popen[bytes]]:
    """Every process the launcher starts."""
    processes: list[subprocess.Popen[bytes]] = []
    popen = subprocess.Popen

    def recording(*args: Any, **kwargs: Any) -> subprocess.Popen[bytes]:
        process = popen(*args, **kwargs)
        processes.append(process)
        return process

    monkeypatch.setattr(stack.subprocess, "Popen", recording)
    return processes


def test_a_process_that_exits_after_the_start_stops_the_others(
    started: list[subprocess.Popen[bytes]], capsys: pytest.CaptureFixture[str]
) -> None:
    port = free_port()
    to_start = {
        "actions": SLEEP,
        "rasa": http_server(port),
        "web": [sys.executable, "-c", "import time; time.sleep(3); raise SystemExit(3)"],
    }
    code = serve.serve(serve.environment({}), to_start, f"http://{HOST}:{port}/", ready_timeout_s=30)
    assert code == serve.EXIT_STOPPED != 0
    assert [process.poll() is not None for process in started] == [True, True, True]
    assert started[2].returncode == 3
    out, err = capsys.readouterr()
    assert "The assistant is running." in out
    assert "web exited (exit code 3); stopping the others." in err


def test_a_process_that_exits_during_the_start_stops_the_others(
    started: list[subprocess.Popen[bytes]], capsys: pytest.CaptureFixture[str]
) -> None:
    to_start = {"actions": SLEEP, "rasa": [sys.executable, "-c", "raise SystemExit(1)"], "web": SLEEP}
    code = serve.serve(serve.environment({}), to_start, f"http://{HOST}:{free_port()}/", ready_timeout_s=30)
    assert code == serve.EXIT_STOPPED
    assert all(process.poll() is not None for process in started) and len(started) == 3
    out, err = capsys.readouterr()
    assert "The assistant is running." not in out
    assert "rasa: the process exited early (exit code 1); stopping the others." in err


def ctrl_c() -> None:
    raise KeyboardInterrupt


def sigterm() -> None:
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(10)


@pytest.mark.parametrize("stop", [ctrl_c, sigterm])
def test_ctrl_c_or_sigterm_stops_every_process_and_exits_0(
    stop: Callable[[], None],
    started: list[subprocess.Popen[bytes]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def stopped_while_running(self: stack.Processes, poll_s: float = 0.5) -> tuple[str, int]:
        stop()
        raise AssertionError("not stopped")

    monkeypatch.setattr(stack.Processes, "wait_any", stopped_while_running)
    handlers = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    port = free_port()
    to_start = {"actions": SLEEP, "rasa": http_server(port), "web": SLEEP}
    assert serve.serve(serve.environment({}), to_start, f"http://{HOST}:{port}/", ready_timeout_s=30) == 0
    assert all(process.poll() is not None for process in started) and len(started) == 3
    assert "Stopping..." in capsys.readouterr().out
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == handlers


def test_a_slow_rasa_still_gets_the_banner(
    started: list[subprocess.Popen[bytes]], capsys: pytest.CaptureFixture[str]
) -> None:
    to_start = {"actions": SLEEP, "rasa": [sys.executable, "-c", "import time; time.sleep(4)"], "web": SLEEP}
    url = f"http://{HOST}:{free_port()}/"
    assert serve.serve(serve.environment({}), to_start, url, ready_timeout_s=1) == serve.EXIT_STOPPED
    out, err = capsys.readouterr()
    assert "The assistant is running." in out
    assert f"{url} has not answered in 1s" in err
    assert "rasa exited (exit code 0)" in err
