"""Who sits on the Commission, grouped as in its founding document, from the directory."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from actions.base import DirectoryAction
from actions.directory import localized


def _with_acronym(name: str, acronym: str) -> str:
    """"Fondo de las Naciones Unidas para la Infancia (UNICEF)", unless the name already shows it."""
    parts = [p.strip() for p in acronym.split("/")]
    return name if any(p in name for p in parts) else f"{name} ({acronym})"


class ActionCommissionMembers(DirectoryAction):
    """Fills `member_lines` for `utter_commission_members`."""

    def name(self) -> str:
        return "action_commission_members"

    def lookup(self, tracker: Tracker, language: str) -> dict[str, Any]:
        blocks = []
        for group, members in self.directory.members_by_group():
            if members:
                names = "\n".join(f"• {_with_acronym(localized(m.names, language), m.acronym)}" for m in members)
                blocks.append(f"{localized(group.label, language)}\n{names}")
        return {"lookup_result": "members", "member_lines": "\n\n".join(blocks)}
