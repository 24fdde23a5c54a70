"""Measure the follow-up development set (tests/conversations/dev_<lang>.yml) on a running assistant.

Each conversation is said turn by turn on the REST channel; it ends right when a response expected for its
last turn was uttered (FOLLOW_UP_RESPONSES / MAIN_RESPONSE in tests/realistic/evaluate.py) and the `topic`
slot is the conversation's topic. This is a development set: the data was fixed against it, so its
numbers are not a held-out measure (that is `make eval`).

    # against a stack that is already running (Rasa with --enable-api and the e2e token):
    PYTHONPATH=. .venv/bin/python tools/measure_conversations.py --url http://127.0.0.1:18005
    # or start one with the e2e launcher (ports from E2E_RASA_PORT / E2E_ACTION_PORT):
    PYTHONPATH=. .venv/bin/python tools/measure_conversations.py --start
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import yaml

from tests.realistic.evaluate import FOLLOW_UP_RESPONSES, LANGUAGES, MAIN_RESPONSE, TOPIC_SLOT, Assistant
from tools.stack import API_TOKEN, Stack, running_stack

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "tests" / "conversations"


def load(language: str) -> list[dict[str, Any]]:
    data = yaml.safe_load((DEV / f"dev_{language}.yml").read_text(encoding="utf-8")) or {}
    return list(data.get("conversations") or [])


def judge(assistant: Assistant, case: dict[str, Any]) -> dict[str, Any]:
    expect = case["expect"]
    uttered, topic = assistant.converse([str(t) for t in case["turns"]])
    wanted = FOLLOW_UP_RESPONSES.get(expect.get("ask") or "") or {MAIN_RESPONSE[expect["topic"]]}
    right = bool(wanted & set(uttered)) and topic == TOPIC_SLOT[expect["topic"]]
    return {"right": right, "turns": case["turns"], "expect": expect, "uttered": uttered, "topic": topic}


def measure(assistant: Assistant, languages: list[str], workers: int) -> dict[str, list[dict[str, Any]]]:
    results: dict[str, list[dict[str, Any]]] = {}
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for language in languages:
            results[language] = list(pool.map(lambda c: judge(assistant, c), load(language)))
    return results


def report(results: dict[str, list[dict[str, Any]]]) -> None:
    for language, cases in results.items():
        for case in cases:
            if not case["right"]:
                uttered = [u for u in case["uttered"] if u not in {"None", "action_after_answer"}]
                print(f"  MISS [{language}] {case['turns']} expect={case['expect']} "
                      f"uttered={uttered} topic={case['topic']}")
    print("\nlang  right/total")
    total = right = 0
    for language, cases in results.items():
        ok = sum(c["right"] for c in cases)
        total += len(cases)
        right += ok
        print(f"{language:5} {ok:>3}/{len(cases)}")
    print(f"all   {right:>3}/{total}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:18005", help="a running Rasa (with --enable-api)")
    parser.add_argument("--token", default=API_TOKEN)
    parser.add_argument("--start", action="store_true", help="start the stack with the e2e launcher")
    parser.add_argument("--languages", nargs="*", default=list(LANGUAGES))
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args(argv)
    if args.start:
        with tempfile.TemporaryDirectory() as workdir:
            stack = Stack.on_test_ports(Path(workdir))
            with running_stack(stack):
                results = measure(Assistant(stack.rasa_url, args.token), args.languages, args.workers)
    else:
        results = measure(Assistant(args.url, args.token), args.languages, args.workers)
    report(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
