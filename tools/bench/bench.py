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

This module trains and runs the benchmark; the bots are served by tools/stack.py (the launcher of the
tests), the load is tools/bench/load.py, memory and CPU tools/bench/resources.py, and the results
tools/bench/report.py.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

# Run as a script (`python tools/bench/bench.py`): the project root must be importable.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tools.bench.load import SCRIPTS_FILE, load_scripts, parse_latencies, run_conversations
from tools.bench.report import (
    LABELS,
    BotResult,
    LevelResult,
    number,
    percentile,
    summarize,
    write_reports,
)
from tools.bench.resources import cpu_seconds, rss_mb
from tools.stack import MODEL, ROOT, STARTUP_TIMEOUT_S, Stack, bin_dir, running_stack

logger = logging.getLogger(__name__)

LEVELS = (1, 10, 50)
RESULTS_DIR = ROOT / "results" / "bench"


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


# --- Serving and measuring -------------------------------------------------------------------------


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
                level.messages, level.errors, number(level.p50_ms), number(level.p95_ms), level.throughput,
            )
            levels.append(level)
        memory = {role: rss_mb(pid) for role, pid in pids.items()}
    return levels, (percentile(parse, 50), percentile(parse, 95), parse_failures), memory


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
    markdown = write_reports(ours, stock, meta, args.out)
    print(markdown)
    print(f"Written: {args.out / 'bench.md'}, bench.json, bench.png")
    if args.keep_workdir:
        print(f"Models and logs kept in {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if ours.errors or stock.errors else 0


if __name__ == "__main__":
    sys.exit(main())
