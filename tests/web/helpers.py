"""Helpers for route tests: parse HTML, read the CSRF token, post forms like a browser."""

from __future__ import annotations

from bs4 import BeautifulSoup, SoupStrainer
from litestar.testing import TestClient


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "lxml")


CSRF_FIELD = SoupStrainer("input", attrs={"name": "_csrf_token"})


def csrf_token(client: TestClient, path: str = "/") -> str:
    # Only the token's fields are built into a tree: parsing whole pages is the slow part.
    page = BeautifulSoup(client.get(path).text, "html.parser", parse_only=CSRF_FIELD)
    field = page.find("input", attrs={"name": "_csrf_token"})
    assert field is not None, "every page carries a CSRF token for its forms"
    return str(field["value"])


def post_form(client: TestClient, path: str, data: dict, *, from_page: str = "/", **kwargs):
    token = csrf_token(client, from_page)
    return client.post(path, data={**data, "_csrf_token": token}, **kwargs)
