"""The REST channel's own rules: its namespace, its token and its JSON parsing (the HTTP checks are in
tests/e2e/test_bad_input.py and tests/e2e/test_security.py)."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Callable, Coroutine
from typing import Any, cast

import pytest
from rasa.core.channels.channel import UserMessage
from sanic import Sanic
from sanic.compat import Header
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.inbound import parse_json
from channels.rest import SafeRestInput, conversation_id, token_matches
from channels.webchat import SESSION_ID


@pytest.mark.parametrize("sender", ["maria-1", "0123456789abcdef0123456789abcdef", "whatsapp-" + "a" * 32])
def test_a_rest_sender_can_never_name_another_channels_conversation(sender: str) -> None:
    stored = conversation_id(sender)
    assert stored.startswith("rest-")
    assert not SESSION_ID.match(stored)  # web chat ids are exactly 32 hex digits
    assert not re.match(r"^(whatsapp|telegram|messenger)-", stored)


def test_without_a_configured_token_every_call_passes() -> None:
    assert token_matches("", "")
    assert token_matches("", "Bearer anything")


@pytest.mark.parametrize("header", ["", "Bearer wrong", "Bearer s3cret-but-longer", "s3cre", "Bearer ñ\ud800"])
def test_a_configured_token_refuses_anything_else_without_raising(header: str) -> None:
    assert not token_matches("s3cret", header)


def test_a_configured_token_accepts_itself() -> None:
    assert token_matches("s3cret", "Bearer s3cret")


def test_deeply_nested_json_is_refused_not_crashed() -> None:
    with pytest.raises(ValueError):
        parse_json(b"[" * 20_000 + b"]" * 20_000)
    with pytest.raises(ValueError):
        parse_json(b'{"message": "\xff"}')
    assert parse_json(b'{"message": "hola"}') == {"message": "hola"}


# ---- the webhook itself, called as Sanic calls it ---------------------------------------------------------

APP = Sanic("rest_channel_tests")


class Assistant:
    """Stands in for Rasa's on_new_message: records the message and answers through the collector."""

    def __init__(self, fail: BaseException | None = None) -> None:
        self.received: list[UserMessage] = []
        self.fail = fail

    async def __call__(self, message: UserMessage) -> None:
        if self.fail is not None:
            raise self.fail
        self.received.append(message)
        await message.output_channel.send_text_message(message.sender_id, "respuesta")


Handler = Callable[..., Coroutine[Any, Any, HTTPResponse]]


def handler(channel: SafeRestInput, assistant: Assistant, name: str) -> Handler:
    handlers = [cast(Handler, route.handler) for route in channel.blueprint(assistant)._future_routes]
    return next(h for h in handlers if h.__name__ == name)


def post(body: bytes | dict[str, Any], token: str = "", headers: dict[str, str] | None = None,
         assistant: Assistant | None = None) -> tuple[int, Any]:
    raw = json.dumps(body).encode() if isinstance(body, dict) else body
    request = Request(b"/webhooks/rest/webhook", Header({"Content-Type": "application/json", **(headers or {})}),
                      "1.1", "POST", cast(Any, None), APP)
    request.body = raw
    answer = asyncio.run(handler(SafeRestInput(token), assistant or Assistant(), "receive")(request))
    return answer.status, json.loads(answer.body or b"")


def test_a_valid_message_reaches_the_assistant_redacted_in_the_rest_namespace_and_gets_the_replies() -> None:
    assistant = Assistant()
    status, replies = post({"sender": "maria", "message": "  mi tel 5512345678 ", "metadata": {"language": "en",
                            "phone": "5512345678"}}, assistant=assistant)
    assert (status, replies) == (200, [{"recipient_id": "rest-maria", "text": "respuesta"}])
    [message] = assistant.received
    assert (message.text, message.sender_id, message.input_channel, message.metadata) == (
        "mi tel [telefono]", "rest-maria", "rest", {"language": "en"})


@pytest.mark.parametrize(
    ("body", "headers", "status", "error"),
    [
        ({"sender": "a", "message": "hola"}, {"Content-Type": "text/plain"}, 415,
         "send JSON (Content-Type: application/json)"),
        (b'{"sender": "a", "message": "\xff"}', {}, 400, "the body is not valid UTF-8 JSON"),
        (b'["hola"]', {}, 400, "the body must be a JSON object"),
        ({"sender": "", "message": "hola"}, {}, 400, "'sender' must be a string of 1 to 128 printable characters"),
        ({"sender": "a", "message": 5}, {}, 400, "'message' must be a string"),
        ({"sender": "a", "message": "a" * 1001}, {}, 413, "'message' is longer than 1000 characters"),
        ({"sender": "a", "message": "\u200b \u202e"}, {}, 400, "'message' is empty"),
    ],
)
def test_a_bad_request_gets_a_clear_error_and_never_reaches_the_assistant(
    body: bytes | dict[str, Any], headers: dict[str, str], status: int, error: str
) -> None:
    assistant = Assistant()
    assert post(body, headers=headers, assistant=assistant) == (status, {"error": error})
    assert assistant.received == []


def test_a_message_of_exactly_the_maximum_length_is_accepted() -> None:
    assert post({"sender": "a", "message": "a" * 1000 + "\u200b"})[0] == 200


@pytest.mark.parametrize(("header", "status"), [("", 403), ("Bearer wrong", 403), ("Bearer s3cret", 200)])
def test_with_a_token_configured_only_calls_that_carry_it_pass(header: str, status: int) -> None:
    headers = {"Authorization": header} if header else {}
    answer = post({"sender": "a", "message": "hola"}, token="s3cret", headers=headers)
    assert answer[0] == status
    if status == 403:
        assert answer[1] == {"error": "forbidden"}


@pytest.mark.parametrize(
    ("failure", "logged"),
    [(asyncio.CancelledError(), "REST message timed out"), (RuntimeError("hola 5512345678"), "REST message failed")],
)
def test_a_failure_of_the_assistant_is_logged_without_the_message_and_answered_with_no_reply(
    failure: BaseException, logged: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="channels.rest"):
        status, replies = post({"sender": "a", "message": "mi tel 5512345678"}, assistant=Assistant(failure))
    assert (status, replies) == (200, [])
    assert [r.getMessage() for r in caplog.records] == [logged]


def test_the_health_check_answers_ok_and_the_channel_is_called_rest(monkeypatch: pytest.MonkeyPatch) -> None:
    request = Request(b"/webhooks/rest/", Header({}), "1.1", "GET", cast(Any, None), APP)
    answer = asyncio.run(handler(SafeRestInput(), Assistant(), "health")(request))
    assert (answer.status, json.loads(answer.body or b"")) == (200, {"status": "ok"})
    assert SafeRestInput.name() == "rest"
    monkeypatch.setenv("REST_CHANNEL_TOKEN", "from-the-environment")
    assert SafeRestInput.from_credentials(None).token == "from-the-environment"


def test_the_webhook_and_the_health_check_are_served_where_rasa_clients_expect_them() -> None:
    routes = SafeRestInput().blueprint(Assistant())._future_routes
    assert {(route.uri, tuple(route.methods or ()), cast(Handler, route.handler).__name__) for route in routes} == {
        ("/webhook", ("POST",), "receive"), ("/", ("GET",), "health")}


def test_a_channel_created_without_a_token_needs_none() -> None:
    request = Request(b"/webhooks/rest/webhook", Header({"Content-Type": "application/json"}), "1.1", "POST",
                      cast(Any, None), APP)
    request.body = b'{"sender": "a", "message": "hola"}'
    assert asyncio.run(handler(SafeRestInput(), Assistant(), "receive")(request)).status == 200
