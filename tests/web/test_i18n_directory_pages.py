"""The directory, a profile, the shortlist, the prep form and sheet and the review page read in
Spanish for a Spanish browser: template wording, data, dates and the first message."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from litestar.testing import TestClient

from portal.i18n import translate
from portal.readiness.questionnaire import load_questionnaire
from tests.readiness_answers import V1
from tests.web.helpers import csrf_token, post_form, soup

SPANISH = {"accept-language": "es-US,es;q=0.9"}
SPANISH_MONTH = re.compile(
    r"\d{1,2} de (enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|"
    r"noviembre|diciembre) de \d{4}"
)


def first_slug(client: TestClient) -> str:
    return client.get("/api/counselors?per_page=1").json()["items"][0]["slug"]


def spanish_page(client: TestClient, path: str) -> str:
    response = client.get(path, headers=SPANISH)
    assert response.status_code == 200, response.text[:300]
    assert soup(response.text).html["lang"] == "es"
    return soup(response.text).get_text(" ", strip=True)


@pytest.fixture
def es(client: TestClient) -> TestClient:
    client.cookies.set("lang", "es")
    return client


def test_the_directory_reads_in_spanish(es: TestClient) -> None:
    text = spanish_page(es, "/counselors")
    assert "Busque un consejero familiar o de pareja" in text
    assert "consejeros coinciden" in text
    assert "por sesión" in text and "Mostrar consejeros" in text  # a card, the filters
    assert "Find a family or couples counselor" not in text
    assert "counselors match" not in text
    assert "per session" not in text and "Show counselors" not in text


def test_a_profile_reads_in_spanish_with_spanish_dates_and_a_spanish_first_message(
    es: TestClient,
) -> None:
    text = spanish_page(es, f"/counselors/{first_slug(es)}")
    for said in ("Disponibilidad y contacto", "Cómo comunicarse", "Agregar a mi lista"):
        assert said in text
    assert "Consulta para una primera cita" in text  # the email's subject
    assert "Encontré su perfil y estoy buscando un consejero." in text
    assert SPANISH_MONTH.search(text)
    for english in ("Availability and contact", "How to reach out", "New client inquiry"):
        assert english not in text


def test_the_shortlist_with_a_counselor_reads_in_spanish(es: TestClient) -> None:
    slug = first_slug(es)
    post_form(es, "/shortlist", {"slug": slug, "action": "add", "next": "/shortlist"})
    text = spanish_page(es, "/shortlist")
    for said in ("Su lista", "Uno al lado del otro", "Lleve la cuenta", "Tarifa"):
        assert said in text
    for english in ("Side by side", "Keep track", "Your shortlist is empty", "Why it fits"):
        assert english not in text


def test_the_prep_form_and_sheet_read_in_spanish(es: TestClient) -> None:
    es.set_session_data({"readiness": V1})
    form = spanish_page(es, "/prep")
    assert "1. Cita" in form and "Guardar y ver mi hoja" in form
    assert "Save and preview my sheet" not in form and "Appointment" not in form
    sheet = spanish_page(es, "/prep/sheet")
    assert "Después de la sesión" in sheet and "Preguntas para hacer" in sheet
    assert "After the session" not in sheet and "Questions to ask" not in sheet


def test_the_review_page_reads_in_spanish_with_spanish_answers(es: TestClient) -> None:
    es.set_session_data({"readiness": V1})
    text = spanish_page(es, "/readiness/review")
    assert "Revisar mis respuestas" in text and "Cambiar" in text
    assert "Review my answers" not in text and "Not answered" not in text
    chosen = load_questionnaire().item("E1").label_for(V1["E1"])
    assert translate(chosen, "es") != chosen
    assert translate(chosen, "es") in text and chosen not in text


def test_a_calendar_event_is_titled_in_the_page_language(es: TestClient) -> None:
    day = (date.today() + timedelta(days=10)).isoformat()
    token = csrf_token(es, "/shortlist")
    response = es.post("/shortlist/check-in.ics", data={"date": day, "_csrf_token": token})
    assert "SUMMARY:Volver a revisar" in response.text


@pytest.mark.parametrize(
    "query",
    [
        "zip=6061",
        "zip=60614&zip2=00000",
        "zip2=60540",
        "radius=0",
        "specialty=nonsense",
        "state=ZZ",
        "sort=nonsense",
        "sort=distance",
        "max_fee=abc",
        "accepting=maybe",
        "gender=nonsense",
        "q=" + "a" * 6000,
    ],
)
def test_every_directory_error_is_said_in_spanish(client: TestClient, query: str) -> None:
    english = soup(client.get(f"/counselors?{query}").text)
    client.cookies.set("lang", "es")
    spanish = soup(client.get(f"/counselors?{query}").text)
    said_en = [p.get_text(" ", strip=True) for p in english.select(".field-error")]
    said_es = [p.get_text(" ", strip=True) for p in spanish.select(".field-error")]
    assert said_es and len(said_es) == len(said_en)
    for en, es_ in zip(said_en, said_es, strict=True):
        assert en != es_, f"not translated: {en}"
