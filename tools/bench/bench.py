"""`make bench`: this assistant against the stock `rasa init` bot, measured the same way in one run.

1. Training from scratch, timed: the stock bot with `rasa init --no-prompt` in a temporary folder,
   this assistant with `rasa train` on the project's config, domain and data into a temporary folder.
   Each gets an empty Rasa cache (RASA_CACHE_DIRECTORY), so nothing trained before is reused.
2. Each bot in turn (never both at once) is served with the same settings: `rasa run` on 127.0.0.1,
   credentials.yml (the same REST channel), a fresh SQLite PrivateSQLTrackerStore, LOG_LEVEL=INFO,
   and the HTTP API on with a random token (only for the NLU measurement). This assistant also gets
   its action server. The stock bot is served from the model `rasa init` trained, this assistant from
   models/current.tar.gz (the model `make run` serves).
3. Warm-up (each script once, each message parsed once), then the NLU floor: every message of the
   bot's scripts sent one at a time to POST /model/parse. Then the load: at each concurrency level C,
   C conversations in flight over POST /webhooks/rest/webhook, each a script from conversations.yml
   sent message by message with a unique sender id, until max(C x rounds, 20) conversations are done.
4. Resident memory (process and children) of Rasa and of the action server after the load.

Results: a table on stdout, results/bench/bench.md, bench.json and bench.png. Exit code 0 when every
request got an answer (the targets are informational: a MISS does not fail), 1 when any request
failed, 2 when the benchmark could not run. See tools/bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import math
import os
import platform
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

import aiohttp
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tools.stack import MODEL, ROOT, STARTUP_TIMEOUT_S, Stack, bin_dir, running_stack

logger = logging.getLogger(__name__)

BOTS = ("ours", "stock")
ROLES = ("rasa", "actions")  # the processes of a served bot
LABELS = {"ours": "this assistant", "stock": "stock rasa init"}
LEVELS = (1, 10, 50)
SCRIPTS_FILE = Path(__file__).resolve().parent / "conversations.yml"
RESULTS_DIR = ROOT / "results" / "bench"

# Targets (issue 6). A MISS is reported, not fatal.
MAX_P95_RATIO = 1.25  # p95 latency of this assistant / the stock bot's, at every level
MAX_TRAINING_S = 180.0  # this assistant, from scratch
MAX_RASA_RSS_MB = 1536.0  # 1.5 GB, Rasa process and children, after the load


@dataclass(frozen=True)
class Ports:
    """Where the bots are served: Rasa for each bot, and this assistant's action server."""

    ours: int = 16005
    stock: int = 16006
    actions: int = 16055

    @classmethod
    def parse(cls, text: str) -> Ports:
        """`OURS,STOCK,ACTIONS`, e.g. 16005,16006,16055."""
        ours, stock, actions = (int(port) for port in text.split(","))
        return cls(ours, stock, actions)

    def rasa(self, bot: str) -> int:
        return self.ours if bot == "ours" else self.stock


# --- Statistics and rendering (pure) -------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0-100) with linear interpolation between ranks (numpy's default);
    None when there are no values."""
    if not values:
        return None
    if not 0 <= q <= 100:
        raise ValueError(f"percentile must be within 0 and 100, got {q}")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


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
    ratio_detail = ", ".join(f"C={c}: {_num(r, 2)}x" for c, r in ratios.items()) or "no level measured"
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


def _num(value: float | None, digits: int = 0) -> str:
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
            cpu = " + ".join(_num(lv.cpu_ms_per_message[r], 1) for r in ROLES if r in lv.cpu_ms_per_message) or "–"
            rows.append([
                str(lv.concurrency), LABELS[bot.name], str(lv.messages), str(lv.errors), _num(lv.p50_ms),
                _num(lv.p95_ms), _num(lv.p99_ms), _num(lv.throughput, 1), cpu,
            ])
    header = ["C", "bot", "messages", "errors", "p50", "p95", "p99", "msg/s", "CPU ms/msg (Rasa + actions)"]
    out += _table(header, rows)
    out += ["", "## p95 ratio (this assistant / stock)", ""]
    out += _table(["C", "ratio"], [[str(c), _num(r, 2)] for c, r in p95_ratios(ours, stock).items()])
    out += ["", "## Per bot", ""]
    summary = [
        ("training from scratch (s)", [_num(b.training_s) for b in bots]),
        ("model size (MB)", [_num(b.model_mb, 1) for b in bots]),
        ("NLU parse p50 (ms)", [_num(b.parse_p50_ms, 1) for b in bots]),
        ("NLU parse p95 (ms)", [_num(b.parse_p95_ms, 1) for b in bots]),
        ("Rasa RSS after load (MB)", [_num(b.rss_mb.get("rasa")) for b in bots]),
        ("action server RSS after load (MB)", [_num(b.rss_mb.get("actions")) for b in bots]),
    ]
    out += _table(["", LABELS["ours"], LABELS["stock"]], [[name, *values] for name, values in summary])
    out += ["", "## Targets (this assistant)", ""]
    out += _table(["target", "result", "measured"], [[t.name, t.verdict, t.detail] for t in check_targets(ours, stock)])
    if "wall_s" in meta:
        out += ["", f"Benchmark wall time: {meta['wall_s'] / 60:.1f} min."]
    return "\n".join(out) + "\n"


def load_scripts(path: Path) -> dict[str, list[list[str]]]:
    """The conversation scripts per bot; every script of both bots must have the same length."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    scripts: dict[str, list[list[str]]] = {}
    for bot in BOTS:
        entries = raw.get(bot) if isinstance(raw, dict) else None
        if not entries or not all(isinstance(s, list) and s and all(isinstance(m, str) for m in s) for s in entries):
            raise ValueError(f"{path}: '{bot}' must be a list of scripts, each a list of messages")
        scripts[bot] = [list(s) for s in entries]
    lengths = {len(s) for bot_scripts in scripts.values() for s in bot_scripts}
    if len(lengths) != 1:
        raise ValueError(f"{path}: every script must have the same number of messages, found {sorted(lengths)}")
    return scripts


# --- Processes: memory and CPU from /proc ---------------------------------------------------------


def _proc_stat(pid: int) -> list[str]:
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2 :].split()  # fields from the 3rd (state) on


def process_tree(pid: int) -> list[int]:
    """`pid` and all its descendants that are alive."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents.setdefault(int(_proc_stat(int(entry.name))[1]), []).append(int(entry.name))
            except (OSError, ValueError, IndexError):
                continue  # exited meanwhile
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(parents.get(current, []))
    return tree


def rss_mb(pid: int) -> float:
    """Resident memory of `pid` and its children, in MB (MiB)."""
    total_kb = 0
    for member in process_tree(pid):
        try:
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
        except OSError:
            continue
    return total_kb / 1024


def cpu_seconds(pid: int) -> float:
    """User + system CPU time used so far by `pid` and its children."""
    ticks = 0
    for member in process_tree(pid):
        try:
            fields = _proc_stat(member)
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, ValueError, IndexError):
            continue
    return ticks / os.sysconf("SC_CLK_TCK")


# --- Training --------------------------------------------------------------------------------------


def training_env(cache: Path) -> dict[str, str]:
    """The environment of a training run, with an empty Rasa cache so that everything is trained from scratch."""
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "TQDM_DISABLE": "1",
        "LOG_LEVEL": "INFO",
        "RASA_CACHE_DIRECTORY": str(cache),
    }


def _run_timed(command: list[str], cwd: Path, env: dict[str, str], log: Path) -> float:
    logger.info("%s (log: %s)", " ".join(command[1:3]), log)
    start = time.perf_counter()
    with log.open("w") as out:
        result = subprocess.run(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command[1:3])} failed ({result.returncode}):\n{log.read_text()[-3000:]}")
    return elapsed


def train_stock(workdir: Path) -> tuple[float, Path]:
    """`rasa init --no-prompt` (scaffold and train) in a fresh folder; (seconds, model)."""
    project = workdir / "stock"
    project.mkdir()
    seconds = _run_timed(
        [str(bin_dir() / "rasa"), "init", "--no-prompt", "--init-dir", str(project)],
        workdir,
        training_env(workdir / "cache-stock"),
        workdir / "train-stock.log",
    )
    models = sorted((project / "models").glob("*.tar.gz"))
    if not models:
        raise RuntimeError(f"rasa init left no model in {project / 'models'}")
    return seconds, models[-1]


def train_ours(workdir: Path) -> float:
    """`rasa train` of this assistant into a temporary folder, with an empty cache; seconds."""
    return _run_timed(
        [str(bin_dir() / "rasa"), "train", "--config", str(ROOT / "config.yml"), "--domain", str(ROOT / "domain.yml"),
         "--data", str(ROOT / "data"), "--out", str(workdir / "ours-model"), "--fixed-model-name", "bench"],
        ROOT,
        training_env(workdir / "cache-ours"),
        workdir / "train-ours.log",
    )


# --- Serving ---------------------------------------------------------------------------------------


def bot_stack(bot: str, model: Path, workdir: Path, token: str, args: argparse.Namespace) -> Stack:
    """How a bot is served: the same settings for both (credentials.yml, a fresh SQLite tracker store, the HTTP
    API with `token`); this assistant also gets its action server. Logs and databases: `workdir`/serve-<bot>."""
    return Stack(
        workdir=workdir / f"serve-{bot}",
        rasa_port=args.ports.rasa(bot),
        action_port=args.ports.actions if bot == "ours" else None,
        model=model,
        api_token=token,
        startup_timeout_s=args.startup_timeout,
    )


# --- Load ------------------------------------------------------------------------------------------


async def _send(
    session: aiohttp.ClientSession, url: str, payload: dict[str, str], timeout_s: float, parse: bool = False
) -> tuple[float, str | None]:
    """POST one message to the REST webhook (or, with `parse`, to /model/parse); (milliseconds, kind
    of failure or None). A REST reply with no message counts as a failure: the channel answers 200
    with what it collected even when processing failed."""
    start = time.perf_counter()
    try:
        async with session.post(url, json=payload, timeout=aiohttp.ClientTimeout(total=timeout_s)) as response:
            body = await response.read()
            if response.status != 200:
                return _ms(start), f"http_{response.status}"
            if parse:
                return _ms(start), None if b'"intent"' in body else "no_intent"
            replies = json.loads(body)
            return _ms(start), None if isinstance(replies, list) and replies else "no_reply"
    except asyncio.TimeoutError:
        return _ms(start), "timeout"
    except (aiohttp.ClientError, ValueError):
        return _ms(start), "transport"


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


async def run_conversations(
    url: str, scripts: Sequence[Sequence[str]], concurrency: int, conversations: int, tag: str, timeout_s: float
) -> tuple[list[float], Counter[str], float]:
    """`conversations` conversations, `concurrency` at a time; (latencies of the answered messages,
    failures by kind, wall seconds)."""
    latencies: list[float] = []
    failures: Counter[str] = Counter()
    queue: asyncio.Queue[int] = asyncio.Queue()
    for index in range(conversations):
        queue.put_nowait(index)

    async def worker(session: aiohttp.ClientSession) -> None:
        while not queue.empty():
            index = queue.get_nowait()
            sender = f"bench-{tag}-{index}"
            for text in scripts[index % len(scripts)]:
                elapsed, failure = await _send(session, url, {"sender": sender, "message": text}, timeout_s)
                if failure is None:
                    latencies.append(elapsed)
                else:
                    failures[failure] += 1

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        start = time.perf_counter()
        await asyncio.gather(*(worker(session) for _ in range(min(concurrency, conversations))))
        wall = time.perf_counter() - start
    return latencies, failures, wall


async def parse_latencies(url: str, texts: Sequence[str], timeout_s: float) -> tuple[list[float], int]:
    """POST each text to /model/parse, one at a time; (latencies, failures)."""
    latencies: list[float] = []
    failures = 0
    async with aiohttp.ClientSession() as session:
        for text in texts:
            elapsed, failure = await _send(session, url, {"text": text}, timeout_s, parse=True)
            if failure is None:
                latencies.append(elapsed)
            else:
                failures += 1
    return latencies, failures


def bench_bot(
    bot: str, model: Path, scripts: list[list[str]], args: argparse.Namespace, workdir: Path
) -> tuple[list[LevelResult], tuple[float | None, float | None, int], dict[str, float]]:
    """Serve one bot and measure it: (load per level, (parse p50, parse p95, parse failures), RSS)."""
    token = secrets.token_hex(24)  # hex: a token starting with "-" would read as an option
    stack = bot_stack(bot, model, workdir, token, args)
    base = stack.rasa_url
    webhook = f"{base}/webhooks/rest/webhook"
    parse_url = f"{base}/model/parse?token={token}"
    run_id = uuid.uuid4().hex[:8]
    texts = [text for script in scripts for text in script]
    logger.info("serving %s", LABELS[bot])
    with running_stack(stack, env={"TQDM_DISABLE": "1"}) as processes:
        pids = processes.pids  # by role: rasa, and actions for this assistant
        _, warm_failures, _ = asyncio.run(
            run_conversations(webhook, scripts, 1, len(scripts), f"{run_id}-warmup", args.timeout)
        )
        _, parse_warm_failures = asyncio.run(parse_latencies(parse_url, texts, args.timeout))
        if warm_failures or parse_warm_failures:
            logger.warning("%s: warm-up failures %s, parse %d", bot, dict(warm_failures), parse_warm_failures)
        parse, parse_failures = asyncio.run(parse_latencies(parse_url, texts * args.parse_repeats, args.timeout))
        levels = []
        for concurrency in args.levels:
            conversations = max(concurrency * args.rounds, args.min_conversations)
            cpu_before = {role: cpu_seconds(pid) for role, pid in pids.items()}
            tag = f"{run_id}-c{concurrency}"
            latencies, failures, wall = asyncio.run(
                run_conversations(webhook, scripts, concurrency, conversations, tag, args.timeout)
            )
            level = summarize(concurrency, conversations, latencies, failures, wall)
            level.cpu_ms_per_message = {
                role: (cpu_seconds(pid) - cpu_before[role]) * 1000 / max(level.messages, 1)
                for role, pid in pids.items()
            }
            logger.info(
                "%s C=%d: %d messages, %d errors, p50 %s ms, p95 %s ms, %.1f msg/s", bot, concurrency,
                level.messages, level.errors, _num(level.p50_ms), _num(level.p95_ms), level.throughput,
            )
            levels.append(level)
        memory = {role: rss_mb(pid) for role, pid in pids.items()}
    return levels, (percentile(parse, 50), percentile(parse, 95), parse_failures), memory


# --- Plot ------------------------------------------------------------------------------------------


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


# --- Main ------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-training-time", action="store_true",
                        help="do not time the training of this assistant (the stock bot is trained anyway)")
    parser.add_argument("--levels", type=lambda s: [int(c) for c in s.split(",")], default=list(LEVELS),
                        help="concurrency levels, comma-separated (default 1,10,50)")
    parser.add_argument("--rounds", type=int, default=2,
                        help="conversations per level: level x rounds (default 2) ...")
    parser.add_argument("--min-conversations", type=int, default=20, help="... and at least this many (default 20)")
    parser.add_argument("--parse-repeats", type=int, default=3, help="NLU parses per script message (default 3)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before a request counts as failed")
    parser.add_argument("--stock-model", type=Path,
                        help="serve this stock model instead of running `rasa init` (its training is then not timed)")
    parser.add_argument("--model", type=Path, default=MODEL, help="this assistant's model (default %(default)s)")
    parser.add_argument("--scripts", type=Path, default=SCRIPTS_FILE, help="the conversations (default %(default)s)")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR, help="results folder (default %(default)s)")
    parser.add_argument("--keep-workdir", action="store_true", help="keep the temporary folder (models, logs)")
    parser.add_argument("--ports", type=Ports.parse, default=Ports(),
                        help="Rasa of this assistant, of the stock bot, the action server (default 16005,16006,16055)")
    parser.add_argument("--startup-timeout", type=float, default=STARTUP_TIMEOUT_S,
                        help="seconds a server may take to answer after its start (default %(default)s)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s bench: %(message)s", datefmt="%H:%M:%S")
    args = parse_args(argv)
    if not args.model.exists():
        logger.error("%s is missing: run `make train`", args.model)
        return 2
    if args.stock_model is not None and not args.stock_model.exists():
        logger.error("%s is missing", args.stock_model)
        return 2
    scripts = load_scripts(args.scripts)
    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="rasa-bench-"))
    try:
        # A copy: `make train` may replace models/current.tar.gz while the benchmark runs.
        ours_model = Path(shutil.copy2(args.model, workdir / "ours.tar.gz"))
        stock_training: float | None = None
        if args.stock_model is not None:
            stock_model = args.stock_model
        else:
            stock_training, stock_model = train_stock(workdir)
            logger.info("stock bot trained in %.0f s", stock_training)
        ours_training = None if args.skip_training_time else train_ours(workdir)
        if ours_training is not None:
            logger.info("this assistant trained in %.0f s", ours_training)
        results = {}
        for bot, model, training in (("stock", stock_model, stock_training), ("ours", ours_model, ours_training)):
            levels, (parse_p50, parse_p95, parse_errors), memory = bench_bot(bot, model, scripts[bot], args, workdir)
            results[bot] = BotResult(bot, training, model.stat().st_size / 2**20, parse_p50, parse_p95,
                                     parse_errors, memory, levels)
    except (RuntimeError, OSError) as error:
        logger.error("the benchmark could not run (files kept in %s): %s", workdir, error)
        return 2
    ours, stock = results["ours"], results["stock"]
    meta = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "rasa": metadata.version("rasa"),
        "levels": args.levels,
        "rounds": args.rounds,
        "min_conversations": args.min_conversations,
        "messages_per_conversation": len(scripts["ours"][0]),
        "parse_method": "POST /model/parse on the served bot, one request at a time, after warm-up",
        "wall_s": time.perf_counter() - started,
    }
    markdown = render_markdown(ours, stock, meta)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench.md").write_text(markdown, encoding="utf-8")
    report = {
        "meta": meta,
        "bots": {bot: asdict(result) for bot, result in results.items()},
        "p95_ratio": {str(c): r for c, r in p95_ratios(ours, stock).items()},
        "targets": [{**asdict(t), "verdict": t.verdict} for t in check_targets(ours, stock)],
    }
    (args.out / "bench.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    plot(ours, stock, args.out / "bench.png")
    print(markdown)
    print(f"Written: {args.out / 'bench.md'}, bench.json, bench.png")
    if args.keep_workdir:
        print(f"Models and logs kept in {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if ours.errors or stock.errors else 0


if __name__ == "__main__":
    sys.exit(main())
