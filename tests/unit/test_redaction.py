"""Personal data is redacted; ordinary numbers (ages, days, years, emergency lines) are kept.

The corpus (tests/unit/redaction_corpus.yml) holds personal-data cases and look-alikes in Spanish,
English, French and Haitian Creole; these tests measure `redact()` on it.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from privacy.redaction import redact

CORPUS_PATH = Path(__file__).with_name("redaction_corpus.yml")
LANGUAGES = ("es", "en", "fr", "ht")


def _load_corpus() -> dict[str, list[dict[str, Any]]]:
    with CORPUS_PATH.open(encoding="utf-8") as f:
        corpus: dict[str, list[dict[str, Any]]] = yaml.safe_load(f)
    return corpus


CORPUS = _load_corpus()
PERSONAL = CORPUS["personal"]
LOOKALIKES = CORPUS["lookalikes"]


def _missed(case: dict[str, Any]) -> str | None:
    """Why `case` is not handled (a secret left, a meaningful word removed), or None."""
    out = redact(case["text"])
    left = [s for s in case["secrets"] if s in out]
    lost = [k for k in case.get("keep", []) if k not in out]
    if not left and not lost:
        return None
    return f"[{case['lang']}/{case['kind']}] {case['text']!r} -> {out!r} (left: {left}, removed: {lost})"


def _changed(case: dict[str, Any]) -> str | None:
    out = redact(case["text"])
    return None if out == case["text"] else f"[{case['lang']}/{case['kind']}] {case['text']!r} -> {out!r}"


def _report(personal: list[dict[str, Any]], lookalikes: list[dict[str, Any]]) -> tuple[list[str], list[str], str]:
    missed = [m for m in map(_missed, personal) if m]
    changed = [c for c in map(_changed, lookalikes) if c]
    rates = f"caught {len(personal) - len(missed)}/{len(personal)}, false positives {len(changed)}/{len(lookalikes)}"
    return missed, changed, rates


# ----------------------------------------------------------------------------------------- corpus


def test_corpus_is_large_and_spread_over_languages() -> None:
    assert len(PERSONAL) >= 100 and len(LOOKALIKES) >= 40
    for language in LANGUAGES:
        assert sum(c["lang"] == language for c in PERSONAL) >= 15, language
        assert any(c["lang"] == language for c in LOOKALIKES), language
    for case in PERSONAL:
        assert case["lang"] in LANGUAGES and case["kind"] and case["secrets"], case
        assert all(s in case["text"] for s in case["secrets"] + case.get("keep", [])), case
    for case in LOOKALIKES:
        assert case["lang"] in LANGUAGES and case["kind"] and case["text"], case


def test_whole_corpus_every_secret_removed_and_no_lookalike_changed() -> None:
    missed, changed, rates = _report(PERSONAL, LOOKALIKES)
    assert not missed and not changed, rates + "\nmissed:\n" + "\n".join(missed) + "\nchanged:\n" + "\n".join(changed)


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language(language: str) -> None:
    personal = [c for c in PERSONAL if c["lang"] == language]
    lookalikes = [c for c in LOOKALIKES if c["lang"] == language]
    missed, changed, rates = _report(personal, lookalikes)
    assert not missed and not changed, (
        f"{language}: {rates}\nmissed:\n" + "\n".join(missed) + "\nchanged:\n" + "\n".join(changed)
    )


def test_redaction_is_idempotent_on_the_whole_corpus() -> None:
    """privacy.tracker_store and the logging filter redact text that was redacted already."""
    for case in PERSONAL + LOOKALIKES:
        once = redact(case["text"])
        assert redact(once) == once, (case["text"], once)


@pytest.mark.parametrize(
    "text",
    [
        "a" * 5000,
        "1 " * 2500,
        "1-" * 2500,
        "a.a@" * 1250,
        "me llamo " + "ana " * 1240,
        "calle " + "x " * 2495,
        "mwen rele " * 500,
        "12 de marzo de " * 330,
        "ana arroba " * 450,
        "1 rue a b c " * 450,
    ],
)
def test_adversarial_input_does_not_hang(text: str) -> None:
    start = time.perf_counter()
    redact(text)
    assert time.perf_counter() - start < 0.5


# ----------------------------------------------------------------------------------------- examples


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mi numero es 55 1234 5678", "mi numero es [telefono]"),
        ("llamame al +52 (962) 123-4567 porfa", "llamame al [telefono] porfa"),
        ("whatsapp 9621234567", "whatsapp [telefono]"),
        ("escribeme a maria.lopez@gmail.com", "escribeme a [correo]"),
        ("mi CURP es GOAM850101MCSRRR09", "mi CURP es [CURP]"),
        ("pasaporte G12345678", "pasaporte [documento]"),
        ("constancia AB123456", "constancia [documento]"),
        ("expediente 2023123", "expediente [numero]"),
        ("me llamo Ana Lopez y tengo 15 años", "me llamo [nombre] y tengo 15 años"),
        ("mwen rele Jean, m gen 15 an", "mwen rele [nombre], m gen 15 an"),
        ("vivo en calle hidalgo 23 col centro, tapachula", "vivo en [direccion], tapachula"),
        ("naci el 12 de marzo de 2010", "naci el [fecha]"),
        ("mi rfc GOMA 850101 HX5", "mi rfc [RFC]"),
        ("folio 12345/2024", "folio [folio]"),
        ("mi tel es 123-4567", "mi tel es [telefono]"),
        # dates written year first, with month names in each language, with dots
        ("nacio el 2015-06-14", "nacio el [fecha]"),
        ("llegamos el 3 de septiembre de 2023", "llegamos el [fecha]"),
        ("born on 12 december 2015", "born on [fecha]"),
        ("ne le 5 decembre 2019", "ne le [fecha]"),
        ("li fet 5 desanm 2019", "li fet [fecha]"),
        ("la fecha 14.06.2019", "la fecha [fecha]"),
        # e-mail written without the domain ending, or with "at"
        ("escribeme a juan.perez@gmail", "escribeme a [correo]"),
        ("mi correo es juanp at hotmail", "mi correo es [correo]"),
        # addresses with the number last or first, in French
        ("rue victor hugo 12, paris", "[direccion], paris"),
        ("12 rue victor hugo", "[direccion]"),
        ("mari mwen rele Pierre", "mari mwen rele [nombre]"),
    ],
)
def test_personal_data_is_replaced(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "tengo 15 años y 3 hijos",
        "llegue hace 30 dias, en 2024",
        "llama al 911",
        "C.P. 11510",
        "hola",
        "mwen rele 911",
        "mwen te rele COMAR",
        "my name is on the list",
        "perdi mi curp",
        "01 800 715 2000",
        # a street followed by a length of time is not an address
        "estuvimos en la calle juarez 3 dias",
        "vivimos en calle morelos 2 años",
        "rue lafayette 3 jours",
    ],
)
def test_ordinary_text_is_kept(text: str) -> None:
    assert redact(text) == text


# ----------------------------------------------------------------------------------------- rules one by one
# Each case pins one decision of a pattern or of its callback (found by mutation testing, docs/testing.md).


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Creole "mari" is a first name, or "husband" when a possessive follows
        ("m rele Mari", "m rele [nombre]"),
        ("hola, m rele Mari Jozef", "hola, m rele [nombre]"),
        ("m rele mari m", "m rele mari m"),
        ("mwen rele mari li", "mwen rele mari li"),
        # a name stops at the first word that cannot be part of it, and what follows is kept
        ("me llamo Ana de Tapachula", "me llamo [nombre] de Tapachula"),
        # a street name cut before its first function word; the rest of the message kept
        ("j'habite 12 rue victor hugo et mes enfants", "j'habite [direccion] et mes enfants"),
        ("12 ri Pave ak pitit mwen", "[direccion] ak pitit mwen"),
        ("je suis au 12 rue Lafayette et demain je pars", "je suis au [direccion] et demain je pars"),
        # "de", "la" inside a street name are part of it
        ("vivo en calle de la paz 23", "vivo en [direccion]"),
        # each e-mail rule writes the same placeholder: an address without a known provider or a dot,
        # with spaces around the @, spelled out, or with a bare "at"
        ("escribeme a ana@midominio", "escribeme a [correo]"),
        ("mail jean@ngo-haiti.org.ht", "mail [correo]"),
        ("correo: juanito_88 @ hotmail.com", "correo: [correo]"),
        ("mi correo es ana.perez arroba gmail punto com", "mi correo es [correo]"),
        ("my email is john at yahoo.com please", "my email is [correo] please"),
        # month names in every language the date rule knows
        ("nacio el 5 de junio de 2012", "nacio el [fecha]"),
        ("llegue el 12 setiembre 2019", "llegue el [fecha]"),
        ("li fet 12 out 2019", "li fet [fecha]"),
    ],
)
def test_each_rule_decides_as_written(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "una pantalla de 1920 x 1080",  # a letter between digit groups is no separator
        "mide 1200 X 2400 X 300",
        "12 rue de la",  # a street "name" of connectors only is no address
        # a number followed by a unit of time or a count of people is no house number
        "we waited on street Hidalgo 3 hours",
        "nou nan lari Delmas 2 timoun",
        "nou nan lari Delmas 2 pitit",
        "dormimos en la calle con 2 niños",  # a function word where the street name would be
    ],
)
def test_each_rule_leaves_alone_what_it_must(text: str) -> None:
    assert redact(text) == text
