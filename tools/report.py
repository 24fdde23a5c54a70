"""Print the anonymous feedback counts per topic (`make report`)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from actions.feedback import FeedbackStore
from actions.settings import load_settings


def main() -> int:
    totals: dict[str, dict[str, int]] = {}
    for topic, rating, count in FeedbackStore(load_settings().feedback_db).counts():
        totals.setdefault(topic, {"good": 0, "bad": 0})[rating] = count
    print(f"{'topic':<24} {'👍':>6} {'👎':>6}")
    for topic, counts in sorted(totals.items()):
        print(f"{topic:<24} {counts['good']:>6} {counts['bad']:>6}")
    if not totals:
        print("(no feedback yet)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
