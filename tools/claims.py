"""Every factual statement in a reply points to a claim with a source (issue 15: one fact, one source).

Usage: python -m tools.claims            list reply claims that no entry of directory/claims.yml covers

A reply's "claim markers" are what a reader would take as a fact to rely on: a number (a deadline, a count, a
year, an article, a court case; not a list's "1." and not a placeholder filled from the directory) and a legal
reference (a law, an article, the Constitution, the Supreme Court). Each marker must lie inside the words of a
claim that lists the reply's response: `tests/unit/test_claims.py` fails otherwise, and on a claim whose
source is neither in the directory nor in the dossier's sources (`directory/reference_sources.yml`).
Medium- and low-confidence claims must be worded as such: the reply's line says "según", "usually", "selon",
"dapre"...
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from actions.directory import Claim, load_claims
from tools.variations import texts

ROOT = Path(__file__).resolve().parents[1]
CLAIMS_FILE = ROOT / "directory" / "claims.yml"
LANGUAGES = ("es", "en", "fr", "ht")

_PLACEHOLDER = re.compile(r"{[a-z_]+}")
_LIST_NUMBER = re.compile(r"^(\s*)\d{1,2}\.(?=\s)", re.MULTILINE)
_NUMBER = re.compile(r"(?<![\w/.])\d+(?:[./]\d+)*(?![\w])")
_LEGAL = {
    "es": r"\bLey\b|\bartículos?\b|\bart\.|\bConstitución\b|\bSCJN\b|\bSuprema Corte\b|\bLGDNNA\b|\bLSRPCAP\b",
    "en": r"\bLey\b|\bLaw\b|\barticles?\b|\bart\.|\bConstitution\b|\bSCJN\b|\bSupreme Court\b|\bLGDNNA\b|\bLSRPCAP\b",
    "fr": r"\bLey\b|\bloi\b|\barticles?\b|\bart\.|\bConstitution\b|\bSCJN\b|\bCour suprême\b|\bLGDNNA\b|\bLSRPCAP\b",
    "ht": r"\bLey\b|\blwa\b|\batik\b|\bart\.|\bKonstitisyon\b|\bSCJN\b|\bLakou [Ss]iprèm\b|\bLGDNNA\b|\bLSRPCAP\b",
}
# Words that say a fact is reported, usual or attributed rather than certain.
HEDGES = {
    "es": r"\bsegún\b|\bnormalmente\b|\bsuele\b|\ben general\b|\bgeneralmente\b|\bde acuerdo con\b|\bpor lo general\b",
    "en": r"\baccording to\b|\busually\b|\bgenerally\b|\bin general\b|\boften\b|\breportedly\b|\bper\b",
    "fr": r"\bselon\b|\bd'après\b|\bgénéralement\b|\ben général\b|\bhabituellement\b|\bsouvent\b",
    "ht": r"\bdapre\b|\banjeneral\b|\bsouvan\b|\bnòmalman\b",
}


@dataclass(frozen=True)
class Marker:
    start: int
    end: int
    text: str


def markers(text: str, language: str) -> list[Marker]:
    """Numbers and legal references in `text` (placeholders and list numbers blanked, positions kept)."""
    blank = _PLACEHOLDER.sub(lambda m: " " * len(m.group()), text)
    blank = _LIST_NUMBER.sub(lambda m: m.group(1) + " " * (len(m.group()) - len(m.group(1))), blank)
    pattern = re.compile(_NUMBER.pattern + "|" + _LEGAL[language])
    return [Marker(m.start(), m.end(), m.group()) for m in pattern.finditer(blank)]


def spans(text: str, phrases: Iterable[str]) -> list[tuple[int, int]]:
    found = []
    for phrase in phrases:
        found += [(m.start(), m.end()) for m in re.finditer(re.escape(phrase), text)]
    return found


def claims_for(response: str, claims: Iterable[Claim]) -> list[Claim]:
    return [c for c in claims if response in c.responses]


def uncovered(response: str, language: str, text: str, claims: Iterable[Claim]) -> list[Marker]:
    """The markers of one variation that no claim listing `response` covers."""
    covering = spans(text, (p for c in claims_for(response, claims) for p in c.text.get(language, ())))
    return [m for m in markers(text, language)
            if not any(start <= m.start and m.end <= end for start, end in covering)]


def claims_in(response: str, language: str, text: str, claims: Iterable[Claim]) -> list[str]:
    """Ids of the claims a variation makes (for `make review`)."""
    return [c.id for c in claims_for(response, claims) if spans(text, c.text.get(language, ()))]


def unhedged(response: str, language: str, text: str, claims: Iterable[Claim]) -> list[tuple[str, str]]:
    """(claim id, line) for each medium- or low-confidence claim whose line does not say it is reported."""
    found = []
    for claim in claims_for(response, claims):
        if claim.confidence == "high":
            continue
        for line in text.split("\n"):
            if spans(line, claim.text.get(language, ())) and not re.search(HEDGES[language], line, re.IGNORECASE):
                found.append((claim.id, line))
    return found


def variations(responses: dict[str, list[dict[str, Any]]]) -> list[tuple[str, str, str]]:
    """(response, language, text) for every variation of the domain."""
    return texts(responses)


RANK = {None: 1, "low": 0, "medium": 1, "high": 2}  # a source the dossier did not rate counts as medium


def known_sources(root: Path = ROOT) -> dict[str, str | None]:
    """Every source a claim may cite: the dossier's (directory/reference_sources.yml) and the directory's,
    with the best confidence either gives it."""
    from actions.directory import load_directory

    register = yaml.safe_load((root / "directory" / "reference_sources.yml").read_text(encoding="utf-8"))
    known: dict[str, str | None] = {s["url"]: s["confidence"] for s in register["sources"]}
    directory = load_directory(root / "directory" / "referral_directory.yml")
    for item in directory.all_sourced_items():
        if item.source not in known or RANK[item.confidence] > RANK[known[item.source]]:
            known[item.source] = item.confidence
    return known


def source_problems(claims: Iterable[Claim], known: dict[str, str | None]) -> list[str]:
    """Claims citing a source neither the directory nor the dossier holds, or surer than their source."""
    problems = []
    for claim in claims:
        if claim.source not in known:
            problems.append(f"{claim.id}: {claim.source} is in neither the directory nor the dossier")
        elif RANK[claim.confidence] > RANK[known[claim.source]]:
            problems.append(f"{claim.id}: {claim.confidence}, but its source is {known[claim.source]}")
    return problems


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=Path, default=CLAIMS_FILE)
    parser.add_argument("responses", nargs="*", help="only these responses (and their _details)")
    args = parser.parse_args(argv)
    responses = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]
    claims = load_claims(args.claims)
    problems = source_problems(claims, known_sources())
    for name, language, text in variations(responses):
        if args.responses and name.removesuffix("_details") not in args.responses:
            continue
        for marker in uncovered(name, language, text, claims):
            context = text[max(0, marker.start - 40):marker.end + 40].replace("\n", " / ")
            problems.append(f"uncovered {name} [{language}] {marker.text!r}: …{context}…")
        for claim_id, line in unhedged(name, language, text, claims):
            problems.append(f"unhedged {name} [{language}] {claim_id}: {line}")
    print("\n".join(problems))
    print(f"{len(problems)} problems", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
