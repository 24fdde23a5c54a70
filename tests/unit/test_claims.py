"""One fact, one source: every number and legal reference in a reply is a claim of directory/claims.yml.

A claim records what its source says, the source (the directory's or the dossier's: directory/
reference_sources.yml), the source's date and confidence, the responses that make it, and its words in each
language. Medium- and low-confidence claims are worded as reported ("según", "usually", "selon", "dapre").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from actions.directory import Claim, load_claims
from tools.claims import (
    CLAIMS_FILE,
    LANGUAGES,
    claims_in,
    known_sources,
    markers,
    source_problems,
    uncovered,
    unhedged,
    variations,
)

ROOT = Path(__file__).resolve().parents[2]
RESPONSES: dict[str, list[dict[str, Any]]] = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))[
    "responses"]
CLAIMS = load_claims(CLAIMS_FILE)
VARIATIONS = variations(RESPONSES)
KNOWN = known_sources()


@pytest.mark.parametrize("name", sorted({n for n, _, _ in VARIATIONS}))
def test_every_number_and_legal_reference_in_a_reply_is_a_sourced_claim(name: str) -> None:
    missing = [(language, m.text, text[max(0, m.start - 30):m.end + 30])
               for n, language, text in VARIATIONS if n == name
               for m in uncovered(name, language, text, CLAIMS)]
    assert not missing, f"{name}: add these to directory/claims.yml with their source: {missing}"


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c.id)
def test_every_claim_cites_a_source_of_the_directory_or_the_dossier_no_surer_than_it(claim: Claim) -> None:
    assert source_problems([claim], KNOWN) == []


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c.id)
def test_every_claim_is_made_in_every_language_by_the_responses_it_lists(claim: Claim) -> None:
    for response in claim.responses:
        assert response in RESPONSES, (claim.id, response)
    for language in LANGUAGES:
        made = [n for n, lang, text in VARIATIONS
                if lang == language and claim.id in claims_in(n, lang, text, [claim])]
        assert made, f"{claim.id}: no {language} reply says it in the words listed"


@pytest.mark.parametrize("name", sorted({n for n, _, _ in VARIATIONS}))
def test_medium_and_low_confidence_claims_are_worded_as_reported(name: str) -> None:
    bare = [(language, claim, line) for n, language, text in VARIATIONS if n == name
            for claim, line in unhedged(name, language, text, CLAIMS)]
    assert not bare, f"{name}: say 'según ...' / 'usually' on these lines: {bare}"


def test_the_checker_sees_an_unsourced_article_and_a_deadline() -> None:
    text = "Lo dice la Ley de Migración (artículo 8).\n1. Tienes 15 días. Llama al {emergency_number}."
    found = [m.text for m in markers(text, "es")]
    assert found == ["Ley", "artículo", "8", "15"]
    assert [m.text for m in uncovered("utter_nothing", "es", text, CLAIMS)] == found


def test_a_medium_claim_without_a_hedge_is_caught() -> None:
    claim = Claim(id="x", says="a reported fact", source="https://example.org", source_date=None,
                  confidence="medium", responses=("utter_x",), text={"es": ("15 días",)})
    assert unhedged("utter_x", "es", "Tienes 15 días.", [claim]) == [("x", "Tienes 15 días.")]
    assert unhedged("utter_x", "es", "Según ACNUR, tienes 15 días.", [claim]) == []


def test_a_claim_surer_than_its_source_or_citing_an_unknown_source_is_caught() -> None:
    medium = next(url for url, confidence in KNOWN.items() if confidence == "medium")
    surer = Claim(id="surer", says="x", source=medium, source_date=None, confidence="high", responses=("utter_x",),
                  text={"es": ("x",)})
    unknown = Claim(id="unknown", says="x", source="https://example.org/rumour", source_date=None,
                    confidence="medium", responses=("utter_x",), text={"es": ("x",)})
    assert len(source_problems([surer, unknown], KNOWN)) == 2
