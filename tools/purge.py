"""Delete conversations older than the retention period (`make purge`; RETENTION_DAYS, default 30).

Uses the tracker store configured in endpoints.yml (or the file given with --endpoints).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rasa.core.utils import AvailableEndpoints  # noqa: E402

from common.settings import load_settings  # noqa: E402
from privacy.tracker_store import PrivateSQLTrackerStore  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--endpoints", default=str(ROOT / "endpoints.yml"))
    parser.add_argument("--days", type=float, default=load_settings().retention_days)
    args = parser.parse_args(argv)
    config = AvailableEndpoints.read_endpoints(args.endpoints).tracker_store
    if config is None or not str(config.type).endswith("PrivateSQLTrackerStore"):
        print("endpoints: tracker_store is not privacy.tracker_store.PrivateSQLTrackerStore", file=sys.stderr)
        return 2
    store = PrivateSQLTrackerStore(domain=None, **config.kwargs)
    removed = store.purge_older_than(args.days)
    print(f"purged {removed} conversation(s) older than {args.days:g} days")
    return 0


if __name__ == "__main__":
    sys.exit(main())
