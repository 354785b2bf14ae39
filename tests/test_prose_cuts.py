"""Where an answering phrase starts and ends: the most exact date a 'when' asks, a definition
by the form its question takes, and no cut that breaks a bracket, a quotation or a clause (the
whole sentence answers instead)."""

from __future__ import annotations

import pytest

from bot.prose import answering_phrase


@pytest.mark.parametrize(
    ("question", "sentence", "phrase"),
    [
        (
            "When did the board approve the buy-back programme?",
            "During the second quarter of fiscal year 2020, the board approved the buy-back "
            "programme to return surplus cash.",
            "the second quarter of fiscal year 2020",
        ),
        (
            "When did the regulator issue its new tariff rules?",
            "In June 2016, the regulator issued its new tariff rules for harbour pilots.",
            "June 2016",
        ),
        (
            "When did the firm move its listing?",
            "The firm moved its listing to the main market in fiscal 2019 after two years on the "
            "junior board.",
            "fiscal 2019",
        ),
    ],
)
def test_when_takes_the_most_exact_date_the_sentence_gives(
    question: str, sentence: str, phrase: str
) -> None:
    assert answering_phrase(question, sentence) == phrase


@pytest.mark.parametrize(
    ("question", "sentence", "phrase"),
    [
        (
            "What are Key Accounts?",
            "(3) Key Accounts (“KA”) are the customers we serve with a dedicated team, while "
            "Retail Accounts refers to the customers served through our shops.",
            "the customers we serve with a dedicated team",
        ),
        (
            "What are Retail Accounts?",
            "(3) Key Accounts (“KA”) are the customers we serve with a dedicated team, while "
            "Retail Accounts refers to the customers served through our shops.",
            "Retail Accounts refers to the customers served through our shops",
        ),
        (
            "What is Licence Fees?",
            "Licence Fees include fees billed for software licences; maintenance fees are "
            "billed yearly.",
            "Licence Fees include fees billed for software licences",
        ),
        (
            "How does the firm define net leverage?",
            "Net leverage (NL): the Firm defines net leverage (NL) ratio as net debt divided by "
            "EBITDA.",
            "net debt divided by EBITDA",
        ),
    ],
)
def test_a_definition_is_what_the_term_is_or_the_clause_defining_it(
    question: str, sentence: str, phrase: str
) -> None:
    assert answering_phrase(question, sentence) == phrase


def test_a_cut_inside_a_quotation_takes_the_quotation_whole() -> None:
    sentence = (
        '(4) During the year ended March 3, 2021, the Firm combined "Rent payable" with "Trade '
        'payable and other accrued liabilities" on the balance sheets.'
    )
    question = 'What did the firm combine "Rent payable" with in 2021 on the balance sheets?'
    phrase = answering_phrase(question, sentence)
    assert phrase == '"Trade payable and other accrued liabilities"'


@pytest.mark.parametrize(
    ("question", "sentence", "phrase"),
    [
        (
            "What is the implication for writing back impairment charges?",
            "However, if any impairment charge is reversed, the asset's carrying amount may be "
            "restored up to its original cost.",
            "the asset's carrying amount may be restored up to its original cost",
        ),
        (
            "What could result in the 2021 gross margin rising or falling by about $3.1 million?",
            "For example, if freight rates were to change by one percentage point, our 2021 "
            "gross margin would have risen or fallen by about $3.1 million.",
            "if freight rates were to change by one percentage point",
        ),
    ],
)
def test_a_phrase_does_not_open_on_the_last_word_of_a_broken_clause(
    question: str, sentence: str, phrase: str
) -> None:
    assert answering_phrase(question, sentence) == phrase


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        (
            "Why were the margins and the net income affected in 2021 and 2020?",
            "(2) Our net income and margins were affected in 2021 and 2020 by the effects of the "
            "Harbour Dues Act of 2019 (the Dues Act).",
        ),
        (
            "What was the Harbour Dues Act of 2019 (the “Act”)?",
            "In May 2019, the legislature passed the Harbour Dues Act of 2019 (the “Act”), which "
            "among other matters cut harbour dues from 8% to 5% effective July 1, 2019.",
        ),
    ],
)
def test_a_cut_breaking_a_phrase_gives_the_whole_sentence(question: str, sentence: str) -> None:
    assert answering_phrase(question, sentence) is None


@pytest.mark.parametrize(
    ("question", "sentence", "phrase"),
    [
        (
            "How long was the expected term of the harbour options granted in 2021?",
            "We valued the harbour options granted in 2021 at $4 each with the following "
            "assumptions: risk-free rate of 1.2%, expected term of six years, expected "
            "volatility of 31% and dividend yield of 0.5%.",
            "six years",
        ),
        (
            "Over what period will the unrecognized cost of the dock awards be recognized?",
            "The unrecognized cost of the dock awards will be recognized on a straight-line "
            "basis over a weighted average term of approximately 3.4 years.",
            "3.4 years",
        ),
        (
            "How long is the useful life of the cranes?",
            "The useful life of the cranes ranges from 8 to 12 years.",
            "8 to 12 years",
        ),
    ],
)
def test_how_long_is_the_duration_the_sentence_gives(
    question: str, sentence: str, phrase: str
) -> None:
    assert answering_phrase(question, sentence) == phrase


def test_how_a_figure_is_estimated_is_not_cut_inside_what_the_method_applies_to() -> None:
    sentence = (
        "We estimated the fair values of our dock options that were solely subject to service "
        "conditions using a binomial lattice model, which suits options with early exercise."
    )
    question = "How does the company estimate the fair value of its dock options?"
    assert answering_phrase(question, sentence) is None  # the whole sentence answers
