"""What every channel does to a person's message before anything else sees it: one place, every channel.

* `normalize`: lone UTF-16 surrogates (which no database can store), control characters, zero-width
  and bidirectional controls are removed; the text is put in Unicode NFKC form (full-width digits become
  ASCII digits, non-breaking spaces become spaces), so the redaction and NLU see what a person meant.
* `prepare_text`: normalised, cut to MAX_MESSAGE_CHARS, then personal data redacted
  (privacy.redaction). NLU, the tracker store, the event broker, Rasa's fail-safe fallback store, the
  action server and the logs only ever see this text: whatever path Rasa takes, no phone number,
  e-mail or document number reaches storage.
* `clean_sender` and `clean_metadata`: a conversation id and message metadata that every store can
  encode, or nothing.
* `parse_json` and `same_secret`: a request body and a secret, read so that no input can raise anything
  but the ValueError a channel answers with 400 (or a plain False, answered with 403).

Channels: channels/rest.py, channels/webchat.py and channels/messaging.py (WhatsApp, Telegram,
Messenger) call these; tests/e2e/test_bad_input.py sends what used to stop the server.
"""

from __future__ import annotations

import hmac
import json
import re
import unicodedata
from typing import Any

from channels import MAX_MESSAGE_CHARS
from privacy.redaction import redact

MAX_SENDER_CHARS = 128
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}\Z")  # \Z: "$" would let "en\n" through
_SURROGATES = re.compile(r"[\ud800-\udfff]")
# Kept control characters: line break and tab (a carriage return becomes a line break).
_KEPT_CONTROLS = {"\n", "\t"}


def _unwanted(ch: str) -> bool:
    """Control (Cc), format (Cf: zero-width, bidi controls, soft hyphen, BOM) and unassigned or
    private-use characters (Cn, Co)."""
    if ch in _KEPT_CONTROLS:
        return False
    return unicodedata.category(ch) in ("Cc", "Cf", "Cn", "Co", "Cs")


def normalize(text: str) -> str:
    r"""`text` as a person meant it: NFKC, without invisible or unencodable characters, trimmed.

    >>> normalize("55\u200b12\u202e34 \uff15\uff16\uff17\uff18\r\n")  # zero-width, bidi, full-width
    '551234 5678'
    """
    text = _SURROGATES.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if not _unwanted(ch)).strip()


def prepare_text(text: str) -> str:
    """The text the assistant works with: normalised, at most MAX_MESSAGE_CHARS, personal data redacted."""
    return redact(normalize(text)[:MAX_MESSAGE_CHARS]).strip()


def clean_sender(sender: Any) -> str | None:
    """`sender` if it is a usable conversation id (1 to 128 printable characters that any store can
    encode, not blank), else None."""
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
        return None
    if any(_unwanted(ch) for ch in sender):
        return None
    return sender


def clean_metadata(metadata: Any) -> dict[str, str]:
    """The only metadata a channel passes on: the language chosen in the web chat, as a language code."""
    if not isinstance(metadata, dict):
        return {}
    language = metadata.get("language")
    if isinstance(language, str) and LANGUAGE_CODE.match(language):
        return {"language": language}
    return {}


def as_bytes(text: str) -> bytes:
    """UTF-8 bytes of any str, even one holding lone surrogates (which `str.encode()` refuses): header
    values Sanic could not decode and environment variables that were not UTF-8 come as surrogates."""
    return text.encode("utf-8", errors="surrogatepass")


def same_secret(expected: str, given: str) -> bool:
    """Whether `given` (a header or query value) is the configured secret `expected`, in constant time.

    Never raises: `hmac.compare_digest` on two str raises TypeError if either is not ASCII, so both are
    compared as bytes. An empty secret (a channel that is not set up) matches nothing.
    """
    if not expected or not given:
        return False
    return hmac.compare_digest(as_bytes(expected), as_bytes(given))


def parse_json(body: bytes) -> Any:
    """The JSON document in a request body; ValueError if it is not UTF-8 JSON or too deeply nested
    (`json.loads` raises RecursionError then, and Sanic's `request.json` lets that through)."""
    try:
        return json.loads(body.decode("utf-8"))  # UnicodeDecodeError and JSONDecodeError are ValueErrors
    except RecursionError as error:
        raise ValueError("JSON nested too deeply") from error
