"""Recall and false alarms of the full NLU pipeline (classifier + danger net) on a danger set.

    .venv/bin/python tools/measure_danger_pipeline.py --model models/nlu.tar.gz [--set FILE] [--verbose]

Each message of the set (format of safety/emergency_dev.yml; default safety/emergency_holdout.yml) is parsed
by the trained model: an urgent message is caught when the intent is `emergency` or `self_harm` (self-harm
messages must get `self_harm`); a calm message is a false alarm when it gets either of them.
Prints per language: urgent messages caught by the whole pipeline and, of those, how many the danger net
(safety/emergency_patterns.yml as it is now) recognises; calm messages that got a danger intent and, of
those, how many the net recognises (the rest come from the classifier alone).
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from components.danger_patterns import DangerNet, load_spec  # noqa: E402
from tools.nlu_parse import load_agent, parse  # noqa: E402

DANGER = {"emergency", "self_harm"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "nlu.tar.gz")
    parser.add_argument("--set", type=Path, default=ROOT / "safety" / "emergency_holdout.yml")
    parser.add_argument("--verbose", action="store_true", help="list every miss and false alarm")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    data = yaml.safe_load(args.set.read_text(encoding="utf-8"))
    items: list[tuple[str, str, str | None]] = []  # language, text, expected category (None: calm)
    for language, block in data.items():
        items += [(language, i["text"], i["category"]) for i in block.get("urgent") or []]
        items += [(language, t, None) for t in block.get("calm") or []]
    parsed = parse(load_agent(args.model), [text for _, text, _ in items])
    net = DangerNet(load_spec())
    print(f"{'lang':5} {'recall':>12} {'(net sees)':>11} {'false alarms':>14} {'(net)':>6}")
    for language in data:
        urgent = caught = forced = calm = alarms = net_alarms = 0
        lines: list[str] = []
        for (lang, text, category), result in zip(items, parsed, strict=True):
            if lang != language:
                continue
            intent = (result.get("intent") or {}).get("name")
            by_net = net.find(text) is not None
            if category is not None:
                urgent += 1
                ok = intent == "self_harm" if category == "self_harm" else intent in DANGER
                caught += ok
                forced += ok and by_net
                if not ok:
                    lines.append(f"  MISSED {category}: {text} -> {intent}")
            else:
                calm += 1
                if intent in DANGER:
                    alarms += 1
                    net_alarms += by_net
                    lines.append(f"  FALSE ALARM {text} -> {intent}{' (net)' if by_net else ' (classifier)'}")
        print(f"{language:5} {caught:>3}/{urgent:<3} {caught / max(urgent, 1):4.2f} {forced:>11} "
              f"{alarms:>5}/{calm:<3} {alarms / max(calm, 1):5.1%} {net_alarms:>6}")
        if args.verbose:
            print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
