"""Configuration read from environment variables, in one place, for every Python process
(action server, Rasa's custom channels, the web chat server, the analytics consumer).

See `.env.example` for every variable and its default.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """Runtime settings of the action server."""

    directory_file: Path
    places_file: Path
    default_language: str
    place_match_threshold: float
    log_level: str
    webchat_host: str
    webchat_port: int
    webchat_socket_url: str
    webchat_allowed_origins: tuple[str, ...]
    handoff_webhook_url: str
    handoff_timeout_s: float
    feedback_db: Path
    retention_days: float
    action_server_token: str
    sender_id_secret: str
    twilio_account_sid: str
    twilio_auth_token: str
    twilio_whatsapp_number: str
    twilio_webhook_url: str
    twilio_api_base: str
    twilio_max_chars: int
    telegram_max_chars: int
    messenger_max_chars: int
    telegram_bot_token: str
    telegram_secret_token: str
    telegram_api_base: str
    messenger_page_access_token: str
    messenger_app_secret: str
    messenger_verify_token: str
    messenger_api_base: str
    rabbitmq_url: str
    rabbitmq_exchange: str
    rabbitmq_queue: str
    analytics_db: Path
    rest_channel_token: str
    webchat_burst: int
    webchat_messages_per_minute: float
    endpoints_file: Path
    freshness_max_age_days: int


def load_settings() -> Settings:
    """Read the settings from the environment (call at run time, not at import time)."""
    return Settings(
        directory_file=Path(
            os.environ.get("DIRECTORY_FILE", PROJECT_ROOT / "directory" / "referral_directory.yml")
        ),
        places_file=Path(os.environ.get("PLACES_FILE", PROJECT_ROOT / "directory" / "places.yml")),
        default_language=os.environ.get("DEFAULT_LANGUAGE", "es"),
        place_match_threshold=float(os.environ.get("PLACE_MATCH_THRESHOLD", "85")),
        log_level=os.environ.get("LOG_LEVEL", "INFO"),
        webchat_host=os.environ.get("WEBCHAT_HOST", "127.0.0.1"),
        webchat_port=int(os.environ.get("WEBCHAT_PORT", "8080")),
        webchat_socket_url=os.environ.get("WEBCHAT_SOCKET_URL", "http://127.0.0.1:5005"),
        webchat_allowed_origins=tuple(
            origin.strip().rstrip("/")
            for origin in os.environ.get(
                "WEBCHAT_ALLOWED_ORIGINS", "http://127.0.0.1:8080,http://localhost:8080"
            ).split(",")
            if origin.strip()
        ),
        handoff_webhook_url=os.environ.get("HANDOFF_WEBHOOK_URL", ""),
        handoff_timeout_s=float(os.environ.get("HANDOFF_TIMEOUT_S", "5")),
        feedback_db=Path(os.environ.get("FEEDBACK_DB", PROJECT_ROOT / "var" / "feedback.sqlite")),
        retention_days=float(os.environ.get("RETENTION_DAYS", "30")),
        action_server_token=os.environ.get("ACTION_SERVER_TOKEN", ""),
        sender_id_secret=os.environ.get("SENDER_ID_SECRET", ""),
        twilio_account_sid=os.environ.get("TWILIO_ACCOUNT_SID", ""),
        twilio_auth_token=os.environ.get("TWILIO_AUTH_TOKEN", ""),
        twilio_whatsapp_number=os.environ.get("TWILIO_WHATSAPP_NUMBER", ""),
        twilio_webhook_url=os.environ.get("TWILIO_WEBHOOK_URL", ""),
        twilio_api_base=os.environ.get("TWILIO_API_BASE", "https://api.twilio.com").rstrip("/"),
        twilio_max_chars=int(os.environ.get("TWILIO_MAX_CHARS", "1600")),
        telegram_max_chars=int(os.environ.get("TELEGRAM_MAX_CHARS", "4096")),
        messenger_max_chars=int(os.environ.get("MESSENGER_MAX_CHARS", "2000")),
        telegram_bot_token=os.environ.get("TELEGRAM_BOT_TOKEN", ""),
        telegram_secret_token=os.environ.get("TELEGRAM_SECRET_TOKEN", ""),
        telegram_api_base=os.environ.get("TELEGRAM_API_BASE", "https://api.telegram.org").rstrip("/"),
        messenger_page_access_token=os.environ.get("MESSENGER_PAGE_ACCESS_TOKEN", ""),
        messenger_app_secret=os.environ.get("MESSENGER_APP_SECRET", ""),
        messenger_verify_token=os.environ.get("MESSENGER_VERIFY_TOKEN", ""),
        messenger_api_base=os.environ.get("MESSENGER_API_BASE", "https://graph.facebook.com/v17.0").rstrip("/"),
        rabbitmq_url="amqp://{user}:{password}@{host}:{port}/".format(
            user=quote(os.environ.get("RABBITMQ_USER", "guest"), safe=""),
            password=quote(os.environ.get("RABBITMQ_PASSWORD", "guest"), safe=""),
            host=os.environ.get("RABBITMQ_HOST", "127.0.0.1"),
            port=os.environ.get("RABBITMQ_PORT", "5672"),
        ),
        rabbitmq_exchange=os.environ.get("RABBITMQ_EXCHANGE", "rasa-exchange"),
        rabbitmq_queue=os.environ.get("RABBITMQ_QUEUE", "rasa_events"),
        analytics_db=Path(os.environ.get("ANALYTICS_DB", PROJECT_ROOT / "var" / "analytics.sqlite")),
        rest_channel_token=os.environ.get("REST_CHANNEL_TOKEN", ""),
        webchat_burst=int(os.environ.get("WEBCHAT_BURST", "5")),
        webchat_messages_per_minute=float(os.environ.get("WEBCHAT_MESSAGES_PER_MINUTE", "20")),
        # The endpoints file Rasa runs with: the action server reads its tracker store to delete a
        # conversation on request (tools/serve.py sets it to the profile's file).
        endpoints_file=project_path(os.environ.get("ENDPOINTS_FILE", "endpoints.yml")),
        # `make freshness` fails on a directory item whose last check is older than this.
        freshness_max_age_days=int(os.environ.get("FRESHNESS_MAX_AGE_DAYS", "365")),
    )


def project_path(path: str | Path) -> Path:
    """`path`, relative to the project root unless it is absolute (whatever the current directory)."""
    path = Path(path)
    return path if path.is_absolute() else PROJECT_ROOT / path
