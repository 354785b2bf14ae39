"""The eval runner and its CI gate, driven by a small gold set and a fake bot."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from bot.answer import Answer, Citation
from bot.conversation import Conversation
from eval import gate, run
from eval.run import Ask, load_gold, run_eval

GOLD = {
    "questions": [
        {
            "id": "lookup-revenue",
            "category": "lookup",
            "question": "What was revenue in Q4 2012?",
            "expected": {"value": "128,064", "unit": "USD", "scale": "thousands"},
            "lines": [67],
        },
        {
            "id": "lookup-dso",
            "category": "lookup",
            "question": "What was DSO in Q3 2012?",
            "expected": {"value": "74", "unit": "days", "scale": "units"},
            "lines": [493],
        },
        {
            "id": "narrative-hq",
            "category": "narrative",
            "question": "Where is Infinera headquartered?",
            "expected": {"phrases": ["Sunnyvale"]},
            "lines": [5],
        },
        {
            "id": "nir-revenue-2010",
            "category": "not_in_release",
            "question": "What was revenue in fiscal 2010?",
            "expected": {"not_found": True},
        },
        {
            "id": "fu-revenue-q3",
            "category": "follow_up",
            "conversation": ["what was revenue in Q4 2012?"],
            "question": "and in Q3?",
            "expected": {"value": "112.2", "unit": "USD", "scale": "millions"},
            "lines": [460],
        },
    ]
}

RIGHT = {
    "What was revenue in Q4 2012?": ("Revenue was $128,064 thousand in Q4 2012.", True, 67),
    "what was revenue in Q4 2012?": ("Revenue was $128,064 thousand in Q4 2012.", True, 67),
    "What was DSO in Q3 2012?": ("DSO was 74 days in Q3 2012.", True, 493),
    "Where is Infinera headquartered?": ("Sunnyvale, California.", True, 5),
    "What was revenue in fiscal 2010?": ("The release does not cover fiscal 2010.", False, None),
}


def fake_bot(broken: dict[str, str] | None = None) -> Ask:
    """Answers the small gold set rightly, except the questions in `broken`."""
    broken = broken or {}

    def ask(question: str, conversation: Conversation | None) -> Answer:
        if question == "and in Q3?":
            assert conversation is not None and conversation.last is not None
            assert "128,064" in conversation.last.text  # the earlier turn was asked first
            text, found, line = "Revenue was $112.2 million in Q3 2012.", True, 460
        else:
            text, found, line = RIGHT[question]
        if question in broken:
            text = broken[question]
        cited = (Citation("table", "r", (line, line), "q"),) if line else ()
        return Answer(question=question, text=text, found=found, citations=cited)

    return ask


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    gold = tmp_path / "gold.yaml"
    gold.write_text(yaml.safe_dump(GOLD), encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    baseline.write_text('{"overall": 0.0, "categories": {}, "passed": []}\n', encoding="utf-8")
    return {"gold": gold, "baseline": baseline, "out": tmp_path / "out"}


def gate_main(files: dict[str, Path], ask: Ask, *extra: str) -> int:
    argv = ["--gold", str(files["gold"]), "--baseline", str(files["baseline"])]
    return gate.main([*argv, "--out", str(files["out"]), *extra], ask=ask)


def test_update_writes_the_baseline_from_the_run(files: dict[str, Path]) -> None:
    assert gate_main(files, fake_bot(), "--update") == 0
    saved = json.loads(files["baseline"].read_text())
    assert saved["overall"] == 1.0
    assert saved["categories"]["lookup"] == 1.0
    assert sorted(saved["passed"]) == sorted(q["id"] for q in GOLD["questions"])


def test_gate_passes_when_every_answer_is_right(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    gate_main(files, fake_bot(), "--update")
    assert gate_main(files, fake_bot()) == 0
    assert "eval gate passed" in capsys.readouterr().out


def test_gate_fails_naming_the_question_that_broke(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    gate_main(files, fake_bot(), "--update")
    capsys.readouterr()
    broken = fake_bot({"What was DSO in Q3 2012?": "DSO was 76 days in Q3 2012."})
    assert gate_main(files, broken) == 1
    err = capsys.readouterr().err
    assert "eval gate FAILED" in err
    assert "lookup lost 1 question" in err
    assert "lookup-dso" in err
    assert "overall accuracy 80.00% is below the baseline's 100.00%" in err


def test_gate_fails_when_a_category_loses_a_question_even_if_overall_holds(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    # The baseline passed everything but the narrative question; now narrative passes and
    # a lookup breaks: overall is unchanged, but lookup lost a question it answered before.
    narrative_wrong = fake_bot({"Where is Infinera headquartered?": "In California."})
    gate_main(files, narrative_wrong, "--update")
    capsys.readouterr()
    lookup_wrong = fake_bot({"What was revenue in Q4 2012?": "Revenue was $118 million."})
    assert gate_main(files, lookup_wrong) == 1
    err = capsys.readouterr().err
    assert "lookup lost 1 question" in err
    assert "lookup-revenue" in err
    assert "overall accuracy" not in err


def test_gate_fails_when_overall_falls_below_the_committed_number(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    files["baseline"].write_text('{"overall": 0.9, "categories": {}, "passed": []}')
    broken = fake_bot({"Where is Infinera headquartered?": "In California."})
    assert gate_main(files, broken) == 1
    assert "overall accuracy 80.00% is below the baseline's 90.00%" in capsys.readouterr().err


def test_a_crashing_answer_is_a_failure_not_a_crash(files: dict[str, Path]) -> None:
    gate_main(files, fake_bot(), "--update")
    good = fake_bot()

    def crashes_on_dso(question: str, conversation: Conversation | None) -> Answer:
        if "DSO" in question:
            raise RuntimeError("facts store locked")
        return good(question, conversation)

    assert gate_main(files, crashes_on_dso) == 1
    report = json.loads((files["out"] / "report.json").read_text())
    dso = next(r for r in report["results"] if r["id"] == "lookup-dso")
    assert dso["error"] == "RuntimeError: facts store locked"


def test_a_missing_baseline_file_is_a_zero_bar(files: dict[str, Path]) -> None:
    files["baseline"].unlink()
    assert gate_main(files, fake_bot({"What was DSO in Q3 2012?": "No idea."})) == 0


def test_runner_writes_the_three_reports(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--gold", str(files["gold"]), "--out", str(files["out"]), "--no-baseline"]
    broken = fake_bot({"What was DSO in Q3 2012?": "DSO was 76 days in Q3 2012."})
    assert run.main(argv, ask=broken) == 0
    md = (files["out"] / "report.md").read_text()
    assert "| lookup | 2 | 1 | 50.0% |" in md
    assert "lookup-dso" in md and "DSO was 76 days" in md and "Expected: 74 days" in md
    data = json.loads((files["out"] / "report.json").read_text())
    assert data["summary"]["overall"] == 0.8
    assert (files["out"] / "report.png").read_bytes()[:4] == b"\x89PNG"
    assert "overall" in capsys.readouterr().out


def search_with(passages: dict[str, str]) -> Callable[[str], list[str]]:
    return lambda query: [passages.get(query, "nothing relevant")]


def test_report_measures_refusals_citations_latency_and_the_baseline(
    files: dict[str, Path],
) -> None:
    items = load_gold(files["gold"])
    refuses_revenue = fake_bot({})

    def ask(question: str, conversation: Conversation | None) -> Answer:
        if question == "What was revenue in Q4 2012?":
            return Answer(question=question, text="Not in the release.", found=False)
        return refuses_revenue(question, conversation)

    search = search_with({"Where is Infinera headquartered?": "SUNNYVALE, CA -- Infinera"})
    report = run_eval(items, ask, search)
    assert report.accuracy() == pytest.approx(0.8)
    assert report.refusal_precision == pytest.approx(0.5)  # two refusals, one right
    assert report.refusal_recall == 1.0
    assert report.citation_accuracy == pytest.approx(3 / 4)
    assert report.baseline_accuracy() == pytest.approx(0.2)  # only the narrative question
    assert report.baseline_accuracy("not_in_release") == 0.0
    assert report.latency(0.5) is not None and report.latency(0.95) >= report.latency(0.5)


def test_report_tells_wrong_answers_from_refusals_and_false_answers(
    files: dict[str, Path],
) -> None:
    items = load_gold(files["gold"])
    answers = fake_bot(
        {
            "What was DSO in Q3 2012?": "DSO was 76 days in Q3 2012.",  # answered but wrong
        }
    )

    def ask(question: str, conversation: Conversation | None) -> Answer:
        if question == "What was revenue in Q4 2012?":
            return Answer(question=question, text="Not in the release.", found=False)
        if question == "What was revenue in fiscal 2010?":
            return Answer(question=question, text="Revenue was $404.9 million.", found=True)
        return answers(question, conversation)

    report = run_eval(items, ask)
    assert report.outcomes() == {
        "correct": 2,
        "wrong": 1,
        "refused": 1,
        "false_answer": 1,
        "error": 0,
    }
    assert report.outcomes("lookup") == {
        "correct": 0,
        "wrong": 1,
        "refused": 1,
        "false_answer": 0,
        "error": 0,
    }
    assert report.answered_wrong_share() == pytest.approx(2 / 5)
    summary = report.summary()
    assert summary["categories"]["not_in_release"]["outcomes"]["false_answer"] == 1
    md = run.render_markdown(report)
    assert "| lookup | 2 | 0 | 0.0% | n/a | 1 | 1 | 0 | 0 |" in md
    assert "| **overall** | 5 | 2 | **40.0%** | n/a | 1 | 1 | 1 | 0 |" in md
    assert "(lookup, wrong)" in md and "(lookup, refused)" in md
    assert "(not_in_release, false answer)" in md


def test_gate_prints_the_targets_and_where_the_run_stands_without_gating_on_them(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    broken = fake_bot({"What was DSO in Q3 2012?": "DSO was 76 days in Q3 2012."})
    gate_main(files, broken, "--update")
    capsys.readouterr()
    assert gate_main(files, broken, "--target-overall", "0.97", "--target-wrong", "0.01") == 0
    out = capsys.readouterr().out
    assert "target overall accuracy >= 97.0%: now 80.0% (not met)" in out
    assert "target answered but wrong <= 1.0% of all questions: now 20.0% = 1 wrong + 0" in out
    assert "eval gate passed" in out


AAPL_GOLD = {
    "release": "data/releases/no-such-release.htm",
    "questions": [
        {
            "id": "other-greater-china",
            "category": "other_release",
            "question": "What was Greater China revenue?",
            "expected": {"value": "20,819", "unit": "USD", "scale": "millions"},
        },
        {
            "id": "other-services",
            "category": "other_release",
            "question": "What was Services revenue?",
            "expected": {"value": "23,117", "unit": "USD", "scale": "millions"},
        },
    ],
}


def test_items_of_a_gold_file_naming_a_release_are_asked_of_that_release(
    files: dict[str, Path],
) -> None:
    other = files["gold"].parent / "gold_other.yaml"
    other.write_text(yaml.safe_dump(AAPL_GOLD), encoding="utf-8")
    items = load_gold([files["gold"], other])
    asked: list[str] = []

    def release_ask(release: str) -> Ask:
        asked.append(release)
        return lambda q, c: Answer(question=q, text="Greater China: $20,819 million.", found=True)

    report = run_eval(items, fake_bot(), release_ask=release_ask)
    assert asked == ["data/releases/no-such-release.htm"] * 2
    results = {r.id: r for r in report.results}
    assert results["other-greater-china"].correct
    assert results["other-greater-china"].release == "data/releases/no-such-release.htm"
    assert not results["other-services"].correct
    assert results["lookup-revenue"].correct and results["lookup-revenue"].release is None
    assert "other_release" in report.categories


def test_a_release_that_cannot_be_loaded_is_said_once_and_its_questions_are_refused() -> None:
    from contextlib import ExitStack

    warnings: list[str] = []
    with ExitStack() as stack:
        ask_for = run.release_asks(stack, warn=warnings.append)
        ask = ask_for("data/releases/no-such-release.htm")
        assert ask_for("data/releases/no-such-release.htm") is ask
        answer = ask("What was Greater China revenue?", None)
    assert answer.found is False
    assert "no-such-release.htm could not be loaded" in answer.text
    assert len(warnings) == 1 and "count as refused" in warnings[0]
