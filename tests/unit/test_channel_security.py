"""The messaging channels' webhooks against hostile or unusual requests, without a server: real Sanic
request objects handed to each channel's `verify`, `receive` and (Messenger) `subscribe`.

Pins the security review's findings: lone surrogates (1), Twilio's signature over the raw body with
empty and repeated parameters (2), non-ASCII signatures and tokens (3), deeply nested JSON (4) and
replayed message ids (5).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import re
from typing import Any, cast
from urllib.parse import urlencode

import pytest
from multidict import MultiDict
from rasa.core.channels.channel import UserMessage
from sanic import Sanic
from sanic.compat import Header
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator

from channels.inbound import prepare_text, same_secret
from channels.messaging import (
    MAX_JSON_BODY_BYTES,
    Menus,
    MessagingInput,
    Seen,
    parse_json_body,
    pseudonym,
)
from channels.messenger import MessengerInput
from channels.telegram import TelegramInput
from channels.whatsapp import WhatsAppInput, twilio_params

APP = Sanic("channel_security_tests")
TWILIO_URL = "https://asistente.example.org/webhooks/whatsapp/webhook"
ENV = {
    "TWILIO_ACCOUNT_SID": "AC00000000000000000000000000000000",
    "TWILIO_AUTH_TOKEN": "twilio-unit-token",
    "TWILIO_WEBHOOK_URL": TWILIO_URL,
    "TELEGRAM_BOT_TOKEN": "123:telegram-unit-token",
    "TELEGRAM_SECRET_TOKEN": "telegram-unit-secret",
    "MESSENGER_APP_SECRET": "messenger-unit-app-secret",
    "MESSENGER_VERIFY_TOKEN": "messenger-unit-verify-token",
    "SENDER_ID_SECRET": "unit-sender-secret",
}
SURROGATES = re.compile(r"[\ud800-\udfff]")
# A 1,000-level list: Sanic's request.json (ujson, depth limit 1,024) parses it; repr() of it recurses too deep.
DEEP = b"[" * 1_000 + b"]" * 1_000
NON_ASCII = ["é" * 28, "\udcc3\udca9" * 14, "sha256=" + "é" * 64, "\ud800", "ñ"]


@pytest.fixture(autouse=True)
def channel_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)


def make_request(url: str, headers: dict[str, str], body: bytes = b"", method: str = "POST") -> Request:
    request = Request(url.encode(), Header(headers), "1.1", method, cast(Any, None), APP)
    request.body = body
    return request


class Assistant:
    """Stands in for Rasa's on_new_message: records what the channel passes on."""

    def __init__(self, fail: bool = False) -> None:
        self.received: list[UserMessage] = []
        self.fail = fail

    async def __call__(self, message: UserMessage) -> None:
        if self.fail:
            raise RuntimeError("the tracker store is down: hola 5512345678")
        self.received.append(message)

    @property
    def texts(self) -> list[str]:
        return [str(m.text) for m in self.received]


def receive(channel: MessagingInput, request: Request, assistant: Assistant) -> HTTPResponse:
    return asyncio.run(channel.receive(request, assistant))


# ---- Twilio (WhatsApp) ---------------------------------------------------------------------------

def twilio_form(**overrides: str) -> list[tuple[str, str]]:
    form = {"From": "whatsapp:+5215512345678", "To": "whatsapp:+10000000000", "Body": "hola", "NumMedia": "0",
            "MessageSid": "SM" + "1" * 32, "AccountSid": ENV["TWILIO_ACCOUNT_SID"], **overrides}
    return list(form.items())


def signed_twilio(pairs: list[tuple[str, str]], body: bytes | None = None) -> Request:
    """A request as Twilio sends it: the signature is Twilio's own, over every parameter."""
    signature = RequestValidator(ENV["TWILIO_AUTH_TOKEN"]).compute_signature(TWILIO_URL, MultiDict(pairs))
    raw = urlencode(pairs).encode() if body is None else body
    return make_request("/webhooks/whatsapp/webhook", {"X-Twilio-Signature": signature,
                        "Content-Type": "application/x-www-form-urlencoded"}, raw)


def test_twilio_params_keep_empty_values_and_repeated_keys() -> None:
    params = twilio_params(b"Body=&NumMedia=1&MediaUrl0=https%3A%2F%2Fx%2Fb&MediaUrl0=https%3A%2F%2Fx%2Fa&Flag")
    assert params.getall("Body") == [""]
    assert params.getall("MediaUrl0") == ["https://x/b", "https://x/a"]
    assert params.getall("Flag") == [""]


def test_twilio_params_never_yield_surrogates_or_raise() -> None:
    params = twilio_params(b"Body=%ED%A0%80%FF\xff\xfe&From=whatsapp%3A%2B52")
    assert not SURROGATES.search(params["Body"]) and "\ufffd" in params["Body"]
    assert params["From"] == "whatsapp:+52"


def test_twilio_media_only_message_is_verified_acknowledged_and_not_answered() -> None:
    pairs = twilio_form(Body="", NumMedia="1", MediaUrl0="https://api.twilio.com/media/1",
                        MediaContentType0="image/jpeg")
    channel, assistant = WhatsAppInput(), Assistant()
    request = signed_twilio(pairs)
    assert channel.verify(request)
    answer = receive(channel, request, assistant)
    assert answer.status == 200 and answer.body == b"<Response/>"
    assert assistant.received == []


def test_twilio_repeated_keys_are_verified_in_twilios_order() -> None:
    pairs = [*twilio_form(NumMedia="2"), ("MediaUrl0", "https://x/zeta"), ("MediaUrl0", "https://x/alpha")]
    assert WhatsAppInput().verify(signed_twilio(pairs))


def test_twilio_wrong_or_tampered_signature_is_refused() -> None:
    channel = WhatsAppInput()
    request = signed_twilio(twilio_form())
    request.body = request.body.replace(b"hola", b"adios")
    assert not channel.verify(request)
    assert receive(channel, request, Assistant()).status == 403


@pytest.mark.parametrize("signature", NON_ASCII)
def test_twilio_non_ascii_signature_is_403_not_an_exception(signature: str) -> None:
    request = make_request("/webhooks/whatsapp/webhook", {"X-Twilio-Signature": signature},
                           urlencode(twilio_form()).encode())
    channel = WhatsAppInput()
    assert channel.verify(request) is False
    assert receive(channel, request, Assistant()).status == 403


def test_twilio_body_that_is_not_utf8_is_cleaned_not_a_crash() -> None:
    """Twilio percent-encodes UTF-8; invalid bytes (raw or percent-encoded) become U+FFFD, no crash."""
    body = b"Body=hola%ED%A0%80+amigo\xff&" + urlencode([p for p in twilio_form() if p[0] != "Body"]).encode()
    request = signed_twilio(list(twilio_params(body).items()), body)
    assistant = Assistant()
    assert receive(WhatsAppInput(), request, assistant).status == 200
    assert len(assistant.texts) == 1 and assistant.texts[0].startswith("hola")
    assert not SURROGATES.search(assistant.texts[0])


def test_twilio_replayed_message_sid_is_acknowledged_once_answered_once() -> None:
    channel, assistant = WhatsAppInput(), Assistant()
    for _ in range(3):
        answer = receive(channel, signed_twilio(twilio_form(Body="necesito asilo")), assistant)
        assert answer.status == 200 and answer.body == b"<Response/>"
    assert assistant.texts == ["necesito asilo"]
    receive(channel, signed_twilio(twilio_form(Body="otra", MessageSid="SM" + "2" * 32)), assistant)
    assert assistant.texts == ["necesito asilo", "otra"]


def test_twilio_personal_data_is_redacted_before_the_assistant() -> None:
    assistant = Assistant()
    receive(WhatsAppInput(), signed_twilio(twilio_form(Body="mi numero es 55 1234 5678")), assistant)
    assert assistant.texts == ["mi numero es [telefono]"]


# ---- Telegram ------------------------------------------------------------------------------------

def telegram_update(text: Any = "hola", update_id: int = 1, chat_id: Any = 424242) -> dict[str, Any]:
    return {"update_id": update_id, "message": {"message_id": 1, "date": 0, "text": text,
                                                 "chat": {"id": chat_id, "type": "private"}}}


def telegram_request(body: bytes | dict[str, Any], secret: str = ENV["TELEGRAM_SECRET_TOKEN"]) -> Request:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return make_request("/webhooks/telegram/webhook",
                        {"X-Telegram-Bot-Api-Secret-Token": secret, "Content-Type": "application/json"}, raw)


@pytest.mark.parametrize("secret", NON_ASCII)
def test_telegram_non_ascii_secret_is_403_not_an_exception(secret: str) -> None:
    channel = TelegramInput()
    assert channel.verify(telegram_request(telegram_update(), secret)) is False
    assert receive(channel, telegram_request(telegram_update(), secret), Assistant()).status == 403


def test_telegram_deeply_nested_body_is_400() -> None:
    assistant = Assistant()
    deep_text = b'{"update_id": 3, "message": {"chat": {"id": 1}, "text": %s}}' % DEEP
    for body in (b"[" * 20_000, b'{"a":' * 20_000, b"\xff\xfe", b"not json", b"[1, 2]", b'"text"', deep_text):
        assert receive(TelegramInput(), telegram_request(body), assistant).status == 400, body[:10]
    assert assistant.received == []


@pytest.mark.parametrize("text", ["\ud800", "\udfff\ud800", "hola\ud800 como pido asilo"])
def test_telegram_lone_surrogate_in_text_never_reaches_the_assistant(text: str) -> None:
    assistant = Assistant()
    body = json.dumps(telegram_update(text)).encode()  # JSON "\ud800": valid JSON, not encodable text
    assert b"\\ud800" in body or b"\\udfff" in body
    assert receive(TelegramInput(), telegram_request(body), assistant).status == 200
    assert all(not SURROGATES.search(t) for t in assistant.texts)
    assert assistant.texts == ([prepare_text(text)] if prepare_text(text) else [])


@pytest.mark.parametrize("chat_id", ["\ud800", "a\x00b", "x" * 500, "", None, 1.5, True, {"id": 1}])
def test_telegram_unusable_chat_id_is_400_not_an_exception(chat_id: Any) -> None:
    assistant = Assistant()
    assert receive(TelegramInput(), telegram_request(telegram_update(chat_id=chat_id)), assistant).status == 400
    assert assistant.received == []


def test_telegram_text_that_is_not_a_string_is_400() -> None:
    assert receive(TelegramInput(), telegram_request(telegram_update(text=["hola"])), Assistant()).status == 400


def test_telegram_replayed_update_is_acknowledged_answered_once() -> None:
    channel, assistant = TelegramInput(), Assistant()
    for _ in range(3):
        assert receive(channel, telegram_request(telegram_update("hola", update_id=77)), assistant).status == 200
    receive(channel, telegram_request(telegram_update("hola", update_id=78)), assistant)
    assert assistant.texts == ["hola", "hola"]


def test_telegram_button_payload_passes_unchanged() -> None:
    payload = '/ask_contacts{"institution":"comar"}'
    update = {"update_id": 5, "callback_query": {"id": "1", "data": payload,
                                                  "message": {"message_id": 1, "chat": {"id": 9}}}}
    assistant = Assistant()
    assert receive(TelegramInput(), telegram_request(update), assistant).status == 200
    assert assistant.texts == [payload]


def test_a_failed_message_is_not_remembered_so_the_retry_is_answered(caplog: pytest.LogCaptureFixture) -> None:
    channel = TelegramInput()
    with caplog.at_level(logging.INFO):
        answer = receive(channel, telegram_request(telegram_update("hola", update_id=90)), Assistant(fail=True))
    assert answer.status == 500
    assert "5512345678" not in caplog.text and "tracker store" not in caplog.text  # no error text logged
    assistant = Assistant()
    assert receive(channel, telegram_request(telegram_update("hola", update_id=90)), assistant).status == 200
    assert assistant.texts == ["hola"]


# ---- Messenger -----------------------------------------------------------------------------------

def messenger_body(*events: tuple[str, str, Any]) -> bytes:
    """(mid, text, psid) for each event."""
    messaging = [{"sender": {"id": psid}, "recipient": {"id": "1"}, "timestamp": 0,
                  "message": {"mid": mid, "text": text}} for mid, text, psid in events]
    return json.dumps({"object": "page", "entry": [{"id": "1", "time": 0, "messaging": messaging}]}).encode()


def messenger_request(body: bytes, signature: str | None = None) -> Request:
    if signature is None:
        secret = ENV["MESSENGER_APP_SECRET"].encode()
        signature = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
    return make_request("/webhooks/messenger/webhook",
                        {"X-Hub-Signature-256": signature, "Content-Type": "application/json"}, body)


@pytest.mark.parametrize("signature", [*NON_ASCII, "sha256=zz", "sha256=" + "0" * 64, "sha1=abc", ""])
def test_messenger_malformed_non_ascii_or_wrong_signature_is_403(signature: str) -> None:
    channel = MessengerInput()
    request = messenger_request(messenger_body(("m1", "hola", "6543210")), signature)
    assert channel.verify(request) is False
    assert receive(channel, request, Assistant()).status == 403


def test_messenger_signature_in_upper_case_hex_is_accepted() -> None:
    body = messenger_body(("m1", "hola", "6543210"))
    signature = "sha256=" + hmac.new(ENV["MESSENGER_APP_SECRET"].encode(), body, hashlib.sha256).hexdigest().upper()
    assert MessengerInput().verify(messenger_request(body, signature))


def subscription(token: str) -> Request:
    query = urlencode({"hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": "1158201444"})
    return make_request(f"/webhooks/messenger/webhook?{query}", {}, method="GET")


@pytest.mark.parametrize("token", ["é", "messenger-unit-verify-token-ñ", "\ud800", "wrong", ""])
def test_messenger_subscription_with_a_non_ascii_or_wrong_token_is_403_and_not_logged(
    token: str, caplog: pytest.LogCaptureFixture
) -> None:
    query = urlencode({"hub.mode": "subscribe", "hub.verify_token": token}, errors="surrogatepass")
    request = make_request(f"/webhooks/messenger/webhook?{query}", {}, method="GET")
    with caplog.at_level(logging.DEBUG):
        assert MessengerInput().subscribe(request).status == 403
    assert "verify-token" not in caplog.text and "verify_token=" not in caplog.text


def test_messenger_subscription_with_the_right_token_echoes_the_challenge() -> None:
    answer = MessengerInput().subscribe(subscription(ENV["MESSENGER_VERIFY_TOKEN"]))
    assert answer.status == 200 and answer.body == b"1158201444"


def test_messenger_deeply_nested_body_is_400() -> None:
    deep_text = b'{"entry": [{"messaging": [{"sender": {"id": "1"}, "message": {"mid": "d", "text": %s}}]}]}' % DEEP
    for body in (b"[" * 20_000, b'{"entry":' * 20_000, b'{"entry": ["x"]}', b'{"entry": [{"messaging": [1]}]}',
                 b"[1]", deep_text):
        assert receive(MessengerInput(), messenger_request(body), Assistant()).status == 400, body[:10]


def test_messenger_lone_surrogates_in_text_and_psid() -> None:
    assistant = Assistant()
    body = messenger_body(("m-s1", "\ud800hola", "6543210"))
    assert receive(MessengerInput(), messenger_request(body), assistant).status == 200
    assert assistant.texts == ["hola"]
    body = messenger_body(("m-s2", "hola", "65\ud80043210"))
    assert receive(MessengerInput(), messenger_request(body), assistant).status == 400
    assert assistant.texts == ["hola"]


def test_messenger_replayed_mid_is_answered_once_even_inside_a_new_batch() -> None:
    channel, assistant = MessengerInput(), Assistant()
    assert receive(channel, messenger_request(messenger_body(("m.1", "uno", "65"))), assistant).status == 200
    assert receive(channel, messenger_request(messenger_body(("m.1", "uno", "65"))), assistant).status == 200
    batch = messenger_body(("m.1", "uno", "65"), ("m.2", "dos", "65"))
    assert receive(channel, messenger_request(batch), assistant).status == 200
    assert assistant.texts == ["uno", "dos"]


def test_messenger_postback_mid_is_remembered_and_payload_kept() -> None:
    payload = '/ask_offices{"institution":"comar"}'
    event = {"sender": {"id": "65"}, "recipient": {"id": "1"}, "timestamp": 0,
             "postback": {"mid": "pb.1", "title": "Oficinas", "payload": payload}}
    body = json.dumps({"object": "page", "entry": [{"id": "1", "messaging": [event]}]}).encode()
    channel, assistant = MessengerInput(), Assistant()
    receive(channel, messenger_request(body), assistant)
    receive(channel, messenger_request(body), assistant)
    assert assistant.texts == [payload]


# ---- What the channels share ----------------------------------------------------------------------

def test_parse_json_body() -> None:
    assert parse_json_body(b'{"a": [1, "\\ud800"]}') == {"a": [1, "\ud800"]}
    for bad in (b"[" * 20_000, b"[" * 100_000 + b"]" * 100_000, b"\xff", b"", b"{", b"1" * 5000):
        with pytest.raises(ValueError):
            parse_json_body(bad)
    with pytest.raises(ValueError):
        parse_json_body(b" " * (MAX_JSON_BODY_BYTES + 1))


@pytest.mark.parametrize("given", ["é", "\udcc3", "\ud800", "secret\x00", "", "secreT"])
def test_same_secret_never_raises(given: str) -> None:
    assert same_secret("secret", given) is False
    assert same_secret("", given) is False
    assert same_secret("secret", "secret") is True


@pytest.mark.parametrize("platform_id", ["\ud800", "\udcc3\udca9", "a\x00b", "\U0010ffff", "x" * 10_000])
def test_pseudonym_of_any_platform_id_never_raises(platform_id: str) -> None:
    sender = pseudonym("\udcff-secret", "telegram", platform_id)
    assert sender.startswith("telegram-") and sender.isascii() and len(sender) == len("telegram-") + 32


def test_pseudonyms_of_ordinary_ids_are_unchanged() -> None:
    """Conversation ids already stored stay the same: UTF-8 as before for every encodable id."""
    expected = hmac.new(b"secret", b"whatsapp:whatsapp:+5215512345678", hashlib.sha256).hexdigest()
    assert pseudonym("secret", "whatsapp", "whatsapp:+5215512345678") == f"whatsapp-{expected[:32]}"


def test_seen_remembers_a_bounded_number_of_ids() -> None:
    seen = Seen(limit=3)
    assert seen.first_time("a") and not seen.first_time("a")
    for key in "bcd":
        assert seen.first_time(key)
    assert seen.first_time("a")  # forgotten: the oldest went first
    seen.forget("d")
    assert seen.first_time("d")


@pytest.mark.parametrize("reply", ["²", "1" * 5000, "٢", "0", "-1", "2.5"])
def test_numbered_option_replies_never_raise(reply: str) -> None:
    menus = Menus()
    menus.remember("a", ["/uno", "/dos"])
    assert menus.resolve("a", reply) == reply


def test_full_width_or_invisible_digits_pick_the_option() -> None:
    channel, assistant = TelegramInput(), Assistant()
    sender = pseudonym(ENV["SENDER_ID_SECRET"], "telegram", "424242")
    channel.menus.remember(sender, ["/ask_contacts", '/ask_offices{"institution":"comar"}'])
    receive(channel, telegram_request(telegram_update("２", update_id=1)), assistant)
    receive(channel, telegram_request(telegram_update("1\u200b", update_id=2)), assistant)
    assert assistant.texts == ['/ask_offices{"institution":"comar"}', "/ask_contacts"]


def test_every_button_payload_of_the_domain_survives_prepare_text() -> None:
    from pathlib import Path

    domain = (Path(__file__).resolve().parents[2] / "domain.yml").read_text(encoding="utf-8")
    payloads = {p.replace("{{", "{").replace("}}", "}") for p in re.findall(r"payload: ['\"](/[^'\"]*)['\"]", domain)}
    assert len(payloads) > 10
    assert {p for p in payloads if prepare_text(p) != p} == set()


# ---- What each channel answers, passes on and sends back -------------------------------------------

def answer_json(answer: HTTPResponse) -> Any:
    return json.loads(answer.body or b"")


class Posted:
    """Stands in for channels.messaging.post in a channel module: records each outgoing call."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    async def __call__(self, url: str, **kwargs: Any) -> int:
        self.calls.append((url, kwargs))
        return 200


@pytest.fixture
def posted(monkeypatch: pytest.MonkeyPatch) -> Posted:
    import channels.messenger
    import channels.telegram
    import channels.whatsapp

    recorder = Posted()
    for module in (channels.telegram, channels.whatsapp, channels.messenger):
        monkeypatch.setattr(module, "post", recorder)
    return recorder


@pytest.mark.parametrize("channel_class", [TelegramInput, WhatsAppInput, MessengerInput])
def test_each_channel_serves_its_health_check_and_webhook(channel_class: type[MessagingInput]) -> None:
    channel = channel_class()
    blueprint = channel.blueprint(Assistant())
    assert blueprint.name == f"{channel.name()}_webhook"
    routes: dict[tuple[str, tuple[str, ...], str], Any] = {
        (route.uri, tuple(route.methods or ()), getattr(route.handler, "__name__", "")): route.handler
        for route in blueprint._future_routes}
    expected = {("/", ("GET",), "health"), ("/webhook", ("POST",), "receive")}
    if channel_class is MessengerInput:
        expected.add(("/webhook", ("GET",), "subscribe"))
    assert set(routes) == expected
    health = asyncio.run(routes["/", ("GET",), "health"](make_request("/", {}, method="GET")))
    assert (health.status, answer_json(health)) == (200, {"status": "ok"})


def test_each_channel_and_its_replies_are_named_on_the_class() -> None:
    from channels.messenger import MessengerOutput
    from channels.telegram import TelegramOutput
    from channels.whatsapp import WhatsAppOutput

    assert [c.name() for c in (TelegramInput, TelegramOutput, WhatsAppInput, WhatsAppOutput, MessengerInput,
                               MessengerOutput)] == ["telegram", "telegram", "whatsapp", "whatsapp", "messenger",
                                                     "messenger"]
    assert (TelegramOutput.supports_buttons, WhatsAppOutput.supports_buttons, MessengerOutput.supports_buttons) == (
        True, False, True)


def test_from_credentials_makes_a_channel_keyed_by_the_sender_id_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    channel = TelegramInput.from_credentials(None)
    assert isinstance(channel, TelegramInput)
    assert channel.secret_for_ids == ENV["SENDER_ID_SECRET"]
    monkeypatch.setenv("SENDER_ID_SECRET", "")
    assert TelegramInput().secret_for_ids == ENV["TELEGRAM_SECRET_TOKEN"]  # the channel's own secret
    assert WhatsAppInput().secret_for_ids == ENV["TWILIO_AUTH_TOKEN"]
    assert MessengerInput().secret_for_ids == ENV["MESSENGER_APP_SECRET"]


def test_a_message_reaches_the_assistant_under_a_pseudonym_with_its_channel(caplog: pytest.LogCaptureFixture) -> None:
    channel, assistant = TelegramInput(), Assistant()
    answer = receive(channel, telegram_request(telegram_update("hola", update_id=11, chat_id=424242)), assistant)
    assert (answer.status, answer_json(answer)) == (200, {"status": "ok"})
    [message] = assistant.received
    assert message.sender_id == pseudonym(ENV["SENDER_ID_SECRET"], "telegram", "424242")
    assert message.input_channel == "telegram"
    assert message.output_channel.address == "424242"
    assert message.output_channel.sender_id == message.sender_id
    assert message.output_channel.name() == "telegram"
    assert message.output_channel.limit == 4096


def test_refusals_say_why_in_the_body_and_the_log(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="channels.messaging"):
        forbidden = receive(TelegramInput(), telegram_request(telegram_update(), "wrong"), Assistant())
        bad = receive(TelegramInput(), telegram_request(b"[1]"), Assistant())
        unusable = receive(TelegramInput(), telegram_request(telegram_update(chat_id="")), Assistant())
        failed = receive(TelegramInput(), telegram_request(telegram_update()), Assistant(fail=True))
        channel = TelegramInput()
        for _ in range(2):
            receive(channel, telegram_request(telegram_update(update_id=5)), Assistant())
    assert (forbidden.status, answer_json(forbidden)) == (403, {"error": "forbidden"})
    assert (bad.status, answer_json(bad)) == (400, {"error": "unexpected payload"})
    assert (unusable.status, answer_json(unusable)) == (400, {"error": "unexpected payload"})
    assert (failed.status, answer_json(failed)) == (500, {"error": "internal error"})
    assert [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "channels.messaging"] == [
        (logging.WARNING, "telegram webhook with a missing or wrong signature: refused"),
        (logging.WARNING, "telegram webhook with an unusable platform id: refused"),
        (logging.ERROR, "telegram message could not be handled: RuntimeError"),
        (logging.INFO, "telegram message already handled (a replay): acknowledged, not answered"),
    ]


def test_a_message_left_empty_once_cleaned_is_skipped_and_the_next_one_answered() -> None:
    assistant = Assistant()
    body = messenger_body(("m-e1", "\u200b", "65"), ("m-e2", "hola", "65"))
    assert receive(MessengerInput(), messenger_request(body), assistant).status == 200
    assert assistant.texts == ["hola"]


def test_a_message_without_an_id_is_answered_each_time() -> None:
    channel, assistant = TelegramInput(), Assistant()
    update = telegram_update("hola")
    del update["update_id"]
    for _ in range(2):
        assert receive(channel, telegram_request(update), assistant).status == 200
    assert assistant.texts == ["hola", "hola"]


# Telegram

def test_telegram_needs_the_bot_token_and_the_secret_header(monkeypatch: pytest.MonkeyPatch) -> None:
    request = telegram_request(telegram_update())
    assert TelegramInput().verify(request) is True
    other_header = make_request("/webhooks/telegram/webhook", {"X-Secret-Token": ENV["TELEGRAM_SECRET_TOKEN"]},
                                request.body)
    assert TelegramInput().verify(other_header) is False
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "")
    assert TelegramInput().verify(request) is False


@pytest.mark.parametrize(
    ("update", "texts"),
    [
        ({"update_id": 1, "edited_message": {"text": "editado", "chat": {"id": 7}}}, ["editado"]),
        ({"update_id": 1, "message": {"photo": [], "chat": {"id": 7}}}, []),  # no text: acknowledged, not answered
        ({"update_id": 1, "message": None, "edited_message": {"text": "e", "chat": {"id": 7}}}, ["e"]),
        ({"update_id": 1}, []),
        ({"update_id": 1, "callback_query": {"message": {"chat": {"id": 7}}}}, []),  # a button without data
    ],
)
def test_telegram_updates(update: dict[str, Any], texts: list[str]) -> None:
    assistant = Assistant()
    answer = receive(TelegramInput(), telegram_request(update), assistant)
    assert (answer.status, answer_json(answer)) == (200, {"status": "ok"})
    assert assistant.texts == texts


def test_telegram_replies_with_inline_buttons(posted: Posted) -> None:
    output = TelegramInput().output("424242", "sender")
    buttons = [{"title": "Contactos", "payload": "/ask_contacts"}, {"title": "Largo", "payload": "é" * 32}]
    asyncio.run(output.send_text_with_buttons("424242", "¿Qué necesitas?", buttons))
    asyncio.run(output.send_text_message("424242", "hola"))
    url = "https://api.telegram.org/bot123:telegram-unit-token/sendMessage"
    assert posted.calls == [
        (url, {"json": {"chat_id": "424242", "text": "¿Qué necesitas?", "reply_markup": {"inline_keyboard": [
            [{"text": "Contactos", "callback_data": "/ask_contacts"}], [{"text": "Largo", "callback_data": "é" * 32}],
        ]}}}),
        (url, {"json": {"chat_id": "424242", "text": "hola"}}),
    ]


def test_telegram_falls_back_to_numbered_options_when_a_payload_is_over_64_bytes(
    posted: Posted, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TELEGRAM_API_BASE", "http://127.0.0.1:9/")
    channel = TelegramInput()
    output = channel.output("424242", "sender")
    buttons = [{"title": "Corto", "payload": "/a"}, {"title": "Largo", "payload": "x" * 65}, {"title": "Nada"}]
    asyncio.run(output.send_text_with_buttons("424242", "Elige", buttons))
    assert posted.calls == [("http://127.0.0.1:9/bot123:telegram-unit-token/sendMessage",
                             {"json": {"chat_id": "424242", "text": "Elige\n\n1. Corto\n2. Largo\n3. Nada"}})]
    assert channel.menus.resolve("sender", "2") == "x" * 65
    assert channel.menus.resolve("sender", "3") == ""


# WhatsApp (Twilio)

def test_whatsapp_passes_the_sender_and_text_and_answers_with_twiml() -> None:
    channel, assistant = WhatsAppInput(), Assistant()
    answer = receive(channel, signed_twilio(twilio_form(Body="hola")), assistant)
    assert answer.status == 200
    assert answer.body == b"<Response/>" and answer.content_type == "text/xml"
    [message] = assistant.received
    assert message.text == "hola" and message.input_channel == "whatsapp"
    assert message.sender_id == pseudonym(ENV["SENDER_ID_SECRET"], "whatsapp", "whatsapp:+5215512345678")
    assert message.output_channel.address == "whatsapp:+5215512345678"
    assert message.output_channel.name() == "whatsapp"
    assert message.output_channel.limit == 1600


def test_whatsapp_without_a_message_sid_is_answered_each_time() -> None:
    channel, assistant = WhatsAppInput(), Assistant()
    for _ in range(2):
        receive(channel, signed_twilio(twilio_form(MessageSid="")), assistant)
    assert assistant.texts == ["hola", "hola"]


@pytest.mark.parametrize(("token", "url"), [("", TWILIO_URL), (ENV["TWILIO_AUTH_TOKEN"], "")])
def test_whatsapp_needs_the_token_and_the_url(monkeypatch: pytest.MonkeyPatch, token: str, url: str) -> None:
    assert WhatsAppInput().verify(signed_twilio(twilio_form())) is True
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", token)
    monkeypatch.setenv("TWILIO_WEBHOOK_URL", url)
    # Even a request signed with the empty token or for the empty URL is refused.
    pairs = twilio_form()
    signature = RequestValidator(token).compute_signature(url, MultiDict(pairs))
    request = make_request("/webhooks/whatsapp/webhook", {"X-Twilio-Signature": signature}, urlencode(pairs).encode())
    assert WhatsAppInput().verify(request) is False


def test_whatsapp_form_without_a_sender_is_400_and_without_a_body_not_answered() -> None:
    assistant = Assistant()
    no_sender = [(k, v) for k, v in twilio_form() if k != "From"]
    assert receive(WhatsAppInput(), signed_twilio(no_sender), assistant).status == 400
    no_body = [(k, v) for k, v in twilio_form(MessageSid="SM2") if k != "Body"]
    assert receive(WhatsAppInput(), signed_twilio(no_body), assistant).status == 200
    assert assistant.received == []


def test_twilio_params_replace_raw_bytes_that_are_not_utf8() -> None:
    assert list(twilio_params(b"Body=hola\xff&From=x").items()) == [("Body", "hola\ufffd"), ("From", "x")]


def test_whatsapp_signature_is_base64_of_at_most_256_characters() -> None:
    from channels.whatsapp import SIGNATURE, twilio_signature

    signature = twilio_signature(ENV["TWILIO_AUTH_TOKEN"], TWILIO_URL, MultiDict(twilio_form()))
    assert signature == RequestValidator(ENV["TWILIO_AUTH_TOKEN"]).compute_signature(
        TWILIO_URL, MultiDict(twilio_form()))
    assert SIGNATURE.fullmatch("aZ09+/=" * 36 + "abcd")  # 256
    assert not SIGNATURE.fullmatch("a" * 257)
    assert not SIGNATURE.fullmatch("")
    assert not SIGNATURE.fullmatch("abc-")


def test_whatsapp_url_that_cannot_be_encoded_is_refused_not_an_exception(monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    channel = WhatsAppInput()
    channel.settings = dataclasses.replace(channel.settings, twilio_webhook_url=TWILIO_URL + "\ud800")
    assert channel.verify(signed_twilio(twilio_form())) is False


def test_whatsapp_replies_through_twilio_s_messages_api(posted: Posted, monkeypatch: pytest.MonkeyPatch) -> None:
    import aiohttp

    monkeypatch.setenv("TWILIO_WHATSAPP_NUMBER", "whatsapp:+10000000000")
    output = WhatsAppInput().output("whatsapp:+5215512345678", "sender")
    asyncio.run(output.send_text_message("x", "hola"))
    assert posted.calls == [(
        f"https://api.twilio.com/2010-04-01/Accounts/{ENV['TWILIO_ACCOUNT_SID']}/Messages.json",
        {"data": {"From": "whatsapp:+10000000000", "To": "whatsapp:+5215512345678", "Body": "hola"},
         "auth": aiohttp.BasicAuth(ENV["TWILIO_ACCOUNT_SID"], ENV["TWILIO_AUTH_TOKEN"])},
    )]


# Messenger

def test_messenger_needs_the_app_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    body = messenger_body(("m1", "hola", "65"))
    assert MessengerInput().verify(messenger_request(body)) is True
    monkeypatch.setenv("MESSENGER_APP_SECRET", "")
    signed_with_nothing = "sha256=" + hmac.new(b"", body, hashlib.sha256).hexdigest()
    assert MessengerInput().verify(messenger_request(body, signed_with_nothing)) is False


def test_messenger_events() -> None:
    events = [
        {"sender": {"id": "65"}, "message": {"mid": "a", "text": "eco", "is_echo": True}},  # our own reply
        {"sender": {"id": "65"}, "message": {"mid": "b", "text": "Contactos",
                                             "quick_reply": {"payload": "/ask_contacts"}}},
        {"sender": {"id": "66"}, "message": {"text": "sin mid"}},
        {"sender": {"id": "67"}, "message": {"mid": "c", "attachments": []}},  # no text
        {"sender": {"id": "68"}, "postback": {"payload": "/ask_offices"}},
    ]
    body = json.dumps({"object": "page", "entry": [{"id": "1"}, {"id": "2", "messaging": events}]}).encode()
    channel, assistant = MessengerInput(), Assistant()
    for _ in range(2):
        answer = receive(channel, messenger_request(body), assistant)
        assert (answer.status, answer_json(answer)) == (200, {"status": "ok"})
    # "b" is a replay the second time; the others have no mid, so they are answered again.
    assert assistant.texts == ["/ask_contacts", "sin mid", "/ask_offices", "sin mid", "/ask_offices"]
    assert [m.sender_id for m in assistant.received[:3]] == [
        pseudonym(ENV["SENDER_ID_SECRET"], "messenger", psid) for psid in ("65", "66", "68")]
    assert assistant.received[0].output_channel.address == "65"
    assert assistant.received[0].output_channel.limit == 2000
    empty = json.dumps({"object": "page"}).encode()
    assert receive(channel, messenger_request(empty), assistant).status == 200


def test_messenger_replies_with_at_most_13_quick_replies_of_20_characters(
    posted: Posted, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MESSENGER_PAGE_ACCESS_TOKEN", "page-token")
    output = MessengerInput().output("65", "sender")
    assert output.name() == "messenger"
    buttons = [{"title": f"Opción número {i:02d} larga", "payload": f"/p{i}"} for i in range(15)]
    asyncio.run(output.send_text_with_buttons("65", "Elige", buttons))
    asyncio.run(output.send_text_message("65", "hola"))
    url, params = "https://graph.facebook.com/v17.0/me/messages", {"access_token": "page-token"}
    quick = [{"content_type": "text", "title": f"Opción número {i:02d} lar", "payload": f"/p{i}"} for i in range(13)]
    assert posted.calls == [
        (url, {"params": params, "json": {"recipient": {"id": "65"}, "messaging_type": "RESPONSE",
                                          "message": {"text": "Elige", "quick_replies": quick}}}),
        (url, {"params": params, "json": {"recipient": {"id": "65"}, "messaging_type": "RESPONSE",
                                          "message": {"text": "hola"}}}),
    ]


def test_messenger_signature_is_hmac_sha256_of_the_body() -> None:
    from channels.messenger import SIGNATURE, hub_signature

    expected = hmac.new(b"app-secret", b"{}", hashlib.sha256).hexdigest()
    assert hub_signature("app-secret", b"{}") == f"sha256={expected}"
    assert SIGNATURE.fullmatch("SHA256=" + "A" * 64)
    assert not SIGNATURE.fullmatch("sha256=" + "a" * 63)


@pytest.mark.parametrize(
    "query",
    [{"hub.mode": "unsubscribe", "hub.verify_token": ENV["MESSENGER_VERIFY_TOKEN"], "hub.challenge": "1"},
     {"hub.challenge": "1"}],
)
def test_messenger_subscription_needs_subscribe_mode_and_says_why_not(
    query: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    request = make_request(f"/webhooks/messenger/webhook?{urlencode(query)}", {}, method="GET")
    with caplog.at_level(logging.INFO, logger="channels.messenger"):
        answer = MessengerInput().subscribe(request)
    assert (answer.status, answer_json(answer)) == (403, {"error": "forbidden"})
    assert [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "channels.messenger"] == [
        (logging.WARNING, "Messenger subscription check with a missing or wrong verify token: refused")]


def test_messenger_subscription_query_that_is_not_utf8_is_403_and_a_missing_challenge_is_empty() -> None:
    class NotUtf8(Request):
        def get_args(self, *args: Any, **kwargs: Any) -> Any:  # what Sanic raises for such a query string
            raise UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte")

    token = urlencode({"hub.mode": "subscribe", "hub.verify_token": ENV["MESSENGER_VERIFY_TOKEN"]})
    request = NotUtf8(f"/webhooks/messenger/webhook?{token}".encode(), Header({}), "1.1", "GET", cast(Any, None), APP)
    answer = MessengerInput().subscribe(request)
    assert (answer.status, answer_json(answer)) == (403, {"error": "forbidden"})
    query = urlencode({"hub.mode": "subscribe", "hub.verify_token": ENV["MESSENGER_VERIFY_TOKEN"]})
    answer = MessengerInput().subscribe(make_request(f"/webhooks/messenger/webhook?{query}", {}, method="GET"))
    assert (answer.status, answer.body) == (200, b"")
    blueprint = MessengerInput().blueprint(Assistant())
    routes: dict[str, Any] = {getattr(r.handler, "__name__", ""): r.handler for r in blueprint._future_routes}
    good = make_request(f"/webhooks/messenger/webhook?{query}&hub.challenge=42", {}, method="GET")
    assert asyncio.run(routes["subscribe"](good)).body == b"42"
