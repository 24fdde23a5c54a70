"""The danger net: word-stem patterns with slots that catch a present danger whatever the wording.

`safety/emergency_patterns.yml` holds, per language:

* `slots`: named alternatives (regular-expression fragments over folded text), e.g. `REL` for any
  relative or companion, used in patterns as `{REL}`;
* `categories`: per danger category (kidnapping, ransom, threat to kill, held, followed or shot at,
  armed people, sexual violence, trafficking, missing child, medical, "we are in danger", self-harm),
  a list of patterns and an optional `unless` list that cancels that category (e.g. a migration
  station for "held"). In a pattern, ` .. ` stands for up to four arbitrary words;
* `not_now`: cues that the crime is past or elsewhere ("el mes pasado", "en mi pais", "lane pase");
* `present`: cues of a danger now ("ahorita", "right now", "kounye a") that win over `not_now`;
* `safe_now`: the danger is over ("ya nos soltaron", "we are safe now", "nou lib"): left to the classifier
  (not when the cue is negated, a condition or a purpose: "they dont let us go", "pou yo lage l").

`not_now` and `safe_now` apply to every category but self-harm, which is answered whenever it is written.

Text is matched lower-cased, without accents and punctuation (`common.text.fold`), as whole words.
Every language is tried on every message (people mix languages, and the detector can be wrong).
Pure Python: no Rasa import, so it is unit-tested and measured on its own (tools/measure_danger_net.py).
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from common.text import fold

logger = logging.getLogger(__name__)

DEFAULT_FILE = Path(__file__).resolve().parents[1] / "safety" / "emergency_patterns.yml"
SELF_HARM = "self_harm"
ALWAYS_NOW = frozenset({SELF_HARM})  # never set aside by not_now / safe_now
# ` .. `: a space and up to four words; or just the words when the part before ended on a space of its own
# (an optional trailing group such as "(?:for )?").
GAP = r"(?: |(?<= ))(?:\S+ ){0,4}"
# A "the danger is over" cue right after one of these words says the opposite ("dont let us go",
# "no lo soltaron") or a condition or a purpose ("if they let us go", "pou yo lage l": so that they free him).
_NEGATED = re.compile(
    r"\b(?:no|not|never|nunca|ni|dont|don t|won t|wont|didn t|didnt|doesn t|doesnt|can t|cant|ne|pa|pas|"
    r"para|pa que|para que|pou|to|si|if|hasta|hasta que|hasta q|ojala|jusqu a ce qu|pour qu|pour que) $"
)
_SLOT = re.compile(r"\{([A-Z_]+)\}")
_STRAY_GAP = re.compile(r"(?<! )\.\.|\.\.(?! )")  # ".." glued to a word is two any-characters, not a gap


@dataclass(frozen=True)
class Danger:
    """What the net found: the category, the intent it maps to and the language of the pattern."""

    category: str
    intent: str
    language: str


def _compile(patterns: list[str], slots: dict[str, str], where: str) -> re.Pattern[str] | None:
    def expand(pattern: str) -> str:
        def slot(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in slots:
                raise ValueError(f"{where}: unknown slot {{{name}}} in {pattern!r}")
            return slots[name]

        return GAP.join(_SLOT.sub(slot, part.strip()) for part in pattern.split(" .. "))

    if not patterns:
        return None
    patterns = [_strip_accents(str(p)) for p in patterns]
    for pattern in patterns:
        if _STRAY_GAP.search(pattern):
            raise ValueError(f"{where}: ' .. ' needs a space on each side in {pattern!r}")
    body = "|".join(f"(?:{expand(str(p))})" for p in patterns)
    try:
        return re.compile(rf"\b(?:{body})\b")
    except re.error as error:
        raise ValueError(f"{where}: {error}") from error


def _strip_accents(pattern: str) -> str:
    """Patterns may be written with accents ("fòse"); the text they meet has none."""
    decomposed = unicodedata.normalize("NFKD", pattern)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True)
class _Category:
    name: str
    language: str
    match: re.Pattern[str]
    unless: re.Pattern[str] | None


class DangerNet:
    """Compiled patterns of every language; `find(text)` returns the danger it sees, or None."""

    def __init__(self, spec: dict[str, Any], intents: dict[str, str] | None = None) -> None:
        self.intents = {SELF_HARM: SELF_HARM, **(intents or {})}
        self.categories: list[_Category] = []
        not_now: list[str] = []
        present: list[str] = []
        safe_now: list[str] = []
        for language, block in (spec or {}).items():
            slots = {
                name: f"(?:{'|'.join(_strip_accents(str(v)) for v in values)})"
                for name, values in (block.get("slots") or {}).items()
            }
            for name, category in (block.get("categories") or {}).items():
                where = f"{language}.{name}"
                match = _compile(list(category.get("patterns") or []), slots, where)
                if match is None:
                    continue
                unless = _compile(list(category.get("unless") or []), slots, where + ".unless")
                self.categories.append(_Category(name, language, match, unless))
            not_now += [str(p) for p in block.get("not_now") or []]
            present += [str(p) for p in block.get("present") or []]
            safe_now += [str(p) for p in block.get("safe_now") or []]
        # Emergencies first: a person in danger and in despair gets the emergency answer (it has 911 too).
        self.categories.sort(key=lambda c: c.name == SELF_HARM)
        self.not_now = _compile(not_now, {}, "not_now")
        self.present = _compile(present, {}, "present")
        self.safe_now = _compile(safe_now, {}, "safe_now")

    def intent_of(self, category: str) -> str:
        return self.intents.get(category, "emergency")

    def find(self, text: str) -> Danger | None:
        folded = fold(text)
        if not folded:
            return None
        found = next(
            (c for c in self.categories if c.match.search(folded) and not (c.unless and c.unless.search(folded))),
            None,
        )
        if found is None:
            return None
        if found.name in ALWAYS_NOW:
            return Danger(found.name, self.intent_of(found.name), found.language)
        if self.safe_now and any(not _NEGATED.search(folded[: m.start()]) for m in self.safe_now.finditer(folded)):
            logger.debug("danger net: %s pattern, but the danger is over; left to the classifier", found.name)
            return None
        if self.not_now and self.not_now.search(folded) and not (self.present and self.present.search(folded)):
            logger.debug("danger net: %s pattern in a past or distant context, left to the classifier", found.name)
            return None
        return Danger(found.name, self.intent_of(found.name), found.language)


def load_spec(path: str | Path = DEFAULT_FILE) -> dict[str, Any]:
    """The patterns file as data (validated by compiling it)."""
    spec = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    DangerNet(spec)
    return dict(spec)


def file_fingerprint(path: str | Path) -> str:
    """A hash of the patterns file's content (changes whenever the patterns change)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
