"""Offices of an institution, by Mexican state or city."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from actions.base import DirectoryAction, cite
from actions.contacts import contact_lines
from actions.directory import Institution, Office, Sourced, localized
from actions.places import Place

MAX_INSTITUTIONS = 3


def office_line(institution: Institution, office: Office, language: str) -> str:
    """One office on a phone screen; an unknown street address is simply left out."""
    line = f"📍 {institution.acronym} · {office.city}, {office.state}"
    if office.address:
        line += f"\n{office.address}"
    if office.hours:
        line += f"\n🕒 {localized(office.hours, language)}"
    return line


def in_place(office: Office, place: Place) -> bool:
    return office.state == place.state


class ActionFindOffices(DirectoryAction):
    """Fills `office_lines` and `place_name` for `utter_offices`.

    lookup_result:
      `offices_found`       offices in the place (of one institution, or of all);
      `offices_elsewhere`   the institution has no office in that state: its other offices;
      `offices_none_here`   nobody in the directory has an office in that state;
      `offices_all`         no place given: every office of the institution;
      `offices_none_listed` the institution has no office in the directory;
      `offices_need_place`  neither place nor institution: ask where they are;
      `offices_topic_contacts` no institution named, but the conversation has a topic whose institutions have
                            no office in that place: their phones there and their websites.
    With no institution named (or the conversation moved on to a topic since), the topic's institutions are
    searched: "Tapachula" after asking for asylum gives COMAR, INM and UNHCR offices in Chiapas.
    """

    def name(self) -> str:
        return "action_find_offices"

    def lookup(self, tracker: Tracker, language: str) -> dict[str, Any]:
        institution = self.institution_in_thread(tracker)
        place = self.place(tracker)
        values: dict[str, Any] = {}
        if place:
            values.update(place=place.display, place_name=place.display)
        by_topic = [] if institution else self.directory.for_topic(tracker.get_slot("topic"))[:MAX_INSTITUTIONS]
        if by_topic:
            return {**values, **self._for_topic(by_topic, place, language)}
        if institution:
            values.update(
                institution=institution.id,
                institution_name=localized(institution.names, language),
                institution_acronym=institution.acronym,
                website=institution.website.url if institution.website else "",
            )
        result, pairs = self._select(institution, place)
        values["lookup_result"] = result
        if pairs:
            ordered = sorted(pairs, key=lambda p: (not _same_city(p[1], place), p[1].state, p[1].city))
            values["office_lines"] = "\n\n".join(office_line(i, o, language) for i, o in ordered)
            values.update(cite([o for _, o in ordered]))
        return values

    def _for_topic(self, institutions: list[Institution], place: Place | None, language: str) -> dict[str, Any]:
        """Offices of the topic's institutions (in the place, if one is known), else their contacts there."""
        acronyms = " · ".join(i.acronym for i in institutions)
        values: dict[str, Any] = {"institution_acronym": acronyms, "institution_name": acronyms}
        pairs = [(i, o) for i in institutions for o in i.offices if place is None or in_place(o, place)]
        if pairs:
            ordered = sorted(pairs, key=lambda p: (not _same_city(p[1], place), p[1].state, p[1].city))
            return {
                **values,
                "lookup_result": "offices_found" if place else "offices_all",
                "office_lines": "\n\n".join(office_line(i, o, language) for i, o in ordered),
                **cite([o for _, o in ordered]),
            }
        if place is None:
            return {**values, "lookup_result": "offices_none_listed"}
        blocks: list[str] = []
        items: list[Sourced] = []
        for institution in institutions:
            lines, found = contact_lines(institution, language, place, phones_only=True)
            if institution.website:
                lines.append(f"🌐 {institution.website.url}")
                found.append(institution.website)
            if lines:
                blocks.append("\n".join([f"▸ {institution.acronym}", *lines]))
                items.extend(found)
        if not blocks:
            return {**values, "lookup_result": "offices_none_here"}
        contacts = "\n\n".join(blocks)
        return {**values, "lookup_result": "offices_topic_contacts", "contact_lines": contacts, **cite(items)}

    def _select(
        self, institution: Institution | None, place: Place | None
    ) -> tuple[str, list[tuple[Institution, Office]]]:
        if institution is None and place is None:
            return "offices_need_place", []
        candidates = [institution] if institution else list(self.directory.institutions)
        everything = [(i, o) for i in candidates for o in i.offices]
        if place is None:
            return ("offices_all", everything) if everything else ("offices_none_listed", [])
        here = [(i, o) for i, o in everything if in_place(o, place)]
        if here:
            return "offices_found", here
        if institution is None:
            return "offices_none_here", []
        return ("offices_elsewhere", everything) if everything else ("offices_none_listed", [])


def _same_city(office: Office, place: Place | None) -> bool:
    return bool(place and place.city and office.city == place.city)
