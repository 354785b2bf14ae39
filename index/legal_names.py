"""The suffixes that end a company's name ('Corporation', 'Inc.', 'plc'), read from one data file.

The identity reader, the company matching of a question and the words a question may use of a
company all take them from here, so a suffix added to `legal_suffixes.txt` is known everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

SUFFIXES_FILE = Path(__file__).with_name("legal_suffixes.txt")


@dataclass(frozen=True)
class Suffix:
    printed: str
    legal: bool
    said: str | None


@cache
def suffixes() -> tuple[Suffix, ...]:
    out = []
    for line in SUFFIXES_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        printed, kind, said = (part.strip() for part in line.split("|"))
        out.append(Suffix(printed, kind == "legal", None if said == "-" else said))
    return tuple(out)


def legal_pattern() -> str:
    """A regular expression alternation of the suffixes that alone make a legal name."""
    return "|".join(s.printed for s in suffixes() if s.legal)


def any_pattern() -> str:
    """A regular expression alternation of every suffix a company's name may end in."""
    return "|".join(s.printed for s in suffixes())


def question_words() -> frozenset[str]:
    """The suffixes' plain words, as a question may say them of the company."""
    return frozenset(s.said for s in suffixes() if s.said)
