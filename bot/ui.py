"""The Gradio chat UI: a thin layer that turns a typed question into `Service.ask` and an
`Answer` into chat messages, folded sources and a chart.

Imported only by `bot serve` (and its tests), so gradio and matplotlib load at the top here.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any, Protocol

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402
import matplotlib  # noqa: E402

matplotlib.use("Agg")  # a server has no display; gr.Plot only needs the rendered image

from matplotlib.figure import Figure  # noqa: E402

from bot.answer import Answer, Citation  # noqa: E402
from bot.conversation import Conversation  # noqa: E402
from index.errors import BotError  # noqa: E402

logger = logging.getLogger(__name__)

Span = tuple[int, int]  # [start, end) character offsets on one printed line

GENERIC_EXAMPLES = (
    "What was revenue in the latest quarter?",
    "Where is the company based?",
    "Does the release tie out?",
)

BAD_QUESTION = "That question cannot be answered as asked; please rephrase it."
INTERNAL_ERROR = (
    "Sorry, something went wrong while answering that. "
    "The problem has been logged; please try again or rephrase the question."
)
# Marks in front of the reply so a reader tells "not in the release" from a real answer.
# Plain symbols, not emoji: they render in every font, headless browsers included.
NOT_FOUND_MARK = "⚠"
PROBLEM_MARK = "ℹ"

CONTEXT_LINES = 2  # release lines shown above and below a cited row
HEADER_LOOKBACK = 80  # how far above a cited row to look for its column header
MAX_HEADER_LINES = 3  # a column header printed over up to three lines
ALIGN_SLACK = 4  # characters a right-aligned cell may stand off its centred header
RULE = re.compile(r"^[\s=-]+$")  # a ---- or ==== line inside a table header
MAX_SOURCE_BLOCKS = 6  # beyond this, sources are listed in one block rather than one each
SHOWN_QUESTION_LIMIT = 500  # characters of a question echoed back into the chat
CONCURRENCY = 4  # questions answered at once; the service is shared across sessions


class AnswerService(Protocol):
    """What the UI needs from `bot.service.Service`."""

    def ask(self, question: str, conversation: Conversation | None = None) -> Answer: ...

    def excerpt(
        self, release: str, first: int, last: int, context: int = 2
    ) -> list[tuple[int, str]]: ...


# --- asking -------------------------------------------------------------------------------


def ask_safely(
    service: AnswerService, question: str | None, conversation: Conversation
) -> tuple[Answer | None, str | None]:
    """Ask the service; return (answer, None) or (None, a plain sentence) and never raise.

    Judging the question (empty, too long, binary) is the service's job; the UI only shows
    the sentence it answers or raises with.
    """
    question = question or ""
    try:
        return service.ask(question, conversation), None
    except BotError as exc:
        return None, str(exc) or BAD_QUESTION
    except Exception:
        logger.exception("answering %r failed", question[:200])
        return None, INTERNAL_ERROR


def answer_json(answer: Answer | None, problem: str | None, question: str | None) -> dict:
    """The API's reply: the CLI's JSON contract plus the chart, or the problem as a sentence."""
    if answer is None:
        return {
            "question": question or "",
            "answer": problem or INTERNAL_ERROR,
            "found": False,
            "citations": [],
            "values": [],
            "error": "internal" if problem == INTERNAL_ERROR else "bad_question",
        }
    return {
        **answer.to_json(),
        "chart": [[label, str(value)] for label, value in answer.chart],
        "chart_title": answer.chart_title,
    }


# --- formatting an answer as chat messages -------------------------------------------------


def shown_question(question: str | None, limit: int = SHOWN_QUESTION_LIMIT) -> str:
    """The question as echoed in the chat; a pasted novel is cut so the answer stays in view."""
    question = question or ""
    if not question.strip():
        return "*(empty question)*"
    if len(question) <= limit:
        return question
    return f"{question[:limit]}… ({len(question):,} characters)"


def reply_text(answer: Answer | None, problem: str | None) -> str:
    """The answer's own words first; a mark when the release does not hold it or input was bad.

    A not-found answer's text already says why (missing period, unknown metric, a question
    too long), so the mark adds no words of its own that could contradict it.
    """
    if answer is None:
        return f"{PROBLEM_MARK} {problem or INTERNAL_ERROR}"
    if not answer.found:
        return f"{NOT_FOUND_MARK} {answer.text}"
    return answer.text


def answer_messages(
    service: AnswerService, answer: Answer | None, problem: str | None
) -> list[dict[str, Any]]:
    """The reply, then one folded block per source, each titled so it reads at a glance."""
    messages: list[dict[str, Any]] = [{"role": "assistant", "content": reply_text(answer, problem)}]
    if answer is None or not answer.citations:
        return messages
    groups = _group_citations(answer.citations)
    if len(groups) > MAX_SOURCE_BLOCKS:
        listing = "\n".join(f"- {c.short()}" for c in answer.citations)
        messages.append(_folded(f"Sources ({len(answer.citations)})", listing, None))
        return messages
    for group in groups:
        title, log, body = _source_block(service, group)
        messages.append(_folded(title, body, log))
    return messages


def _folded(title: str, body: str, log: str | None) -> dict[str, Any]:
    metadata: dict[str, Any] = {"title": title, "status": "done"}
    if log:
        metadata["log"] = log
    return {"role": "assistant", "content": body, "metadata": metadata}


def _group_citations(citations: Sequence[Citation]) -> list[list[Citation]]:
    """Cells on the same printed row share one excerpt (a series cites one row eight times)."""
    groups: dict[tuple, list[Citation]] = {}
    for c in citations:
        key = (c.kind, c.release, tuple(c.lines)) if c.kind == "table" else (id(c),)
        groups.setdefault(key, []).append(c)
    return list(groups.values())


def _span(lines: Sequence[int]) -> str:
    first, last = lines[0], lines[-1]
    return f"line {first}" if first == last else f"lines {first}-{last}"


def _source_block(service: AnswerService, group: list[Citation]) -> tuple[str, str | None, str]:
    """(title, subdued log, markdown body) for one folded source."""
    c = group[0]
    if c.kind == "table":
        periods = ", ".join(x.period or x.column or "?" for x in group)
        what = periods if len(group) <= 3 else f"{len(group)} cells"
        title = f"Source: {c.table} · {c.row} · {what}"
        return title, _span(c.lines), _table_body(service, group)
    if c.kind == "text":
        title = f"Source: {c.section or 'release text'}"
        quote = "\n".join(f"> {line}" if line else ">" for line in c.quote.splitlines())
        return title, _span(c.lines), f"Release text, {_span(c.lines)}:\n\n{quote}"
    return "Calculation", None, f"```text\n{c.quote}\n```"


def _table_body(service: AnswerService, group: list[Citation]) -> str:
    """The cited row as printed, numbered, the value line marked ► and its cells «marked»."""
    c = group[0]
    caption = "; ".join(
        f"{x.period or x.column}: **{x.raw or x.value}**"
        + (f" (column {x.column})" if x.column and x.column != x.period else "")
        for x in group
    )
    head = f"**{c.table}**, row *{c.row}*, {_span(c.lines)}. {caption}"
    try:
        rows = service.excerpt(c.release, c.lines[0], c.lines[1], context=CONTEXT_LINES)
        above = service.excerpt(c.release, c.lines[0], c.lines[0], context=HEADER_LOOKBACK)
    except Exception:
        logger.exception("could not read the release excerpt for %s", c.short())
        return f"{head}\n\n```text\n{c.quote}\n```"
    first, last = c.lines[0], c.lines[1]
    value_text = dict(rows).get(last, "")
    spans, header = _locate_cells(value_text, group, [x for x in above if x[0] < first])
    printed: list[str] = []
    width = len(str(rows[-1][0])) if rows else 3
    if header:  # the whole header block as printed, its ---- rules included
        top, bottom = header[0][0], header[-1][0]
        header = [(n, text) for n, text in above if top <= n <= bottom and n < rows[0][0]]
    for n, text in header:
        printed.append(f"{n:>{width}}   {text.rstrip()}")
    if header and header[-1][0] < rows[0][0] - 1:
        printed.append(f"{'⋮':>{width}}")
    for n, text in rows:
        if n == last:
            marker, text = "►", _mark(text, spans)
        else:
            marker = "›" if first <= n < last else " "
        printed.append(f"{n:>{width}} {marker} {text.rstrip()}")
    return f"{head}\n\n```text\n" + "\n".join(printed) + "\n```"


def _occurrences(line: str, raw: str) -> list[Span]:
    """Where a cell's printed text stands on its line, as whole tokens only (74 not in 174)."""
    variants = [raw, re.sub(r"[$\s]", "", raw)]
    for variant in dict.fromkeys(v for v in variants if v):
        pattern = rf"(?<![\w.,\-]){re.escape(variant)}(?![\w,\-]|\.\d)"
        found = [(m.start(), m.end()) for m in re.finditer(pattern, line)]
        if found:
            return found
    return []


def _locate_cells(
    line: str, group: list[Citation], above: list[tuple[int, str]]
) -> tuple[list[Span], list[tuple[int, str]]]:
    """Which occurrence on the value line is each cited cell, and the header lines that say so.

    A raw value can occur twice on a row (DSO 60 in Q1'11 and Q3'11); the column header
    printed above, aligned with one occurrence, decides. Ambiguous cells stay unmarked
    rather than marked wrongly.
    """
    spans: list[Span] = []
    header: list[tuple[int, str]] = []
    for c in group:
        found = _occurrences(line, c.raw or c.value or "")
        aligned = _aligned(found, c.column, above)
        if aligned is not None:
            spans.append(aligned[0])
            header = header or aligned[1]
        elif len(found) == 1:
            spans.append(found[0])
    return spans, header


def _aligned(
    found: list[Span], column: str | None, above: list[tuple[int, str]]
) -> tuple[Span, list[tuple[int, str]]] | None:
    """The occurrence standing under the nearest header naming `column`, with that header."""
    words = (column or "").split()
    if not found or not words:
        return None
    for i in range(len(above) - 1, -1, -1):
        matches: dict[Span, list[tuple[int, str]]] = {}
        for k in range(1, min(MAX_HEADER_LINES, len(words)) + 1):
            stack = _stack(above, i, k)
            if stack is None:
                continue
            for pieces in _splits(words, k):
                for bottom in _stacked(pieces, [text for _, text in stack]):
                    matches.setdefault(bottom, stack)
        chosen = {_nearest(found, bottom) for bottom in matches} - {None}
        if not chosen:
            continue  # words that merely mention the column (a label, a note): keep looking up
        if len(matches) != 1 or len(chosen) != 1:
            return None  # the header repeats ("December 29," twice): cannot tell which
        ((bottom, stack),) = matches.items()
        return chosen.pop(), stack
    return None


def _stack(above: list[tuple[int, str]], i: int, k: int) -> list[tuple[int, str]] | None:
    """The k header lines ending at index i, top first, stepping over ---- rules."""
    stack: list[tuple[int, str]] = []
    while i >= 0 and len(stack) < k:
        n, text = above[i]
        if not text.strip():
            return None
        if not RULE.match(text):
            stack.append((n, text))
        i -= 1
    return stack[::-1] if len(stack) == k else None


def _splits(words: list[str], k: int) -> Iterator[list[str]]:
    """Every way to print `words` over k lines in order: 'December 29,' / '2012'."""
    if k == 1:
        yield [" ".join(words)]
        return
    for cut in range(1, len(words) - k + 2):
        for rest in _splits(words[cut:], k - 1):
            yield [" ".join(words[:cut]), *rest]


def _stacked(pieces: list[str], texts: list[str]) -> list[Span]:
    """Spans of the last piece on the last line with every earlier piece printed above it."""
    pattern = r"(?<!\S)" + r"\s+".join(map(re.escape, pieces[-1].split())) + r"(?!\S)"
    spans = [(m.start(), m.end()) for m in re.finditer(pattern, texts[-1])]
    if len(pieces) == 1:
        return spans
    upper = _stacked(pieces[:-1], texts[:-1])
    return [s for s in spans if any(_gap(s, u) == 0 for u in upper)]


def _gap(a: Span, b: Span) -> int:
    """Characters between two spans; 0 when they overlap."""
    return max(0, a[0] - b[1], b[0] - a[1])


def _nearest(found: list[Span], header: Span) -> Span | None:
    """The one occurrence aligned with a header span; None when none is, or two tie."""
    ranked = sorted(found, key=lambda occ: _gap(occ, header))
    best = _gap(ranked[0], header)
    if best > ALIGN_SLACK or (len(ranked) > 1 and _gap(ranked[1], header) == best):
        return None
    return ranked[0]


def _mark(line: str, spans: list[Span]) -> str:
    """Wrap each span in «», eating a neighbouring space when there is one so columns stay put."""
    for start, end in sorted(set(spans), reverse=True):
        cell = line[start:end]
        # Borrow a space only where two stand together, so a cell never touches its neighbour.
        left = start - 1 if line[max(0, start - 2) : start] == "  " else start
        right = end + 1 if line[end : end + 2] in ("  ", " ") or end == len(line) else end
        line = f"{line[:left]}«{cell}»{line[right:]}"
    return line


# --- the chart ----------------------------------------------------------------------------


def chart_figure(
    points: Sequence[tuple[str, Decimal]], title: str | None, unit: str | None = None
) -> Figure:
    """A line over the series with each point's value printed, so no one reads it off an axis."""
    fig = Figure(figsize=(6.4, 3.8), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    labels = [label for label, _ in points]
    values = [float(v) for _, v in points]
    ax.plot(labels, values, marker="o", color="#2563eb", linewidth=2)
    for label, value in points:
        ax.annotate(
            f"{value:,}",
            (label, float(value)),
            textcoords="offset points",
            xytext=(0, 7),
            ha="center",
            fontsize=9,
        )
    ax.set_title(title or "", fontsize=12)
    if unit:
        ax.set_ylabel(unit)
    ax.margins(y=0.2)
    ax.grid(axis="y", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(axis="x", labelrotation=30 if len(points) > 6 else 0, labelsize=9)
    return fig


def axis_unit(answer: Answer) -> str | None:
    """The series' unit as an axis reads it ("$ millions", "days"), when its values agree on one."""
    units = {v.unit for v in answer.values}
    if len(units) != 1:
        return None
    unit = units.pop()
    scale = next((w for w in ("million", "thousand") if w in answer.values[0].display), None)
    if unit == "USD":
        return f"$ {scale}s" if scale else "$"
    return {"percent": "%", "USD per share": "$ per share", "count": None}.get(unit, unit)


def chart_update(answer: Answer | None) -> tuple[Any, Any]:
    """Show the series beside the chat when the answer has one; hide and empty it otherwise."""
    if answer is not None and answer.chart:
        title = answer.chart_title or "Series"
        figure = chart_figure(answer.chart, title, axis_unit(answer))
        return gr.Column(visible=True), gr.Plot(value=figure, label=title)
    return gr.Column(visible=False), gr.Plot(value=None, label="Chart")


# --- the app ------------------------------------------------------------------------------


def build_app(service: AnswerService) -> gr.Blocks:
    """The chat page. Each browser session keeps its own `Conversation` in `gr.State`."""
    examples = getattr(service, "example_questions", lambda: GENERIC_EXAMPLES)()

    def respond(
        question: str, history: list[dict[str, Any]], conversation: Conversation | None
    ) -> Iterator[tuple[Any, ...]]:
        conversation = conversation or Conversation()
        history = [*(history or []), {"role": "user", "content": shown_question(question)}]
        pending = _folded("Looking it up in the release…", "", None)
        pending["metadata"]["status"] = "pending"
        yield "", [*history, pending], conversation, gr.skip(), gr.skip()
        answer, problem = ask_safely(service, question, conversation)
        if answer is not None:
            conversation = conversation.add(answer)
        try:
            messages = answer_messages(service, answer, problem)
        except Exception:
            logger.exception("formatting the answer to %r failed", (question or "")[:200])
            messages = [{"role": "assistant", "content": reply_text(answer, problem)}]
        yield "", [*history, *messages], conversation, *chart_update(answer)

    def api_ask(question: str, conversation: Conversation | None) -> tuple[dict, Conversation]:
        """Answer one question in this client's conversation; JSON as `bot ask --json`."""
        conversation = conversation or Conversation()
        answer, problem = ask_safely(service, question, conversation)
        if answer is not None:
            conversation = conversation.add(answer)
        return answer_json(answer, problem, question), conversation

    def clear() -> tuple[Any, ...]:
        return "", [], Conversation(), *chart_update(None)

    with gr.Blocks(title="Earnings release Q&A", analytics_enabled=False) as app:
        conversation = gr.State(Conversation())
        gr.Markdown(
            "## Ask the earnings release\n"
            "Answers come from the release itself: every number is cited. "
            "Open a **Source** under an answer to see the lines as printed."
        )
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=480):
                chatbot = gr.Chatbot(
                    label="Conversation",
                    elem_id="chat",
                    height=520,
                    buttons=["copy"],
                    feedback_options=None,
                    placeholder="Ask about revenue, margins, DSO, headcount, cash…",
                    group_consecutive_messages=True,
                )
                with gr.Row():
                    question = gr.Textbox(
                        show_label=False,
                        placeholder="Type a question and press Enter, e.g. What was Q3 DSO?",
                        elem_id="question",
                        scale=5,
                        max_lines=4,
                        autofocus=True,
                    )
                    ask = gr.Button("Ask", variant="primary", elem_id="ask", scale=1, min_width=80)
                    clear_button = gr.Button("Clear", elem_id="clear", scale=1, min_width=80)
                gr.Markdown("**Try one of these:**")
                with gr.Row(elem_id="examples"):
                    example_buttons = [
                        gr.Button(q, size="sm", variant="secondary", elem_classes=["example"])
                        for q in examples
                    ]
            with gr.Column(scale=2, min_width=360, visible=False) as chart_panel:
                chart = gr.Plot(label="Chart", show_label=False, elem_id="chart", format="png")

        outputs = [question, chatbot, conversation, chart_panel, chart]
        shared = {"outputs": outputs, "concurrency_limit": CONCURRENCY, "concurrency_id": "ask"}
        gr.on(
            [question.submit, ask.click],
            respond,
            inputs=[question, chatbot, conversation],
            api_visibility="private",
            **shared,
        )
        for button in example_buttons:
            button.click(
                respond,
                inputs=[button, chatbot, conversation],
                api_visibility="private",
                **shared,
            )
        clear_button.click(clear, outputs=outputs, api_visibility="private", queue=False)
        chatbot.clear(clear, outputs=outputs, api_visibility="private", queue=False)

        # The programmatic endpoint: the conversation rides in this client's session state,
        # so each gradio_client.Client is its own conversation, however many run at once.
        api_question = gr.Textbox(visible=False)
        api_answer = gr.JSON(label="answer", visible=False)
        api_trigger = gr.Button(visible=False)
        api_trigger.click(
            api_ask,
            inputs=[api_question, conversation],
            outputs=[api_answer, conversation],
            api_name="ask",
            api_description=(
                "Ask one question about the release. Follow-ups in the same client session "
                "see the earlier turns. Returns the answer as JSON (answer, found, citations, "
                "values, latency_ms, chart, chart_title)."
            ),
            concurrency_limit=CONCURRENCY,
            concurrency_id="ask",
        )
    return app


def serve(service: AnswerService, host: str = "127.0.0.1", port: int = 7860) -> None:
    """Run the chat UI until interrupted (`bot serve`)."""
    build_app(service).queue(default_concurrency_limit=CONCURRENCY).launch(
        server_name=host, server_port=port, show_error=False
    )
