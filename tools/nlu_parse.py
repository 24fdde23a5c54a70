"""The trained model's NLU, in-process, for the measuring tools: load once, parse many, no log line per message.

    agent = load_agent(Path("models/current.tar.gz"))
    parsed = parse(agent, ["hola", "necesito asilo"])   # Rasa's parse data, one dict per text
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any


def load_agent(model: Path | str) -> Any:
    """Rasa's Agent for `model`, with Rasa's per-message debug logs (which quote the text) silenced."""
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    return Agent.load(str(model))


def parse(agent: Any, texts: list[str]) -> list[dict[str, Any]]:
    """The parse data of each text, in order."""

    async def parse_all() -> list[dict[str, Any]]:
        return [await agent.parse_message(text) for text in texts]

    return asyncio.run(parse_all())
