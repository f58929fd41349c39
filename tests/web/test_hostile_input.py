"""A hostile-input corpus against every route and every field.

Script and attribute XSS, ``javascript:`` URLs, SQL and FTS5 syntax, unicode tricks (RTL
override, zero-width joiners, combining marks), null bytes, invalid UTF-8, 100 kB values,
repeated and missing parameters: sent as query parameters to every GET route, as path segments,
as every field of every form and as JSON to the API. Never a 5xx; never markup of ours that the
payload broke out of (no element with an ``on*`` attribute, no script without ``src``, no
``javascript:`` link); redirects stay on this site.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine

from portal.directory.confirm import FIELDS as CONFIRM_FIELDS
from portal.opendata.store import store_for
from portal.prep.fields import FLAGS, MULTI, TEXTS
from portal.readiness import load_questionnaire
from portal.settings import Settings
from portal.web.directory import FILTER_LABELS
from tests.readiness_answers import V6
from tests.web.helpers import csrf_token, soup
from tests.web.security_support import app_with, client_for, first_slug, routes
from tests.web.test_readiness_pages import walk

pytestmark = pytest.mark.slow  # subprocesses, servers or fuzzing: `make test`, not `make test-fast`

BIG = "A" * 100_000
# httpx (like uvicorn's request-line limit) refuses URLs much over 64 kB: the longest query that
# can reach the app.
BIG_QUERY = "A" * 60_000
PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg/onload=alert(1)>",
    "javascript:alert(1)",
    "' OR 1=1--",
    '"; DROP TABLE listing; --',
    '"',
    "*",
    "NEAR(a b)",
    'name:"x" OR bio:* AND NOT ^y',
    "\u202egnp.exe",
    "a\u200d\u200cb\u2060c\ufeff",
    "e\u0301\u0301\u0301\u0301 \U0001f600 \ud7ff",
    "nul\x00byte",
    "\r\nSet-Cookie: evil=1",
    "{{ 7*7 }} {% raw %}",
    "../../etc/passwd",
    "-1",
    "99999999999999999999999",
    "",
    " ",
]
SCRIPTY = ("<script>alert(1)</script>", "onerror=alert(1)>", "<svg/onload=alert(1)>")

GET_PARAMS = {
    "/": ["erased"],
    "/counselors": [*FILTER_LABELS, "sort", "page", "per_page", "from"],
    "/api/counselors": [*FILTER_LABELS, "sort", "page", "per_page"],
    "/prep": ["counselor"],
    "/prep/blank": ["discreet"],
    "/api/readiness/questionnaire": ["format"],
}


def assert_safe(response, what: str) -> None:
    assert response.status_code < 500, (what, response.status_code, response.text[:300])
    location = response.headers.get("location")
    if location:
        assert location.startswith("/") and not location.startswith(("//", "/\\")), location
    content_type = response.headers.get("content-type", "")
    body = response.text
    if "json" in content_type:
        json.loads(body)
    if "html" not in content_type:
        return
    for raw in SCRIPTY:
        assert raw not in body, (what, raw)
    page = soup(body)
    for tag in page.find_all(True):
        bad = [a for a in tag.attrs if a.lower().startswith("on")]
        assert not bad, (what, tag.name, bad)
        for attr in ("href", "src", "action", "formaction"):
            value = str(tag.get(attr, "")).strip().lower()
            assert not value.startswith(("javascript:", "data:text")), (what, tag.name, value)
    for script in page.find_all("script"):
        assert script.get("src"), (what, "inline script")
    # no template evaluation ("49" as a word: "499 counselors" is a count)
    assert not re.search(r"\b49\b", page.get_text()) or "{{ 7*7 }}" not in body


@pytest.fixture(scope="module")
def hostile_client(settings: Settings, engine: Engine) -> Iterator[TestClient]:
    """A separate app with the access log off (thousands of lines otherwise)."""
    with client_for(app_with(settings, engine, log_requests=False)) as client:
        # The downloads built first: before that they are a documented 503.
        client.get("/api/export/hsds.zip")
        store_for(engine).wait()
        yield client


def every_value(payload: str, names: list[str], repeat: int = 1) -> list[tuple[str, str]]:
    return [(name, payload) for name in names for _ in range(repeat)]


def test_the_corpus_covers_every_get_route(hostile_client: TestClient) -> None:
    with_params = {p for p in routes(hostile_client.app, "GET") if "{" not in p}
    without = {
        "/help",
        "/about",
        "/privacy",
        "/healthz",
        "/shortlist",
        "/readiness",
        "/readiness/result",
        "/prep/sheet",
        "/api/schema",
        "/api/schema/openapi.json",
    }
    missing = with_params - set(GET_PARAMS) - without
    # New pages (open data, downloads) still get the generic parameters below.
    for path in sorted(missing | without):
        for payload in PAYLOADS[:4]:
            assert_safe(hostile_client.get(path, params={"q": payload, "x": payload}), path)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_query_parameters(hostile_client: TestClient, payload: str) -> None:
    for path, names in GET_PARAMS.items():
        for repeat in (1, 3):
            response = hostile_client.get(path, params=every_value(payload, names, repeat))
            assert_safe(response, f"GET {path} x{repeat} {payload!r}")
            if "html" in response.headers.get("content-type", "") and payload.startswith("<"):
                assert payload not in response.text


def test_each_query_parameter_alone_with_60_kb(hostile_client: TestClient) -> None:
    for path, names in GET_PARAMS.items():
        for name in names:
            assert_safe(hostile_client.get(path, params={name: BIG_QUERY}), f"GET {path} {name}")


def test_invalid_utf8_and_raw_nulls_in_query_strings(hostile_client: TestClient) -> None:
    for path in GET_PARAMS:
        for raw in ("q=%FF%FE%00&zip=%C0%AF", "q=%00&q=%00&page=%00", "q", "=&&=", "q=%"):
            assert_safe(hostile_client.get(f"{path}?{raw}"), f"GET {path}?{raw}")


@pytest.mark.parametrize(
    "template",
    [
        "/counselors/{}",
        "/api/counselors/{}",
        "/readiness/step/{}",
        "/static/{}",
        "/api/schema/{}",
        "/{}",
    ],
)
def test_path_segments(hostile_client: TestClient, template: str) -> None:
    for payload in [*PAYLOADS, "A" * 5000, "%00", "..%2f..%2fsrc%2fportal%2fsettings.py"]:
        segment = quote(payload.replace("\x00", "%00")[:5000], safe="%") or "x"
        response = hostile_client.get(template.format(segment))
        assert_safe(response, f"{template} {payload[:40]!r}")
        assert "DEV_SECRET" not in response.text and "def from_env" not in response.text


# --- forms ----------------------------------------------------------------------------------


def form_fields() -> dict[str, list[str]]:
    questionnaire = load_questionnaire()
    forms = {
        f"/readiness/step/{step.id}": [*(item.id for item in step.items), "_nav"]
        for step in questionnaire.steps
    }
    forms["/prep"] = [
        *(t.name for t in TEXTS),
        *FLAGS,
        *MULTI,
        "counselor",
        "mode",
    ]
    forms["/prep/mode"] = ["discreet"]
    forms["/shortlist"] = ["slug", "action", "next"]
    forms["/counselors"] = [*FILTER_LABELS, "sort", "page", "per_page"]  # a result's form
    forms["/counselors/two-homes"] = ["zip2"]
    forms["/counselors/where"] = ["zip"]
    forms["/shortlist/progress"] = ["slug", "status", "booked"]
    forms["/shortlist/appointment.ics"] = ["slug", "name"]
    forms["/shortlist/check-in.ics"] = ["date"]
    forms["/reach-out"] = [
        "slug",
        "help",
        "format",
        "evenings",
        "payment",
        "language",
        "sender",
        "safe_time",
        "safe_way",
    ]
    forms["/erase"] = []
    # Posted here under their pattern (a 404); tests/web/test_availability.py posts the same
    # corpus to a real listing, with a working link.
    forms["/counselors/{slug:str}/confirm"] = [*CONFIRM_FIELDS, "token"]
    forms["/counselors/{slug:str}/report"] = ["outcome"]
    return forms


FORMS = form_fields()


@pytest.fixture
def answered(hostile_client: TestClient) -> Iterator[TestClient]:
    """A person who has finished the questionnaire, so every step may be posted to."""
    hostile_client.cookies.clear()
    walk(hostile_client, V6)
    yield hostile_client


def test_every_post_route_is_in_the_corpus(hostile_client: TestClient, engine: Engine) -> None:
    posted = {p.replace("{step_id:str}", "start") for p in routes(hostile_client.app, "POST")}
    missing = posted - set(FORMS) - {"/api/readiness/assess"}
    assert not missing, f"add the fields of {missing} to the hostile-input corpus"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_form_field(answered: TestClient, payload: str) -> None:
    client = answered
    token = csrf_token(client, "/readiness")
    for path, names in FORMS.items():
        for repeat in (1, 2):
            data: dict[str, Any] = {}
            for name in names:
                data[name] = [payload] * repeat
            data["_csrf_token"] = token
            response = client.post(path, data=data, follow_redirects=False)
            assert_safe(response, f"POST {path} x{repeat} {payload!r}")
            if response.status_code in (302, 303):
                assert_safe(client.get(response.headers["location"]), f"after POST {path}")
        # Missing fields: only the token.
        assert_safe(
            client.post(path, data={"_csrf_token": token}, follow_redirects=False), f"{path} empty"
        )
    for page in ("/prep", "/prep/sheet", "/shortlist", "/readiness/result", "/readiness"):
        assert_safe(client.get(page), f"GET {page} after {payload!r}")


def test_each_form_field_alone_with_100_kb(answered: TestClient) -> None:
    client = answered
    token = csrf_token(client, "/readiness")
    for path, names in FORMS.items():
        for name in names:
            response = client.post(
                path, data={name: BIG, "_csrf_token": token}, follow_redirects=False
            )
            assert_safe(response, f"POST {path} {name} 100 kB")
    assert_safe(client.get("/prep/sheet"), "sheet after 100 kB fields")


def test_invalid_utf8_and_odd_encodings_in_form_bodies(answered: TestClient) -> None:
    client = answered
    token = csrf_token(client, "/readiness")
    bodies = [
        b"why=%FF%FE%00&goal1=%C0%AF",
        b"why=\xff\xfe\x00raw&goal1=x",
        b"why&goal1&&=&=x",
        b"why=" + b"%" * 1000,
    ]
    for path in FORMS:
        for body in bodies:
            response = client.post(
                path,
                content=body,
                headers={
                    "content-type": "application/x-www-form-urlencoded",
                    "x-csrftoken": token,
                },
                follow_redirects=False,
            )
            assert_safe(response, f"POST {path} {body[:20]!r}")
        for content_type in ("text/plain", "application/json", "multipart/form-data"):
            response = client.post(
                path,
                content=b"why=x",
                headers={"content-type": content_type, "x-csrftoken": token},
                follow_redirects=False,
            )
            assert_safe(response, f"POST {path} as {content_type}")


# --- the JSON API ------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", [*PAYLOADS, BIG])
def test_the_assess_api(hostile_client: TestClient, payload: str) -> None:
    ids = [item.id for step in load_questionnaire().steps for item in step.items]
    for body in (
        {"answers": {i: payload for i in ids}},
        {"answers": {payload[:100]: payload}},
        {"answers": {**V6, "F1": payload}},
        {"answers": {i: [payload, {"x": payload}] for i in ids}},
        {"answers": payload},
        payload,
        [payload],
        {"answers": {"G0.5": None, "G0.6": 1e308, "D1": -(2**70), "T1": True}},
    ):
        assert_safe(
            hostile_client.post("/api/readiness/assess", json=body), f"assess {body!r}"[:80]
        )
    for raw in (b"{", b'{"answers": {"F1": "\\ud800"}}', b"\x00", b"nul\xff", b"[" * 5000):
        response = hostile_client.post(
            "/api/readiness/assess", content=raw, headers={"content-type": "application/json"}
        )
        assert_safe(response, f"assess raw {raw[:20]!r}")


def test_the_shortlist_cannot_hold_anything_but_real_slugs(
    hostile_client: TestClient, engine: Engine
) -> None:
    hostile_client.cookies.clear()
    token = csrf_token(hostile_client, "/")
    for payload in PAYLOADS:
        hostile_client.post("/shortlist", data={"slug": payload, "_csrf_token": token})
    slug = first_slug(engine)
    hostile_client.post("/shortlist", data={"slug": slug, "_csrf_token": token})
    page = soup(hostile_client.get("/shortlist").text)
    links = {a["href"].split("#")[0] for a in page.select("main a[href^='/counselors/']")}
    assert links == {f"/counselors/{slug}"}
