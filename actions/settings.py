"""Configuration read from environment variables, in one place.

See `.env.example` for every variable and its default.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """Runtime settings of the action server."""

    directory_file: Path
    places_file: Path
    default_language: str
    place_match_threshold: float


def load_settings() -> Settings:
    """Read the settings from the environment (call at run time, not at import time)."""
    return Settings(
        directory_file=Path(
            os.environ.get("DIRECTORY_FILE", PROJECT_ROOT / "directory" / "referral_directory.yml")
        ),
        places_file=Path(os.environ.get("PLACES_FILE", PROJECT_ROOT / "directory" / "places.yml")),
        default_language=os.environ.get("DEFAULT_LANGUAGE", "es"),
        place_match_threshold=float(os.environ.get("PLACE_MATCH_THRESHOLD", "85")),
    )
