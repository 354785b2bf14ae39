"""Question text: chat noise is cleaned away, bad input is refused plainly, typos are forgiven."""

from __future__ import annotations

import pytest

from bot.text import MAX_QUESTION_CHARS, clean_question, similar, tokens
from index.errors import BadQuestion

# ---------------------------------------------------------------- chat noise


@pytest.mark.parametrize(
    "raw",
    [
        "hey bot, what was DSO in Q3 2012?",
        "Hey bot: what was DSO in Q3 2012?",
        "@earningsbot what was DSO in Q3 2012?",
        "<@U123> what was DSO in Q3 2012?",
        "<@U123|earningsbot> what was DSO in Q3 2012?",
        "hi earningsbot, what was DSO in Q3 2012?",
        "ok so what was DSO in Q3 2012?",
        "  what was DSO in Q3 2012?  ",
    ],
)
def test_chat_prefixes_and_mentions_are_stripped(raw: str) -> None:
    assert clean_question(raw) == "what was DSO in Q3 2012?"


def test_control_characters_are_removed_and_the_words_kept() -> None:
    assert clean_question("what was\x07 DSO\x1b in Q3\x7f 2012?") == "what was DSO in Q3 2012?"


def test_invisible_format_characters_are_removed() -> None:
    assert clean_question("what was\u200b DSO?") == "what was DSO?"


def test_runs_of_whitespace_and_newlines_become_one_space() -> None:
    assert clean_question("what was\n\n  revenue\tin Q4 2012?") == "what was revenue in Q4 2012?"


def test_a_greeting_alone_is_kept_rather_than_emptied() -> None:
    assert clean_question("Hello") == "Hello"


def test_a_question_at_the_length_limit_is_accepted() -> None:
    text = "x" * MAX_QUESTION_CHARS

    assert clean_question(text) == text


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("raw", ["", "   ", "\n\t  \n", "?!", "<@U123>", "@earningsbot"])
def test_empty_or_blank_input_asks_for_a_question(raw: str) -> None:
    with pytest.raises(BadQuestion, match="Please type a question"):
        clean_question(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "what was\x00 revenue?",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".decode("latin-1"),
        bytes(range(256)).decode("latin-1"),
    ],
)
def test_text_with_nul_bytes_is_refused_as_binary(raw: str) -> None:
    with pytest.raises(BadQuestion, match="binary data"):
        clean_question(raw)


def test_binary_without_nul_bytes_is_refused_as_not_a_question() -> None:
    raw = b"\xde\xad\xbe\xef\xca\xfe\xba\xbe\x01\x02".decode("utf-8", errors="replace")

    with pytest.raises(BadQuestion, match="Please type a question"):
        clean_question(raw)


def test_only_control_characters_is_refused() -> None:
    with pytest.raises(BadQuestion, match="Please type a question"):
        clean_question("\x01\x02\x03\x1b\x7f")


def test_over_two_thousand_characters_is_refused_with_the_length_and_the_limit() -> None:
    with pytest.raises(BadQuestion) as err:
        clean_question("a" * 50_000)

    message = str(err.value)
    assert "50,000 characters" in message
    assert "2,000" in message


def test_one_character_over_the_limit_is_refused() -> None:
    with pytest.raises(BadQuestion, match="2,001 characters"):
        clean_question("x" * (MAX_QUESTION_CHARS + 1))


@pytest.mark.parametrize("raw", [None, 123, b"what was DSO?"])
def test_non_text_is_refused(raw: object) -> None:
    with pytest.raises(BadQuestion, match="must be text"):
        clean_question(raw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "raw", ["", "a" * 50_000, "x\x00y", "\x01\x02", bytes(range(1, 32)).decode("ascii")]
)
def test_refusal_messages_are_one_plain_sentence(raw: str) -> None:
    with pytest.raises(BadQuestion) as err:
        clean_question(raw)

    message = str(err.value)
    assert message[0].isupper()
    assert "\n" not in message
    assert "Traceback" not in message and "Error" not in message
    assert len(message) < 200


# ---------------------------------------------------------------- tokens


def test_tokens_keep_ampersand_abbreviations_and_fold_possessives() -> None:
    assert tokens("R&D and DSO's for Infinera’s S&M") == [
        "r&d",
        "and",
        "dso",
        "for",
        "infinera",
        "s&m",
    ]


def test_non_current_is_one_token_however_it_is_written() -> None:
    assert tokens("non-current") == tokens("non current") == tokens("noncurrent")


# ---------------------------------------------------------------- similar


@pytest.mark.parametrize(
    ("typo", "word"),
    [
        ("revnue", "revenue"),
        ("proft", "profit"),
        ("hedcount", "headcount"),
        ("invetory", "inventory"),
        ("depreciaton", "depreciation"),
    ],
)
def test_a_typo_is_the_same_word(typo: str, word: str) -> None:
    assert similar(typo, word)
    assert similar(word, typo)


@pytest.mark.parametrize(
    ("a", "b"),
    [("revenue", "revenues"), ("expense", "expenses"), ("receivable", "receivables")],
)
def test_a_plural_is_the_same_word(a: str, b: str) -> None:
    assert similar(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("operating", "operations"),
        ("cost", "cash"),
        ("margin", "marketing"),
        ("net", "new"),
        ("loss", "less"),
        ("gross", "grow"),
        ("capital", "capex"),
    ],
)
def test_different_words_are_not_similar(a: str, b: str) -> None:
    assert not similar(a, b)
    assert not similar(b, a)


def test_similar_gives_the_verdict_of_its_plain_definition_over_the_release_words() -> None:
    """The first-letter and length shortcuts never change a verdict of the difflib ratio."""
    from difflib import SequenceMatcher

    from bot.text import stem
    from index.config import DEFAULT_RELEASE

    def plain(a: str, b: str) -> bool:
        if a == b:
            return True
        if len(a) < 4 or len(b) < 4 or stem(a) == stem(b):
            return stem(a) == stem(b)
        return SequenceMatcher(None, a, b).ratio() >= 0.85 and a[0] == b[0]

    words = sorted(set(tokens(DEFAULT_RELEASE.read_text(encoding="utf-8"))))[::3]
    assert len(words) > 300
    assert [(a, b) for a in words for b in words if similar(a, b) != plain(a, b)] == []
