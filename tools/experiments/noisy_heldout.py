"""Accuracy of NLU models on a degraded ("typed on a cheap phone") copy of the held-out sets.

Each example of tests/nlu/<lang>.yml is degraded deterministically (a random generator seeded with the
seed, the language and the example's index, so every model sees the same copies): words abbreviated as
SMS writers do, accents stripped, one letter dropped, a letter repeated, the whole message in capitals
(rules and probabilities in tools/experiments/noisy_rules.yml). The copies are kept in memory only;
nothing is written to data/. Run from the project folder:

    .venv/bin/python -m tools.experiments.noisy_heldout base=models/nlu-base.tar.gz norm=models/nlu.tar.gz

It prints, per model and language, intent accuracy and macro-F1 on the clean and on the degraded
examples (the intent after the whole pipeline: fallback and emergency guard included, as `rasa test nlu`).
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.loading import load_data
from sklearn.metrics import f1_score

from tools.nlu_parse import load_agent, parse

logger = logging.getLogger(__name__)

LANGS = ("es", "en", "fr", "ht")
RULES_FILE = Path(__file__).with_name("noisy_rules.yml")
_WORD = re.compile(r"\w+")


def strip_accents(text: str) -> str:
    """`text` without combining marks (NFKD), as phones without accent keys type it."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def degrade(text: str, lang: str, rng: random.Random, rules: dict[str, Any]) -> str:
    """One degraded copy of `text` (deterministic for a given generator state)."""
    probability = rules["probabilities"]
    table = {strip_accents(k): v for k, v in (rules["abbreviations"].get(lang) or {}).items()}

    def abbreviate(match: re.Match[str]) -> str:
        word = match.group(0)
        spellings = table.get(strip_accents(word.lower()))
        if spellings and rng.random() < probability["abbreviation"]:
            return str(rng.choice(spellings))
        return word

    out = _WORD.sub(abbreviate, text)
    if rng.random() < probability["strip_accents"]:
        out = strip_accents(out)
    words = list(_WORD.finditer(out))
    long_words = [m for m in words if len(m.group(0)) >= 5 and m.group(0).isalpha()]
    if long_words and rng.random() < probability["drop_letter"]:
        m = rng.choice(long_words)
        cut = m.start() + rng.randrange(1, len(m.group(0)) - 1)  # never the first or last letter
        out = out[:cut] + out[cut + 1:]
        words = list(_WORD.finditer(out))
    letter_words = [m for m in words if len(m.group(0)) >= 3 and m.group(0)[-1].isalpha()]
    if letter_words and rng.random() < probability["elongate"]:
        m = rng.choice(letter_words)
        out = out[:m.end()] + out[m.end() - 1] * rng.randint(2, 4) + out[m.end():]
    if rng.random() < probability["all_caps"]:
        out = out.upper()
    return out


def examples(lang: str, seed: int, rules: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(intent, clean text, degraded text) for each held-out example of `lang`."""
    data = load_data(f"tests/nlu/{lang}.yml")
    rows = []
    for index, example in enumerate(data.intent_examples):
        text = str(example.get(TEXT))
        rng = random.Random(f"{seed}:{lang}:{index}")
        rows.append((str(example.get(INTENT)), text, degrade(text, lang, rng, rules)))
    return rows


def predictions(agent: Any, texts: list[str]) -> list[str]:
    return [str((parsed.get("intent") or {}).get("name")) for parsed in parse(agent, texts)]


def score(gold: list[str], predicted: list[str]) -> dict[str, float]:
    accuracy = sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold)
    macro = f1_score(gold, predicted, labels=sorted(set(gold)), average="macro", zero_division=0)
    return {"accuracy": round(accuracy, 4), "macro_f1": round(float(macro), 4)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("models", nargs="+", help="name=path/to/model.tar.gz")
    parser.add_argument("--langs", nargs="+", default=list(LANGS))
    parser.add_argument("--seed", type=int, default=2718)
    parser.add_argument("--json", type=Path, help="also write the scores here")
    args = parser.parse_args(argv)
    rules = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    sets = {lang: examples(lang, args.seed, rules) for lang in args.langs}
    for lang, rows in sets.items():
        changed = sum(clean != noisy for _, clean, noisy in rows)
        print(f"{lang}: {len(rows)} examples, {changed} changed by the degradation")
    results: dict[str, dict[str, Any]] = {}
    for spec in args.models:
        name, _, path = spec.partition("=")
        agent = load_agent(path)
        results[name] = {}
        for lang, rows in sets.items():
            gold = [intent for intent, _, _ in rows]
            clean = predictions(agent, [text for _, text, _ in rows])
            noisy = predictions(agent, [text for _, _, text in rows])
            results[name][lang] = {"n": len(rows), "clean": score(gold, clean), "noisy": score(gold, noisy)}
    print("| model | lang | n | clean accuracy | clean macro-F1 | noisy accuracy | noisy macro-F1 |")
    print("|---|---|---|---|---|---|---|")
    for name, by_lang in results.items():
        for lang, r in by_lang.items():
            print(
                f"| {name} | {lang} | {r['n']} | {r['clean']['accuracy']:.3f} | {r['clean']['macro_f1']:.3f} "
                f"| {r['noisy']['accuracy']:.3f} | {r['noisy']['macro_f1']:.3f} |"
            )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, sort_keys=True), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
