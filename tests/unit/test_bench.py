"""The parts of `make bench` that run without a server: statistics, targets, rendering (tools/bench/report.py),
the scripts (tools/bench/load.py), memory and CPU (tools/bench/resources.py), the options (tools/bench/bench.py)."""

from __future__ import annotations

import ast
import asyncio
import json
import os
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from aiohttp import web

from tools.bench.bench import Ports, parse_args
from tools.bench.load import SCRIPTS_FILE, load_scripts, run_conversations
from tools.bench.report import (
    BotResult,
    LevelResult,
    check_targets,
    p95_ratios,
    percentile,
    render_markdown,
    summarize,
    write_reports,
)
from tools.bench.resources import cpu_seconds, rss_mb


def level(concurrency: int, p95: float | None, errors: int = 0) -> LevelResult:
    return LevelResult(
        concurrency=concurrency, conversations=concurrency * 3, messages=30 * concurrency, errors=errors,
        p50_ms=10.0, p95_ms=p95, p99_ms=None if p95 is None else p95 * 2, throughput=12.5, wall_s=2.0,
        cpu_ms_per_message={"rasa": 8.0, "actions": 1.5},
    )


def bot(name: str, p95s: dict[int, float | None], training: float | None = 100.0, rss: float = 800.0) -> BotResult:
    return BotResult(
        name=name, training_s=training, model_mb=20.0, parse_p50_ms=5.0, parse_p95_ms=7.0, parse_errors=0,
        rss_mb={"rasa": rss}, levels=[level(c, p) for c, p in p95s.items()],
    )


@pytest.mark.parametrize("q", [1, 25, 50, 90, 95, 99])
def test_percentile_matches_numpy(q: int) -> None:
    values = [float(v) for v in np.random.default_rng(7).gamma(2.0, 30.0, size=137)]
    assert percentile(values, q) == pytest.approx(float(np.percentile(values, q)))


def test_percentile_edge_cases() -> None:
    assert percentile([], 95) is None
    assert percentile([42.0], 99) == 42.0
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0  # unsorted input
    assert percentile([0.0, 10.0], 95) == pytest.approx(9.5)
    for outside in (0, 100):
        with pytest.raises(ValueError):
            percentile([1.0, 2.0], outside)


def test_summarize_counts_failures_apart_from_latencies() -> None:
    result = summarize(10, 20, [float(v) for v in range(1, 101)], Counter({"timeout": 2, "no_reply": 1}), 4.0)
    assert result.messages == 103
    assert result.errors == 3
    assert result.errors_by_kind == {"timeout": 2, "no_reply": 1}
    assert result.p50_ms == pytest.approx(50.5)
    assert result.p99_ms == pytest.approx(99.01)
    assert result.throughput == pytest.approx(25.0)  # answered messages only


def test_summarize_with_nothing_answered() -> None:
    result = summarize(1, 1, [], Counter({"transport": 10}), 0.0)
    assert (result.p50_ms, result.p95_ms, result.throughput, result.errors) == (None, None, 0.0, 10)


def test_ratios_and_targets_pass() -> None:
    ours = bot("ours", {1: 60.0, 10: 120.0, 50: 500.0})
    stock = bot("stock", {1: 50.0, 10: 100.0, 50: 450.0})
    assert p95_ratios(ours, stock) == pytest.approx({1: 1.2, 10: 1.2, 50: 500 / 450})
    assert [t.verdict for t in check_targets(ours, stock)] == ["PASS"] * 4


def test_targets_miss_and_skip() -> None:
    ours = bot("ours", {1: 70.0, 10: 100.0}, training=None, rss=2000.0)
    ours.levels[1].errors = 1
    stock = bot("stock", {1: 50.0, 10: 100.0})
    verdicts = {t.name.split()[0]: t for t in check_targets(ours, stock)}
    assert verdicts["p95"].verdict == "MISS"  # 1.4x at C=1
    assert "C=1: 1.40x" in verdicts["p95"].detail
    assert verdicts["zero"].verdict == "MISS"
    assert verdicts["training"].verdict == "SKIP"
    assert verdicts["Rasa"].verdict == "MISS"


def test_a_level_without_latency_misses_the_ratio_target() -> None:
    ours = bot("ours", {1: None})
    stock = bot("stock", {1: 50.0})
    assert p95_ratios(ours, stock) == {1: None}
    assert check_targets(ours, stock)[0].verdict == "MISS"


def test_markdown_puts_the_bots_side_by_side() -> None:
    ours = bot("ours", {1: 60.0, 10: 120.0})
    stock = bot("stock", {1: 50.0, 10: 100.0})
    text = render_markdown(ours, stock, {"date": "today", "cpus": 2, "rasa": "3.6.21", "wall_s": 600})
    load = [line for line in text.splitlines() if line.startswith("| 1 ") or line.startswith("| 10 ")]
    assert load[:2] == [
        "| 1 | this assistant | 30 | 0 | 10 | 60 | 120 | 12.5 | 8.0 + 1.5 |",
        "| 1 | stock rasa init | 30 | 0 | 10 | 50 | 100 | 12.5 | 8.0 + 1.5 |",
    ]
    assert "| 10 | 1.20 |" in text
    assert "| Rasa RSS after load (MB) | 800 | 800 |" in text
    assert "| action server RSS after load (MB) | – | – |" in text
    assert "| zero errors | PASS | this assistant 0, stock 0 |" in text
    assert "10.0 min" in text
    for line in text.splitlines():
        if line.startswith("|"):
            assert line.endswith("|")


def test_the_scripts_have_the_same_length_for_both_bots() -> None:
    scripts = load_scripts(SCRIPTS_FILE)
    assert set(scripts) == {"ours", "stock"}
    assert len({len(s) for bot_scripts in scripts.values() for s in bot_scripts}) == 1


def test_scripts_of_different_lengths_are_refused(tmp_path: Path) -> None:
    bad = tmp_path / "c.yml"
    bad.write_text("ours:\n  - [hola, gracias]\nstock:\n  - [hello]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="same number"):
        load_scripts(bad)
    bad.write_text("ours:\n  - [hola]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="stock"):
        load_scripts(bad)


def test_memory_and_cpu_of_this_process() -> None:
    assert 1 < rss_mb(os.getpid()) < 10_000
    assert cpu_seconds(os.getpid()) > 0


def test_the_reports_are_written(tmp_path: Path) -> None:
    ours = bot("ours", {1: 60.0})
    stock = bot("stock", {1: 50.0})
    markdown = write_reports(ours, stock, {"date": "today"}, tmp_path / "out")
    assert (tmp_path / "out" / "bench.md").read_text(encoding="utf-8") == markdown
    report = json.loads((tmp_path / "out" / "bench.json").read_text(encoding="utf-8"))
    assert list(report["bots"]) == ["stock", "ours"]
    assert report["p95_ratio"] == {"1": pytest.approx(1.2)}
    assert (tmp_path / "out" / "bench.png").stat().st_size > 0


def test_ports_and_startup_timeout_are_options() -> None:
    assert parse_args([]).ports == Ports(16005, 16006, 16055)
    args = parse_args(["--ports", "17105,17106,17155", "--startup-timeout", "900"])
    assert (args.ports.rasa("ours"), args.ports.rasa("stock"), args.ports.actions) == (17105, 17106, 17155)
    assert args.startup_timeout == 900


def test_the_bench_and_the_launcher_import_nothing_from_the_tests() -> None:
    root = Path(__file__).resolve().parents[2]
    for source in [*sorted((root / "tools" / "bench").glob("*.py")), root / "tools" / "stack.py"]:
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            assert not [m for m in modules if m.split(".")[0] == "tests"], source


def test_the_load_counts_answers_and_failures_per_message() -> None:
    async def against_a_stand_in() -> tuple[list[float], Counter[str], float]:
        async def webhook(request: web.Request) -> web.Response:
            message = (await request.json())["message"]
            return web.json_response([] if message == "fail" else [{"text": "ok"}])

        app = web.Application()
        app.router.add_post("/webhook", webhook)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        try:
            scripts = [["hola", "fail"], ["hola", "gracias"]]
            return await run_conversations(f"http://127.0.0.1:{port}/webhook", scripts, 2, 4, "test", 10.0)
        finally:
            await runner.cleanup()

    latencies, failures, wall = asyncio.run(against_a_stand_in())
    assert len(latencies) == 6  # 4 conversations alternate between the two scripts
    assert failures == Counter({"no_reply": 2})  # a 200 with no message is a failure
    assert wall > 0
