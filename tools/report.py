"""Print the anonymous counts (`make report`): 👍/👎 per topic (action server) and, in the production
profile, the event counts kept by the analytics consumer (python -m analytics.consumer)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from actions.feedback import feedback_store
from analytics.counts import event_store
from common.settings import load_settings


def main() -> int:
    settings = load_settings()
    totals: dict[str, dict[str, int]] = {}
    for topic, rating, count in feedback_store(settings.feedback_db).totals():
        totals.setdefault(topic, {"good": 0, "bad": 0})[rating] = count
    print("Feedback per topic")
    print(f"{'topic':<24} {'👍':>6} {'👎':>6}")
    for topic, counts in sorted(totals.items()):
        print(f"{topic:<24} {counts['good']:>6} {counts['bad']:>6}")
    if not totals:
        print("(no feedback yet)")
    print()
    print(f"Event counts ({settings.analytics_db})")
    if not settings.analytics_db.exists():
        print("(none: the analytics consumer runs with the production profile)")
        return 0
    rows = event_store(settings.analytics_db).totals("metric", "value")
    print(f"{'metric':<16} {'value':<26} {'count':>8}")
    for metric, value, count in rows:
        print(f"{metric:<16} {value:<26} {count:>8}")
    if not rows:
        print("(no events yet)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
