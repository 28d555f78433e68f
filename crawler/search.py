"""Full-text search over the stored articles: ranked, accent-insensitive, with a snippet.

The index is made by migration 0005 and kept in step by triggers: SQLite's FTS5 table
`articles_fts` (unicode61 tokenizer, diacritics removed) ranked by bm25, and on PostgreSQL the
tsvectors of `articles_fts` (configuration `crawler_french`: french with unaccent) ranked by
ts_rank. Title words weigh more than lead words, which weigh more than body words.

One query language on both databases, parsed here and translated, so that the user's text
never reaches FTS5 or to_tsquery as syntax:

    word            every word is required ("kone" finds "KONÉ")
    "a phrase"      words next to each other, in this order
    électi*         words starting so
    -word -"a b"    excluded
    a OR b          either; OR (capitals) joins its neighbours: `mali a OR b` is mali and (a or b)

Other punctuation separates words: `l'Essor` and `G5-Sahel` are searched as phrases. A broken
query (a quote never closed, OR with nothing on one side, FTS5's own AND, NOT and NEAR) is a
UsageError naming what is wrong. "oe" and "œ" are one on both (unaccent folds the ligature;
on SQLite the query asks for both spellings). PostgreSQL also stems French words ("élections" finds
"élection") and ignores stop words; SQLite matches whole words (use `électi*`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, column, func, literal_column, select, table
from sqlalchemy.exc import SQLAlchemyError

from crawler.errors import StoreError, UsageError
from crawler.models import ArticleRow, article_date
from crawler.store import Store

# Search objects the migration makes outside the SQLModel tables (FTS5 adds shadow tables
# named articles_fts_*): schema comparisons leave them alone.
SEARCH_TABLE = "articles_fts"
START, STOP = "\x02", "\x03"  # around a matched word in a snippet; never in stored text
SNIPPET_WORDS = 24
WEIGHTS = (10.0, 4.0, 1.0)  # title, lead, body: bm25's column weights on SQLite
# ts_rank's weights of the labels {D, C, B, A}; body, lead and title are D, B and A (migration
# 0005), in the same ratios as WEIGHTS
RANK_WEIGHTS = "'{0.1, 0, 0.4, 1.0}'::float4[]"
_WORD = re.compile(r"[^\W_]+")  # letters and digits: what both tokenizers keep
_CHUNK = re.compile(r'-?"[^"]*"|[^\s"]+|"')
_OPERATORS = ("AND", "NOT", "NEAR")


def is_search_table(name: str | None) -> bool:
    return name is not None and (name == SEARCH_TABLE or name.startswith(SEARCH_TABLE + "_"))


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # more than one: a phrase
    prefix: bool = False  # the last word is a prefix


@dataclass
class Query:
    """All `clauses` are required; a clause is satisfied by any of its terms; no `excluded`
    term may occur."""

    clauses: list[list[Term]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)


def parse_query(text: str) -> Query:
    """The user's query, or a UsageError saying in one line what is wrong with it."""
    text = unicodedata.normalize("NFC", text)

    def wrong(why: str) -> UsageError:
        return UsageError(f"query {text!r}: {why}")

    query = Query()
    pending_or = False
    for chunk in _CHUNK.findall(text):
        if chunk == '"':
            raise wrong('a " is never closed (quote a phrase: "le président")')
        if chunk == "OR":
            if not query.clauses or pending_or:
                raise wrong("OR needs a term on each side")
            pending_or = True
            continue
        if chunk in _OPERATORS or chunk.startswith("NEAR("):
            raise wrong(f"{chunk.split('(')[0]} is not an operator here: words are all "
                        f"required, -word excludes one, OR between two terms takes either")
        excluded = chunk.startswith("-") and len(chunk) > 1
        body = chunk[1:] if excluded else chunk
        phrase = body.startswith('"')
        body = body.strip('"') if phrase else body
        prefix = not phrase and body.endswith("*")
        if "*" in (body[:-1] if prefix else body):
            raise wrong(f"* ends a word to find the words starting so (électi*), not {chunk!r}")
        words = tuple(_WORD.findall(body))
        if not words:
            continue  # punctuation, an empty phrase
        if prefix and not body[:-1][-1:].isalnum():
            raise wrong(f"* must follow a letter or digit, not {chunk!r}")
        term = Term(words, prefix)
        if excluded:
            if pending_or:
                raise wrong("OR cannot take an excluded term")
            query.excluded.append(term)
        elif pending_or:
            query.clauses[-1].append(term)
            pending_or = False
        else:
            query.clauses.append([term])
    if pending_or:
        raise wrong("OR needs a term on each side")
    if not query.clauses:
        raise wrong("every term is excluded: say what to find"
                    if query.excluded else "no words to search for")
    return query


def fts5_match(query: Query) -> str:
    """The FTS5 MATCH expression: every word quoted, so none is read as an operator."""

    def term(t: Term) -> str:
        phrase = " ".join(t.words).lower()
        # unicode61 folds accents but not the ligature: "voeux" must find "vœux" and back
        spellings = dict.fromkeys(
            [phrase, phrase.replace("œ", "oe"), phrase.replace("oe", "œ")])
        star = "*" if t.prefix else ""
        quoted = [f'"{spelling}"{star}' for spelling in spellings]
        return quoted[0] if len(quoted) == 1 else "(" + " OR ".join(quoted) + ")"

    def clause(terms: list[Term]) -> str:
        return "(" + " OR ".join(map(term, terms)) + ")"

    required = " AND ".join(map(clause, query.clauses))
    if not query.excluded:
        return required
    return f"({required})" + "".join(f" NOT {term(t)}" for t in query.excluded)


def tsquery_text(query: Query, *, excluded: bool = True) -> str:
    """to_tsquery's input: words are letters and digits only, so quoting cannot break.
    Without `excluded`: the terms to rank by (ts_rank scores a negation near zero)."""

    def term(t: Term) -> str:
        quoted = [f"'{word}'" for word in t.words]
        if t.prefix:
            quoted[-1] += ":*"
        return "(" + " <-> ".join(quoted) + ")"

    def clause(terms: list[Term]) -> str:
        return "(" + " | ".join(map(term, terms)) + ")"

    negations = [f"!{term(t)}" for t in query.excluded] if excluded else []
    return " & ".join([*map(clause, query.clauses), *negations])


@dataclass
class Hit:
    """One result: the article, its score (higher is better; not comparable between SQLite and
    PostgreSQL) and a snippet with the matched words at `highlights` (start, end offsets)."""

    id: int
    source: str
    url: str
    title: str
    published_at: datetime | None
    first_seen_at: datetime
    score: float
    snippet: str
    highlights: list[tuple[int, int]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "source": self.source, "url": self.url, "title": self.title,
            "published_at": self.published_at.isoformat() if self.published_at else None,
            "first_seen_at": self.first_seen_at.isoformat(), "score": self.score,
            "snippet": self.snippet, "highlights": [list(span) for span in self.highlights],
        }


def search(store: Store, text: str, *, sources: list[str] | None = None,
           since: datetime | None = None, until: datetime | None = None, limit: int = 20,
           include_copies: bool = False) -> list[Hit]:
    """The best `limit` articles for the query, best first, dated (published, else first
    seen) in [since, until). Republished copies are left out unless `include_copies`."""
    query = parse_query(text)
    if limit < 1:
        raise UsageError(f"--limit: at least 1, not {limit}")
    articles = ArticleRow.__table__
    filters = []
    if sources:
        filters.append(articles.c.source.in_(sources))
    if since is not None:
        filters.append(article_date(articles) >= since)
    if until is not None:
        filters.append(article_date(articles) < until)
    if not include_copies:
        filters.append(articles.c.duplicate_of.is_(None))
    postgres = store.engine.dialect.name == "postgresql"
    statement = (_postgresql if postgres else _sqlite)(query, filters, limit)
    try:
        with store.engine.connect() as connection:
            if postgres and not connection.execute(select(func.numnode(func.to_tsquery(
                    literal_column("'crawler_french'"),
                    tsquery_text(query, excluded=False))))).scalar_one():
                # PostgreSQL drops stop words; nothing left would match nothing
                raise UsageError(f"query {text!r}: only words too common to be indexed "
                                 f"(stop words: le, de, et...); add a rarer word")
            rows = connection.execute(statement).all()
    except SQLAlchemyError as exc:
        first = str(getattr(exc, "orig", None) or exc).strip().splitlines()[:1]
        raise StoreError(f"search: {''.join(first) or type(exc).__name__}") from exc
    return [_hit(row) for row in rows]


def _sqlite(query: Query, filters: list[Any], limit: int) -> Any:
    articles = ArticleRow.__table__
    fts = table(SEARCH_TABLE, column("rowid"), column("rank"), column(SEARCH_TABLE))

    def snippet(position: int) -> Any:
        return func.snippet(literal_column(SEARCH_TABLE), position, START, STOP, "…",
                            SNIPPET_WORDS)

    # ORDER BY rank with the bm25 weights given by `rank MATCH`: FTS5 sorts and stops at the
    # limit itself, so snippets are made for the rows returned only.
    return (
        select(articles.c.id, articles.c.source, articles.c.url, articles.c.title,
               articles.c.published_at, articles.c.first_seen_at,
               (-fts.c.rank).label("score"), snippet(1).label("lead_snippet"),
               snippet(2).label("body_snippet"))
        .select_from(fts.join(articles, articles.c.id == fts.c.rowid))
        .where(fts.c[SEARCH_TABLE].op("MATCH")(bindparam("match", fts5_match(query))),
               fts.c.rank.op("MATCH")(f"bm25({', '.join(map(str, WEIGHTS))})"), *filters)
        .order_by(fts.c.rank).limit(limit)
    )


def _postgresql(query: Query, filters: list[Any], limit: int) -> Any:
    articles = ArticleRow.__table__
    fts = table(SEARCH_TABLE, column("article_id"), column("document"))
    config = literal_column("'crawler_french'")
    tsquery = func.to_tsquery(config, bindparam("tsquery", tsquery_text(query)))
    wanted = func.to_tsquery(config, bindparam("wanted", tsquery_text(query, excluded=False)))
    # ts_rank normalisation 1: divided by 1 + log(length), as bm25 tempers long texts
    score = func.ts_rank(literal_column(RANK_WEIGHTS), fts.c.document, wanted, 1)
    best = (
        select(articles.c.id, articles.c.source, articles.c.url, articles.c.title,
               articles.c.published_at, articles.c.first_seen_at, score.label("score"))
        .select_from(fts.join(articles, articles.c.id == fts.c.article_id))
        .where(fts.c.document.op("@@")(tsquery), *filters)
        .order_by(score.desc(), articles.c.id).limit(limit)
        .subquery("best")
    )
    options = (f"StartSel={START}, StopSel={STOP}, MaxWords={SNIPPET_WORDS}, "
               f"MinWords={SNIPPET_WORDS // 2}, MaxFragments=1")

    def headline(column: Any) -> Any:
        return func.ts_headline(config, column, wanted, options)

    # The headlines are made in the outer query: for the rows kept only.
    return (
        select(best, headline(articles.c.lead).label("lead_snippet"),
               headline(articles.c.body).label("body_snippet"))
        .join_from(best, articles, articles.c.id == best.c.id)
        .order_by(best.c.score.desc(), best.c.id)
    )


def _hit(row: Any) -> Hit:
    # The snippet comes from where the words matched: the body, else the lead, else (the
    # title matched) the body's opening.
    candidates = [s for s in (row.body_snippet, row.lead_snippet) if s]
    chosen = next((s for s in candidates if START in s), candidates[0] if candidates else "")
    snippet, highlights = marked_spans(chosen)
    return Hit(row.id, row.source, row.url, row.title, row.published_at, row.first_seen_at,
               float(row.score), snippet, highlights)


def marked_spans(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """Text with START/STOP markers -> (plain text with whitespace folded, [(start, end)])."""
    plain: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    opened = None
    for piece in re.split(f"([{START}{STOP}])", marked):
        if piece == START:
            opened = length
        elif piece == STOP:
            if opened is not None and opened < length:
                spans.append((opened, length))
            opened = None
        elif piece:
            folded = re.sub(r"\s+", " ", piece)
            if folded.startswith(" ") and (not length or plain[-1].endswith(" ")):
                folded = folded[1:]
            plain.append(folded)
            length += len(folded)
    return "".join(plain).rstrip(), spans
