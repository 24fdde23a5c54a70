"""The production profile on this machine's real services, for the scale-out and fault tests: one action
server and several Rasa servers sharing PostgreSQL (tracker store), Redis (lock store) and RabbitMQ
(event broker), each test module with its own database, Redis key prefix, exchange and queue.

Where PostgreSQL, Redis or RabbitMQ is not listening on loopback, the fixture skips with a reason that
names the missing service (docs/deployment.md: "Profiles").
"""

from __future__ import annotations

import json
import os
import signal
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests
import sqlalchemy as sa

from channels.rest import conversation_id
from tests.services import unavailable
from tools.stack import HOST, MODEL, ROOT, Processes, actions_command, rasa_command

SERVICES = {"PostgreSQL": 5432, "Redis": 6379, "RabbitMQ": 5672}
ADMIN_URL = f"postgresql://postgres@{HOST}:5432/postgres"


def listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex((HOST, port)) == 0


def skip_unless_services_run() -> None:
    missing = [name for name, port in SERVICES.items() if not listening(port)]
    if missing:
        unavailable(f"PRODUCTION PROFILE NOT TESTED: {', '.join(missing)} not listening on {HOST}")


class Cluster:
    """The processes of one production-profile deployment (started by tools/stack.py); each can be stopped,
    killed and started again."""

    def __init__(self, workdir: Path, rasa_ports: list[int], action_port: int, env: dict[str, str]) -> None:
        self.workdir = workdir
        self.rasa_ports = rasa_ports
        self.action_port = action_port
        self.env = env
        self.database_url = f"postgresql://postgres@{HOST}:5432/{env['POSTGRES_DB']}"
        self.queue = env["RABBITMQ_QUEUE"]
        self.processes = Processes(workdir, env)
        self._starts = 0

    @property
    def urls(self) -> list[str]:
        return [f"http://{HOST}:{port}" for port in self.rasa_ports]

    def start(self, name: str) -> None:
        """Start `actions` or `rasa<i>` and wait until it answers."""
        self._starts += 1
        if name == "actions":
            command, url = actions_command(), f"http://{HOST}:{self.action_port}/health"
        else:
            index = int(name.removeprefix("rasa"))
            command = rasa_command(MODEL, self.rasa_ports[index], ROOT / "endpoints.production.yml")
            url = f"{self.urls[index]}/"
        self.processes.launch(name, command, log_name=f"{name}.{self._starts}.log")
        self.processes.wait_until_up(url, watched=[name])

    def stop(self, name: str, sig: int = signal.SIGTERM) -> None:
        """Stop one process (SIGKILL: no chance to clean up, as in a crash)."""
        self.processes.stop(name, sig)

    def stop_all(self) -> None:
        self.processes.stop_all()

    def stored_events(self, sender: str) -> list[tuple[str, dict]]:
        """(type, data) of every stored event of the conversation of REST sender `sender`, in the order
        they were stored."""
        engine = sa.create_engine(self.database_url)
        try:
            with engine.connect() as connection:
                rows = connection.execute(
                    sa.text("SELECT type_name, data FROM events WHERE sender_id = :s ORDER BY id"),
                    {"s": conversation_id(sender)},
                ).fetchall()
        finally:
            engine.dispose()
        return [(kind, json.loads(data)) for kind, data in rows]

    def stored_user_texts(self, sender: str) -> list[str]:
        return [data["text"] for kind, data in self.stored_events(sender) if kind == "user"]


@contextmanager
def running_cluster(workdir: Path, rasa_ports: list[int], action_port: int,
                    extra_env: dict[str, str] | None = None) -> Iterator[Cluster]:
    """A fresh database, key prefix, exchange and queue; the action server and every Rasa server running."""
    skip_unless_services_run()
    suffix = uuid.uuid4().hex[:8]
    database, queue = f"rasa_e2e_{suffix}", f"rasa_e2e_{suffix}"
    # pool_pre_ping: the fault tests restart PostgreSQL under this engine.
    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{database}"'))
    env = {
        **os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false", "LOG_LEVEL": "INFO",
        "ACTION_HOST": HOST, "ACTION_PORT": str(action_port), "ACTION_SERVER_TOKEN": "",
        "ACTION_SERVER_URL": f"http://{HOST}:{action_port}/webhook",
        "POSTGRES_HOST": HOST, "POSTGRES_PORT": "5432", "POSTGRES_DB": database,
        "POSTGRES_USER": "postgres", "POSTGRES_PASSWORD": "",
        # Rasa accepts letters and digits only in a Redis key prefix.
        "REDIS_HOST": HOST, "REDIS_PORT": "6379", "REDIS_DB": "15", "REDIS_KEY_PREFIX": f"e2e{suffix}",
        "RABBITMQ_HOST": HOST, "RABBITMQ_PORT": "5672", "RABBITMQ_USER": "guest", "RABBITMQ_PASSWORD": "guest",
        "RABBITMQ_EXCHANGE": f"{queue}_exchange", "RABBITMQ_QUEUE": queue,
        "FEEDBACK_DB": str(workdir / "feedback.sqlite"), "ANALYTICS_DB": str(workdir / "analytics.sqlite"),
        "ENDPOINTS_FILE": str(ROOT / "endpoints.production.yml"),
        **(extra_env or {}),
    }
    cluster = Cluster(workdir, rasa_ports, action_port, env)
    try:
        cluster.start("actions")
        for index in range(len(rasa_ports)):
            cluster.start(f"rasa{index}")
        yield cluster
    finally:
        cluster.stop_all()
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()


def say(url: str, sender: str, text: str, timeout: float = 90) -> list[dict]:
    """Send one message over the REST channel; the bot's replies (raises on an HTTP error)."""
    reply = requests.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=timeout)
    reply.raise_for_status()
    return list(reply.json())


def text_of(replies: list[dict]) -> str:
    return "\n".join(str(r.get("text", "")) for r in replies)
