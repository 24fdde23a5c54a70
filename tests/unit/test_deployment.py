"""The container deployment (docker-compose.yml, deploy/) and the Helm values (deploy/kubernetes/values.yml).

Static checks on the files, cross-checked against the project's own configuration, plus two tool runs
when the tools are installed: tools/check_compose.sh (`docker compose config` / docker-compose) and
`nginx -t` on deploy/nginx/nginx.conf.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

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
    assert {"channels", "components", "privacy", "storage", "analytics", "actions"} <= needed
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
    assert proxied == {"/webhooks/rest/", "/webhooks/", "/socket.io/"}


def test_nginx_limits_body_size_rate_and_connections() -> None:
    text = nginx_text()
    assert re.search(r"^\s*client_max_body_size 64k;", text, re.MULTILINE)
    zones = dict(re.findall(r"limit_req_zone \$binary_remote_addr zone=(\w+):\w+ rate=(\d+)r/s;", text))
    assert zones["rest"] == "5" and zones["socketio"] == "5"
    for location, zone in (("/webhooks/rest/", "rest"), ("/socket.io/", "socketio"), ("/webhooks/", "platforms")):
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


NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


@pytest.mark.skipif(NGINX is None, reason="nginx is not installed (apt-get install nginx): `nginx -t` NOT RUN")
def test_nginx_accepts_the_config(tmp_path: Path) -> None:
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


# --- compose validation ---------------------------------------------------------------------------------------


def compose_available() -> bool:
    if shutil.which("docker-compose"):
        return True
    if shutil.which("docker") is None:
        return False
    return subprocess.run(["docker", "compose", "version"], capture_output=True, timeout=60).returncode == 0


@pytest.mark.skipif(
    not compose_available(),
    reason="NEITHER `docker compose` NOR `docker-compose` IS INSTALLED: docker-compose.yml NOT VALIDATED "
    "(run tools/check_compose.sh, which installs Debian's docker-compose)",
)
def test_compose_file_is_valid_and_requires_its_secrets() -> None:
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
    assert endpoints["eventBroker"]["enabled"] is True and endpoints["eventBroker"]["type"] == "pika"
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
