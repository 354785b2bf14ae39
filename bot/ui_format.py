"""How an `Answer` reads in the chat: plain-text questions and answers, sources titled by
their metric and linked to their line in the release, the cited cell marked where it was printed.

Pure functions of an answer and the release's lines; no Gradio here, so they test with a string.
Every text that did not come from this module (a question, an answer that may quote it, a row
label from the release) is shown as plain text: escaped, never rendered as HTML or Markdown.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from bot.answer import Answer, Citation
from bot.conversation import Conversation
from bot.release_page import release_href

logger = logging.getLogger(__name__)

Span = tuple[int, int]  # [start, end) character offsets on one printed line
Message = dict[str, Any]

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
NOTE_MIN_WORDS = 4  # a parenthesis this long explains; a shorter one restates a value

# Markdown's punctuation, escaped wherever it stands; `<`, `>` and `&` become entities instead,
# so no sanitizer ever sees a tag. "www." and "1." are escaped where they would start a link or
# a list; `:` and `@` are escaped so no URL or address turns into a live link.
_MARKDOWN_PUNCTUATION = re.compile(r"[\\`*_{}\[\]()#+\-!|~:@$=^\"']")
_INLINE_CITATION = re.compile(r"\s*\([^()]*\blines?\s+\d+(?:\s*[-–]\s*\d+)?\)")
_DOLLAR_GAP = re.compile(r"\$\s+(?=[(\d])")
_PAREN_GAP = re.compile(r"\(\s+(?=\d)")
_DOUBLED_QUOTE = re.compile(r"([\"“”])[\"“”]+|('){2,}")
_PARENTHESIS = re.compile(r"\s*\(([^()]+)\)")


class SourceReader(Protocol):
    """What formatting needs from `bot.service.Service`: the release's own lines."""

    def excerpt(
        self, release: str, first: int, last: int, context: int = 2
    ) -> list[tuple[int, str]]: ...


class AnswerService(SourceReader, Protocol):
    """What the UI needs from `bot.service.Service`."""

    def ask(self, question: str, conversation: Conversation | None = None) -> Answer: ...


# --- plain text -----------------------------------------------------------------------------


def plain(text: str) -> str:
    """`text` as Markdown that renders exactly as typed: no tag, link, image, list or emphasis."""
    text = html.escape(text, quote=False)
    text = _MARKDOWN_PUNCTUATION.sub(lambda m: "\\" + m.group(), text)
    text = re.sub(r"(?i)\b(www)\.", r"\1\\.", text)
    return re.sub(r"(?m)^(\s*\d+)\.", r"\1\\.", text)


def tidy_value(raw: str) -> str:
    """A cell as a reader writes it: '$    (85,330)' becomes '$(85,330)'."""
    return _PAREN_GAP.sub("(", _DOLLAR_GAP.sub("$", " ".join(raw.split())))


def notes_of(text: str) -> list[str]:
    """The parenthetical remarks that explain a reading ('no year given, so I took 2012, ...')."""
    return [
        m.group(1).strip()
        for m in _PARENTHESIS.finditer(text)
        if len(m.group(1).split()) >= NOTE_MIN_WORDS and not _INLINE_CITATION.fullmatch(m.group())
    ]


def tidy_answer(text: str, cited: bool, said: frozenset[str] = frozenset()) -> str:
    """The answer's words as the chat shows them.

    Inline '(Table, line N)' goes when the sources under the answer show it; '$ (16,088)'
    closes up; doubled quote marks become one; a note explaining the reading that an earlier
    turn already gave is not said again.
    """
    if cited:
        text = _INLINE_CITATION.sub("", text)
    for note in said:
        text = text.replace(f" ({note})", "").replace(f"({note})", "")
    text = _DOUBLED_QUOTE.sub(lambda m: m.group(1) or m.group(2), _DOLLAR_GAP.sub("$", text))
    return re.sub(r" +([.,;:])", r"\1", text).strip()


def shown_question(question: str | None, limit: int = SHOWN_QUESTION_LIMIT) -> str:
    """The question as echoed in the chat: plain text; a pasted novel is cut so answers stay in view."""
    question = question or ""
    if not question.strip():
        return "*(empty question)*"
    if len(question) <= limit:
        return plain(question)
    return f"{plain(question[:limit])}… ({len(question):,} characters)"


def reply_text(
    answer: Answer | None, problem: str | None, said: frozenset[str] = frozenset()
) -> str:
    """The answer's own words first; a mark when the release does not hold it or input was bad.

    A not-found answer's text already says why (missing period, unknown metric, a question
    too long), so the mark adds no words of its own that could contradict it.
    """
    if answer is None:
        return f"{PROBLEM_MARK} {plain(problem or INTERNAL_ERROR)}"
    text = plain(tidy_answer(answer.text, bool(answer.citations), said))
    return text if answer.found else f"{NOT_FOUND_MARK} {text}"


# --- sources --------------------------------------------------------------------------------


def answer_messages(
    service: SourceReader,
    answer: Answer | None,
    problem: str | None,
    said: frozenset[str] = frozenset(),
) -> list[Message]:
    """The reply, then one folded block per source, each titled so it reads at a glance."""
    messages: list[Message] = [{"role": "assistant", "content": reply_text(answer, problem, said)}]
    if answer is None or not answer.citations:
        return messages
    groups = _group_citations(answer.citations)
    if len(groups) > MAX_SOURCE_BLOCKS:
        listing = "\n".join(f"- {_listed(c)}" for c in answer.citations)
        messages.append(_folded(f"Sources ({len(answer.citations)})", listing, None))
        return messages
    for group in groups:
        title, log, body = _source_block(service, group)
        messages.append(_folded(title, body, log))
    return messages


def pending_message() -> Message:
    return {
        "role": "assistant",
        "content": "",
        "metadata": {"title": "Looking it up in the release…", "status": "pending"},
    }


def _folded(title: str, body: str, log: str | None) -> Message:
    """A folded block; Gradio renders its title as Markdown, so titles come escaped."""
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


def _link(c: Citation) -> str:
    """'[line 493](release/…#L493)': the cited value's line, opened in the release page."""
    return f"[{_span(c.lines)}]({release_href(c.release, c.lines[-1])})"


def metric_of(c: Citation) -> str:
    """The row a cell stands on, with the headings above it: 'Reconciliation of Net Loss ›
    U.S. GAAP as reported', not just 'U.S. GAAP as reported'."""
    path = c.row or ""
    if c.quote and c.raw and c.quote.endswith(f": {c.raw}"):
        path = c.quote[: -len(c.raw) - 2] or path
    return " › ".join(part.strip() for part in path.split(" > ") if part.strip())


def _whose(c: Citation) -> str:
    """'Infinera Q4 2012 release, ': which release a source stands in."""
    return f"{c.source}, " if c.source else ""


def _listed(c: Citation) -> str:
    if c.kind == "table":
        return (
            plain(f"{_whose(c)}{metric_of(c)}, {c.table}, {c.period or c.column}") + f", {_link(c)}"
        )
    if c.kind == "text":
        return plain(_whose(c) + (c.section or "release text")) + f", {_link(c)}"
    return plain(c.quote)


def _source_block(service: SourceReader, group: list[Citation]) -> tuple[str, str | None, str]:
    """(title, subdued log, markdown body) for one folded source."""
    c = group[0]
    if c.kind == "table":
        periods = ", ".join(x.period or x.column or "?" for x in group)
        what = periods if len(group) <= 3 else f"{len(group)} cells"
        whose = f"{c.source} · " if c.source else ""
        title = plain(f"Source: {whose}{metric_of(c)} · {c.table} · {what}")
        return title, _span(c.lines), _table_body(service, group)
    if c.kind == "text":
        whose = f"{c.source} · " if c.source else ""
        title = plain(f"Source: {whose}{c.section or 'release text'}")
        quote = "\n".join(f"> {plain(line)}" if line else ">" for line in c.quote.splitlines())
        return title, _span(c.lines), f"Release text, {_link(c)}:\n\n{quote}"
    return "Calculation", None, _fenced(c.quote)


def _fenced(text: str) -> str:
    """A literal block whose fence no backtick run inside it can close."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def _table_body(service: SourceReader, group: list[Citation]) -> str:
    """The cited row as printed, numbered, the value line marked ► and its cells «marked»."""
    c = group[0]
    head = f"**{plain(c.table or '')}**, row *{plain(metric_of(c))}*, {_link(c)}. {_caption(group)}"
    try:
        rows = service.excerpt(c.release, c.lines[0], c.lines[1], context=CONTEXT_LINES)
        above = service.excerpt(c.release, c.lines[0], c.lines[0], context=HEADER_LOOKBACK)
    except Exception:
        logger.exception("could not read the release excerpt for %s", c.short())
        return f"{head}\n\n{_fenced(c.quote)}"
    first, last = c.lines
    spans, header = _locate_cells(
        dict(rows).get(last, ""), group, [x for x in above if x[0] < first]
    )
    width = len(str(rows[-1][0])) if rows else 3
    printed = _header_lines(header, above, rows, width)
    for n, text in rows:
        marker = "►" if n == last else "›" if first <= n < last else " "
        shown = _mark(text, spans) if n == last else text
        printed.append(f"{n:>{width}} {marker} {shown.rstrip()}")
    return f"{head}\n\n{_fenced(chr(10).join(printed))}"


def _caption(group: list[Citation]) -> str:
    """Each cited cell's period and value; a column name too when a few cells are cited (a
    series' columns are in the header printed above)."""
    few = len(group) <= 3
    return "; ".join(
        plain(f"{x.period or x.column}: ")
        + f"**{plain(tidy_value(x.raw or x.value or ''))}**"
        + (plain(f" (column {x.column})") if x.column and x.column != x.period and few else "")
        for x in group
    )


def _header_lines(
    header: list[tuple[int, str]],
    above: list[tuple[int, str]],
    rows: list[tuple[int, str]],
    width: int,
) -> list[str]:
    """The whole header block as printed, its ---- rules included, and ⋮ where lines are left out."""
    if not header or not rows:
        return []
    top, bottom = header[0][0], header[-1][0]
    block = [(n, text) for n, text in above if top <= n <= bottom and n < rows[0][0]]
    printed = [f"{n:>{width}}   {text.rstrip()}" for n, text in block]
    if block and block[-1][0] < rows[0][0] - 1:
        printed.append(f"{'⋮':>{width}}")
    return printed


# --- where a cited cell stands on its printed line -------------------------------------------


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


# --- what is loaded, and a release being added --------------------------------------------------

LISTED_RELEASES = 50  # releases listed one per row; beyond this, a count of the rest
UPLOAD_STEPS = {"read": "reading and checking", "embed": "embedding passages", "store": "storing"}


@dataclass(frozen=True)
class LoadedRelease:
    """One release in the index as the page lists it."""

    id: str
    company: str | None
    period: str | None
    facts: int
    passages: int | None


def loaded_releases(store: Any) -> list[LoadedRelease]:
    """The releases of a facts store, latest ingested first."""
    if store is None:
        return []
    out = []
    for info in reversed(store.releases()):
        who = getattr(info, "identity", None)
        period = getattr(who, "period", None)
        out.append(
            LoadedRelease(
                info.id,
                getattr(who, "company", None),
                period.label if period is not None else None,
                info.fact_count,
                getattr(info, "passage_count", None),
            )
        )
    return out


def loaded_markdown(rows: Sequence[LoadedRelease], limit: int = LISTED_RELEASES) -> str:
    """A table of what is loaded: company, period, facts and passages per release."""
    if not rows:
        return "No release is loaded yet."
    lines = [
        f"**{len(rows)} release{'s' if len(rows) != 1 else ''} loaded**",
        "",
        "| Release | Company | Period | Facts | Passages |",
        "|---|---|---|---:|---:|",
    ]
    for r in rows[:limit]:
        cells = (r.id, r.company or "unknown", r.period or "unknown")
        passages = "–" if r.passages is None else f"{r.passages:,}"
        lines.append("| " + " | ".join(plain(c) for c in cells) + f" | {r.facts:,} | {passages} |")
    if len(rows) > limit:
        lines += ["", f"… and {len(rows) - limit:,} more (`bot releases` lists them all)."]
    return "\n".join(lines)


def upload_progress(name: str, step: str, done: int, total: int) -> str:
    """One line while a release is being added: which step, how far."""
    what = UPLOAD_STEPS.get(step, step)
    count = f" {done:,}/{total:,}" if total > 1 else ""
    return f"Adding {plain(name)}: {what}{count}…"


def upload_done(release: LoadedRelease) -> str:
    who = ", ".join(plain(x) for x in (release.company, release.period) if x)
    said = f" ({who})" if who else ""
    return f"✓ Added {plain(release.id)}{said}: {release.facts:,} facts; ask about it now."


def upload_refused(name: str, reason: str) -> str:
    """A refused file: one line, naming the file as the person knows it, the index untouched."""
    first = reason.strip().splitlines()[0] if reason.strip() else "it could not be read"
    return f"{PROBLEM_MARK} {plain(name)} was not added: {plain(first)} (nothing else changed)."
