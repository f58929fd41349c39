"""What a person types is printed as text, never as markup, on every page that shows it."""

from __future__ import annotations

import re

from litestar.testing import TestClient

from tests.web.helpers import csrf_token

TYPED = "Tom & <b>Jerry</b> \"quoted\" 'single'"
ESCAPED = "Tom &amp; &lt;b&gt;Jerry&lt;/b&gt; &#34;quoted&#34; &#39;single&#39;"


def test_typed_text_is_escaped_on_the_sheet(client: TestClient) -> None:
    client.post(
        "/prep",
        data={"_csrf_token": csrf_token(client, "/prep"), "goal1": TYPED},
        follow_redirects=False,
    )
    html = client.get("/prep/sheet").text
    assert ESCAPED in html
    assert not re.search(r"<b>Jerry", html)


def test_search_words_are_escaped_in_the_directory(client: TestClient) -> None:
    html = client.get("/counselors", params={"q": TYPED}).text
    assert "<b>Jerry" not in html
    assert "&lt;b&gt;Jerry" in html


def test_a_bad_zip_is_escaped_where_it_is_explained(client: TestClient) -> None:
    html = client.get("/counselors", params={"zip": "<b>x</b>"}).text
    assert "<b>x</b>" not in html
