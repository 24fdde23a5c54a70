#!/usr/bin/env bash
# Validate docker-compose.yml without a Docker engine: `docker compose config` (v2 plugin) if present,
# else Debian's docker-compose 1.29 (installed with apt-get when missing), which implements the same
# compose file format and validates it offline.
#
#   tools/check_compose.sh        # exit 0: valid; non-zero: invalid, or the secrets are not required
#
# Runs twice, in an empty environment (nothing from the shell or a local .env leaks in):
#   1. .env.example plus dummy secrets: the file must be valid;
#   2. .env.example alone (its passwords are empty): compose must refuse, because the secrets are
#      `${VAR:?}` in docker-compose.yml and must never fall back to a default.
set -euo pipefail
cd "$(dirname "$0")/.."

if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
else
  if ! command -v docker-compose >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-compose >/dev/null
    else
      echo "check_compose: neither 'docker compose' nor 'docker-compose' is installed (apt-get install docker-compose)" >&2
      exit 2
    fi
  fi
  compose=(docker-compose)
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp .env.example "$tmp/missing-secrets.env"
{
  cat .env.example
  echo "POSTGRES_PASSWORD=dummy-postgres-password"
  echo "RABBITMQ_USER=rasa"
  echo "RABBITMQ_PASSWORD=dummy-rabbitmq-password"
  echo "ACTION_SERVER_TOKEN=dummy-action-server-token"
} >"$tmp/dummy.env"

run_config() {  # $1: env file
  env -i PATH="$PATH" HOME="${HOME:-/root}" ${DOCKER_CONFIG:+DOCKER_CONFIG="$DOCKER_CONFIG"} \
    "${compose[@]}" --env-file "$1" -f docker-compose.yml config -q
}

echo "check_compose: ${compose[*]} config (.env.example + dummy secrets)"
run_config "$tmp/dummy.env"

if run_config "$tmp/missing-secrets.env" 2>"$tmp/err"; then
  echo "check_compose: FAILED: docker-compose.yml accepted an environment without POSTGRES_PASSWORD," \
    "RABBITMQ_PASSWORD and ACTION_SERVER_TOKEN" >&2
  exit 1
fi
if ! grep -q "set .* in .env" "$tmp/err"; then
  echo "check_compose: FAILED: compose refused the environment without secrets, but not for a missing secret:" >&2
  cat "$tmp/err" >&2
  exit 1
fi
echo "check_compose: OK (valid; refuses to start without its secrets)"
