# Rasa 3.6.21 with this project's channels, NLU components and tracker store, and the trained model.
# Built by docker-compose.yml (services rasa-1, rasa-2) from the repository root; run `make train`
# first so that models/current.tar.gz exists.
#
# The default image is enough: the pipeline (config.yml) uses no spaCy, MITIE or transformers
# model, which are what the -full/-spacy-* tags add.
FROM rasa/rasa:3.6.21

USER root

# constraints.txt is the lock for Python 3.10: refuse to build on another interpreter.
RUN python -c "import sys; assert sys.version_info[:2] == (3, 10), 'constraints.txt is for Python 3.10, not ' + sys.version"

# What the project adds to Rasa (requirements.txt), at the versions locked in constraints.txt.
COPY constraints.txt /tmp/deps/constraints.txt
RUN python -m pip install --no-cache-dir --disable-pip-version-check -c /tmp/deps/constraints.txt \
        py3langid rapidfuzz jsonschema PyYAML python-socketio python-engineio \
    && rm -rf /tmp/deps

WORKDIR /app
# Code importable from /app (PYTHONPATH): custom components, channels, stores, the shared settings and text
# folding (common/), and the analytics consumer (docker-compose.yml runs it from this image). The actions are
# not here: they run in the action server's image.
COPY common/ common/
COPY analytics/ analytics/
COPY storage/ storage/
COPY channels/ channels/
COPY components/ components/
COPY privacy/ privacy/
COPY safety/ safety/
COPY tools/__init__.py tools/purge.py tools/
COPY credentials.yml endpoints.production.yml ./
COPY models/current.tar.gz models/current.tar.gz

ENV PYTHONPATH=/app \
    RASA_TELEMETRY_ENABLED=false \
    TF_CPP_MIN_LOG_LEVEL=2 \
    MPLCONFIGDIR=/tmp/matplotlib \
    SANIC_REQUEST_MAX_SIZE=65536 \
    SANIC_WORKERS=1

# The base image's unprivileged user; the code above stays root-owned (read-only to it).
USER 1001
EXPOSE 5005

# Rasa's HTTP API stays off (no --enable-api): only the channels in credentials.yml are served.
ENTRYPOINT ["rasa"]
CMD ["run", "--model", "models/current.tar.gz", "--endpoints", "endpoints.production.yml", \
     "--credentials", "credentials.yml", "--port", "5005"]
