"""The TAT-QA runner: every development context ingested through the JSON reader, every question
asked of its own context's answering stack (what `Service.ask` uses when one company is loaded),
predictions written in the official format and scored by the official scorer.

`python -m eval.tatqa --data PATH [--out predictions.json] [--limit N]`

Each context becomes a release file (its table and paragraphs only, never its questions) in a
temporary folder, ingested into a temporary index; the embedding model loads once per process.
Narrative retrieval is whatever `Service` does (the same path users take). Predictions are
`{uid: [answer, scale]}`: a computed value as a number, several cited cells as a list, a text
answer as the quoted span, the scale as a word derived from the answer's values and the facts it
cites. The scorer in the benchmark folder is run as a program; its per-question details come
from its own metric class, imported from that folder, for the failure groups.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

from index.config import PROJECT_ROOT, TATQA_DIR, Settings

BENCH = TATQA_DIR
DEFAULT_DATA = BENCH / "tatqa_dataset_dev.json"
REPORT_DIR = PROJECT_ROOT / "eval" / "reports" / "tatqa"
SCALE_WORDS = {"thousands": "thousand", "millions": "million", "billions": "billion"}
PERIOD_ANSWERS = frozenset({"highest", "lowest", "periods"})
# Units of a figure that is no amount of money or shares: a ratio of two amounts, a count, days,
# a per-share figure. Their answer has no scale, whatever the scale of the cells they come from.
UNSCALED_UNITS = frozenset({"ratio", "count", "days", "times"})
# 'the proportion of X over Y' asks a fraction; a question that says percent asks a percentage.
FRACTION_RE = re.compile(r"\bproportion\b|\bfraction\b|\bratio\b", re.I)
PERCENT_ASKED_RE = re.compile(r"\bpercent|%", re.I)
PUBLISHED = "TAGOP (trained, test split) 50.1 EM / 58.0 F1; people 90.8 F1"


def context_files(data: list[dict], folder: Path) -> list[Path]:
    """One release file per context: its table and paragraphs, never its questions."""
    paths = []
    for i, c in enumerate(data):
        path = folder / f"tatqa-{i:03d}.json"
        path.write_text(
            json.dumps({"table": c["table"], "paragraphs": c["paragraphs"]}), encoding="utf-8"
        )
        paths.append(path)
    return paths


def ingest_all(paths: list[Path], settings: Settings) -> tuple[list[Path], dict[str, str]]:
    """Ingest every context that reads; the others are refused with their one-line reason."""
    from index.checks import check_release
    from index.errors import MalformedRelease
    from index.ingest import IngestOptions, ingest
    from index.release import read_release

    good, refused = [], {}
    for p in paths:
        try:
            check_release(read_release(p))
            good.append(p)
        except MalformedRelease as exc:
            refused[p.stem] = str(exc)
    if good:
        # The tie-out audit is a publishing gate, not a reading one: its verdicts on these
        # annual-report tables are reported by `bot audit`, not used to drop questions.
        ingest(good, settings, options=IngestOptions(accept_audit_failures=True))
    return good, refused


def _number(value: Any) -> float | int:
    f = float(value)
    return int(f) if f.is_integer() and abs(f) < 1e15 else round(f, 4)


def prediction(answer: Any, facts: list[Any]) -> tuple[Any, str]:
    """[answer, scale] from an Answer: the periods or lines it names, its count, its computed
    value, its cited cells, or its quoted span."""
    if not answer.found:
        return "", ""
    cited = cited_facts(answer, facts)
    shaped = _shaped(answer, cited)
    if shaped is not None:
        return shaped
    led = _calculated(answer)
    if led is not None:
        return _valued(led, _scale(cited), answer.question)
    return _figures(answer, cited) or _quoted(answer)


def _shaped(answer: Any, cited: list[Any]) -> tuple[Any, str] | None:
    """An answer naming periods or lines, or counting: predicted as what it names or counts."""
    query = answer.query
    if query is None:
        return None
    if query.operation in PERIOD_ANSWERS:
        return _periods_named(answer, cited), ""
    if query.operation == "components":
        labels = list(dict.fromkeys(f.label for f in cited))
        return (len(labels), "") if query.form == "count" else (labels, "")
    if query.operation == "count":
        return len(answer.values), ""
    if query.operation == "growth" and cited and not _calculated(answer):
        return _printed(cited[0], _scale(cited[:1]), answer.question)  # the change as printed
    return None


def _figures(answer: Any, cited: list[Any]) -> tuple[Any, str] | None:
    """A value computed from the cited cells, the one cell, or the cells as a list."""
    raws = {str(f.value) for f in cited}
    computed = [v for v in answer.values if str(v.value) not in raws]
    if computed:
        return _valued(_main(answer, computed), _scale(cited), answer.question)
    if len({f.value for f in cited}) == 1:
        return _printed(cited[0], _scale(cited), answer.question)
    if cited:
        return [f.raw for f in cited], _scale(cited)
    if answer.values:
        return _valued(answer.values[-1], "", answer.question)
    return None


def _quoted(answer: Any) -> tuple[Any, str]:
    """A text answer: the answering phrase of its quoted sentence (a list when it is one)."""
    from bot.prose import answering_phrase

    quote = next((c.quote for c in answer.citations if c.kind == "text"), answer.text)
    return _listed((answering_phrase(answer.question, quote) or quote).strip()), ""


def _listed(phrase: str) -> str | list[str]:
    """A phrase that is a list of three or more short items ('United States, China, Europe and
    Japan') as its items; anything else as it stands."""
    if "; " in phrase:
        return [i.strip() for i in phrase.split("; ")]
    items = [i.strip(" .") for i in re.split(r",\s*(?:and\s+)?|\s+and\s+", phrase)]
    short = all(0 < len(i.split()) <= 4 for i in items)
    plain = not re.search(r"\d|\b(?:is|are|was|were|include[sd]?)\b", phrase)
    if len(items) >= 3 and short and plain:
        return items
    return phrase


def _periods_named(answer: Any, cited: list[Any]) -> list[str]:
    """The periods an extreme names, as their column reads (its year, when it prints one)."""
    named = {(v.period, str(v.value)) for v in answer.values}
    out = []
    for f in cited:
        if f.period is not None and (f.period.label, str(f.value)) in named:
            years = re.findall(r"\b(?:19|20)\d\d\b", f.column)
            # One year printed names the period; a span of two ('2018/2019') is the fiscal
            # year the answer names, the year it ends in.
            year = years[0] if len(years) == 1 else None
            # A member column ('Net') under a row or heading that gives the date: its year.
            dated_by_row = f.period.kind != "quarter" and not re.search(r"\d", f.column)
            shown = (
                year
                if year
                else str(f.period.fiscal_year)
                if dated_by_row or len(years) > 1
                else f.column.strip()
            )
            if shown not in out:
                out.append(shown)
    return out


def _calculated(answer: Any) -> Any:
    """The value the answer's calculation citation states, even when it equals an operand."""
    main = next((c.value for c in answer.citations if c.kind == "calculation"), None)
    return next((v for v in reversed(answer.values) if str(v.value) == main), None)


def _main(answer: Any, computed: list[Any]) -> Any:
    """The value the answer's calculation citation gives (the one it leads with), else the last
    computed one."""
    main = next((c.value for c in answer.citations if c.kind == "calculation"), None)
    return next((v for v in computed if str(v.value) == main), computed[-1])


def cited_facts(answer: Any, facts: list[Any]) -> list[Any]:
    """The facts an answer's table citations point at."""
    by_cell = {(f.table, f.label, f.column, f.raw): f for f in facts}
    keys = [(c.table, c.row, c.column, c.raw) for c in answer.citations if c.kind == "table"]
    return [by_cell[k] for k in keys if k in by_cell]


def _printed(f: Any, scale: str, question: str) -> tuple[Any, str]:
    """One cited cell as the table prints it ('(2,085)', '$ 93,662'), with the scale its number
    would carry; as a number only when the question asks it in another form (a fraction)."""
    value, said = _valued(f, scale, question)
    return (f.raw, said) if value == _number(f.value) else (value, said)


def _valued(v: Any, scale: str, question: str) -> tuple[Any, str]:
    """A number as computed, with 'percent' for a percentage whatever the operands' scale, no
    scale for a ratio, a count or days, and a percentage as a fraction when the question asks a
    proportion or ratio and does not say percent."""
    unit = str(v.unit or "")
    if unit == "percent":
        if FRACTION_RE.search(question) and not PERCENT_ASKED_RE.search(question):
            return _number(float(v.value) / 100), ""
        return _number(v.value), "percent"
    if unit in UNSCALED_UNITS or unit.endswith("per share"):
        return _number(v.value), ""
    return _number(v.value), scale


def _scale(cited: list[Any]) -> str:
    if cited and all(f.unit == "percent" for f in cited):
        return "percent"
    words = Counter(SCALE_WORDS.get(f.scale, "") for f in cited if f.unit != "percent")
    return words.most_common(1)[0][0] if words else ""


def ask_all(
    data: list[dict], good: list[Path], settings: Settings
) -> tuple[dict[str, list[Any]], dict[str, str]]:
    """Every question of every ingested context, asked of that context alone."""
    from bot.service import Service

    preds: dict[str, list[Any]] = {}
    texts: dict[str, str] = {}
    ingested = {p.stem for p in good}
    for i, c in enumerate(data):
        stem = f"tatqa-{i:03d}"
        if stem not in ingested:
            continue
        try:
            service = Service.open(replace(settings, release=Path(f"{stem}.json")), build=False)
        except Exception as exc:  # noqa: BLE001 - a context the service cannot open is scored as refused
            for q in c["questions"]:
                preds[q["uid"]] = ["", ""]
                texts[q["uid"]] = f"service could not open: {exc}"
            continue
        facts = service.facts.facts(stem)
        for q in c["questions"]:
            answer = ask_own(service, q["question"])
            value, scale = prediction(answer, facts)
            preds[q["uid"]] = [value, scale]
            texts[q["uid"]] = answer.text
    return preds, texts


def ask_own(service: Any, question: str) -> Any:
    """A question answered over its own context alone. The index holds every context, so
    `Service.ask` would route a question naming no company and ask which one it means; the
    context's own answering stack is what `Service.ask` uses when one company is loaded."""
    from bot.answer import Answer

    try:
        return service.brain.answer(question)
    except Exception as exc:  # noqa: BLE001 - a failed answer is scored as refused
        return Answer(question=question[:200], text=f"answering failed: {exc}", found=False)


def official_scores(data_path: Path, pred_path: Path) -> tuple[dict[str, float], str]:
    """Run the official scorer as a program; its headline figures and its printout."""
    out = subprocess.run(
        [
            sys.executable,
            str(BENCH / "tatqa_eval.py"),
            "--gold_path",
            str(data_path),
            "--pred_path",
            str(pred_path),
        ],
        capture_output=True,
        text=True,
        cwd=BENCH,
        check=True,
    ).stdout
    grab = {
        "em": r"Exact-match accuracy ([\d.]+)",
        "f1": r"F1 score ([\d.]+)",
        "scale": r"Scale score ([\d.]+)",
    }
    return {k: float(m.group(1)) for k, p in grab.items() if (m := re.search(p, out))}, out


def details(data: list[dict], preds: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """Per-question EM/F1 by the scorer's own metric class, imported from the benchmark folder."""
    import warnings

    sys.path.insert(0, str(BENCH))
    try:
        with warnings.catch_warnings():  # third-party regexes with invalid escapes
            warnings.simplefilter("ignore", DeprecationWarning)
            from tatqa_metric import TaTQAEmAndF1  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(BENCH))
    metric = TaTQAEmAndF1()
    for c in data:
        for q in c["questions"]:
            answer, scale = preds.get(q["uid"], [None, None])
            metric(ground_truth=q, prediction=answer, pred_scale=scale)
    return metric.get_raw()


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    def group(key: str) -> dict[str, dict[str, float]]:
        out: dict[str, dict[str, float]] = {}
        for value in sorted({r[key] for r in rows}):
            part = [r for r in rows if r[key] == value]
            out[value] = {
                "n": len(part),
                "em": 100 * sum(r["em"] for r in part) / len(part),
                "f1": 100 * sum(r["f1"] for r in part) / len(part),
            }
        return out

    n = len(rows)
    return {
        "questions": n,
        "em": 100 * sum(r["em"] for r in rows) / n if n else 0.0,
        "f1": 100 * sum(r["f1"] for r in rows) / n if n else 0.0,
        "scale_accuracy": 100 * sum(r["pred_scale"] == r["scale"] for r in rows) / n if n else 0.0,
        "refusals": sum(1 for r in rows if not r["pred"]),
        "by_type": group("answer_type"),
        "by_source": group("answer_from"),
    }


def failure_groups(rows: list[dict[str, Any]], texts: dict[str, str]) -> list[dict[str, Any]]:
    """Failures grouped by what went wrong, largest first, three examples each."""

    def reason(r: dict[str, Any]) -> str:
        if not r["pred"]:
            return f"refused ({r['answer_type']}, {r['answer_from']})"
        if r["pred_scale"] != r["scale"] and r["f1"] == 0:
            return f"wrong value and scale ({r['answer_type']})"
        return f"wrong answer ({r['answer_type']}, {r['answer_from']})"

    failed = [r for r in rows if r["em"] < 1]
    groups = Counter(reason(r) for r in failed)
    out = []
    for name, count in groups.most_common(8):
        examples = [
            {
                "question": r["question"],
                "gold": [r["answer"], r["scale"]],
                "predicted": [r["pred"], r["pred_scale"]],
                "bot": texts.get(r["uid"], "")[:200],
            }
            for r in failed
            if reason(r) == name
        ][:3]
        out.append({"group": name, "count": count, "examples": examples})
    return out


def write_report(result: dict[str, Any], out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "report.json").write_text(json.dumps(result, indent=2, default=str))
    s = result["summary"]
    lines = [
        "# TAT-QA development split",
        "",
        f"{s['questions']} questions over {result['contexts']} contexts; "
        f"{result['ingested']} ingested, {len(result['refused'])} refused. "
        f"Run time {result['seconds']:.0f} s (load average {result.get('load', 0):.1f} on "
        f"{os.cpu_count()} cores at the end). Published: {PUBLISHED}.",
        "",
        f"Official scorer: EM {result['official'].get('em', 0):.2f}, "
        f"F1 {result['official'].get('f1', 0):.2f}, "
        f"scale {result['official'].get('scale', 0):.2f}.",
        "",
        "| slice | n | EM | F1 |",
        "|---|---:|---:|---:|",
        f"| overall | {s['questions']} | {s['em']:.1f} | {s['f1']:.1f} |",
    ]
    for kind in ("by_type", "by_source"):
        for name, g in s[kind].items():
            lines.append(f"| {name} | {g['n']} | {g['em']:.1f} | {g['f1']:.1f} |")
    lines += [
        "",
        f"Scale word equal to the gold one: {s['scale_accuracy']:.1f}% of all questions, "
        "refusals included (the scorer's scale score credits only questions that got an answer). "
        f"Refusals (empty prediction): {s['refusals']}. Narrative retrieval: whatever "
        "`Service.ask` does (Chroma + MiniLM, the path users take); no lexical shortcut.",
        "",
        "## Refused contexts",
        "",
        *([f"- {k}: {v}" for k, v in result["refused"].items()] or ["none"]),
        "",
        "## Largest failure groups",
        "",
    ]
    for g in result["failures"]:
        lines.append(f"### {g['group']}: {g['count']}")
        for e in g["examples"]:
            lines.append(f"- {e['question']} gold {e['gold']}, predicted {e['predicted']}")
        lines.append("")
    (out_dir / "report.md").write_text("\n".join(lines) + "\n")
    _chart(s, out_dir / "report.png")


def _chart(s: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = ["overall", *s["by_type"], *s["by_source"]]
    groups = [s, *s["by_type"].values(), *s["by_source"].values()]
    fig, ax = plt.subplots(figsize=(9, 4))
    xs = range(len(names))
    ax.bar([x - 0.2 for x in xs], [g["em"] for g in groups], 0.4, label="EM")
    ax.bar([x + 0.2 for x in xs], [g["f1"] for g in groups], 0.4, label="F1")
    ax.set_xticks(list(xs), names, rotation=30, ha="right")
    ax.set_ylabel("%")
    ax.set_title("TAT-QA dev: EM and F1 by answer type and source")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def run(data_path: Path, out: Path | None, limit: int | None, report_dir: Path) -> dict[str, Any]:
    t0 = time.perf_counter()
    data = json.loads(data_path.read_text(encoding="utf-8"))[: limit or None]
    with tempfile.TemporaryDirectory(prefix="tatqa-") as tmp:
        folder = Path(tmp)
        (folder / "contexts").mkdir()
        settings = replace(
            Settings.from_env({}), index_dir=folder / "index", chroma_host=None, model=None
        )
        paths = context_files(data, folder / "contexts")
        good, refused = ingest_all(paths, settings)
        preds, texts = ask_all(data, good, settings)
        pred_path = out or folder / "predictions.json"
        pred_path.write_text(json.dumps(preds, ensure_ascii=False, default=str))
        if out is not None:
            out.with_suffix(".texts.json").write_text(json.dumps(texts, ensure_ascii=False))
        gold_path = folder / "gold.json"
        gold_path.write_text(json.dumps(data))
        official, printout = official_scores(gold_path, pred_path)
    rows = details(data, preds)
    result = {
        "contexts": len(data),
        "ingested": len(good),
        "refused": refused,
        "official": official,
        "official_printout": printout,
        "summary": summarise(rows),
        "failures": failure_groups(rows, texts),
        "seconds": time.perf_counter() - t0,
        "load": os.getloadavg()[0],
    }
    write_report(result, report_dir)
    return result


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    p = argparse.ArgumentParser(prog="eval.tatqa", description=__doc__.splitlines()[0])
    p.add_argument("--data", type=Path, default=DEFAULT_DATA)
    p.add_argument("--out", type=Path, default=None, help="where to write predictions.json")
    p.add_argument("--limit", type=int, default=None, help="only the first N contexts")
    p.add_argument("--report-dir", type=Path, default=REPORT_DIR)
    args = p.parse_args(argv)
    result = run(args.data, args.out, args.limit, args.report_dir)
    s = result["summary"]
    print(
        f"TAT-QA: {s['questions']} questions, EM {s['em']:.1f}, F1 {s['f1']:.1f}, "
        f"scale {s['scale_accuracy']:.1f}%, refused contexts {len(result['refused'])}, "
        f"{result['seconds']:.0f} s; report in {args.report_dir}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
