"""Where things live, from environment variables with offline defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RELEASE = PROJECT_ROOT / "data" / "releases" / "infinera-2012-q4.txt"


@dataclass(frozen=True)
class Settings:
    """Every knob the bot reads from its environment, read once."""

    index_dir: Path
    release: Path
    chroma_host: str | None
    chroma_port: int
    model: str | None
    base_url: str | None
    api_key: str | None

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        e = os.environ if env is None else env
        return cls(
            index_dir=Path(e.get("BOT_INDEX_DIR") or PROJECT_ROOT / "var" / "index"),
            release=Path(e.get("BOT_RELEASE") or DEFAULT_RELEASE),
            chroma_host=e.get("CHROMA_HOST") or None,
            chroma_port=int(e.get("CHROMA_PORT") or 8000),
            model=e.get("BOT_MODEL") or None,
            base_url=e.get("BOT_BASE_URL") or None,
            api_key=e.get("BOT_API_KEY") or None,
        )
