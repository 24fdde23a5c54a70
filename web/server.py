"""Serves the web chat page and widget (web/dist) on loopback, gzipped.

    python web/server.py            # http://127.0.0.1:8080 (WEBCHAT_HOST / WEBCHAT_PORT)

The page's socket.io URL comes from WEBCHAT_SOCKET_URL (default: Rasa on 127.0.0.1:5005).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from actions.settings import load_settings  # noqa: E402

DIST = ROOT / "web" / "dist"
logger = logging.getLogger(__name__)

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "SAMEORIGIN",
}


def create_app(socket_url: str) -> web.Application:
    """The web app: `/` is the chat page, the rest are the built widget files."""
    if not (DIST / "widget.js").exists():
        raise SystemExit("web/dist is missing: run `make web` (make run does it)")
    page = (DIST / "index.html").read_text(encoding="utf-8").replace("{{SOCKET_URL}}", socket_url)
    origin = socket_url.rstrip("/")
    websocket = origin.replace("http://", "ws://").replace("https://", "wss://")
    csp = (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        f"connect-src 'self' {origin} {websocket}; frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
    )

    async def index(_: web.Request) -> web.Response:
        response = web.Response(text=page, content_type="text/html", headers={"Content-Security-Policy": csp})
        response.enable_compression()
        return response

    @web.middleware
    async def headers(request: web.Request, handler):  # type: ignore[no-untyped-def]
        response = await handler(request)
        response.headers.update(SECURITY_HEADERS)
        response.headers.setdefault("Cache-Control", "no-cache")
        return response

    app = web.Application(middlewares=[headers])
    app.router.add_get("/", index)
    app.router.add_static("/", DIST, show_index=False, follow_symlinks=False)
    return app


def main() -> None:
    settings = load_settings()
    logging.basicConfig(level=settings.log_level)
    app = create_app(settings.webchat_socket_url)
    logger.info("Web chat on http://%s:%d", settings.webchat_host, settings.webchat_port)
    web.run_app(app, host=settings.webchat_host, port=settings.webchat_port, print=None)


if __name__ == "__main__":
    main()
