"""action_cite_fact: each procedural fact is answered with its source from the directory."""

from __future__ import annotations

import pytest

from actions.asylum_facts import ActionCiteFact
from tests.conftest import make_tracker, run_action


@pytest.mark.parametrize(
    ("intent", "source_part"),
    [
        ("ask_asylum_deadline", "gob.mx/comar"),
        ("ask_procedure_cost", "sauzaricoabogados.com"),
        ("ask_asylum_obligations", "rimap.unhcr.org"),
        ("ask_best_interest", "dif.slp.gob.mx"),
        ("need_child_detained", "derechosinfancia.org.mx"),
    ],
)
def test_fact_source_by_intent(intent: str, source_part: str) -> None:
    _, slots = run_action(ActionCiteFact(), make_tracker("...", intent))
    assert slots["lookup_result"] == "fact"
    assert source_part in slots["fact_source"]


def test_unknown_intent_cites_nothing() -> None:
    _, slots = run_action(ActionCiteFact(), make_tracker("hola", "greet"))
    assert slots == {"lookup_result": "fact_unknown", "fact_source": ""}
