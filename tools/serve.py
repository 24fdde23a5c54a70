"""`make run`: the action server, Rasa and the web chat page together, on tools/stack.py; Ctrl-C stops all three.

    make run                        # loads .env first, trains if the model is missing or stale
    .venv/bin/python -m tools.serve # the same without .env and without training

Settings come from the environment (.env.example): RASA_HOST/RASA_PORT (127.0.0.1:5005), ACTION_HOST/ACTION_PORT
(127.0.0.1:5055), WEBCHAT_HOST/WEBCHAT_PORT (127.0.0.1:8080), LOG_LEVEL (INFO), SANIC_REQUEST_MAX_SIZE (65536).
Rasa's HTTP API is closed unless RASA_ENABLE_API=true, and then only with RASA_AUTH_TOKEN. The endpoints file is
endpoints.yml, endpoints.token.yml with ACTION_SERVER_TOKEN, endpoints.production.yml with PROFILE=production.
The processes write to this terminal. If one of them exits, the others are stopped and the exit status is 1.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Mapping
from pathlib import Path
from types import FrameType

from tools.stack import (
    BASE_ENVIRONMENT,
    HOST,
    MAX_REQUEST_BYTES,
    MODEL,
    ROOT,
    ExitedEarlyError,
    Processes,
    actions_command,
    rasa_command,
    web_command,
)

VAR = ROOT / "var"  # the SQLite tracker store and the feedback counts of endpoints.yml
READY_TIMEOUT_S = 180  # how long to wait for Rasa's / before printing the banner anyway
EXIT_CONFIG = 2  # the settings are refused
EXIT_STOPPED = 1  # a process exited on its own

# Used when unset or empty.
DEFAULTS = {
    "RASA_HOST": HOST,
    "RASA_PORT": "5005",
    "ACTION_HOST": HOST,
    "ACTION_PORT": "5055",
    "WEBCHAT_HOST": HOST,
    "WEBCHAT_PORT": "8080",
    "LOG_LEVEL": "INFO",
    "SANIC_REQUEST_MAX_SIZE": MAX_REQUEST_BYTES,
}


class SettingsError(Exception):
    """The environment asks for something that is refused."""


def environment(base: Mapping[str, str]) -> dict[str, str]:
    """`base` (this process's environment, with .env loaded by `make run`) with the defaults filled in and the
    fixed settings, without ENDPOINTS_FILE (see `endpoints_file`)."""
    env = dict(base)
    for name, default in DEFAULTS.items():
        env[name] = env.get(name) or default
    return env | BASE_ENVIRONMENT


def endpoints_file(env: Mapping[str, str]) -> Path:
    """endpoints.production.yml for PROFILE=production (PostgreSQL, Redis and RabbitMQ: every variable must be
    set), else endpoints.token.yml when ACTION_SERVER_TOKEN is set, else endpoints.yml."""
    if env.get("PROFILE", "embedded") == "production":
        return ROOT / "endpoints.production.yml"
    if env.get("ACTION_SERVER_TOKEN"):
        return ROOT / "endpoints.token.yml"
    return ROOT / "endpoints.yml"


def api_token(env: Mapping[str, str]) -> str | None:
    """The token of Rasa's HTTP API, or None when it stays closed (the default)."""
    if env.get("RASA_ENABLE_API", "false") != "true":
        return None
    token = env.get("RASA_AUTH_TOKEN", "")
    if not token:
        raise SettingsError("RASA_ENABLE_API=true needs RASA_AUTH_TOKEN")
    return token


def commands(env: Mapping[str, str], endpoints: Path, token: str | None) -> dict[str, list[str]]:
    """The three processes, in the order they start."""
    return {
        "actions": actions_command(),
        "rasa": rasa_command(MODEL, int(env["RASA_PORT"]), endpoints, token, interface=env["RASA_HOST"]),
        "web": web_command(),
    }


def rasa_url(env: Mapping[str, str]) -> str:
    return f"http://{env['RASA_HOST']}:{env['RASA_PORT']}"


def banner(env: Mapping[str, str]) -> str:
    rest = (
        f"curl -s {rasa_url(env)}/webhooks/rest/webhook -H 'Content-Type: application/json'"
        """ -d '{"sender":"me","message":"hola"}'"""
    )
    return (
        "\nThe assistant is running.\n"
        f"  Web chat:       http://{env['WEBCHAT_HOST']}:{env['WEBCHAT_PORT']}\n"
        f"  REST:           {rest}\n"
        f"  Action server:  http://{env['ACTION_HOST']}:{env['ACTION_PORT']}/health\n"
        "Press Ctrl-C to stop."
    )


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def serve(
    env: Mapping[str, str],
    to_start: Mapping[str, list[str]],
    ready_url: str,
    ready_timeout_s: float = READY_TIMEOUT_S,
) -> int:
    """Start `to_start` with `env`, print the banner once `ready_url` answers, and run until Ctrl-C or SIGTERM
    (0) or until one process exits (EXIT_STOPPED); every process still running is then stopped."""
    previous = signal.getsignal(signal.SIGINT), signal.signal(signal.SIGTERM, _interrupt)
    try:
        with Processes(None, env) as processes:
            try:
                return _run(processes, env, to_start, ready_url, ready_timeout_s)
            except KeyboardInterrupt:
                print("\nStopping...", flush=True)
                return 0
            finally:
                # A second Ctrl-C must not leave a process behind: the stop kills what outlives its timeout.
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                signal.signal(signal.SIGTERM, signal.SIG_IGN)
                processes.stop_all()
    finally:
        for signum, handler in zip((signal.SIGINT, signal.SIGTERM), previous, strict=True):
            if handler is not None:  # None: not set from Python, nothing to restore
                signal.signal(signum, handler)


def _run(
    processes: Processes, env: Mapping[str, str], to_start: Mapping[str, list[str]], ready_url: str,
    ready_timeout_s: float,
) -> int:
    for name, command in to_start.items():
        processes.launch(name, command)
    try:
        processes.wait_until_up(ready_url, timeout_s=ready_timeout_s)
    except ExitedEarlyError as error:
        _say(f"{error}; stopping the others.")
        return EXIT_STOPPED
    except RuntimeError:  # not up yet: say how to reach it anyway, as before
        _say(f"{ready_url} has not answered in {ready_timeout_s:.0f}s; it may still be loading.")
    print(banner(env), flush=True)
    name, code = processes.wait_any()
    _say(f"{name} exited (exit code {code}); stopping the others.")
    return EXIT_STOPPED


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def main(base: Mapping[str, str] | None = None) -> int:
    env = environment(os.environ if base is None else base)
    try:
        token = api_token(env)
    except SettingsError as error:
        print(error, file=sys.stderr)
        return EXIT_CONFIG
    endpoints = endpoints_file(env)
    # The action server deletes a conversation on request from the same tracker store (privacy/deletion.py).
    env["ENDPOINTS_FILE"] = str(endpoints)
    VAR.mkdir(exist_ok=True)
    return serve(env, commands(env, endpoints, token), f"{rasa_url(env)}/")


if __name__ == "__main__":
    sys.exit(main())
