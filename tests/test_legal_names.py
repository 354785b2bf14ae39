"""The suffixes that end a company's name come from one data file and reach every reader of it."""

from __future__ import annotations

import re

import pytest

from bot.scope import LEGAL_SUFFIX_RE, TITLE_COMPANY_RE
from index.identity import LEGAL_NAME_RE
from index.legal_names import question_words, suffixes


def test_every_suffix_line_is_read():
    printed = [s.printed for s in suffixes()]
    assert "Corporation" in printed and "Group" in printed
    assert all(re.compile(p) for p in printed)


@pytest.mark.parametrize("line", ["Lumora Holdings", "Kestrel N.V.", "Ford Motor Company"])
def test_a_line_that_is_a_legal_name_is_read_as_one(line):
    m = LEGAL_NAME_RE.match(line)
    assert m and m["name"] == line


def test_a_heading_ending_in_group_is_not_a_legal_name():
    assert LEGAL_NAME_RE.match("Data Center Group") is None


@pytest.mark.parametrize(
    ("name", "short"),
    [("Ford Motor Company", "Ford Motor"), ("Acme Group", "Acme"), ("Kestrel, Inc.", "Kestrel")],
)
def test_the_short_name_drops_any_suffix(name, short):
    assert LEGAL_SUFFIX_RE.sub("", name).strip() == short


def test_a_headline_names_its_company_before_any_suffix():
    assert TITLE_COMPANY_RE.match("Kestrel Ltd. Reports Third Quarter Results")[1] == "Kestrel"


def test_a_question_may_say_a_suffix_but_company_stays_an_ordinary_word():
    words = question_words()
    assert {"corp", "inc", "plc", "group"} <= words
    assert "company" not in words
