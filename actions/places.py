"""Match what people type ("tapachla", "cdmx", "nuevo leon") to a Mexican state and city.

Names and aliases come from `directory/places.yml`; typos are tolerated with rapidfuzz.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from common.settings import load_settings
from common.text import fold, tokens

logger = logging.getLogger(__name__)

MIN_FUZZY_LENGTH = 5  # shorter words must match exactly ("df", "nl", "slp")
MAX_NGRAM = 5


@dataclass(frozen=True)
class Place:
    """A resolved place: always a state, sometimes a city inside it."""

    state: str
    city: str | None = None

    @property
    def display(self) -> str:
        return f"{self.city}, {self.state}" if self.city else self.state


class Gazetteer:
    """Index of state names, aliases and cities."""

    def __init__(self, states: list[dict], threshold: float) -> None:
        self.threshold = threshold
        self.states = [s["name"] for s in states]
        self._index: dict[str, Place] = {}
        for state in states:
            for city in state.get("cities", []):
                self._index.setdefault(fold(city), Place(state["name"], city))
        # State names and aliases win over a city of the same name ("Puebla", "Chihuahua").
        for state in states:
            for name in (state["name"], *state.get("aliases", [])):
                self._index[fold(name)] = Place(state["name"])
        self._fuzzy_keys = [k for k in self._index if len(k) >= MIN_FUZZY_LENGTH]

    def resolve(self, value: str | None) -> Place | None:
        """Place for a whole value such as an extracted entity ("Tapachula", "nuevo lion")."""
        if not value:
            return None
        key = fold(value)
        if key in self._index:
            return self._index[key]
        if len(key) < MIN_FUZZY_LENGTH:
            return None
        match = process.extractOne(key, self._fuzzy_keys, scorer=fuzz.ratio, score_cutoff=self.threshold)
        return self._index[match[0]] if match else None

    def find_in_text(self, text: str) -> Place | None:
        """Best place mentioned anywhere in a message: the longest match, a city on ties."""
        words = tokens(text)
        found: list[tuple[int, int, Place]] = []  # (length, is_city, place)
        for size in range(min(MAX_NGRAM, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                gram = " ".join(words[start : start + size])
                place = self._index.get(gram)
                if place is None and len(gram) >= MIN_FUZZY_LENGTH + 2:
                    match = process.extractOne(
                        gram, self._fuzzy_keys, scorer=fuzz.ratio, score_cutoff=self.threshold
                    )
                    place = self._index[match[0]] if match else None
                if place is not None:
                    found.append((len(gram), int(place.city is not None), place))
        if not found:
            return None
        return max(found, key=lambda item: (item[0], item[1]))[2]


def load_gazetteer(path: Path, threshold: float) -> Gazetteer:
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return Gazetteer(data["states"], threshold)


@lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    """The configured gazetteer, loaded once on first use."""
    settings = load_settings()
    return load_gazetteer(settings.places_file, settings.place_match_threshold)
