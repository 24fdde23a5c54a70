# The action server (`python -m actions.server`: token check, log redaction) on rasa-sdk 3.6.2.
# Built by docker-compose.yml (service actions) from the repository root.
FROM rasa/rasa-sdk:3.6.2

USER root

# constraints.txt is the lock for Python 3.10: refuse to build on another interpreter.
RUN python -c "import sys; assert sys.version_info[:2] == (3, 10), 'constraints.txt is for Python 3.10, not ' + sys.version"

# What the actions import beyond rasa-sdk, at the versions locked in constraints.txt (SQLAlchemy and
# psycopg2: "borra mis datos" deletes the conversation from the tracker store, privacy/deletion.py).
COPY constraints.txt /tmp/deps/constraints.txt
RUN python -m pip install --no-cache-dir --disable-pip-version-check -c /tmp/deps/constraints.txt \
        rapidfuzz jsonschema PyYAML aiohttp SQLAlchemy psycopg2-binary \
    && rm -rf /tmp/deps

WORKDIR /app
# Replace anything the base image has under these names.
RUN rm -rf /app/actions /app/common /app/privacy /app/directory
COPY actions/ actions/
COPY common/ common/
COPY privacy/ privacy/
COPY directory/ directory/
# The tracker store's address (its ${VAR}s come from the environment) for deletion on request.
COPY endpoints.production.yml endpoints.production.yml
# The feedback counts (FEEDBACK_DB) live in a volume mounted here; only the runtime user writes it.
RUN mkdir -p /app/var && chown 1001:0 /app/var && chmod 0770 /app/var

ENV PYTHONPATH=/app \
    ACTION_HOST=0.0.0.0 \
    ACTION_PORT=5055 \
    FEEDBACK_DB=/app/var/feedback.sqlite \
    ENDPOINTS_FILE=/app/endpoints.production.yml

USER 1001
EXPOSE 5055

ENTRYPOINT ["python", "-m", "actions.server"]
CMD []
