"""The buttons under an answer, built from the directory: one owner for "who handles this topic", no institution
payloads in the domain, every topic reachable from some intent and every institution from some topic."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk.executor import CollectingDispatcher

from actions import contacts, definitions, emergency, follow_up, self_harm
from actions.after_answer import ActionAfterAnswer
from actions.directory import get_directory
from actions.fallback import get_titles
from actions.next_steps import NextSteps, NextStepsError, buttons, get_next_steps, parse
from tests.conftest import make_tracker, run_sync

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_TEXT = (ROOT / "domain.yml").read_text(encoding="utf-8")
DOMAIN = yaml.safe_load(DOMAIN_TEXT)
RESPONSES = DOMAIN["responses"]
STEPS = get_next_steps()
LANGUAGES = ("es", "en", "fr", "ht")


def after_answer(answer: str, language: str = "es", lookup_result: str | None = None) -> list[dict[str, Any]]:
    """The messages action_after_answer sends after `answer` (notices already shown)."""
    slots = {"language": language, "lookup_result": lookup_result, "privacy_notice_shown": True,
             "legal_notice_shown": True}
    tracker = make_tracker("...", "need_asylum", slots=slots)
    tracker.events = [
        {"event": "user", "text": "...", "parse_data": {"intent": {"name": "need_asylum"}}},
        {"event": "bot", "text": "...", "metadata": {"utter_action": answer}},
    ]
    dispatcher = CollectingDispatcher()
    run_sync(ActionAfterAnswer().run(dispatcher, tracker, DOMAIN))
    return dispatcher.messages


# --- what the person sees -------------------------------------------------------------------------------------
def test_asylum_answer_offers_comar_its_offices_the_next_questions_details_and_feedback() -> None:
    [message] = after_answer("utter_need_asylum")
    assert message["response"] == "utter_next_steps"
    assert [(b["title"], b["payload"]) for b in message["buttons"]] == [
        ("📞 Contactos: COMAR", '/ask_contacts{"institution":"comar"}'),
        ("📍 Oficinas: COMAR", '/ask_offices{"institution":"comar"}'),
        ("Plazo para pedir asilo", "/ask_asylum_deadline"),
        ("Qué hacer después", "/ask_asylum_obligations"),
        ("📄 Más detalles", "/ask_more_details"),
        ("👍", "/feedback_good"),
        ("👎", "/feedback_bad"),
    ]


def test_the_institution_on_a_button_is_named_the_glossary_way_in_each_language() -> None:
    titles = {lang: [b["title"] for b in after_answer("utter_need_humanitarian_help", lang)[0]["buttons"]]
              for lang in LANGUAGES}
    assert titles["fr"][0] == "📞 Contacts : HCR (ACNUR)"
    assert titles["ht"][0] == "📞 Kontak: ACNUR"
    assert titles["en"][0] == "📞 Contacts: UNHCR"


def test_the_main_institution_of_the_topic_gets_the_button_so_a_change_in_the_directory_moves_it() -> None:
    directory = get_directory()
    moved = directory.__class__(**{**directory.__dict__, "topics": {**directory.topics, "asylum": ("inm", "comar")}})
    found = buttons(STEPS["utter_need_asylum"], moved, get_titles(), "en")
    assert found[0] == {"title": "📞 Contacts: INM", "payload": '/ask_contacts{"institution":"inm"}'}


def test_an_answer_for_one_lookup_result_gets_no_buttons_after_another() -> None:
    assert after_answer("utter_follow_up_how_long", lookup_result="how_long_asylum")
    assert after_answer("utter_follow_up_how_long", lookup_result="no_topic") == []


def test_which_institution_is_a_list_of_the_main_institutions_under_its_own_words() -> None:
    [message] = after_answer("utter_contacts", "fr", lookup_result="contacts_unknown")
    assert message["response"] == "utter_choose_institution"
    assert [b["title"] for b in message["buttons"]] == ["COMAR", "INM", "CNDH", "CONAPRED", "HCR (ACNUR)", "OIM"]
    assert all(b["payload"].startswith('/ask_contacts{"institution":"') for b in message["buttons"])


def test_an_answer_without_buttons_sends_nothing_more() -> None:
    assert after_answer("utter_goodbye") == []


def test_an_unknown_key_in_the_file_is_refused() -> None:
    with pytest.raises(NextStepsError):
        parse({"answers": {"utter_need_asylum": {"topics": "asylum"}}})


def test_no_contacts_and_no_feedback_leaves_only_the_offices() -> None:
    found = buttons(NextSteps(topic="child_protection", contacts=0, offices=True, feedback=False),
                    get_directory(), get_titles(), "es")
    assert [b["payload"] for b in found] == ['/ask_offices{"institution":"sndif_pfpnna"}']


# --- the data is consistent -----------------------------------------------------------------------------------
@pytest.mark.parametrize("answer", sorted(STEPS))
def test_every_entry_names_things_that_exist(answer: str) -> None:
    steps, directory, titles = STEPS[answer], get_directory(), get_titles()
    assert answer in RESPONSES, answer
    if steps.topic is not None:
        assert steps.topic in directory.topics, (answer, steps.topic)
        assert len(directory.for_topic(steps.topic)) >= steps.contacts, (answer, "fewer institutions than buttons")
    for intent in steps.next:
        assert intent in DOMAIN["intents"], (answer, intent)
        assert all(titles.title(intent, lang) for lang in LANGUAGES), (answer, intent, "no title")
    if steps.choose:
        assert steps.choose.intent in DOMAIN["intents"]
        assert all(t in directory.topics for t in steps.choose.topics)
    if steps.when:
        values = {c["value"] for v in RESPONSES[answer] for c in v.get("condition", []) if c["name"] == "lookup_result"}
        assert steps.when in values, (answer, steps.when)
    assert buttons(steps, directory, titles, "es"), answer


def test_the_domain_holds_no_institution_payloads_and_no_feedback_or_details_buttons() -> None:
    payloads = [b["payload"] for vs in RESPONSES.values() for v in vs for b in v.get("buttons", [])]
    assert not [p for p in payloads if "institution" in p], "institution payloads belong to directory/next_steps.yml"
    assert not [p for p in payloads if p in ("/feedback_good", "/feedback_bad", "/ask_more_details")]


def test_every_button_title_exists_in_every_language() -> None:
    for kind, texts in get_titles().buttons.items():
        assert set(texts) == set(LANGUAGES), kind


# --- one owner per fact: topics -------------------------------------------------------------------------------
def topics_reached() -> dict[str, str]:
    """topic -> how an intent reaches it: the `topic` slot's mappings, the answers' buttons, the actions' own."""
    reached = {m["value"]: f"intent {m['intent']}" for m in DOMAIN["slots"]["topic"]["mappings"] if "intent" in m}
    for answer, steps in STEPS.items():
        for topic in (steps.topic, *(steps.choose.topics if steps.choose else ())):
            if topic:
                reached.setdefault(topic, f"the buttons of {answer}")
    for module, constant in ((contacts, "HUMAN_TOPIC"), (definitions, "RUMOR_TOPIC"), (emergency, "EMERGENCY_TOPIC"),
                             (follow_up, "CHILDREN_TOPIC"), (self_harm, "MENTAL_HEALTH_TOPIC")):
        reached.setdefault(getattr(module, constant), f"{module.__name__}.{constant}")
    return reached


def test_every_topic_is_reachable_from_some_intent() -> None:
    unreachable = sorted(set(get_directory().topics) - set(topics_reached()))
    assert unreachable == [], f"topics no intent leads to: {unreachable}"


def test_every_institution_is_reached_from_a_topic_or_is_a_commission_member() -> None:
    """A referral goes through a topic; the Commission's other members (Senate, UNDP...) are reached by name
    (ask_institution) and in the members answer."""
    directory = get_directory()
    in_topics = {i for ids in directory.topics.values() for i in ids}
    lost = [i.id for i in directory.institutions if i.id not in in_topics and not i.is_member]
    assert lost == []


def test_institutions_do_not_list_their_own_topics() -> None:
    raw = yaml.safe_load((ROOT / "directory" / "referral_directory.yml").read_text(encoding="utf-8"))
    assert not [i["id"] for i in raw["institutions"] if "topics" in i], "topics live only in the `topics` map"


# --- a lean domain --------------------------------------------------------------------------------------------
def test_the_domain_is_block_style_with_no_long_lines() -> None:
    start = DOMAIN_TEXT.index("\nresponses:\n")
    flow = [t.start_mark.line + 1 for t in yaml.scan(DOMAIN_TEXT)
            if isinstance(t, (yaml.FlowMappingStartToken, yaml.FlowSequenceStartToken)) and t.start_mark.index > start]
    assert flow == [], f"flow-style collections in the responses at lines {flow[:5]}"
    assert max(len(line) for line in DOMAIN_TEXT.splitlines()) <= 400


def test_every_response_sits_under_its_features_header() -> None:
    features = {p.stem for p in (ROOT / "data" / "rules").glob("*.yml")}
    features |= {p.stem for p in (ROOT / "actions").glob("*.py")}
    headers = re.findall(r"^  # === (\w+) ===", DOMAIN_TEXT, flags=re.M)
    assert headers and set(headers) <= features, set(headers) - features
    assert len(headers) == len(set(headers)), "a feature has two headers"


def test_the_domain_has_no_dead_settings_and_stays_lean() -> None:
    assert "carry_over_slots_to_new_session" not in DOMAIN["session_config"]  # action_session_start decides
    # The wording alone is about 178 KB (four languages, families and NGO workers, details); the rest is structure.
    wording = sum(len(v.get("text", "").encode()) for vs in RESPONSES.values() for v in vs)
    assert len(DOMAIN_TEXT.encode()) - wording <= 70_000  # 154 KB before the buttons moved to the actions
