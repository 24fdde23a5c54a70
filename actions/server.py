"""The action server, closed by default: `python -m actions.server`.

rasa-sdk's own launcher listens on every interface and has no authentication. This one:
* listens on ACTION_HOST (default 127.0.0.1) and ACTION_PORT (5055);
* when ACTION_SERVER_TOKEN is set, refuses /webhook calls without it (Rasa sends it as the `token`
  query parameter when endpoints.token.yml is used; `Authorization: Bearer <token>` also works);
* redacts personal data from every log record;
* sends no CORS headers (only Rasa calls it).
"""

from __future__ import annotations

import hmac
import logging
import os

from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from common.settings import load_settings
from privacy.logging_filter import install_redaction

logger = logging.getLogger(__name__)


def _token_of(request: Request) -> str:
    bearer = request.headers.get("authorization", "")
    return bearer[7:] if bearer.lower().startswith("bearer ") else str(request.args.get("token", ""))


# Rasa sends the whole conversation with every call; SANIC_REQUEST_MAX_SIZE is meant for Rasa's
# public endpoints, so the action server sets its own limit.
REQUEST_MAX_SIZE = 50 * 1024 * 1024


def build_app(token: str) -> Sanic:
    app = create_app("actions", cors_origins=None)
    app.config.REQUEST_MAX_SIZE = REQUEST_MAX_SIZE
    if token:

        @app.middleware("request")
        async def require_token(request: Request) -> HTTPResponse | None:
            if request.path.startswith("/webhook") and not hmac.compare_digest(_token_of(request), token):
                return response.json({"error": "a valid token is required"}, status=403)
            return None

    return app


def main() -> None:
    install_redaction()
    settings = load_settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)-8s %(name)s - %(message)s")
    host = os.environ.get("ACTION_HOST", "127.0.0.1")
    port = int(os.environ.get("ACTION_PORT", "5055"))
    token_state = "required" if settings.action_server_token else "off"
    logger.info("Action server on http://%s:%d (token %s)", host, port, token_state)
    build_app(settings.action_server_token).run(host, port, workers=1, access_log=False)


if __name__ == "__main__":
    main()
