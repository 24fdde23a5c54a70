"""A compact, forwardable card for a family: the institution, what to ask for, its contacts, that it is
free, and when the contacts were checked; in the family's language, which may differ from the worker's
("una ficha de la COMAR en inglés para la familia")."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from actions.base import DirectoryAction, cite
from actions.contacts import contact_lines
from actions.directory import localized
from actions.follow_up import main_topic
from actions.language import LANGUAGE_CODE
from actions.local_contacts import body_lines, local_body


class ActionReferralCard(DirectoryAction):
    """Fills `card_language` and the card's slots for `utter_referral_card`.

    lookup_result: `card`, `card_no_contacts` (nothing sourced to show: the card says so and where to ask, never
    a blank field) or `card_unknown` (no institution yet: the response asks which). With the family's place known,
    the card starts with that state's office (child protection for the DIF, the state commission for the CNDH).
    """

    def name(self) -> str:
        return "action_referral_card"

    def lookup(self, tracker: Tracker, language: str) -> dict[str, Any]:
        requested = next(iter(tracker.get_latest_entity_values("language")), None)
        card_language = str(requested) if requested and LANGUAGE_CODE.match(str(requested)) else language
        institution = self.institution(tracker)
        if institution is None:
            topic_institutions = self.directory.for_topic(tracker.get_slot("topic"))
            institution = topic_institutions[0] if topic_institutions else None
        if institution is None:
            return {"lookup_result": "card_unknown", "card_language": card_language}
        place = self.place(tracker)
        lines, items = contact_lines(institution, card_language, place)
        body = local_body(self.directory, main_topic(institution, self.directory), place)
        if body and body.sourced_items():
            lines = [*body_lines(body, card_language), *lines]
            items = [*body.sourced_items(), *items]
        values = {
            "card_language": card_language,
            "institution": institution.id,
            "institution_name": f"{localized(institution.names, card_language)} ({institution.acronym})",
            "card_ask_for": localized(institution.ask_for or institution.role, card_language),
        }
        if not items:
            return {**values, "lookup_result": "card_no_contacts"}
        return {**values, "lookup_result": "card", "contact_lines": "\n".join(lines), **cite(items)}
