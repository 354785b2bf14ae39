"""Company, ticker, reporting period and fiscal calendar, read from the release itself."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from index.config import DEFAULT_RELEASE
from index.identity import UnknownIdentity, headline, identify
from index.periods import Period
from index.readers.html import read

APPLE = Path(__file__).resolve().parent.parent / "data" / "releases" / "AAPL-Q1FY2024.htm"


def test_apple_first_quarter_ends_in_december_of_a_year_ending_in_september():
    release = read(APPLE.read_text(encoding="utf-8"), "AAPL-Q1FY2024")
    who = identify(release.lines)
    assert who.company == "Apple Inc."
    assert (who.ticker, who.exchange) == (None, None)
    assert who.period == Period("quarter", 2024, 1)
    assert who.period.end == date(2023, 12, 30)
    assert who.year_end_month == 9
    assert who.weeks


@pytest.mark.parametrize("label", ["Exhibit 99.1", "EX-99.1", "EXHIBIT 99", "Ex. 99.2"])
def test_an_exhibit_label_line_is_not_the_headline(label):
    lines = ["", label, "", "Acme reports second quarter results", "SAN JOSE -- Acme today ..."]
    assert headline(lines) == "Acme reports second quarter results"
    assert headline(["Exhibit 99.1 to Acme's filing: results"]) == (
        "Exhibit 99.1 to Acme's filing: results"
    )


def test_the_bundled_release_is_infinera_fourth_quarter_2012():
    who = identify(DEFAULT_RELEASE.read_text(encoding="utf-8").splitlines())
    assert (who.company, who.ticker, who.exchange) == ("Infinera Corporation", "INFN", "NASDAQ")
    assert who.period == Period("quarter", 2012, 4)
    assert who.period.end == date(2012, 12, 29)
    assert who.year_end_month == 12
    assert not who.weeks


@pytest.mark.parametrize(
    ("text", "company", "ticker", "period", "end", "year_end_month"),
    [
        (
            "CHICAGO, July 22, 2004 -- XYZ Foods Inc. (NYSE: XYZ) today reported results for its "
            "second quarter ended July 3, 2004, a 13-week quarter.",
            "XYZ Foods Inc.",
            "XYZ",
            Period("quarter", 2004, 2),
            date(2004, 7, 3),
            12,
        ),
        (
            "AUSTIN, Texas -- Acme Corp. (NYSE: ACM), a maker of widgets, today announced results "
            "for its fourth quarter and fiscal year ended May 31, 2019.",
            "Acme Corp.",
            "ACM",
            Period("quarter", 2019, 4),
            date(2019, 5, 31),
            5,
        ),
        (
            "SEATTLE -- Northwind Stores, Inc. (Nasdaq: NWS) today reported its third quarter of "
            "fiscal 2022 ended October 29, 2022.",
            "Northwind Stores, Inc.",
            "NWS",
            Period("quarter", 2022, 3),
            date(2022, 10, 29),
            1,
        ),
        (
            "BOSTON -- Contoso Ltd. today announced annual results for the fiscal year ended "
            "June 30, 2023.",
            "Contoso Ltd.",
            None,
            Period("year", 2023),
            date(2023, 6, 30),
            6,
        ),
    ],
)
def test_the_period_and_calendar_come_from_the_sentence_that_names_them(
    text, company, ticker, period, end, year_end_month
):
    who = identify([text])
    assert (who.company, who.ticker) == (company, ticker)
    assert (who.period, who.period.end) == (period, end)
    assert who.year_end_month == year_end_month


def test_a_quarter_named_in_the_headline_takes_its_end_from_the_table_captions():
    lines = ["Fabrikam reports first quarter results", "", "Fabrikam Inc."]
    who = identify(lines, ["Three Months Ended March 30, 2024", "Three Months Ended April 1, 2023"])
    assert who.company == "Fabrikam Inc."
    assert (who.period, who.period.end) == (Period("quarter", 2024, 1), date(2024, 3, 30))
    assert who.year_end_month == 12


@pytest.mark.parametrize(
    ("lines", "what"),
    [
        (["Results were strong this quarter.", "Revenue grew."], "company"),
        (["Fabrikam Inc. today announced a new product."], "reporting period"),
    ],
)
def test_what_cannot_be_told_is_said_in_one_line(lines, what):
    with pytest.raises(UnknownIdentity) as err:
        identify(lines)
    assert what in str(err.value)
    assert "\n" not in str(err.value)
