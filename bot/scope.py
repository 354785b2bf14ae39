"""Which releases a question addresses, and the one view of a company's releases it is answered
over.

The index may hold many releases of many companies. A question names a company (by name or
ticker), or none: with one company loaded it is implied; with several, a question naming none
follows the company of the conversation's last answer, else the companies whose releases cover
the years it names, else every company (up to `MAX_EACH`; beyond that it asks which one).
Within a company, the facts of all its releases form one view in which each figure comes from
the latest release that prints it; an older release that printed a different figure for the
same row and period is kept as a restatement, said beside the answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache

from bot.answer import Answer, Citation, cite
from bot.intent import GREETING_RE
from bot.text import tokens
from index.facts import Fact
from index.facts_store import ReleaseInfo
from index.legal_names import any_pattern, legal_pattern
from index.periods import Calendar

MAX_EACH = 4  # a question naming no company is answered for at most this many companies
TABLE_OFFSET = 10_000  # table numbers of an older release's tables the latest does not print
LEGAL_SUFFIX_RE = re.compile(rf"[,\s]+(?:{any_pattern()})\s*$")
TITLE_COMPANY_RE = re.compile(rf"^(.*?)\s+(?:{legal_pattern()}|Reports|Announces)(?=$|\s|,)")
PROPER_RE = re.compile(r"\b([A-Z][A-Za-z&.-]*[a-z][A-Za-z&.-]*)(?:'s|’s)?")
YEAR_RE = re.compile(r"\b(?:19|20)\d\d\b")
COMPARE_LEAD_RE = re.compile(
    r"^\s*(?:please\s+)?(?:compare|contrast)\s+(?:the\s+)?"
    r"|^\s*which\s+(?:company|one|of them|of the two)\s+(?:had|has|was|reported|posted)\s+"
    r"(?:the\s+)?(?:higher|lower|bigger|larger|smaller|better|worse|more|less)\s+",
    re.I,
)
RELEASE_NAMED_RE = re.compile(
    r"\b(?:(?:Q(?P<q>[1-4])|(?P<fy>fiscal|FY))\s*'?(?P<year>(?:19|20)?\d\d)|(?P<bare>(?:19|20)\d\d))"
    r"(?:\s+(?:earnings|results|press))?\s+(?:release|report)\b",
    re.I,
)
SLOT = "\u00a7"


@dataclass(frozen=True)
class Holder:
    """One company and its releases in the index, oldest first."""

    key: str
    name: str
    ticker: str | None
    releases: tuple[ReleaseInfo, ...]

    @property
    def latest(self) -> ReleaseInfo:
        return self.releases[-1]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.releases)

    def listing(self) -> str:
        """'Lumora (Q4 2013 and Q4 2014 releases)'."""
        periods = [r.identity.period_label for r in self.releases]
        said = periods[0] if len(periods) == 1 else ", ".join(periods[:-1]) + f" and {periods[-1]}"
        return f"{self.name} ({said} release{'s' if len(periods) > 1 else ''})"

    def may_be_named(self, question: str, folded: str) -> bool:
        """Whether the question holds its name (any case) or ticker at all: with a thousand
        companies loaded, only those are searched for with `pattern`."""
        return self.name.casefold() in folded or bool(self.ticker and self.ticker in question)

    def pattern(self) -> re.Pattern[str]:
        """How a question names it: its name (with or without 'Corporation'), or its ticker."""
        return _naming(self.name, self.ticker)


@cache
def _naming(name: str, ticker: str | None) -> re.Pattern[str]:
    parts = [rf"(?i:\b{re.escape(name)}\b)(?:,?\s+(?:{legal_pattern()})(?=$|\W))?"]
    if ticker:
        parts.append(rf"\b{re.escape(ticker)}\b")
    return re.compile(rf"(?:{'|'.join(parts)})(?:'s|’s)?")


def short_company(info: ReleaseInfo) -> str | None:
    """'Infinera' for 'Infinera Corporation'; from the headline when no dateline names it."""
    name = info.identity.company
    if name:
        while True:
            shorter = LEGAL_SUFFIX_RE.sub("", name).strip()
            if shorter == name or not shorter:
                break
            name = shorter
        return name
    m = TITLE_COMPANY_RE.match(info.title or "")
    return m.group(1) if m else None


def source_name(info: ReleaseInfo) -> str:
    """How an answer names a release: 'Infinera Q4 2012 release' (its id when the document
    does not tell whose it is or which period it reports)."""
    company, period = short_company(info), info.identity.period
    if company and period is not None:
        return f"{company} {period.label} release"
    if company:
        return f"{company} release {info.id}"
    return f"release {info.id}"


def source_names(infos: Sequence[ReleaseInfo]) -> dict[str, str]:
    """Each release's name in answers; two releases that would share one (the same company and
    period loaded twice under two ids) are told apart by their ids."""
    names = {i.id: source_name(i) for i in infos}
    counts: dict[str, int] = {}
    for name in names.values():
        counts[name] = counts.get(name, 0) + 1
    return {rid: f"{n} [{rid}]" if counts[n] > 1 else n for rid, n in names.items()}


def holders(infos: Sequence[ReleaseInfo]) -> list[Holder]:
    """The companies of the index, each with its releases oldest first; a release whose company
    cannot be told stands alone under its id."""
    groups: dict[str, list[ReleaseInfo]] = {}
    names: dict[str, str] = {}
    for info in infos:
        name = short_company(info) or info.id
        key = name.lower()
        groups.setdefault(key, []).append(info)
        names.setdefault(key, name)
    out = []
    for key, group in groups.items():
        group.sort(key=_release_order)
        tickers = [r.identity.ticker for r in group if r.identity.ticker]
        out.append(Holder(key, names[key], tickers[-1] if tickers else None, tuple(group)))
    return out


def _release_order(info: ReleaseInfo) -> tuple:
    p = info.identity.period
    if p is None:
        return (0, 0, 0, info.ingested_at, info.id)
    end = p.end.toordinal() if p.end else 0
    return (1, end or p.fiscal_year * 400 + (p.quarter or 4) * 100, 0, info.ingested_at, info.id)


# ---------------------------------------------------------------------- one company's view


@dataclass(frozen=True)
class View:
    """A company's releases as one: every figure from the latest release printing it."""

    facts: tuple[Fact, ...]
    calendar: Calendar
    restated: dict[tuple[str, int, str], Fact] = field(default_factory=dict)  # (release,
    # line, period) of the figure used -> what an older release printed for it


def merge(releases: Sequence[tuple[ReleaseInfo, Sequence[Fact]]]) -> View:
    """One view of a company's releases (oldest first). An older release's figure joins the
    latest's row of the same table and label when that row does not print its period; when it
    does and the figures differ, the older one is kept as the restated figure."""
    if len(releases) == 1:
        info, facts = releases[0]
        return View(tuple(facts), info.calendar)
    latest_first = list(reversed(releases))
    kept: list[Fact] = []
    seen: dict[tuple, Fact] = {}
    tables: dict[tuple[str, tuple[str, ...]], int] = {}
    titles: dict[str, int] = {}
    restated: dict[tuple[str, int, str], Fact] = {}
    for rank, (_info, facts) in enumerate(latest_first):
        own: dict[int, int] = {}
        for f in facts:
            key = _cell_key(f)
            if key in seen:
                newer = seen[key]
                where = (newer.release, newer.line, _when(newer))
                if rank and f.absolute != newer.absolute and where not in restated:
                    restated[where] = f
                if rank:
                    continue
            if rank:
                index = tables.get((f.table, f.row))
                if index is None:
                    index = titles.get(f.table)
                if index is None:
                    index = own.setdefault(f.table_index, TABLE_OFFSET * rank + f.table_index)
                f = replace(f, table_index=index)
            else:
                tables.setdefault((f.table, f.row), f.table_index)
                titles.setdefault(f.table, f.table_index)
            seen.setdefault(key, f)
            kept.append(f)
    ends: dict[str, object] = {}
    for info, _facts in releases:
        ends.update(dict(info.calendar.ends))
    newest = releases[-1][0].calendar
    calendar = Calendar(newest.year_end_month, tuple(ends.items()))  # type: ignore[arg-type]
    return View(tuple(kept), calendar, restated)


def _cell_key(f: Fact) -> tuple:
    when = f.period.key if f.period is not None else ("column", f.column)
    return (f.table, f.row, when, f.basis, f.dimension, f.member)


def with_restatements(answer: Answer, view: View, names: dict[str, str]) -> Answer:
    """The answer with what an older release printed differently for the figures it cites:
    one sentence per pair of releases, the older figures cited."""
    groups = _restated_pairs(answer, view)
    if not groups:
        return answer
    notes = [_restated_note(old, new, pairs, names) for (old, new), pairs in groups.items()]
    extra = tuple(
        replace(cite(o), source=names.get(o.release, o.release))
        for pairs in groups.values()
        for _, o in pairs
    )
    return replace(
        answer,
        text=answer.text + " " + " ".join(notes),
        citations=answer.citations + extra,
    )


def _restated_pairs(
    answer: Answer, view: View
) -> dict[tuple[str, str], list[tuple[Citation, Fact]]]:
    """Each cited table cell an older release printed differently, grouped by (older, newer)
    release so one sentence covers a pair; an older fact is named once."""
    groups: dict[tuple[str, str], list[tuple[Citation, Fact]]] = {}
    for c in answer.citations:
        if c.kind != "table":
            continue
        older = view.restated.get((c.release, c.lines[-1], c.period or c.column or ""))
        if older is not None and all(older is not o for g in groups.values() for _, o in g):
            groups.setdefault((older.release, c.release), []).append((c, older))
    return groups


def _restated_note(
    old: str, new: str, pairs: list[tuple[Citation, Fact]], names: dict[str, str]
) -> str:
    """The sentence telling what release `old` printed for figures cited from release `new`."""
    shown = [f"{o.display()} in {_when(o)}" for _, o in pairs]
    where = sorted({f"{o.table}, line {o.line}" for _, o in pairs})
    plural = len(pairs) > 1
    return (
        f"Restated: for {pairs[0][0].row}, the {names.get(old, old)} printed {_and(shown)} "
        f"({names.get(old, old)}, {'; '.join(where)}); the "
        f"{'figures above come' if plural else 'figure above comes'} from the "
        f"{names.get(new, new)}, the latest to print {'them' if plural else 'it'}."
    )


def _when(f: Fact) -> str:
    """The period a citation of `f` names (`Citation.period`)."""
    return f.period.label if f.period is not None else (f.member or f.column)


# ---------------------------------------------------------------------- naming sources


CITED_RE = re.compile(r"(?P<where>[A-Z][^();]*?), lines? (?P<first>\d+)(?:-(?P<last>\d+))?")


def with_sources(answer: Answer, names: dict[str, str], in_text: bool) -> Answer:
    """Every citation names its release ('Infinera Q4 2012 release'); with several releases
    loaded, so do the answer's own '(table, line N)' references."""
    cites = tuple(
        replace(c, source=names.get(c.release, c.release)) if c.source is None else c
        for c in answer.citations
    )
    text = _named_in_text(answer.text, cites) if in_text else answer.text
    return replace(answer, citations=cites, text=text)


def _named_in_text(text: str, cites: Sequence[Citation]) -> str:
    """'(Supplemental Financial Information, line 493)' -> '(Lumora Q4 2014 release,
    Supplemental Financial Information, line 493)'. References to one table line are matched
    in order to the releases citing it; a single reference standing for cells of several
    releases (a series) names them all."""
    sources: dict[tuple[str, int], list[str]] = {}
    for c in cites:
        label = c.table if c.kind == "table" else c.section if c.kind == "text" else None
        if label and c.source:
            found = sources.setdefault((label, c.lines[-1]), [])
            if c.source not in found:
                found.append(c.source)
    refs: dict[tuple[str, int], int] = {}
    for inside in re.findall(r"\(([^()]*)\)", text):
        for part in inside.split("; "):
            m = CITED_RE.fullmatch(part)
            if m:
                key = (m["where"], int(m["last"] or m["first"]))
                refs[key] = refs.get(key, 0) + 1
    taken: dict[tuple[str, int], int] = {}

    def rename(m: re.Match[str]) -> str:
        key = (m["where"], int(m["last"] or m["first"]))
        names = sources.get(key)
        if not names:
            return m[0]
        if refs.get(key, 0) == len(names):
            n = taken.get(key, 0)
            taken[key] = n + 1
            return f"{names[min(n, len(names) - 1)]}, {m[0]}"
        return f"{_and(names)}, {m[0]}"

    def each(inside: re.Match[str]) -> str:
        parts = inside.group(1).split("; ")
        named = [CITED_RE.sub(rename, p, count=1) if CITED_RE.fullmatch(p) else p for p in parts]
        return "(" + "; ".join(named) + ")"

    return re.sub(r"\(([^()]*)\)", each, text)


# ---------------------------------------------------------------------- addressing


@dataclass(frozen=True)
class Route:
    """Whom a question is answered for, what it says about that, and the question each one
    is asked (company names left out when it names several)."""

    holders: tuple[Holder, ...]
    question: str
    how: str  # only|named|release|previous|years|each; none to answer: ask|unknown|greeting
    note: str = ""


def route(
    question: str,
    loaded: Sequence[Holder],
    vocabulary: Callable[[], set[str]],
    previous: Sequence[Holder] = (),
    words_of: Callable[[Holder], set[str]] | None = None,
) -> Route:
    """Which companies a question addresses. `vocabulary` gives every word of every loaded
    release, asked for only when the question names no loaded company; `words_of` one
    company's words, for a question using a word only one company's releases use."""
    if len(loaded) == 1:
        return Route(tuple(loaded), question, "only")
    if GREETING_RE.match(question):
        return Route(
            (),
            question,
            "greeting",
            "Hello! Ask me about a figure or a statement in a release, naming the company when "
            f"it matters. The index holds {_loaded(loaded)}.",
        )
    named = _named_route(question, loaded)
    if named is not None:
        return named
    strangers = unknown_names(question, vocabulary())
    if strangers:
        return Route(
            (),
            question,
            "unknown",
            f"No release of {', '.join(strangers)} is loaded, so I can't answer that. "
            f"The index holds {_loaded(loaded)}.",
        )
    if previous:
        return Route(tuple(previous), question, "previous")
    own = _only_user(question, loaded, words_of) if words_of is not None else None
    if own is not None:
        holder, word = own
        note = f"(No company named; only {holder.name}'s releases mention {word}.)"
        return Route((holder,), question, "word", note)
    return _unnamed_route(question, loaded)


def _capitalised(words: list[str]) -> list[str]:
    capital = " ".join(w for w in words if any(c.isupper() for c in w))
    return [w for w in dict.fromkeys(tokens(capital)) if len(w) > 1]


def _only_user(
    question: str, loaded: Sequence[Holder], words_of: Callable[[Holder], set[str]]
) -> tuple[Holder, str] | None:
    """The one company whose releases use a name the question writes with a capital ('iPhone',
    'DTN-X', 'Mac') and none of the others use, when no such name is another company's alone;
    at most `MAX_EACH` companies are read so."""
    named = re.findall(r"[A-Za-z][\w&-]*", question)[1:]
    asked = _capitalised(named)
    if len(loaded) > MAX_EACH or not asked:
        return None
    sets = [(h, words_of(h)) for h in loaded]
    owners: dict[str, list[Holder]] = {w: [h for h, words in sets if w in words] for w in asked}
    alone = {w: hs[0] for w, hs in owners.items() if len(hs) == 1}
    if len({h.key for h in alone.values()}) != 1:
        return None
    word, holder = next(iter(alone.items()))
    shown = next((t for t in named if tokens(t)[:1] == [word]), word)
    return holder, shown


def _named_route(question: str, loaded: Sequence[Holder]) -> Route | None:
    """The route of a question naming loaded companies, narrowed to the release it names when
    it names one company; None when it names none."""
    folded = question.casefold()
    named = [h for h in loaded if h.may_be_named(question, folded) and h.pattern().search(question)]
    if len(named) == 1:
        chosen = release_named(question, named[0])
        if chosen is not None:
            asked = RELEASE_NAMED_RE.sub("release", question)
            return Route((chosen,), without_ticker(asked, named[0]), "release")
        return Route(tuple(named), without_ticker(question, named[0]), "named")
    if named:
        return Route(tuple(named), without_names(question, named), "named")
    return None


def _unnamed_route(question: str, loaded: Sequence[Holder]) -> Route:
    """A question naming no company and following none: the one company whose releases cover
    the years it names, else each company covering them, or a question back when too many."""
    years = {int(y) for y in YEAR_RE.findall(question)}
    if years:
        covering = [h for h in loaded if years <= _years(h)]
        if len(covering) == 1:
            h = covering[0]
            return Route(
                (h,),
                question,
                "years",
                f"(No company named; only {h.name}'s releases cover {_and(sorted(years))}.)",
            )
        if covering:
            loaded = covering
    if len(loaded) > MAX_EACH:
        names = ", ".join(h.name for h in loaded[:MAX_EACH]) + ", …"
        return Route(
            (),
            question,
            "ask",
            f"{len(loaded)} companies are loaded ({names}): which one do you mean? "
            "Name the company or its ticker.",
        )
    return Route(tuple(loaded), question, "each")


def _loaded(loaded: Sequence[Holder], shown: int = 8) -> str:
    listed = "; ".join(h.listing() for h in loaded[:shown])
    return listed + (f" and {len(loaded) - shown} more" if len(loaded) > shown else "")


def _years(h: Holder) -> set[int]:
    years: set[int] = set()
    for r in h.releases:
        p = r.identity.period
        if p is not None:
            years |= {p.fiscal_year, p.fiscal_year - 1}
    return years


def _and(items: Sequence[object]) -> str:
    words = [str(i) for i in items]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + f" and {words[-1]}"


def unknown_names(question: str, vocabulary: set[str]) -> list[str]:
    """Capitalised names no loaded release uses ('Acme'): a company that is not loaded. The
    first word counts only when it is possessive ('Acme's revenue')."""
    out = []
    for m in PROPER_RE.finditer(question):
        word = m.group(1).strip(".-&")
        first = not question[: m.start()].strip()
        possessive = m.group(0) != m.group(1)
        if first and not possessive:
            continue
        parts = tokens(word)
        if parts and not any(p in vocabulary for p in parts):
            out.append(word)
    return list(dict.fromkeys(out))


def release_named(question: str, holder: Holder) -> Holder | None:
    """The company narrowed to the one release a question names ("in Lumora's Q4 2013
    release"), so its figures are that release's own, not the latest's; None when it names
    none (or one the company does not have)."""
    m = RELEASE_NAMED_RE.search(question)
    if m is None:
        return None
    year = int(m["year"] or m["bare"])
    year = year + 2000 if year < 100 else year
    quarter = int(m["q"]) if m["q"] else None
    for info in holder.releases:
        p = info.identity.period
        if p is None or p.fiscal_year != year:
            continue
        if quarter is None or p.quarter == quarter or (p.kind == "year" and quarter == 4):
            key = f"{holder.key}@{info.id}"
            return Holder(key, holder.name, holder.ticker, (info,))
    return None


def without_ticker(question: str, holder: Holder) -> str:
    """A ticker is how a question names the company, not a word of the release's rows."""
    if not holder.ticker:
        return question
    text = re.sub(rf"\b{re.escape(holder.ticker)}\b(?:'s|’s)?\s*", "", question)
    return re.sub(r"\s{2,}", " ", text).strip() or question


def without_names(question: str, named: Sequence[Holder]) -> str:
    """The question asked of each company when it names several: names, the words joining
    them and a leading 'compare' left out ('compare gross margin of A and B in fiscal 2012'
    -> 'What was gross margin in fiscal 2012')."""
    text = question
    for h in named:
        text = h.pattern().sub(SLOT, text)
    join = rf"{SLOT}(?:\s*(?:,|and|&|or|vs\.?|versus|with|to)\s*{SLOT})+"
    text = re.sub(join, SLOT, text)
    text = re.sub(rf"\b(?:of|for|between|at|from|by)\s+{SLOT}", "", text)
    text = text.replace(SLOT, "")
    text = re.sub(
        r"^\s*(?:how\s+(?:did|does|do)\s+)(.*?)\s+compare\b", r"What was \1", text, flags=re.I
    )
    text = COMPARE_LEAD_RE.sub("What was ", text)
    text = re.sub(r"\s+([,?.!])", r"\1", text)
    text = re.sub(r",\s*([?.!]|$)", r"\1", text)
    return re.sub(r"\s{2,}", " ", text).strip()


# ---------------------------------------------------------------------- several answers


def combined(question: str, route_: Route, answers: Sequence[tuple[Holder, Answer]]) -> Answer:
    """One answer from each company's: a line each, what was done said first, and which is
    higher when each gave one figure of the same kind."""
    if route_.how == "each":
        lead = (
            f"The question names no company, so I answered it for each of the {len(answers)} "
            "loaded:"
        )
    else:
        lead = ""
    lines = [f"- {h.name}: {a.text}" for h, a in answers]
    verdict = _higher(answers) if route_.how == "named" else ""
    text = "\n".join([x for x in (lead, *lines, verdict) if x])
    found_any = [a for _, a in answers if a.found]
    first = (found_any or [a for _, a in answers])[0]
    return Answer(
        question=question,
        text=text,
        found=bool(found_any),
        citations=tuple(c for _, a in answers for c in a.citations),
        values=tuple(v for _, a in answers for v in a.values),
        brain=first.brain,
        chart=first.chart,
        chart_title=first.chart_title,
        query=first.query,
    )


def _higher(answers: Sequence[tuple[Holder, Answer]]) -> str:
    """'Lumora's is the higher (36% against 34%).': no new number, only the order."""
    mains = []
    for h, a in answers:
        if not a.found or not a.values:
            return ""
        mains.append((h, a.values[0]))
    units = {v.unit for _, v in mains}
    periods = {v.period for _, v in mains}
    if len(mains) < 2 or len(units) != 1 or len(periods) != 1:
        return ""
    ranked = sorted(mains, key=lambda hv: Decimal(hv[1].value), reverse=True)
    top, rest = ranked[0], ranked[1:]
    if all(v.value == top[1].value for _, v in rest):
        return f"They are the same ({top[1].display})."
    against = ", ".join(f"{v.display} for {h.name}" for h, v in rest)
    return f"{top[0].name}'s is the higher: {top[1].display}, against {against}."
