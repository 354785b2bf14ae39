"""Releases for the tests: the lines of the bundled one, and pieces of small Acme Widgets releases
written here, whose every number the tests know.

Acme's fiscal year ends on June 30: its fourth quarter of fiscal 2024 ends June 30, 2024.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from bot.service import Service
from index.config import DEFAULT_RELEASE, Settings
from index.periods import Period
from index.release import ParsedRelease, parse_release

RELEASE_LINES = DEFAULT_RELEASE.read_text(encoding="utf-8").splitlines()
"""The bundled release, line by line: `RELEASE_LINES[n - 1]` is line n."""

ACME_ID = "acme-2024-q4"

HEADLINE = """\
Acme Widgets Reports Fourth Quarter and Fiscal 2024 Results

SAN JOSE, CA -- Acme Widgets, Inc. (NASDAQ: ACME) today reported financial results for its fourth \
quarter and fiscal year ended June 30, 2024. Revenue for the year grew 12.5% to $270.1 million.



"""

# The column header of a statement of three- and twelve-month columns: the fourth quarter, the
# third, fiscal 2024 and fiscal 2023.
JUNE_2024_COLUMNS = """\
                         Three Months Ended          Twelve Months Ended
                     --------------------------  --------------------------
                       June 30,     March 31,      June 30,      June 30,
                         2024          2024          2024          2023
                     ------------  ------------  ------------  ------------"""

Q4_FY24 = Period("quarter", 2024, 4)
Q3_FY24 = Period("quarter", 2024, 3)
FY24 = Period("year", 2024)
FY23 = Period("year", 2023)


def income_statement(rows: str, heading: str = "(In thousands)") -> str:
    """Acme's statement of income: title, `heading` lines, the June 2024 columns, then `rows`."""
    title = "Acme Widgets, Inc.\nCondensed Consolidated Statements of Income"
    return "\n".join([title, heading, JUNE_2024_COLUMNS, rows])


def acme_release(*blocks: str) -> str:
    """The headline, then each block (a table, say) three blank lines after the one before."""
    return HEADLINE + "\n\n\n".join(blocks)


def parse_acme(*blocks: str, release_id: str = ACME_ID) -> ParsedRelease:
    return parse_release(acme_release(*blocks), release_id)


def write_release(folder: Path, text: str | bytes, name: str = f"{ACME_ID}.txt") -> Path:
    """Write a release file, as text (UTF-8) or as the bytes given."""
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def offline_settings(index_dir: Path) -> Settings:
    """Settings for an index of the test's own: embedded Chroma, no language model."""
    return replace(Settings.from_env({}), index_dir=index_dir, chroma_host=None, model=None)


def context_services(folder: Path, contexts: list[dict]) -> list[Service]:
    """Contexts in TAT-QA's shape (a table and paragraphs) written under `folder`, ingested into
    one index the way the TAT-QA run ingests them, and a service answering each, in order."""
    from eval.tatqa import context_files, ingest_all

    (folder / "contexts").mkdir()
    settings = offline_settings(folder / "index")
    paths = context_files(contexts, folder / "contexts")
    good, refused = ingest_all(paths, settings)
    assert len(good) == len(contexts) and not refused, refused
    return [Service.open(replace(settings, release=Path(p.name)), build=False) for p in paths]


def table_services(
    folder: Path, tables: dict[str, list[list[str]]], paragraphs: dict[str, list[str]] | None = None
) -> dict[str, Service]:
    """Small JSON tables written under `folder` (each with its paragraphs), ingested into one
    index, and a service answering each, by name."""
    from index.ingest import IngestOptions, ingest

    paths = []
    for name, table in tables.items():
        path = folder / f"{name}.json"
        prose = (paragraphs or {}).get(name, [])
        path.write_text(json.dumps({"table": table, "paragraphs": prose}), encoding="utf-8")
        paths.append(path)
    settings = offline_settings(folder / "index")
    ingest(paths, settings, options=IngestOptions(accept_audit_failures=True))
    return {
        name: Service.open(replace(settings, release=Path(f"{name}.json")), build=False)
        for name in tables
    }
