"""The facts store: one SQLite file per index version, readable with a plain sqlite3 shell.

`open` reads the current version's releases (index/versions.py); a release's facts and text are
read on first use, so a question about one company over a thousand releases reads only that
company's. `write` fills the file of the version being built, from a temporary file that
replaces it only when complete.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING

from index.errors import IndexCorrupt, IndexMissing
from index.facts import CellPosition, Fact
from index.periods import Calendar, Period
from index.versions import current_folder

if TYPE_CHECKING:
    from index.release import ParsedRelease

SCHEMA = """
CREATE TABLE releases (
    id TEXT PRIMARY KEY, path TEXT, title TEXT, text TEXT NOT NULL,
    calendar TEXT NOT NULL, fact_count INTEGER NOT NULL, ingested_at TEXT NOT NULL
);
CREATE TABLE tables (
    release TEXT, idx INTEGER, title TEXT, first_line INTEGER, last_line INTEGER,
    PRIMARY KEY (release, idx)
);
CREATE TABLE facts (
    id INTEGER PRIMARY KEY, release TEXT NOT NULL, table_title TEXT NOT NULL,
    table_index INTEGER NOT NULL, row_path TEXT NOT NULL, label TEXT NOT NULL,
    column_header TEXT NOT NULL, period_kind TEXT, fiscal_year INTEGER,
    quarter INTEGER, period_end TEXT, period_label TEXT, basis TEXT,
    value TEXT NOT NULL, raw TEXT NOT NULL, unit TEXT NOT NULL, scale TEXT NOT NULL,
    line INTEGER NOT NULL, label_line INTEGER NOT NULL, qualifier TEXT,
    dimension TEXT, member TEXT, cell_row INTEGER, cell_col INTEGER, cell_line INTEGER,
    cell_start INTEGER, cell_end INTEGER
);
CREATE INDEX facts_label ON facts (release, label);
CREATE TABLE identities (
    release TEXT PRIMARY KEY, company TEXT, ticker TEXT, exchange TEXT, period_kind TEXT,
    fiscal_year INTEGER, quarter INTEGER, period_end TEXT, year_end_month INTEGER,
    passages INTEGER
);
CREATE TABLE words (release TEXT PRIMARY KEY, words TEXT NOT NULL);
"""
UNKNOWN = "unknown"
FILENAME = "facts.sqlite"
CACHED_RELEASES = 64  # releases whose facts stay in memory, the most recently used
FACT_COLUMNS = (
    "release, table_title, table_index, row_path, label, column_header, period_kind,"
    " fiscal_year, quarter, period_end, period_label, basis, value, raw, unit, scale, line,"
    " label_line, qualifier, dimension, member, cell_row, cell_col, cell_line, cell_start,"
    " cell_end"
)


@dataclass(frozen=True)
class ReleaseIdentity:
    """Whose release it is and the period it reports, as far as the document tells (None for
    what it does not: a TAT-QA context or a test release has no dateline)."""

    company: str | None = None
    ticker: str | None = None
    exchange: str | None = None
    period: Period | None = None
    year_end_month: int | None = None

    @property
    def period_label(self) -> str:
        return self.period.label if self.period else UNKNOWN


def identity_of(lines: Sequence[str], captions: Sequence[str]) -> ReleaseIdentity:
    """The identity index/identity.py reads from a release's lines and column captions; the
    parts it can tell when it cannot tell all of them."""
    from index.identity import (
        SCAN_LINES,
        TICKER_RE,
        UnknownIdentity,
        company_name,
        identify,
        reporting_period,
    )

    try:
        who = identify(lines, captions)
        return ReleaseIdentity(
            who.company, who.ticker, who.exchange, who.period, who.year_end_month
        )
    except UnknownIdentity:
        pass
    head = [" ".join(x.split()) for x in lines[:SCAN_LINES] if x.strip()]
    text = " ".join(head)
    ticker = TICKER_RE.search(text)
    try:
        period, month = reporting_period(text, captions)
    except UnknownIdentity:
        period, month = None, None
    return ReleaseIdentity(
        company_name(head, lines),
        ticker["ticker"] if ticker else None,
        ticker["exchange"].upper() if ticker else None,
        period,
        month,
    )


def captions_of(facts: Sequence[Fact]) -> list[str]:
    """The distinct column headers of a release's facts, in order: what the identity reads a
    quarter's end date from when the text does not say it."""
    return list(dict.fromkeys(f.column for f in facts))


def release_words(text: str) -> str:
    """A release's distinct lower-case words, space-separated: what tells a company that is
    not loaded from one that is, without reading every release's text."""
    return " ".join(sorted(set(text.lower().split())))


@dataclass(frozen=True)
class ReleaseInfo:
    """One release of the store; its text (`lines`) is read from the store on first use."""

    id: str
    path: str
    title: str
    text: Callable[[], str] = field(compare=False, repr=False)
    calendar: Calendar
    tables: tuple[tuple[int, str, int, int], ...]
    fact_count: int
    ingested_at: str
    identity: ReleaseIdentity = ReleaseIdentity()
    passage_count: int | None = None  # None: an index written before counts were recorded

    @cached_property
    def lines(self) -> tuple[str, ...]:
        return tuple(self.text().split("\n"))


class FactsStore:
    """The releases of an index version, read at open, and each release's facts, read from the
    file on first use and kept for the most recently used `CACHED_RELEASES`."""

    def __init__(self, path: Path, con: sqlite3.Connection) -> None:
        self.path = path
        self._con = con  # open for the store's life: a later version may remove the file
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, list[Fact]] = OrderedDict()
        self._shared = _Shared()
        self._releases = self._guarded(lambda: _read_releases(con, self._text))
        self._has_words = _has_table(con, "words")
        if not _has_table(con, "identities"):
            self._releases = self._identified(self._releases)

    @classmethod
    def open(cls, index_dir: Path) -> FactsStore:
        """The releases of the index's current version."""
        path = current_folder(index_dir) / FILENAME
        if not path.exists():
            raise IndexMissing(
                f"no index at {index_dir}: run `bot ingest` to build it from the bundled release"
            )
        try:
            con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        except sqlite3.DatabaseError as exc:
            raise _corrupt(path, exc) from exc
        try:
            return cls(path, con)
        except IndexCorrupt:
            con.close()
            raise

    def facts(self, release: str | None = None) -> list[Fact]:
        """A release's facts in the order they were written; every release's for None."""
        if release is None:
            return [f for rid in self._ordered_ids() for f in self.facts(rid)]
        with self._lock:
            got = self._cache.get(release)
            if got is not None:
                self._cache.move_to_end(release)
                return list(got)
        got = self._guarded(lambda: self._read_facts(release))
        with self._lock:
            self._cache[release] = got
            self._cache.move_to_end(release)
            while len(self._cache) > CACHED_RELEASES:
                self._cache.popitem(last=False)
        return list(got)

    def rows(self, release: str) -> list[tuple]:
        """A release's facts as stored (the columns of `FACT_COLUMNS`), to copy into a new
        version without reading them into facts."""
        return self._guarded(
            lambda: self._query(
                f"SELECT {FACT_COLUMNS} FROM facts WHERE release = ? ORDER BY id", (release,)
            )
        )

    def words(self, release: str | None = None) -> str:
        """`release_words` of a release, or of every release joined: recorded at ingest, read
        from the text for a store written before they were."""
        where, args = ("WHERE release = ?", (release,)) if release else ("", ())
        if self._has_words:
            rows = self._guarded(lambda: self._query(f"SELECT words FROM words {where}", args))
            return " ".join(r[0] for r in rows)
        infos = [self._releases[release]] if release else self._releases.values()
        return " ".join(release_words(i.text()) for i in infos)

    def releases(self) -> list[ReleaseInfo]:
        return sorted(self._releases.values(), key=lambda r: r.ingested_at)

    def release(self, release_id: str) -> ReleaseInfo:
        return self._releases[release_id]

    def release_ids(self) -> list[str]:
        return sorted(self._releases)

    def _ordered_ids(self) -> list[str]:
        rows = self._guarded(
            lambda: self._query("SELECT release FROM facts GROUP BY release ORDER BY min(id)", ())
        )
        return [r[0] for r in rows]

    def _read_facts(self, release: str) -> list[Fact]:
        rows = self._query(
            "SELECT release, table_title, table_index, row_path, column_header, period_kind,"
            " fiscal_year, quarter, period_end, basis, value, raw, unit, scale, line,"
            " label_line, qualifier, dimension, member, cell_row, cell_col, cell_line,"
            " cell_start, cell_end FROM facts WHERE release = ? ORDER BY id",
            (release,),
        )
        with self._lock:
            return [_fact_of(r, self._shared) for r in rows]

    def _text(self, release: str) -> str:
        rows = self._guarded(
            lambda: self._query("SELECT text FROM releases WHERE id = ?", (release,))
        )
        return rows[0][0] if rows else ""

    def _query(self, sql: str, args: tuple) -> list[tuple]:
        with self._lock:
            return self._con.execute(sql, args).fetchall()

    def _guarded(self, read: Callable[[], object]):  # noqa: ANN202
        try:
            return read()
        except (sqlite3.DatabaseError, ValueError, KeyError, json.JSONDecodeError) as exc:
            raise _corrupt(self.path, exc) from exc

    def _identified(self, infos: dict[str, ReleaseInfo]) -> dict[str, ReleaseInfo]:
        """A store written before identities were recorded: each read again from its text
        and column captions (this reads every release's facts once)."""
        return {
            rid: _replace(info, identity_of(info.lines, captions_of(self.facts(rid))))
            for rid, info in infos.items()
        }

    @staticmethod
    def write(
        folder: Path,
        parsed: list[tuple[ParsedRelease, Path]],
        now: str,
        base: FactsStore | None = None,
        passages: dict[str, int] | None = None,
        drop: frozenset[str] = frozenset(),
    ) -> Path:
        """Write `folder`'s store: the releases of `base` (default: the store already in
        `folder`) with those in `parsed` added or replaced and those in `drop` left out,
        atomically. `passages` counts the passages of each release in `parsed`."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / FILENAME
        keep = base
        if keep is None and path.exists():
            try:
                keep = FactsStore.open(folder)
            except IndexCorrupt:
                keep = None
        import tempfile

        fd, tmp = tempfile.mkstemp(prefix=".facts-", suffix=".sqlite", dir=folder)
        os.close(fd)
        try:
            con = sqlite3.connect(tmp)
            try:
                con.executescript(SCHEMA)
                left_out = {p.release for p, _ in parsed} | drop
                if keep is not None:
                    for info in keep.releases():
                        if info.id not in left_out:
                            _insert_release_info(con, info, keep.rows(info.id), keep.words(info.id))
                for rel, src in parsed:
                    _insert_parsed(con, rel, src, now, (passages or {}).get(rel.release))
                con.commit()
            finally:
                # An open connection keeps its rollback journal on disk beside the temp file.
                con.close()
            os.replace(tmp, path)
        finally:
            for leftover in (tmp, f"{tmp}-journal", f"{tmp}-wal", f"{tmp}-shm"):
                if os.path.exists(leftover):
                    os.unlink(leftover)
        return path


def _calendar_json(cal: Calendar) -> str:
    return json.dumps(
        {"year_end_month": cal.year_end_month, "ends": [[k, d.isoformat()] for k, d in cal.ends]}
    )


def _calendar_from(text: str) -> Calendar:
    data = json.loads(text)
    return Calendar(
        int(data["year_end_month"]),
        tuple((k, date.fromisoformat(d)) for k, d in data["ends"]),
    )


def _insert_parsed(
    con: sqlite3.Connection, rel: ParsedRelease, src: Path, now: str, passages: int | None
) -> None:
    from index.identity import headline

    doc = rel.document
    title = headline(doc.lines) or rel.release
    text = "\n".join(doc.lines)
    con.execute("INSERT INTO words VALUES (?,?)", (rel.release, release_words(text)))
    con.execute(
        "INSERT INTO releases VALUES (?,?,?,?,?,?,?)",
        (
            rel.release,
            str(src),
            title,
            text,
            _calendar_json(rel.calendar),
            len(rel.facts),
            now,
        ),
    )
    who = identity_of(doc.lines, captions_of(rel.facts))
    _insert_identity(con, rel.release, who, passages)
    for t in doc.tables:
        con.execute(
            "INSERT INTO tables VALUES (?,?,?,?,?)",
            (rel.release, t.index, t.title, t.first_line, t.last_line),
        )
    _insert_facts(con, rel.facts)


def _insert_release_info(
    con: sqlite3.Connection, info: ReleaseInfo, rows: list[tuple], words: str
) -> None:
    con.execute("INSERT INTO words VALUES (?,?)", (info.id, words))
    con.execute(
        "INSERT INTO releases VALUES (?,?,?,?,?,?,?)",
        (
            info.id,
            info.path,
            info.title,
            "\n".join(info.lines),
            _calendar_json(info.calendar),
            info.fact_count,
            info.ingested_at,
        ),
    )
    _insert_identity(con, info.id, info.identity, info.passage_count)
    for idx, title, first, last in info.tables:
        con.execute("INSERT INTO tables VALUES (?,?,?,?,?)", (info.id, idx, title, first, last))
    _insert_rows(con, rows)


def _insert_identity(
    con: sqlite3.Connection, release: str, who: ReleaseIdentity, passages: int | None
) -> None:
    p = who.period
    con.execute(
        "INSERT INTO identities VALUES (?,?,?,?,?,?,?,?,?,?)",
        (
            release,
            who.company,
            who.ticker,
            who.exchange,
            p.kind if p else None,
            p.fiscal_year if p else None,
            p.quarter if p else None,
            p.end.isoformat() if p and p.end else None,
            who.year_end_month,
            passages,
        ),
    )


def _insert_facts(con: sqlite3.Connection, facts: tuple[Fact, ...] | list[Fact]) -> None:
    _insert_rows(con, [_fact_row(f) for f in facts])


def _insert_rows(con: sqlite3.Connection, rows: list[tuple]) -> None:
    marks = ",".join("?" * len(FACT_COLUMNS.split(",")))
    con.executemany(f"INSERT INTO facts ({FACT_COLUMNS}) VALUES ({marks})", rows)


def _fact_row(f: Fact) -> tuple[object, ...]:
    p, pos = f.period, f.position
    return (
        f.release,
        f.table,
        f.table_index,
        json.dumps(list(f.row)),
        f.label,
        f.column,
        p.kind if p else None,
        p.fiscal_year if p else None,
        p.quarter if p else None,
        p.end.isoformat() if p and p.end else None,
        p.label if p else None,
        f.basis,
        str(f.value),
        f.raw,
        f.unit,
        f.scale,
        f.line,
        f.label_line,
        f.qualifier,
        f.dimension,
        f.member,
        *((pos.row, pos.col, pos.line, pos.start, pos.end) if pos else (None,) * 5),
    )


def _has_table(con: sqlite3.Connection, name: str) -> bool:
    found = con.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
    ).fetchone()
    return found is not None


def _corrupt(path: Path, exc: Exception) -> IndexCorrupt:
    return IndexCorrupt(
        f"the facts store {path} cannot be read ({exc}); rebuild it with `bot ingest`"
    )


def _replace(info: ReleaseInfo, who: ReleaseIdentity) -> ReleaseInfo:
    from dataclasses import replace

    return replace(info, identity=who)


def _read_identities(con: sqlite3.Connection) -> dict[str, tuple[ReleaseIdentity, int | None]]:
    """Each release's recorded identity and passage count (none in a store written before
    they were recorded: FactsStore reads those identities again from the text)."""
    if not _has_table(con, "identities"):
        return {}
    out: dict[str, tuple[ReleaseIdentity, int | None]] = {}
    for rid, company, ticker, exchange, kind, fy, q, end, month, passages in con.execute(
        "SELECT release, company, ticker, exchange, period_kind, fiscal_year, quarter,"
        " period_end, year_end_month, passages FROM identities"
    ):
        period = Period(kind, fy, q, date.fromisoformat(end) if end else None) if kind else None
        out[rid] = (ReleaseIdentity(company, ticker, exchange, period, month), passages)
    return out


def _read_releases(
    con: sqlite3.Connection, text_of: Callable[[str], str]
) -> dict[str, ReleaseInfo]:
    tables: dict[str, list[tuple[int, str, int, int]]] = {}
    for rel, idx, title, first, last in con.execute(
        "SELECT release, idx, title, first_line, last_line FROM tables ORDER BY release, idx"
    ):
        tables.setdefault(rel, []).append((idx, title, first, last))
    rows = con.execute(
        "SELECT id, path, title, calendar, fact_count, ingested_at FROM releases"
    ).fetchall()
    identities = _read_identities(con)
    out: dict[str, ReleaseInfo] = {}
    for rid, path, title, cal, count, at in rows:
        who, passages = identities.get(rid, (ReleaseIdentity(), None))
        out[rid] = ReleaseInfo(
            rid,
            path,
            title,
            partial(text_of, rid),
            _calendar_from(cal),
            tuple(tables.get(rid, [])),
            count,
            at,
            who,
            passages,
        )
    return out


class _Shared:
    """One object per distinct row path, period and text: a thousand releases repeat the same
    few hundred, and reading each afresh costs most of the load time and memory."""

    def __init__(self) -> None:
        self.rows: dict[str, tuple[str, ...]] = {}
        self.periods: dict[tuple, Period | None] = {}
        self.texts: dict[str, str] = {}

    def row(self, text: str) -> tuple[str, ...]:
        got = self.rows.get(text)
        if got is None:
            got = self.rows[text] = tuple(self.text(t) for t in json.loads(text))
        return got

    def period(self, kind: str | None, fy: int, q: int | None, end: str | None) -> Period | None:
        key = (kind, fy, q, end)
        if key not in self.periods:
            self.periods[key] = (
                Period(kind, fy, q, date.fromisoformat(end) if end else None) if kind else None
            )
        return self.periods[key]

    def text(self, text: str | None) -> str | None:
        return None if text is None else self.texts.setdefault(text, text)


def _fact_of(r: tuple, shared: _Shared) -> Fact:
    rel, table, tidx, row, col, kind, fy, q, end, basis, value, raw, unit, scale = r[:14]
    line, label_line, qual, dimension, member, c_row, c_col, c_line, c_start, c_end = r[14:]
    text = shared.text
    position = CellPosition(c_row, c_col, c_line, c_start, c_end) if c_row is not None else None
    return Fact(
        text(rel),
        text(table),
        tidx,
        shared.row(row),
        text(col),
        shared.period(kind, fy, q, end),
        text(basis),
        Decimal(value),
        text(raw),
        text(unit),
        text(scale),
        line,
        label_line,
        text(qual),
        text(dimension),
        text(member),
        position,
    )
