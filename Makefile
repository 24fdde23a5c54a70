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

TRAINING_INPUTS := config.yml domain.yml $(shell find data components -type f \( -name '*.yml' -o -name '*.py' \) 2>/dev/null)

.PHONY: help install train run test lint validate unit core nlu e2e lookups clean

help:
	@echo "make run   - set up, train if needed, and serve the assistant on http://127.0.0.1:5005"
	@echo "make test  - set up and run every check (lint, data validation, unit, stories, NLU, end-to-end)"

$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip==25.3
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	@touch $@

install: $(VENV)/.installed

$(MODEL): $(VENV)/.installed $(TRAINING_INPUTS)
	@mkdir -p models
	$(RASA) train --fixed-model-name current --out models
	@touch $@

train: $(MODEL)

run: $(MODEL)
	tools/serve.sh

lookups: install
	$(BIN)/python tools/build_nlu_lookups.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

validate: install
	$(RASA) data validate --fail-on-warnings

unit: install
	$(BIN)/pytest tests/unit -q

core: $(MODEL)
	$(RASA) test core --model $(MODEL) --stories tests/stories --fail-on-prediction-errors --out results/core

nlu: $(MODEL)
	$(RASA) test nlu --model $(MODEL) --nlu tests/nlu/es.yml --out results/nlu-es
	$(RASA) test nlu --model $(MODEL) --nlu tests/nlu/en.yml --out results/nlu-en
	$(BIN)/python tools/check_nlu_f1.py --min-f1 0.90 results/nlu-es results/nlu-en

e2e: $(MODEL)
	$(BIN)/pytest tests/e2e -q

test: lint validate unit core nlu e2e

clean:
	rm -rf models results var .rasa
