"""Synthetic releases made from the bundled one: other companies, later years, doubled figures
that still foot, so they ingest with a clean audit and say whose they are and what they report."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from eval.synthetic import BASE_YEAR, make_release, synthetic
from index.audit import audit
from index.config import DEFAULT_RELEASE, Settings
from index.facts_store import FactsStore
from index.ingest import ingest
from index.periods import Period
from index.release import parse_release

INDICES = (0, 1, 7)


def test_names_and_ids_are_distinct_over_a_thousand() -> None:
    specs = [synthetic(i) for i in range(1000)]
    assert len({s.company for s in specs}) == 1000
    assert len({s.ticker for s in specs}) == 1000
    assert len({s.release_id for s in specs}) == 1000
    assert all(re.fullmatch(r"[A-Z]{4}", s.ticker) for s in specs)


def test_negative_index_is_refused() -> None:
    with pytest.raises(ValueError, match="not negative"):
        synthetic(-1)


@pytest.mark.parametrize("index", INDICES)
def test_generated_release_foots_with_its_figures_scaled(index: int) -> None:
    spec = synthetic(index)
    release_id, text = make_release(index)
    base = parse_release(DEFAULT_RELEASE.read_text(encoding="utf-8"), "base")
    made = parse_release(text, release_id)
    assert audit(made).failures == ()
    assert "Infinera" not in text and "INFN" not in text
    assert len(made.facts) == len(base.facts)
    for old, new in zip(base.facts, made.facts, strict=True):
        assert new.row == tuple(
            re.sub(r"\b20\d\d\b", lambda m: str(int(m[0]) + spec.shift), x) for x in old.row
        )
        assert new.period == _shifted(old.period, spec.shift)
        if old.unit in ("USD", "shares") and old.scale != "millions":
            assert new.value == old.value * spec.factor, (old.raw, new.raw)
        elif old.unit not in ("USD", "shares"):
            assert new.value == old.value, (old.raw, new.raw)
        else:  # rounded to millions: within rounding of the scaled figure
            assert abs(new.value - old.value * spec.factor) <= Decimal("0.1") * spec.factor


def test_generated_releases_ingest_with_their_identity(tmp_path: Path) -> None:
    files = []
    for index in INDICES:
        release_id, text = make_release(index)
        path = tmp_path / f"{release_id}.txt"
        path.write_text(text, encoding="utf-8")
        files.append(path)
    settings = replace(
        Settings.from_env(), index_dir=tmp_path / "index", chroma_host=None, ingest_wait=600.0
    )
    report = ingest(files, settings)
    assert not any("audit" in w for w in report.warnings)
    store = FactsStore.open(settings.index_dir)
    got = {r.id: r.identity for r in store.releases()}
    for index in INDICES:
        spec = synthetic(index)
        who = got[spec.release_id]
        assert (who.company, who.ticker) == (f"{spec.company} Corporation", spec.ticker)
        assert who.period == Period("quarter", BASE_YEAR + spec.shift, 4, who.period.end)
        assert len(store.facts(spec.release_id)) == 531


def _shifted(period: Period | None, years: int) -> Period | None:
    if period is None:
        return None
    end = period.end.replace(year=period.end.year + years) if period.end else None
    return replace(period, fiscal_year=period.fiscal_year + years, end=end)
