"""Issue 12: no function or method in bot/, index/ or eval/ has a cyclomatic complexity above
15, as radon counts it; a function past that is split into named steps."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "index", "eval")
LIMIT = 15


def _sources() -> list[Path]:
    return sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))


def _complexity(path: Path) -> list[tuple[str, int, int]]:
    """(name, line, complexity) of every function, method and nested function in `path`; a
    class's own score is made of its methods', so classes are looked into, not counted."""
    from radon.complexity import cc_visit
    from radon.visitors import Class

    out = []
    pending = [b for b in cc_visit(path.read_text(encoding="utf-8")) if not isinstance(b, Class)]
    while pending:
        block = pending.pop()
        out.append((block.fullname, block.lineno, block.complexity))
        pending += block.closures
    return sorted(out, key=lambda t: t[1])


def test_sources_found() -> None:
    """The scan below reads real files: an empty list would pass vacuously."""
    assert len(_sources()) > 20


def test_no_function_above_limit() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{line} {name} ({score})"
        for path in _sources()
        for name, line, score in _complexity(path)
        if score > LIMIT
    ]
    assert not offenders, f"cyclomatic complexity above {LIMIT}:\n" + "\n".join(offenders)
