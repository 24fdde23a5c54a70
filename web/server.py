"""Serves the web chat page and widget (web/dist) on loopback, gzipped.

    python web/server.py            # http://127.0.0.1:8080 (WEBCHAT_HOST / WEBCHAT_PORT)

The page's socket.io URL comes from WEBCHAT_SOCKET_URL (default: Rasa on 127.0.0.1:5005).

`/` and `/index.html` return the page rendered (socket.io URL filled in) with its Content-Security-Policy.
The other files of web/dist (widget.js, widget.css) are served by name, each with its prebuilt .gz copy
for clients that accept gzip; the page's template (index.html, index.html.gz) and the .gz files
themselves are never served as files. Every response carries SECURITY_HEADERS and no `Server` header.
"""

from __future__ import annotations

import html
import logging
import sys
from pathlib import Path

from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common.settings import load_settings  # noqa: E402

DIST = ROOT / "web" / "dist"
PAGE = "index.html"
logger = logging.getLogger(__name__)

# deploy/nginx/nginx.conf sends the same headers (tests/unit/test_deployment.py compares them).
# Strict-Transport-Security is ignored by browsers over plain http (RFC 6797, 8.1), which is how this
# server runs on loopback; it takes effect if a TLS terminator is ever put in front of it, as in nginx.
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "SAMEORIGIN",
    "Strict-Transport-Security": "max-age=31536000",
}


def content_security_policy(socket_url: str) -> str:
    origin = socket_url.rstrip("/")
    websocket = origin.replace("http://", "ws://", 1).replace("https://", "wss://", 1)
    return (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        f"connect-src 'self' {origin} {websocket}; frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
    )


def static_files(dist: Path) -> dict[str, Path]:
    """The files served by name: regular files at the top of dist, except the page template and .gz copies."""
    return {
        path.name: path
        for path in sorted(dist.iterdir())
        if path.is_file() and not path.is_symlink() and path.name != PAGE and not path.name.endswith(".gz")
    }


def create_app(socket_url: str, dist: Path = DIST) -> web.Application:
    """The web app: `/` (and `/index.html`) is the chat page, the rest are the built widget files."""
    if not (dist / "widget.js").exists() or not (dist / PAGE).exists():
        raise SystemExit(f"{dist} is missing the built page: run `make web` (make run does it)")
    template = (dist / PAGE).read_text(encoding="utf-8")
    page = template.replace("{{SOCKET_URL}}", html.escape(socket_url, quote=True))
    csp = content_security_policy(socket_url)
    files = static_files(dist)

    async def index(_: web.Request) -> web.Response:
        response = web.Response(text=page, content_type="text/html", headers={"Content-Security-Policy": csp})
        response.enable_compression()
        return response

    async def static(request: web.Request) -> web.FileResponse:
        path = files.get(request.match_info["name"])
        if path is None:
            raise web.HTTPNotFound()
        return web.FileResponse(path)  # sends <name>.gz when the client accepts gzip

    async def on_response_prepare(_: web.Request, response: web.StreamResponse) -> None:
        # Runs for every response of the app (404s and errors included), after aiohttp has added its
        # default headers: drop `Server: Python/x aiohttp/y.z`, add the security headers.
        response.headers.popall("Server", None)
        response.headers.update(SECURITY_HEADERS)
        response.headers.setdefault("Cache-Control", "no-cache")

    app = web.Application()
    # aiohttp 3.9 annotates its signals with aiosignal's type wrongly (fixed in later releases).
    app.on_response_prepare.append(on_response_prepare)  # type: ignore[arg-type]
    app.router.add_get("/", index)
    app.router.add_get(f"/{PAGE}", index)
    app.router.add_get("/{name}", static)
    return app


def main() -> None:
    settings = load_settings()
    logging.basicConfig(level=settings.log_level)
    app = create_app(settings.webchat_socket_url)
    logger.info("Web chat on http://%s:%d", settings.webchat_host, settings.webchat_port)
    web.run_app(app, host=settings.webchat_host, port=settings.webchat_port, print=None)


if __name__ == "__main__":
    main()
