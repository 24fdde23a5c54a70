"""`make bench`, the report: latency percentiles, the results of each bot, the issue's targets, and the
results written as markdown (printed too), JSON and a plot."""

from __future__ import annotations

import json
import math
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROLES = ("rasa", "actions")  # the processes of a served bot
LABELS = {"ours": "this assistant", "stock": "stock rasa init"}

# Targets (issue 6). A MISS is reported, not fatal.
MAX_P95_RATIO = 1.25  # p95 latency of this assistant / the stock bot's, at every level
MAX_TRAINING_S = 180.0  # this assistant, from scratch
MAX_RASA_RSS_MB = 1536.0  # 1.5 GB, Rasa process and children, after the load


def percentile(values: Sequence[float], q: int) -> float | None:
    """The q-th percentile (1-99) with linear interpolation between ranks (statistics.quantiles' "inclusive"
    method, numpy's default); None when there are no values."""
    if not 1 <= q <= 99:
        raise ValueError(f"percentile must be within 1 and 99, got {q}")
    if len(values) < 2:  # quantiles() needs two points (before Python 3.13)
        return float(values[0]) if values else None
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


@dataclass
class LevelResult:
    """The load at one concurrency level."""

    concurrency: int
    conversations: int
    messages: int
    errors: int
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    throughput: float  # answered messages per second of wall time
    wall_s: float
    errors_by_kind: dict[str, int] = field(default_factory=dict)
    cpu_ms_per_message: dict[str, float] = field(default_factory=dict)  # per process: rasa, actions


def summarize(
    concurrency: int,
    conversations: int,
    latencies_ms: Sequence[float],
    errors: Counter[str],
    wall_s: float,
) -> LevelResult:
    """Latency percentiles of the answered messages, throughput, and the failures by kind."""
    answered = len(latencies_ms)
    failed = sum(errors.values())
    return LevelResult(
        concurrency=concurrency,
        conversations=conversations,
        messages=answered + failed,
        errors=failed,
        p50_ms=percentile(latencies_ms, 50),
        p95_ms=percentile(latencies_ms, 95),
        p99_ms=percentile(latencies_ms, 99),
        throughput=answered / wall_s if wall_s > 0 else 0.0,
        wall_s=wall_s,
        errors_by_kind=dict(errors),
    )


@dataclass
class BotResult:
    """Everything measured for one bot."""

    name: str
    training_s: float | None  # None: not measured (--skip-training-time)
    model_mb: float
    parse_p50_ms: float | None
    parse_p95_ms: float | None
    parse_errors: int
    rss_mb: dict[str, float]  # per process (rasa, actions), with children, after the load
    levels: list[LevelResult]

    @property
    def errors(self) -> int:
        return self.parse_errors + sum(level.errors for level in self.levels)

    def level(self, concurrency: int) -> LevelResult | None:
        return next((lv for lv in self.levels if lv.concurrency == concurrency), None)


def p95_ratios(ours: BotResult, stock: BotResult) -> dict[int, float | None]:
    """p95 of this assistant / p95 of the stock bot, per concurrency level both were measured at."""
    ratios: dict[int, float | None] = {}
    for level in ours.levels:
        other = stock.level(level.concurrency)
        if other is None:
            continue
        if level.p95_ms is None or not other.p95_ms:
            ratios[level.concurrency] = None
        else:
            ratios[level.concurrency] = level.p95_ms / other.p95_ms
    return ratios


@dataclass
class Target:
    name: str
    ok: bool | None  # None: not measured
    detail: str

    @property
    def verdict(self) -> str:
        return "SKIP" if self.ok is None else "PASS" if self.ok else "MISS"


def check_targets(ours: BotResult, stock: BotResult) -> list[Target]:
    """The issue's targets for this assistant, each PASS, MISS or SKIP (not measured)."""
    ratios = p95_ratios(ours, stock)
    worst = [r for r in ratios.values() if r is not None]
    ratio_ok = bool(ratios) and len(worst) == len(ratios) and max(worst) <= MAX_P95_RATIO
    ratio_detail = ", ".join(f"C={c}: {number(r, 2)}x" for c, r in ratios.items()) or "no level measured"
    training = ours.training_s
    rss = ours.rss_mb.get("rasa")
    return [
        Target(f"p95 <= {MAX_P95_RATIO}x stock at every level", ratio_ok, ratio_detail),
        Target(
            "zero errors",
            ours.errors == 0 and stock.errors == 0,
            f"this assistant {ours.errors}, stock {stock.errors}",
        ),
        Target(
            f"training from scratch < {MAX_TRAINING_S:.0f} s",
            None if training is None else training < MAX_TRAINING_S,
            "not measured (--skip-training-time)" if training is None else f"{training:.0f} s",
        ),
        Target(
            f"Rasa RSS < {MAX_RASA_RSS_MB / 1024:.1f} GB",
            None if rss is None else rss < MAX_RASA_RSS_MB,
            "not measured" if rss is None else f"{rss:.0f} MB",
        ),
    ]


def number(value: float | None, digits: int = 0) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def render_markdown(ours: BotResult, stock: BotResult, meta: dict[str, Any]) -> str:
    """The results as markdown: the load side by side per level, the ratios, the one-off numbers
    and the targets."""
    bots = (ours, stock)
    out = [
        f"# Benchmark: {LABELS['ours']} vs {LABELS['stock']}",
        "",
        f"{meta.get('date', '')}, {meta.get('cpus', '?')} CPUs, Rasa {meta.get('rasa', '?')}, "
        f"{meta.get('messages_per_conversation', '?')} messages per conversation, "
        f"max(C x {meta.get('rounds', '?')}, {meta.get('min_conversations', '?')}) conversations per level, "
        "latency in ms.",
        "",
        "## Load (REST channel)",
        "",
    ]
    rows = []
    for level in ours.levels:
        for bot in bots:
            lv = bot.level(level.concurrency)
            if lv is None:
                continue
            cpu = " + ".join(number(lv.cpu_ms_per_message[r], 1) for r in ROLES if r in lv.cpu_ms_per_message) or "–"
            rows.append([
                str(lv.concurrency), LABELS[bot.name], str(lv.messages), str(lv.errors), number(lv.p50_ms),
                number(lv.p95_ms), number(lv.p99_ms), number(lv.throughput, 1), cpu,
            ])
    header = ["C", "bot", "messages", "errors", "p50", "p95", "p99", "msg/s", "CPU ms/msg (Rasa + actions)"]
    out += _table(header, rows)
    out += ["", "## p95 ratio (this assistant / stock)", ""]
    out += _table(["C", "ratio"], [[str(c), number(r, 2)] for c, r in p95_ratios(ours, stock).items()])
    out += ["", "## Per bot", ""]
    summary = [
        ("training from scratch (s)", [number(b.training_s) for b in bots]),
        ("model size (MB)", [number(b.model_mb, 1) for b in bots]),
        ("NLU parse p50 (ms)", [number(b.parse_p50_ms, 1) for b in bots]),
        ("NLU parse p95 (ms)", [number(b.parse_p95_ms, 1) for b in bots]),
        ("Rasa RSS after load (MB)", [number(b.rss_mb.get("rasa")) for b in bots]),
        ("action server RSS after load (MB)", [number(b.rss_mb.get("actions")) for b in bots]),
    ]
    out += _table(["", LABELS["ours"], LABELS["stock"]], [[name, *values] for name, values in summary])
    out += ["", "## Targets (this assistant)", ""]
    out += _table(["target", "result", "measured"], [[t.name, t.verdict, t.detail] for t in check_targets(ours, stock)])
    if "wall_s" in meta:
        out += ["", f"Benchmark wall time: {meta['wall_s'] / 60:.1f} min."]
    return "\n".join(out) + "\n"



def plot(ours: BotResult, stock: BotResult, path: Path) -> None:
    """Latency percentiles and throughput per concurrency level, both bots."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullLocator

    colours = {"ours": "tab:blue", "stock": "tab:orange"}
    figure, (latency, throughput) = plt.subplots(1, 2, figsize=(12, 4.5))
    levels = [lv.concurrency for lv in ours.levels]
    width = 0.38
    for offset, bot in zip((-width / 2, width / 2), (ours, stock), strict=True):
        measured = [lv for lv in bot.levels if lv.concurrency in levels]
        xs = [lv.concurrency for lv in measured]
        for key, style in (("p50_ms", "-"), ("p95_ms", "--"), ("p99_ms", ":")):
            ys = [getattr(lv, key) if getattr(lv, key) is not None else math.nan for lv in measured]
            latency.plot(xs, ys, style, marker="o", color=colours[bot.name],
                         label=f"{LABELS[bot.name]} {key.removesuffix('_ms')}")
        positions = [levels.index(x) + offset for x in xs]
        throughput.bar(positions, [lv.throughput for lv in measured], width, color=colours[bot.name],
                       label=LABELS[bot.name])
    latency.set_xscale("log")
    latency.set_yscale("log")
    latency.xaxis.set_minor_locator(NullLocator())
    latency.set_xticks(levels, [str(c) for c in levels])
    latency.set_xlabel("concurrent conversations")
    latency.set_ylabel("latency per message (ms, log scale)")
    latency.set_title("REST latency")
    latency.grid(True, alpha=0.3)
    latency.legend(fontsize=8)
    highest = max((lv.throughput for bot in (ours, stock) for lv in bot.levels), default=0.0)
    throughput.set_ylim(0, highest * 1.25 or 1)  # room for the legend above the bars
    throughput.set_xticks(range(len(levels)), [str(c) for c in levels])
    throughput.set_xlabel("concurrent conversations")
    throughput.set_ylabel("messages per second")
    throughput.set_title("Throughput")
    throughput.grid(True, axis="y", alpha=0.3)
    throughput.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)




def write_reports(ours: BotResult, stock: BotResult, meta: dict[str, Any], out: Path) -> str:
    """bench.md, bench.json and bench.png in `out`; returns the markdown."""
    markdown = render_markdown(ours, stock, meta)
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.md").write_text(markdown, encoding="utf-8")
    report = {
        "meta": meta,
        "bots": {bot.name: asdict(bot) for bot in (stock, ours)},  # in the order they were measured
        "p95_ratio": {str(c): r for c, r in p95_ratios(ours, stock).items()},
        "targets": [{**asdict(t), "verdict": t.verdict} for t in check_targets(ours, stock)],
    }
    (out / "bench.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    plot(ours, stock, out / "bench.png")
    return markdown
