"""Score a model on the greeting-prefixed probe (tools/experiments/greeting_probe.yml), per language.

    .venv/bin/python -m tools.experiments.greeting_probe [MODEL] [PROBE.yml ...]

MODEL defaults to models/current.tar.gz; the probes, to greeting_probe.yml and greeting_probe_short.yml.

A line is right when the intent Rasa gives (after the fallback and the emergency net) is its label.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import yaml

from tools.nlu_parse import load_agent, parse

PROBES = [Path(__file__).with_name("greeting_probe.yml"), Path(__file__).with_name("greeting_probe_short.yml")]
ANNOTATION = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def main(argv: list[str]) -> int:
    model = Path(argv[0]) if argv else Path("models/current.tar.gz")
    agent = load_agent(model)
    for path in [Path(p) for p in argv[1:]] or PROBES:
        print(f"{path.name}:")
        score(agent, yaml.safe_load(path.read_text(encoding="utf-8")))
    return 0


def score(agent: Any, probe: dict[str, dict[str, list[str]]]) -> None:
    for language, by_intent in probe.items():
        items = [(ANNOTATION.sub(r"\1", text), intent) for intent, texts in by_intent.items() for text in texts]
        results = parse(agent, [text for text, _ in items])
        right = 0
        for (text, intent), result in zip(items, results, strict=True):
            got = result["intent"]["name"]
            ok = got == intent
            right += ok
            confidence = result["intent"]["confidence"]
            print(f"  {'ok ' if ok else 'BAD'} {language} {intent:24} -> {got:24} {confidence:.2f}  {text}")
        print(f"{language}: {right}/{len(items)} right")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
