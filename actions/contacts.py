"""Contacts (phones, e-mails, links, website) of an institution, or of those handling a topic."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from actions.base import DirectoryAction, cite
from actions.directory import Institution, Phone, Sourced, get_directory, localized
from actions.places import Place

MAX_INSTITUTIONS = 3
HUMAN_TOPIC = "human_help"  # the directory's lines answered by people


def phone_line(phone: Phone, language: str) -> str:
    """One phone on a phone screen: the number, then what it is, in the person's language."""
    return f"📞 {phone.number} — {localized(phone.label, language)}"


def contact_lines(
    institution: Institution, language: str, place: Place | None, phones_only: bool = False
) -> tuple[list[str], list[Sourced]]:
    """Phone-screen lines for one institution and the items they came from.

    A phone for one state only is shown to people in that state, never to someone whose state is unknown
    (a Morelos line is no help in Chiapas; the state's own line comes from `actions/local_contacts.py`).
    """
    lines: list[str] = []
    items: list[Sourced] = []
    for phone in institution.phones:
        if phone.state and (place is None or phone.state != place.state):
            continue
        lines.append(phone_line(phone, language))
        items.append(phone)
    if phones_only:
        return lines, items
    for email in institution.emails:
        lines.append(f"✉️ {email.address} — {localized(email.label, language)}")
        items.append(email)
    for link in institution.links:
        lines.append(f"🔗 {localized(link.label, language)}: {link.url}")
        items.append(link)
    if institution.website:
        lines.append(f"🌐 {institution.website.url}")
        items.append(institution.website)
    return lines, items


def topic_phone_lines(
    institutions: list[Institution], language: str, place: Place | None, headers: bool
) -> tuple[list[str], list[Sourced]]:
    """The phone lines of several institutions (optionally under "▸ ACRONYM" headers)."""
    lines: list[str] = []
    items: list[Sourced] = []
    for institution in institutions:
        found_lines, found_items = contact_lines(institution, language, place, phones_only=True)
        if found_lines and headers:
            lines.append(f"▸ {institution.acronym}")
        lines.extend(found_lines)
        items.extend(found_items)
    return lines, items


def main_contacts(language: str) -> str:
    """The lines answered by people (topic `human_help`), kept in the `main_contacts` slot from the start of
    a conversation so a reply can give them even when a lookup is impossible (action server down)."""
    lines, _ = topic_phone_lines(get_directory().for_topic(HUMAN_TOPIC), language, None, headers=True)
    return "\n".join(lines)


class ActionInstitutionContacts(DirectoryAction):
    """Fills `contact_lines` for `utter_contacts`.

    lookup_result: `contacts_found`, `contacts_none` (nothing verified: the response says where
    to ask instead) or `contacts_unknown` (no institution or topic yet: the response asks which).
    """

    def name(self) -> str:
        return "action_institution_contacts"

    def lookup(self, tracker: Tracker, language: str) -> dict[str, Any]:
        institution = self.institution_in_thread(tracker)
        institutions = [institution] if institution else self.directory.for_topic(tracker.get_slot("topic"))
        if not institutions:
            return {"lookup_result": "contacts_unknown"}
        place = self.place(tracker)
        blocks: list[str] = []
        items: list[Sourced] = []
        for inst in institutions[:MAX_INSTITUTIONS]:
            lines, found = contact_lines(inst, language, place)
            if lines:
                header = [] if len(institutions) == 1 else [f"▸ {inst.acronym}"]
                blocks.append("\n".join(header + lines))
                items.extend(found)
        shown = institutions[:MAX_INSTITUTIONS]
        first = shown[0]
        values: dict[str, Any] = {
            "institution": first.id,
            # One institution: its full name; several (a topic): their acronyms.
            "institution_name": localized(first.names, language)
            if len(shown) == 1
            else " · ".join(i.acronym for i in shown),
            "institution_acronym": first.acronym,
        }
        if not blocks:
            return {**values, "lookup_result": "contacts_none"}
        return {**values, "lookup_result": "contacts_found", "contact_lines": "\n\n".join(blocks), **cite(items)}
