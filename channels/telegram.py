"""Telegram: verified with the secret-token header set in setWebhook; inline buttons.

Unlike Rasa's TelegramInput it makes no call to Telegram at start-up (register the webhook once,
as the README says).
"""

from __future__ import annotations

import hmac
from typing import Any

from sanic.request import Request

from channels.messaging import MessagingInput, MessagingOutput, numbered_options, post

CALLBACK_DATA_MAX_BYTES = 64


class TelegramOutput(MessagingOutput):
    supports_buttons = True
    limit_setting = "telegram_max_chars"

    @classmethod
    def name(cls) -> str:
        return "telegram"

    async def deliver(self, text: str, buttons: list[dict[str, Any]] | None) -> None:
        body: dict[str, Any] = {"chat_id": self.address, "text": text}
        if buttons:
            if all(len(str(b.get("payload", "")).encode()) <= CALLBACK_DATA_MAX_BYTES for b in buttons):
                body["reply_markup"] = {
                    "inline_keyboard": [[{"text": b["title"], "callback_data": b["payload"]}] for b in buttons]
                }
            else:  # Telegram refuses long callback data: fall back to numbered options
                self.menus.remember(self.sender_id, [str(b.get("payload", "")) for b in buttons])
                body["text"] = numbered_options(text, buttons)
        settings = self.channel.settings
        await post(f"{settings.telegram_api_base}/bot{settings.telegram_bot_token}/sendMessage", json=body)


class TelegramInput(MessagingInput):
    """POST /webhooks/telegram/webhook, Telegram's `Update` objects."""

    secret_setting = "telegram_secret_token"
    output_class = TelegramOutput

    @classmethod
    def name(cls) -> str:
        return "telegram"

    def verify(self, request: Request) -> bool:
        secret = self.settings.telegram_secret_token
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        return bool(secret and self.settings.telegram_bot_token and given) and hmac.compare_digest(secret, given)

    def messages(self, request: Request) -> list[tuple[str, str]]:
        update = request.json or {}
        if "callback_query" in update:
            query = update["callback_query"]
            return [(str(query["message"]["chat"]["id"]), str(query.get("data") or ""))]
        message = update.get("message") or update.get("edited_message")
        if not message or "text" not in message:
            return []
        return [(str(message["chat"]["id"]), str(message["text"]))]

