"""`make freshness`: list directory items that are too old to trust or have no source; exit 1 if any.

Every mapping in `directory/referral_directory.yml` and `directory/states/*.yml` that carries a contact (a
phone `number`, a `url`, an office or address, a fact or a shelter) must have a `source` and a `verified_on`
date no older than `FRESHNESS_MAX_AGE_DAYS` (default 365). The directory is loaded with the typed loader
first, so an invalid file fails here too.

    python -m tools.freshness [--today YYYY-MM-DD] [--max-age-days N] [DIRECTORY_FILE]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from actions.directory import load_directory
from common.settings import load_settings

# A mapping with any of these keys is a sourced item (a contact, an office or address, a fact, a shelter).
ITEM_KEYS = ("source", "verified_on", "number", "intents")
# Not items: wording, and `emergency_lines`, which name numbers that are phones of an institution.
SKIP_KEYS = ("label", "names", "role", "ask_for", "emergency_lines")


def items(node: Any, path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every mapping below `node` that looks like a sourced item, with a readable location."""
    if isinstance(node, dict):
        if any(key in node for key in ITEM_KEYS):
            yield path, node
        for key, value in node.items():
            if key in SKIP_KEYS:
                continue
            yield from items(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            name = value.get("id") or value.get("number") if isinstance(value, dict) else None
            yield from items(value, f"{path}[{name or index}]")


def problems(files: list[Path], today: date, max_age_days: int) -> list[str]:
    """One line per item without a source, without a check date, or checked before the cut-off."""
    found: list[str] = []
    for file in files:
        found += problems_in(yaml.safe_load(file.read_text(encoding="utf-8")), file.name, today, max_age_days)
    return found


def problems_in(data: Any, name: str, today: date, max_age_days: int) -> list[str]:
    """`problems` for the parsed content of one file."""
    cutoff = today - timedelta(days=max_age_days)
    found: list[str] = []
    for where, item in items(data, name):
        if not item.get("source"):
            found.append(f"{where}: no source")
        checked = item.get("verified_on")
        if not checked:
            found.append(f"{where}: no verified_on date")
        elif date.fromisoformat(str(checked)) < cutoff:
            age = f"verified_on {checked} is older than {max_age_days} days"
            found.append(f"{where}: {age} (source {item.get('source')})")
    return found


def main(argv: list[str] | None = None) -> int:
    settings = load_settings()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory_file", nargs="?", type=Path, default=settings.directory_file)
    parser.add_argument("--today", type=date.fromisoformat, default=date.today())
    parser.add_argument("--max-age-days", type=int, default=settings.freshness_max_age_days)
    args = parser.parse_args(argv)
    load_directory(args.directory_file)  # schema and cross-checks first
    files = [args.directory_file, *sorted((args.directory_file.parent / "states").glob("*.yml"))]
    found = problems(files, args.today, args.max_age_days)
    for line in found:
        print(line)
    print(f"freshness: {len(found)} item(s) to re-verify in {len(files)} file(s) (max age {args.max_age_days} days)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
