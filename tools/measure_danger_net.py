"""Recall and false alarms of the danger net alone on its development set (safety/emergency_dev.yml).

    .venv/bin/python tools/measure_danger_net.py [--verbose] [--set safety/emergency_holdout.yml]

`--set` measures any file in the format of the development set (default: safety/emergency_dev.yml).
Prints, per language: urgent messages caught (with the right intent: `self_harm` for self-harm,
`emergency` for the rest) and calm messages that fired. Exit status 1 below recall 1.0 or above 10 %
false alarms in any language.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from components.danger_patterns import SELF_HARM, DangerNet, load_spec  # noqa: E402

DEV_SET = ROOT / "safety" / "emergency_dev.yml"
MAX_FALSE_ALARMS = 0.10


@dataclass
class Score:
    urgent: int = 0
    caught: int = 0
    calm: int = 0
    false_alarms: int = 0
    missed: list[str] = field(default_factory=list)
    alarms: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.caught / self.urgent if self.urgent else 1.0

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.calm if self.calm else 0.0


def measure(net: DangerNet, dev: dict[str, Any]) -> dict[str, Score]:
    scores: dict[str, Score] = {}
    for language, block in dev.items():
        score = scores.setdefault(language, Score())
        for item in block.get("urgent") or []:
            score.urgent += 1
            expected = SELF_HARM if item["category"] == SELF_HARM else "emergency"
            found = net.find(item["text"])
            if found is not None and found.intent == expected:
                score.caught += 1
            else:
                score.missed.append(f"{item['category']}: {item['text']} -> {found}")
        for text in block.get("calm") or []:
            score.calm += 1
            found = net.find(text)
            if found is not None:
                score.false_alarms += 1
                score.alarms.append(f"{text} -> {found.category}")
    return scores


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--verbose", action="store_true", help="list every miss and false alarm")
    parser.add_argument("--set", type=Path, default=DEV_SET, help="messages to measure (default: %(default)s)")
    args = parser.parse_args()
    net = DangerNet(load_spec())
    scores = measure(net, yaml.safe_load(args.set.read_text(encoding="utf-8")))
    ok = True
    print(f"{'lang':5} {'recall':>14} {'false alarms':>16}")
    for language, s in scores.items():
        print(f"{language:5} {s.caught:>3}/{s.urgent:<3} {s.recall:5.2f}  "
              f"{s.false_alarms:>3}/{s.calm:<3} {s.false_alarm_rate:6.1%}")
        ok &= s.recall == 1.0 and s.false_alarm_rate <= MAX_FALSE_ALARMS
        if args.verbose or not ok:
            for line in s.missed:
                print(f"  MISSED {line}")
            for line in s.alarms:
                print(f"  FALSE ALARM {line}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
