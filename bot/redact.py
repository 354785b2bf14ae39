"""Keeping credentials out of what the bot says and logs.

A pasted token must never come back, whole or in part: not in a reply, not quoted in a refusal
("does not mention 'FAKEtoken'"), not in a log line. Three nets, each cheap: Slack's token
prefixes, the shape of a generated secret (a long run mixing letters and digits, long hex or
base64), and every 10-character piece of the secrets the process knows.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

MASK = "[redacted]"
KNOWN_PIECE = 10  # a known secret's pieces this long never appear in ordinary text
MIN_KNOWN = 8  # shorter "secrets" would mangle ordinary words
SHAPES = {
    "letters_and_digits": 16,  # e.g. FAKEtoken1234567890abcdef
    "mixed_case": 20,  # base64 without digits
    "hex_or_digits": 24,  # signing secrets are 32 hex digits
}
FRAGMENT = 4  # a quoted part of a suspect this long is withheld too

_SLACK_TOKEN = re.compile(r"(?i)\bx(?:ox[a-z]|app)-[A-Za-z0-9-]*")
_RUN = re.compile(r"[A-Za-z0-9+/=_-]+")
_SEGMENT = re.compile(r"[-_/+=]")
_HEX = re.compile(r"[0-9a-fA-F]+")
_WORD = re.compile(rf"[A-Za-z0-9]{{{FRAGMENT},}}")


def looks_secret(run: str) -> bool:
    """True for a generated-looking string, judged piece by piece between `-_/+=`, so that
    'Q3-2012-vs-Q2-2012' and ':3000/slack/events' stay ordinary while '...-AbCdEf0123456789xyz'
    does not."""
    for seg in _SEGMENT.split(run):
        has_digit = any(c.isdigit() for c in seg)
        has_alpha = any(c.isalpha() for c in seg)
        if len(seg) >= SHAPES["letters_and_digits"] and has_digit and has_alpha:
            return True
        if len(seg) >= SHAPES["mixed_case"] and seg != seg.lower() and seg != seg.upper():
            return True
        if len(seg) >= SHAPES["hex_or_digits"] and _HEX.fullmatch(seg):
            return True
    return False


@dataclass(frozen=True)
class Redactor:
    """Redacts token-shaped text and the process's own secrets (never stored in `repr`)."""

    secrets: tuple[str, ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        known = tuple(s for s in self.secrets if len(s) >= MIN_KNOWN)
        object.__setattr__(self, "secrets", known)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where secrets sit in `text`, merged and sorted."""
        found = [m.span() for m in _SLACK_TOKEN.finditer(text)]
        found += [m.span() for m in _RUN.finditer(text) if looks_secret(m.group())]
        for secret in self.secrets:
            size = min(KNOWN_PIECE, len(secret))
            for i in range(len(secret) - size + 1):
                piece = secret[i : i + size]
                start = text.find(piece)
                while start != -1:
                    found.append((start, start + size))
                    start = text.find(piece, start + 1)
        merged: list[tuple[int, int]] = []
        for start, end in sorted(found):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        return merged

    def text(self, text: str) -> str:
        """`text` with every secret replaced by a mask."""
        out, last = [], 0
        for start, end in self.spans(text):
            out += [text[last:start], MASK]
            last = end
        return "".join([*out, text[last:]])

    def take_out(self, question: str) -> tuple[str, tuple[str, ...]]:
        """The question without its secrets, and the secrets taken out (the "suspects")."""
        spans = self.spans(question)
        if not spans:
            return question, ()
        suspects = tuple(question[a:b] for a, b in spans)
        kept, last = [], 0
        for start, end in spans:
            kept.append(question[last:start])
            last = end
        kept.append(question[last:])
        return " ".join(" ".join(kept).split()), suspects

    def answer(self, text: str, suspects: tuple[str, ...] = ()) -> str:
        """An answer's text made safe: secrets masked, and any word quoted from a suspect too
        (an answering layer may quote the part of an unknown word it did not recognise)."""
        text = self.text(text)
        lowered = tuple(s.lower() for s in suspects)
        if not lowered:
            return text

        def withhold(match: re.Match[str]) -> str:
            word = match.group().lower()
            return MASK if any(word in s for s in lowered) else match.group()

        return _WORD.sub(withhold, text)


class RedactingFormatter(logging.Formatter):
    """Every log line redacted; other libraries' records kept to one line (no tracebacks for a
    bad request), the bot's own keep their traceback for a real failure."""

    def __init__(self, redactor: Redactor, fmt: str | None = None) -> None:
        super().__init__(fmt or "%(asctime)s %(levelname)s %(name)s: %(message)s")
        self.redactor = redactor

    def format(self, record: logging.LogRecord) -> str:
        if record.name == "bot" or record.name.startswith("bot."):
            return self.redactor.text(super().format(record))
        line = record.getMessage().strip().splitlines()
        message = line[0] if line else ""
        if record.exc_info and record.exc_info[1] is not None:
            message += f" ({type(record.exc_info[1]).__name__})"
        flat = logging.makeLogRecord({**record.__dict__, "msg": message, "args": None})
        flat.exc_info = None
        flat.exc_text = None
        flat.stack_info = None
        return self.redactor.text(super().format(flat))
