"""Measure the topic development set (tests/topics/<lang>.yml) on a trained NLU model.

Each single question is parsed by the model in-process (rasa.core.agent.Agent, the whole NLU pipeline, so
the fallback and the emergency net count) and compared with its label; an item with several needs is right
on its `intent` or any of its `also`. Prints, per language, the accuracy and the "didn't understand" rate
(nlu_fallback, or out_of_scope for an in-scope question), the accuracy per intent over all languages, and
with --verbose every miss with the intent given and its confidence.

This is a development set: the training data is tuned against it, so its numbers are not a held-out
measure (that is tests/realistic/, `make eval`).

    .venv/bin/rasa train nlu --out models --fixed-model-name nlu
    PYTHONPATH=. .venv/bin/python tools/measure_topics.py --model models/nlu.tar.gz [--verbose] [es en]
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SET = ROOT / "tests" / "topics"
LANGUAGES = ("es", "en", "fr", "ht")
NOT_UNDERSTOOD = {"nlu_fallback"}
OUT_OF_SCOPE = "out_of_scope"


def load(language: str) -> list[dict[str, Any]]:
    """The questions of one language: text, intent and optionally `also` (other accepted intents)."""
    data = yaml.safe_load((SET / f"{language}.yml").read_text(encoding="utf-8")) or {}
    return list(data.get("questions") or [])


@dataclass
class Miss:
    text: str
    expected: str
    predicted: str
    confidence: float


@dataclass
class Result:
    questions: int = 0
    right: int = 0
    in_scope: int = 0
    not_understood: int = 0
    by_intent: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    misses: list[Miss] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.right / self.questions if self.questions else 0.0

    @property
    def not_understood_rate(self) -> float:
        return self.not_understood / self.in_scope if self.in_scope else 0.0


def score(result: Result, item: dict[str, Any], parse: dict[str, Any]) -> None:
    expected = str(item["intent"])
    accepted = {expected, *map(str, item.get("also") or [])}
    intent = parse.get("intent") or {}
    predicted = str(intent.get("name"))
    right = predicted in accepted
    result.questions += 1
    result.right += right
    tally = result.by_intent[expected]
    tally[0] += right
    tally[1] += 1
    if expected != OUT_OF_SCOPE:
        result.in_scope += 1
        result.not_understood += predicted in NOT_UNDERSTOOD or predicted == OUT_OF_SCOPE
    if not right:
        result.misses.append(Miss(str(item["text"]), expected, predicted, float(intent.get("confidence") or 0.0)))


def measure(model: Path, languages: list[str]) -> dict[str, Result]:
    from tools.nlu_parse import load_agent, parse

    agent = load_agent(model)
    results: dict[str, Result] = {}
    for language in languages:
        result = results[language] = Result()
        items = load(language)
        for item, parsed in zip(items, parse(agent, [str(item["text"]) for item in items]), strict=True):
            score(result, item, parsed)
    return results


def report(results: dict[str, Result], verbose: bool) -> None:
    print("\nTOPIC DEV SET (tests/topics/, a development set: tuned against)")
    print(f"{'lang':5} {'right/total':>12} {'accuracy':>9} {'didnt-understand':>17}")
    right = total = 0
    for language, result in results.items():
        right += result.right
        total += result.questions
        print(f"{language:5} {result.right:>5}/{result.questions:<6} {result.accuracy:>9.3f} "
              f"{result.not_understood_rate:>17.3f}")
    print(f"{'all':5} {right:>5}/{total:<6} {right / total if total else 0.0:>9.3f}")
    print("\nper intent (right/total, all languages, worst first)")
    intents: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for result in results.values():
        for intent, (ok, n) in result.by_intent.items():
            intents[intent][0] += ok
            intents[intent][1] += n
    for intent, (ok, n) in sorted(intents.items(), key=lambda kv: (kv[1][0] / kv[1][1], kv[0])):
        print(f"  {intent:30} {ok:>3}/{n:<3} {ok / n:.2f}")
    if verbose:
        print("\nmisses")
        for language, result in results.items():
            for miss in result.misses:
                print(f"  [{language}] {miss.expected} -> {miss.predicted} ({miss.confidence:.2f}): {miss.text}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "nlu.tar.gz")
    parser.add_argument("--verbose", "-v", action="store_true", help="print every miss")
    parser.add_argument("languages", nargs="*", default=list(LANGUAGES))
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    logging.getLogger("rasa").setLevel(logging.ERROR)
    sys.path.insert(0, str(ROOT))  # the pipeline's custom components (components/)
    results = measure(args.model, args.languages)
    report(results, args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
