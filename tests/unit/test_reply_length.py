"""Replies fit a cheap phone's screen: a family reply is at most 600 characters, an NGO worker's at most 900.

Longer content goes into the answer's `_details` response behind the "📄 More details" quick reply (issue 15).
A placeholder counts as 40 characters: slot values are names, numbers and addresses, and the lists actions
build (contacts, shelters) are capped by the actions themselves.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
RESPONSES = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]
PLACEHOLDER = re.compile(r"{[a-z_]+}")
FAMILY_LIMIT = 600
WORKER_LIMIT = 900


def reply_length(text: str) -> int:
    return len(PLACEHOLDER.sub("x" * 40, text))


def limit(variation: dict) -> int:
    worker = {"type": "slot", "name": "audience", "value": "worker"} in variation.get("condition", [])
    return WORKER_LIMIT if worker else FAMILY_LIMIT


def test_reply_length_counts_placeholders_as_40_characters() -> None:
    assert reply_length("Fuente: {fact_source}") == len("Fuente: ") + 40


def test_a_worker_variation_gets_the_longer_limit() -> None:
    assert limit({"condition": [{"type": "slot", "name": "audience", "value": "worker"}]}) == WORKER_LIMIT
    assert limit({"condition": [{"type": "slot", "name": "audience", "value": None}]}) == FAMILY_LIMIT
    assert limit({}) == FAMILY_LIMIT


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_every_variation_fits_its_limit(name: str) -> None:
    too_long = [
        (reply_length(v.get("text", "")), limit(v), v.get("condition"))
        for v in RESPONSES[name]
        if reply_length(v.get("text", "")) > limit(v)
    ]
    assert not too_long, f"{name}: move details into {name}_details: {too_long}"
