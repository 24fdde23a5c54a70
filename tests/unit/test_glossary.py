"""The glossary's terms (docs/glossary.yml) are rendered the same way in every reply of a language.

For each term, every French, English or Creole reply whose Spanish original uses the term's Spanish form uses
the term's form in its own language (the words before any parenthesis), and no reply uses a variant from the
glossary's `avoid` list.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tools.review import spanish_for, split

ROOT = Path(__file__).resolve().parents[2]
RESPONSES: dict[str, list[dict[str, Any]]] = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))[
    "responses"]
GLOSSARY = yaml.safe_load((ROOT / "docs" / "glossary.yml").read_text(encoding="utf-8"))
LANGUAGES = ("en", "fr", "ht")


def core(form: str) -> str:
    """The words a reply must use: the form before its explanation in parentheses."""
    return form.split(" (")[0].strip().casefold()


def renderings(term: str, language: str) -> list[tuple[str, str]]:
    """(response, conditions) of each `language` reply whose Spanish original uses `term` but it does not."""
    forms = GLOSSARY["terms"][term]
    # The Spanish form is matched as written (lower case), so an official name in title case ("Ley sobre
    # Refugiados, Protección Complementaria y Asilo Político") is not taken for the term.
    spanish, wanted = forms["es"].split(" (")[0].strip(), core(forms[language])
    missing = []
    for name, variations in RESPONSES.items():
        for variation in variations:
            variation_language, others = split(variation)
            if variation_language != language:
                continue
            if spanish in spanish_for(variations, others) and wanted not in variation["text"].casefold():
                missing.append((name, str(dict(others))))
    return missing


@pytest.mark.parametrize("term", sorted(GLOSSARY["terms"]))
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_reply_renders_a_glossary_term_the_glossarys_way(term: str, language: str) -> None:
    missing = renderings(term, language)
    wanted = core(GLOSSARY["terms"][term][language])
    assert not missing, f"{term}: these {language} replies do not say {wanted!r}: {missing}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_reply_uses_a_variant_the_glossary_avoids(language: str) -> None:
    """The variants the fr/ht review found next to the glossary's terms (one institution named three ways,
    "porte plainte" against "dépose une plainte", calques)."""
    for name, variations in RESPONSES.items():
        for variation in variations:
            if split(variation)[0] != language:
                continue
            for wrong, right in (GLOSSARY.get("avoid") or {}).get(language, {}).items():
                assert wrong not in variation.get("text", ""), f"{name} ({language}): {wrong!r} -> {right!r}"
                titles = " ".join(b["title"] for b in variation.get("buttons", []))
                assert wrong not in titles, f"{name} ({language}) button: {wrong!r} -> {right!r}"


def test_french_replies_quote_with_guillemets() -> None:
    for name, variations in RESPONSES.items():
        for variation in variations:
            if split(variation)[0] == "fr":
                assert not re.search(r"[“”]", variation["text"]), name


def test_a_missing_term_is_caught() -> None:
    global RESPONSES
    saved = RESPONSES
    RESPONSES = {"utter_x": [{"text": "Puedes poner una queja."},
                             {"condition": [{"type": "slot", "name": "language", "value": "fr"}],
                              "text": "Tu peux faire une réclamation."}]}
    try:
        assert renderings("complaint", "fr") == [("utter_x", "{}")]
    finally:
        RESPONSES = saved
