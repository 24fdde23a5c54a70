"""Reading level of the family-facing replies, per language (issue 15: plain language, measured).

Usage: python -m tools.readability [--domain PATH]

For Spanish, English and French, textstat's Flesch reading ease with each language's constants
(Fernández-Huerta for Spanish, Kandel-Moles for French; higher is easier, 60-70 is plain language, under 50
is hard); for all four languages (Haitian Creole has no published formula), words per sentence. A reply's
line is a sentence when it does not end with punctuation: lists and headings are read as short sentences,
as on the phone. Placeholders, links and emoji are left out. `tests/unit/test_readability.py` bounds both.
"""

from __future__ import annotations

import argparse
import re
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tools.variations import texts

ROOT = Path(__file__).resolve().parents[1]
FORMULA_LANGUAGES = ("es", "en", "fr")  # textstat's Flesch reading ease knows these; Creole gets words/sentence
LANGUAGES = ("es", "en", "fr", "ht")
_PLACEHOLDER = re.compile(r"{[a-z_]+}")
_LINK = re.compile(r"\S+\.(?:mx|org|int|com|gob)\S*|https?://\S+")
_NOT_TEXT = re.compile(r"[^\w\s.,;:!?¿¡'’()«»“”\"/-]")
_SENTENCE_END = re.compile(r"[.!?…:;]$")
_WORD = re.compile(r"\w+(?:['’]\w+)*")


@dataclass(frozen=True)
class Score:
    """The reading level of one reply variation."""

    response: str
    language: str
    ease: float | None  # Flesch reading ease in the language's formula; None for Creole
    words_per_sentence: float
    longest_sentence: int  # in words


def family_variations(responses: dict[str, list[dict[str, Any]]]) -> list[tuple[str, str, str]]:
    """(response, language, text) for every variation a family can see (not the NGO-worker ones)."""
    return texts(responses, families_only=True)


def plain_text(text: str) -> str:
    """The words of a reply as a reader meets them: each line a sentence, without placeholders or links."""
    lines = []
    for line in text.split("\n"):
        line = _NOT_TEXT.sub(" ", _LINK.sub(" ", _PLACEHOLDER.sub(" ", line)))
        line = re.sub(r"^\s*\d+\.\s+", "", line).strip(" -")
        if _WORD.search(line):
            lines.append(line if _SENTENCE_END.search(line) else line + ".")
    return " ".join(lines)


def sentences(text: str) -> list[list[str]]:
    parts = re.split(r"(?<=[.!?…:;])\s+", text)
    return [words for words in (_WORD.findall(p) for p in parts) if words]


def score(response: str, language: str, text: str) -> Score:
    import textstat  # imported here: the tests and the report need it, the assistant does not

    plain = plain_text(text)
    split = sentences(plain) or [[]]
    ease = None
    if language in FORMULA_LANGUAGES:
        textstat.set_lang(language)
        ease = float(textstat.flesch_reading_ease(plain))
    words = sum(len(s) for s in split)
    return Score(response, language, ease, words / len(split), max(len(s) for s in split))


def scores(domain_path: Path = ROOT / "domain.yml") -> list[Score]:
    responses = yaml.safe_load(domain_path.read_text(encoding="utf-8"))["responses"]
    return [score(*variation) for variation in family_variations(responses)]


def summary(all_scores: list[Score]) -> dict[str, dict[str, float]]:
    """Per language: replies, mean and lowest reading ease, mean and longest sentence."""
    table: dict[str, dict[str, float]] = {}
    for language in LANGUAGES:
        mine = [s for s in all_scores if s.language == language]
        eases = [s.ease for s in mine if s.ease is not None]
        table[language] = {
            "replies": len(mine),
            "mean_ease": round(statistics.mean(eases), 1) if eases else float("nan"),
            "lowest_ease": round(min(eases), 1) if eases else float("nan"),
            "words_per_sentence": round(statistics.mean(s.words_per_sentence for s in mine), 1),
            "longest_sentence": max(s.longest_sentence for s in mine),
        }
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--domain", type=Path, default=ROOT / "domain.yml")
    parser.add_argument("--hardest", type=int, default=0, help="also list the N hardest replies per language")
    args = parser.parse_args()
    all_scores = scores(args.domain)
    print("lang  replies  mean_ease  lowest_ease  words/sentence  longest_sentence")
    for language, row in summary(all_scores).items():
        print(f"{language:4}  {row['replies']:7}  {row['mean_ease']:9}  {row['lowest_ease']:11}  "
              f"{row['words_per_sentence']:14}  {row['longest_sentence']:16}")
    for language in LANGUAGES if args.hardest else ():
        mine = sorted((s for s in all_scores if s.language == language),
                      key=lambda s: (s.ease if s.ease is not None else -s.words_per_sentence))
        for s in mine[: args.hardest]:
            print(f"  {language} {s.response}: ease {s.ease}, {s.words_per_sentence:.1f} words/sentence")


if __name__ == "__main__":
    main()
