#!/usr/bin/env bash
# pip-audit against the reviewed OSV snapshot (osv-snapshot.json, written by make_records.py), served on
# loopback. First prints the snapshot's date, record count and how many of the audited pins have any
# record at all (most have none: docs/audit.md), and fails if the snapshot is older than
# AUDIT_MAX_AGE_DAYS (default 120). Then exits 0 only if every reported vulnerability is in
# audit-ignore.txt and every package could be audited (--strict).
# Usage: run_audit.sh PIP_AUDIT_BIN [pip-audit args: -r constraints.txt --no-deps --disable-pip | --path SITE_PACKAGES]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
pip_audit="$1"; shift
py="$(dirname "$pip_audit")/python"
snapshot="$here/osv-snapshot.json"

# The same pins that pip-audit is about to check, for the coverage line of the banner.
scope=()
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    -r|--requirement) scope=(--constraints "${args[i+1]}") ;;
    --path) scope=(--site-packages "${args[i+1]}") ;;
  esac
done
"$py" "$here/osv_local.py" banner "$snapshot" "${scope[@]}"

portfile="$(mktemp)"; : > "$portfile"
cachedir="$(mktemp -d)"
"$py" "$here/osv_local.py" serve "$snapshot" "$portfile" &
server=$!
trap 'kill "$server" 2>/dev/null; rm -rf "$portfile" "$cachedir"' EXIT
for _ in $(seq 1 50); do [ -s "$portfile" ] && break; sleep 0.1; done
[ -s "$portfile" ] || { echo "AUDIT FAILED: the local advisory server did not start" >&2; exit 1; }
ignores=()
while read -r id _; do [ -n "$id" ] && ignores+=(--ignore-vuln "$id"); done < <(grep -v '^\s*#' "$here/audit-ignore.txt" | grep -v '^\s*$')
"$pip_audit" -s osv --osv-url "http://127.0.0.1:$(cat "$portfile")/v1/query" --strict \
  --progress-spinner off --cache-dir "$cachedir" "${ignores[@]}" "$@"
