"""Build the web chat into web/dist: one widget.js (socket.io client + strings + widget), its CSS
and the page, each with a gzipped copy that web/server.py serves to browsers that accept gzip.

    .venv/bin/python tools/build_web.py     # prints the page weight

Interface strings come from web/locales/<lang>.json; adding a language adds a file there.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "web"
DIST = WEB / "dist"
SOCKET_IO = WEB / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"
BUDGET_BYTES = 100 * 1024  # the whole page, gzipped, before the first message


def gzip_bytes(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


def build() -> dict[str, int]:
    """Write web/dist and return the gzipped size of each file the page loads."""
    if not SOCKET_IO.exists():
        raise SystemExit(f"{SOCKET_IO.relative_to(ROOT)} is missing: run `npm ci --prefix web`")
    locales = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((WEB / "locales").glob("*.json"))}
    client = re.sub(r"\n?//# sourceMappingURL=.*$", "", SOCKET_IO.read_text(encoding="utf-8").rstrip())
    widget = "\n".join(
        [
            client,
            f"var LOCALES = {json.dumps(locales, ensure_ascii=False, sort_keys=True)};",
            (WEB / "src" / "widget.js").read_text(encoding="utf-8"),
        ]
    )
    if DIST.exists():
        shutil.rmtree(DIST)
    DIST.mkdir(parents=True)
    files = {
        "widget.js": widget.encode("utf-8"),
        "widget.css": (WEB / "src" / "widget.css").read_bytes(),
        "index.html": (WEB / "src" / "index.html").read_bytes(),
    }
    sizes = {}
    for name, data in files.items():
        (DIST / name).write_bytes(data)
        packed = gzip_bytes(data)
        (DIST / f"{name}.gz").write_bytes(packed)
        sizes[name] = len(packed)
    return sizes


def main() -> int:
    sizes = build()
    total = sum(sizes.values())
    for name, size in sizes.items():
        print(f"  {name:<11} {size / 1024:6.1f} KB gzipped")
    print(f"web chat page weight: {total / 1024:.1f} KB gzipped (budget {BUDGET_BYTES / 1024:.0f} KB)")
    return 0 if total <= BUDGET_BYTES else 1


if __name__ == "__main__":
    sys.exit(main())
