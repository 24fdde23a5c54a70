"""`make bench`, the load: the conversation scripts, and the requests sent to a served bot (REST conversations,
C at a time, and NLU parses one at a time), timed."""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import aiohttp
import yaml

BOTS = ("ours", "stock")
SCRIPTS_FILE = Path(__file__).resolve().parent / "conversations.yml"


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


