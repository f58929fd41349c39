"""The prep-sheet routes: the form, saving, the preview, the blank sheet and discreet mode."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from babel.dates import format_date
from litestar.testing import TestClient
from sqlmodel import Session, select

from portal.models import Listing
from portal.prep.fields import TEXT_BY_NAME, TEXTS
from portal.prep.sheet import booked_on
from tests.unit.test_prep_sheet import (
    COPARENTING,
    COPARENTS,
    DISCREET_WORDS,
    GUARDED,
    JOINT_QUESTIONS,
    JOINT_TEXT,
    MOTHER_AND_DAUGHTER,
    SAFETY,
)
from tests.web.helpers import csrf_token, soup

PAGES = ("/prep", "/prep/sheet", "/prep/blank")


@pytest.fixture(scope="module")
def counselor(engine) -> Listing:
    with Session(engine) as db:
        listing = db.exec(select(Listing).order_by(Listing.slug)).first()
        assert listing is not None
        db.expunge(listing)
        return listing


def save(client: TestClient, data: dict, **kwargs):
    token = csrf_token(client, "/prep")
    return client.post("/prep", data={**data, "_csrf_token": token}, **kwargs)


def sheet_text(client: TestClient, path: str = "/prep/sheet") -> str:
    page = soup(client.get(path).text)
    article = page.find("article", class_="sheet")
    assert article is not None
    return article.get_text(" ", strip=True)


# --- every page is private and renders -------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_pages_render_without_a_session_and_are_never_cached(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert "style=" not in response.text and "onclick" not in response.text
    assert "<script>" not in response.text.replace(" ", "")


def test_the_form_has_every_section_and_a_csrf_token(client: TestClient) -> None:
    page = soup(client.get("/prep").text)
    form = page.find("form", action="/prep")
    assert form is not None and form["method"] == "post"
    assert form.find("input", attrs={"name": "_csrf_token"})
    legends = [lg.get_text(strip=True) for lg in form.find_all("legend")]
    for section in (
        "1. Appointment",
        "2. Why I'm going",
        "3. What's been happening",
        "4. What I/we have already tried",
        "5. My goals",
        "6. Background to mention if I'm comfortable",
        "7. Questions to ask the therapist",
        "8. Bring / do",
    ):
        assert section in legends
    numbers = [int(lg.split(".")[0]) for lg in legends if lg[:1].isdigit()]
    assert numbers == list(range(1, len(numbers) + 1))
    for name in ("goal1", "goal2", "goal3", "why", "changed", "q_own", "t_lic", "when"):
        assert form.find(attrs={"name": name}), name
    assert form.find("input", attrs={"name": "discreet", "type": "checkbox"})
    assert form.find("input", attrs={"name": "counselor", "value": "none"})
    assert len(form.find_all("input", attrs={"name": "q"})) > 20
    assert len(form.find_all("input", attrs={"name": "bring"})) == 8


def test_the_blank_sheet_has_write_in_lines_and_no_data(client: TestClient) -> None:
    page = soup(client.get("/prep/blank").text)
    sheet = page.find("article", class_="sheet")
    assert sheet.find("h1").get_text(strip=True) == "My first-session notes"
    assert len(sheet.select(".write")) >= 15
    assert not sheet.select(".val") and not sheet.select(".box-on")
    assert page.find("button", attrs={"data-print": True, "type": "button"})
    assert "This sheet is not medical advice." in sheet.get_text()


def test_the_blank_sheet_has_a_discreet_version(client: TestClient) -> None:
    page = soup(client.get("/prep/blank?discreet=1").text)
    assert page.title.get_text().startswith("Appointment notes")
    said = page.find("article", class_="sheet").get_text(" ").lower()
    for word in DISCREET_WORDS:
        assert word not in said, word


# --- pre-filled from the readiness answers ---------------------------------------------------


def test_the_form_starts_from_the_readiness_answers(client: TestClient) -> None:
    client.set_session_data({"readiness": COPARENTS})
    page = soup(client.get("/prep").text)
    checked = {i["value"] for i in page.select("input[name=hap][checked]")}
    assert checked == {"comm", "repeat", "trust", "parenting", "resentment"}
    assert {i["value"] for i in page.select("input[name=tried][checked]")} == {
        "calm_time",
        "breaks",
    }
    assert page.find("input", attrs={"name": "bg_children"})["value"] == "Ages: 1 to 5, 6 to 12"
    for flag in ("inc_suggest", "inc_happen", "inc_tried", "inc_bg"):
        assert page.find("input", attrs={"name": flag}).has_attr("checked"), flag
    assert not page.find("input", attrs={"name": "discreet"}).has_attr("checked")


def test_a_parenting_plan_is_among_what_was_tried_only_when_children_are_part_of_it(
    client: TestClient,
) -> None:
    def offered() -> set[str]:
        return {i["value"] for i in soup(client.get("/prep").text).select("input[name=tried]")}

    assert "parenting_plan" in offered()  # no answers: every choice
    client.set_session_data({"readiness": COPARENTS})
    assert "parenting_plan" in offered()
    couple = {**COPARENTS, "G0.1": "partner", "G0.2": "no", "G0.3": "no"}
    client.set_session_data({"readiness": couple})
    assert "parenting_plan" not in offered() and "calm_time" in offered()


def test_the_preview_before_saving_shows_the_suggestion_with_footnotes(
    client: TestClient,
) -> None:
    client.set_session_data({"readiness": COPARENTS})
    page = soup(client.get("/prep/sheet").text)
    sheet = page.find("article", class_="sheet")
    assert "A readiness check suggested" in sheet.get_text()
    notes = sheet.select("ol.footnotes li")
    assert notes and not any("section" in li.get_text() for li in notes)
    assert len(sheet.select(".suggest sup")) >= 1


def test_discreet_mode_is_the_default_after_a_safety_result(client: TestClient) -> None:
    client.set_session_data({"readiness": SAFETY})
    form = soup(client.get("/prep").text)
    assert form.find("input", attrs={"name": "discreet"}).has_attr("checked")
    assert "Keep this somewhere private" in form.get_text()
    page = soup(client.get("/prep/sheet").text)
    assert page.title.get_text().startswith("Appointment notes")
    assert "Keep this somewhere private" in page.get_text()
    said = page.find("article", class_="sheet").get_text(" ").lower()
    for word in DISCREET_WORDS:
        assert word not in said, word
    assert "support line: 988" in said
    assert "safety first" not in said


@pytest.mark.parametrize("case", GUARDED)
def test_after_a_safety_or_crisis_result_the_form_is_for_the_person_alone(
    client: TestClient, case: str
) -> None:
    client.set_session_data({"readiness": GUARDED[case]})
    form = soup(client.get("/prep").text)
    assert form.find("input", attrs={"name": "discreet"}).has_attr("checked")
    assert form.find(attrs={"name": "who"}) is None, "no way to add the other person"
    assert "Who is attending Just me" in form.find(class_="field-fixed").get_text(" ", strip=True)
    offered = {i["value"] for i in form.select("input[name=q]")}
    assert offered and not offered & JOINT_QUESTIONS
    labels = " ".join(i.parent.get_text(" ") for i in form.select("input[name=q]")).lower()
    for word in (*JOINT_TEXT, *DISCREET_WORDS):
        assert word not in labels, word


@pytest.mark.parametrize("case", GUARDED)
def test_after_a_safety_or_crisis_result_the_sheet_is_discreet_and_individual(
    client: TestClient, case: str
) -> None:
    client.set_session_data({"readiness": GUARDED[case]})
    page = soup(client.get("/prep/sheet").text)
    assert page.title.get_text().startswith("Appointment notes")
    said = page.find("article", class_="sheet").get_text(" ", strip=True)
    assert "Who is attending Just me" in said
    for word in (*JOINT_TEXT, *DISCREET_WORDS):
        assert word not in said.lower(), word
    assert "Use the full version" in page.find(class_="toolbar-actions").get_text()
    assert "says what your answers showed" in page.find(class_="toolbar-hint").get_text()


@pytest.mark.parametrize("case", GUARDED)
def test_the_full_version_after_a_safety_or_crisis_result_is_chosen_knowingly(
    client: TestClient, case: str
) -> None:
    client.set_session_data({"readiness": GUARDED[case]})
    save(client, {"who": "Me and the other person", "q": ["appr_heard", "log_billing"]})
    token = csrf_token(client, "/prep/sheet")
    client.post("/prep/mode", data={"discreet": "0", "_csrf_token": token})
    page = soup(client.get("/prep/sheet").text)
    assert "says what your answers showed" in page.find(class_="prep-toolbar").get_text()
    said = page.find("article", class_="sheet").get_text(" ", strip=True)
    assert said.startswith("My first-session notes")
    assert "Who is attending Just me" in said
    assert "Can you help me make a safety plan?" in said
    for word in (*JOINT_TEXT, "90847", "90846"):
        assert word not in said.lower(), word


def test_an_ordinary_co_parenting_result_keeps_the_standard_sheet(client: TestClient) -> None:
    client.set_session_data({"readiness": COPARENTING})
    form = soup(client.get("/prep").text)
    assert not form.find("input", attrs={"name": "discreet"}).has_attr("checked")
    assert form.find("input", attrs={"name": "who"})["value"] == "Me and the other person"
    assert "appr_heard" in {i["value"] for i in form.select("input[name=q]")}
    page = soup(client.get("/prep/sheet").text)
    said = page.find("article", class_="sheet").get_text(" ", strip=True)
    assert said.startswith("My first-session notes")
    assert "How do you make sure both people are heard?" in said
    assert "Use the discreet version" in page.find(class_="toolbar-actions").get_text()
    assert "says what your answers showed" not in page.get_text()


def test_the_discreet_switch_is_one_click_for_everyone(client: TestClient) -> None:
    client.set_session_data({"readiness": COPARENTS})
    assert "Appointment notes" not in sheet_text(client)
    token = csrf_token(client, "/prep/sheet")
    response = client.post(
        "/prep/mode", data={"discreet": "1", "_csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303 and response.headers["location"] == "/prep/sheet"
    assert sheet_text(client).startswith("Appointment notes")
    token = csrf_token(client, "/prep/sheet")
    client.post("/prep/mode", data={"discreet": "0", "_csrf_token": token})
    assert sheet_text(client).startswith("My first-session notes")


# --- the counselor ---------------------------------------------------------------------------


def test_coming_from_a_profile_preselects_that_counselor(
    client: TestClient, counselor: Listing
) -> None:
    page = soup(client.get(f"/prep?counselor={counselor.slug}").text)
    radio = page.find("input", attrs={"name": "counselor", "value": counselor.slug})
    assert radio is not None and radio.has_attr("checked")
    assert counselor.name in page.get_text()


def test_shortlisted_counselors_are_offered(client: TestClient, counselor: Listing) -> None:
    client.set_session_data({"shortlist": [counselor.slug, "gone-away"]})
    page = soup(client.get("/prep").text)
    values = [i["value"] for i in page.select("input[name=counselor]")]
    assert values == [counselor.slug, "none"]


def test_an_unknown_counselor_is_explained_not_an_error(client: TestClient) -> None:
    response = client.get("/prep?counselor=<b>nobody</b>")
    assert response.status_code == 200
    page = soup(response.text)
    assert "couldn't find that counselor" in page.find(class_="field-error").get_text()
    assert page.find("input", attrs={"name": "counselor", "value": "none"}).has_attr("checked")
    assert "<b>nobody</b>" not in response.text


def test_no_counselor_chosen_is_never_taken_for_one_that_cannot_be_found(
    client: TestClient,
) -> None:
    from tests.web.security_support import post_prep

    response = post_prep(client, {"counselor": "none", "why": "w" * 600})
    said = soup(response.text).select_one(".error-summary").get_text(" ", strip=True)
    assert "only the first" in said
    assert "find that counselor" not in said


def test_a_saved_counselor_is_printed_with_credential_and_licence(
    client: TestClient, counselor: Listing
) -> None:
    response = save(client, {"counselor": counselor.slug}, follow_redirects=False)
    assert response.status_code == 303
    text = sheet_text(client)
    assert counselor.name in text and counselor.licence_number in text


def test_a_stale_counselor_in_the_form_keeps_everything_typed(client: TestClient) -> None:
    response = save(client, {"counselor": "left-the-directory", "why": "Our talks go wrong."})
    assert response.status_code == 200
    page = soup(response.text)
    assert "couldn't find that counselor" in page.get_text()
    assert page.find("textarea", attrs={"name": "why"}).get_text() == "Our talks go wrong."
    assert "Our talks go wrong." in sheet_text(client)


def book(client: TestClient, slug: str, day: date) -> None:
    """Mark a shortlisted counselor booked, as on the shortlist page."""
    token = csrf_token(client, "/shortlist")
    data = {"slug": slug, "status": "booked", "booked": day.isoformat(), "_csrf_token": token}
    assert client.post("/shortlist/progress", data=data, follow_redirects=False).status_code == 303


def two_shortlisted(client: TestClient) -> list[dict]:
    items = client.get("/api/counselors?per_page=2").json()["items"]
    client.set_session_data({"shortlist": [i["slug"] for i in items]})
    return items


def checked_counselor(client: TestClient) -> str:
    page = soup(client.get("/prep").text)
    return str(page.select_one("input[name=counselor][checked]")["value"])


def test_the_booked_counselor_is_chosen_and_printed_with_the_date(client: TestClient) -> None:
    first, second = two_shortlisted(client)
    day = date.today() + timedelta(days=9)
    book(client, second["slug"], day)
    assert checked_counselor(client) == second["slug"]
    text = sheet_text(client)  # nothing else filled in: not the blank sheet
    assert second["name"] in text and booked_on(day) in text
    assert first["name"] not in text


def test_the_counselor_booked_last_is_chosen(client: TestClient) -> None:
    first, second = two_shortlisted(client)
    book(client, first["slug"], date.today() + timedelta(days=20))
    book(client, second["slug"], date.today() + timedelta(days=9))
    assert checked_counselor(client) == second["slug"]
    book(client, first["slug"], date.today() + timedelta(days=3))
    assert checked_counselor(client) == first["slug"]
    assert first["name"] in sheet_text(client)


def test_a_counselor_chosen_on_the_form_wins_over_the_booking(client: TestClient) -> None:
    first, second = two_shortlisted(client)
    book(client, second["slug"], date.today() + timedelta(days=9))
    save(client, {"counselor": first["slug"]})
    assert checked_counselor(client) == first["slug"]
    assert first["name"] in sheet_text(client)


def test_none_of_these_chosen_over_the_booking_stays_chosen(client: TestClient) -> None:
    _, second = two_shortlisted(client)
    book(client, second["slug"], date.today() + timedelta(days=9))
    save(client, {"counselor": "none", "t_name": "Dr. Someone Else"})
    assert checked_counselor(client) == "none"
    text = sheet_text(client)
    assert "Dr. Someone Else" in text and second["name"] not in text
    client.post("/prep/mode", data={"discreet": "1", "_csrf_token": csrf_token(client, "/prep")})
    assert checked_counselor(client) == "none"


def test_a_booking_made_after_the_sheet_was_saved_is_chosen(client: TestClient) -> None:
    _, second = two_shortlisted(client)
    save(client, {"counselor": "none", "why": "Our talks go wrong."})
    book(client, second["slug"], date.today() + timedelta(days=9))
    assert checked_counselor(client) == second["slug"]
    text = sheet_text(client)
    assert second["name"] in text and "Our talks go wrong." in text


def test_the_booked_counselor_is_chosen_in_spanish(client: TestClient) -> None:
    _, second = two_shortlisted(client)
    day = date.today() + timedelta(days=9)
    book(client, second["slug"], day)
    client.cookies.set("lang", "es")
    assert checked_counselor(client) == second["slug"]
    text = sheet_text(client)
    assert second["name"] in text and format_date(day, "full", locale="es") in text


# --- saving ----------------------------------------------------------------------------------


def test_a_valid_form_is_saved_in_the_session_and_redirects_to_the_preview(
    client: TestClient,
) -> None:
    response = save(
        client,
        {
            "why": "We keep arguing about the kids.",
            "goal1": "Talk without shouting",
            "hap": ["money", "trust"],
            "inc_happen": "1",
            "q": ["cred_state"],
            "discreet": "",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/prep/sheet"
    assert response.headers["cache-control"] == "no-store"
    stored = client.get_session_data()["prep"]
    assert stored["why"] == "We keep arguing about the kids."
    assert stored["hap"] == ["trust", "money"]
    page = soup(client.get("/prep/sheet").text)
    sheet = page.find("article", class_="sheet")
    assert "Talk without shouting" in sheet.get_text()
    assert len(sheet.select(".checks .box-on")) == 2
    assert [q.get_text(strip=True) for q in sheet.select(".q")] == [
        "Are you licensed in this state?"
    ]
    # back to the form: exactly what was saved
    form = soup(client.get("/prep").text)
    assert form.find("input", attrs={"name": "goal1"})["value"] == "Talk without shouting"


def test_post_requires_the_csrf_token(client: TestClient) -> None:
    client.get("/prep")
    response = client.post("/prep", data={"why": "x"})
    assert response.status_code == 403
    assert "prep" not in client.get_session_data()


def test_a_10000_character_field_is_kept_in_the_form_and_capped_in_the_session(
    client: TestClient,
) -> None:
    long = "word " * 2000
    response = save(client, {"why": long, "goal1": "keep me"})
    assert response.status_code == 200
    page = soup(response.text)
    assert page.find("textarea", attrs={"name": "why"}).get_text() == long
    cap = TEXT_BY_NAME["why"].cap
    message = page.find(id="f-why-error").get_text()
    assert f"first {cap} characters" in message
    assert page.find("textarea", attrs={"name": "why"})["aria-invalid"] == "true"
    stored = client.get_session_data()["prep"]
    assert len(stored["why"]) <= cap and stored["goal1"] == "keep me"
    assert soup(client.get("/prep/sheet").text).find("article", class_="sheet")


def test_markup_and_script_payloads_are_escaped(client: TestClient) -> None:
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    save(client, {"why": payload, "t_name": payload})
    html = client.get("/prep/sheet").text
    assert payload not in html
    assert "&lt;script&gt;" in html
    assert payload in sheet_text(client)
    form_html = client.get("/prep").text
    assert "<script>alert" not in form_html


def test_emoji_and_right_to_left_text_survive_the_round_trip(client: TestClient) -> None:
    text = "نريد أن نتحدث بهدوء 🙂 שלום"
    response = save(client, {"goal2": text, "who": "אני 👩‍👧"}, follow_redirects=False)
    assert response.status_code == 303
    shown = sheet_text(client)
    assert text in shown and "אני 👩‍👧" in shown
    assert soup(client.get("/prep").text).find("input", attrs={"name": "goal2"})["dir"] == "auto"


def test_a_preview_without_any_session_is_the_blank_sheet_with_a_note(
    client: TestClient,
) -> None:
    page = soup(client.get("/prep/sheet").text)
    assert "Nothing is filled in yet" in page.get_text()
    assert not page.find("article", class_="sheet").select(".val")


def test_erase_removes_the_sheet(client: TestClient) -> None:
    save(client, {"why": "Something private"})
    assert "Something private" in sheet_text(client)
    token = csrf_token(client, "/prep")
    client.post("/erase", data={"_csrf_token": token})
    assert "Something private" not in sheet_text(client)


def test_nothing_of_the_sheet_reaches_the_database(client: TestClient, engine) -> None:
    from sqlalchemy import inspect, text

    marker = "UNIQUE-PREP-MARKER-7731"
    save(client, {"why": marker, "goal1": marker})
    with engine.connect() as conn:
        for table in inspect(engine).get_table_names():
            columns = [c["name"] for c in inspect(engine).get_columns(table)]
            for column in columns:
                hit = conn.execute(
                    text(f'SELECT COUNT(*) FROM "{table}" WHERE CAST("{column}" AS TEXT) LIKE :m'),
                    {"m": f"%{marker}%"},
                ).scalar()
                assert hit == 0, f"{table}.{column}"


def test_a_sheet_that_outgrows_one_cookie_is_still_read_back(client: TestClient) -> None:
    client.set_session_data({"readiness": COPARENTS})
    long = {name: "Lorem ipsum dolor sit amet. " * 20 for name in TEXT_BY_NAME}
    response = save(client, long)
    cleared = [h for h in response.headers.get_list("set-cookie") if h.startswith("portal=")]
    assert cleared and all("Max-Age=0" in h for h in cleared), "the old cookie goes at once"
    assert sorted(k for k in client.cookies if k.startswith("portal")) == [
        "portal-0",
        "portal-1",
    ]
    assert "Lorem ipsum" in sheet_text(client)
    assert client.get_session_data()["readiness"] == COPARENTS


def test_a_saved_counselor_fills_where_and_phone(client: TestClient, counselor: Listing) -> None:
    save(client, {"counselor": counselor.slug, "mode": "in_person"})
    page = soup(client.get("/prep/sheet").text)
    rows = {
        r.find(class_="lbl").get_text(strip=True): r.get_text(" ", strip=True)
        for r in page.select("article.sheet .row")
        if r.find(class_="lbl")
    }
    assert counselor.phone in rows["Phone number"]
    if "in-person" in counselor.formats:
        assert f"{counselor.city}, {counselor.state}" in rows["Address or link"]
    else:
        assert "Video" in rows["Address or link"]


def test_the_sheets_sections_are_numbered_in_order(client: TestClient) -> None:
    client.set_session_data({"readiness": COPARENTS})
    for path in ("/prep/sheet", "/prep/blank"):
        headings = [
            h.get_text(" ", strip=True) for h in soup(client.get(path).text).select("article h2")
        ]
        numbers = [int(h.split(".")[0]) for h in headings if h[:1].isdigit()]
        assert numbers == list(range(1, 10)), headings


def test_a_mother_and_adult_daughter_get_no_co_parenting_custody_or_pregnancy_fields(
    client: TestClient,
) -> None:
    client.set_session_data({"readiness": MOTHER_AND_DAUGHTER})
    form = soup(client.get("/prep").text).find("form", action="/prep")
    for name in ("bg_children", "bg_orders", "bg_preg", "bg_copies", "cp"):
        assert form.find(attrs={"name": name}) is None, name
    assert form.find("input", attrs={"name": "bring", "value": "orders"}) is None
    sheet = sheet_text(client).lower()
    for words in ("co-parents, for the children", "custody", "pregnancy or postpartum"):
        assert words not in sheet


def test_without_javascript_printing_is_explained_and_the_print_button_is_hidden(
    client: TestClient,
) -> None:
    for path in ("/prep/sheet", "/prep/blank"):
        page = soup(client.get(path).text)
        assert page.find("button", attrs={"data-print": True}).has_attr("hidden")
        assert "browser's Print command" in page.find(class_="print-how").get_text()


def test_the_suggestion_on_a_spanish_sheet_gives_its_reasons_in_spanish(
    client: TestClient,
) -> None:
    client.set_session_data({"readiness": COPARENTS})
    english = soup(client.get("/prep/sheet").text).select_one(".suggest").get_text()
    client.cookies.set("lang", "es")
    spanish = soup(client.get("/prep/sheet").text).select_one(".suggest")
    said = spanish.get_text()
    assert said.startswith("Una revisión") or "sugirió" in said, said
    reasons = english.split(", because:", 1)[1].split(".")[0].strip()
    assert reasons and reasons not in said, (reasons, said)


def test_a_spanish_sheet_labels_the_phone_number_not_the_way_to_meet(
    client: TestClient, counselor: Listing
) -> None:
    client.cookies.set("lang", "es")
    save(client, {"counselor": counselor.slug})
    labels = [
        label.get_text(strip=True)
        for label in soup(client.get("/prep/sheet").text).select("article.sheet .lbl")
    ]
    assert "Teléfono" in labels and "Por teléfono" not in labels
    form = client.get("/prep").text
    assert "Por teléfono</label>" not in form


def test_text_the_session_has_no_room_for_is_said_to_be_for_want_of_room(
    client: TestClient,
) -> None:
    token = csrf_token(client, "/prep")
    data = {t.name: "😀" * t.cap for t in TEXTS} | {"_csrf_token": token}
    page = soup(client.post("/prep", data=data).text)
    said = page.select_one(".error-summary").get_text(" ", strip=True)
    assert "this browser has room for only the first" in said
    assert "remove counselors from your shortlist" in page.select_one(".field-error").get_text()
