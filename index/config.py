"""Where things live, from environment variables with offline defaults."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from index.errors import BadSetting

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RELEASE = PROJECT_ROOT / "data" / "releases" / "infinera-2012-q4.txt"
# Third-party benchmark data beside the project, never copied into it.
TATQA_DIR = Path(
    os.environ.get("TATQA_DIR") or PROJECT_ROOT.parent / "shared" / "benchmarks" / "tatqa"
)


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
    ingest_wait: float = 600.0  # seconds an ingest waits for another one to finish

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        e = os.environ if env is None else env
        return cls(
            index_dir=Path(e.get("BOT_INDEX_DIR") or PROJECT_ROOT / "var" / "index"),
            release=Path(e.get("BOT_RELEASE") or DEFAULT_RELEASE),
            chroma_host=e.get("CHROMA_HOST") or None,
            chroma_port=int(_number(e, "CHROMA_PORT", 8000)),
            model=e.get("BOT_MODEL") or None,
            base_url=e.get("BOT_BASE_URL") or None,
            api_key=e.get("BOT_API_KEY") or None,
            ingest_wait=_number(e, "BOT_INGEST_WAIT", 600.0),
        )


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    """A numeric setting, or one line naming the variable when it holds something else."""
    text = (env.get(name) or "").strip()
    if not text:
        return default
    try:
        value = float(text) if isinstance(default, float) else int(text)
    except ValueError:
        raise BadSetting(f"{name} must be a number, not {text!r}") from None
    if value < 0:
        raise BadSetting(f"{name} must not be negative, not {text!r}")
    return value
