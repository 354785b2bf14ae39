"""The Gradio chat UI: a thin layer that turns a typed question into `Service.ask` and an
`Answer` into chat messages (bot/ui_format.py), a chart (bot/ui_chart.py) and links into the
release page (bot/release_page.py), all served by one FastAPI app.

Imported only by `bot serve` (and its tests), so gradio loads at the top here.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402

from bot.answer import Answer, Citation  # noqa: E402
from bot.conversation import Conversation  # noqa: E402
from bot.live_service import LiveService  # noqa: E402
from bot.release_page import (  # noqa: E402
    ROUTE,
    ReleaseSummary,
    not_found_html,
    release_href,
    release_html,
)
from bot.ui_chart import ChartSpec, chart_spec  # noqa: E402
from bot.ui_format import (  # noqa: E402
    BAD_QUESTION,
    INTERNAL_ERROR,
    AnswerService,
    LoadedRelease,
    Message,
    answer_messages,
    loaded_markdown,
    loaded_releases,
    notes_of,
    pending_message,
    plain,
    reply_text,
    shown_question,
    upload_done,
    upload_progress,
    upload_refused,
)
from index.errors import BotError  # noqa: E402

logger = logging.getLogger(__name__)

BasisOf = Callable[[Citation], str | None]

GENERIC_EXAMPLES = (
    "What was revenue in the latest quarter?",
    "Where is the company based?",
    "Does the release tie out?",
)
CONCURRENCY = 4  # API questions answered at once; the service is shared across sessions
CHAT_WORKERS = 16  # chat answers in flight, across sessions; each session answers one at a time
MAX_WAITING = 5  # questions one tab may have waiting; more are refused, the text kept in the box
KEPT_MESSAGES = 300  # chat messages kept in the browser's storage across a reload
REPLAYED_TURNS = 3  # questions asked again after a reload, so a follow-up has its context
STORAGE_KEY = "earnings-bot-chat"
HEADER_RELEASES = 3  # releases named in the page header; beyond, a count
RELEASE_FILE_TYPES = [".txt", ".htm", ".html", ".json", ".md"]
UPLOADS = "uploads"  # under the index folder: the files added from the page, kept as sources
UPLOAD_POLL_SECONDS = 0.3
WAIT_NOTICE = "Some questions are still waiting for their answers; ask this one when they are in."
PAGE_SECURITY = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
}
CSS = """
.gradio-container { max-width: 1000px !important; margin: 0 auto !important; }
#release-header a { text-decoration: underline; }
#chat { contain: inline-size; }
#chat pre, #chat .code_wrap { overflow-x: auto; max-width: 100%; }
#chat pre code { white-space: pre; }
#chat .message-content, #chat .message { overflow-wrap: anywhere; min-width: 0; }
#chat .duration { white-space: nowrap; }
#examples button { white-space: normal; text-align: left; }
@media (max-width: 640px) {
  .gradio-container { padding: 6px !important; }
  #chat { height: 62vh !important; }
}
"""


# --- one browser tab's chat -------------------------------------------------------------------


@dataclass
class ChatSession:
    """One tab's chat: answered turns, the questions still waiting (answered oldest first,
    one at a time, so a question typed during a slow answer is neither lost nor reordered),
    and what a follow-up inherits. One per tab in `ChatSessions`, mutated under its locks.
    """

    messages: list[Message] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)
    said: set[str] = field(default_factory=set)  # notes explaining a reading, said once
    chart: ChartSpec | None = None
    conversation: Conversation = field(default_factory=Conversation)
    replay: list[str] = field(default_factory=list)  # restored questions not yet re-asked
    _turn: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _edit: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def wait(self, question: str) -> bool:
        with self._edit:
            if len(self.waiting) >= MAX_WAITING:
                return False
            self.waiting.append(question)
            return True

    def view(self) -> list[Message]:
        """What the chat shows: answered turns, then each waiting question, the first of them
        with the pending block under it."""
        with self._edit:
            shown = list(self.messages)
            for i, question in enumerate(self.waiting):
                shown.append({"role": "user", "content": shown_question(question)})
                if i == 0:
                    shown.append(pending_message())
            return shown

    def answer_next(self, service: AnswerService, basis_of: BasisOf) -> bool:
        """Answer the oldest waiting question, if any; True when one was answered."""
        with self._turn:
            with self._edit:
                if not self.waiting:
                    return False
                question = self.waiting[0]
            self._replay(service)
            answer, problem = ask_safely(service, question, self.conversation)
            said = frozenset(self.said)
            try:
                reply = answer_messages(service, answer, problem, said)
            except Exception:
                logger.exception("formatting the answer to %r failed", question[:200])
                reply = [{"role": "assistant", "content": reply_text(answer, problem, said)}]
            with self._edit:
                self.waiting.pop(0)
                self.messages = [
                    *self.messages,
                    {"role": "user", "content": shown_question(question)},
                    *reply,
                ][-KEPT_MESSAGES:]
                self.asked = [*self.asked, question][-KEPT_MESSAGES:]
                if answer is not None:
                    self.conversation = self.conversation.add(answer)
                    self.said.update(notes_of(answer.text))
                self.chart = chart_spec(answer, basis_of)
            return True

    def _replay(self, service: AnswerService) -> None:
        """Ask restored questions again, quietly, so "and in Q2?" after a reload has context."""
        while self.replay:
            answer, _ = ask_safely(service, self.replay.pop(0), self.conversation)
            if answer is not None:
                self.conversation = self.conversation.add(answer)

    def stored(self) -> dict[str, Any]:
        """The chat as the browser keeps it across a reload (encrypted by Gradio)."""
        with self._edit:
            return {
                "messages": self.messages,
                "asked": self.asked,
                "said": sorted(self.said),
                "chart": self.chart.to_json() if self.chart else None,
            }

    def restore(self, data: Any) -> None:
        """Take back a stored chat; anything malformed is dropped rather than trusted."""
        if not isinstance(data, dict):
            return
        messages = [m for m in data.get("messages") or [] if _is_message(m)]
        asked = [q for q in data.get("asked") or [] if isinstance(q, str)]
        with self._edit:
            if self.messages or self.waiting:
                return  # this tab has already started its own chat
            self.messages = messages[-KEPT_MESSAGES:]
            self.asked = asked[-KEPT_MESSAGES:]
            self.said = {s for s in data.get("said") or [] if isinstance(s, str)}
            self.chart = ChartSpec.from_json(data.get("chart")) if data.get("chart") else None
            self.replay = self.asked[-REPLAYED_TURNS:]

    def reset(self) -> None:
        with self._edit:
            self.messages, self.waiting, self.asked, self.replay = [], [], [], []
            self.said, self.chart, self.conversation = set(), None, Conversation()


class ChatSessions:
    """Each open tab's `ChatSession`, by Gradio's session hash.

    Not `gr.State`: Gradio may build a tab's state twice when its first requests race, and
    a chat mutated in place must be the same object for every event of the tab. A tab's chat
    goes when the tab closes, and the least recently used go beyond `capacity`.
    """

    def __init__(self, capacity: int = 1000) -> None:
        self.capacity = capacity
        self._sessions: OrderedDict[str, ChatSession] = OrderedDict()
        self._lock = threading.Lock()

    def of(self, request: gr.Request | None) -> ChatSession:
        key = getattr(request, "session_hash", None) or ""
        with self._lock:
            session = self._sessions.pop(key, None) or ChatSession()
            self._sessions[key] = session
            while len(self._sessions) > self.capacity:
                self._sessions.popitem(last=False)
            return session

    def drop(self, request: gr.Request) -> None:
        with self._lock:
            self._sessions.pop(getattr(request, "session_hash", None) or "", None)

    def __len__(self) -> int:
        return len(self._sessions)


def _is_message(m: Any) -> bool:
    if not isinstance(m, dict) or m.get("role") not in ("user", "assistant"):
        return False
    if not isinstance(m.get("content"), str):
        return False
    meta = m.get("metadata")
    return meta is None or (
        isinstance(meta, dict) and all(isinstance(v, str) for v in meta.values())
    )


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


# --- what the page says about the releases it answers from ------------------------------------


def release_summaries(service: Any) -> list[ReleaseSummary]:
    """Each loaded release with the latest period its tables hold, from the facts store (one
    pass over the facts, however many releases)."""
    store = getattr(service, "facts", None)
    if store is None:
        return []
    periods: dict[str, set] = {}
    for f in store.facts():
        if f.period is not None:
            periods.setdefault(f.release, set()).add(f.period)
    out = []
    for info in store.releases():
        held = periods.get(info.id, set())
        dated = [p for p in held if p.end is not None and p.kind in ("quarter", "year")]
        latest = max(dated, key=lambda p: (p.end, p.kind == "quarter"), default=None)
        out.append(ReleaseSummary(info.id, info.title, latest.label if latest else None, len(held)))
    return out


def header_markdown(summaries: list[ReleaseSummary], named: int = HEADER_RELEASES) -> str:
    """Which release(s) the answers come from, company and period, each linked to its text;
    with many, the latest few and a count."""
    lines = ["## Ask the earnings release"]
    for s in summaries[-named:] if len(summaries) > named else summaries:
        through = f" · figures through **{plain(s.latest_period)}**" if s.latest_period else ""
        href = release_href(s.id)
        lines.append(f"Answering from **{plain(s.title)}**{through} · [read the release]({href})")
    if len(summaries) > named:
        lines.append(f"… and {len(summaries) - named:,} more releases (listed below).")
    lines.append("Every number is cited: open a **Source** under an answer to see it as printed.")
    return "\n\n".join(lines)


def basis_lookup(service: Any) -> BasisOf:
    """A citation's basis (GAAP, non-GAAP) from the fact it cites, when the store knows it."""
    cache: dict[tuple[int, str], dict[tuple[int, str | None], str | None]] = {}

    def basis_of(c: Citation) -> str | None:
        store = getattr(service, "facts", None)  # read now: an added release swaps the store
        if store is None or c.kind != "table":
            return None
        key = (id(store), c.release)
        if key not in cache:
            try:
                facts = store.facts(c.release)
            except Exception:
                facts = []
            cache[key] = {(f.line, f.column): f.basis for f in facts}
        return cache[key].get((c.lines[-1], c.column))

    return basis_of


# --- adding a release from the page -------------------------------------------------------


@dataclass
class Adding:
    """One release being added from the page: how far it has gone, and how it ended."""

    name: str
    step: str = "read"
    done: int = 0
    total: int = 1
    added: LoadedRelease | None = None
    refused: str | None = None

    def __call__(self, step: str, done: int, total: int) -> None:
        self.step, self.done, self.total = step, done, total

    def line(self) -> str:
        if self.refused is not None:
            return upload_refused(self.name, self.refused)
        if self.added is not None:
            return upload_done(self.added)
        return upload_progress(self.name, self.step, self.done, self.total)


def add_release(live: LiveService, upload: Path, job: Adding) -> None:
    """Ingest an uploaded file into the index the page answers from, then reopen the service.

    The file is kept under the index folder as the release's source; a refused file is
    removed again and the index is left as it was (ingest writes a new version or nothing).
    """
    from index.ingest import ingest

    settings = live.settings
    stamp = time.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}-{threading.get_ident() % 10**6}"
    folder = settings.index_dir / UPLOADS / stamp
    try:
        folder.mkdir(parents=True, exist_ok=True)
        kept = folder / job.name
        shutil.copyfile(upload, kept)
        report = ingest([kept], settings, progress=job)
        live.reload()
    except BotError as exc:
        job.refused = str(exc).replace(str(kept), job.name) if "kept" in locals() else str(exc)
    except Exception:
        logger.exception("adding %s failed", job.name)
        job.refused = "it could not be read (the problem has been logged)"
    else:
        rows = {r.id: r for r in loaded_releases(getattr(live, "facts", None))}
        job.added = rows.get(report.releases[0]) if report.releases else None
        if job.added is None:
            job.refused = "it held no release"
    if job.refused is not None:
        shutil.rmtree(folder, ignore_errors=True)


# --- the chart ----------------------------------------------------------------------------


def chart_update(spec: ChartSpec | None, folder: Path | None = None) -> tuple[Any, Any, Any]:
    """Show the series under the chat when the answer has one; hide and empty it otherwise."""
    if spec is None:
        return (
            gr.Column(visible=False),
            gr.LinePlot(value=None),
            gr.DownloadButton(value=None, visible=False),
        )
    import pandas as pd

    frame = pd.DataFrame({"period": list(spec.labels), "value": [float(v) for v in spec.values]})
    folder = folder or Path(tempfile.mkdtemp(prefix="bot-chart-"))
    path = folder / spec.file_name()
    path.write_text(spec.csv(), encoding="utf-8")
    plot = gr.LinePlot(
        value=frame,
        x="period",
        y="value",
        title=spec.heading,
        x_title="period",
        y_title=spec.y_title,
        y_lim=list(spec.y_range),
        x_label_angle=-35 if len(spec.labels) > 3 else 0,
        sort=list(spec.labels),
        caption=spec.caption,
        label=spec.heading,
    )
    return gr.Column(visible=True), plot, gr.DownloadButton(value=str(path), visible=True)


# --- the app ------------------------------------------------------------------------------


def panel_label(rows: list[LoadedRelease]) -> str:
    return f"Releases loaded ({len(rows):,})"


def build_app(service: AnswerService) -> gr.Blocks:
    """The chat page. Each tab keeps its own `ChatSession` (by Gradio's session hash), and a
    copy of the chat in the browser's storage so a reload keeps it."""
    examples = getattr(service, "example_questions", lambda: GENERIC_EXAMPLES)()
    basis_of = basis_lookup(service)
    charts = Path(tempfile.mkdtemp(prefix="bot-charts-"))
    sessions = ChatSessions()

    def take(question: str, request: gr.Request) -> tuple[Any, Any]:
        """Unqueued and instant: the question joins this tab's line and the box empties."""
        session = sessions.of(request)
        if not session.wait(question or ""):
            gr.Warning(WAIT_NOTICE)
            return gr.skip(), session.view()
        return "", session.view()

    def answer(request: gr.Request) -> Iterator[tuple[Any, ...]]:
        """Answer this tab's waiting questions, oldest first, showing each answer as it comes.

        Every event drains the line and ends on the chat as it then stands, so whichever of a
        tab's events the browser hears from last, it shows every answer (no stale view of a
        question still pending can come last).
        """
        session = sessions.of(request)
        while session.answer_next(service, basis_of):
            yield session.view(), *chart_update(session.chart, charts), session.stored()
        yield session.view(), gr.skip(), gr.skip(), gr.skip(), gr.skip()

    def restore(stored: Any, request: gr.Request) -> tuple[Any, ...]:
        session = sessions.of(request)
        session.restore(stored)
        return session.view(), *chart_update(session.chart, charts)

    def clear(request: gr.Request) -> tuple[Any, ...]:
        session = sessions.of(request)
        session.reset()
        return "", [], *chart_update(None), session.stored()

    def api_ask(question: str, conversation: Conversation | None) -> tuple[dict, Conversation]:
        """Answer one question in this client's conversation; JSON as `bot ask --json`."""
        conversation = conversation or Conversation()
        answer, problem = ask_safely(service, question, conversation)
        if answer is not None:
            conversation = conversation.add(answer)
        return answer_json(answer, problem, question), conversation

    def add(file: Any) -> Iterator[tuple[Any, Any, Any, Any]]:
        """Add an uploaded release in the background, telling how far it has gone; once in,
        list it and answer from the reopened index."""
        if not file or not isinstance(service, LiveService):
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        path = Path(file if isinstance(file, str) else getattr(file, "name", str(file)))
        job = Adding(path.name)
        worker = threading.Thread(
            target=add_release, args=(service, path, job), name="bot-add-release", daemon=True
        )
        worker.start()
        while worker.is_alive():
            yield job.line(), gr.skip(), gr.skip(), gr.skip()
            worker.join(UPLOAD_POLL_SECONDS)
        if job.added is None:
            yield job.line(), gr.skip(), gr.skip(), gr.skip()
            return
        rows = loaded_releases(getattr(service, "facts", None))
        yield (
            job.line(),
            loaded_markdown(rows),
            header_markdown(release_summaries(service)),
            gr.Accordion(label=panel_label(rows)),
        )

    with gr.Blocks(title="Earnings release Q&A", analytics_enabled=False) as app:
        stored = gr.BrowserState(None, storage_key=STORAGE_KEY)
        conversation = gr.State(Conversation())
        header = gr.Markdown(header_markdown(release_summaries(service)), elem_id="release-header")
        listed = loaded_releases(getattr(service, "facts", None))
        with gr.Accordion(panel_label(listed), open=False, elem_id="releases") as panel:
            loaded = gr.Markdown(loaded_markdown(listed), elem_id="loaded")
            adding = gr.Markdown("", elem_id="adding")
            upload = gr.UploadButton(
                "Add a release (.txt, .htm, .json, .md)",
                file_types=RELEASE_FILE_TYPES,
                file_count="single",
                type="filepath",
                size="sm",
                elem_id="add-release",
                visible=isinstance(service, LiveService),
            )
        chatbot = gr.Chatbot(
            label="Conversation",
            elem_id="chat",
            height=520,
            buttons=["copy"],
            feedback_options=None,
            placeholder="Ask about revenue, margins, DSO, headcount, cash…",
            group_consecutive_messages=True,
            sanitize_html=True,
            allow_tags=False,
            latex_delimiters=[],
        )
        with gr.Column(visible=False, elem_id="chart-panel") as chart_panel:
            chart = gr.LinePlot(elem_id="chart", show_label=False, buttons=["export"])
            download = gr.DownloadButton(
                "Download the data (CSV)", elem_id="chart-csv", size="sm", visible=False
            )
        with gr.Row(elem_id="ask-row"):
            question = gr.Textbox(
                show_label=False,
                placeholder="Type a question and press Enter, e.g. What was Q3 DSO?",
                elem_id="question",
                scale=5,
                min_width=300,  # on a phone the buttons wrap under the box rather than squeeze it
                max_lines=4,
                autofocus=True,
            )
            ask = gr.Button("Ask", variant="primary", elem_id="ask", scale=1, min_width=64)
            clear_button = gr.Button("Clear", elem_id="clear", scale=1, min_width=64)
        gr.Markdown("**Try one of these:**")
        with gr.Row(elem_id="examples"):
            example_buttons = [
                gr.Button(q, size="sm", variant="secondary", elem_classes=["example"])
                for q in examples
            ]

        shown = [chatbot, chart_panel, chart, download, stored]
        answering = {
            "inputs": None,
            "outputs": shown,
            "api_visibility": "private",
            "concurrency_limit": CHAT_WORKERS,
            "concurrency_id": "chat",
            "trigger_mode": "multiple",
        }
        taking = {"api_visibility": "private", "queue": False, "trigger_mode": "multiple"}
        gr.on(
            [question.submit, ask.click],
            take,
            inputs=[question],
            outputs=[question, chatbot],
            **taking,
        ).then(answer, **answering)
        for button in example_buttons:
            button.click(take, inputs=[button], outputs=[gr.State(), chatbot], **taking).then(
                answer, **answering
            )
        clear_outputs = [question, chatbot, chart_panel, chart, download, stored]
        clear_button.click(clear, None, clear_outputs, api_visibility="private", queue=False)
        chatbot.clear(clear, None, clear_outputs, api_visibility="private", queue=False)
        app.load(
            restore,
            inputs=[stored],
            outputs=[chatbot, chart_panel, chart, download],
            api_visibility="private",
        )
        app.unload(sessions.drop)
        upload.upload(
            add,
            inputs=[upload],
            outputs=[adding, loaded, header, panel],
            api_name="add_release",
            api_description="Add a release file to the index; returns how it went, in one line.",
            concurrency_limit=1,
            concurrency_id="add-release",
            show_progress="minimal",
        )

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


# --- serving ------------------------------------------------------------------------------


def build_server(service: AnswerService) -> Any:
    """One FastAPI app: the release pages at /release/<id>, the chat at /."""
    from fastapi import FastAPI
    from fastapi.responses import HTMLResponse

    server = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    service = LiveService.of(service)

    @server.get(f"/{ROUTE}/{{release_id}}", response_class=HTMLResponse)
    def release_page(release_id: str) -> HTMLResponse:
        store = getattr(service, "facts", None)  # read now: an added release swaps the store
        try:
            info = store.release(release_id) if store is not None else None
        except KeyError:
            info = None
        if info is None:
            return HTMLResponse(not_found_html(release_id), 404, headers=PAGE_SECURITY)
        return HTMLResponse(release_html(info.id, info.title, info.lines), headers=PAGE_SECURITY)

    blocks = build_app(service).queue(default_concurrency_limit=CONCURRENCY)
    return gr.mount_gradio_app(
        server, blocks, path="/", css=CSS, show_error=False, footer_links=["api"]
    )


@dataclass
class Running:
    """A server started on a thread (tests, benchmarks); `close` stops it."""

    url: str
    server: Any
    thread: threading.Thread

    def close(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def start(service: AnswerService, host: str = "127.0.0.1", port: int = 7860) -> Running:
    """Serve on a background thread and return once it accepts connections."""
    import uvicorn

    config = uvicorn.Config(build_server(service), host=host, port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="bot-ui", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the chat UI did not start on {host}:{port}")
        time.sleep(0.05)
    return Running(f"http://{host}:{port}/", server, thread)


def warm_up(service: AnswerService) -> None:
    """Load the embedding model now, so the first prose question does not wait for it."""
    warm = getattr(service, "warm_up", None)
    if warm is None:
        return
    t0 = time.perf_counter()
    try:
        warm()
    except Exception:
        logger.exception("warming up the embedding model failed; the first prose question will")
        return
    logger.info("embedding model ready in %.1f s", time.perf_counter() - t0)


def serve(service: AnswerService, host: str = "127.0.0.1", port: int = 7860) -> None:
    """Run the chat UI until interrupted (`bot serve`): model loaded first, then the server."""
    import uvicorn

    print("Loading the embedding model…", flush=True)
    warm_up(service)
    print(f"Chat UI on http://{host}:{port}/", flush=True)
    uvicorn.run(build_server(service), host=host, port=port, log_level="warning")
