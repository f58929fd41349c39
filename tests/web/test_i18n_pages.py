"""Spanish or English: the browser's language first, then the person's own choice, on every page."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from litestar.testing import TestClient

from tests.readiness_answers import V1
from tests.web.helpers import csrf_token, soup

SPANISH = {"accept-language": "es-US,es;q=0.9,en;q=0.5"}
ENGLISH = {"accept-language": "en-US,en;q=0.9"}
PAGES = [
    "/",
    "/help",
    "/about",
    "/about/sources",
    "/privacy",
    "/readiness",
    "/readiness/step/start",
]


def html_lang(response) -> str:
    return str(soup(response.text).html["lang"])


def switch_link(response, to: str) -> str:
    link = soup(response.text).select_one(f".language-switch a[hreflang='{to}']")
    assert link is not None, f"no switch to {to}"
    return str(link["href"])


@pytest.mark.parametrize("path", PAGES)
def test_a_spanish_browser_gets_the_page_in_spanish(client: TestClient, path: str) -> None:
    response = client.get(path, headers=SPANISH)
    assert response.status_code == 200
    assert html_lang(response) == "es"
    page = soup(response.text)
    assert (
        page.select_one(".quick-exit")
        .get_text(" ", strip=True)
        .startswith("Emergencia: Salir rápido de este sitio")
    )
    assert "Buscar un consejero" in page.select_one(".site-nav").get_text()
    assert switch_link(response, "en").startswith("/lang?to=en&")
    assert "Accept-Language" in response.headers["vary"]


@pytest.mark.parametrize("path", PAGES)
def test_an_english_browser_gets_english_and_a_switch_to_spanish(
    client: TestClient, path: str
) -> None:
    response = client.get(path, headers=ENGLISH)
    assert html_lang(response) == "en"
    assert "Leave this site quickly" in response.text
    link = soup(response.text).select_one(".language-switch a")
    assert link.get_text(strip=True) == "Español" and link["lang"] == "es"


def test_the_switch_keeps_the_page_and_is_remembered(client: TestClient) -> None:
    page = client.get("/about/sources?x=1", headers=ENGLISH)
    href = switch_link(page, "es")
    assert parse_qs(urlsplit(href).query)["next"] == ["/about/sources?x=1"]
    switched = client.get(href, headers=ENGLISH, follow_redirects=False)
    assert switched.status_code == 303
    assert switched.headers["location"] == "/about/sources?x=1"
    cookie = switched.headers["set-cookie"]
    assert cookie.startswith("lang=es;") and "SameSite=lax" in cookie and "HttpOnly" in cookie
    # The English browser now gets Spanish everywhere, until switched back.
    for path in ("/", "/help", "/readiness"):
        assert html_lang(client.get(path, headers=ENGLISH)) == "es"
    back = client.get(switch_link(client.get("/help", headers=ENGLISH), "en"))
    assert back.url.path == "/help"
    assert html_lang(back) == "en"
    assert html_lang(client.get("/", headers=SPANISH)) == "en"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil"])
def test_the_switch_never_leaves_the_site(client: TestClient, target: str) -> None:
    response = client.get("/lang", params={"to": "es", "next": target}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/"


def test_an_unknown_language_changes_nothing(client: TestClient) -> None:
    response = client.get("/lang", params={"to": "fr", "next": "/help"}, follow_redirects=False)
    assert response.headers["location"] == "/help"
    assert "lang=" not in response.headers.get("set-cookie", "")


def test_switching_keeps_the_answers_already_given(client: TestClient) -> None:
    client.set_session_data({"readiness": {"G0.1": "partner"}})
    before = soup(client.get("/readiness", headers=ENGLISH).text)
    assert "Continue where you left off" in before.get_text()
    client.get("/lang", params={"to": "es", "next": "/readiness"})
    after = soup(client.get("/readiness", headers=ENGLISH).text)
    assert "Seguir donde se quedó" in after.get_text()
    assert client.get_session_data()["readiness"] == {"G0.1": "partner"}


def test_a_step_error_is_said_in_spanish_and_keeps_the_page(client: TestClient) -> None:
    token = csrf_token(client, "/readiness")
    response = client.post("/readiness/step/start", data={"_csrf_token": token}, headers=SPANISH)
    page = soup(response.text)
    assert page.html["lang"] == "es"
    summary = page.select_one(".error-summary")
    assert summary is not None
    assert "Por favor, revise" in summary.get_text()
    assert "Por favor, elija una respuesta." in summary.get_text()


def test_the_result_in_spanish_shows_spanish_lines(client: TestClient) -> None:
    client.set_session_data({"readiness": V1})
    page = soup(client.get("/readiness/result", headers=SPANISH).text)
    assert page.html["lang"] == "es"
    text = page.get_text(" ", strip=True)
    assert "Por qué sugerimos esto" in text
    assert "Why we suggest this" not in text


def test_the_help_page_in_spanish_gives_the_spanish_ways_to_reach_each_line(
    client: TestClient,
) -> None:
    page = soup(client.get("/help", headers=SPANISH).text)
    line988 = page.select_one("#line-988")
    assert "Llame al 988 y oprima 2, o envíe AYUDA por mensaje de texto al 988" in line988.text
    assert line988.select_one("a[href='sms:988?&body=AYUDA']") is not None
    assert "español" in page.select_one("#line-dv-hotline").text
    assert "español" in page.select_one("#line-tlc-mama").text
    banner = page.select_one(".safety-banner").get_text(" ", strip=True)
    assert "Llame al 988 y oprima 2" in banner


def test_the_english_help_page_tells_spanish_speakers_how_to_reach_each_line(
    client: TestClient,
) -> None:
    page = soup(client.get("/help", headers=ENGLISH).text)
    note = page.select_one("#line-988 [lang='es']")
    assert note is not None and "oprima 2" in note.text
    assert page.select_one("#line-988 a[href='sms:988']") is not None


def test_error_pages_follow_the_language(client: TestClient) -> None:
    response = client.get("/no-such-page", headers=SPANISH)
    assert response.status_code == 404
    assert html_lang(response) == "es"
    assert "No encontramos esta página" in response.text


def test_the_api_gives_texts_in_spanish_with_lang_es(client: TestClient) -> None:
    english = client.post("/api/readiness/assess", json={"answers": V1}).json()
    spanish = client.post("/api/readiness/assess?lang=es", json={"answers": V1}).json()
    assert [r["code"] for r in spanish["reasons"]] == [r["code"] for r in english["reasons"]]
    contacts = {r["id"]: r["contact"] for r in spanish["resources"]}
    assert contacts, "V1 lists support lines"
    assert all(
        c != e["contact"] for c, e in zip(contacts.values(), english["resources"], strict=True)
    )
    questionnaire = client.get("/api/readiness/questionnaire", params={"lang": "es"})
    assert questionnaire.status_code == 200
    bad = client.get("/api/readiness/questionnaire", params={"lang": "fr"})
    assert bad.status_code == 400 and "lang" in bad.json()["errors"]


def test_sources_in_spanish_name_them_in_spanish_and_keep_published_titles(
    client: TestClient,
) -> None:
    page = soup(client.get("/about/sources", headers=SPANISH).text)

    def source(source_id: str) -> tuple[str, str]:
        section = page.select_one(f"#source-{source_id}")
        return section.h3.get_text(strip=True), section.dd.get_text(strip=True)

    # A plain name in our words, and who publishes it, are said in Spanish ...
    assert source("EXT-GOTTMAN-DELAY") == (
        "Las parejas esperan años antes de buscar ayuda",
        "Investigación del Gottman Institute, resumida por profesionales",
    )
    assert source("EXT-PARALLEL-PARENTING")[0] == "Crianza paralela"
    # ... a title as the source publishes it stays, so that it can be looked up.
    assert source("EXT-HOTLINE-COUPLES")[0] == (
        "Why We Don't Recommend Couples Counseling for Abusive Relationships"
    )


def test_what_scripts_say_and_english_data_follow_the_page_language(client: TestClient) -> None:
    main = soup(client.get("/help", headers=SPANISH).text).select_one("main")
    assert main["data-said-429"].startswith("Vaya un poco más despacio")
    assert main["data-said-kept"] == "Lo que escribió sigue aquí."
    slug = client.get("/api/counselors?per_page=1").json()["items"][0]["slug"]
    spanish = soup(client.get(f"/counselors/{slug}", headers=SPANISH).text)
    assert spanish.select_one("#about-h").find_next("p")["lang"] == "en"  # bios are English
    assert spanish.select_one("[data-copy]")["data-copied"].startswith("Copiado.")
    english = soup(client.get(f"/counselors/{slug}", headers=ENGLISH).text)
    assert not english.select_one("#about-h").find_next("p").has_attr("lang")


def test_the_day_the_help_lines_were_checked_is_written_out_in_the_page_language(
    client: TestClient,
) -> None:
    from portal.readiness import crisis_lines_verified
    from portal.web.locale import date_in

    checked = crisis_lines_verified()
    english = client.get("/help").text
    assert f"Numbers last checked {date_in(checked, 'en')}." in english
    client.cookies.set("lang", "es")
    spanish = client.get("/help").text
    assert date_in(checked, "es") in spanish and checked.isoformat() not in spanish
