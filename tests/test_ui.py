"""The chat UI: what a person or an API client sees when they ask the release a question.

The server tests start the app on a free local port and talk to it with `gradio_client`,
the way any programmatic client would; the formatting tests need no server.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import gradio_client
import pytest
from servers import launch_ui

from bot import ui
from bot.answer import Answer, Citation, Value
from bot.service import Service


def says(text: str, number: str) -> bool:
    """True when `number` stands in `text` as a whole figure (74, not 174 or 7.74)."""
    return re.search(rf"(?<![\d.,]){re.escape(number)}(?![\d]|[.,]\d)", text) is not None


def marked_line(source: str) -> str:
    """The ► line of a source, spaces squeezed: what a reader's eye lands on."""
    (line,) = [x for x in source.splitlines() if "►" in x]
    return " ".join(line.split())


@pytest.fixture(scope="module")
def service() -> Service:
    return Service.open()


@pytest.fixture(scope="module")
def url(service: Service) -> Iterator[str]:
    app, address = launch_ui(service)
    yield address
    app.close()


def client(url: str):
    return gradio_client.Client(url, verbose=False, download_files=False)


def ask(c, question: str) -> dict:
    return c.predict(question, api_name="/ask")


# --- through the API, against the real service -----------------------------------------------


@pytest.mark.server
def test_table_question_answer_names_the_value_and_cites_its_line(url: str) -> None:
    reply = ask(client(url), "What was Q3 DSO?")
    assert reply["found"] is True
    assert says(reply["answer"], "74"), reply["answer"]
    cells = [c for c in reply["citations"] if c["kind"] == "table"]
    assert any(c["lines"][-1] == 493 and c["raw"] == "74" for c in cells), reply["citations"]


def test_source_shows_the_release_row_as_printed_with_the_cell_marked(service: Service) -> None:
    answer = service.ask("What was Q3 DSO?")
    source = "\n".join(m["content"] for m in ui.answer_messages(service, answer, None)[1:])
    assert marked_line(source).startswith("493 ► DSO's 60 70 60 65 57 55 «74» 76")
    assert "Q3'12" in source  # the column header is printed above the row


KNOWN = [
    ("What was Q3 DSO?", "74"),
    ("What was GAAP revenue in Q4 2012?", "128,064"),
    ("What was headcount at the end of Q4 2012?", "1,242"),
    ("What was the GAAP net loss for fiscal 2012?", "85,330"),
    ("What was DSO in Q2 2012?", "55"),
]


@pytest.mark.server
def test_twenty_concurrent_clients_each_get_their_own_correct_answer(url: str) -> None:
    jobs = [KNOWN[i % len(KNOWN)] for i in range(20)]

    def run(job: tuple[str, str]) -> tuple[str, str, dict]:
        question, expected = job
        return question, expected, ask(client(url), question)

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(run, jobs))
    assert len(results) == 20
    for question, expected, reply in results:
        assert reply["question"] == question
        assert reply["found"] is True, (question, reply["answer"])
        assert says(reply["answer"], expected), (question, reply["answer"])


@pytest.mark.server
def test_follow_up_resolves_against_its_own_session_only(url: str) -> None:
    dso, heads = client(url), client(url)
    assert says(ask(dso, "What was DSO in Q3 2012?")["answer"], "74")
    assert says(ask(heads, "What was headcount in Q3 2012?")["answer"], "1,235")
    with ThreadPoolExecutor(max_workers=2) as pool:
        dso_q2 = pool.submit(ask, dso, "and in Q2?")
        heads_q2 = pool.submit(ask, heads, "and in Q2?")
        assert says(dso_q2.result()["answer"], "55"), dso_q2.result()["answer"]
        assert says(heads_q2.result()["answer"], "1,228"), heads_q2.result()["answer"]


@pytest.mark.server
def test_series_question_returns_chart_points(url: str) -> None:
    reply = ask(client(url), "Plot DSO by quarter")
    assert len(reply["chart"]) == 8
    assert reply["chart_title"]
    assert ["Q3'12", "74"] in reply["chart"] or any(v == "74" for _, v in reply["chart"])


@pytest.mark.server
@pytest.mark.parametrize("question", ["", "   \n\t ", "x" * 50_000])
def test_bad_input_gets_a_short_explanation_not_an_error(url: str, question: str) -> None:
    reply = ask(client(url), question)
    assert reply["found"] is False
    assert reply["citations"] == []
    assert 0 < len(reply["answer"]) < 300
    assert "Traceback" not in reply["answer"]


class BrokenService(Service):
    """A service whose store has failed: the UI must not show what went wrong inside."""

    def ask(self, question: str, conversation=None, brain=None) -> Answer:
        raise RuntimeError("sqlite3.OperationalError: database is locked at /var/index")


@pytest.mark.server
def test_internal_failure_shows_a_plain_sentence_not_the_exception() -> None:
    app, address = launch_ui(BrokenService.open())
    try:
        reply = ask(client(address), "What was Q3 DSO?")
    finally:
        app.close()
    assert reply["answer"] == ui.INTERNAL_ERROR
    assert reply["error"] == "internal"
    assert "sqlite" not in str(reply)


# --- formatting, with a tiny release and no server -------------------------------------------

RELEASE = """\
Supplemental Financial Information
                Q1'11   Q2'11   Q3'11  Q4'11
----------------------------------------------
Headcount       1,118   1,136  1,151   1,181
----------------------------------------------
DSO's               60      70     60      65
----------------------------------------------
"""


class Printed:
    """Stands in for the service's `excerpt` over a release held in a string."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def excerpt(self, release: str, first: int, last: int, context: int = 2):
        lo, hi = max(1, first - context), min(len(self.lines), last + context)
        return [(n, self.lines[n - 1]) for n in range(lo, hi + 1)]

    def ask(self, question: str, conversation=None) -> Answer:
        raise AssertionError("formatting tests do not ask")


def dso(column: str, raw: str) -> Citation:
    return Citation(
        "table", "r", (6, 6), f"DSO's {raw}", "Supplemental Financial Information", "DSO's",
        column, column, raw, raw,
    )  # fmt: skip


def source_of(answer: Answer) -> str:
    messages = ui.answer_messages(Printed(RELEASE), answer, None)
    return "\n".join(m["content"] for m in messages if m.get("metadata"))


def test_answer_text_comes_first_and_sources_fold_away() -> None:
    answer = Answer("q", "DSO was 65 days in Q4 2011.", True, (dso("Q4'11", "65"),))
    first, *rest = ui.answer_messages(Printed(RELEASE), answer, None)
    assert first == {"role": "assistant", "content": "DSO was 65 days in Q4 2011."}
    assert rest and all(m["metadata"]["status"] == "done" for m in rest)
    assert "line 6" in rest[0]["metadata"]["log"]


def test_source_marks_the_cited_cell_on_its_printed_line() -> None:
    source = source_of(Answer("q", "65 days", True, (dso("Q4'11", "65"),)))
    assert marked_line(source) == "6 ► DSO's 60 70 60 «65»"
    assert "Q1'11   Q2'11   Q3'11  Q4'11" in source  # the column header, for reading the cell


def test_marking_keeps_the_columns_where_the_release_printed_them() -> None:
    source = source_of(Answer("q", "70", True, (dso("Q2'11", "70"),)))
    (line,) = [x for x in source.splitlines() if "►" in x]
    printed, shift = RELEASE.splitlines()[5], len("6 ► ")
    assert line.index("«70»") + 1 == shift + printed.index("70")
    assert line.rindex("65") == shift + printed.rindex("65")


def test_repeated_value_is_told_apart_by_its_column_header() -> None:
    first = source_of(Answer("q", "60", True, (dso("Q1'11", "60"),)))
    third = source_of(Answer("q", "60", True, (dso("Q3'11", "60"),)))
    assert marked_line(first) == "6 ► DSO's «60» 70 60 65"
    assert marked_line(third) == "6 ► DSO's 60 70 «60» 65"


def test_repeated_value_without_a_header_stays_unmarked_rather_than_guessed() -> None:
    source = source_of(Answer("q", "60", True, (dso("fiscal 2011", "60"),)))
    assert marked_line(source) == "6 ► DSO's 60 70 60 65"


def test_text_citation_shows_the_passage_and_its_lines() -> None:
    quote = "SUNNYVALE, CA -- (Marketwire) -- Feb 05, 2013 -- Infinera Corporation"
    cite = Citation("text", "r", (5, 5), quote, section="Introduction")
    source = source_of(Answer("q", "Sunnyvale, CA.", True, (cite,)))
    assert f"> {quote}" in source and "line 5" in source


def test_not_found_is_marked_apart_from_an_answer() -> None:
    answer = Answer("q", "The release does not give revenue for Q1 2010.", False)
    (message,) = ui.answer_messages(Printed(RELEASE), answer, None)
    assert message["content"].startswith(ui.NOT_FOUND_MARK)
    assert "does not give revenue for Q1 2010" in message["content"]


def test_chart_shows_for_a_series_and_hides_otherwise() -> None:
    series = Answer(
        "q", "DSO by quarter", True, chart=(("Q1'11", Decimal(60)), ("Q2'11", Decimal(70))),
        chart_title="DSO by quarter",
    )  # fmt: skip
    panel, plot = ui.chart_update(series)
    assert panel.visible is True and plot.value is not None
    panel, plot = ui.chart_update(Answer("q", "74 days", True))
    assert panel.visible is False and plot.value is None


def test_chart_axis_names_the_unit_the_values_share() -> None:
    def with_values(*values: Value) -> Answer:
        return Answer("q", "series", True, values=values)

    revenue = Value("Revenue", Decimal("92.9"), "$92.9 million", "USD", "Q1 2011")
    days = Value("DSO", Decimal(60), "60 days", "days", "Q1 2011")
    assert ui.axis_unit(with_values(revenue)) == "$ millions"
    assert ui.axis_unit(with_values(days)) == "days"
    assert ui.axis_unit(with_values(revenue, days)) is None


def test_a_pasted_novel_is_echoed_cut_short() -> None:
    shown = ui.shown_question("x" * 50_000)
    assert len(shown) < 600 and "50,000 characters" in shown
