"""Channel-aware rendering: splitting under a limit, numbered options, and "2" picking option 2."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest

from channels.messaging import Menus, numbered_options, pseudonym, split_message

PARAGRAPHS = "\n\n".join(f"Párrafo {i}. " + "Una frase corta. " * 20 for i in range(12))


@pytest.mark.parametrize("limit", [1600, 4096, 2000, 300])
def test_long_text_is_split_under_the_limit_without_losing_words(limit: int) -> None:
    pieces = split_message(PARAGRAPHS, limit)
    assert all(0 < len(p) <= limit for p in pieces)
    assert " ".join(" ".join(pieces).split()) == " ".join(PARAGRAPHS.split())


def test_splits_fall_on_paragraphs_when_they_fit() -> None:
    pieces = split_message("uno\n\ndos\n\ntres", 8)
    assert pieces == ["uno\n\ndos", "tres"]


def test_a_single_endless_word_is_cut_hard() -> None:
    assert split_message("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]


def test_short_text_is_one_piece() -> None:
    assert split_message("hola", 1600) == ["hola"]


def test_numbered_options_and_choosing_by_number() -> None:
    buttons = [
        {"title": "📞 Contactos", "payload": "/ask_contacts"},
        {"title": "📍 Oficinas", "payload": "/ask_offices"},
    ]
    assert numbered_options("¿Qué necesitas?", buttons) == "¿Qué necesitas?\n\n1. 📞 Contactos\n2. 📍 Oficinas"
    menus = Menus()
    menus.remember("a", [b["payload"] for b in buttons])
    assert menus.resolve("a", "2") == "/ask_offices"
    assert menus.resolve("a", " 1.") == "/ask_contacts"
    assert menus.resolve("a", "3") == "3"
    assert menus.resolve("b", "1") == "1"
    assert menus.resolve("a", "tengo 2 hijos") == "tengo 2 hijos"


def test_conversation_ids_do_not_reveal_phone_numbers() -> None:
    sender = pseudonym("secret", "whatsapp", "whatsapp:+5215512345678")
    assert sender.startswith("whatsapp-") and "5512345678" not in sender
    assert sender == pseudonym("secret", "whatsapp", "whatsapp:+5215512345678")
    assert sender != pseudonym("other", "whatsapp", "whatsapp:+5215512345678")


# ---- Splitting, exactly -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "limit", "pieces"),
    [
        ("", 10, []), ("   \n ", 10, []), ("  hola  ", 4, ["hola"]), ("x" * 10, 10, ["x" * 10]),
        ("uno\ndos\ntres", 8, ["uno\ndos", "tres"]),  # lines when no paragraph
        ("uno\n\ndos\ntres", 8, ["uno", "dos\ntres"]),  # paragraphs first
        ("Uno. Dos. Tres.", 9, ["Uno. Dos.", "Tres."]),  # sentences, joined by a space
        ("¡Sí! ¿Ya? Bien… ok", 8, ["¡Sí!", "¿Ya?", "Bien… ok"]),
        ("Uno.\tDos.", 5, ["Uno.", "Dos."]),  # any white space ends a sentence
        ("uno dos tres cuatro", 8, ["uno dos", "tres", "cuatro"]),  # words last
        ("aaaa bbbb\n\ncc", 5, ["aaaa", "bbbb", "cc"]),  # a paragraph too long is split again
        ("abcdefghij\n\nk", 4, ["abcd", "efgh", "ij", "k"]),
        ("abcdefghijk", 4, ["abcd", "efgh", "ijk"]),
    ],
)
def test_split_message_exactly(text: str, limit: int, pieces: list[str]) -> None:
    assert split_message(text, limit) == pieces


def test_numbered_options_without_buttons_or_titles() -> None:
    assert numbered_options("¿Qué necesitas?", []) == "¿Qué necesitas?"
    assert numbered_options("Elige", [{"payload": "/a"}, {"title": "B"}]) == "Elige\n\n1. \n2. B"


# ---- Ids, texts and bodies --------------------------------------------------------------------------

def test_platform_ids_are_strings_or_integers() -> None:
    from channels.messaging import platform_id

    assert platform_id(424242) == "424242"
    assert platform_id("6543210") == "6543210"
    for bad in (True, False, 1.5, None, ["1"], {"id": 1}):
        with pytest.raises(ValueError, match=r"^not an id$"):
            platform_id(bad)


def test_text_of_a_message_is_a_string_or_nothing() -> None:
    from channels.messaging import text_of

    assert text_of(None) == ""
    assert text_of("") == ""
    assert text_of("hola") == "hola"
    for bad in (0, 5, ["hola"], {"text": "hola"}, b"hola"):
        with pytest.raises(TypeError, match=r"^text is not a string$"):
            text_of(bad)


def test_a_body_of_exactly_the_limit_is_parsed_one_byte_more_is_refused() -> None:
    from channels.messaging import MAX_JSON_BODY_BYTES, parse_json_body

    assert MAX_JSON_BODY_BYTES == 65_536
    exact = b'"' + b"a" * (MAX_JSON_BODY_BYTES - 2) + b'"'
    assert parse_json_body(exact) == "a" * (MAX_JSON_BODY_BYTES - 2)
    with pytest.raises(ValueError, match=r"^body too large$"):
        parse_json_body(b'"' + b"a" * (MAX_JSON_BODY_BYTES - 1) + b'"')


def test_pseudonyms_are_the_channel_and_32_hex_digits_per_channel() -> None:
    sender = pseudonym("secret", "telegram", "424242")
    assert sender.startswith("telegram-") and len(sender) == len("telegram-") + 32
    assert sender != pseudonym("secret", "messenger", "424242").replace("messenger-", "telegram-")


# ---- Menus and seen ids -----------------------------------------------------------------------------

def test_menus_remember_the_last_ten_thousand_conversations() -> None:
    from channels.messaging import MAX_REMEMBERED_MENUS

    assert MAX_REMEMBERED_MENUS == 10_000
    menus = Menus()
    menus.remember("first", ["/a"])
    menus.remember("second", ["/b"])
    for number in range(MAX_REMEMBERED_MENUS - 2):
        menus.remember(f"s{number}", ["/x"])
    menus.remember("first", ["/c"])  # the newest again
    menus.remember("one more", ["/y"])  # 10,001 conversations: the oldest ("second") goes
    assert menus.resolve("first", "1") == "/c"
    assert menus.resolve("second", "1") == "1"
    assert menus.resolve("s0", "1") == "/x"


@pytest.mark.parametrize(
    ("reply", "picked"),
    [("1", "/uno"), ("3", "/tres"), ("2)", "/dos"), ("2.", "/dos"), (" 3 ", "/tres"), ("003", "/tres"),
     ("0003", "0003"), ("4", "4"), ("0", "0"), ("1 2", "1 2"), ("2X", "2X"), ("X2", "X2")],
)
def test_menu_replies(reply: str, picked: str) -> None:
    menus = Menus()
    menus.remember("a", ["/uno", "/dos", "/tres"])
    assert menus.resolve("a", reply) == picked


def test_seen_ids_default_to_fifty_thousand_and_a_replay_is_the_newest() -> None:
    from channels.messaging import Seen

    assert Seen().limit == 50_000
    seen = Seen(limit=2)
    assert seen.first_time("a") is True
    assert seen.first_time("b") is True
    assert seen.first_time("a") is False  # replayed: remembered as the newest
    assert seen.first_time("c") is True  # "b" goes, not "a"
    assert seen.first_time("a") is False
    assert seen.first_time("b") is True
    seen.forget("never seen")  # no error


# ---- Replies ----------------------------------------------------------------------------------------

class Recorded:
    """A MessagingOutput whose deliveries are recorded."""

    def __init__(self, supports_buttons: bool, limit: int = 12) -> None:
        from types import SimpleNamespace

        from channels.messaging import MessagingOutput

        class Output(MessagingOutput):
            async def deliver(inner, text: str, buttons: list | None) -> None:  # noqa: N805
                self.delivered.append((text, buttons))

        Output.supports_buttons = supports_buttons
        Output.limit_setting = "test_max_chars"
        self.delivered: list[tuple[str, list | None]] = []
        self.channel = SimpleNamespace(menus=Menus(), settings=SimpleNamespace(test_max_chars=limit))
        self.output = Output("addr", "sender", self.channel)  # type: ignore[arg-type]


BUTTONS = [{"title": "Uno", "payload": "/uno"}, {"title": "Dos", "payload": "/dos"}]


def test_text_is_delivered_in_pieces_under_the_channel_s_limit() -> None:
    import asyncio

    recorded = Recorded(supports_buttons=True, limit=8)
    assert recorded.output.limit == 8
    assert (recorded.output.address, recorded.output.sender_id) == ("addr", "sender")
    asyncio.run(recorded.output.send_text_message("r", "uno dos tres cuatro"))
    asyncio.run(recorded.output.send_image_url("r", "a.png"))
    assert recorded.delivered == [("uno dos", None), ("tres", None), ("cuatro", None),
                                  ("a.png", None)]


def test_buttons_go_with_the_last_piece() -> None:
    import asyncio

    recorded = Recorded(supports_buttons=True, limit=8)
    asyncio.run(recorded.output.send_text_with_buttons("r", "uno dos tres cuatro", BUTTONS))
    asyncio.run(recorded.output.send_text_with_buttons("r", "uno", BUTTONS))
    asyncio.run(recorded.output.send_quick_replies("r", "", BUTTONS))
    assert recorded.delivered == [("uno dos", None), ("tres", None), ("cuatro", BUTTONS), ("uno", BUTTONS),
                                  ("…", BUTTONS)]
    assert recorded.channel.menus.resolve("sender", "1") == "1"  # real buttons: no menu to remember


def test_without_buttons_the_options_are_numbered_and_remembered() -> None:
    import asyncio

    recorded = Recorded(supports_buttons=False, limit=100)
    asyncio.run(recorded.output.send_quick_replies("r", "Elige", [*BUTTONS, {"title": "Tres"}]))
    assert recorded.delivered == [("Elige\n\n1. Uno\n2. Dos\n3. Tres", None)]
    assert recorded.channel.menus.resolve("sender", "2") == "/dos"
    assert recorded.channel.menus.resolve("sender", "3") == ""


# ---- Outgoing calls ---------------------------------------------------------------------------------

class FakeSession:
    """Stands in for aiohttp.ClientSession: records the call, answers with `status` or raises `error`."""

    calls: ClassVar[list[tuple[Any, str, dict[str, Any]]]] = []
    status: ClassVar[int] = 200
    error: ClassVar[BaseException | None] = None

    def __init__(self, timeout: Any = None) -> None:
        self.timeout = timeout

    async def __aenter__(self) -> FakeSession:
        return self

    async def __aexit__(self, *exc: Any) -> None:
        return None

    def post(self, url: str, **kwargs: Any) -> FakeSession:
        if FakeSession.error is not None:
            raise FakeSession.error
        FakeSession.calls.append((self.timeout, url, kwargs))
        return self


@pytest.fixture
def fake_session(monkeypatch: pytest.MonkeyPatch) -> type[FakeSession]:
    import aiohttp

    class Reply:
        def __init__(self, status: int) -> None:
            self.status = status

        async def __aenter__(self) -> Reply:
            return self

        async def __aexit__(self, *exc: Any) -> None:
            return None

    class Session(FakeSession):
        def post(self, url: str, **kwargs: Any) -> Reply:  # type: ignore[override]
            super().post(url, **kwargs)
            return Reply(FakeSession.status)

    FakeSession.calls, FakeSession.status, FakeSession.error = [], 200, None
    monkeypatch.setattr(aiohttp, "ClientSession", Session)
    return FakeSession


@pytest.mark.parametrize(
    ("status", "logged"),
    [(200, []), (299, []), (300, ["Platform answered 300 to an outgoing message"]),
     (500, ["Platform answered 500 to an outgoing message"])],
)
def test_post_returns_the_status_and_logs_a_refusal(
    fake_session: type[FakeSession], caplog: pytest.LogCaptureFixture, status: int, logged: list[str]
) -> None:
    import asyncio
    import logging

    from channels.messaging import post

    fake_session.status = status
    with caplog.at_level(logging.INFO, logger="channels.messaging"):
        assert asyncio.run(post("https://api.example.org/send", json={"a": 1})) == status
    assert [r.getMessage() for r in caplog.records if r.name == "channels.messaging"] == logged
    assert all(r.levelno == logging.WARNING for r in caplog.records if r.name == "channels.messaging")
    [(timeout, url, kwargs)] = fake_session.calls
    assert timeout.total == 10
    assert (url, kwargs) == ("https://api.example.org/send", {"json": {"a": 1}})


@pytest.mark.parametrize("kind", ["ClientConnectionError", "TimeoutError"])
def test_post_that_fails_returns_0_and_logs_only_the_kind_of_error(
    fake_session: type[FakeSession], caplog: pytest.LogCaptureFixture, kind: str
) -> None:
    import asyncio
    import logging

    import aiohttp

    from channels.messaging import post

    fake_session.error = (aiohttp.ClientConnectionError("cannot reach api.example.org with token 123")
                          if kind == "ClientConnectionError" else TimeoutError())
    with caplog.at_level(logging.INFO, logger="channels.messaging"):
        assert asyncio.run(post("https://api.example.org/send")) == 0
    assert [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "channels.messaging"] == [
        (logging.WARNING, f"Outgoing message failed: {kind}")
    ]
