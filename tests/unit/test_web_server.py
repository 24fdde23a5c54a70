"""The web chat server (web/server.py): the page only ever rendered and with its CSP, the widget files
gzipped, the security headers on every response and no `Server` header.

Runs the app with aiohttp's test server on a small dist built in tmp_path from web/src/index.html (the
real page template) and stand-in widget files, so it needs neither `make web` nor node.
"""

from __future__ import annotations

import asyncio
import gzip
import importlib.util
import re
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

ROOT = Path(__file__).resolve().parents[2]
SERVER_PY = ROOT / "web" / "server.py"
TEMPLATE = ROOT / "web" / "src" / "index.html"
SOCKET_URL = "https://chat.example.org"
PLACEHOLDER = "{{SOCKET_URL}}"
WIDGET_JS = b"/* widget */ var LOCALES = {};\n" * 200
WIDGET_CSS = b".sipinna-chat { display: flex; }\n" * 50

T = TypeVar("T")


def load_server() -> ModuleType:
    spec = importlib.util.spec_from_file_location("webchat_server_under_test", SERVER_PY)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


server = load_server()


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    """What tools/build_web.py writes (each file with a .gz copy), plus things that must not be served."""
    dist = tmp_path / "dist"
    dist.mkdir()
    files = {"index.html": TEMPLATE.read_bytes(), "widget.js": WIDGET_JS, "widget.css": WIDGET_CSS}
    for name, data in files.items():
        (dist / name).write_bytes(data)
        (dist / f"{name}.gz").write_bytes(gzip.compress(data, mtime=0))
    (tmp_path / "outside.txt").write_text("outside dist")
    (dist / "linked.txt").symlink_to(tmp_path / "outside.txt")
    return dist


class Reply:
    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body


def run(app: web.Application, scenario: Callable[[TestClient], Awaitable[T]]) -> T:
    async def main() -> T:
        async with TestClient(TestServer(app), auto_decompress=False) as client:
            return await scenario(client)

    return asyncio.run(main())


async def raw_get(client: TestClient, target: str, accept_gzip: bool = False, method: str = "GET") -> Reply:
    """A request with the target exactly as written (no client-side normalisation of the path)."""
    assert client.port is not None
    reader, writer = await asyncio.open_connection(client.host, client.port)
    extra = "Accept-Encoding: gzip\r\n" if accept_gzip else "Accept-Encoding: identity\r\n"
    writer.write(f"{method} {target} HTTP/1.1\r\nHost: chat.example.org\r\n{extra}Connection: close\r\n\r\n".encode())
    await writer.drain()
    data = await reader.read()
    writer.close()
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers: dict[str, str] = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), value.strip())
    if headers.get("transfer-encoding") == "chunked":
        body = dechunk(body)
    return Reply(int(status_line.split()[1]), headers, body)


def dechunk(data: bytes) -> bytes:
    out = b""
    while data:
        size_line, _, data = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out, data = out + data[:size], data[size + 2 :]
    return out


def fetch_all(app: web.Application, targets: list[str], **kwargs: Any) -> dict[str, Reply]:
    async def scenario(client: TestClient) -> dict[str, Reply]:
        return {target: await raw_get(client, target, **kwargs) for target in targets}

    return run(app, scenario)


def body_text(reply: Reply) -> str:
    body = gzip.decompress(reply.body) if reply.headers.get("content-encoding") == "gzip" else reply.body
    return body.decode("utf-8", errors="replace")


def app_for(dist: Path) -> web.Application:
    return server.create_app(SOCKET_URL, dist=dist)


# Every spelling of the page's path a client could try, and the template's files themselves.
PAGE_TARGETS = [
    "/",
    "/index.html",
    "/index.html?x=1",
    "/index.html.gz",
    "/%69ndex.html",
    "/index%2Ehtml",
    "/index.html%2Egz",
    "/./index.html",
    "//index.html",
    "/index.html/",
    "/static/../index.html",
    "/%2e/index.html",
    "/INDEX.HTML",
    "/index.htm",
]


@pytest.mark.parametrize("accept_gzip", [False, True])
def test_every_path_to_the_page_returns_it_rendered_with_its_csp(dist: Path, accept_gzip: bool) -> None:
    replies = fetch_all(app_for(dist), PAGE_TARGETS, accept_gzip=accept_gzip)
    template = (dist / "index.html").read_bytes()
    for target, reply in replies.items():
        assert reply.body not in (template, (dist / "index.html.gz").read_bytes()), f"{target}: raw template served"
        if reply.status == 404:
            continue
        assert reply.status == 200, f"{target}: {reply.status}"
        text = body_text(reply)
        assert PLACEHOLDER not in text, f"{target}: {{{{SOCKET_URL}}}} not replaced"
        assert f'data-socket-url="{SOCKET_URL}"' in text, target
        assert reply.headers["content-type"].startswith("text/html"), target
        csp = reply.headers.get("content-security-policy", "")
        for directive in ("default-src 'self'", "script-src 'self'", "frame-ancestors 'self'", "base-uri 'none'"):
            assert directive in csp, f"{target}: CSP lacks {directive!r}: {csp!r}"
        assert f"connect-src 'self' {SOCKET_URL} wss://chat.example.org" in csp, target
    for target in ("/", "/index.html", "/index.html?x=1"):
        assert replies[target].status == 200, target
        if accept_gzip:
            assert replies[target].headers.get("content-encoding") == "gzip", target
    assert replies["/index.html.gz"].status == 404


def test_only_the_widget_files_are_served(dist: Path) -> None:
    targets = ["/widget.js", "/widget.css", "/widget.js.gz", "/linked.txt", "/../outside.txt", "/nothing.js"]
    replies = fetch_all(app_for(dist), targets)
    assert replies["/widget.js"].status == 200 and replies["/widget.js"].body == WIDGET_JS
    assert replies["/widget.css"].status == 200 and replies["/widget.css"].body == WIDGET_CSS
    for target in targets[2:]:
        assert replies[target].status == 404, target


def test_widget_files_are_served_gzipped_to_clients_that_accept_it(dist: Path) -> None:
    replies = fetch_all(app_for(dist), ["/widget.js", "/widget.css"], accept_gzip=True)
    for target, data in (("/widget.js", WIDGET_JS), ("/widget.css", WIDGET_CSS)):
        reply = replies[target]
        assert reply.status == 200, target
        assert reply.headers.get("content-encoding") == "gzip", target
        assert gzip.decompress(reply.body) == data, target
        assert "accept-encoding" in reply.headers.get("vary", "").lower(), target
    assert replies["/widget.js"].headers["content-type"].split(";")[0] in ("application/javascript", "text/javascript")
    assert replies["/widget.css"].headers["content-type"].startswith("text/css")


def test_every_response_has_the_security_headers_and_no_server_header(dist: Path) -> None:
    async def scenario(client: TestClient) -> dict[str, Reply]:
        replies = {
            target: await raw_get(client, target, accept_gzip=gzipped)
            for target in ("/", "/index.html", "/widget.js", "/widget.css", "/missing", "/a/b/c")
            for gzipped in (False,)
        }
        replies["/widget.js (gzip)"] = await raw_get(client, "/widget.js", accept_gzip=True)
        replies["POST /"] = await raw_get(client, "/", method="POST")
        replies["HEAD /"] = await raw_get(client, "/", method="HEAD")
        return replies

    replies = run(app_for(dist), scenario)
    assert replies["/missing"].status == 404 and replies["POST /"].status == 405
    assert replies["HEAD /"].status == 200
    expected = {name.lower(): value for name, value in server.SECURITY_HEADERS.items()}
    assert {"x-content-type-options", "referrer-policy", "x-frame-options"} <= set(expected)
    for target, reply in replies.items():
        assert "server" not in reply.headers, f"{target}: Server: {reply.headers['server']}"
        for name, value in expected.items():
            assert reply.headers.get(name) == value, f"{target}: {name}"
        assert reply.headers.get("cache-control") == "no-cache", target


def test_hsts_is_sent_and_matches_nginx() -> None:
    hsts = server.SECURITY_HEADERS.get("Strict-Transport-Security", "")
    max_age = re.fullmatch(r"max-age=(\d+)(; includeSubDomains)?", hsts)
    assert max_age and int(max_age.group(1)) >= 180 * 24 * 3600, hsts
    nginx = (ROOT / "deploy" / "nginx" / "nginx.conf").read_text(encoding="utf-8")
    assert f'add_header Strict-Transport-Security "{hsts}" always;' in nginx


def test_the_socket_url_cannot_break_out_of_the_attribute(dist: Path) -> None:
    app = server.create_app('https://x.example.org/"><script>alert(1)</script>', dist=dist)
    text = body_text(fetch_all(app, ["/"])["/"])
    assert "<script>alert(1)" not in text and "&quot;&gt;&lt;script&gt;" in text


def test_a_missing_dist_stops_the_server_with_a_clear_message(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="make web"):
        server.create_app(SOCKET_URL, dist=tmp_path / "nowhere")
