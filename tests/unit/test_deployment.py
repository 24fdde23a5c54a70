"""The container deployment (docker-compose.yml, deploy/) and the Helm values (deploy/kubernetes/values.yml).

Static checks on the files, cross-checked against the project's own configuration, plus two tool runs
when the tools are installed: tools/check_compose.sh (`docker compose config` / docker-compose) and
`nginx -t` on deploy/nginx/nginx.conf.
"""

from __future__ import annotations

import ast
import gzip
import http.client
import http.server
import re
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.processes import free_port
from tests.services import unavailable

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
NGINX_CONF = ROOT / "deploy" / "nginx" / "nginx.conf"
RASA_DOCKERFILE = ROOT / "deploy" / "rasa.Dockerfile"
ACTIONS_DOCKERFILE = ROOT / "deploy" / "actions.Dockerfile"
HELM_VALUES = ROOT / "deploy" / "kubernetes" / "values.yml"

# A secret in docker-compose.yml is either required (`${VAR:?message}`) or empty unless set (`${VAR:-}`).
REQUIRED_VAR = re.compile(r"^\$\{(?P<name>\w+):\?[^}]+\}$")
EMPTY_DEFAULT_VAR = re.compile(r"^\$\{\w+:-\}$")
SECRET_KEY = re.compile(r"PASSWORD|PASS$|TOKEN|SECRET|_SID$", re.IGNORECASE)
# Empty is accepted for these by the software that reads them, or they are a server's own account:
# compose must refuse to start without them (`${VAR:?}`), never fall back to a default.
MUST_BE_REQUIRED = re.compile(r"PASSWORD|PASS$|^RABBITMQ_(DEFAULT_)?USER$")
# Well-known default credentials (RabbitMQ's guest/guest, Rasa's Helm chart's API token, and the like).
WELL_KNOWN_DEFAULTS = {"guest", "rasatoken", "changeme", "change-me", "password", "secret", "admin"}
ENV_EXAMPLE = ROOT / ".env.example"
API_FLAGS = ("--enable-api", "--cors", "--auth-token", "--jwt-secret")


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return load_yaml(COMPOSE_FILE)


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return compose["services"]


def rasa_services(services: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {
        name: svc
        for name, svc in services.items()
        if svc.get("build", {}).get("dockerfile") == "deploy/rasa.Dockerfile"
    }


def dockerfile_from(path: Path) -> str:
    (line,) = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("FROM ")]
    return line.split()[1]


def nginx_block(text: str, header: str) -> str:
    """The body of the first `header { ... }` block (braces balanced)."""
    start = text.index(header + " {") + len(header) + 2
    depth, i = 1, start
    while depth:
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        i += 1
    return text[start : i - 1]


def nginx_text() -> str:
    """nginx.conf without comments."""
    return "\n".join(line.split("#", 1)[0] for line in NGINX_CONF.read_text(encoding="utf-8").splitlines())


def nginx_locations(server: str) -> dict[str, str]:
    """The `location` blocks of a server block, in order: match (e.g. `= /index.html`) -> body."""
    return {
        m.group(1).strip(): nginx_block(server[m.start() :], f"location {m.group(1).strip()}")
        for m in re.finditer(r"^\s*location ([^{]+?)\s*\{", server, re.MULTILINE)
    }


def added_headers(block: str) -> dict[str, str]:
    """`add_header NAME "VALUE" always;` lines of a block, outside its nested blocks."""
    depth, top = 0, []
    for line in block.splitlines():
        if depth == 0:
            top.append(line)
        depth += line.count("{") - line.count("}")
    found = re.findall(r'^\s*add_header ([\w-]+) "([^"]*)"( always)?;', "\n".join(top), re.MULTILINE)
    for name, _, always in found:
        assert always, f"add_header {name} without `always`: not sent on error responses"
    return {name: value for name, value, _ in found}


# --- images --------------------------------------------------------------------------------------------


def test_images_are_pinned_and_none_is_latest(services: dict[str, dict[str, Any]]) -> None:
    assert dockerfile_from(RASA_DOCKERFILE) == "rasa/rasa:3.6.21"
    assert dockerfile_from(ACTIONS_DOCKERFILE) == "rasa/rasa-sdk:3.6.2"
    expected_prefix = {"nginx": "nginx:1.", "postgres": "postgres:", "redis": "redis:7", "rabbitmq": "rabbitmq:3."}
    seen = set()
    built = {svc["image"] for svc in services.values() if "build" in svc}
    for name, svc in services.items():
        image = svc["image"]
        assert ":" in image and "latest" not in image, f"{name}: unpinned image {image}"
        if image not in built:
            repo = image.split(":")[0]
            assert image.startswith(expected_prefix[repo]), f"{name}: {image}"
            assert re.match(r"^[\w./-]+:\d+(\.\d+)*(-alpine)?$", image), f"{name}: tag is not a version: {image}"
            seen.add(repo)
    assert seen == set(expected_prefix)


def test_extra_python_packages_come_from_the_lock() -> None:
    """The Dockerfiles install with `-c constraints.txt`, and only packages that the lock pins."""
    locked = {
        line.split("==")[0].strip().lower().replace("_", "-")
        for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
        if "==" in line
    }
    for dockerfile in (RASA_DOCKERFILE, ACTIONS_DOCKERFILE):
        text = dockerfile.read_text(encoding="utf-8").replace("\\\n", " ")
        (install,) = [line for line in text.splitlines() if "pip install" in line]
        assert "-c /tmp/deps/constraints.txt" in install
        packages = install.split("constraints.txt", 1)[1].split("&&")[0].split()
        assert packages, dockerfile.name
        for package in packages:
            assert package.lower() in locked, f"{dockerfile.name}: {package} is not pinned in constraints.txt"


def local_packages_imported_by(package: str) -> set[str]:
    """The project's top-level packages that `package` imports, transitively (itself included)."""
    local = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()}
    found, todo = {package}, [package]
    while todo:
        for source in (ROOT / todo.pop()).rglob("*.py"):
            for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    names = [node.module]
                for top in {n.split(".")[0] for n in names} & local - found:
                    found.add(top)
                    todo.append(top)
    return found


def test_rasa_image_contains_every_module_rasa_loads() -> None:
    class_paths = [key for key in load_yaml(ROOT / "credentials.yml") if "." in key]
    class_paths += [c["name"] for c in load_yaml(ROOT / "config.yml")["pipeline"] if "." in c["name"]]
    production = load_yaml(ROOT / "endpoints.production.yml")
    class_paths += [production["tracker_store"]["type"], production["lock_store"]["type"], "analytics.consumer"]
    needed = set().union(*(local_packages_imported_by(path.split(".")[0]) for path in class_paths))
    assert {"channels", "components", "privacy", "storage", "analytics", "common"} <= needed
    text = RASA_DOCKERFILE.read_text(encoding="utf-8")
    for package in sorted(needed):
        assert f"COPY {package}/ {package}/" in text, f"rasa.Dockerfile does not copy {package}/"
    for path in ("credentials.yml", "endpoints.production.yml", "models/current.tar.gz"):
        assert path in text
    assert "ENV PYTHONPATH=/app" in text


def test_actions_image_contains_the_action_server_and_its_data() -> None:
    text = ACTIONS_DOCKERFILE.read_text(encoding="utf-8")
    for package in sorted(local_packages_imported_by("actions")):
        assert f"COPY {package}/ {package}/" in text, f"actions.Dockerfile does not copy {package}/"
    assert "COPY directory/ directory/" in text
    assert 'ENTRYPOINT ["python", "-m", "actions.server"]' in text
    assert "ACTION_HOST=0.0.0.0" in text  # the default (127.0.0.1) is unreachable from Rasa's container


def test_dockerignore_keeps_the_model_and_drops_local_state() -> None:
    lines = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    for excluded in (".venv", ".env", "var", ".git"):
        assert excluded in lines
    assert "!models/current.tar.gz" in lines


# --- exposure and secrets ---------------------------------------------------------------------------------


def test_only_the_proxy_publishes_a_port_and_only_on_loopback(services: dict[str, dict[str, Any]]) -> None:
    publishing = {name for name, svc in services.items() if svc.get("ports")}
    assert publishing == {"proxy"}
    for port in services["proxy"]["ports"]:
        assert isinstance(port, str) and port.startswith("127.0.0.1:"), port
    assert not any(svc.get("network_mode") == "host" for svc in services.values())


def test_databases_are_on_an_internal_network_only(compose: dict[str, Any]) -> None:
    assert compose["networks"]["data"] == {"internal": True}
    for name in ("postgres", "redis", "rabbitmq"):
        assert compose["services"][name]["networks"] == ["data"], name
    assert "data" not in compose["services"]["proxy"]["networks"]


def test_rasa_runs_without_its_http_api(services: dict[str, dict[str, Any]]) -> None:
    replicas = rasa_services(services)
    for name, svc in replicas.items():
        command = svc["command"]
        assert command[0] == "run"
        assert not set(API_FLAGS) & set(command), f"{name}: {command}"
        assert "endpoints.production.yml" in command and "credentials.yml" in command
        assert "RASA_ENABLE_API" not in svc["environment"]
    dockerfile = RASA_DOCKERFILE.read_text(encoding="utf-8")
    assert not any(flag in dockerfile.split("CMD", 1)[1] for flag in API_FLAGS)


def test_no_secret_is_hard_coded(services: dict[str, dict[str, Any]]) -> None:
    for name, svc in services.items():
        for key, value in svc.get("environment", {}).items():
            if SECRET_KEY.search(key):
                assert REQUIRED_VAR.match(str(value)) or EMPTY_DEFAULT_VAR.match(str(value)), (
                    f"{name}: {key} is hard-coded or has a default: {value!r}"
                )
    # Those a service cannot run without are required: compose refuses to start while they are unset.
    required = {
        "POSTGRES_PASSWORD": ["postgres", *rasa_services(services)],
        "RABBITMQ_PASSWORD": list(rasa_services(services)),
        "RABBITMQ_DEFAULT_PASS": ["rabbitmq"],
        "ACTION_SERVER_TOKEN": ["actions", *rasa_services(services)],
    }
    for key, names in required.items():
        for name in names:
            assert REQUIRED_VAR.match(services[name]["environment"][key]), f"{name}: {key} is not required"


def env_example() -> dict[str, str]:
    pairs = [line.split("=", 1) for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()]
    return {pair[0].strip(): pair[1].strip() for pair in pairs if len(pair) == 2 and not pair[0].startswith("#")}


def test_env_example_leaves_every_secret_empty_and_uses_no_well_known_default() -> None:
    """A deployment copied from .env.example must not run with a secret anyone can look up."""
    env = env_example()
    assert {"POSTGRES_PASSWORD", "RABBITMQ_USER", "RABBITMQ_PASSWORD", "ACTION_SERVER_TOKEN"} <= set(env)
    for key, value in env.items():
        if SECRET_KEY.search(key):
            assert value == "", f".env.example: {key}={value!r}: leave secrets empty"
        assert value.lower() not in WELL_KNOWN_DEFAULTS, f".env.example: {key}={value!r} is a well-known default"
    assert env["RABBITMQ_USER"] not in ("", "guest"), "RabbitMQ's guest account (guest/guest)"


def test_compose_requires_every_password_and_the_rabbitmq_user(services: dict[str, dict[str, Any]]) -> None:
    """No password or RabbitMQ user with a default, empty or not: compose refuses to start without them."""
    seen = set()
    for name, svc in services.items():
        for key, value in svc.get("environment", {}).items():
            default = re.fullmatch(r"\$\{\w+:-([^}]*)\}", str(value))
            literal = str(value) if "${" not in str(value) else None
            for candidate in (default.group(1) if default else None, literal):
                if not (SECRET_KEY.search(key) or key.endswith("USER")):
                    continue
                assert candidate is None or candidate.lower() not in WELL_KNOWN_DEFAULTS, f"{name}: {key}={value}"
            if MUST_BE_REQUIRED.search(key):
                seen.add(key)
                assert REQUIRED_VAR.match(str(value)), f"{name}: {key} must be required (${{{key}:?...}}): {value!r}"
    assert {"POSTGRES_PASSWORD", "RABBITMQ_USER", "RABBITMQ_PASSWORD", "RABBITMQ_DEFAULT_USER"} <= seen
    for name in ("analytics", "rabbitmq", *rasa_services(services)):
        env = services[name]["environment"]
        user = env.get("RABBITMQ_USER", env.get("RABBITMQ_DEFAULT_USER"))
        assert user == "${RABBITMQ_USER:?set RABBITMQ_USER in .env}", f"{name}: {user}"


def rabbitmq_start(services: dict[str, dict[str, Any]], tmp_path: Path, user: str, password: str) -> str | None:
    """Run the rabbitmq service's entrypoint with a stand-in for the image's: its output, None if refused."""
    svc = services["rabbitmq"]
    entrypoint = [part.replace("$$", "$") for part in svc["entrypoint"]]  # compose's escaping
    fake = tmp_path / "bin" / "docker-entrypoint.sh"
    fake.parent.mkdir(exist_ok=True)
    fake.write_text('#!/bin/sh\necho "started $*"\n')
    fake.chmod(0o755)
    env = {"PATH": f"{fake.parent}:/usr/bin:/bin", "RABBITMQ_DEFAULT_USER": user, "RABBITMQ_DEFAULT_PASS": password}
    result = subprocess.run([*entrypoint, *svc["command"]], env=env, capture_output=True, text=True, timeout=30)
    if result.returncode:
        assert "must not be guest" in result.stderr
        return None
    return result.stdout.strip()


@pytest.mark.skipif(shutil.which("sh") is None, reason="no sh")
def test_rabbitmq_refuses_its_well_known_guest_account(services: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    for user, password in (("guest", "guest"), ("guest", "a-long-random-value"), ("rasa", "guest"), ("rasa", "")):
        assert rabbitmq_start(services, tmp_path, user, password) is None, (user, password)
    assert rabbitmq_start(services, tmp_path, "rasa", "a-long-random-value") == "started rabbitmq-server"


def test_rasa_gets_the_rest_channel_token(services: dict[str, dict[str, Any]]) -> None:
    assert "REST_CHANNEL_TOKEN" in env_example()
    for name, svc in rasa_services(services).items():
        assert svc["environment"].get("REST_CHANNEL_TOKEN") == "${REST_CHANNEL_TOKEN:-}", name
    assert "REST_CHANNEL_TOKEN" not in services["proxy"].get("environment", {})


def test_rasa_gets_every_variable_its_endpoints_file_reads(services: dict[str, dict[str, Any]]) -> None:
    """Rasa refuses to start when a ${VAR} of endpoints.production.yml is unset."""
    wanted = set(re.findall(r"\$\{(\w+)\}", (ROOT / "endpoints.production.yml").read_text(encoding="utf-8")))
    assert {"POSTGRES_PASSWORD", "REDIS_HOST", "RABBITMQ_QUEUE", "ACTION_SERVER_URL"} <= wanted
    for name, svc in rasa_services(services).items():
        assert wanted <= set(svc["environment"]), f"{name} lacks {sorted(wanted - set(svc['environment']))}"
        env = svc["environment"]
        assert env["POSTGRES_HOST"] == "postgres" and env["REDIS_HOST"] == "redis"
        assert env["RABBITMQ_HOST"] == "rabbitmq"
        assert env["ACTION_SERVER_URL"] == "http://actions:5055/webhook"


def test_the_web_chat_origin_is_allowed_by_default(services: dict[str, dict[str, Any]]) -> None:
    (port,) = services["proxy"]["ports"]
    host, published, _ = port.split(":")
    for svc in rasa_services(services).values():
        default = svc["environment"]["WEBCHAT_ALLOWED_ORIGINS"].split(":-", 1)[1].rstrip("}")
        assert f"http://{host}:{published}" in default.split(",")


# --- start-up order, replicas, state ----------------------------------------------------------------------


def test_every_service_is_healthchecked_and_waits_for_healthy_dependencies(
    services: dict[str, dict[str, Any]],
) -> None:
    for name, svc in services.items():
        assert svc.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"
        for dependency, condition in svc.get("depends_on", {}).items():
            assert condition == {"condition": "service_healthy"}, f"{name} -> {dependency}"
    replicas = rasa_services(services)
    for svc in replicas.values():
        assert set(svc["depends_on"]) == {"actions", "postgres", "redis", "rabbitmq"}
    assert set(services["proxy"]["depends_on"]) == set(replicas)


def test_several_rasa_replicas_with_one_sanic_worker_each(services: dict[str, dict[str, Any]]) -> None:
    replicas = rasa_services(services)
    assert len(replicas) >= 2
    for svc in replicas.values():
        # More than one worker is allowed by Rasa with the Redis lock store, but socket.io sessions
        # are per process and the proxy pins clients per container.
        assert svc["environment"]["SANIC_WORKERS"] == "1"
    assert load_yaml(ROOT / "endpoints.production.yml")["lock_store"]["type"].endswith("RedisLockStore")
    # A crashed replica's lock must expire before the HTTP timeout (60 s) of the conversation's next message.
    for svc in replicas.values():
        default = re.fullmatch(r"\$\{TICKET_LOCK_LIFETIME:-(\d+)\}", svc["environment"]["TICKET_LOCK_LIFETIME"])
        assert default and int(default.group(1)) < 60


def test_the_analytics_consumer_reads_the_event_queue(services: dict[str, dict[str, Any]]) -> None:
    analytics = services["analytics"]
    assert analytics["entrypoint"] == ["python", "-m", "analytics.consumer"]
    assert analytics["environment"]["RABBITMQ_QUEUE"] == services["rasa-1"]["environment"]["RABBITMQ_QUEUE"]
    assert analytics["depends_on"] == {"rabbitmq": {"condition": "service_healthy"}}
    assert "ports" not in analytics


def test_postgres_and_rabbitmq_keep_their_data_in_volumes(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert "postgres-data:/var/lib/postgresql/data" in services["postgres"]["volumes"]
    assert "rabbitmq-data:/var/lib/rabbitmq" in services["rabbitmq"]["volumes"]
    assert "feedback:/app/var" in services["actions"]["volumes"]
    assert {"postgres-data", "rabbitmq-data", "feedback"} <= set(compose["volumes"])


def test_proxy_serves_the_built_web_chat_with_its_config(services: dict[str, dict[str, Any]]) -> None:
    volumes = services["proxy"]["volumes"]
    assert "./deploy/nginx/nginx.conf:/etc/nginx/nginx.conf:ro" in volumes
    assert "./web/dist:/usr/share/nginx/html:ro" in volumes


# --- nginx ---------------------------------------------------------------------------------------------------


def test_nginx_pins_socketio_clients_to_one_rasa_replica(services: dict[str, dict[str, Any]]) -> None:
    upstream = nginx_block(nginx_text(), "upstream rasa")
    assert re.search(r"^\s*(ip_hash;|hash \$remote_addr consistent;)", upstream, re.MULTILINE)
    servers = set(re.findall(r"^\s*server ([\w.-]+):5005\b", upstream, re.MULTILINE))
    assert servers == set(rasa_services(services))


def test_nginx_forwards_only_webhooks_and_socketio_to_rasa() -> None:
    text = nginx_text()
    server = nginx_block(text, "server")
    proxied = {m.group(1) for m in re.finditer(r"location ([^{]+?) \{[^}]*proxy_pass http://rasa;", server, re.DOTALL)}
    assert proxied == {"/webhooks/", "/socket.io/"}


def test_nginx_does_not_route_the_rest_channel() -> None:
    """REST's `sender` is whatever the caller sends: public, anyone could read or delete any conversation."""
    server = nginx_block(nginx_text(), "server")
    locations = nginx_locations(server)
    rest = [(match, body) for match, body in locations.items() if "/webhooks/rest" in match]
    assert rest, "no location for /webhooks/rest: it falls through to /webhooks/ and so to Rasa"
    for match, body in rest:
        # `^~` (or `=`): no regex location may take the request over; no trailing slash: /webhooks/rest too.
        assert re.fullmatch(r"\^~ /webhooks/rest/?", match), match
        assert match == "^~ /webhooks/rest", f"{match}: /webhooks/rest (no slash) would reach /webhooks/"
        assert re.fullmatch(r"\s*return (403|404);\s*", body), f"{match}: {body!r}"
    names = list(locations)
    assert names.index("^~ /webhooks/rest") < names.index("/webhooks/")
    assert "zone=rest" not in nginx_text()


def test_nginx_limits_body_size_rate_and_connections() -> None:
    text = nginx_text()
    assert re.search(r"^\s*client_max_body_size 64k;", text, re.MULTILINE)
    zones = dict(re.findall(r"limit_req_zone \$binary_remote_addr zone=(\w+):\w+ rate=(\d+)r/s;", text))
    assert zones["socketio"] == "5"
    for location, zone in (("/socket.io/", "socketio"), ("/webhooks/", "platforms")):
        block = nginx_block(text, f"location {location}")
        assert re.search(rf"limit_req zone={zone} burst=\d+", block), location
    assert re.search(r"^\s*limit_conn per_client \d+;", text, re.MULTILINE)
    for timeout in ("client_header_timeout", "client_body_timeout", "proxy_read_timeout", "proxy_connect_timeout"):
        assert re.search(rf"^\s*{timeout} \d+s;", text, re.MULTILINE), timeout


def test_nginx_upgrades_socketio_to_websocket() -> None:
    text = nginx_text()
    assert "proxy_http_version 1.1;" in text
    assert "proxy_set_header Upgrade $http_upgrade;" in text
    assert "proxy_set_header Connection $connection_upgrade;" in text
    assert "default upgrade;" in nginx_block(text, "map $http_upgrade $connection_upgrade")
    assert re.search(r"proxy_read_timeout (\d+)s;", nginx_block(text, "location /socket.io/"))


def test_nginx_serves_the_page_like_web_server_py() -> None:
    """The headers of web/server.py, its CSP, and the page's socket.io URL placeholder filled in."""
    server_py = (ROOT / "web" / "server.py").read_text(encoding="utf-8")
    headers = dict(re.findall(r'"([\w-]+)": "([^"]+)"', server_py.split("SECURITY_HEADERS = {", 1)[1].split("}")[0]))
    assert headers, "SECURITY_HEADERS not found in web/server.py"
    text = nginx_text()
    page = nginx_block(text, "location = /index.html")
    static = nginx_block(text, "location /")
    for block in (page, static):
        for name, value in headers.items():
            assert f'add_header {name} "{value}" always;' in block, name
        assert 'add_header Cache-Control "no-cache" always;' in block
    (csp,) = re.findall(r'add_header Content-Security-Policy "([^"]+)" always;', page)
    for directive in ("default-src 'self'", "script-src 'self'", "frame-ancestors 'self'", "base-uri 'none'"):
        assert directive in csp
    assert "connect-src 'self'" in csp
    placeholder = "{{SOCKET_URL}}"
    assert placeholder in (ROOT / "web" / "src" / "index.html").read_text(encoding="utf-8")
    assert f"sub_filter '{placeholder}' '/';" in page
    assert "gzip_static off;" in page  # sub_filter cannot rewrite a precompressed file
    assert "server_tokens off;" in text


def test_nginx_sends_hsts_and_the_security_headers_from_every_location() -> None:
    """An add_header in a location replaces the server's: each location's effective set is checked."""
    server = nginx_block(nginx_text(), "server")
    server_headers = added_headers(server)
    hsts = server_headers.get("Strict-Transport-Security", "")
    max_age = re.fullmatch(r"max-age=(\d+)(; includeSubDomains)?", hsts)
    assert max_age and int(max_age.group(1)) >= 180 * 24 * 3600, f"server-level HSTS: {hsts!r}"
    locations = nginx_locations(server)
    assert {"= /index.html", "/", "/webhooks/", "/socket.io/"} <= set(locations)
    for match, body in locations.items():
        own = added_headers(body)
        effective = own or server_headers
        for name in ("Strict-Transport-Security", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"):
            assert effective.get(name) == server_headers[name], f"location {match}: {name} is {effective.get(name)!r}"


def test_nginx_never_serves_the_page_template_as_a_file() -> None:
    server = nginx_block(nginx_text(), "server")
    locations = nginx_locations(server)
    assert re.fullmatch(r"\s*return 404;\s*", locations["= /index.html.gz"])
    assert "gzip_static off;" in locations["= /index.html"]


NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def test_nginx_accepts_the_config(tmp_path: Path) -> None:
    if NGINX is None:
        unavailable("nginx is not installed (apt-get install nginx): `nginx -t` NOT RUN")
    """`nginx -t` on a copy whose upstream names resolve here and whose paths point into tmp_path."""
    (tmp_path / "html").mkdir()
    (tmp_path / "mime.types").write_text("types { text/html html; application/javascript js; }\n")
    kinds = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    temp_paths = "".join(f"    {kind}_temp_path {tmp_path / kind};\n" for kind in kinds)
    conf = NGINX_CONF.read_text(encoding="utf-8")
    conf = conf.replace("user nginx;", "").replace("/tmp/nginx.pid", str(tmp_path / "nginx.pid"))
    conf = conf.replace("/etc/nginx/mime.types", str(tmp_path / "mime.types"))
    conf = conf.replace("/usr/share/nginx/html", str(tmp_path / "html"))
    conf = re.sub(r"server rasa-\d+:5005", "server 127.0.0.1:5005", conf)
    conf = conf.replace("http {\n", "http {\n" + temp_paths, 1)
    (tmp_path / "nginx.conf").write_text(conf)
    result = subprocess.run(
        [str(NGINX), "-t", "-q", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e", "stderr"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


class FakeRasa(http.server.ThreadingHTTPServer):
    """Stands in for the Rasa replicas: answers 200 and records each request's target."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def answer(self) -> None:
                server.seen.append(self.path)
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.send_response(200)
                self.send_header("Content-Length", "4")
                self.end_headers()
                self.wfile.write(b"rasa")

            do_GET = do_POST = answer  # noqa: N815

            def log_message(self, *args: Any) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)


@pytest.fixture
def running_nginx(tmp_path: Path) -> Iterator[tuple[int, FakeRasa]]:
    """nginx.conf served for real by Debian's nginx on a loopback port, in front of FakeRasa."""
    if NGINX is None:
        unavailable("nginx is not installed (apt-get install nginx): nginx.conf NOT RUN")
    html = tmp_path / "html"
    html.mkdir()
    page = (ROOT / "web" / "src" / "index.html").read_bytes()
    for name, data in {"index.html": page, "widget.js": b"var widget = 1;\n" * 200}.items():
        (html / name).write_bytes(data)
        (html / f"{name}.gz").write_bytes(gzip.compress(data))
    (tmp_path / "mime.types").write_text("types { text/html html; application/javascript js; }\n")
    rasa = FakeRasa()
    threading.Thread(target=rasa.serve_forever, daemon=True).start()
    port = free_port()
    kinds = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    temp_paths = "".join(f"    {kind}_temp_path {tmp_path / kind};\n" for kind in kinds)
    conf = NGINX_CONF.read_text(encoding="utf-8")
    conf = conf.replace("user nginx;", "daemon off;\nmaster_process off;")  # serves as the test's user
    conf = conf.replace("/tmp/nginx.pid", str(tmp_path / "pid"))
    conf = conf.replace("/etc/nginx/mime.types", str(tmp_path / "mime.types"))
    conf = conf.replace("/usr/share/nginx/html", str(html))
    conf = conf.replace("access_log /dev/stdout private;", "access_log off;")
    conf = re.sub(r"server rasa-1:5005 ", f"server 127.0.0.1:{rasa.server_address[1]} ", conf)
    conf = re.sub(r"\n\s*server rasa-\d+:5005 [^\n]*", "", conf)
    conf = conf.replace("listen 80;", f"listen 127.0.0.1:{port};")
    conf = conf.replace("http {\n", "http {\n" + temp_paths, 1)
    (tmp_path / "nginx.conf").write_text(conf)
    errors = (tmp_path / "error.log").open("w")
    process = subprocess.Popen(
        [str(NGINX), "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e", "stderr"],
        stdout=subprocess.DEVNULL,
        stderr=errors,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert process.poll() is None, (tmp_path / "error.log").read_text()
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.05)
        yield port, rasa
    finally:
        process.terminate()
        process.wait(timeout=10)
        errors.close()
        rasa.shutdown()
        rasa.server_close()


def request(port: int, method: str, target: str, gzip_ok: bool = False) -> tuple[int, dict[str, str], bytes]:
    """One request with the target sent exactly as written."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Host": "chat.example.org", "Accept-Encoding": "gzip" if gzip_ok else "identity"}
    body = b'{"sender": "someone-else", "message": "hola"}' if method == "POST" else None
    if body:
        headers["Content-Type"] = "application/json"
    conn.request(method, target, body=body, headers=headers)
    response = conn.getresponse()
    result = response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    conn.close()
    return result


REST_TARGETS = [
    "/webhooks/rest/webhook",
    "/webhooks/rest/",
    "/webhooks/rest",
    "/webhooks//rest/webhook",
    "/webhooks/%72est/webhook",
    "/webhooks/./rest/webhook",
    "/webhooks/telegram/../rest/webhook",
    "/webhooks/telegram/%2e%2e/rest/webhook",
    "/webhooks/telegram%2F..%2Frest/webhook",
    "/webhooks/rest/webhook?x=/webhooks/telegram/",
]


def test_nginx_running_keeps_rest_private_and_sends_hsts_everywhere(running_nginx: tuple[int, FakeRasa]) -> None:
    port, rasa = running_nginx
    hsts = added_headers(nginx_block(nginx_text(), "server")).get("Strict-Transport-Security", "(not configured)")
    for target in REST_TARGETS:
        for method in ("POST", "GET"):
            status, headers, _ = request(port, method, target)
            assert status in (403, 404), f"{method} {target}: {status}"
            assert headers.get("strict-transport-security") == hsts, f"{method} {target}"
    assert rasa.seen == [], f"the REST channel reached Rasa: {rasa.seen}"

    # The platforms' webhooks and socket.io still reach Rasa, with HSTS on the proxied answers.
    for method, target in (("POST", "/webhooks/telegram/webhook"), ("GET", "/socket.io/?EIO=4&transport=polling")):
        status, headers, body = request(port, method, target)
        assert (status, body) == (200, b"rasa"), target
        assert headers.get("strict-transport-security") == hsts, target
    assert rasa.seen == ["/webhooks/telegram/webhook", "/socket.io/?EIO=4&transport=polling"]

    # The page: rendered and with its CSP wherever it is reachable; its template never served as a file.
    for target in ("/", "/index.html", "/%69ndex.html", "//index.html", "/index.html.gz", "/index.html/"):
        for gzip_ok in (False, True):
            status, headers, body = request(port, "GET", target, gzip_ok=gzip_ok)
            assert headers.get("strict-transport-security") == hsts, target
            assert headers.get("x-content-type-options") == "nosniff", target
            assert "server" not in headers or headers["server"] == "nginx", headers.get("server")
            if target in ("/index.html.gz", "/index.html/"):
                assert status == 404, f"{target}: {status}"
                continue
            assert status == 200, f"{target}: {status}"
            if headers.get("content-encoding") == "gzip":  # compressed after sub_filter, not the .gz file
                body = gzip.decompress(body)
            assert b"{{SOCKET_URL}}" not in body and b'data-socket-url="/"' in body, target
            assert "frame-ancestors 'self'" in headers.get("content-security-policy", ""), target
    status, headers, body = request(port, "GET", "/widget.js", gzip_ok=True)
    assert status == 200 and headers.get("content-encoding") == "gzip" and gzip.decompress(body).startswith(b"var")
    assert headers.get("strict-transport-security") == hsts
    assert rasa.seen == ["/webhooks/telegram/webhook", "/socket.io/?EIO=4&transport=polling"]


# --- compose validation ---------------------------------------------------------------------------------------


def compose_available() -> bool:
    if shutil.which("docker-compose"):
        return True
    if shutil.which("docker") is None:
        return False
    return subprocess.run(["docker", "compose", "version"], capture_output=True, timeout=60).returncode == 0


def test_compose_file_is_valid_and_requires_its_secrets() -> None:
    if not compose_available():
        unavailable("NEITHER `docker compose` NOR `docker-compose` IS INSTALLED: docker-compose.yml NOT VALIDATED "
                    "(run tools/check_compose.sh, which installs Debian's docker-compose)")
    result = subprocess.run(
        [str(ROOT / "tools" / "check_compose.sh")], capture_output=True, text=True, timeout=300, cwd=ROOT
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "check_compose: OK" in result.stdout


# --- Helm values ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def helm() -> dict[str, Any]:
    return load_yaml(HELM_VALUES)


def test_helm_values_use_rasa_3_6_21_and_close_the_api(helm: dict[str, Any]) -> None:
    assert helm["image"]["tag"] == "3.6.21"
    settings = helm["applicationSettings"]
    assert settings["enableAPI"] is False
    assert settings["cors"] != "*"
    assert settings["initialModel"] == "" and settings["trainInitialModel"] is False
    assert settings["telemetry"]["enabled"] is False
    # The chart's default args always pass --cors and --auth-token: they must be replaced.
    args = helm["args"]
    assert args[0] == "run" and not set(API_FLAGS) & set(args)
    assert helm["nginx"]["enabled"] is False


def test_helm_values_set_the_stores_broker_and_replicas(helm: dict[str, Any]) -> None:
    endpoints = helm["applicationSettings"]["endpoints"]
    production = load_yaml(ROOT / "endpoints.production.yml")
    assert endpoints["trackerStore"]["enabled"] is True
    assert endpoints["trackerStore"]["type"] == production["tracker_store"]["type"]
    assert endpoints["trackerStore"]["dialect"] == "postgresql"
    assert endpoints["lockStore"]["enabled"] is True
    assert endpoints["lockStore"]["type"] == production["lock_store"]["type"]
    assert endpoints["eventBroker"]["enabled"] is True
    assert endpoints["eventBroker"]["type"] == production["event_broker"]["type"]
    assert endpoints["additionalEndpoints"]["action_endpoint"]["token"] == "${ACTION_SERVER_TOKEN}"
    assert helm["replicaCount"] >= 2
    channels = set(helm["applicationSettings"]["credentials"]["additionalChannelCredentials"])
    assert channels == set(load_yaml(ROOT / "credentials.yml"))


def test_helm_values_set_ingress_limits_and_affinity(helm: dict[str, Any]) -> None:
    annotations = helm["ingress"]["annotations"]
    prefix = "nginx.ingress.kubernetes.io/"
    assert annotations[prefix + "proxy-body-size"] == "64k"
    assert int(annotations[prefix + "limit-rps"]) <= 10
    assert int(annotations[prefix + "limit-connections"]) > 0
    assert annotations[prefix + "upstream-hash-by"] == "$remote_addr"
    assert helm["service"]["type"] == "ClusterIP"


def test_helm_ingress_routes_only_socketio_and_the_platform_webhooks(helm: dict[str, Any]) -> None:
    """Not the REST channel: with Prefix matching, "/" or "/webhooks" would route /webhooks/rest/ too."""
    ingress = helm["ingress"]
    paths = [(ingress["path"], ingress["pathType"])]
    for extra in ingress.get("extraPaths", []):
        paths.append((extra["path"], extra["pathType"]))
        assert extra["backend"] == {"service": {"name": helm["fullnameOverride"], "port": {"name": "http"}}}
    public = {"/socket.io", "/webhooks/whatsapp", "/webhooks/telegram", "/webhooks/messenger"}
    assert {path for path, _ in paths} == public
    for path, kind in paths:
        assert kind in ("Prefix", "Exact"), path
        assert not "/webhooks/rest/webhook".startswith(path.rstrip("/") + "/"), path
    assert helm["rabbitmq"]["auth"]["username"] not in ("", "guest")
    tokens = {env["name"]: env for env in helm["extraEnv"]}
    assert tokens["REST_CHANNEL_TOKEN"]["valueFrom"]["secretKeyRef"]["name"] == "sipinna-secrets"


def test_helm_values_hold_no_secret(helm: dict[str, Any]) -> None:
    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if re.search(r"(password|token)$", str(key), re.IGNORECASE) and not isinstance(value, dict):
                    assert value in ("", None) or re.fullmatch(r"\$\{\w+\}", str(value)), f"{path}.{key}"
                walk(value, f"{path}.{key}")
        elif isinstance(node, list):
            for i, item in enumerate(node):
                walk(item, f"{path}[{i}]")

    walk(helm, "values")
    for env in helm["extraEnv"]:
        if SECRET_KEY.search(env["name"]):
            assert "valueFrom" in env, env["name"]


@pytest.mark.parametrize("name", ["endpoints.yml", "endpoints.token.yml", "endpoints.production.yml"])
def test_the_domain_is_not_sent_with_every_action_call(name: str) -> None:
    """The actions never read the domain; serialising it into each call was most of each request."""
    assert load_yaml(ROOT / name)["action_endpoint"]["enable_selective_domain"] is True
