"""Telegram: verified with the secret-token header set in setWebhook; inline buttons.

Unlike Rasa's TelegramInput it makes no call to Telegram at start-up (register the webhook once,
as the README says). The body is parsed with `parse_json_body` (a deeply nested or broken body is a
400), and an `update_id` already handled is acknowledged without answering it again.
"""

from __future__ import annotations

from typing import Any

from sanic.request import Request

from channels.inbound import same_secret
from channels.messaging import (
    Incoming,
    MessagingInput,
    MessagingOutput,
    numbered_options,
    parse_json_body,
    platform_id,
    post,
    text_of,
)

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
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        return bool(self.settings.telegram_bot_token) and same_secret(self.settings.telegram_secret_token, given)

    def messages(self, request: Request) -> list[Incoming]:
        update = parse_json_body(request.body)
        if not isinstance(update, dict):
            raise ValueError("an update is a JSON object")
        update_id = update.get("update_id")
        message_id = f"update_id:{platform_id(update_id)}" if update_id is not None else None
        if "callback_query" in update:
            query = update["callback_query"]
            return [Incoming(platform_id(query["message"]["chat"]["id"]), text_of(query.get("data")), message_id)]
        message = update.get("message") or update.get("edited_message")
        if not message or "text" not in message:
            return []
        return [Incoming(platform_id(message["chat"]["id"]), text_of(message["text"]), message_id)]

