"""understand(question, previous, release) -> Query: what a question asks, as data.

Small pure stages: read the words (measures, periods, basis, currency, impossible periods,
words the release never uses), build on the previous turn when the question is a follow-up,
make relative periods explicit, and name the operation. Nothing here looks a figure up.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from functools import cache

from bot import ops
from bot.catalogue import Derived, catalogue
from bot.context import Context, plain_name
from bot.intent import (
    ABBREVIATIONS,
    BOTH_BASES_RE,
    COMMON_QUESTION_OPENERS,
    ENTITY_OK,
    FOLLOW_UP_RE,
    GENERIC_WORDS,
    PHRASE_WORDS,
    SYN_KEYS,
    basis_of,
    names_new_metric,
    strip_basis_clause,
    strip_table_hint,
    table_hint,
)
from bot.knowledge_files import KNOWLEDGE, load_knowledge
from bot.metrics import SYNONYMS, Match, expand, unglued_phrases
from bot.query import Query
from bot.relative import anchored, made_explicit, shift_of, shifted, with_previous_year
from bot.resolve import Resolver
from bot.text import STOPWORDS, content_tokens, similar, tokens
from index.periods import PeriodAsk, find_periods

Labels = Callable[[str], list[Match]]
CLAUSE_RE = re.compile(r"\b(?:what|how|which|who|when|where|was|were|is|are)\b", re.I)
SPLIT_RE = re.compile(r",|\band\b|\bvs\.?(?!\w)|\bversus\b")
PRONOUN_RE = re.compile(r"\b(?:it|its|that figure|this figure|that number|the same)\b", re.I)
SUBTOTAL_RE = re.compile(r"\bsub-?totals?\b", re.I)
COMPOSITION_RE = re.compile(
    r"\((?=[^)]*\b(?:plus|and)\b)[^)]*\)"
    r"|\b(?:across|covering|spanning|before the)\b.*?(?=\s(?:in|for|at|during|as of)\s|[,?.;()]|$)",
    re.I,
)
TOTAL_WORD_RE = re.compile(r"\btotal\b", re.I)
# 'percentage change': how a figure moved, no word of the line it moved on ('Percentage of revenue').
PERCENT_MOVE_RE = re.compile(
    r"\bpercent(?:age)?\s+(change|increase|decrease|growth|rise|fall|decline)\b", re.I
)
PROSE_OPENER_RE = re.compile(
    r"^\s*(?:who|where|when|why)\b"
    r"|^\s*what (?:caused|drove|led to|is the reason|was the reason|were the reasons?)\b"
    r"|^\s*how (?:is|are|was|were|does|do|did) .*\b(?:calculated|determined|defined|measured"
    r"|presented|recognized|recognised|estimated|define|determine|calculate|estimate)\b",
    re.I,
)
QUARTER_THEN_YEAR_RE = re.compile(
    r"Q[1-4]\s*(?:FY\s*|fiscal\s+)?'?\d{2,4}\s*(?:,|and|&|vs\.?|versus|or)\s*", re.I
)
IMPOSSIBLE_RE = re.compile(
    r"\bq(?:[05-9]|\d{2,})\b|\b[05-9]q\b|\b(?:fifth|sixth|seventh|eighth|ninth|tenth)\s+quarter\b",
    re.I,
)


@cache
def settings() -> dict:
    """Thresholds and currencies from bot/knowledge/vocabulary.yaml."""
    return load_knowledge(KNOWLEDGE / "vocabulary.yaml")


def threshold(name: str) -> float:
    return float(settings()["thresholds"][name])


def shared_quarter(question: str, asks: list[PeriodAsk], ctx: Context) -> tuple[PeriodAsk, ...]:
    """A bare year listed right after a quarter shares its quarter ('Q4 2019 and 2018' is Q4 of
    both years)."""
    out = list(asks)
    for i in range(1, len(out)):
        prev, ask = out[i - 1], out[i]
        if prev.kind != "quarter" or ask.kind != "bare_year" or ask.fiscal_year == prev.fiscal_year:
            continue
        if not QUARTER_THEN_YEAR_RE.fullmatch(question[prev.start : ask.start]):
            continue
        quarter = find_periods(f"Q{prev.quarter} {ask.fiscal_year}", ctx.calendar, ctx.latest_year)
        if quarter:
            out[i] = replace(quarter[0], start=ask.start)
    return tuple(out)


def understand(
    question: str, previous: Query | None, ctx: Context, labels: Labels | None = None
) -> Query:
    """The query a (cleaned) question asks; a follow-up builds on `previous`."""
    question = without_composition(question)
    q = read(question, ctx)
    building = previous is not None and q.follow and previous.answerable_follow_up
    if building and previous is not None:
        q = follow_from(q, previous, ctx)
    q = replace(q, periods=tuple(_periods(question, q, previous if building else None, ctx)))
    q = semantic(q, ctx, labels)
    return with_operation(q, previous.operation if building and previous else None)


def without_composition(question: str) -> str:
    """A subtotal asked with what it covers ('the subtotal of stock-based compensation across
    cost of revenue and opex, before the amortization'): the covering words describe the one
    printed line, they name no measure of their own, so they are left out."""
    if not SUBTOTAL_RE.search(question):
        return question
    out = " ".join(COMPOSITION_RE.sub(" ", question).split())
    return re.sub(r"\s*,\s*(?=[?,]|$)|^\s*,\s*", "", out.replace(" ?", "?").replace(" ,", ","))


def read(question: str, ctx: Context) -> Query:
    """The question's own words, before any turn before it is considered."""
    hint = table_hint(question)
    measured = PERCENT_MOVE_RE.sub(r"\1", strip_basis_clause(strip_table_hint(question)))
    expanded = expand(measured, ctx.index.phrases, ctx.index.printed)
    company = ctx.company_words
    qtokens = tuple(t for t in content_tokens(expanded) if t not in company)
    matches = tuple(ctx.index.match(list(qtokens)))
    if not matches and TOTAL_WORD_RE.search(question):
        matches = tuple(ctx.index.totals()) or only_subtotal(ctx, qtokens)
    best = matches[0] if matches else None
    confident = _confident(best)
    unknown = tuple(unknown_terms(question, ctx))
    names_metric = confident and names_new_metric(question, best)
    return Query(
        "figure",
        measures=tuple((m.row.table_index, m.row.row) for m in matches[:1]),
        periods=shared_quarter(
            question, find_periods(question, ctx.calendar, ctx.latest_year), ctx
        ),
        basis=basis_of(question),
        text=question,
        currency=currency_of(question),
        concept=derived_concept(question, ctx),
        impossible=tuple(m.group(0) for m in IMPOSSIBLE_RE.finditer(question)),
        unknown=unknown,
        follow=is_follow_up(question, list(unknown), names_metric),
        confident=confident,
        table=hint.pattern if hint else None,
        tokens=qtokens,
        matches=matches,
        several=several_measures(question, ctx),
    )


def only_subtotal(ctx: Context, said: tuple[str, ...]) -> tuple[Match, ...]:
    """'The total' where no line says 'Total': the release's one unlabelled total (read as
    'Subtotal'), when it has exactly one and the question's words name its table or heading
    ('the total accrued liabilities' of 'Accrued Liabilities'); nothing when several could be
    meant, or the question names something else ('the total headcount')."""
    lines = [r for r in ctx.index.rows if r.row[-1].strip(" :").lower() == "subtotal"]
    if len(lines) != 1:
        return ()
    row = lines[0]
    around = set(row.secondary) | set(tokens(row.table)) | set(tokens(" ".join(row.row)))
    named = set(said) - {"total"} - set(GENERIC_WORDS)
    return (Match(row, 0.6, 1.0, 0.6),) if named & around else ()


def _confident(best: Match | None) -> bool:
    return (
        best is not None
        and best.score >= threshold("confident_score")
        and best.label_coverage >= threshold("confident_label_coverage")
    )


def is_follow_up(question: str, unknown: list[str], names_metric: bool) -> bool:
    """A turn builds on the one before when it opens like a follow-up ('and ...', 'what about
    ...'), is short, or points back ('how did it change?') and names no figure of its own;
    never a who/where question, nor words the release does not use."""
    if FOLLOW_UP_RE.match(question):
        return True
    if PROSE_OPENER_RE.match(question) or unknown or names_metric:
        return False
    return len(tokens(question)) <= 4 or bool(PRONOUN_RE.search(question))


def follow_from(q: Query, previous: Query, ctx: Context) -> Query:
    """A follow-up keeps what it leaves unsaid: the measure, the basis, the operation."""
    basis = q.basis or previous.basis
    if not _inherits_measure(q) or q.concept:
        return replace(q, basis=basis)
    if previous.concept and not previous.measures:
        return replace(q, basis=basis, concept=previous.concept, confident=True)
    matches, found = _previous_measure(q, previous, ctx)
    return replace(
        q,
        basis=basis,
        matches=tuple(matches),
        measures=tuple((m.row.table_index, m.row.row) for m in matches[:1]),
        confident=found,
    )


# The previous turn's own row leads its twins in other tables: they stand in only for the
# periods it does not print.
TWIN_SCORE = 0.95


def _inherits_measure(q: Query) -> bool:
    """The follow-up names no measure of its own ('and in Q2?', 'and non-GAAP?')."""
    best = q.best
    if q.confident and names_new_metric(q.text, best):
        return False
    return not q.confident or (best is not None and best.score < 0.75)


def _previous_measure(q: Query, previous: Query, ctx: Context) -> tuple[list[Match], bool]:
    """The previous turn's rows and their twins; on another basis, that basis's restatement."""
    resolver = Resolver(ctx.index)
    own = [r for r in ctx.index.rows if (r.table_index, r.row) in previous.measures]
    rows = resolver.same_concept(own)
    matches = [Match(r, 1.0 if r in own else TWIN_SCORE, 1.0, 1.0) for r in rows]
    if q.basis:
        matches += [m for m in q.matches if m.score >= 0.55]
        if previous.basis != q.basis and matches:
            matches = resolver.basis_variants(rows, q.basis, list(q.tokens)) or matches
    return matches, bool(rows)


def _periods(question: str, q: Query, previous: Query | None, ctx: Context) -> list[PeriodAsk]:
    """The periods asked, explicit: a follow-up inherits or shifts the previous turn's."""
    periods = list(q.periods)
    if previous is not None:
        periods = with_previous_year(question, periods, previous.periods)
    rel = anchored(question)
    shift = shift_of(question)
    if previous is not None and not periods:
        if shift and previous.periods:
            periods = shifted(previous.periods, shift)
            rel = [r for r in rel if r != "prior_year"]
        elif not rel:
            periods = list(previous.periods)
    if rel:
        periods = made_explicit(rel, periods, ctx.latest_year, ctx.latest_quarter)
    return periods


def semantic(q: Query, ctx: Context, labels: Labels | None) -> Query:
    """A figure named in words no label uses: the rows nearest in meaning, when close enough."""
    from bot.intent import NUMERIC_RE

    if q.confident or labels is None or q.unknown or not q.periods or q.concept:
        return q
    if not NUMERIC_RE.search(q.text) or ops.names_computed(q.text):
        return q
    near = labels(q.text)
    if near and near[0].score >= threshold("semantic_floor"):
        return replace(
            q,
            matches=tuple(near),
            measures=((near[0].row.table_index, near[0].row.row),),
            confident=True,
        )
    return q


def with_operation(q: Query, inherited: str | None) -> Query:
    """The arithmetic asked, read from the words that are not the measure's own."""
    best = q.best
    label_words = set(tokens(best.row.row[-1])) if best is not None else set()
    op_text = " ".join(w for w in q.text.split() if w.lower().strip("?.,!") not in label_words)
    named = ops.asked(q, op_text)
    if named == "summary":
        return replace(q, operation=named, form="summary")
    op = named or inherited
    return replace(q, operation=None if ops.declined(op, q) else op)


def several_measures(question: str, ctx: Context) -> tuple[tuple[str, tuple[Match, ...]], ...]:
    """The measures of a question naming more than one ('compare R&D, S&M and G&A'), each
    confidently a different row; empty for a question naming one. 'GAAP vs non-GAAP' names two
    bases of one measure, never two measures."""
    question = BOTH_BASES_RE.sub(" ", question)
    text = ctx.index.glued(
        _without_excluded(expand(question, ctx.index.phrases, ctx.index.printed))
    )
    listed = _comma_list(question) or bool(ops.load()["several"].cue_re.search(question))
    if not listed and not _and_joined(text):
        return ()
    parts = [p for p in map(unglued_phrases, SPLIT_RE.split(text)) if _words(p)]
    out, alone = _read_parts(parts, ctx)
    if not listed and not (len(out) == len(parts) and all(alone)):
        return ()  # 'issued and outstanding', 'the end of 2011 and of 2012': one measure
    if len(out) > 2 and len(out) == len(parts) and not any(alone[1:]):
        out = out[1:]  # 'net loss per share, basic and diluted': the first part is their head
    return tuple(out) if len(out) >= 2 else ()


def _read_parts(
    parts: list[str], ctx: Context
) -> tuple[list[tuple[str, tuple[Match, ...]]], list[bool]]:
    """Each listed part's rows, and whether it named them on its own words."""
    context = content_tokens(" ".join(parts))
    out: list[tuple[str, tuple[Match, ...]]] = []
    alone: list[bool] = []
    for part in parts:
        words = _words(part)
        used = [m[0].row for _, m in out]
        if _names_again(words, ctx, used):
            continue  # 'plant' and 'equipment' after 'net property': the same row again
        first = out[0][1][0].row if out else None
        matches = _part_matches(words, ctx, used, first.table_index if first else None)
        alone.append(bool(matches))
        head = tokens(first.row[-1]) if first else []
        matches = matches or _in_context(words, context, ctx, used, head)
        if matches:
            out.append((part, matches))
    return out, alone


def _comma_list(question: str) -> bool:
    """A list after a comma ('..., R&D, S&M and G&A'), not a clause ('..., and how much')."""
    tail = question.split(",", 1)[1] if "," in question else ""
    return bool(re.search(r"\band\b", tail)) and not CLAUSE_RE.search(tail)


def _and_joined(joined: str) -> bool:
    """Measures joined by 'and' outside any printed name ('DSO and inventory turns'); an 'and'
    opening a clause ('and how much was it') joins questions, not measures."""
    return any(not CLAUSE_RE.match(after.strip()) for after in re.split(r"\band\b", joined)[1:])


def _without_excluded(text: str) -> str:
    """The question without a clause that takes measures out ('excluding stock comp and
    restructuring', 'leaving out the restructuring credit')."""
    words = "|".join(re.escape(w) for w in settings()["excluding_words"])
    return re.sub(rf"\b(?:{words})\b[^,?.;]*", " ", text, flags=re.I)


def _words(part: str) -> list[str]:
    """A listed part's words that could name a line: not its date's."""
    return [w for w in content_tokens(part) if not _period_word(w)]


def _period_word(word: str) -> bool:
    """A date's word ('december', '29', '2012'): it names when, never which line."""
    return word.isdigit() or word in period_words()


@cache
def period_words() -> frozenset[str]:
    import calendar

    return frozenset(
        {m.lower() for m in calendar.month_name if m} | set(settings()["period_words"])
    )


def _names_again(words: list[str], ctx: Context, used: list) -> bool:
    """A part naming, among its best rows, one an earlier part named, every word of it in that
    row's label ('cash' after 'cash and cash equivalents', 'plant and equipment' after 'net
    property')."""
    every = ctx.index.match(words) if words else []
    return any(
        m.row in used
        and m.score >= every[0].score - 0.1
        and all(any(similar(w, t) for t in tokens(m.row.row[-1])) for w in words)
        for m in every
    )


def _part_matches(
    words: list[str], ctx: Context, used: list, table: int | None
) -> tuple[Match, ...]:
    """The rows one listed part names, confidently and not already taken; among near-equal
    rows, one of the table the first part was read from ('stock-based compensation in cost of
    revenue, R&D and G&A' stays in that table)."""
    matches = [m for m in ctx.index.match(words) if m.row not in used] if words else []
    if not matches or not _confident(matches[0]):
        return ()
    near = [m for m in matches if _confident(m) and m.score >= matches[0].score - 0.15]
    same = [m for m in near if m.row.table_index == table]
    return (same[0],) if same else tuple(matches)


def _in_context(
    words: list[str], context: list[str], ctx: Context, used: list, head: list[str]
) -> tuple[Match, ...]:
    """A part too short to name a row alone ('investing' in 'operating, investing and
    financing activities'; 'basic' in 'per share, basic and diluted'): the row the whole list's
    words name whose own label holds every word of the part."""
    if not words:
        return ()
    found = [
        m
        for m in ctx.index.match(list(dict.fromkeys([*words, *context])), limit=16)
        if m.row not in used
        and all(any(similar(w, t) for t in tokens(m.row.row[-1])) for w in words)
    ]
    if not found:
        return ()
    return (max(found, key=lambda m: _overlap(tokens(m.row.row[-1]), head)),)


def _overlap(a: list[str], b: list[str]) -> float:
    """How much two labels share: the row nearest the list's head is the one it continues."""
    return len(set(a) & set(b)) / len(set(a) | set(b)) if a or b else 0.0


def currency_of(question: str) -> str | None:
    """A currency the question asks the figure in ('in euros'), by its ISO code."""
    low = question.lower()
    for word, code in settings()["currencies"].items():
        if word in low and re.search(rf"(?<!\w){re.escape(word)}(?!\w)", low):
            return code
    return None


def derived_concept(question: str, ctx: Context) -> str | None:
    """A derived concept the question names, unless the release prints a line by that name
    (then the printed figure answers) and the question does not ask to compute it."""
    concept = catalogue().derived_named(question)
    if concept is None:
        return None
    if re.search(r"\b(?:compute|calculate|derive)\b", question, re.I):
        return concept.name
    printed = ctx.plain_names
    if any(plain_name(n) in printed for n in concept.names):
        return None
    if _prints_a_variant(question, concept, ctx):
        return None
    return None if _names_printed_row(question, concept.names, printed) else concept.name


def _prints_a_variant(question: str, concept: Derived, ctx: Context) -> bool:
    """A printed line that is the concept the question names but for a note in parentheses
    ('Free cash flow (non-GAAP)') or one word inside its name ('Effective income tax rate'),
    and is none of its operands ('Total current liabilities' is a part of total liabilities):
    the printed figure answers."""
    low = question.lower()
    used = [content_tokens(plain_name(n)) for n in concept.names if plain_name(n) in low]
    parts = {" ".join(content_tokens(plain_name(o))) for o in concept.operands}
    for r in ctx.index.rows:
        label = content_tokens(plain_name(re.sub(r"\([^)]*\)", " ", r.row[-1])))
        if " ".join(label) in parts or _kind(r.unit) != _kind(concept.unit):
            continue
        if any(_inside(u, label) for u in used):
            return True
    return False


def _kind(unit: str) -> str:
    return unit if unit in {"percent", "ratio"} else "amount"


def _inside(name: list[str], label: list[str]) -> bool:
    """The label is the name with at most one word added inside it."""
    return (
        bool(name and label)
        and label[0] == name[0]
        and label[-1] == name[-1]
        and set(name) <= set(label)
        and len(label) - len(name) <= 1
    )


def _names_printed_row(question: str, names: tuple[str, ...], printed: frozenset[str]) -> bool:
    """The question names a printed line that holds the concept's name ('Adjusted EBITDA',
    'State income tax rate'): that line answers, not the computed concept."""
    said = set(content_tokens(question))
    low = question.lower()
    used = [n for n in names if re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", low)]
    return any(
        re.search(rf"\b{re.escape(n)}\b", p)
        and all(any(similar(t, w) for w in said) for t in content_tokens(p))
        for p in printed
        for n in used
    )


def unknown_terms(question: str, ctx: Context) -> list[str]:
    """Words the release never uses: a company, a metric or a person it doesn't cover."""
    out = []
    words = re.findall(r"[A-Za-z][A-Za-z'&.-]*", question)
    for i, w in enumerate(words):
        parts = tokens(w)
        if not parts or all(known(p, ctx) for p in parts):
            continue
        shown = w.strip(".'-").replace("'s", "")
        if (
            i == 0
            and not shown.isupper()
            and all(known(p, ctx) or p in COMMON_QUESTION_OPENERS for p in parts)
        ):
            continue
        out.append(shown)
    return out


def known(word: str, ctx: Context) -> bool:
    if len(word) < 3 or word in GENERIC_WORDS or word in STOPWORDS or word in SYN_KEYS:
        return True
    if word in SYNONYMS or word in PHRASE_WORDS or word in ABBREVIATIONS:
        return True
    if word in ctx.vocabulary or word in ctx.index.vocabulary or word in catalogue_words():
        return True
    if word in ctx.company_words:
        return True
    return any(similar(word, v) for v in ctx.vocabulary if abs(len(v) - len(word)) <= 2)


@cache
def catalogue_words() -> frozenset[str]:
    """Every word of a derived concept's names ('EBITDA' is known though no release prints it)
    and every plain cue word of an operation ('fewest')."""
    return (
        frozenset(t for d in catalogue().derived for n in d.names for t in tokens(n))
        | catalogue().result_words
        | frozenset(settings().get("known_words") or ())
        | ops.cue_words()
    )


def entities(question: str, best: Match, ctx: Context) -> list[str]:
    """Names (a product line, a customer) the question narrows a figure by that no row carries."""
    out = []
    for i, w in enumerate(question.split()):
        bare = w.strip(".,?!:;'\"()").replace("'s", "")
        if i == 0 or not bare or not bare[0].isupper():
            continue
        parts = tokens(bare)
        if not parts or all(_printed(p, ctx) or _explained(p, ctx) for p in parts):
            continue
        if all(p in ctx.vocabulary for p in parts):
            out.append(bare)
    return out


def _printed(p: str, ctx: Context) -> bool:
    return p in ctx.label_words or p in ctx.column_words


def _explained(p: str, ctx: Context) -> bool:
    return (
        p in ENTITY_OK
        or p in ctx.index.vocabulary
        or p in SYNONYMS
        or p in GENERIC_WORDS
        or p in STOPWORDS
        or p in ctx.company_words
        or bool(re.fullmatch(r"q[1-4]\d*|[1-4]q\d*|fy\d*|\d+", p))
    )


def unexplained(q: Query, ctx: Context) -> list[str]:
    """Words of the release's prose the question uses that no table row carries ('replay'):
    the question is about the text, whatever figure its other words resemble."""
    from bot.metrics import QUESTION_NEUTRAL

    row_words = ctx.index.vocabulary
    company = ctx.company_words
    out = []
    for t in content_tokens(q.text):
        if t in company:
            continue
        if (
            len(t) < 4
            or t.isdigit()
            or t in GENERIC_WORDS
            or t in STOPWORDS
            or t in QUESTION_NEUTRAL
        ):
            continue
        if t in SYNONYMS or t in PHRASE_WORDS or t in catalogue_words() or t in SYN_KEYS:
            continue
        if t in ctx.vocabulary and not any(similar(t, w) for w in row_words):
            out.append(t)
    return out
