"""The templates' escaping (portal.web.escaping) is markupsafe's, value for value and page
for page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import markupsafe
import pytest
from jinja2.compiler import CodeGenerator
from litestar import Litestar
from litestar.testing import TestClient
from markupsafe import Markup
from sqlalchemy import Engine
from sqlmodel import Session, select

from portal.app import create_app
from portal.models import Listing
from portal.security import session_config
from portal.settings import Settings
from portal.web import escaping
from tests.web.helpers import csrf_token


class Html:
    def __html__(self) -> str:
        return "<i>already safe</i>"


class Text(str):
    pass


VALUES: list[Any] = [
    "",
    "plain words",
    "<script>alert('x')</script>",
    "Tom & Jerry \"quoted\" 'single' <b>",
    "café – “curly” 😀",
    "\x00\t\n",
    0,
    -42,
    10**30,
    True,
    None,
    3.5,
    -0.0,
    1e300,
    float("nan"),
    float("-inf"),
    date(2026, 11, 27),
    Markup("<b>kept</b>"),
    Html(),
    Text("<sub>class</sub>"),
    ["<list>"],
]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_escape_gives_what_markupsafe_gives(value: Any) -> None:
    ours = escaping.escape(value)
    theirs = markupsafe.escape(value)
    assert type(ours) is Markup
    assert ours == theirs


def test_the_app_s_templates_print_through_this_escape(app: Litestar) -> None:
    template = app.template_engine.engine.get_template("directory/_results.html")  # type: ignore[union-attr]
    assert template.root_render_func.__globals__["escape"] is escaping.escape


@pytest.fixture
def stock_app(settings: Settings, engine: Engine) -> Litestar:
    """The same app, its templates compiled by Jinja's own code generator."""
    app = create_app(settings, engine)
    app.template_engine.engine.code_generator_class = CodeGenerator  # type: ignore[union-attr]
    return app


@pytest.fixture
def clients(
    app: Litestar, stock_app: Litestar, settings: Settings
) -> Iterator[tuple[TestClient, TestClient]]:
    config = session_config(settings)
    with (
        TestClient(app, base_url="http://127.0.0.1", session_config=config) as ours,
        TestClient(stock_app, base_url="http://127.0.0.1", session_config=config) as stock,
    ):
        yield ours, stock


def test_every_kind_of_page_is_the_same_byte_for_byte(
    clients: tuple[TestClient, TestClient], engine: Engine
) -> None:
    ours, stock = clients
    with Session(engine) as db:
        slug = db.exec(select(Listing.slug).order_by(Listing.slug)).first()
    typed = "Tom & <b>Jerry</b> \"quoted\" 'single'"
    saved = ours.post(
        "/prep",
        data={
            "_csrf_token": csrf_token(ours, "/prep"),
            "counselor": slug,
            "goal1": typed,
            "why": typed,
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    paths = [
        "/",
        "/help",
        "/about",
        "/privacy",
        "/counselors",
        "/counselors?sees=couples&format=video&accepting=1",
        "/counselors?q=blended+families&format=video",
        f"/counselors/{slug}",
        "/counselors?zip=<b>&max_fee=abc",
        "/readiness",
        "/prep",
        "/prep/sheet",
        "/no-such-page?<b>",
    ]
    for path in paths:
        # Both send the same cookies: the same CSRF token and the same saved answers.
        stock.cookies = ours.cookies
        theirs = stock.get(path, follow_redirects=False)
        mine = ours.get(path, follow_redirects=False)
        assert mine.status_code == theirs.status_code, path
        assert mine.text == theirs.text, path


def test_typed_text_is_escaped_on_the_sheet(clients: tuple[TestClient, TestClient]) -> None:
    ours, _ = clients
    typed = "Tom & <b>Jerry</b> \"quoted\" 'single'"
    ours.post(
        "/prep",
        data={"_csrf_token": csrf_token(ours, "/prep"), "goal1": typed},
        follow_redirects=False,
    )
    html = ours.get("/prep/sheet").text
    assert "Tom &amp; &lt;b&gt;Jerry&lt;/b&gt; &#34;quoted&#34; &#39;single&#39;" in html
    assert not re.search(r"<b>Jerry", html)
