"""The same 278 TAT-QA tables, rendered to fixed-width text (tests/render_text.py), ingest through
the text reader to the same facts as through the JSON reader: label, column key and value.

Not every table survives the text layout yet (a second header row inside the body, a header
split in odd places, a row with fewer cells than columns): the test holds the floor reached and
prints the rest with their reasons, so a regression fails and a gain shows.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest
from render_text import render_table

from index.config import TATQA_DIR
from index.errors import MalformedRelease
from index.facts import Fact
from index.readers.tatqa import read
from index.release import parse_read, parse_release

DEV = TATQA_DIR / "tatqa_dataset_dev.json"
ROUND_TRIP_FLOOR = 240


def key(f: Fact) -> tuple[str, str | None, str]:
    return (f.row[-1], f.period.key if f.period else f.member, str(f.value))


def round_trip(context: dict, i: int) -> str | None:
    """None when both readers give the same facts, else why not."""
    from_json = Counter(map(key, parse_read(read(json.dumps(context), f"c{i}")).facts))
    try:
        text = render_table(context["table"]["table"])
        from_text = Counter(map(key, parse_release(text, f"c{i}").facts))
    except MalformedRelease as exc:
        return f"text refused: {exc}"
    if from_json == from_text:
        return None
    return f"differ: json only {list(from_json - from_text)[:2]}, text only {list(from_text - from_json)[:2]}"


@pytest.mark.skipif(not DEV.exists(), reason=f"TAT-QA dev split not at {DEV}")
def test_tables_rendered_as_text_give_the_same_facts_as_json() -> None:
    contexts = json.loads(DEV.read_text(encoding="utf-8"))
    failures = {i: r for i, c in enumerate(contexts) if (r := round_trip(c, i)) is not None}
    for i, reason in sorted(failures.items()):
        print(f"context {i}: {reason}")

    assert len(contexts) - len(failures) >= ROUND_TRIP_FLOOR


def test_a_small_table_round_trips() -> None:
    table = [
        ["", "", "Years Ended December 31,", ""],
        ["(In thousands)", "2019", "2018", "% Change"],
        ["Revenue:", "", "", ""],
        ["Product", "$ 1,200", "$ 1,000", "20%"],
        ["Services", "300", "—", "n/a"],
        ["Total revenue", "$ 1,500", "$ 1,000", "50%"],
    ]
    context = {"table": {"table": table}, "paragraphs": []}

    assert round_trip(context, 0) is None
    facts = parse_release(render_table(table), "c").facts
    assert len(facts) == 8
    assert {f.row for f in facts if f.label == "Product"} == {("Revenue", "Product")}
