#!/usr/bin/env bash
# pip-audit against the reviewed OSV snapshot, served on loopback. Exit 0 only if every reported
# vulnerability is in audit-ignore.txt and every package could be audited (--strict).
# Usage: run_audit.sh PIP_AUDIT_BIN [extra pip-audit args, e.g. -r constraints.txt --no-deps --disable-pip]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
pip_audit="$1"; shift
py="$(dirname "$pip_audit")/python"
portfile="$(mktemp)"; : > "$portfile"
"$py" "$here/osv_local.py" "$here/osv-snapshot.json" "$portfile" &
server=$!
trap 'kill "$server" 2>/dev/null; rm -f "$portfile"' EXIT
for _ in $(seq 1 50); do [ -s "$portfile" ] && break; sleep 0.1; done
ignores=()
while read -r id _; do [ -n "$id" ] && ignores+=(--ignore-vuln "$id"); done < <(grep -v '^\s*#' "$here/audit-ignore.txt" | grep -v '^\s*$')
"$pip_audit" -s osv --osv-url "http://127.0.0.1:$(cat "$portfile")/v1/query" --strict \
  --progress-spinner off --cache-dir "$(mktemp -d)" "${ignores[@]}" "$@"
