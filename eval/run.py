"""Run the gold set through the bot the way users reach it, and write what came out.

`python -m eval.run [--gold eval/gold.yaml ...] [--out eval/reports/latest] [--brain planner]`
asks every question through `Service.open().ask` (earlier turns first for follow-ups),
scores each answer, measures a retrieval-only baseline in the same run, and writes
`report.md`, `report.json` and `report.png` into the out folder. A gold file (or item) that
names a `release` is asked against that release loaded alone, in its own temporary index
built once per run; a release that cannot be loaded turns its questions into refusals. A gold
file's `releases` (a list) are loaded together into one index: paths in the project, or
`synthetic:<Company>:<TICKER>:<years later>` for a release eval/synthetic.py makes from the
bundled one.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from bot.answer import Answer
from bot.conversation import Conversation
from eval.score import OUTCOMES, GoldItem, outcome, retrieval_hit, score

EVAL_DIR = Path(__file__).resolve().parent
PROJECT_DIR = EVAL_DIR.parent
DEFAULT_GOLD = EVAL_DIR / "gold.yaml"
DEFAULT_GOLDS = (DEFAULT_GOLD, EVAL_DIR / "gold_aapl.yaml", EVAL_DIR / "gold_multi.yaml")
CORPUS_JOIN = " + "  # how the releases of one multi-release index are joined in an item's release
DEFAULT_OUT = EVAL_DIR / "reports" / "latest"
CATEGORY_ORDER = (
    "lookup",
    "narrative",
    "calculation",
    "gaap_vs_nongaap",
    "not_in_release",
    "follow_up",
    "messy",
    "extreme",
    "multi_measure",
    "derived",
    "summary",
    "relative_follow_up",
    "unit_request",
    "look_alike",
    "signed_change",
    "aggregate",
)
BASELINE_K = 4

Ask = Callable[[str, Conversation | None], Answer]
Search = Callable[[str], Sequence[str]]
ReleaseAsk = Callable[[str], Ask]  # a release path (relative to the project) -> its own Ask


@dataclass(frozen=True)
class ItemResult:
    """One gold question, the answer it got, and the verdict."""

    id: str
    category: str
    kind: str
    question: str
    conversation: tuple[str, ...]
    expected: str
    answer: str
    found: bool | None
    correct: bool
    citation_ok: bool | None
    reason: str
    latency_ms: float
    citations: tuple[str, ...]
    brain: str | None
    error: str | None = None
    outcome: str = ""  # one of OUTCOMES
    release: str | None = None


@dataclass(frozen=True)
class BaselineResult:
    """Whether a retrieval-only bot's top passages held the answer to one question."""

    id: str
    category: str
    correct: bool


@dataclass(frozen=True)
class Report:
    """A whole run: every result, the baseline beside it, and the numbers people look at."""

    results: tuple[ItemResult, ...]
    baseline: tuple[BaselineResult, ...] | None
    baseline_note: str
    gold: str
    brain: str | None
    started: str
    commit: str | None = None

    @property
    def categories(self) -> list[str]:
        seen = {r.category for r in self.results}
        return [c for c in CATEGORY_ORDER if c in seen] + sorted(seen - set(CATEGORY_ORDER))

    def accuracy(self, category: str | None = None) -> float:
        rows = [r for r in self.results if category in (None, r.category)]
        return _share(sum(r.correct for r in rows), len(rows))

    def baseline_accuracy(self, category: str | None = None) -> float | None:
        if self.baseline is None:
            return None
        rows = [b for b in self.baseline if category in (None, b.category)]
        return _share(sum(b.correct for b in rows), len(rows)) if rows else None

    def count(self, category: str | None = None) -> int:
        return sum(1 for r in self.results if category in (None, r.category))

    def outcomes(self, category: str | None = None) -> dict[str, int]:
        """How many questions were right, answered wrongly, refused, falsely answered, broke."""
        counts = dict.fromkeys(OUTCOMES, 0)
        for r in self.results:
            if category in (None, r.category):
                counts[r.outcome] += 1
        return counts

    def answered_wrong_share(self) -> float:
        """Answers that should not have been given, as a share of all questions: a wrong
        figure, or an answer to a question the release cannot answer."""
        counts = self.outcomes()
        return _share(counts["wrong"] + counts["false_answer"], self.count())

    @property
    def citation_accuracy(self) -> float | None:
        """Share of questions with gold lines whose answer cites one of them."""
        rows = [r for r in self.results if r.citation_ok is not None]
        return _share(sum(bool(r.citation_ok) for r in rows), len(rows)) if rows else None

    @property
    def refusal_precision(self) -> float | None:
        """Of the answers that refused, the share that should have."""
        refused = [r for r in self.results if r.found is False]
        right = sum(r.kind == "not_found" for r in refused)
        return _share(right, len(refused)) if refused else None

    @property
    def refusal_recall(self) -> float | None:
        """Of the questions the release cannot answer, the share the bot refused."""
        positives = [r for r in self.results if r.kind == "not_found"]
        right = sum(r.found is False for r in positives)
        return _share(right, len(positives)) if positives else None

    def latency(self, quantile: float) -> float | None:
        return _quantile([r.latency_ms for r in self.results], quantile)

    @property
    def passed(self) -> list[str]:
        return [r.id for r in self.results if r.correct]

    @property
    def failures(self) -> list[ItemResult]:
        return [r for r in self.results if not r.correct]

    def summary(self) -> dict[str, Any]:
        """The headline numbers, as report.json and the gate read them."""
        return {
            "questions": self.count(),
            "overall": round(self.accuracy(), 4),
            "outcomes": self.outcomes(),
            "answered_wrong_share": round(self.answered_wrong_share(), 4),
            "categories": {
                c: {
                    "questions": self.count(c),
                    "correct": sum(r.correct for r in self.results if r.category == c),
                    "accuracy": round(self.accuracy(c), 4),
                    "baseline": _round(self.baseline_accuracy(c)),
                    "outcomes": self.outcomes(c),
                }
                for c in self.categories
            },
            "baseline_overall": _round(self.baseline_accuracy()),
            "citation_accuracy": _round(self.citation_accuracy),
            "refusal_precision": _round(self.refusal_precision),
            "refusal_recall": _round(self.refusal_recall),
            "latency_ms": {
                "p50": _round(self.latency(0.5), 1),
                "p95": _round(self.latency(0.95), 1),
                "max": _round(self.latency(1.0), 1),
            },
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "gold": self.gold,
            "brain": self.brain,
            "started": self.started,
            "commit": self.commit,
            "summary": self.summary(),
            "baseline_note": self.baseline_note,
            "passed": self.passed,
            "results": [asdict(r) for r in self.results],
            "baseline": None if self.baseline is None else [asdict(b) for b in self.baseline],
        }


def load_gold(paths: Path | Sequence[Path] = DEFAULT_GOLD) -> list[GoldItem]:
    """The items of one or more gold files; a file's `release` key is its items' release."""
    items = []
    for path in [paths] if isinstance(paths, (str, Path)) else paths:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        release = data.get("release")
        if data.get("releases"):
            release = CORPUS_JOIN.join(str(r) for r in data["releases"])
        items += [GoldItem.from_dict(d, release) for d in data["questions"]]
    ids = [i.id for i in items]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"{paths}: duplicate ids {', '.join(duplicates)}")
    return items


def answer_item(item: GoldItem, ask: Ask) -> tuple[Answer, float]:
    """Ask the earlier turns in one conversation, then the question; time the question alone."""
    conversation = Conversation() if item.conversation else None
    for turn in item.conversation:
        assert conversation is not None
        conversation = conversation.add(ask(turn, conversation))
    start = time.perf_counter()
    answer = ask(item.question, conversation)
    return answer, (time.perf_counter() - start) * 1000


def evaluate(item: GoldItem, ask: Ask) -> ItemResult:
    """One question end to end; a crash is a failed answer, not a failed run."""
    asked = {
        "id": item.id,
        "category": item.category,
        "kind": item.kind,
        "question": item.question,
        "conversation": item.conversation,
        "expected": item.expected_text(),
        "release": item.release,
    }
    try:
        answer, latency_ms = answer_item(item, ask)
    except Exception as e:  # the report must show every question, whatever broke
        return ItemResult(
            **asked,
            answer="",
            found=None,
            correct=False,
            citation_ok=False if item.lines else None,
            reason=f"error: {type(e).__name__}: {e}",
            latency_ms=0.0,
            citations=(),
            brain=None,
            error=f"{type(e).__name__}: {e}",
            outcome="error",
        )
    verdict = score(item, answer)
    return ItemResult(
        **asked,
        answer=answer.text,
        found=answer.found,
        correct=verdict.correct,
        citation_ok=verdict.citation_ok,
        reason=verdict.reason,
        latency_ms=latency_ms,
        citations=tuple(c.short() for c in answer.citations),
        brain=answer.brain,
        outcome=outcome(item.kind, answer.found, verdict.correct),
    )


def retrieval_baseline(items: Sequence[GoldItem], search: Search) -> tuple[BaselineResult, ...]:
    """A plain RAG bot: the question alone (it keeps no conversation) against the store, which
    holds the default release only, so items asked of another release are left out."""
    results = []
    for item in items:
        if item.release:
            continue
        retrieved = "\n".join(search(item.question))
        results.append(BaselineResult(item.id, item.category, retrieval_hit(item, retrieved)))
    return tuple(results)


def run_eval(
    items: Sequence[GoldItem],
    ask: Ask,
    search: Search | None = None,
    gold: str = str(DEFAULT_GOLD),
    brain: str | None = None,
    baseline_note: str = "",
    progress: Callable[[str], None] | None = None,
    release_ask: ReleaseAsk | None = None,
) -> Report:
    """Every item through `ask`, or through `release_ask(item.release)` for an item that
    names its release (`ask` too when none is given); the retrieval baseline when `search`."""
    started = datetime.now(UTC).isoformat(timespec="seconds")
    results = []
    for n, item in enumerate(items, 1):
        own = release_ask(item.release) if item.release and release_ask else ask
        results.append(evaluate(item, own))
        if progress and (n % 25 == 0 or n == len(items)):
            progress(f"  answered {n}/{len(items)}")
    baseline = retrieval_baseline(items, search) if search is not None else None
    if search is not None and not baseline_note:
        baseline_note = (
            f"retrieval only: top {BASELINE_K} passages from the vector store for the question "
            "alone (a plain RAG bot keeps no conversation)"
        )
    return Report(
        results=tuple(results),
        baseline=baseline,
        baseline_note=baseline_note or "not run",
        gold=gold,
        brain=brain,
        started=started,
        commit=_commit(),
    )


def service_ask(brain: str | None = None, settings: Any = None) -> Ask:
    """The same path users take: one Service, opened once."""
    from bot.service import Service

    service = Service.open(settings, build=settings is None)

    def ask(question: str, conversation: Conversation | None) -> Answer:
        if brain is None:
            return service.ask(question, conversation)
        return service.ask(question, conversation, brain=brain)

    return ask


def release_asks(
    stack: ExitStack, brain: str | None = None, warn: Callable[[str], None] = print
) -> ReleaseAsk:
    """Each named release ingested alone into a temporary index, once per run; one that cannot
    be read is said in one line, and its questions are refused rather than crash the run."""
    cache: dict[str, Ask] = {}

    def ask_for(release: str) -> Ask:
        if release not in cache:
            cache[release] = _release_ask(release, stack, brain, warn)
        return cache[release]

    return ask_for


def _release_ask(
    release: str, stack: ExitStack, brain: str | None, warn: Callable[[str], None]
) -> Ask:
    from index.config import Settings
    from index.ingest import ingest

    where = stack.enter_context(
        tempfile.TemporaryDirectory(prefix="eval-index-", ignore_cleanup_errors=True)
    )
    try:
        paths = corpus_paths(release, Path(where) / "releases")
        settings = replace(
            Settings.from_env(), index_dir=Path(where) / "index", release=paths[0], chroma_host=None
        )
        ingest(paths, settings)
        return service_ask(brain, settings)
    except Exception as e:  # a missing reader or file: its questions are refused, not a crash
        reason = f"{release} could not be loaded ({type(e).__name__}: {e})"
        warn(f"eval: {reason}; its questions count as refused")

        def refuse(question: str, conversation: Conversation | None) -> Answer:
            return Answer(question=question, text=reason, found=False)

        return refuse


def corpus_paths(release: str, folder: Path) -> list[Path]:
    """The files of an item's release: project paths, and synthetic releases written to
    `folder` ('synthetic:Lumora:LUMR:1' is the bundled release as Lumora's, a year later)."""
    from eval.synthetic import FACTORS, Synthetic, render

    paths = []
    for part in release.split(CORPUS_JOIN):
        if not part.startswith("synthetic:"):
            paths.append(PROJECT_DIR / part)
            continue
        _, company, ticker, shift = part.split(":")
        spec = Synthetic(0, company, ticker, int(shift), FACTORS[0])
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{spec.release_id}.txt"
        path.write_text(render(spec), encoding="utf-8")
        paths.append(path)
    return paths


@contextmanager
def store_search(k: int = BASELINE_K) -> Iterator[Search]:
    """The vector store's top `k` passage texts for a query; loads the embedding model."""
    from index.config import Settings
    from index.embeddings import shared_embedder
    from index.errors import IndexMissing
    from index.vector_store import PassageStore

    store = PassageStore.open(Settings.from_env(), shared_embedder())
    try:
        if store.count() == 0:  # an empty store would score the baseline 0, silently
            raise IndexMissing(f"{store.where} holds no passages; run `bot ingest`")
        yield lambda query: [hit.chunk.text for hit in store.search(query, k)]
    finally:
        store.close()


def run_default(
    gold: Path | Sequence[Path] = DEFAULT_GOLDS,
    brain: str | None = None,
    ask: Ask | None = None,
    with_baseline: bool = True,
    progress: Callable[[str], None] | None = None,
) -> Report:
    """The run the command line and the gate make: the Service, and the store for the baseline.
    A given `ask` (a test's fake bot) answers every item, whatever its release."""
    golds = [gold] if isinstance(gold, (str, Path)) else list(gold)
    items = load_gold(golds)
    own_releases = ask is None
    ask = ask or service_ask(brain)
    with ExitStack() as stack:
        warn = progress or (lambda line: print(line, file=sys.stderr))
        release_ask = release_asks(stack, brain, warn) if own_releases else None
        search, note = None, "not run (--no-baseline)"
        if with_baseline:
            try:
                search = stack.enter_context(store_search())
            except Exception as e:  # no passage index: report the bot, and say why
                note = f"not run: {type(e).__name__}: {e}"
        return run_eval(
            items,
            ask,
            search,
            ", ".join(str(g) for g in golds),
            brain,
            "" if search else note,
            progress=progress,
            release_ask=release_ask,
        )


# ---------------------------------------------------------------- reports


def write_report(report: Report, out: Path) -> list[Path]:
    """report.md, report.json and report.png in `out` (created)."""
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "report.md", out / "report.json", out / "report.png"]
    paths[0].write_text(render_markdown(report), encoding="utf-8")
    paths[1].write_text(json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n")
    plot(report, paths[2])
    return paths


def summary_table(report: Report) -> str:
    """The per-category table printed to stdout."""
    rows = [("category", "n", "bot", "baseline", "wrong", "refused", "false ans", "error")]
    for c in [*report.categories, None]:
        counts = report.outcomes(c)
        rows.append(
            (
                c or "overall",
                str(report.count(c)),
                _pct(report.accuracy(c)),
                _pct(report.baseline_accuracy(c)),
                *(str(counts[k]) for k in ("wrong", "refused", "false_answer", "error")),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join([r[0].ljust(widths[0]), *(r[i].rjust(widths[i]) for i in range(1, len(r)))])
        for r in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.insert(-1, "  ".join("-" * w for w in widths))
    lat50, lat95 = report.latency(0.5), report.latency(0.95)
    lines += [
        "",
        f"citation accuracy  {_pct(report.citation_accuracy)}",
        f"refusal precision  {_pct(report.refusal_precision)}",
        f"refusal recall     {_pct(report.refusal_recall)}",
        f"answered but wrong {_pct(report.answered_wrong_share())} of all questions "
        "(wrong figure, or answered a not-in-release question)",
        f"latency p50 {_ms(lat50)}   p95 {_ms(lat95)}",
        f"failures           {len(report.failures)}",
    ]
    return "\n".join(lines)


def render_markdown(report: Report) -> str:
    """The eval report as Markdown: accuracy table, citations and latency, then every failure
    in enough detail to act on without rerunning."""
    s = report.summary()
    out = _accuracy_section(report, s) + _failures_section(report) + _citation_misses(report)
    return "\n".join(out)


def _accuracy_section(report: Report, s: dict[str, Any]) -> list[str]:
    """The report's head: per-category accuracy, then citation, refusal and latency figures."""
    out = [
        "# Eval report",
        "",
        f"- Gold set: `{report.gold}` ({s['questions']} questions)",
        f"- Brain: {report.brain or 'from settings'}; commit {report.commit or 'unknown'}; "
        f"run at {report.started}",
        f"- Baseline: {report.baseline_note}",
        "",
        "## Accuracy",
        "",
        "| category | questions | correct | accuracy | retrieval baseline "
        "| answered but wrong | refused | answered a not-in-release question | error |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for c in report.categories:
        row = s["categories"][c]
        out.append(
            f"| {c} | {row['questions']} | {row['correct']} | {_pct(row['accuracy'])} "
            f"| {_pct(row['baseline'])} | {_outcome_cells(row['outcomes'])} |"
        )
    out += [
        f"| **overall** | {s['questions']} | {len(report.passed)} | **{_pct(s['overall'])}** "
        f"| {_pct(s['baseline_overall'])} | {_outcome_cells(s['outcomes'])} |",
        "",
        "An answer is *answered but wrong* when the bot gave an answer (found: true) that is "
        "not right; *refused* when it said the release does not hold an answer it holds; "
        "*answered a not-in-release question* when it answered what the release cannot answer. "
        f"Both kinds of wrong answer together: {_pct(s['answered_wrong_share'])} of all "
        "questions.",
        "",
        "## Citations, refusals, latency",
        "",
        f"- Citation accuracy: {_pct(report.citation_accuracy)} of the "
        f"{sum(r.citation_ok is not None for r in report.results)} questions with gold lines "
        "(a citation's line range contains one of them)",
        f"- Refusal precision: {_pct(report.refusal_precision)}; recall: "
        f"{_pct(report.refusal_recall)} (a refusal is `found: false`; positives are the "
        f"{sum(r.kind == 'not_found' for r in report.results)} questions whose gold answer is "
        "not_found)",
        f"- Latency: p50 {_ms(report.latency(0.5))}, p95 {_ms(report.latency(0.95))}, "
        f"max {_ms(report.latency(1.0))}",
        "",
        "![accuracy and latency](report.png)",
        "",
    ]
    return out


def _failures_section(report: Report) -> list[str]:
    """Every failed question: what was asked, expected, given and cited, and why it failed."""
    out = [f"## Failures ({len(report.failures)})", ""]
    for r in report.failures:
        out += [f"### `{r.id}` ({r.category}, {r.outcome.replace('_', ' ')})", ""]
        out += [f"- Earlier turn: {t}" for t in r.conversation]
        out += [
            *([f"- Release: `{r.release}` (loaded alone)"] if r.release else []),
            f"- Question: {r.question}",
            f"- Expected: {r.expected}",
            f"- Given (found: {_found(r.found)}): {_quote(r.answer)}",
            f"- Why: {r.reason}",
        ]
        if r.citations:
            out.append(f"- Cited: {'; '.join(r.citations)}")
        out.append("")
    return out


def _citation_misses(report: Report) -> list[str]:
    """Right answers whose citations miss every gold line: right by luck or cited loosely."""
    misses = [r for r in report.results if r.correct and r.citation_ok is False]
    if not misses:
        return []
    out = [f"## Right answer, citation missing the gold line ({len(misses)})", ""]
    out += [f"- `{r.id}`: cited {'; '.join(r.citations) or 'nothing'}" for r in misses]
    out.append("")
    return out


def plot(report: Report, path: Path) -> None:
    """Accuracy per category beside the retrieval baseline, and the latency histogram."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = [*report.categories, "overall"]
    keys = [None if c == "overall" else c for c in labels]
    bot = [report.accuracy(c) * 100 for c in keys]
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4.8), gridspec_kw={"width_ratios": [3, 2]})
    xs = range(len(labels))
    width = 0.4
    left.bar([x - width / 2 for x in xs], bot, width, label="bot", color="#2f6db5")
    if report.baseline is not None:
        base = [(report.baseline_accuracy(c) or 0) * 100 for c in keys]
        left.bar([x + width / 2 for x in xs], base, width, label="retrieval only", color="#b0b0b0")
    left.set_xticks(list(xs), labels, rotation=30, ha="right")
    left.set_ylim(0, 105)
    left.set_ylabel("accuracy (%)")
    left.set_title("Accuracy per category")
    left.legend(loc="upper right", fontsize="small")
    latencies = [max(r.latency_ms, 0.1) for r in report.results]
    if latencies and max(latencies) / min(latencies) > 20:
        # A cold start beside millisecond lookups: only a log axis shows both.
        import numpy as np

        right.hist(latencies, bins=np.geomspace(min(latencies), max(latencies), 30))
        right.set_xscale("log")
    else:
        right.hist(latencies, bins=30)
    right.set_xlabel("latency (ms)")
    right.set_ylabel("questions")
    for q, height in ((0.5, 0.92), (0.95, 0.82)):
        value = report.latency(q)
        if value is not None:
            right.axvline(max(value, 0.1), color="#c0392b", linestyle="--", linewidth=1)
            label = f" p{round(q * 100)} {value:.0f} ms"
            right.text(max(value, 0.1), right.get_ylim()[1] * height, label, color="#c0392b")
    right.set_title("Latency per question")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


# ---------------------------------------------------------------- helpers


def _outcome_cells(counts: dict[str, int]) -> str:
    return " | ".join(str(counts[k]) for k in ("wrong", "refused", "false_answer", "error"))


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _quantile(values: Sequence[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    lo, hi = math.floor(position), math.ceil(position)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (position - lo)


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.1f}%"


def _ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f} ms"


def _found(found: bool | None) -> str:
    return "error" if found is None else str(found).lower()


def _quote(text: str) -> str:
    return " ".join(text.split()) or "(empty)"


def _commit() -> str | None:
    """The commit the run measured, so a report can be traced; read-only."""
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=EVAL_DIR,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except OSError:
        return None
    return done.stdout.strip() or None


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m eval.run", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--gold",
        type=Path,
        action="append",
        help=f"a gold file, repeatable (default: {', '.join(p.name for p in DEFAULT_GOLDS)})",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--brain", default=None, help="planner or agent (default: from settings)")
    parser.add_argument(
        "--no-baseline", action="store_true", help="skip the retrieval-only baseline"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None, ask: Ask | None = None) -> int:
    args = parse_args(argv)
    report = run_default(
        args.gold or DEFAULT_GOLDS,
        args.brain,
        ask=ask,
        with_baseline=not args.no_baseline,
        progress=lambda line: print(line, file=sys.stderr),
    )
    paths = write_report(report, args.out)
    print(summary_table(report))
    print(f"\nreport: {paths[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
