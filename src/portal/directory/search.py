"""Free-text search over names and bios, ranked (SQLite FTS5 with bm25)."""

from __future__ import annotations

import re

from sqlalchemy import Float, Integer, Subquery, bindparam, text

MAX_TERMS = 12
_WORD = re.compile(r"\w+", re.UNICODE)


def match_expression(q: str) -> str | None:
    """An FTS5 query that cannot be a syntax error: each word is quoted, all must match, and
    the last one may be a prefix (as people type). ``None`` when there is no word at all."""
    words = _WORD.findall(q.lower().replace("_", " "))[:MAX_TERMS]
    if not words:
        return None
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def fts_subquery(match: str) -> Subquery:
    # bm25 weights: a match in the name counts more than one in the bio. Lower is better.
    return (
        text(
            "SELECT rowid AS listing_id, bm25(listing_fts, 8.0, 1.0) AS score "
            "FROM listing_fts WHERE listing_fts MATCH :match"
        )
        .bindparams(bindparam("match", match))
        .columns(listing_id=Integer, score=Float)
        .subquery("fts")
    )
