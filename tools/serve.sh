#!/usr/bin/env bash
# Start the action server, Rasa and the web chat page together; Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f .env ] && set -a && . ./.env && set +a
: "${RASA_HOST:=127.0.0.1}" "${RASA_PORT:=5005}" "${ACTION_HOST:=127.0.0.1}" "${ACTION_PORT:=5055}"
: "${WEBCHAT_HOST:=127.0.0.1}" "${WEBCHAT_PORT:=8080}" "${LOG_LEVEL:=INFO}"
export PYTHONPATH="$PWD" RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 LOG_LEVEL
export WEBCHAT_HOST WEBCHAT_PORT ACTION_HOST ACTION_PORT
# Requests larger than this get 413 before anything is parsed.
export SANIC_REQUEST_MAX_SIZE="${SANIC_REQUEST_MAX_SIZE:-65536}"
mkdir -p var

# Closed by default: Rasa's HTTP API only when asked for, and then only with a token.
api_args=()
if [ "${RASA_ENABLE_API:-false}" = "true" ]; then
  [ -n "${RASA_AUTH_TOKEN:-}" ] || { echo "RASA_ENABLE_API=true needs RASA_AUTH_TOKEN" >&2; exit 2; }
  api_args=(--enable-api --auth-token "$RASA_AUTH_TOKEN")
fi
endpoints=endpoints.yml
[ -n "${ACTION_SERVER_TOKEN:-}" ] && endpoints=endpoints.token.yml
if [ "${PROFILE:-embedded}" = "production" ]; then
  endpoints=endpoints.production.yml  # PostgreSQL, Redis and RabbitMQ: every variable must be set
fi
# The action server deletes a conversation on request from the same tracker store (privacy/deletion.py).
export ENDPOINTS_FILE="$endpoints"

pids=()
stop() {
  trap - INT TERM EXIT
  echo; echo "Stopping..."
  kill "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  exit 0
}
trap stop INT TERM EXIT

.venv/bin/python -m actions.server &
pids+=($!)
.venv/bin/rasa run --model models/current.tar.gz --interface "$RASA_HOST" --port "$RASA_PORT" \
  --endpoints "$endpoints" --credentials credentials.yml "${api_args[@]}" &
pids+=($!)
.venv/bin/python web/server.py &
pids+=($!)

for _ in $(seq 1 180); do
  curl -fsS "http://$RASA_HOST:$RASA_PORT/" >/dev/null 2>&1 && break
  sleep 1
done
cat <<MSG

The assistant is running.
  Web chat:       http://$WEBCHAT_HOST:$WEBCHAT_PORT
  REST:           curl -s http://$RASA_HOST:$RASA_PORT/webhooks/rest/webhook -H 'Content-Type: application/json' -d '{"sender":"me","message":"hola"}'
  Action server:  http://$ACTION_HOST:$ACTION_PORT/health
Press Ctrl-C to stop.
MSG
wait -n "${pids[@]}"
