"""What an institution does and whether it sits on the Commission."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from actions.base import DirectoryAction
from actions.directory import localized


class ActionInstitutionInfo(DirectoryAction):
    """Fills `institution_*` slots for `utter_institution_info`.

    lookup_result: `member`, `not_member` (a support line outside the Commission) or `unknown`.
    """

    def name(self) -> str:
        return "action_institution_info"

    def lookup(self, tracker: Tracker, language: str) -> dict[str, Any]:
        institution = self.institution(tracker)
        if institution is None:
            return {"lookup_result": "unknown"}
        group = next((g for g in self.directory.member_groups if g.id == institution.member_group), None)
        return {
            "lookup_result": "member" if institution.is_member else "not_member",
            "institution": institution.id,
            "institution_name": localized(institution.names, language),
            "institution_acronym": institution.acronym,
            "institution_role": localized(institution.role, language),
            "member_group": localized(group.label, language) if group else "",
            "website": institution.website.url if institution.website else "",
        }
