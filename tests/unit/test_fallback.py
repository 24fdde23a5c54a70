"""action_suggest_topics: the likely topics as buttons when the NLU is unsure, else the general menu."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from actions.fallback import ActionSuggestTopics, candidates, get_titles
from tests.conftest import entity, make_tracker, run_action, run_sync

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
LANGUAGES = ("es", "en", "fr", "ht")
RULES = [
    step["intent"]
    for path in (ROOT / "data" / "rules").glob("*.yml")
    for rule in yaml.safe_load(path.read_text(encoding="utf-8")).get("rules", [])
    for step in rule["steps"]
    if "intent" in step
]


def ranking(*scores: tuple[str, float]) -> list[dict[str, Any]]:
    return [{"name": name, "confidence": confidence} for name, confidence in scores]


def unsure(text: str, *scores: tuple[str, float], language: str = "es", **parse_data: Any) -> Any:
    return make_tracker(
        text,
        "nlu_fallback",
        slots={"language": language},
        intent_ranking=ranking(("nlu_fallback", 0.4), *scores),
        **parse_data,
    )


def test_every_intent_is_a_topic_with_a_title_or_is_never_offered() -> None:
    titles = get_titles()
    intents = set(DOMAIN["intents"]) | {"nlu_fallback"}
    assert not titles.not_topics & set(titles.titles), "an intent is both a topic and not a topic"
    assert set(titles.titles) | titles.not_topics == intents, "every intent needs a title or a place in not_topics"


@pytest.mark.parametrize("intent", sorted(get_titles().titles))
def test_every_topic_has_a_title_in_every_language_and_an_answer(intent: str) -> None:
    texts = get_titles().titles[intent]
    assert set(texts) == set(LANGUAGES), intent
    assert all(t.strip() for t in texts.values()), intent
    assert intent in RULES, f"clicking /{intent} must reach a rule with its answer"


def test_the_suggestion_wording_speaks_every_language() -> None:
    variations = DOMAIN["responses"]["utter_suggest_topics"]
    languages = {c["value"] for v in variations for c in v.get("condition", []) if c["name"] == "language"}
    assert languages == set(LANGUAGES) and any("condition" not in v for v in variations)
    assert "action_suggest_topics" in DOMAIN["actions"]
    for variation in variations:  # the last button, "something else", opens the general menu
        assert variation["buttons"][-1]["payload"] == "/help"
        assert len(variation["buttons"]) == int(variation.get("condition", [{}, {"value": 3}])[-1]["value"]) + 1


def test_candidates_drop_small_talk_and_unlikely_topics_and_keep_three() -> None:
    found = candidates(
        ranking(
            ("nlu_fallback", 0.4),
            ("greet", 0.35),
            ("need_asylum", 0.3),
            ("ask_asylum_deadline", 0.2),
            ("affirm", 0.15),
            ("need_immigration_status", 0.12),
            ("need_complaint", 0.11),
            ("ask_offices", 0.05),
        ),
        get_titles(),
    )
    assert found == ["need_asylum", "ask_asylum_deadline", "need_immigration_status"]


@lru_cache(maxsize=1)
def rasa_domain() -> Any:
    from rasa.shared.core.domain import Domain

    return Domain.load(str(ROOT / "domain.yml"))


def rendered(slots: dict[str, Any], response: str = "utter_suggest_topics") -> dict[str, Any]:
    """The response as Rasa renders it with these slots (the templated NLG of the real domain)."""
    from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.events import SlotSet
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = rasa_domain()
    events = [SlotSet(name, value) for name, value in slots.items()]
    tracker = DialogueStateTracker.from_events("test", events, slots=domain.slots)
    message = run_sync(TemplatedNaturalLanguageGenerator(domain.responses).generate(response, tracker, "rest"))
    assert message is not None
    return dict(message)


def test_unsure_message_gets_the_likely_topics_as_buttons() -> None:
    tracker = unsure("y lo de los papeles del asilo?", ("need_asylum", 0.33), ("need_immigration_status", 0.3),
                     ("thank", 0.2), ("ask_asylum_deadline", 0.12), ("ask_offices", 0.02))
    messages, slots = run_action(ActionSuggestTopics(), tracker)
    assert messages == []
    assert slots == {
        "suggestions": "some", "suggestion_count": "3",
        "suggestion_1": "Pedir asilo", "suggestion_1_payload": "/need_asylum",
        "suggestion_2": "Papeles migratorios", "suggestion_2_payload": "/need_immigration_status",
        "suggestion_3": "Plazo para pedir asilo", "suggestion_3_payload": "/ask_asylum_deadline",
    }
    message = rendered(slots)
    assert "¿Quisiste decir…?" in message["text"]
    assert message["buttons"] == [
        {"title": "Pedir asilo", "payload": "/need_asylum"},
        {"title": "Papeles migratorios", "payload": "/need_immigration_status"},
        {"title": "Plazo para pedir asilo", "payload": "/ask_asylum_deadline"},
        {"title": "Otra cosa", "payload": "/help"},
    ]


@pytest.mark.parametrize(
    ("language", "question", "first", "last"),
    [("en", "Did you mean…?", "Ask for asylum", "Something else"),
     ("fr", "Tu voulais dire…?", "Demander l'asile", "Autre chose"),
     ("ht", "Èske ou te vle di…?", "Mande azil", "Lòt bagay"),
     ("es", "¿Quisiste decir…?", "Pedir asilo", "Otra cosa")],
)
def test_two_buttons_in_the_conversation_language(language: str, question: str, first: str, last: str) -> None:
    tracker = unsure("asylum thing??", ("need_asylum", 0.3), ("need_complaint", 0.2), language=language)
    _, slots = run_action(ActionSuggestTopics(), tracker)
    assert slots["suggestion_count"] == "2" and slots["suggestion_3"] is None
    message = rendered({"language": language, **slots})
    titles = [b["title"] for b in message["buttons"]]
    assert question in message["text"]
    assert titles[0] == first and titles[-1] == last and len(titles) == 3


def test_a_named_institution_goes_with_the_click() -> None:
    tracker = unsure("comar??", ("ask_contacts", 0.3), ("ask_offices", 0.25),
                     entities=[entity("institution", "comar")])
    _, slots = run_action(ActionSuggestTopics(), tracker)
    payloads = [b["payload"] for b in rendered(slots)["buttons"]]
    assert payloads == ['/ask_contacts{"institution": "comar"}', '/ask_offices{"institution": "comar"}', "/help"]


def test_no_likely_topic_gives_the_general_menu() -> None:
    tracker = unsure("asdfgh", ("greet", 0.3), ("need_asylum", 0.05), ("out_of_scope", 0.2))
    messages, slots = run_action(ActionSuggestTopics(), tracker)
    assert messages == [] and slots["suggestions"] == "none" and slots["suggestion_count"] == "0"
    assert all(slots[f"suggestion_{n}"] is None for n in (1, 2, 3))


def test_a_message_without_ranking_gives_the_general_menu() -> None:
    _, slots = run_action(ActionSuggestTopics(), make_tracker("???", "nlu_fallback"))
    assert slots["suggestions"] == "none"


def test_the_rules_branch_on_whether_a_topic_was_found() -> None:
    rules = yaml.safe_load((ROOT / "data" / "rules" / "fallback.yml").read_text(encoding="utf-8"))["rules"]
    replies = {rule["steps"][2]["slot_was_set"][0]["suggestions"]: rule["steps"][3]["action"] for rule in rules}
    assert replies == {"some": "utter_suggest_topics", "none": "utter_fallback"}
    assert all(rule["steps"][:2] == [{"intent": "nlu_fallback"}, {"action": "action_suggest_topics"}]
               for rule in rules)
