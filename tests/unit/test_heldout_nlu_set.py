"""The held-out NLU sets (tests/nlu/<lang>.yml, scored by `make nlu`) are held out: a line that is also
training data in data/ would be predicted from memory and inflate the macro-F1 that `make nlu` gates on."""

from __future__ import annotations

import pytest
import yaml

from common.text import fold
from tests.conftest import ROOT
from tests.realistic.evaluate import LANGUAGES
from tests.unit.test_realistic_set import EXAMPLE_LINE, training_lines


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_held_out_line_is_training_data(language: str) -> None:
    training = training_lines()
    leaked = [text for _, text in heldout_pairs(language) if fold(text) in training]
    assert not leaked, f"lines of tests/nlu/{language}.yml found in data/: {leaked}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_intent_of_the_held_out_set_has_examples(language: str) -> None:
    document = yaml.safe_load((ROOT / "tests" / "nlu" / f"{language}.yml").read_text(encoding="utf-8"))
    empty = [block["intent"] for block in document["nlu"] if not str(block.get("examples") or "").strip()]
    assert not empty, f"intents without held-out examples in tests/nlu/{language}.yml: {empty}"


def heldout_pairs(language: str) -> set[tuple[str, str]]:
    """(intent, line) of every held-out example, as written (entity annotations kept)."""
    document = yaml.safe_load((ROOT / "tests" / "nlu" / f"{language}.yml").read_text(encoding="utf-8"))
    return {
        (block["intent"], match.group(1))
        for block in document["nlu"]
        for line in str(block.get("examples") or "").splitlines()
        if (match := EXAMPLE_LINE.match(line))
    }


@pytest.mark.parametrize("probe", ["greeting_probe.yml", "greeting_probe_short.yml"])
def test_the_greeting_probe_is_part_of_the_held_out_set(probe: str) -> None:
    """tools/experiments/greeting_probe*.yml copy held-out lines to score them apart; a copy that drifts from
    tests/nlu would be scored under another label, or could end up in data/ unnoticed."""
    document = yaml.safe_load((ROOT / "tools" / "experiments" / probe).read_text(encoding="utf-8"))
    for language, by_intent in document.items():
        held = heldout_pairs(language)
        probed = [(intent, text) for intent, texts in by_intent.items() for text in texts]
        missing = [pair for pair in probed if pair not in held]
        assert not missing, f"{probe}, {language}: not held out under the same intent in tests/nlu: {missing}"
