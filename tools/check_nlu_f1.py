"""Fail when the intent macro-F1 of a held-out NLU evaluation is below a threshold.

Reads the `intent_report.json` that `rasa test nlu --out DIR` writes, for each DIR given:

    python tools/check_nlu_f1.py --min-f1 0.90 results/nlu-es results/nlu-en
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def macro_f1(result_dir: Path) -> float:
    report = json.loads((result_dir / "intent_report.json").read_text(encoding="utf-8"))
    return float(report["macro avg"]["f1-score"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--min-f1", type=float, required=True)
    parser.add_argument("result_dirs", nargs="+", type=Path)
    args = parser.parse_args(argv)
    failed = False
    for result_dir in args.result_dirs:
        score = macro_f1(result_dir)
        ok = score >= args.min_f1
        failed |= not ok
        print(f"{result_dir}: intent macro-F1 {score:.3f} ({'ok' if ok else 'BELOW'} {args.min_f1:.2f})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
