# The two commands a newcomer needs:
#   make run   - set up, train if the model is missing or stale, serve the assistant
#   make test  - set up and run every check
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.10
VENV := .venv
BIN := $(VENV)/bin
RASA := $(BIN)/rasa
MODEL := models/current.tar.gz
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONPATH := $(CURDIR)
ifdef CI
export TQDM_DISABLE := 1  # no progress bars in CI logs
endif

TRAINING_INPUTS := config.yml domain.yml $(shell find data components safety -type f \( -name '*.yml' -o -name '*.py' \) 2>/dev/null) common/text.py
WEB_INPUTS := $(shell find web/src web/locales -type f 2>/dev/null) tools/build_web.py
CHROMIUM ?= /usr/bin/chromium

.PHONY: help install web browser train run test lint validate freshness review readability mutation audit compose-check unit core nlu eval e2e browser-test bench lookups report purge clean

help:
	@echo "make run   - set up, train if needed, serve the assistant (REST/socket.io :5005, web chat :8080)"
	@echo "make test  - set up and run every check (lint, data validation, directory freshness, unit, stories, NLU, end-to-end)"
	@echo "make mutation - mutation score of privacy/, channels/, components/, the directory and places (slow)"
	@echo "make readability - reading level of the family replies, per language"
	@echo "make freshness - list directory contacts checked too long ago or without a source (fails if any)"

$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip==26.3
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	@touch $@

install: $(VENV)/.installed

# The web chat: socket.io client from npm (package-lock.json), bundled into web/dist.
web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	npm ci --prefix web --no-audit --no-fund --loglevel=error

web/dist/widget.js: web/node_modules/.package-lock.json $(WEB_INPUTS) $(VENV)/.installed
	$(BIN)/python tools/build_web.py

web: web/dist/widget.js

# Debian's Chromium for the browser tests (a browser downloaded by a test tool cannot install here).
browser:
	@{ test -x $(CHROMIUM) && test -d /usr/share/fonts/truetype/noto; } || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null; }
	@$(CHROMIUM) --version

$(MODEL): $(VENV)/.installed $(TRAINING_INPUTS)
	@mkdir -p models
	$(RASA) train --fixed-model-name current --out models
	@touch $@

train: $(MODEL)

# .env first (its values win over the shell's), then tools/serve.py, built on the launcher of the tests (tools/stack.py).
run: $(MODEL) web
	@set -a; [ ! -f .env ] || . ./.env; set +a; $(BIN)/python -m tools.serve

# This assistant against the stock `rasa init` bot: training, latency, throughput, memory (tools/bench/README.md).
bench: $(MODEL)
	$(BIN)/python tools/bench/bench.py $(BENCH_ARGS)

# Anonymous counts: feedback per topic, and the analytics consumer's event counts (production profile).
report: install
	$(BIN)/python tools/report.py

# Delete conversations older than RETENTION_DAYS (default 30) from the tracker store.
purge: install
	$(BIN)/python tools/purge.py

lookups: install
	$(BIN)/python tools/build_nlu_lookups.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

validate: install
	$(RASA) data validate --fail-on-warnings

# One file per language (var/review/<lang>.md): every reply variation beside its Spanish original, with its
# glossary terms and open questions (docs/review_notes.yml), for a native speaker to correct in one sitting.
review: install
	$(BIN)/python -m tools.review

# Reading ease (es, en, fr) and words per sentence (all four) of the family replies, per language.
readability: install
	$(BIN)/python -m tools.readability --hardest 3

# Directory items (contacts, offices, facts, state entries) checked more than FRESHNESS_MAX_AGE_DAYS (365) ago,
# or without a source: listed, and the target fails (README: "...re-verify an entry").
freshness: install
	$(BIN)/python -m tools.freshness

# Dependency audit: pip-audit (in its own venv: it needs newer packaging than Rasa allows) against a
# reviewed, hand-copied advisory snapshot (tools/audit/osv-snapshot.json) served on loopback, because no
# vulnerability service, and no registry package holding a complete advisory database, is reachable from
# this network (docs/audit.md). It covers only the packages it has records for: each run prints the
# snapshot's date and coverage, and fails once the snapshot is older than AUDIT_MAX_AGE_DAYS (default 120).
# Accepted advisories, each with its reason: tools/audit/audit-ignore.txt.
.venv-audit/.installed: tools/audit/requirements-audit.txt
	@test -x .venv-audit/bin/python || $(PYTHON) -m venv .venv-audit
	.venv-audit/bin/python -m pip install --quiet --disable-pip-version-check -r tools/audit/requirements-audit.txt
	@touch $@

audit: .venv-audit/.installed install
	tools/audit/run_audit.sh .venv-audit/bin/pip-audit -r constraints.txt --no-deps --disable-pip
	tools/audit/run_audit.sh .venv-audit/bin/pip-audit --path $(VENV)/lib/python3.10/site-packages

# Mutation testing (tools/mutation/run.py; mutmut in its own venv): over an hour, so not part of `make test`.
.venv-mutation/.installed: tools/mutation/requirements-mutation.txt
	@test -x .venv-mutation/bin/python || $(PYTHON) -m venv .venv-mutation
	.venv-mutation/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip==26.3
	.venv-mutation/bin/python -m pip install --quiet --disable-pip-version-check -r tools/mutation/requirements-mutation.txt
	@touch $@

mutation: .venv-mutation/.installed install
	$(BIN)/python -m tools.mutation.run $(MUTATION_ARGS)

# Deployment files: docker-compose.yml validated without a Docker engine (tools/check_compose.sh installs
# Debian's docker-compose if needed) and deploy/nginx/nginx.conf checked with `nginx -t` (Debian's nginx).
compose-check: install
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null; }
	tools/check_compose.sh

unit: install
	$(BIN)/pytest tests/unit -q

core: $(MODEL)
	$(RASA) test core --model $(MODEL) --stories tests/stories --fail-on-prediction-errors --out results/core

# One held-out set per language (tests/nlu/<lang>.yml); each must reach an intent macro-F1 of 0.90.
NLU_LANGUAGES := $(patsubst tests/nlu/%.yml,%,$(wildcard tests/nlu/*.yml))
nlu: $(MODEL)
	@for lang in $(NLU_LANGUAGES); do \
	  $(RASA) test nlu --model $(MODEL) --nlu tests/nlu/$$lang.yml --out results/nlu-$$lang || exit 1; \
	done
	$(BIN)/python tools/check_nlu_f1.py --min-f1 0.90 $(addprefix results/nlu-,$(NLU_LANGUAGES))

e2e: $(MODEL)
	$(BIN)/pytest tests/e2e -q

# The realistic set (tests/realistic/, never trained on): accuracy per language and topic, "didn't
# understand", emergencies caught, false alarms, follow-ups. Fails below tests/realistic/floors.yml;
# `make eval EVAL_ARGS=--targets` checks the targets (0.95, 3 %, every emergency, 10 %) instead.
eval: $(MODEL)
	$(BIN)/python -m tests.realistic.evaluate $(EVAL_ARGS)

browser-test: $(MODEL) web browser
	CHROMIUM=$(CHROMIUM) $(BIN)/pytest tests/browser -q

test: lint validate freshness audit compose-check unit core nlu eval e2e browser-test

clean:
	rm -rf models results var .rasa web/dist tests/artifacts .venv-audit
