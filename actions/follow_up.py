"""Follow-up questions answered against the thread of the conversation.

"How long does it take?", "what documents do I need?" and "and for my children?" are resolved against the
conversation's `topic` slot (else the main topic of the remembered institution). The action fills the slots
of the response that follows it in the rule (`utter_follow_up_how_long`, `utter_follow_up_documents`,
`utter_follow_up_for_children`); `lookup_result` selects the variation. Where the directory holds no fact
for that topic, the reply says so and gives the institution's official website (or its phones).

"Who do I call?" (ask_contacts), "where?" and a place on its own (ask_offices, inform_place) and "how much?"
(ask_procedure_cost) have their own actions, which also follow the topic.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Tracker

from actions.base import DirectoryAction, cite
from actions.contacts import contact_lines
from actions.directory import Directory, Fact, Institution, localized

logger = logging.getLogger(__name__)

# Intent -> kind of follow-up.
KINDS = {"ask_how_long": "how_long", "ask_documents_needed": "documents", "ask_for_children": "children"}
# (kind, topic) -> (fact id in the directory, lookup_result). Anything else is answered honestly as unknown.
KNOWN = {
    ("how_long", "asylum"): ("asylum_duration", "how_long_asylum"),
    ("documents", "asylum"): ("tvrh_documents", "documents_tvrh"),
    ("documents", "immigration_status"): ("tvrh_documents", "documents_tvrh"),
}
# Who a fact's procedure is done with, when not the topic's main institution (its name and site are shown).
FACT_INSTITUTION = {"tvrh_documents": "inm"}
CHILDREN_TOPIC = "child_protection"


def current_topic(tracker: Tracker, directory: Directory, institution: Institution | None = None) -> str | None:
    """The conversation's topic, unless `institution` (named in this message, or remembered and newer than
    the topic) does not handle it: then that institution's main topic. "And how long does CONAPRED take?"
    after asylum is about discrimination; "how long?" after asylum and "who do I call?" (which remembers
    COMAR) stays asylum. Without a topic: the main topic of the remembered institution."""
    topic = tracker.get_slot("topic")
    own = main_topic(institution, directory)
    if institution and own and (not topic or str(topic) not in directory.topics_of(institution)):
        return own
    if topic:
        return str(topic)
    return main_topic(directory.resolve(tracker.get_slot("institution")), directory)


def main_topic(institution: Institution | None, directory: Directory) -> str | None:
    """The topic the directory sends people to `institution` for (where it is the main referral, else the first
    that lists it); None for an institution no topic lists (a Senate commission, a policy unit)."""
    if institution is None:
        return None
    return next(iter(directory.topics_of(institution)), None)


def fact_by_id(directory: Directory, fact_id: str) -> Fact | None:
    return next((f for f in directory.facts if f.id == fact_id), None)


def names(institution: Institution, language: str) -> dict[str, str]:
    return {
        "institution_name": localized(institution.names, language),
        "institution_acronym": institution.acronym,
        "website": institution.website.url if institution.website else "",
    }


class ActionFollowUp(DirectoryAction):
    """Fills `utter_follow_up_<kind>` for the current topic.

    lookup_result:
      `how_long_asylum`, `documents_tvrh`  a fact from the directory (with `fact_source`);
      `children`          who protects children (the role of the child-protection institution; its local line
                          is sent next by action_local_contacts);
      `no_fact`           nothing verified for this topic: the official website of its institution;
      `no_fact_contacts`  the same, for an institution without a website: its contacts;
      `no_topic`          no topic yet: the response asks which procedure.
    """

    def name(self) -> str:
        return "action_follow_up"

    def lookup(self, tracker: Tracker, language: str) -> dict[str, Any]:
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        kind = KINDS.get(intent, "")
        topic = current_topic(tracker, self.directory, self.institution_in_thread(tracker))
        if kind == "children":
            return self._children(topic, language)
        if topic is None or not self.directory.for_topic(topic):
            return {"lookup_result": "no_topic"}
        known = KNOWN.get((kind, topic))
        fact = fact_by_id(self.directory, known[0]) if known else None
        if known and fact:
            issuer = self.directory.get(FACT_INSTITUTION.get(fact.id, "")) or self.directory.for_topic(topic)[0]
            return {
                "lookup_result": known[1],
                "fact_source": fact.source,
                "verified_on": fact.verified_on,
                **names(issuer, language),
            }
        return self._unknown(topic, language)

    def _unknown(self, topic: str, language: str) -> dict[str, Any]:
        """No fact: the official website of the topic's first institution that has one, else its contacts."""
        institutions = self.directory.for_topic(topic)
        with_site = next((i for i in institutions if i.website), None)
        if with_site:
            return {"lookup_result": "no_fact", **names(with_site, language)}
        main = institutions[0]
        lines, items = contact_lines(main, language, None)
        return {
            "lookup_result": "no_fact_contacts",
            **names(main, language),
            "contact_lines": "\n".join(lines) or "—",
            **cite(items),
        }

    def _children(self, topic: str | None, language: str) -> dict[str, Any]:
        """Who protects children (the first child-protection institution); the state's own line follows in
        `action_local_contacts`, which knows the place."""
        protector = self.directory.for_topic(CHILDREN_TOPIC)[0]
        current = self.directory.for_topic(topic)
        return {
            "lookup_result": "children",
            **names(current[0] if current else protector, language),
            "institution_role": localized(protector.role, language),
        }
