"""The topic development set (tests/topics/) is labelled with known intents, spread over the topics and
never copied into training data: any of its lines found in data/ fails here."""

from __future__ import annotations

from collections import Counter

import pytest
import yaml

from common.text import fold
from tests.conftest import ROOT
from tests.unit.test_realistic_set import training_lines
from tools.measure_topics import LANGUAGES, load

MIN_QUESTIONS = 80
DEFINITIONS = {
    "ask_what_is_asylum", "ask_complementary_protection", "ask_constancia", "ask_tvrh", "ask_curp",
    "ask_who_is_victim", "ask_naturalization", "ask_comar_vs_inm",
}


@pytest.fixture(scope="module")
def training() -> set[str]:
    return training_lines()


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_line_of_the_topic_set_is_training_data(language: str, training: set[str]) -> None:
    leaked = [str(q["text"]) for q in load(language) if fold(str(q["text"])) in training]
    assert not leaked, f"lines of tests/topics/{language}.yml found in data/: {leaked}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_set_is_labelled_and_spread(language: str) -> None:
    intents = set(yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["intents"])
    questions = load(language)
    assert len(questions) >= MIN_QUESTIONS
    labels = {str(q["intent"]) for q in questions} | {str(a) for q in questions for a in q.get("also") or []}
    assert labels <= intents, labels - intents
    counts = Counter(str(q["intent"]) for q in questions)
    assert set(counts) >= DEFINITIONS, DEFINITIONS - set(counts)
    assert counts["ask_rumor"] >= 5 and counts["ask_institution"] >= 5
    assert sum(1 for q in questions if q.get("also")) >= 3  # several needs in one message
    texts = [fold(str(q["text"])) for q in questions]
    assert len(texts) == len(set(texts)), [t for t in texts if texts.count(t) > 1]
