"""Tables for docs/features.md from the experiment's results (run from the project folder):

    .venv/bin/python -m tools.experiments.summarize baseline:. minilm:../feat-minilm spacy:../feat-spacy
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

LANGS = ("es", "en", "fr", "ht")


def realistic(root: Path, name: str) -> dict:
    return dict(json.loads((root / "results" / f"realistic-{name}.json").read_text(encoding="utf-8")))


def f1(root: Path, name: str, lang: str) -> float | None:
    path = root / "results" / f"nlu-{name}-{lang}" / "intent_report.json"
    if not path.exists():
        return None
    return float(json.loads(path.read_text(encoding="utf-8"))["macro avg"]["f1-score"])


def main(argv: list[str]) -> int:
    rows = []
    for spec in argv:
        name, _, folder = spec.partition(":")
        root = Path(folder or ".")
        r = realistic(root, name)
        acc = " | ".join(f"{r[lang]['accuracy']:.3f}" for lang in LANGS)
        nu = " | ".join(f"{100 * r[lang]['not_understood']:.1f} %" for lang in LANGS)
        f = " | ".join(f"{v:.3f}" if (v := f1(root, name, lang)) is not None else "-" for lang in LANGS)
        total = sum(r[lang]["accuracy"] * r[lang]["questions"] for lang in LANGS) / sum(
            r[lang]["questions"] for lang in LANGS)
        emerg = " | ".join(f"{round(r[lang]['emergency_recall'] * r[lang]['urgent'])}/{r[lang]['urgent']}"
                           for lang in LANGS)
        conv = " | ".join(f"{round(r[lang]['conversations'] * r[lang]['conversations_count'])}/"
                          f"{r[lang]['conversations_count']}" for lang in LANGS)
        rows.append((name, acc, f"{total:.3f}", nu, f, emerg, conv))
    print("| option | realistic accuracy es | en | fr | ht | all |")
    print("|---|---|---|---|---|---|")
    for name, acc, total, *_ in rows:
        print(f"| {name} | {acc} | {total} |")
    print("\n| option | didn't understand es | en | fr | ht |\n|---|---|---|---|---|")
    for name, _, _, nu, *_ in rows:
        print(f"| {name} | {nu} |")
    print("\n| option | held-out macro-F1 es | en | fr | ht |\n|---|---|---|---|---|")
    for name, _, _, _, f, *_ in rows:
        print(f"| {name} | {f} |")
    print("\n| option | emergencies caught es | en | fr | ht |\n|---|---|---|---|---|")
    for name, *_, emerg, _ in rows:
        print(f"| {name} | {emerg} |")
    print("\n| option | conversations es | en | fr | ht |\n|---|---|---|---|---|")
    for name, *_, conv in rows:
        print(f"| {name} | {conv} |")
    return 0




def bench_rows(specs: list[str]) -> None:
    """`make bench` tables: NAME:results/bench-NAME (bench.json)."""
    print("| run | C | ours p50 | ours p95 | stock p95 | p95 ratio | ours CPU ms/msg (Rasa) | ours msg/s |")
    print("|---|---|---|---|---|---|---|---|")
    extra = []
    for spec in specs:
        name, _, folder = spec.partition(":")
        data = json.loads((Path(folder) / "bench.json").read_text(encoding="utf-8"))
        ours, stock = data["bots"]["ours"], data["bots"]["stock"]
        for o, s in zip(ours["levels"], stock["levels"], strict=True):
            print(f"| {name} | {o['concurrency']} | {o['p50_ms']:.0f} | {o['p95_ms']:.0f} | {s['p95_ms']:.0f} | "
                  f"{o['p95_ms'] / s['p95_ms']:.2f} | {o['cpu_ms_per_message']['rasa']:.1f} | {o['throughput']:.1f} |")
        extra.append(f"| {name} | {data['meta']['date']} | {ours['parse_p50_ms']:.1f} | {ours['parse_p95_ms']:.1f} | "
                     f"{stock['parse_p50_ms']:.1f} | {ours['rss_mb']['rasa']:.0f} | {stock['rss_mb']['rasa']:.0f} | "
                     f"{ours['model_mb']:.1f} |")
    print("\n| run | date | ours NLU parse p50 | p95 | stock parse p50 | ours Rasa RSS MB | stock Rasa RSS MB"
          " | model MB |")
    print("|---|---|---|---|---|---|---|---|")
    print("\n".join(extra))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--bench"]:
        bench_rows(sys.argv[2:])
        sys.exit(0)
    sys.exit(main(sys.argv[1:]))
