"""Follow-ups keep the thread: action_follow_up, and contacts and offices that follow the topic."""

from __future__ import annotations

from typing import Any

import yaml
from rasa_sdk import Tracker

from actions.contacts import ActionInstitutionContacts
from actions.directory import get_directory
from actions.follow_up import KNOWN, ActionFollowUp
from actions.local_contacts import ActionLocalContacts
from actions.offices import ActionFindOffices
from tests.conftest import ROOT, entity, make_tracker, run_action

RULES = yaml.safe_load((ROOT / "data" / "rules" / "follow_up.yml").read_text(encoding="utf-8"))["rules"]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


def slot_event(name: str, value: Any) -> dict[str, Any]:
    return {"event": "slot", "name": name, "value": value}


def with_events(tracker: Tracker, events: list[dict[str, Any]]) -> Tracker:
    tracker.events = events
    return tracker


def test_asylum_then_how_long_gives_comars_term_with_its_source() -> None:
    _, slots = run_action(ActionFollowUp(), make_tracker("y cuanto tarda?", "ask_how_long", slots={"topic": "asylum"}))
    assert slots["lookup_result"] == "how_long_asylum"
    assert slots["fact_source"].startswith("https://www.gob.mx/comar")
    assert slots["institution_acronym"] == "COMAR"


def test_how_long_for_a_topic_without_a_fact_points_to_the_official_website() -> None:
    tracker = make_tracker("how long it take", "ask_how_long", slots={"topic": "discrimination", "language": "en"})
    _, slots = run_action(ActionFollowUp(), tracker)
    assert slots["lookup_result"] == "no_fact"
    assert slots["institution_acronym"] == "CONAPRED"
    assert slots["website"] == "https://www.conapred.org.mx"


def test_documents_after_asylum_are_the_tvrh_documents_of_inm() -> None:
    _, slots = run_action(
        ActionFollowUp(), make_tracker("que papeles necesito", "ask_documents_needed", slots={"topic": "asylum"})
    )
    assert slots["lookup_result"] == "documents_tvrh"
    assert slots["institution_acronym"] == "INM"
    assert slots["website"] == "https://www.gob.mx/inm"
    assert "contigosinfronteras.org" in slots["fact_source"]


def test_without_a_topic_the_remembered_institution_gives_it() -> None:
    tracker = make_tracker("cuanto tarda", "ask_how_long", slots={"institution": "comar"})
    _, slots = run_action(ActionFollowUp(), tracker)
    assert slots["lookup_result"] == "how_long_asylum"


def test_without_any_topic_it_asks_which_procedure() -> None:
    _, slots = run_action(ActionFollowUp(), make_tracker("cuanto tarda", "ask_how_long"))
    assert slots == {"lookup_result": "no_topic"}


def test_and_for_my_children_gives_child_protection_and_leaves_the_local_line_to_the_next_action() -> None:
    _, slots = run_action(
        ActionFollowUp(), make_tracker("i pa los niños?", "ask_for_children", slots={"topic": "asylum"})
    )
    assert slots["lookup_result"] == "children"
    assert slots["institution_acronym"] == "COMAR"  # "say so when you talk to COMAR"
    assert "Procuraduría de Protección" in slots["institution_role"]
    assert "contact_lines" not in slots  # the state's line comes from action_local_contacts


def test_every_known_fact_is_in_the_directory() -> None:
    ids = {fact.id for fact in get_directory().facts}
    assert {fact_id for fact_id, _ in KNOWN.values()} <= ids


def test_every_result_has_a_variation_in_its_response() -> None:
    responses = {
        "how_long": "utter_follow_up_how_long",
        "documents": "utter_follow_up_documents",
    }
    for (kind, _), (_, result) in KNOWN.items():
        values = {
            c["value"] for v in DOMAIN["responses"][responses[kind]] for c in v.get("condition", [])
            if c["name"] == "lookup_result"
        }
        assert {result, "no_fact", "no_fact_contacts", "unavailable"} <= values


def test_rules_run_the_action_then_the_response() -> None:
    steps = {rule["steps"][0]["intent"]: [s["action"] for s in rule["steps"][1:]] for rule in RULES}
    assert steps["ask_how_long"] == ["action_follow_up", "utter_follow_up_how_long", "action_after_answer"]
    assert steps["ask_documents_needed"] == ["action_follow_up", "utter_follow_up_documents", "action_after_answer"]
    assert steps["ask_for_children"] == [
        "action_follow_up", "utter_follow_up_for_children", "action_local_contacts", "action_after_answer"
    ]
    assert steps["inform_place"] == [
        "action_find_offices", "utter_offices", "action_local_contacts", "action_after_answer"
    ]


def test_a_child_alone_sets_the_child_protection_topic_and_cost_keeps_the_topic() -> None:
    mappings = DOMAIN["slots"]["topic"]["mappings"]
    assert {"type": "from_intent", "intent": "child_alone", "value": "child_protection"} in mappings
    assert not any(m.get("intent") == "ask_procedure_cost" for m in mappings)


def test_who_do_i_call_after_a_child_alone_gives_the_national_bodies_and_no_other_states_line() -> None:
    """With the state unknown, no state's line is shown (action_local_contacts then asks where they are)."""
    tracker = make_tracker("a quien llamo?", "ask_contacts", slots={"topic": "child_protection"})
    _, slots = run_action(ActionInstitutionContacts(), tracker)
    assert slots["institution"] == "sndif_pfpnna"
    assert "📞" not in slots.get("contact_lines", "")


def test_a_topic_newer_than_the_remembered_institution_wins() -> None:
    tracker = with_events(
        make_tracker("who do i call", "ask_contacts", slots={"institution": "comar", "topic": "child_protection"}),
        [slot_event("institution", "comar"), slot_event("topic", "child_protection")],
    )
    _, slots = run_action(ActionInstitutionContacts(), tracker)
    assert slots["institution"] == "sndif_pfpnna"


def test_an_institution_newer_than_the_topic_wins() -> None:
    tracker = with_events(
        make_tracker("and their email?", "ask_contacts", slots={"institution": "acnur", "topic": "asylum"}),
        [slot_event("topic", "asylum"), slot_event("institution", "acnur")],
    )
    _, slots = run_action(ActionInstitutionContacts(), tracker)
    assert slots["institution"] == "acnur"
    assert slots["institution_name"] != "COMAR · INM · ACNUR / UNHCR"


def test_a_place_alone_after_asylum_gives_the_asylum_offices_there() -> None:
    tracker = make_tracker("Tapachula", "inform_place", [entity("place", "Tapachula")], {"topic": "asylum"})
    _, slots = run_action(ActionFindOffices(), tracker)
    assert slots["lookup_result"] == "offices_found"
    assert slots["place_name"] == "Tapachula, Chiapas"
    assert "📍 COMAR · Tapachula, Chiapas" in slots["office_lines"]
    assert "CNDH" not in slots["office_lines"]


def test_a_place_alone_after_a_complaint_gives_the_cndh_contacts_there() -> None:
    tracker = make_tracker("nou nan Tijuana", "inform_place", [entity("place", "Tijuana")],
                           {"topic": "human_rights_complaint", "language": "ht"})
    _, slots = run_action(ActionFindOffices(), tracker)
    assert slots["lookup_result"] == "offices_topic_contacts"
    assert slots["institution_acronym"] == "CNDH"
    assert "📞 800 715 2000" in slots["contact_lines"]
    assert "🌐 https://www.cndh.org.mx" in slots["contact_lines"]


def test_a_place_alone_after_a_child_alone_gives_that_states_child_protection_line() -> None:
    tracker = make_tracker("estoy en monterrey", "inform_place", [entity("place", "monterrey")],
                           {"topic": "child_protection"})
    _, slots = run_action(ActionFindOffices(), tracker)
    assert "800 831 8884" not in slots.get("contact_lines", "")  # DIF Morelos, never in Nuevo León
    messages, _ = run_action(ActionLocalContacts(), tracker)  # the next action of the inform_place rule
    assert messages[0]["response"] == "utter_local_found"
    assert "📞 075" in messages[0]["local_lines"]  # DIF Nuevo León (directory/states/nuevo_leon.yml)


def test_where_do_i_complain_after_discrimination_gives_conapred() -> None:
    tracker = make_tracker("donde me quejo?", "ask_offices", slots={"topic": "discrimination"})
    _, slots = run_action(ActionFindOffices(), tracker)
    assert slots["lookup_result"] == "offices_all"
    assert slots["institution_acronym"] == "CONAPRED"
    assert "📍 CONAPRED" in slots["office_lines"]


def test_a_place_without_a_topic_still_lists_every_office_there() -> None:
    tracker = make_tracker("Tapachula", "inform_place", [entity("place", "Tapachula")])
    _, slots = run_action(ActionFindOffices(), tracker)
    assert slots["lookup_result"] == "offices_found"


def test_how_long_for_an_institution_named_now_that_does_not_handle_the_topic_is_about_that_institution() -> None:
    tracker = make_tracker("y cuanto tarda conapred?", "ask_how_long", [entity("institution", "conapred")],
                           {"topic": "asylum"})
    _, slots = run_action(ActionFollowUp(), tracker)
    assert slots["lookup_result"] == "no_fact"
    assert slots["institution_acronym"] == "CONAPRED"


def test_how_long_after_who_do_i_call_stays_on_the_topic() -> None:
    """"Who do I call?" remembers the topic's first institution (COMAR): the topic still answers."""
    tracker = with_events(
        make_tracker("y cuanto tarda", "ask_how_long", slots={"topic": "asylum", "institution": "comar"}),
        [slot_event("topic", "asylum"), slot_event("institution", "comar")],
    )
    _, slots = run_action(ActionFollowUp(), tracker)
    assert slots["lookup_result"] == "how_long_asylum"


def test_documents_after_child_detention_then_who_do_i_call_stay_on_child_detention() -> None:
    tracker = with_events(
        make_tracker("q papeles llevo", "ask_documents_needed",
                     slots={"topic": "child_detention", "institution": "sndif_pfpnna"}),
        [slot_event("topic", "child_detention"), slot_event("institution", "sndif_pfpnna")],
    )
    _, slots = run_action(ActionFollowUp(), tracker)
    assert slots["lookup_result"] == "no_fact"
    assert slots["institution_acronym"] == "CNDH"  # the first of child_detention with a website


def test_a_remembered_institution_newer_than_the_topic_and_outside_it_gives_its_topic() -> None:
    tracker = with_events(
        make_tracker("how long does it take", "ask_how_long", slots={"topic": "discrimination", "institution": "comar",
                                                                       "language": "en"}),
        [slot_event("topic", "discrimination"), slot_event("institution", "comar")],
    )
    _, slots = run_action(ActionFollowUp(), tracker)
    assert slots["lookup_result"] == "how_long_asylum"


def test_an_institution_without_a_referral_topic_keeps_the_conversations_topic() -> None:
    tracker = make_tracker("cuanto tarda el senado", "ask_how_long", [entity("institution", "senado")],
                           {"topic": "asylum"})
    _, slots = run_action(ActionFollowUp(), tracker)
    assert slots["lookup_result"] == "how_long_asylum"


def test_cost_for_children_and_how_long_after_every_topic_are_answered() -> None:
    """Every topic of the conversation gives an answer, never "which procedure?"."""
    topics = ["asylum", "immigration_status", "child_protection", "child_detention", "human_rights_complaint",
              "discrimination", "crime_victims", "voluntary_return", "humanitarian_aid"]
    for topic in topics:
        for intent in ("ask_how_long", "ask_documents_needed", "ask_for_children"):
            _, slots = run_action(ActionFollowUp(), make_tracker("?", intent, slots={"topic": topic}))
            assert slots["lookup_result"] != "no_topic", (topic, intent)
        _, contacts = run_action(ActionInstitutionContacts(), make_tracker("?", "ask_contacts", slots={"topic": topic}))
        assert contacts["lookup_result"] == "contacts_found", topic
        _, offices = run_action(ActionFindOffices(), make_tracker("?", "ask_offices", slots={"topic": topic}))
        assert offices["lookup_result"] != "offices_need_place", topic


def test_bc_for_because_is_not_baja_california() -> None:
    """"They refused me bc im haitian" then "where?" must not look in Baja California."""
    from actions.places import get_gazetteer

    assert get_gazetteer().find_in_text("they refused me bc im haitian") is None
    assert get_gazetteer().resolve("bc") is None
    tijuana = get_gazetteer().find_in_text("we are in tijuana bc")
    assert tijuana is not None and tijuana.state == "Baja California"
