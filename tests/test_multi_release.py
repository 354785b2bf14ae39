"""Answering over many releases: the bundled Infinera release, Lumora's Q4 2013 and Q4 2014
releases and Vorora's Q4 2012 release, made by eval/synthetic.py from the bundled one (every
amount doubled, years shifted). Lumora's two releases both print fiscal 2013, differently: the
later one wins, and the answer says what the earlier printed.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from bot.answer import Answer
from bot.conversation import Conversation
from bot.scope import MAX_EACH, Holder, route, without_names
from bot.service import Service
from eval.synthetic import FACTORS, Synthetic, render
from index.config import DEFAULT_RELEASE, Settings
from index.ingest import forget, ingest

INFINERA, VORORA = "infinera-2012-q4", "vorora-2012-q4"
LUMORA_13, LUMORA_14 = "lumora-2013-q4", "lumora-2014-q4"
SPECS = (
    Synthetic(0, "Lumora", "LUMR", 1, FACTORS[0]),
    Synthetic(0, "Lumora", "LUMR", 2, FACTORS[0]),
    Synthetic(0, "Vorora", "VORA", 0, FACTORS[0]),
)


def settings_for(index_dir: Path) -> Settings:
    return replace(
        Settings.from_env(),
        index_dir=index_dir,
        release=DEFAULT_RELEASE,
        chroma_host=None,
        model=None,
        base_url=None,
        api_key=None,
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = tmp_path_factory.mktemp("files")
    paths = [DEFAULT_RELEASE]
    for spec in SPECS:
        path = files / f"{spec.release_id}.txt"
        path.write_text(render(spec), encoding="utf-8")
        paths.append(path)
    index_dir = tmp_path_factory.mktemp("multi")
    ingest(paths, settings_for(index_dir))
    return index_dir


@pytest.fixture(scope="module")
def multi(built: Path) -> Service:
    return Service.open(settings_for(built), build=False)


def releases_cited(answer: Answer) -> set[str]:
    return {c.release for c in answer.citations if c.kind != "calculation"}


def test_a_named_company_is_answered_from_its_release_and_names_it(multi: Service) -> None:
    answer = multi.ask("What was Vorora's total revenue in Q4 2012?")
    assert answer.found
    assert "$256,128 thousand" in answer.text
    assert "(Vorora Q4 2012 release, GAAP Condensed Consolidated Statements" in answer.text
    assert releases_cited(answer) == {VORORA}
    assert answer.citations[0].source == "Vorora Q4 2012 release"
    assert answer.citations[0].short().startswith("Vorora Q4 2012 release, ")
    assert answer.to_json()["citations"][0]["source"] == "Vorora Q4 2012 release"


def test_a_ticker_names_the_company(multi: Service) -> None:
    answer = multi.ask("What was LUMR's worldwide headcount in Q4 2014?")
    assert answer.found and "1,242" in answer.text
    assert releases_cited(answer) == {LUMORA_14}


def test_a_comparison_across_quarters_takes_each_from_its_release(multi: Service) -> None:
    answer = multi.ask("Lumora DSO in Q2 2014 vs Q3 2012")
    assert answer.found
    cells = {(c.release, c.period, c.value) for c in answer.citations if c.kind == "table"}
    assert (LUMORA_14, "Q2 2014", "55") in cells
    assert (LUMORA_13, "Q3 2012", "60") in cells
    assert "Lumora Q4 2014 release" in answer.text and "Lumora Q4 2013 release" in answer.text


def test_a_series_spans_the_company_releases(multi: Service) -> None:
    answer = multi.ask("Plot Lumora's DSO by quarter")
    assert answer.found
    points = dict(answer.chart)
    assert len(points) == 12  # Q1 2012 to Q4 2014, from two releases of eight quarters each
    assert releases_cited(answer) == {LUMORA_13, LUMORA_14}


def test_a_restated_figure_comes_from_the_latest_release_and_says_so(multi: Service) -> None:
    answer = multi.ask("What was Lumora's total revenue in Q4 2013?")
    assert answer.found
    first = answer.citations[0]
    assert (first.release, first.value) == (LUMORA_14, "224018")
    assert "Restated" in answer.text and "$256,128 thousand" in answer.text
    older = [c for c in answer.citations if c.release == LUMORA_13]
    assert [c.value for c in older] == ["256128"]


def test_a_figure_printed_alike_in_two_releases_is_not_called_restated(multi: Service) -> None:
    answer = multi.ask("What was Lumora's worldwide headcount in Q4 2012?")
    assert answer.found and "1,181" in answer.text
    assert "Restated" not in answer.text


def test_a_release_named_by_its_period_answers_from_that_release_alone(multi: Service) -> None:
    answer = multi.ask("What did Lumora's Q4 2013 release report as total revenue for Q4 2013?")
    assert answer.found and "$256,128 thousand" in answer.text
    assert "Restated" not in answer.text and "$224,018" not in answer.text
    assert releases_cited(answer) == {LUMORA_13}


def test_two_companies_compared_each_cited(multi: Service) -> None:
    answer = multi.ask("Compare total revenue of Infinera and Vorora in fiscal 2012")
    assert answer.found
    assert "- Infinera:" in answer.text and "- Vorora:" in answer.text
    assert "$438,437 thousand" in answer.text and "$876,874 thousand" in answer.text
    assert "Vorora's is the higher" in answer.text
    assert releases_cited(answer) == {INFINERA, VORORA}


def test_no_company_named_is_answered_for_each_and_says_so(multi: Service) -> None:
    answer = multi.ask("What was total revenue in Q4 2012?")
    assert answer.found
    assert answer.text.startswith("The question names no company")
    assert releases_cited(answer) == {INFINERA, LUMORA_13, VORORA}


def test_no_company_named_but_one_covers_the_year(multi: Service) -> None:
    answer = multi.ask("What was total revenue in Q4 2014?")
    assert answer.found and "$256,128 thousand" in answer.text
    assert "only Lumora's releases cover 2014" in answer.text
    assert releases_cited(answer) == {LUMORA_14}


def test_a_follow_up_keeps_the_company(multi: Service) -> None:
    first = multi.ask("What was Vorora's DSO in Q3 2012?")
    answer = multi.ask("what about Q4 2012?", Conversation().add(first))
    assert answer.found and "76 days" in answer.text
    assert releases_cited(answer) == {VORORA}


def test_a_company_not_loaded_is_said_with_what_is(multi: Service) -> None:
    answer = multi.ask("What was Acme's revenue in Q4 2012?")
    assert not answer.found
    assert "No release of Acme is loaded" in answer.text
    assert "Lumora (Q4 2013 and Q4 2014 releases)" in answer.text


def test_prose_is_searched_in_the_named_company_releases_only(multi: Service) -> None:
    answer = multi.ask("On which exchange does Vorora trade?")
    assert answer.found and "VORA" in answer.text
    assert releases_cited(answer) == {VORORA}


def test_forgetting_the_later_release_leaves_the_earlier_one_answering(
    built: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "index"
    shutil.copytree(built, index_dir)
    forget(LUMORA_14, settings_for(index_dir))
    service = Service.open(settings_for(index_dir), build=False)
    answer = service.ask("What was Lumora's total revenue in Q4 2013?")
    assert answer.found and "$256,128 thousand" in answer.text
    assert "Restated" not in answer.text
    assert releases_cited(answer) == {LUMORA_13}


def test_one_release_keeps_its_short_wording_but_names_the_release_in_sources(
    service: Service,
) -> None:
    if len(service.names) != 1:
        pytest.skip("the default index holds more than the bundled release")
    answer = service.ask("What was Q3 DSO?")
    assert "release," not in answer.text
    assert answer.citations[0].short().startswith("Infinera Q4 2012 release, ")


def test_many_companies_and_none_named_asks_which_one() -> None:
    loaded = [Holder(f"c{i}", f"Company{i}", None, ()) for i in range(MAX_EACH + 1)]
    way = route("What was revenue?", loaded, lambda: {"revenue", "what", "was"})
    assert way.holders == () and way.how == "ask"
    assert "which one do you mean" in way.note


def test_the_question_each_company_is_asked_leaves_the_names_out() -> None:
    a, b = Holder("a", "Infinera", "INFN", ()), Holder("b", "Vorora", "VORA", ())
    assert (
        without_names("Compare gross margin of Infinera and Vorora in fiscal 2012", [a, b])
        == "What was gross margin in fiscal 2012"
    )
    assert (
        without_names("Which company had higher revenue in 2012, INFN or VORA?", [a, b])
        == "What was revenue in 2012?"
    )


def test_amounts_of_the_generated_releases_are_the_bundled_doubled(multi: Service) -> None:
    bundled = {(f.table, f.row, f.column): f for f in multi.facts.facts(INFINERA)}
    vorora = multi.facts.facts(VORORA)
    usd = [f for f in vorora if f.unit == "USD" and f.scale == "thousands"]
    assert usd
    for f in usd:
        assert f.value == bundled[(f.table, f.row, f.column)].value * Decimal(FACTORS[0])


def test_a_question_naming_one_company_reads_only_that_company_facts(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from index.facts_store import FactsStore

    read: list[str | None] = []
    real = FactsStore.facts

    def spied(store: FactsStore, release: str | None = None) -> list:
        read.append(release)
        return real(store, release)

    monkeypatch.setattr(FactsStore, "facts", spied)
    service = Service.open(settings_for(built), build=False)
    opened = set(read)
    answer = service.ask("What was Vorora's revenue in Q4 2012?")

    assert answer.found and releases_cited(answer) == {VORORA}
    assert opened == set()
    assert set(read) == {VORORA}
    assert not service.ask("What was Acme's revenue in Q4 2012?").found
    assert set(read) == {VORORA}
