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
from servers import free_port, launch_ui

from bot import ui, ui_chart, ui_format
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
    source = "\n".join(m["content"] for m in ui_format.answer_messages(service, answer, None)[1:])
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
    assert reply["answer"] == ui_format.INTERNAL_ERROR
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
    messages = ui_format.answer_messages(Printed(RELEASE), answer, None)
    return "\n".join(m["content"] for m in messages if m.get("metadata"))


def test_answer_text_comes_first_and_sources_fold_away() -> None:
    answer = Answer("q", "DSO was 65 days in Q4 2011.", True, (dso("Q4'11", "65"),))
    first, *rest = ui_format.answer_messages(Printed(RELEASE), answer, None)
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
    assert f"> {ui_format.plain(quote)}" in source and "line 5" in source


def test_not_found_is_marked_apart_from_an_answer() -> None:
    answer = Answer("q", "The release does not give revenue for Q1 2010.", False)
    (message,) = ui_format.answer_messages(Printed(RELEASE), answer, None)
    assert message["content"].startswith(ui_format.NOT_FOUND_MARK)
    assert "does not give revenue for Q1 2010" in message["content"]


def test_a_pasted_novel_is_echoed_cut_short() -> None:
    shown = ui_format.shown_question("x" * 50_000)
    assert len(shown) < 600 and "50,000 characters" in shown


# --- plain text: what a person types is shown, never rendered ---------------------------------


def rendered(markdown: str) -> str:
    """What a Markdown renderer shows for escaped text: the escapes and entities undone."""
    import html

    return html.unescape(re.sub(r"\\(.)", r"\1", markdown))


@pytest.mark.parametrize(
    "typed",
    [
        "<img src=http://example.invalid/x.png>",
        "[click](http://example.invalid/) ![x](http://example.invalid/x.png)",
        "see www.example.invalid or mail a@example.invalid",
        "# heading\n1. list\n- item **bold** `code` $$x$$",
    ],
)
def test_a_typed_question_is_shown_as_the_text_it_was(typed: str) -> None:
    shown = ui_format.shown_question(typed)
    assert rendered(shown) == typed
    assert "<" not in shown and "](" not in shown and "http://" not in shown
    assert "www." not in shown and "a@" not in shown


def test_an_answer_quoting_the_question_is_escaped_too() -> None:
    text = "The release does not mention '<img src=http://example.invalid/x.png>'."
    reply = ui_format.reply_text(Answer("q", text, False), None)
    assert "<img" not in reply and "http://" not in reply
    assert rendered(reply) == f"{ui_format.NOT_FOUND_MARK} {text}"


def test_inline_citation_goes_when_the_sources_show_it() -> None:
    text = "DSO was 74 days in Q3 2012 (Supplemental Financial Information, line 493)."
    assert ui_format.tidy_answer(text, cited=True) == "DSO was 74 days in Q3 2012."
    assert ui_format.tidy_answer(text, cited=False) == text
    quoted = 'The release says (Headline, lines 5-6): ""Our results"", he said.'
    assert ui_format.tidy_answer(quoted, cited=True) == 'The release says: "Our results", he said.'


def test_money_is_written_closed_up() -> None:
    assert ui_format.tidy_answer("net loss was $ (16,088) thousand", cited=False) == (
        "net loss was $(16,088) thousand"
    )
    assert ui_format.tidy_value("$    (85,330)") == "$(85,330)"
    assert ui_format.tidy_value("$ 43,268") == "$43,268"


def test_an_explained_reading_is_said_once_per_chat() -> None:
    note = "no year given, so I took 2012, the latest in the release"
    first = f"DSO was 74 days in Q3 2012 ({note})."
    assert ui_format.notes_of(first) == [note]
    assert ui_format.notes_of("revenue was $128,064 thousand ($128.1 million)") == []
    again = f"DSO was 55 days in Q2 2012 ({note})."
    assert ui_format.tidy_answer(again, cited=False, said=frozenset([note])) == (
        "DSO was 55 days in Q2 2012."
    )


def reconciled(row: tuple[str, ...], raw: str) -> Citation:
    return Citation(
        "table", "rel-1", (206, 206), f"{' > '.join(row)}: {raw}", "GAAP to Non-GAAP Reconciliations",
        row[-1], "Three Months Ended December 29, 2012", "Q4 2012", raw, raw,
    )  # fmt: skip


def test_source_title_names_the_metric_not_just_the_column_of_a_reconciliation() -> None:
    cite = reconciled(("Reconciliation of Net Loss", "U.S. GAAP as reported"), "$ (16,088)")
    answer = Answer("q", "Net loss was $(16,088) thousand.", True, (cite,))
    _, source = ui_format.answer_messages(Printed(RELEASE), answer, None)
    title = rendered(source["metadata"]["title"])
    assert "Reconciliation of Net Loss › U.S. GAAP as reported" in title
    assert "GAAP to Non-GAAP Reconciliations" in title and "Q4 2012" in title


def test_every_source_links_to_its_line_in_the_release_page() -> None:
    cell = dso("Q4'11", "65")
    text = Citation("text", "r", (5, 7), "Sunnyvale, CA.", section="Introduction")
    messages = ui_format.answer_messages(
        Printed(RELEASE), Answer("q", "65", True, (cell, text)), None
    )
    bodies = [m["content"] for m in messages if m.get("metadata")]
    assert "(release/r#L6)" in bodies[0]
    assert "(release/r#L7)" in bodies[1]


# --- the release page and the header -----------------------------------------------------------


def test_release_page_anchors_every_line_and_escapes_the_text() -> None:
    from bot.release_page import release_href, release_html

    page = release_html("r", "Acme <Corp> results", ["first line", "DSO's  <74>  & more"])
    assert 'id="L2"' in page and 'href="#L2"' in page
    assert "&lt;74&gt;  &amp; more" in page and "<74>" not in page
    assert "Acme &lt;Corp&gt; results" in page
    assert "http" not in page.lower().replace("http-equiv", "")  # nothing fetched from elsewhere
    assert release_href("a b/c", 493) == "release/a%20b%2Fc#L493"


def test_header_names_the_release_its_latest_period_and_links_to_it(service: Service) -> None:
    summaries = ui.release_summaries(service)
    assert [s.id for s in summaries] == [service.release]
    info = service.facts.release(service.release)
    header = ui.header_markdown(summaries)
    assert rendered(ui_format.plain(info.title)) == info.title
    assert ui_format.plain(info.title) in header
    assert f"({'release/' + service.release})" in header
    latest = max(
        (f.period for f in service.facts.facts(service.release) if f.period and f.period.end),
        key=lambda p: p.end,
    )
    assert summaries[0].latest_period is not None
    assert latest.end.year == int(summaries[0].latest_period.split()[-1])


@pytest.mark.server
def test_release_page_is_served_beside_the_chat(url: str, service: Service) -> None:
    import httpx

    page = httpx.get(f"{url}release/{service.release}", timeout=30)
    assert page.status_code == 200
    lines = service.facts.release(service.release).lines
    assert 'id="L493"' in page.text and "DSO" in lines[492]
    assert "default-src 'none'" in page.headers["content-security-policy"]
    missing = httpx.get(f"{url}release/no-such-release", timeout=30)
    assert missing.status_code == 404 and "Traceback" not in missing.text


# --- the chart --------------------------------------------------------------------------------


def series(values: tuple[tuple[str, str], ...], unit: str, display: str) -> Answer:
    points = tuple((label, Decimal(v)) for label, v in values)
    vals = tuple(Value("DSO", Decimal(v), display.format(v), unit, label) for label, v in values)
    growth = Value("growth", Decimal("26.7"), "26.7%", "percent", values[-1][0])
    return Answer(
        "q", "series", True, values=(*vals, growth), chart=points,
        chart_title="DSO by quarter (Supplemental Financial Information)",
        citations=(dso("Q1'11", "60"), dso("Q2'11", "70")),
    )  # fmt: skip


def test_chart_starts_at_zero_names_unit_and_basis_and_downloads_as_csv() -> None:
    answer = series((("Q1 2011", "60"), ("Q2 2011", "70")), "days", "{} days")
    spec = ui_chart.chart_spec(answer, lambda c: "non-GAAP")
    assert spec is not None
    assert spec.y_range[0] == 0 and spec.y_range[1] >= 70
    assert spec.unit == "days"  # the growth figure in the words is not on the axis
    assert spec.heading == "DSO by quarter (non-GAAP)"
    assert "Supplemental Financial Information, line 6" in spec.caption
    rows = spec.csv().splitlines()
    assert rows[0] == "period,value,unit,basis,source"
    assert rows[1].startswith("Q1 2011,60,days,non-GAAP,")
    assert ui_chart.ChartSpec.from_json(spec.to_json()) == spec


def test_chart_of_losses_keeps_zero_on_the_axis() -> None:
    answer = series((("Q1 2011", "-16088"), ("Q2 2011", "-19350")), "USD", "${} thousand")
    spec = ui_chart.chart_spec(answer)
    assert spec is not None and spec.y_range[1] == 0 and spec.y_range[0] <= -19350
    assert spec.unit == "$ thousands" and spec.basis is None


def test_chart_shows_for_a_series_and_hides_otherwise(tmp_path) -> None:
    spec = ui_chart.chart_spec(series((("Q1 2011", "60"), ("Q2 2011", "70")), "days", "{} days"))
    panel, plot, download = ui.chart_update(spec, tmp_path)
    assert panel.visible is True and plot.value is not None and download.visible is True
    assert (tmp_path / spec.file_name()).read_text() == spec.csv()
    panel, plot, download = ui.chart_update(ui_chart.chart_spec(Answer("q", "74 days", True)))
    assert panel.visible is False and plot.value is None and download.visible is False


def test_chart_axis_names_the_unit_the_values_share() -> None:
    def with_values(*values: Value) -> Answer:
        return Answer("q", "series", True, values=values)

    revenue = Value("Revenue", Decimal("92.9"), "$92.9 million", "USD", "Q1 2011")
    days = Value("DSO", Decimal(60), "60 days", "days", "Q1 2011")
    assert ui_chart.axis_unit(with_values(revenue)) == "$ millions"
    assert ui_chart.axis_unit(with_values(days)) == "days"
    assert ui_chart.axis_unit(with_values(revenue, days)) is None


# --- one tab's questions: answered one at a time, in the order asked ---------------------------


class Gated:
    """Answers at once, except a question with 'wait' in it, which waits for `go`."""

    def __init__(self) -> None:
        import threading

        self.go = threading.Event()
        self.started = threading.Event()

    def ask(self, question: str, conversation=None) -> Answer:
        if "wait" in question:
            self.started.set()
            assert self.go.wait(60), "the test never let the first answer finish"
        return Answer(question, f"answer to {question}", True)

    def excerpt(self, release: str, first: int, last: int, context: int = 2):
        return []


def test_a_question_asked_during_a_slow_answer_waits_its_turn_and_is_answered() -> None:
    import threading

    service, session = Gated(), ui.ChatSession()
    assert session.wait("first, wait")
    slow = threading.Thread(target=session.answer_next, args=(service, lambda c: None))
    slow.start()
    assert service.started.wait(60)
    assert session.wait("second")  # typed while the first is pending
    shown = [m["content"] for m in session.view()]
    assert shown[-1] == "second" and "first, wait" in shown[0]
    second = threading.Thread(target=session.answer_next, args=(service, lambda c: None))
    second.start()
    service.go.set()
    slow.join(60)
    second.join(60)
    said = [m["content"] for m in session.messages]
    assert said == ["first, wait", "answer to first, wait", "second", "answer to second"]
    assert session.waiting == [] and len(session.conversation.turns) == 2


def test_each_tab_has_its_own_chat_and_a_closed_tab_frees_it() -> None:
    from types import SimpleNamespace

    sessions, one, two = ui.ChatSessions(capacity=2), SimpleNamespace(session_hash="one"), None
    two = SimpleNamespace(session_hash="two")
    assert sessions.of(one) is sessions.of(one) and sessions.of(one) is not sessions.of(two)
    sessions.drop(two)
    assert len(sessions) == 1
    sessions.of(two), sessions.of(SimpleNamespace(session_hash="three"))
    assert len(sessions) == 2  # the least recently used went


def test_a_tab_may_not_pile_up_questions_without_end() -> None:
    session = ui.ChatSession()
    assert all(session.wait(f"q{i}") for i in range(ui.MAX_WAITING))
    assert session.wait("one too many") is False


def test_a_stored_chat_comes_back_and_malformed_storage_is_ignored() -> None:
    service, session = Gated(), ui.ChatSession()
    session.wait("What was DSO in Q3 2012?")
    session.answer_next(service, lambda c: None)
    stored = session.stored()
    back = ui.ChatSession()
    back.restore(stored)
    assert back.messages == session.messages
    assert back.replay == ["What was DSO in Q3 2012?"]
    back.wait("and in Q2?")
    back.answer_next(service, lambda c: None)
    assert [t.question for t in back.conversation.turns] == [
        "What was DSO in Q3 2012?",
        "and in Q2?",
    ]
    junk = ui.ChatSession()
    junk.restore({"messages": [{"role": "system", "content": 1}, "x"], "asked": [3], "chart": {}})
    assert junk.messages == [] and junk.asked == [] and junk.chart is None
    junk.restore("not a chat")
    assert junk.messages == []


# --- start-up --------------------------------------------------------------------------------


def test_serve_loads_the_embedding_model_before_it_listens(monkeypatch) -> None:
    import uvicorn

    calls: list[str] = []

    class Warmable(Printed):
        def warm_up(self) -> None:
            calls.append("warm_up")

    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: calls.append("listen"))
    ui.serve(Warmable(RELEASE), port=free_port())
    assert calls == ["warm_up", "listen"]


def test_warm_up_loads_the_shared_embedding_model(service: Service) -> None:
    from index.embeddings import shared_embedder

    service.warm_up()
    assert shared_embedder().loaded


# --- what is loaded, and adding a release from the page -----------------------------------------


def loaded(rid: str, company: str | None, period: str | None) -> ui_format.LoadedRelease:
    return ui_format.LoadedRelease(rid, company, period, 531, 33)


def test_the_loaded_list_names_company_period_facts_and_passages_of_each_release() -> None:
    text = ui_format.loaded_markdown(
        [loaded("lumora-2013-q4", "Lumora", "Q4 2013"), loaded("x", None, None)]
    )
    assert "2 releases loaded" in text
    assert "| lumora\\-2013\\-q4 | Lumora | Q4 2013 | 531 | 33 |" in text
    assert "| x | unknown | unknown | 531 | 33 |" in text


def test_a_long_list_of_releases_is_cut_with_a_count_of_the_rest() -> None:
    rows = [loaded(f"r{i}", "Co", "Q4 2013") for i in range(120)]
    text = ui_format.loaded_markdown(rows, limit=50)
    assert text.count("| Co |") == 50 and "… and 70 more" in text


def test_a_company_name_cannot_inject_markup_into_the_list() -> None:
    text = ui_format.loaded_markdown([loaded("r", "<img src=x> | evil", "Q4 2013")])
    assert "<img" not in text and "\\|" in text


def test_a_refused_upload_is_one_line_naming_the_file() -> None:
    line = ui_format.upload_refused("broken.txt", "line 3: no table\nmore detail")
    assert "\n" not in line and "broken.txt" in line and "no table" in line
    assert "not added" in line and "nothing else changed" in line


def test_progress_of_an_upload_names_the_step_and_the_count() -> None:
    assert "embedding passages 256/354" in ui_format.upload_progress("a.txt", "embed", 256, 354)


@pytest.fixture(scope="module")
def own_index(tmp_path_factory: pytest.TempPathFactory) -> Service:
    """A service over an index of its own holding the bundled release: uploads write to it."""
    from dataclasses import replace

    from index.config import Settings
    from index.ingest import ingest

    settings = replace(
        Settings.from_env(),
        index_dir=tmp_path_factory.mktemp("ui-index"),
        chroma_host=None,
        model=None,
        base_url=None,
        api_key=None,
    )
    ingest([settings.release], settings)
    return Service.open(settings, build=False)


@pytest.fixture(scope="module")
def own_url(own_index: Service) -> Iterator[str]:
    app, address = launch_ui(own_index)
    yield address
    app.close()


def add_release(url: str, path) -> tuple[str, str, str]:  # noqa: ANN001
    said, listed, header = client(url).predict(
        gradio_client.handle_file(str(path)), api_name="/add_release"
    )[:3]
    return said, listed, header


def index_state(index_dir) -> tuple[str, bytes]:  # noqa: ANN001
    from index.facts_store import FILENAME
    from index.versions import CURRENT, current_folder

    return (index_dir / CURRENT).read_text(), (current_folder(index_dir) / FILENAME).read_bytes()


@pytest.mark.server
def test_an_uploaded_release_is_added_listed_and_answered_from_without_a_restart(
    own_url: str, own_index: Service, tmp_path
) -> None:
    import httpx

    from eval.synthetic import make_release, synthetic

    rid, text = make_release(7)
    path = tmp_path / f"{rid}.txt"
    path.write_text(text, encoding="utf-8")
    said, listed, header = add_release(own_url, path)
    company = synthetic(7).company
    assert said.startswith("✓ Added") and company in said, said
    assert company in listed and "2 releases loaded" in listed
    assert company in header
    page = httpx.get(f"{own_url}release/{rid}", timeout=30)
    assert page.status_code == 200 and company in page.text
    settings = own_index.settings
    from index.facts_store import FactsStore

    store = FactsStore.open(settings.index_dir)
    assert rid in store.release_ids()
    kept = store.release(rid).path
    assert str(settings.index_dir / "uploads") in kept and kept.endswith(path.name)
    reply = ask(client(own_url), "What was Q3 DSO?")  # the chat still answers, from the new index
    assert reply["found"] is True


@pytest.mark.server
@pytest.mark.parametrize(
    ("name", "content"),
    [("garbage.txt", b"nothing here but words\n"), ("binary.txt", b"\x00\x01\x02\xff" * 40)],
)
def test_a_bad_upload_gets_one_line_and_leaves_the_index_untouched(
    own_url: str, own_index: Service, tmp_path, name: str, content: bytes
) -> None:
    index_dir = own_index.settings.index_dir
    before = index_state(index_dir)
    path = tmp_path / name
    path.write_bytes(content)
    said, _, _ = add_release(own_url, path)
    assert "\n" not in said and "was not added" in said and name in said, said
    assert str(tmp_path) not in said and "uploads" not in said
    assert index_state(index_dir) == before
    assert not any((index_dir / "uploads").glob(f"*/{name}"))
