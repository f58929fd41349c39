"""Free-text search input can never become FTS5 syntax."""

from __future__ import annotations

import pytest

from portal.directory.search import match_expression


def test_words_are_quoted_and_the_last_is_a_prefix() -> None:
    assert match_expression("Blended famil") == '"blended" "famil"*'


@pytest.mark.parametrize(
    "hostile",
    ['"', "*", "NEAR(", "a OR b", "col:word", "^x", "-x", "(((", "'; DROP TABLE listing;--"],
)
def test_fts_operators_are_neutralised(hostile: str) -> None:
    expr = match_expression(hostile)
    if expr is not None:
        body = expr.replace('"', "").replace("*", "").replace(" ", "")
        assert body.isalnum() or body == ""


def test_only_punctuation_gives_no_search() -> None:
    assert match_expression('"*()') is None
