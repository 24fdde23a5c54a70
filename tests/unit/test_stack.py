"""The launcher of the tests, `make eval` and `make bench` (tools/stack.py), with small stand-in processes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from tests.processes import free_port, http_server
from tools.stack import (
    API_TOKEN,
    HOST,
    ExitedEarlyError,
    Processes,
    Stack,
    actions_command,
    local_endpoints,
    rasa_command,
    running_stack,
)


def test_a_process_is_up_when_its_url_answers_and_stops_with_the_block(tmp_path: Path) -> None:
    port = free_port()
    with Processes(tmp_path, {}) as processes:
        process = processes.launch("web", http_server(port))
        processes.wait_until_up(f"http://{HOST}:{port}/", timeout_s=30)
        assert processes.pids == {"web": process.pid}
    assert process.poll() is not None
    assert processes.pids == {}
    assert (tmp_path / "web.log").exists()


def test_a_process_that_exits_early_fails_the_start_with_its_log(tmp_path: Path) -> None:
    with Processes(tmp_path, {}) as processes:
        processes.launch("broken", [sys.executable, "-c", "print('no model here'); raise SystemExit(3)"],
                         log_name="broken.1.log")
        with pytest.raises(RuntimeError, match=r"broken\.1\.log: the process exited early:\n(.|\n)*no model here"):
            processes.wait_until_up(f"http://{HOST}:{free_port()}/", timeout_s=30)


def test_only_the_watched_processes_fail_a_start(tmp_path: Path) -> None:
    port = free_port()
    with Processes(tmp_path, {}) as processes:
        processes.launch("exited", [sys.executable, "-c", "pass"])
        processes.running["exited"].wait()
        processes.launch("web", http_server(port))
        processes.wait_until_up(f"http://{HOST}:{port}/", watched=["web"], timeout_s=30)
        processes.stop("exited")
        processes.stop("web")
        assert processes.running == {}


def test_without_a_workdir_the_output_goes_to_the_terminal_and_the_first_exit_is_reported(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    with Processes(None, {}) as processes:
        processes.launch("long", [sys.executable, "-c", "import time; time.sleep(60)"])
        processes.launch("short", [sys.executable, "-c", "print('to the terminal'); raise SystemExit(4)"])
        with pytest.raises(ExitedEarlyError, match=r"^short: the process exited early \(exit code 4\)$"):
            processes.wait_until_up(f"http://{HOST}:{free_port()}/", watched=["short"], timeout_s=30)
        assert processes.wait_any(poll_s=0.1) == ("short", 4)
        assert processes.logs == {}
    assert "to the terminal" in capfd.readouterr().out
    assert list(tmp_path.iterdir()) == []


def test_a_name_runs_once(tmp_path: Path) -> None:
    with Processes(tmp_path, {}) as processes:
        processes.launch("web", http_server(free_port()))
        with pytest.raises(RuntimeError, match="already running"):
            processes.launch("web", http_server(free_port()))


def test_rasa_serves_its_api_only_with_a_token(tmp_path: Path) -> None:
    closed = rasa_command(tmp_path / "m.tar.gz", 15005, tmp_path / "endpoints.yml")
    assert "--enable-api" not in closed and closed[1:2] == ["run"]
    assert closed[closed.index("--interface") + 1] == HOST
    everywhere = rasa_command(tmp_path / "m.tar.gz", 15005, tmp_path / "endpoints.yml", interface="0.0.0.0")
    assert everywhere[everywhere.index("--interface") + 1] == "0.0.0.0"
    opened = rasa_command(tmp_path / "m.tar.gz", 15005, tmp_path / "endpoints.yml", api_token="t0k")
    assert opened[-3:] == ["--enable-api", "--auth-token", "t0k"]
    assert actions_command()[1:] == ["-m", "actions.server"]


def test_the_endpoints_point_at_the_stacks_own_action_server_and_database(tmp_path: Path) -> None:
    config = yaml.safe_load(local_endpoints("http://127.0.0.1:1/webhook", tmp_path / "rasa.db"))
    assert config["action_endpoint"]["url"] == "http://127.0.0.1:1/webhook"
    assert config["tracker_store"]["db"] == str(tmp_path / "rasa.db")
    assert "action_endpoint" not in yaml.safe_load(local_endpoints(None, tmp_path / "rasa.db"))


def test_the_test_stack_takes_its_ports_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("E2E_RASA_PORT", "16005")
    monkeypatch.delenv("E2E_ACTION_PORT", raising=False)
    monkeypatch.delenv("E2E_WEB_PORT", raising=False)
    stack = Stack.on_test_ports(tmp_path)
    assert (stack.rasa_port, stack.action_port, stack.web_port, stack.serve_web) == (16005, 15055, 18080, False)
    assert stack.api_token == API_TOKEN
    env = stack.environment({"LOG_LEVEL": "DEBUG"})
    assert env["ACTION_PORT"] == "15055"
    assert env["WEBCHAT_ALLOWED_ORIGINS"] == "http://127.0.0.1:18080"  # the origin the socket.io channel allows
    assert env["WEBCHAT_SOCKET_URL"] == "http://127.0.0.1:16005"
    assert env["FEEDBACK_DB"] == str(tmp_path / "feedback.sqlite")
    assert env["ENDPOINTS_FILE"] == str(tmp_path / "endpoints.yml")
    assert env["LOG_LEVEL"] == "DEBUG"
    assert Stack.on_test_ports(tmp_path, with_web=True).serve_web


def test_a_bot_without_actions_or_web_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ACTION_PORT", "WEBCHAT_PORT"):
        monkeypatch.delenv(name, raising=False)
    env = Stack(tmp_path, rasa_port=16006).environment()
    assert "ACTION_PORT" not in env and "WEBCHAT_PORT" not in env
    assert Stack(tmp_path, rasa_port=16006).action_url is None
    with pytest.raises(ValueError, match="web_port"):
        Stack(tmp_path, rasa_port=16006, serve_web=True)


def test_no_stack_without_a_model(tmp_path: Path) -> None:
    stack = Stack(tmp_path, rasa_port=free_port(), model=tmp_path / "missing.tar.gz")
    with pytest.raises(RuntimeError, match="make train"), running_stack(stack):
        pass
