"""How well does the "Did you mean...?" fallback work, and where should its threshold be?

For each held-out NLU set (tests/nlu/<lang>.yml) and each candidate threshold of the FallbackClassifier,
parse every example with the trained model and report:

* fallback: how many messages fall under the threshold (top intent below it, or the top two closer than
  the ambiguity threshold) and so get buttons instead of an answer;
* right in buttons: of those, how many have the right intent among the buttons action_suggest_topics
  would send (topic intents only; small talk is never offered);
* answered wrong: messages above the threshold answered with the wrong intent (no chance to correct);
* right in <= 1 click: answered right directly, or the right topic among the buttons.

Each row is for one threshold and one floor (the smallest score a topic needs to be offered, MIN_CONFIDENCE
in actions/fallback.py).

Usage: .venv/bin/python tools/measure_fallback.py [--model models/current.tar.gz] [--thresholds 0.3 0.4 0.5]
       [--floors 0.05 0.1]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from actions.fallback import MIN_CONFIDENCE, candidates, get_titles  # noqa: E402

logger = logging.getLogger(__name__)

AMBIGUITY = 0.05  # config.yml: FallbackClassifier ambiguity_threshold
FALLBACK = "nlu_fallback"


@dataclass
class Tally:
    total: int = 0
    fallback: int = 0
    fallback_topic: int = 0
    right_in_buttons: int = 0
    answered_right: int = 0
    answered_wrong: int = 0
    missed: list[str] = field(default_factory=list)

    def row(self, language: str, threshold: float, floor: float) -> str:
        in_buttons = f"{self.right_in_buttons}/{self.fallback_topic}"
        one_click = self.answered_right + self.right_in_buttons
        return (
            f"{language:>4} {threshold:>5.2f} {floor:>5.2f} {self.total:>6} {self.fallback:>9} {in_buttons:>17} "
            f"{self.answered_wrong:>14} {one_click / max(self.total, 1):>16.3f}"
        )


def is_unsure(ranking: list[dict[str, Any]], threshold: float) -> bool:
    """FallbackClassifier's test: top below the threshold, or the top two too close."""
    if not ranking:
        return True
    top = float(ranking[0]["confidence"])
    second = float(ranking[1]["confidence"]) if len(ranking) > 1 else 0.0
    return top < threshold or top - second < AMBIGUITY


def classify(parse: dict[str, Any], expected: str, threshold: float, floor: float, tally: Tally) -> None:
    titles = get_titles()
    ranking = sorted(
        (i for i in parse.get("intent_ranking") or [] if i.get("name") != FALLBACK),
        key=lambda i: -float(i["confidence"]),
    )
    tally.total += 1
    predicted = (parse.get("intent") or {}).get("name")
    if predicted == "emergency" or not is_unsure(ranking, threshold):
        # The emergency guard overrides the classifier whatever the threshold.
        answer = predicted if predicted not in (FALLBACK, None) else ranking[0]["name"]
        if answer == expected:
            tally.answered_right += 1
        else:
            tally.answered_wrong += 1
        return
    tally.fallback += 1
    if expected in titles.titles:
        tally.fallback_topic += 1
        if expected in candidates(ranking, titles, floor=floor):
            tally.right_in_buttons += 1
        else:
            tally.missed.append(expected)


async def parse_all(model: Path, files: list[Path]) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    from rasa.core.agent import Agent
    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)
    agent = Agent.load(str(model))
    parsed: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for path in files:
        data = load_data(str(path))
        parsed[path.stem] = [
            (str(m.get("intent")), await agent.parse_message(str(m.get("text")))) for m in data.intent_examples
        ]
    return parsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "current.tar.gz")
    parser.add_argument("--thresholds", type=float, nargs="+", default=[0.3, 0.4, 0.5])
    parser.add_argument("--floors", type=float, nargs="+", default=[MIN_CONFIDENCE])
    parser.add_argument("files", type=Path, nargs="*", default=sorted((ROOT / "tests" / "nlu").glob("*.yml")))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)

    parsed = asyncio.run(parse_all(args.model, args.files))
    print(f"{'lang':>4} {'thr':>5} {'floor':>5} {'n':>6} {'fallback':>9} {'right in buttons':>17} "
          f"{'answered wrong':>14} {'right <= 1 click':>16}")
    for threshold in args.thresholds:
        for floor in args.floors:
            overall = Tally()
            for language, examples in parsed.items():
                tally = Tally()
                for expected, parse in examples:
                    classify(parse, expected, threshold, floor, tally)
                    classify(parse, expected, threshold, floor, overall)
                print(tally.row(language, threshold, floor))
            print(overall.row("all", threshold, floor))
            if overall.missed:
                print(f"{'':>17}right topic not offered: {', '.join(sorted(set(overall.missed)))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
