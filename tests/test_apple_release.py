"""Questions over another company's HTML release, loaded alone: names spelled in camel case, a
release's own labels, and table text that is a row's to answer."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bot.service import Service
from index.config import Settings
from index.ingest import ingest

APPLE = Path(__file__).resolve().parents[1] / "data" / "releases" / "AAPL-Q1FY2024.htm"


@pytest.fixture(scope="module")
def apple(tmp_path_factory: pytest.TempPathFactory) -> Service:
    settings = replace(
        Settings.from_env(),
        index_dir=tmp_path_factory.mktemp("apple"),
        release=APPLE,
        chroma_host=None,
        model=None,
        base_url=None,
        api_key=None,
    )
    ingest([APPLE], settings)
    return Service.open(settings)


def test_a_camel_case_product_is_a_row_to_name(apple: Service) -> None:
    answer = apple.ask("iPhone net sales in the December 2022 quarter?")
    assert answer.found and "65,775" in answer.text


def test_a_label_the_release_prints_is_read_as_printed(apple: Service) -> None:
    answer = apple.ask("What was operating income for the quarter ended December 30, 2023?")
    assert answer.found and "40,373" in answer.text


def test_a_row_named_without_a_period_is_read_from_its_table_not_its_text(apple: Service) -> None:
    answer = apple.ask("What was Greater China revenue?")
    assert answer.found and "20,819" in answer.text and "50,430" not in answer.text


def test_a_derived_operand_said_in_the_catalogues_words_is_found_below_the_nearest(
    apple: Service,
) -> None:
    """Operating margin needs income from operations; Apple prints 'Operating income', which
    ranks below 'Net income' by its words: the line that says the operand is taken, never net
    income and never a refusal."""
    answer = apple.ask("What was the operating margin in Q1 2024?")
    assert answer.found, answer.text
    assert "Operating income $40,373 million" in answer.text and "33.76%" in answer.text
    assert "Net income" not in answer.text
