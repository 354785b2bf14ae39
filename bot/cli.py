"""The command line: a thin layer that turns arguments into calls and answers into text or JSON."""

from __future__ import annotations

from index import regex_cache

regex_cache.load()

# Every import below comes after the saved patterns are in re's cache.
import argparse  # noqa: E402
import atexit  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import NoReturn  # noqa: E402

from index.config import Settings  # noqa: E402
from index.errors import BotError  # noqa: E402

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")


def _parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line. Given the command asked for, only its arguments are declared: declaring
    all eight took a twentieth of a cold `bot ask`. Help and unknown commands get them all."""
    p = argparse.ArgumentParser(
        prog="bot", description="Exact, cited answers about an earnings release."
    )
    sub = p.add_subparsers(dest="command", required=True)
    for name, (help_text, declare) in SUBCOMMANDS.items():
        if command in (None, name):
            declare(sub.add_parser(name, help=help_text))
    return p


def _ingest_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", type=Path)
    p.add_argument("--if-needed", action="store_true", help="do nothing when an index exists")
    p.add_argument(
        "--replace",
        action="store_true",
        help="replace a release even with one holding far fewer facts",
    )
    p.add_argument(
        "--accept-audit-failures",
        action="store_true",
        help="take a release whose tie-out audit fails (the report says so)",
    )
    p.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="a progress bar on stderr (default: when stderr is a terminal)",
    )


def _releases_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="one JSON object per release")


def _forget_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("release", help="a release id, as `bot releases` lists it")


def _ask_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("question", nargs="+")
    p.add_argument("--json", action="store_true", help="one JSON object per question")
    p.add_argument("--conversation", action="store_true", help="questions are turns of one chat")
    p.add_argument("--brain", choices=["planner", "agent"], default=None)


def _facts_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true")


def _serve_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=int(os.environ.get("BOT_PORT", "7860")))


def _no_args(p: argparse.ArgumentParser) -> None:
    pass


def _audit_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", nargs="?", type=Path)
    p.add_argument("--json", action="store_true")


SUBCOMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "ingest": ("build or rebuild the index (default: the bundled release)", _ingest_args),
    "releases": ("the releases in the index and whose they are", _releases_args),
    "forget": ("remove one release from the index", _forget_args),
    "ask": ("answer a question ('-' reads one question per line from stdin)", _ask_args),
    "facts": ("every parsed table cell, one per line", _facts_args),
    "serve": ("the Gradio chat UI", _serve_args),
    "slack": ("the Slack app (Socket Mode or HTTP)", _no_args),
    "audit": ("tie out the release: footing, ties, prose vs tables", _audit_args),
}


def main(argv: list[str] | None = None) -> int:
    """Run one command; whatever goes wrong becomes one line on stderr and a non-zero exit."""
    given = sys.argv[1:] if argv is None else argv
    args = _parser(given[0] if given and given[0] in SUBCOMMANDS else None).parse_args(given)
    try:
        return COMMANDS[args.command](args, Settings.from_env())
    except BotError as exc:
        return _fail(str(exc), 2)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`bot audit | head -1`): stop writing, quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        return _fail(f"{exc.strerror or exc}:{where}".rstrip(":"), 2)
    except Exception as exc:
        if os.environ.get("BOT_DEBUG"):
            raise
        return _fail(f"unexpected {type(exc).__name__}: {exc} (BOT_DEBUG=1 shows where)", 3)


# Commands after which the process may end without the interpreter's teardown.
NO_TEARDOWN = frozenset({"ingest", "ask", "facts", "releases"})


def run() -> NoReturn:
    """The process entry point (`python -m bot`, the `bot` script). After the commands in
    `NO_TEARDOWN` the process ends without the interpreter's teardown: freeing chromadb's
    modules and the ONNX session takes a third of a second, and freeing the answering modules a
    tenth of a cold table answer, and it saves nothing. All ingest wrote is synced and switched
    to before it returns (the crash tests end ingests the same way); the others only read the
    index. Exit handlers still run and the output is flushed."""
    argv = sys.argv[1:]
    code = main(argv)
    if argv[:1] and argv[0] in NO_TEARDOWN:
        atexit._run_exitfuncs()
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            pass
        os._exit(code)
    raise SystemExit(code)


def _fail(message: str, code: int) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from index.ingest import IngestOptions, index_ready, ingest

    if args.if_needed and index_ready(settings) and not args.paths:
        from index.facts_store import FactsStore

        FactsStore.open(settings.index_dir)
        print(f"Index ready at {settings.index_dir}.")
        return 0
    from bot.progress import ProgressBar

    options = IngestOptions(replace=args.replace, accept_audit_failures=args.accept_audit_failures)
    shown = sys.stderr.isatty() if args.progress is None else args.progress
    if not shown:
        report = ingest(args.paths or [settings.release], settings, options)
    else:
        with ProgressBar() as bar:
            report = ingest(args.paths or [settings.release], settings, options, progress=bar)
    print(report.summary())
    return 0


def cmd_releases(args: argparse.Namespace, settings: Settings) -> int:
    from index.facts_store import UNKNOWN, FactsStore

    infos = FactsStore.open(settings.index_dir).releases()
    rows = [_release_json(i) for i in infos]
    if args.json:
        for row in rows:
            print(json.dumps(row))
        return 0
    header = ("release", "company", "ticker", "period", "facts", "passages", "source")
    table = [header] + [
        tuple(
            UNKNOWN if r[k] is None else str(r[k])
            for k in ("id", "company", "ticker", "period", "facts", "passages", "source")
        )
        for r in rows
    ]
    widths = [max(len(t[c]) for t in table) for c in range(len(header) - 1)]
    for t in table:
        print("  ".join(v.ljust(w) for v, w in zip(t, widths, strict=False)) + "  " + t[-1])
    return 0


def _release_json(info) -> dict:  # noqa: ANN001
    who = info.identity
    p = who.period
    return {
        "id": info.id,
        "company": who.company,
        "ticker": who.ticker,
        "exchange": who.exchange,
        "period": p.label if p else None,
        "period_kind": p.kind if p else None,
        "fiscal_year": p.fiscal_year if p else None,
        "quarter": p.quarter if p else None,
        "period_end": p.end.isoformat() if p and p.end else None,
        "fiscal_year_end_month": who.year_end_month,
        "source": info.path,
        "facts": info.fact_count,
        "passages": info.passage_count,
        "ingested_at": info.ingested_at,
    }


def cmd_forget(args: argparse.Namespace, settings: Settings) -> int:
    from index.ingest import forget

    print(forget(args.release, settings).summary())
    return 0


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from bot.conversation import Conversation
    from bot.service import Service

    joined = " ".join(args.question)
    questions = (
        [q for q in sys.stdin.read().splitlines() if q.strip()] if joined == "-" else [joined]
    )
    service = Service.open(settings)
    conv = Conversation()
    for q in questions:
        answer = service.ask(q, conv if args.conversation else None, brain=args.brain)
        if args.conversation:
            conv = conv.add(answer)
        if args.json:
            print(answer.to_json_line(), flush=True)
        else:
            print(answer.text)
            for c in answer.citations:
                print(f"  source: {c.short()}")
            if len(questions) > 1:
                print()
    return 0


def cmd_facts(args: argparse.Namespace, settings: Settings) -> int:
    from index.facts_store import FactsStore
    from index.ingest import index_ready, ingest

    if not index_ready(settings):
        ingest([settings.release], settings)
    for f in FactsStore.open(settings.index_dir).facts():
        print(json.dumps(_fact_json(f)) if args.json else _fact_line(f))
    return 0


def _column_key(f) -> str:  # noqa: ANN001
    """A column's key as a person reads it: its period, or its dimension member."""
    if f.member is None:
        return f.period.label if f.period else f.column
    period = f" ({f.period.label})" if f.period else ""
    return f"{f.dimension}: {f.member}{period}"


def _fact_line(f) -> str:  # noqa: ANN001
    return (
        f"{f.line:>4}  {f.table} | {f.row_text} | {_column_key(f)} | {f.raw} "
        f"[{f.unit}, {f.scale}{', ' + f.basis if f.basis else ''}]"
    )


def _fact_json(f) -> dict:  # noqa: ANN001
    p, pos = f.period, f.position
    return {
        "release": f.release,
        "table": f.table,
        "row": list(f.row),
        "column": f.column,
        "key": _column_key(f),
        "period": p.label if p else None,
        "period_kind": p.kind if p else None,
        "fiscal_year": p.fiscal_year if p else None,
        "quarter": p.quarter if p else None,
        "period_end": p.end.isoformat() if p and p.end else None,
        "dimension": f.dimension,
        "member": f.member,
        "basis": f.basis,
        "value": str(f.value),
        "raw": f.raw,
        "unit": f.unit,
        "scale": f.scale,
        "qualifier": f.qualifier,
        "line": f.line,
        "lines": list(f.lines),
        "position": None
        if pos is None
        else {"row": pos.row, "col": pos.col, "line": pos.line, "start": pos.start, "end": pos.end},
    }


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from bot.service import Service
    from bot.ui import serve

    serve(Service.open(settings), host=args.host, port=args.port)
    return 0


def cmd_slack(args: argparse.Namespace, settings: Settings) -> int:
    from bot.live_service import LiveService
    from bot.service import Service
    from bot.slack import SlackSettings, run

    SlackSettings.from_env()
    run(LiveService.of(Service.open(settings)), os.environ)
    return 0


def cmd_audit(args: argparse.Namespace, settings: Settings) -> int:
    from bot.audit_cli import run_audit_command

    return run_audit_command(args.path, args.json)


COMMANDS = {
    "ingest": cmd_ingest,
    "releases": cmd_releases,
    "forget": cmd_forget,
    "ask": cmd_ask,
    "facts": cmd_facts,
    "serve": cmd_serve,
    "slack": cmd_slack,
    "audit": cmd_audit,
}
