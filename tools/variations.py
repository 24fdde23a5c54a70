"""The variations of domain.yml's responses, by language: one reading for the tools and tests that check them
(claims, readability, the review file, the domain tests)."""

from __future__ import annotations

from typing import Any

# The slots a variation's language is conditioned on (`card_language`: a referral card in the family's language).
LANGUAGE_SLOTS = ("language", "card_language")
DEFAULT_LANGUAGE = "es"  # the unconditional variation is the Spanish one


def language_of(variation: dict[str, Any]) -> str | None:
    """The language a variation is conditioned on; None for the unconditional (Spanish) default."""
    for condition in variation.get("condition", []):
        if condition["name"] in LANGUAGE_SLOTS:
            return str(condition["value"])
    return None


def split(variation: dict[str, Any]) -> tuple[str, tuple[tuple[str, Any], ...]]:
    """(language, the other conditions) of a variation; the unconditional default is Spanish."""
    others = [(c["name"], c["value"]) for c in variation.get("condition", []) if c["name"] not in LANGUAGE_SLOTS]
    return language_of(variation) or DEFAULT_LANGUAGE, tuple(sorted(others, key=str))


def is_for_workers(variation: dict[str, Any]) -> bool:
    return any(c["name"] == "audience" and c["value"] == "worker" for c in variation.get("condition", []))


def texts(responses: dict[str, list[dict[str, Any]]], families_only: bool = False) -> list[tuple[str, str, str]]:
    """(response, language, text) for every variation with text (`families_only`: not the NGO-worker ones)."""
    return [
        (name, language_of(variation) or DEFAULT_LANGUAGE, variation["text"])
        for name, variations in responses.items()
        for variation in variations
        if variation.get("text") and not (families_only and is_for_workers(variation))
    ]
