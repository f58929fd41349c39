"""Free-text search over names, bios and what a listing offers (its languages, specialties and
approaches, by their names in English and Spanish: ``search_terms``), ranked: SQLite FTS5
(bm25) or PostgreSQL full-text search (a weighted tsvector with a GIN index, ranked by
ts_rank_cd). A word index, because a LIKE over 100,000 bios reads every one of them and cannot
rank.

Either way the person's words are reduced to plain word tokens first, so no input can become
query syntax, and every word must match. The last word may be the start of a word, as people
type, but only when no listing has it as a whole word: a prefix query costs several times more
(every token that starts with it is read) and, once a word is complete, only adds near misses.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from sqlalchemy import Float, Integer, Subquery, bindparam, func, literal_column, select, text
from sqlalchemy.orm import Session

from portal.i18n.text import N_, Text
from portal.models import Listing

MIN_LETTERS = 3
"""A search word needs this many letters: a shorter one is in nearly every bio (a, an, of,
in), or, as a prefix, stands for thousands of words, and either way the search reads most of
the index. Within a compound such as "co-parenting" a short part is fine."""
MAX_WORDS = 6
"""Every word is one more list of matches to read and intersect; six say what a person is
looking for."""
_WORD = re.compile(r"\w+", re.UNICODE)


def words(q: str) -> list[str]:
    """The search's words, lower case, each once, at most MAX_WORDS."""
    return list(dict.fromkeys(_WORD.findall(q.lower().replace("_", " "))))[:MAX_WORDS]


def problem(q: str) -> str | None:
    """Why ``q`` cannot be searched for at a bounded cost, in words for the person, or None."""
    for token in q.split():
        parts = _WORD.findall(token.replace("_", " "))
        if parts and all(len(part) < MIN_LETTERS for part in parts):
            return Text(
                N_(
                    "Each search word needs at least {min} letters; “{word}” has fewer. Leave "
                    "it out, or use the filters below."
                ),
                min=MIN_LETTERS,
                word=token[:20],
            )
    found = len(dict.fromkeys(_WORD.findall(q.lower().replace("_", " "))))
    if found > MAX_WORDS:
        return Text(
            N_(
                "A search can have at most {max} words; yours has {n}. Keep the ones that "
                "matter most."
            ),
            max=MAX_WORDS,
            n=found,
        )
    return None


def match_expression(q: str, prefix: bool = True) -> str | None:
    """An FTS5 query that cannot be a syntax error: each word quoted, the last a prefix
    (with ``prefix``). ``None`` when there is no word at all."""
    found = words(q)
    if not found:
        return None
    quoted = [f'"{w}"' for w in found]
    if prefix and len(found[-1]) >= MIN_LETTERS:
        quoted[-1] += "*"
    return " ".join(quoted)


def tsquery_expression(q: str, prefix: bool = True) -> str | None:
    """The same query for PostgreSQL's to_tsquery: words joined by AND, the last a prefix."""
    found = words(q)
    if not found:
        return None
    last = found[-1]
    return " & ".join([*found[:-1], f"{last}:*" if prefix and len(last) >= MIN_LETTERS else last])


def whole_words_match(session: Session, q: str) -> bool:
    """Whether some listing has every word of ``q`` as a whole word."""
    if session.get_bind().dialect.name == "postgresql":
        stmt = text(
            "SELECT 1 FROM listing WHERE search_vector @@ to_tsquery('english', :q) LIMIT 1"
        ).bindparams(q=tsquery_expression(q, prefix=False))
    else:
        stmt = text("SELECT 1 FROM listing_fts WHERE listing_fts MATCH :m LIMIT 1").bindparams(
            m=match_expression(q, prefix=False)
        )
    return session.execute(stmt).first() is not None


@lru_cache(maxsize=256)
def fts_subquery(q: str, dialect: str = "sqlite", prefix: bool = True) -> Subquery:
    """(listing_id, score) of the listings matching ``q``; a lower score ranks higher.
    Kept per search text: building it cost more than reading a kept search's matches."""
    if dialect == "postgresql":
        query = func.to_tsquery("english", tsquery_expression(q, prefix))
        vector = literal_column("listing.search_vector")
        return (
            select(
                Listing.__table__.c.id.label("listing_id"),
                (-func.ts_rank_cd(vector, query)).label("score"),
            )
            .where(vector.op("@@")(query))
            .subquery("fts")
        )
    # bm25 weights: a match in the name counts more than one in the bio or the offer.
    return (
        text(
            "SELECT rowid AS listing_id, bm25(listing_fts, 8.0, 1.0, 1.0) AS score "
            "FROM listing_fts WHERE listing_fts MATCH :match"
        )
        .bindparams(bindparam("match", match_expression(q, prefix)))
        .columns(listing_id=Integer, score=Float)
        .subquery("fts")
    )


def fts_ids(q: str, dialect: str = "sqlite", prefix: bool = True) -> Any:
    """The ids of the listings matching ``q``, unranked: reading them costs a fraction of
    ranking them (a word in most bios is read as a filter, not ranked)."""
    if dialect == "postgresql":
        query = func.to_tsquery("english", tsquery_expression(q, prefix))
        vector = literal_column("listing.search_vector")
        return select(Listing.__table__.c.id).where(vector.op("@@")(query))
    return text("SELECT rowid FROM listing_fts WHERE listing_fts MATCH :match").bindparams(
        match=match_expression(q, prefix)
    )
