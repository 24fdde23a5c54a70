"""action_institution_contacts: contacts by institution or by topic, with sources and dates."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlparse

from actions.contacts import ActionInstitutionContacts, contact_lines
from actions.directory import Phone, get_directory
from actions.places import Place
from tests.conftest import entity, make_tracker, run_action


def test_cndh_contacts_with_sources_and_check_date() -> None:
    """Every phone and the website of the directory's CNDH entry, each phone's source site and date, and the
    oldest check date (the values come from the directory, not from this test)."""
    _, slots = run_action(
        ActionInstitutionContacts(),
        make_tracker("telefono de la cndh", "ask_contacts", [entity("institution", "cndh")]),
    )
    cndh = get_directory().resolve("cndh")
    assert cndh is not None and cndh.phones and cndh.website
    assert slots["lookup_result"] == "contacts_found"
    for phone in cndh.phones:
        assert f"📞 {phone.number} — {phone.label['es']}" in slots["contact_lines"]
        site = urlparse(phone.source).netloc.removeprefix("www.")
        assert f"{site} ({phone.source_date})" in slots["sources"]
    assert f"🌐 {cndh.website.url}" in slots["contact_lines"]
    assert slots["verified_on"] == min(item.verified_on for item in cndh.sourced_items())


def test_labels_follow_the_language() -> None:
    _, slots = run_action(
        ActionInstitutionContacts(),
        make_tracker("conapred number", "ask_contacts", [entity("institution", "conapred")], {"language": "en"}),
    )
    assert "Complaints and orientation, toll-free" in slots["contact_lines"]


def test_remembered_institution_is_used_when_none_is_named() -> None:
    tracker = make_tracker("y su telefono?", "ask_contacts", slots={"institution": "inm"})
    _, slots = run_action(ActionInstitutionContacts(), tracker)
    assert slots["institution"] == "inm"
    inm = get_directory().resolve("inm")
    assert inm is not None and inm.phones[0].number in slots["contact_lines"]


def test_topic_gives_the_institutions_that_handle_it() -> None:
    _, slots = run_action(
        ActionInstitutionContacts(), make_tracker("a donde llamo", "ask_contacts", slots={"topic": "asylum"})
    )
    assert slots["lookup_result"] == "contacts_found"
    assert slots["institution"] == "comar"
    assert slots["institution_name"] == "COMAR · INM · ACNUR / UNHCR"
    assert "▸ COMAR" in slots["contact_lines"]
    assert "▸ INM" in slots["contact_lines"]


def test_no_state_line_is_shown_by_the_national_contacts() -> None:
    """State lines are in directory/states/ and reach people through action_local_contacts, in their state only."""
    _, slots = run_action(
        ActionInstitutionContacts(),
        make_tracker("telefono del dif", "ask_contacts", [entity("institution", "sndif_pfpnna")], {"place": "Morelos"}),
    )
    assert "800 831 8884" not in slots.get("contact_lines", "")
    assert all(phone.state is None for i in get_directory().institutions for phone in i.phones)


def test_institution_without_verified_contacts() -> None:
    _, slots = run_action(
        ActionInstitutionContacts(),
        make_tracker("numero de la conago", "ask_contacts", [entity("institution", "conago")]),
    )
    assert slots["lookup_result"] == "contacts_none"
    assert slots["institution_acronym"] == "CONAGO"


def test_nothing_known_asks_whose_contacts() -> None:
    _, slots = run_action(ActionInstitutionContacts(), make_tracker("dame el numero", "ask_contacts"))
    assert slots == {"lookup_result": "contacts_unknown"}


def test_a_one_state_phone_is_shown_only_in_that_state_never_when_the_state_is_unknown() -> None:
    """The Morelos line used to reach families in every state whose state was unknown."""
    morelos = Phone(number="800 000 0000", label={"es": "línea de Morelos", "en": "Morelos line"},
                    state="Morelos", source="https://example.org", source_date=None, verified_on="2026-12-06",
                    confidence="medium")
    dif = get_directory().get("sndif_pfpnna")
    assert dif is not None
    dif = replace(dif, phones=(morelos,))
    shown = {where: "\n".join(contact_lines(dif, "es", place)[0])
             for where, place in (("unknown", None), ("Morelos", Place("Morelos")), ("Chiapas", Place("Chiapas")))}
    assert "800 000 0000" in shown["Morelos"]
    assert "800 000 0000" not in shown["unknown"] and "800 000 0000" not in shown["Chiapas"]
