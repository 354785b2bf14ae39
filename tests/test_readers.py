"""Readers behind one interface: each layout chosen by suffix or content, each refusing malformed
input with one line naming the place and leaving the previous index as it was."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from releases import ACME_ID, HEADLINE, income_statement, write_release

from index.config import DEFAULT_RELEASE, Settings
from index.errors import MalformedRelease
from index.facts_store import FILENAME, FactsStore
from index.ingest import ingest
from index.periods import Period
from index.readers import choose
from index.release import read_release

MARKDOWN = """\
# Acme Widgets: Revenue by Segment

(in millions)

|              | Year Ended June 30, |        |
|              | 2024   | 2023   |
|--------------|-------:|-------:|
| Industrial   | $ 120.5 | $ 100.0 |
| Consumer     | 80.0   | —      |
| Total        | $ 200.5 | $ 100.0 |

Segment revenue excludes intercompany sales.
"""


def test_each_layout_has_its_reader() -> None:
    assert choose(".md", MARKDOWN).name == "markdown"  # type: ignore[union-attr]
    assert choose(".txt", "Acme\n").name == "text"  # type: ignore[union-attr]
    assert choose(".json", '{"table": [["", "2019"]]}').name == "tatqa"  # type: ignore[union-attr]


def test_a_markdown_pipe_table_gives_one_fact_per_figure(tmp_path: Path) -> None:
    parsed = read_release(write_release(tmp_path, MARKDOWN, "acme.md"))
    facts = parsed.facts

    assert len(facts) == 6
    assert [f.period for f in facts[:2]] == [Period("year", 2024), Period("year", 2023)]
    assert {(f.unit, f.scale) for f in facts} == {("USD", "millions")}
    consumer = [f for f in facts if f.label == "Consumer"]
    assert [f.value for f in consumer] == [Decimal("80.0"), Decimal(0)]
    assert all(f.raw in parsed.document.line(f.line) for f in facts)
    assert facts[0].table == "Acme Widgets: Revenue by Segment"
    assert any("intercompany" in p.text for p in parsed.document.passages)


def test_the_text_reader_still_reads_the_bundled_release() -> None:
    assert len(read_release(DEFAULT_RELEASE).facts) == 531


def test_tabs_are_expanded_as_a_terminal_shows_them(tmp_path: Path) -> None:
    text = HEADLINE + income_statement(
        "Revenue                  $ 75,000      $ 70,000      $270,100      $240,000"
    )
    spaced = read_release(write_release(tmp_path, text, "spaced.txt")).facts
    tabbed = read_release(write_release(tmp_path, unexpand(text), "tabbed.txt"))

    assert [(f.value, f.period) for f in tabbed.facts] == [(f.value, f.period) for f in spaced]


def unexpand(text: str) -> str:
    """Tabs for the spaces that end each 8-column stop, as `unexpand -a` writes them."""
    out = []
    for line in text.split("\n"):
        chunks = [line[i : i + 8] for i in range(0, len(line), 8)]
        out.append(
            "".join(c.rstrip(" ") + "\t" if len(c) == 8 and c.endswith("  ") else c for c in chunks)
        )
    return "\n".join(out)


@pytest.mark.parametrize(
    ("name", "text", "place"),
    [
        (
            "bad.md",
            MARKDOWN.replace("| Consumer     | 80.0   | —      |", "| Consumer | 80.0 |"),
            ":9:",
        ),
        ("bad.md", MARKDOWN.replace("|--------------|-------:|-------:|\n", ""), ":5:"),
        ("bad.json", '{"table": [["", "2019"], ["Sales", "1"]', ":1:"),
        ("bad.json", '{"table": [["", "2019"], 7]}', "row 2"),
        ("bad.txt", HEADLINE + income_statement("Revenue   $ 1  $ 2  $ 3  $ 4  $ 5"), ":"),
    ],
)
def test_malformed_input_is_refused_in_one_line_and_the_index_kept(
    tmp_path: Path, name: str, text: str, place: str
) -> None:
    index_dir = tmp_path / "index"
    FactsStore.write(index_dir, [(read_release(DEFAULT_RELEASE), DEFAULT_RELEASE)], "then")
    before = (index_dir / FILENAME).read_bytes()
    path = write_release(tmp_path, text, name)
    settings = Settings.from_env({"BOT_INDEX_DIR": str(index_dir)})

    with pytest.raises(MalformedRelease) as exc:
        ingest([path], settings)

    message = str(exc.value)
    assert "\n" not in message and str(path) in message and place in message
    assert (index_dir / FILENAME).read_bytes() == before
    assert ACME_ID
