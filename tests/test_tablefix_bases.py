"""Several measures asked on both bases ('R&D and S&M, GAAP vs non-GAAP'): each measure the
release restates is given on both; for the others the answer says plainly that the release
prints no non-GAAP figure, and which measures it does restate."""

from __future__ import annotations

from bot.service import Service


def test_measures_printed_as_reported_only_are_said_to_have_no_non_gaap_figure(
    service: Service,
) -> None:
    answer = service.ask("R&D, S&M and G&A in Q4 2012: GAAP versus non-GAAP")

    assert answer.found, answer.text
    assert "26,660" in answer.text and "20,558" in answer.text and "11,563" in answer.text
    assert "no non-GAAP research and development, sales and marketing or general and " in (
        answer.text
    )
    assert "Its non-GAAP figures are for:" in answer.text and "gross profit" in answer.text


def test_a_measure_restated_on_a_non_gaap_basis_is_given_on_both_beside_one_that_is_not(
    service: Service,
) -> None:
    answer = service.ask("Line up gross profit and R&D for fiscal 2012, non-GAAP and GAAP")

    assert answer.found, answer.text
    assert "157,569" in answer.text and "166,103" in answer.text  # gross profit, both bases
    assert "117,233" in answer.text
    assert "no non-GAAP research and development" in answer.text
    assert "no non-GAAP gross profit" not in answer.text
    assert any(c.row == "Non-GAAP as adjusted" for c in answer.citations)


def test_measures_restated_on_both_bases_carry_no_missing_note(service: Service) -> None:
    answer = service.ask("Gross profit and net loss in fiscal 2011, GAAP vs non-GAAP")

    assert answer.found, answer.text
    assert "173,338" in answer.text and "(31,716)" in answer.text
    assert "no non-GAAP" not in answer.text


def test_one_basis_asked_adds_no_note(service: Service) -> None:
    answer = service.ask("Compare R&D and S&M in fiscal 2012")

    assert answer.found and "non-GAAP" not in answer.text, answer.text


def test_the_period_of_a_side_by_side_answer_keeps_its_capitals(service: Service) -> None:
    answer = service.ask("Compare net loss and gross profit in Q4 2012")

    assert answer.text.startswith("In Q4 2012:"), answer.text
