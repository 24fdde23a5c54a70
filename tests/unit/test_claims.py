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

from actions.directory import Claim, Directory, load_claims, load_directory
from tools.claims import CLAIMS_FILE, LANGUAGES, claims_in, markers, uncovered, unhedged, variations

ROOT = Path(__file__).resolve().parents[2]
RESPONSES: dict[str, list[dict[str, Any]]] = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))[
    "responses"]
CLAIMS = load_claims(CLAIMS_FILE)
VARIATIONS = variations(RESPONSES)
RANK = {None: 1, "low": 0, "medium": 1, "high": 2}


def directory_sources(directory: Directory) -> dict[str, str]:
    """Every source the directory cites, with the best confidence it gives it."""
    found: dict[str, str] = {}
    items: list[Any] = [*directory.facts]
    for institution in directory.institutions:
        items += institution.sourced_items()
    for state in directory.states.values():
        items += state.sourced_items()
    for item in items:
        if RANK[item.confidence] >= RANK[found.get(item.source)]:
            found[item.source] = item.confidence
    return found


def known_sources() -> dict[str, str | None]:
    register = yaml.safe_load((ROOT / "directory" / "reference_sources.yml").read_text(encoding="utf-8"))
    known: dict[str, str | None] = {s["url"]: s["confidence"] for s in register["sources"]}
    for url, confidence in directory_sources(load_directory(ROOT / "directory" / "referral_directory.yml")).items():
        if url not in known or RANK[confidence] > RANK[known[url]]:
            known[url] = confidence
    return known


@pytest.mark.parametrize("name", sorted({n for n, _, _ in VARIATIONS}))
def test_every_number_and_legal_reference_in_a_reply_is_a_sourced_claim(name: str) -> None:
    missing = [(language, m.text, text[max(0, m.start - 30):m.end + 30])
               for n, language, text in VARIATIONS if n == name
               for m in uncovered(name, language, text, CLAIMS)]
    assert not missing, f"{name}: add these to directory/claims.yml with their source: {missing}"


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c.id)
def test_every_claim_cites_a_source_of_the_directory_or_the_dossier_no_surer_than_it(claim: Claim) -> None:
    known = known_sources()
    assert claim.source in known, f"{claim.id}: {claim.source} is in neither the directory nor the dossier"
    assert RANK[claim.confidence] <= RANK[known[claim.source]], (claim.id, claim.confidence, known[claim.source])


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
