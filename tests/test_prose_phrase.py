"""The answering phrase cut from a quoted sentence: the figure asked, the clause that answers,
the words between a restatement, and the whole sentence when cutting would change its sense."""

from __future__ import annotations

import pytest

from bot.prose import answering_phrase


@pytest.mark.parametrize(
    ("question", "sentence", "phrase"),
    [
        (
            "How much was drawn under the revolving facility in 2021?",
            "We drew $41.5 million under the revolving facility in 2021, of which $9.0 million "
            "was repaid before the year end.",
            "$41.5 million",
        ),
        (
            "What was the warranty reserve at 30 June 2020?",
            "The warranty reserve at 30 June 2021 stood at £7.2 million (2020: £6.8 million).",
            "£6.8 million",
        ),
        (
            "What is the discount rate applied?",
            "The discount rate applied has been held at 6% since 2015, and the board may raise "
            "it above 8%.",
            "6%",
        ),
        (
            "What was the average selling price per unit in 2021?",
            "The average selling price per unit in 2021 was 312.5p (2020: 298.0p).",
            "312.5p",
        ),
        (
            "What was the deferred bonus pool?",
            "At year end we held a $3.4 million deferred bonus pool which is paid in March.",
            "$3.4 million",
        ),
    ],
)
def test_a_figure_asked_is_the_one_standing_by_the_words_asked(
    question: str, sentence: str, phrase: str
) -> None:
    assert answering_phrase(question, sentence) == phrase


@pytest.mark.parametrize(
    ("question", "sentence", "phrase"),
    [
        (
            "Which regions does the firm run retail branches in?",
            "The Firm runs retail branches in Chile, Peru, Spain and Portugal and the Firm "
            "runs retail kiosks in Morocco.",
            "Chile, Peru, Spain and Portugal",
        ),
        (
            "What does the firm depend on to bill its customers?",
            "The Firm depends on meter readings supplied by regional utilities to bill its "
            "customers.",
            "meter readings supplied by regional utilities",
        ),
        (
            "How often does the committee revisit its hedging policy?",
            "The committee revisits its hedging policy quarterly.",
            "quarterly",
        ),
        (
            "What is the key priority of the board in 2022?",
            "The key priority of the board in 2022 is the migration of billing to one platform.",
            "the migration of billing to one platform",
        ),
        (
            "How are contract costs amortised?",
            "Contract costs are amortised from the date of go-live over the expected term.",
            "the date of go-live over the expected term",
        ),
        (
            "What does freight expense consist of?",
            "Freight expense is comprised of carrier charges and fuel surcharges.",
            "carrier charges and fuel surcharges",
        ),
        (
            "What is excluded from segment expenses?",
            "(3) Excludes share-based pay and certain expense allocations.",
            "share-based pay and certain expense allocations",
        ),
        (
            "How often are directors elected?",
            "Directors are elected every two years but may be removed by the shareholders.",
            "every two years",
        ),
    ],
)
def test_the_phrase_is_the_part_of_the_sentence_the_question_does_not_restate(
    question: str, sentence: str, phrase: str
) -> None:
    assert answering_phrase(question, sentence) == phrase


@pytest.mark.parametrize(
    ("question", "sentence", "phrase"),
    [
        (
            "What is the ticker symbol of the shares?",
            'Shares trade under the symbol "KLMX."',
            "KLMX",
        ),
        (
            "Which market are the shares listed on?",
            "Our shares are listed on the Toronto Venture Exchange under the symbol “KLMX.”",
            "Toronto Venture Exchange",
        ),
        (
            "How many interim dividends did the board declare in 2021?",
            "In 2021, the board declared three interim dividends of 5p each.",
            "three",
        ),
        (
            "Which leasing standard will apply from 1 July 2022?",
            "The IASB’s Amended Leasing Standard will apply to the Firm from 1 July 2022.",
            "The IASB’s Amended Leasing Standard",
        ),
        (
            "What was the firm's equity stake in Norwave?",
            "In May 2021 the Firm invested $4.0 million in Norwave, representing approximately "
            "21% equity stake.",
            "21%",
        ),
        (
            "Over how many years is the cost recognised?",
            "The cost is recognised over 3.4 years.",
            "3.4 years",
        ),
        (
            "Why are the swaps spread across several banks?",
            "The swaps are spread across several banks to limit counterparty risk.",
            "to limit counterparty risk",
        ),
        (
            "Why is leverage shown against EBITDA?",
            "To compare borrowing with earnings power, we show leverage against EBITDA.",
            "To compare borrowing with earnings power",
        ),
    ],
)
def test_shapes_of_answer(question: str, sentence: str, phrase: str) -> None:
    assert answering_phrase(question, sentence) == phrase


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        (
            "Is the pension scheme open to new members?",
            "The pension scheme is closed to new members.",
        ),
        (
            "What was the amount of penalties accrued at 31 December 2021?",
            "At 31 December 2021 and 2020, the Firm had no penalties accrued.",
        ),
    ],
)
def test_a_yes_or_no_or_a_none_is_answered_by_the_whole_sentence(
    question: str, sentence: str
) -> None:
    assert answering_phrase(question, sentence) is None
