"""The CI gate: the bot may not get worse on the gold set than the committed baseline.

`python -m eval.gate` fails (exit 1) when overall accuracy falls below `eval/baseline.json`,
or when a question the baseline lists as passing now fails. `--update` rewrites the
baseline from the current run, so raising or lowering the bar is a visible commit. The
product's targets (overall accuracy, answers given but wrong) are printed beside the run with
where it stands; they inform, the baseline decides.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval.run import (
    DEFAULT_GOLDS,
    DEFAULT_OUT,
    EVAL_DIR,
    Ask,
    Report,
    run_default,
    summary_table,
    write_report,
)

DEFAULT_BASELINE = EVAL_DIR / "baseline.json"


@dataclass(frozen=True)
class Targets:
    """Where the bot should get to: overall accuracy at least `overall`, and answers given but
    wrong (a wrong figure, or an answer to a not-in-release question) at most `answered_wrong`
    of all questions."""

    overall: float = 0.97
    answered_wrong: float = 0.01

    def standing(self, report: Report) -> list[str]:
        """One line per target: the target, the run's figure, met or not."""
        overall, wrong = report.accuracy(), report.answered_wrong_share()
        counts = report.outcomes()
        return [
            f"target overall accuracy >= {self.overall:.1%}: now {overall:.1%} "
            f"({_met(overall >= self.overall)})",
            f"target answered but wrong <= {self.answered_wrong:.1%} of all questions: now "
            f"{wrong:.1%} = {counts['wrong']} wrong + {counts['false_answer']} answered a "
            f"not-in-release question, of {report.count()} ({_met(wrong <= self.answered_wrong)})",
        ]


def _met(ok: bool) -> str:
    return "met" if ok else "not met"


@dataclass(frozen=True)
class Baseline:
    """What the last accepted run achieved: the bar the next run must clear."""

    overall: float = 0.0
    categories: dict[str, float] = field(default_factory=dict)
    passed: tuple[str, ...] = ()

    @classmethod
    def load(cls, path: Path) -> Baseline:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(
            overall=float(data.get("overall", 0.0)),
            categories={k: float(v) for k, v in (data.get("categories") or {}).items()},
            passed=tuple(data.get("passed") or ()),
        )

    @classmethod
    def from_report(cls, report: Report) -> Baseline:
        return cls(
            overall=round(report.accuracy(), 4),
            categories={c: round(report.accuracy(c), 4) for c in report.categories},
            passed=tuple(sorted(report.passed)),
        )

    def to_json(self) -> dict[str, Any]:
        return {"overall": self.overall, "categories": self.categories, "passed": list(self.passed)}

    def save(self, path: Path) -> None:
        Path(path).write_text(json.dumps(self.to_json(), indent=2) + "\n", encoding="utf-8")


def check(report: Report, baseline: Baseline) -> list[str]:
    """Every way the run is worse than the baseline, one plain line each; empty when none."""
    problems = []
    overall = round(report.accuracy(), 4)
    if overall < baseline.overall:
        problems.append(
            f"overall accuracy {overall:.2%} is below the baseline's {baseline.overall:.2%}"
        )
    results = {r.id: r for r in report.results}
    lost: dict[str, list[str]] = {}
    for id_ in baseline.passed:
        r = results.get(id_)
        if r is None:
            lost.setdefault("(removed)", []).append(f"  - {id_}: no longer in the gold set")
        elif not r.correct:
            lost.setdefault(r.category, []).append(f"  - {id_}: {r.question!r}: {r.reason}")
    for category, lines in lost.items():
        problems.append(
            f"{category} lost {len(lines)} question(s) it answered before:\n" + "\n".join(lines)
        )
    return problems


def newly_passing(report: Report, baseline: Baseline) -> list[str]:
    before = set(baseline.passed)
    return [id_ for id_ in report.passed if id_ not in before]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m eval.gate", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--gold", type=Path, action="append", help="a gold file, repeatable (default: all)"
    )
    parser.add_argument("--baseline", type=Path, default=DEFAULT_BASELINE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where the report goes")
    parser.add_argument("--brain", default=None, help="planner or agent (default: from settings)")
    parser.add_argument("--update", action="store_true", help="rewrite the baseline from this run")
    parser.add_argument(
        "--target-overall",
        type=float,
        default=Targets.overall,
        help="target overall accuracy, printed with where the run stands (default %(default)s)",
    )
    parser.add_argument(
        "--target-wrong",
        type=float,
        default=Targets.answered_wrong,
        help="target share of answers given but wrong (default %(default)s)",
    )
    parser.add_argument(
        "--with-baseline",
        action="store_true",
        help="also measure the retrieval-only baseline for the report (loads the embedder)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None, ask: Ask | None = None) -> int:
    """Run the eval, compare with the baseline; `ask` replaces the Service in tests."""
    args = parse_args(argv)
    report = run_default(
        args.gold or DEFAULT_GOLDS, args.brain, ask=ask, with_baseline=args.with_baseline
    )
    write_report(report, args.out)
    print(summary_table(report))
    print()
    for line in Targets(args.target_overall, args.target_wrong).standing(report):
        print(line)
    print()
    baseline = Baseline.load(args.baseline) if args.baseline.exists() else Baseline()
    if args.update:
        new = Baseline.from_report(report)
        new.save(args.baseline)
        gained = newly_passing(report, baseline)
        dropped = sorted(set(baseline.passed) - set(new.passed))
        print(
            f"baseline {args.baseline} updated: overall {baseline.overall:.2%} -> "
            f"{new.overall:.2%}; "
            f"{len(gained)} question(s) now pass, {len(dropped)} no longer do"
            + (f" ({', '.join(dropped)})" if dropped else "")
        )
        return 0
    problems = check(report, baseline)
    if problems:
        print(f"eval gate FAILED against {args.baseline}:", file=sys.stderr)
        for problem in problems:
            print(f"- {problem}", file=sys.stderr)
        print(f"details: {args.out / 'report.md'}", file=sys.stderr)
        return 1
    gained = newly_passing(report, baseline)
    print(
        f"eval gate passed: overall {report.accuracy():.2%} (baseline {baseline.overall:.2%}); "
        f"every question the baseline passed still passes"
        + (f"; {len(gained)} newly passing: run with --update to lock them in" if gained else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
