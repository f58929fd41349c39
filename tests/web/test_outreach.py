"""A profile's "How to reach out": a first message built from what the person chose to share,
with an email link and a phone script; after a safety or crisis result it shares nothing."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from litestar.testing import TestClient

from portal.directory.outreach import words
from tests.handoff_personas import couple_video, crisis, safety_pregnant, spanish_father
from tests.web.helpers import csrf_token, soup

SITUATION_WORDS = ("couple", "partner", "parent", "co-parent", "relationship", "family", "video")


def video_counselor(client: TestClient) -> dict[str, Any]:
    return client.get("/api/counselors?format=video&sees=couples&per_page=1").json()["items"][0]


def reach_out(client: TestClient, slug: str) -> Any:
    response = client.get(f"/counselors/{slug}")
    assert response.status_code == 200
    section = soup(response.text).select_one("#reach-out")
    assert section is not None
    return section


def said(section: Any) -> str:
    """Everything the message and the phone script would tell the counselor."""
    body = section.select_one("textarea#reach-out-body").get_text()
    href = section.select_one("a[data-reach-mailto]")["href"]
    mailto = parse_qs(urlsplit(href).query)
    script = " ".join(li.get_text() for li in section.select(".phone-script li"))
    return " ".join([body, *mailto["subject"], *mailto["body"], script])


def test_without_a_result_the_message_is_a_plain_request(client: TestClient) -> None:
    c = video_counselor(client)
    section = reach_out(client, c["slug"])
    body = section.select_one("textarea#reach-out-body").get_text()
    assert body.startswith(f"Hello {c['name']},")
    assert words()["ask"] in body
    assert section.select_one("input[name=help]") is None  # no result: no kind of help to say
    href = section.select_one("a[data-reach-mailto]")["href"]
    parts = urlsplit(href)
    assert parts.scheme == "mailto" and parts.path == c["email"]
    assert parse_qs(parts.query)["body"] == [body.replace("\n", "\r\n")]
    assert section.select_one("button[data-copy][hidden]") is not None  # shown by JavaScript
    assert section.select_one(".phone-script li") is not None


def test_a_couples_result_shares_the_kind_of_help_and_format(client: TestClient) -> None:
    client.set_session_data({"readiness": couple_video("78701")})
    c = video_counselor(client)
    section = reach_out(client, c["slug"])
    text = said(section)
    assert words()["help"]["couples"] in text
    assert words()["formats"]["video"] in text
    assert section.select_one("input[name=help]").has_attr("checked")
    assert section.select_one("input[name=format][value=video]").has_attr("checked")


def test_in_spanish_every_sentence_of_the_message_is_spanish(client: TestClient) -> None:
    client.set_session_data({"readiness": spanish_father("60614")})
    found = client.get("/api/counselors?sees=co-parents&language=es&per_page=1").json()
    slug = found["items"][0]["slug"]
    client.cookies.set("lang", "es")
    text = said(reach_out(client, slug))
    english = [*words()["help"].values(), words()["opening"], words()["ask"], words()["language"]]
    assert "Busco ayuda con la crianza compartida" in text, text
    assert not [s for s in english if s.split("{")[0] in text]
    assert "en español." in text


def test_choices_change_the_message_and_are_kept(client: TestClient) -> None:
    client.set_session_data({"readiness": spanish_father("78701")})
    c = video_counselor(client)
    token = csrf_token(client)
    response = client.post(
        "/reach-out",
        data={
            "slug": c["slug"],
            "format": ["video", "phone", "nonsense"],
            "payment": "sliding_scale",
            "language": "es",
            "sender": "Luis",
            "_csrf_token": token,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/counselors/{c['slug']}#reach-out"
    assert response.headers["cache-control"] == "no-store"
    text = said(reach_out(client, c["slug"]))
    assert words()["help"]["coparent"] not in text  # unticked: not said
    assert words()["payment"]["sliding_scale"] in text
    assert "I would like to have sessions in Spanish." in text
    assert "Hello, my name is Luis." in text
    other = client.get("/api/counselors?format=video&per_page=2").json()["items"][1]
    assert "Hello, my name is Luis." in said(reach_out(client, other["slug"]))


def test_htmx_gets_the_section_alone(client: TestClient) -> None:
    c = video_counselor(client)
    token = csrf_token(client)
    response = client.post(
        "/reach-out",
        data={"slug": c["slug"], "evenings": "1"},
        headers={"HX-Request": "true", "x-csrftoken": token},
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert words()["evenings"] in said(soup(response.text).select_one("#reach-out"))
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("answers", [safety_pregnant("60614"), crisis("60614")])
def test_after_a_safety_or_crisis_result_the_message_shares_nothing(
    client: TestClient, answers: dict[str, Any]
) -> None:
    client.set_session_data({"readiness": {**answers, "P2": ["video"], "P3": "es", "P5": "yes"}})
    c = video_counselor(client)
    section = reach_out(client, c["slug"])
    text = said(section).lower()
    for word in SITUATION_WORDS:
        assert word not in text, word
    assert "spanish" not in text and "evening" not in text
    assert "please do not leave a detailed message." in text
    for name in ("help", "format", "evenings", "payment", "language"):
        assert section.select_one(f"[name={name}]") is None
    assert section.select_one("input[name=safe_time]") is not None
    # What was chosen before the result changed cannot slip back in.
    client.set_session_data(
        {"readiness": answers, "outreach": {"help": True, "formats": ["video"], "evenings": True}}
    )
    assert "video" not in said(reach_out(client, c["slug"])).lower()


def test_the_safe_message_asks_for_the_time_and_way_typed(client: TestClient) -> None:
    client.set_session_data({"readiness": safety_pregnant("60614")})
    c = video_counselor(client)
    token = csrf_token(client)
    client.post(
        "/reach-out",
        data={
            "slug": c["slug"],
            "safe_time": "weekdays 10 to 12",
            "safe_way": "my work phone",
            "_csrf_token": token,
        },
    )
    text = said(reach_out(client, c["slug"]))
    assert "The best time to reach me is weekdays 10 to 12." in text
    assert "Please reach me only this way: my work phone." in text


def test_typed_text_that_would_not_fit_is_shortened_and_an_unknown_counselor_refused(
    client: TestClient,
) -> None:
    c = video_counselor(client)
    token = csrf_token(client)
    emoji = "\U0001f600" * 200
    client.post(
        "/reach-out",
        data={"slug": c["slug"], "sender": emoji, "safe_way": emoji, "_csrf_token": token},
    )
    kept = reach_out(client, c["slug"]).select_one("#reach-sender")["value"]
    assert kept.startswith("\U0001f600") and len(kept) < 40
    refused = client.post("/reach-out", data={"slug": "nobody", "_csrf_token": token})
    assert refused.status_code == 400


def test_erasing_forgets_the_choices(client: TestClient) -> None:
    c = video_counselor(client)
    token = csrf_token(client)
    client.post("/reach-out", data={"slug": c["slug"], "sender": "Luis", "_csrf_token": token})
    assert "Luis" in said(reach_out(client, c["slug"]))
    client.post("/erase", data={"_csrf_token": csrf_token(client)})
    assert "Luis" not in said(reach_out(client, c["slug"]))
