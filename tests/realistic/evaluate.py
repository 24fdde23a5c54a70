"""Evaluate the assistant on the realistic set (`make eval`): questions as people write them, collected from
public pages and never used for training (`tests/unit/test_realistic_set.py` fails if a line is in data/).

Starts the same processes as `make run` on loopback (ports 16055/16005 unless E2E_ACTION_PORT /
E2E_RASA_PORT say otherwise) and measures, per language:

* single questions: the intent Rasa gives (`/model/parse`, so the emergency net counts) against the label
  (an item with several needs is right on any of them); per topic; the "didn't understand" rate
  (nlu_fallback, or out_of_scope for an in-scope question); a confusion table of the misses;
* emergencies: recall on the urgent messages (`emergency` or `self_harm`), false alarms on the rest;
* conversations: the response uttered after the last turn and the conversation's topic.

Writes results/realistic.json and prints the report. Exits 1 when a figure is below the floors in
tests/realistic/floors.yml (with --targets: below the issue's targets instead).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
LANGUAGES = ("es", "en", "fr", "ht")
NOT_UNDERSTOOD = {"nlu_fallback"}
OUT_OF_SCOPE = "out_of_scope"
DANGER = {"emergency", "self_harm"}
TARGETS = {"accuracy": 0.95, "not_understood": 0.03, "emergency_recall": 1.0, "false_alarms": 0.10,
           "conversations": 0.95}

# The conversation's topic as the `topic` slot names it.
TOPIC_SLOT = {
    "asylum": "asylum", "immigration_status": "immigration_status", "child_protection": "child_protection",
    "child_detained": "child_detention", "complaint": "human_rights_complaint",
    "discrimination": "discrimination", "crime_victim": "crime_victims", "voluntary_return": "voluntary_return",
    "humanitarian_help": "humanitarian_aid", "us_process": "asylum", "school_health": "child_protection",
    "lost_documents": "asylum",
}
MAIN_RESPONSE = {
    "asylum": "utter_need_asylum", "immigration_status": "utter_need_immigration_status",
    "child_protection": "utter_need_child_protection", "child_detained": "utter_need_child_detained",
    "complaint": "utter_need_complaint", "discrimination": "utter_need_discrimination",
    "crime_victim": "utter_need_crime_victim", "voluntary_return": "utter_need_voluntary_return",
    "humanitarian_help": "utter_need_humanitarian_help", "us_process": "utter_ask_us_process",
    "school_health": "utter_ask_school_health", "lost_documents": "utter_ask_lost_documents",
}
# What answers each kind of follow-up (any one of these responses).
FOLLOW_UP_RESPONSES = {
    "who_to_call": {"utter_contacts"},
    "where": {"utter_offices"},
    "place": {"utter_offices", "utter_contacts"},
    "cost": {"utter_ask_procedure_cost"},
    "how_long": {"utter_follow_up_how_long"},
    "documents": {"utter_follow_up_documents"},
    "for_children": {"utter_follow_up_for_children"},
}


def topic_of(intent: str) -> str:
    """The topic group an intent is reported under (need_asylum -> asylum, ask_tvrh -> tvrh)."""
    for prefix in ("need_", "ask_"):
        if intent.startswith(prefix):
            return intent.removeprefix(prefix)
    return intent


def load_language(language: str) -> dict[str, Any]:
    return dict(yaml.safe_load((HERE / f"{language}.yml").read_text(encoding="utf-8")))


@dataclass
class Report:
    """Counts for one language."""

    questions: int = 0
    right: int = 0
    in_scope: int = 0
    not_understood: int = 0
    by_topic: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    urgent: int = 0
    caught: int = 0
    missed_urgent: list[str] = field(default_factory=list)
    calm: int = 0
    false_alarms: int = 0
    conversations: int = 0
    conversations_right: int = 0
    missed_conversations: list[dict[str, Any]] = field(default_factory=list)

    def figures(self) -> dict[str, float]:
        return {
            "accuracy": self.right / self.questions if self.questions else 0.0,
            "not_understood": self.not_understood / self.in_scope if self.in_scope else 0.0,
            "emergency_recall": self.caught / self.urgent if self.urgent else 0.0,
            "false_alarms": self.false_alarms / self.calm if self.calm else 0.0,
            "conversations": self.conversations_right / self.conversations if self.conversations else 0.0,
        }


class Assistant:
    """The running assistant, over HTTP."""

    def __init__(self, rasa_url: str, token: str) -> None:
        self.url = rasa_url
        self.token = token

    def intent(self, text: str) -> str:
        response = requests.post(f"{self.url}/model/parse", params={"token": self.token},
                                 json={"text": text}, timeout=30)
        response.raise_for_status()
        return str((response.json().get("intent") or {}).get("name"))

    def converse(self, turns: list[str]) -> tuple[list[str], str | None]:
        """Say each turn; return the responses uttered after the last one and the `topic` slot."""
        sender = f"eval-{uuid.uuid4().hex}"
        for turn in turns:
            reply = requests.post(f"{self.url}/webhooks/rest/webhook", json={"sender": sender, "message": turn},
                                  timeout=60)
            reply.raise_for_status()
        tracker = requests.get(f"{self.url}/conversations/rest-{sender}/tracker",
                               params={"token": self.token, "include_events": "ALL"}, timeout=30).json()
        events = tracker.get("events") or []
        users = [i for i, e in enumerate(events) if e.get("event") == "user"]
        if not users:  # nothing was stored (e.g. the message was refused): nothing was answered
            return [], None
        last_user = users[-1]
        uttered = [str((e.get("metadata") or {}).get("utter_action")) for e in events[last_user:]
                   if e.get("event") == "bot"]
        return uttered, (tracker.get("slots") or {}).get("topic")


def evaluate_language(assistant: Assistant, language: str) -> Report:
    data = load_language(language)
    report = Report()
    for item in data.get("questions") or []:
        expected = str(item["intent"])
        accepted = {expected, *map(str, item.get("also") or [])}
        predicted = assistant.intent(str(item["text"]))
        report.questions += 1
        right = predicted in accepted
        report.right += right
        tally = report.by_topic[topic_of(expected)]
        tally[0] += right
        tally[1] += 1
        if not right:
            report.confusion[(expected, predicted)] += 1
        if expected != OUT_OF_SCOPE:
            report.in_scope += 1
            report.not_understood += predicted in NOT_UNDERSTOOD or predicted == OUT_OF_SCOPE
    danger = data.get("emergency") or {}
    for item in danger.get("urgent") or []:
        report.urgent += 1
        caught = assistant.intent(str(item["text"])) in DANGER
        report.caught += caught
        if not caught:
            report.missed_urgent.append(str(item["text"]))
    for item in danger.get("not_urgent") or []:
        report.calm += 1
        report.false_alarms += assistant.intent(str(item["text"])) in DANGER
    for case in data.get("conversations") or []:
        expect = case["expect"]
        uttered, topic = assistant.converse([str(t) for t in case["turns"]])
        wanted = FOLLOW_UP_RESPONSES.get(expect["ask"]) or {MAIN_RESPONSE[expect["topic"]]}
        right = bool(wanted & set(uttered)) and topic == TOPIC_SLOT[expect["topic"]]
        report.conversations += 1
        report.conversations_right += right
        if not right:
            report.missed_conversations.append({"turns": case["turns"], "expect": expect, "uttered": uttered,
                                                "topic": topic})
    return report


def print_report(reports: dict[str, Report]) -> None:
    print("\nREALISTIC SET (tests/realistic/, never trained on)")
    print(f"{'lang':5} {'questions':>10} {'accuracy':>9} {'didnt-understand':>17} {'emergency':>10} "
          f"{'false-alarms':>13} {'conversations':>14}")
    for language, report in reports.items():
        f = report.figures()
        print(f"{language:5} {report.questions:>10} {f['accuracy']:>9.3f} {f['not_understood']:>17.3f} "
              f"{report.caught:>4}/{report.urgent:<5} {report.false_alarms:>6}/{report.calm:<6} "
              f"{report.conversations_right:>6}/{report.conversations:<7}")
    print("\nper topic (right/total, all languages)")
    topics: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for report in reports.values():
        for topic, (right, total) in report.by_topic.items():
            topics[topic][0] += right
            topics[topic][1] += total
    for topic, (right, total) in sorted(topics.items(), key=lambda kv: kv[1][0] / kv[1][1]):
        print(f"  {topic:28} {right:>3}/{total:<3} {right / total:.2f}")
    confusion: Counter[tuple[str, str]] = Counter()
    for report in reports.values():
        confusion.update(report.confusion)
    print("\nconfusions (expected -> predicted: count, all languages)")
    for (expected, predicted), count in confusion.most_common(40):
        print(f"  {expected:28} -> {predicted:28} {count}")
    for language, report in reports.items():
        for text in report.missed_urgent:
            print(f"  MISSED EMERGENCY [{language}]: {text}")
        for case in report.missed_conversations:
            print(f"  MISSED CONVERSATION [{language}]: {case}")


def failures(reports: dict[str, Report], floors: dict[str, float]) -> list[str]:
    found = []
    for language, report in reports.items():
        for name, value in report.figures().items():
            floor = floors[name]
            worse = value > floor if name in {"not_understood", "false_alarms"} else value < floor
            if worse:
                found.append(f"{language} {name} {value:.3f} (limit {floor:.3f})")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--targets", action="store_true", help="check the issue's targets, not the floors")
    parser.add_argument("--languages", nargs="*", default=list(LANGUAGES))
    args = parser.parse_args(argv)
    os.environ.setdefault("E2E_ACTION_PORT", "16055")
    os.environ.setdefault("E2E_RASA_PORT", "16005")
    from tools.stack import API_TOKEN, Stack, running_stack  # the same processes as `make run`

    with tempfile.TemporaryDirectory() as workdir:
        stack = Stack.on_test_ports(Path(workdir))
        with running_stack(stack):
            assistant = Assistant(stack.rasa_url, API_TOKEN)
            reports = {language: evaluate_language(assistant, language) for language in args.languages}
    print_report(reports)
    results = ROOT / "results"
    results.mkdir(exist_ok=True)
    (results / "realistic.json").write_text(json.dumps(
        {language: {**r.figures(), "questions": r.questions, "urgent": r.urgent, "calm": r.calm,
                    "conversations_count": r.conversations} for language, r in reports.items()}, indent=2))
    limits = TARGETS if args.targets else yaml.safe_load((HERE / "floors.yml").read_text(encoding="utf-8"))
    failed = failures(reports, limits)
    for line in failed:
        print(f"BELOW {'TARGET' if args.targets else 'FLOOR'}: {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
