"""Metric resolution: a phrase in a question names the right row of the bundled release."""

from __future__ import annotations

import pytest

from bot.metrics import MetricIndex, MetricRow, display_name, expand
from bot.text import content_tokens
from index.config import DEFAULT_RELEASE
from index.release import read_release


@pytest.fixture(scope="module")
def index() -> MetricIndex:
    return MetricIndex(list(read_release(DEFAULT_RELEASE).facts))


def best(index: MetricIndex, phrase: str) -> MetricRow:
    """The row a question phrase resolves to, as the planner resolves it."""
    matches = index.match(content_tokens(expand(phrase, index.phrases)))
    assert matches, f"nothing matched {phrase!r}"
    return matches[0].row


def label(row: MetricRow) -> str:
    return row.row[-1]


# ---------------------------------------------------------------- abbreviations


def test_every_row_of_the_release_is_indexed_once(index: MetricIndex) -> None:
    keys = [(r.table_index, r.row) for r in index.rows]

    assert len(keys) == len(set(keys))
    assert sum(len(r.facts) for r in index.rows) == 531


@pytest.mark.parametrize("phrase", ["DSO", "dso", "DSOs", "days sales outstanding"])
def test_dso_resolves_to_the_dsos_row(index: MetricIndex, phrase: str) -> None:
    row = best(index, phrase)

    assert label(row) == "DSO's"
    assert row.unit == "days"


def test_eps_resolves_to_a_net_loss_per_share_row(index: MetricIndex) -> None:
    row = best(index, "EPS")

    assert "net loss per" in " ".join(row.row).lower()
    assert row.unit == "USD per share"


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("R&D", "Research and development"),
        ("S&M", "Sales and marketing"),
        ("G&A", "General and administrative"),
        ("D&A", "Depreciation and amortization"),
    ],
)
def test_ampersand_abbreviations_resolve_to_their_expense_rows(
    index: MetricIndex, phrase: str, expected: str
) -> None:
    assert best(index, phrase).name == expected


def test_capex_resolves_to_capital_expenditures(index: MetricIndex) -> None:
    assert label(best(index, "capex")).startswith("Capital Expenditures")


@pytest.mark.parametrize("phrase", ["staff", "employees", "people", "workforce"])
def test_everyday_words_for_people_resolve_to_headcount(index: MetricIndex, phrase: str) -> None:
    assert label(best(index, phrase)) == "Worldwide Headcount"


def test_sales_means_revenue(index: MetricIndex) -> None:
    row = best(index, "sales")

    assert row.primary == ("revenue",)
    assert row.name in {"Total revenue", "Revenue"}


def test_sales_and_marketing_stays_sales_and_marketing(index: MetricIndex) -> None:
    assert best(index, "sales and marketing").name == "Sales and marketing"


def test_sales_and_marketing_is_kept_whole_when_expanded(index: MetricIndex) -> None:
    assert expand("sales and marketing", index.phrases) == "sales and marketing"
    assert expand("sales") == "revenue"


@pytest.mark.parametrize("phrase", ["AR", "accounts receivable", "receivables"])
def test_ar_resolves_to_accounts_receivable(index: MetricIndex, phrase: str) -> None:
    assert label(best(index, phrase)).startswith("Accounts receivable")


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("AP", "Accounts payable"),
        ("opex", "Total operating expenses"),
        ("cogs", "Total cost of revenue"),
        ("wip", "Work in Process ($ Mil)"),
    ],
)
def test_other_finance_abbreviations(index: MetricIndex, phrase: str, expected: str) -> None:
    assert label(best(index, phrase)) == expected


def test_stock_comp_means_stock_based_compensation(index: MetricIndex) -> None:
    assert "stock-based compensation" in best(index, "stock comp").name.lower()


def test_operating_cash_flow_is_cash_from_operations(index: MetricIndex) -> None:
    assert best(index, "operating cash flow").name == "Cash from (used in) operations"


# ---------------------------------------------------------------- typos


@pytest.mark.parametrize(
    ("typo", "expected"),
    [
        ("revnue", "revenue"),
        ("hedcount", "Worldwide Headcount"),
        ("gross proft", "Gross profit"),
        ("invetory", "Inventory"),
    ],
)
def test_typos_resolve_to_the_intended_row(index: MetricIndex, typo: str, expected: str) -> None:
    assert expected.lower() in " ".join(best(index, typo).row).lower()


def test_a_question_of_only_neutral_words_matches_nothing(index: MetricIndex) -> None:
    assert index.match(content_tokens(expand("what was it in Q3 2012"))) == []


# ---------------------------------------------------------------- sections


@pytest.mark.parametrize(
    ("phrase", "section"),
    [
        ("stock-based compensation in gross profit", "Reconciliation of Gross Profit"),
        ("stock-based compensation in net loss", "Reconciliation of Net Loss"),
        (
            "stock comp in the reconciliation of loss from operations",
            "Reconciliation of Loss from Operations",
        ),
    ],
)
def test_the_same_label_under_different_reconciliations_is_told_apart_by_context(
    index: MetricIndex, phrase: str, section: str
) -> None:
    row = best(index, phrase)

    assert row.row[-1] == "Stock-based compensation"
    assert row.row[0] == section


def test_context_words_rank_the_named_section_above_its_twins(index: MetricIndex) -> None:
    matches = index.match(content_tokens(expand("stock-based compensation in net loss")))
    twins = [m for m in matches if m.row.row[-1] == "Stock-based compensation"]

    assert twins[0].row.row[0] == "Reconciliation of Net Loss"
    assert all(m.score < twins[0].score for m in twins[1:])


def test_non_gaap_as_adjusted_rows_carry_the_concept_of_their_section(
    index: MetricIndex,
) -> None:
    names = {
        r.row[0]: r.name
        for r in index.rows
        if r.row[-1] == "Non-GAAP as adjusted" and r.row[0].startswith("Reconciliation of")
    }

    assert names["Reconciliation of Net Loss"] == "Non-GAAP net loss"
    assert names["Reconciliation of Gross Profit"] == "Non-GAAP gross profit"
    assert names["Reconciliation of Gross Margin"] == "Non-GAAP gross margin"


def test_net_loss_never_matches_the_gross_profit_adjusted_row(index: MetricIndex) -> None:
    matches = index.match(content_tokens(expand("non-GAAP net loss")))

    assert not any(m.row.row[0] == "Reconciliation of Gross Profit" for m in matches)
    assert any(m.row.row == ("Reconciliation of Net Loss", "Non-GAAP as adjusted") for m in matches)


# ---------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("row", "basis", "expected"),
    [
        (("Cash Related Information", "DSO's"), None, "DSO"),
        (("Revenue ($ Mil)",), None, "Revenue"),
        (("Reconciliation of Net Loss", "Non-GAAP as adjusted"), "non-GAAP", "Non-GAAP net loss"),
        (("Reconciliation of Gross Profit", "U.S. GAAP as reported"), "GAAP", "GAAP gross profit"),
        (("Inventory Metrics", "Worldwide Headcount"), None, "Worldwide headcount"),
    ],
)
def test_display_name_is_the_row_as_a_person_says_it(
    row: tuple[str, ...], basis: str | None, expected: str
) -> None:
    assert display_name(row, basis) == expected


def test_label_search_finds_a_row_by_meaning_with_the_real_model(index: MetricIndex) -> None:
    from bot.metrics import LabelSearch
    from index.embeddings import shared_embedder

    model = shared_embedder()
    search = LabelSearch(index, model.embed_documents, model.embed_query)
    best = search("How much was the amortization of premium on investments in 2011?")[0]
    assert best.row.name == "Amortization of premium on investments"
    assert best.score >= 0.6
    unrelated = search("What is the weather like in the city today?")[0]
    assert unrelated.score < 0.6


def test_glued_words_split_but_camel_case_names_stay_whole() -> None:
    from bot.metrics import unglued

    assert unglued("Net Loss per CommonShare - Diluted") == "Net Loss per Common Share - Diluted"
    assert unglued("iPhone") == "iPhone" and unglued("McKinsey fees") == "McKinsey fees"


def test_a_phrase_a_release_prints_as_a_label_is_not_rewritten() -> None:
    from bot.metrics import expand

    assert "operating income" in expand(
        "What was operating income?", frozenset({"operating income"})
    )
    assert "income from operations" in expand("What was operating income?")


# ---------------------------------------------------------------- scoring only what can score


def every_row_scored(index: MetricIndex, words: list[str], limit: int = 8) -> list:
    """The matches as a plain reading of the scoring rule gives them: every row scored, each
    question word compared with each label word by `similar`."""
    from bot.metrics import NEUTRAL, _neutral, canonical, similar

    q = canonical(words)
    if not [t for t in q if not _neutral(t)]:
        return []
    out = []
    for r in index.rows:
        prim = [t for t in r.primary if t not in NEUTRAL] or list(r.primary)
        pw = sum(index.weight(t) for t in prim)
        hit = sum(index.weight(t) for t in prim if any(similar(t, x) for x in q))
        cov = hit / pw if pw else 0.0
        if cov <= 0:
            continue
        heads = [t for t in r.secondary if not _neutral(t)]
        said_heads = heads and all(any(similar(t, x) for x in q) for t in heads)
        narrows = any(
            not _neutral(x)
            and any(similar(x, t) for t in r.primary)
            and not any(similar(x, t) for t in r.secondary)
            for x in q
        )
        if said_heads and narrows:
            cov = 1.0
        explained = total = 0.0
        for x in q:
            in_prim = any(similar(x, t) for t in r.primary)
            if _neutral(x):
                explained += 0.3 if in_prim else 0.0
                continue
            w = index.weight(x)
            total += w
            if in_prim:
                explained += w
            elif any(similar(x, t) for t in r.secondary):
                explained += 0.6 * w
        qcov = min(1.0, explained / total) if total else 0.0
        score = 0.5 * cov + 0.5 * qcov
        if r.secondary and sum(x.primary == r.primary for x in index.rows) > 1:
            ctx = sum(1 for t in r.secondary if any(similar(t, x) for x in q))
            score -= 0.1 * (1 - ctx / len(r.secondary))
        out.append((r, score, cov, qcov))
    out.sort(key=lambda m: (-m[1], m[0].precision, m[0].table_index))
    return out[:limit]


@pytest.mark.parametrize(
    "phrase",
    [
        "What was revenue in Q3 2012?",
        "non-GAAP net loss per share diluted",
        "reveune and inventory turns",
        "cash provided by investing activities",
        "stock-based compensation in cost of revenue",
        "restructuring adjustment from GAAP to non-GAAP net loss",
        "accrued warranty non-current",
        "days sales outstanding",
        "total",
    ],
)
def test_matching_only_the_rows_that_share_a_word_agrees_with_scoring_every_row(
    index: MetricIndex, phrase: str
) -> None:
    words = content_tokens(expand(phrase, index.phrases, index.printed))
    plain = every_row_scored(index, words)
    fast = index.match(words)
    assert [(m.row, m.score, m.label_coverage, m.question_coverage) for m in fast] == plain


def test_printed_names_are_glued_whole_and_unglued_again(index: MetricIndex) -> None:
    from bot.metrics import unglued_phrases

    text = "inventories , net and sales and marketing in 2012"
    glued = index.glued(text)
    assert "," not in glued and " and " in glued
    assert unglued_phrases(glued) == "inventories, net and sales and marketing in 2012"
