"""The shortlist lives in the user's session only: a side-by-side comparison, the progress
with each counselor, and calendar files for a booking and a check-in."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine, inspect

from portal.i18n import translations
from portal.web.rendering import longdate
from tests.handoff_personas import couple_video
from tests.web.helpers import csrf_token, post_form, soup


def first_slug(client: TestClient) -> str:
    return client.get("/api/counselors?per_page=1").json()["items"][0]["slug"]


def test_add_view_and_remove(client: TestClient) -> None:
    slug = first_slug(client)
    response = post_form(
        client, "/shortlist", {"slug": slug, "action": "add", "next": f"/counselors/{slug}"}
    )
    assert response.status_code == 200  # followed the 303 back to the profile
    assert "Remove from shortlist" in response.text
    page = soup(client.get("/shortlist").text)
    assert [a["href"] for a in page.select(".card-title a")] == [f"/counselors/{slug}"]
    post_form(client, "/shortlist", {"slug": slug, "action": "remove", "next": "/shortlist"})
    assert "Your shortlist is empty" in client.get("/shortlist").text


def test_htmx_add_swaps_the_button_and_announces_it(client: TestClient) -> None:
    slug = first_slug(client)
    page = soup(client.get(f"/counselors/{slug}").text)
    token = page.select_one("input[name=_csrf_token]")["value"]
    response = client.post(
        "/shortlist",
        data={"slug": slug, "action": "add"},
        headers={"HX-Request": "true", "x-csrftoken": token},
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    answer = soup(response.text)
    # The button is swapped; the words go into the live region beside it, which stays.
    assert answer.select_one(f"form#shortlist-form-{slug} button").text == "Remove from shortlist"
    said = answer.select_one(f"#shortlist-said-{slug}")
    assert said["hx-swap-oob"] == "true"
    assert said.text.strip() == "Added to your shortlist."
    region = page.select_one(".shortlist-note[role=status]")
    assert region.select_one(f"#shortlist-said-{slug}") is not None
    assert region.find_parent("form") is None


def test_without_javascript_adding_lands_on_the_button_with_a_status(client: TestClient) -> None:
    slug = first_slug(client)
    profile = f"/counselors/{slug}"
    added = post_form(
        client,
        "/shortlist",
        {"slug": slug, "action": "add", "next": profile},
        follow_redirects=False,
    )
    assert added.status_code == 303
    assert added.headers["location"] == f"{profile}?shortlist=added#shortlist-{slug}"
    control = soup(client.get(added.headers["location"]).text).select_one(f"#shortlist-{slug}")
    assert (
        control.select_one("[role=status]")
        .get_text(" ", strip=True)
        .startswith("Added to your shortlist.")
    )
    removed = post_form(
        client,
        "/shortlist",
        {"slug": slug, "action": "remove", "next": profile},
        follow_redirects=False,
    )
    assert removed.headers["location"] == f"{profile}?shortlist=removed#shortlist-{slug}"
    control = soup(client.get(removed.headers["location"]).text).select_one(f"#shortlist-{slug}")
    assert "Removed from your shortlist." in control.select_one("[role=status]").get_text()


def test_a_profile_says_nothing_was_done_unless_it_was(client: TestClient) -> None:
    slug = first_slug(client)
    for path in (f"/counselors/{slug}", f"/counselors/{slug}?shortlist=added"):
        status = soup(client.get(path).text).select_one(f"#shortlist-{slug} [role=status]")
        assert status.get_text(strip=True) == "Your shortlist is kept only in this browser session."


def test_the_spanish_profile_confirms_in_spanish(client: TestClient) -> None:
    slug = first_slug(client)
    client.cookies.set("lang", "es")
    post_form(client, "/shortlist", {"slug": slug, "action": "add", "next": f"/counselors/{slug}"})
    page = soup(client.get(f"/counselors/{slug}?shortlist=added").text)
    said = page.select_one(f"#shortlist-{slug} [role=status] strong").get_text(strip=True)
    assert (
        said
        == translations("es").gettext("Added to your shortlist.")
        != ("Added to your shortlist.")
    )


def test_unknown_slug_changes_nothing(client: TestClient) -> None:
    post_form(client, "/shortlist", {"slug": "nobody", "action": "add"})
    assert "Your shortlist is empty" in client.get("/shortlist").text


def test_posting_without_csrf_token_is_refused(client: TestClient) -> None:
    client.get("/")
    response = client.post("/shortlist", data={"slug": first_slug(client), "action": "add"})
    assert response.status_code == 403


def test_shortlist_is_private_and_never_in_the_database(client: TestClient, engine: Engine) -> None:
    slug = first_slug(client)
    post_form(client, "/shortlist", {"slug": slug, "action": "add"})
    assert client.get("/shortlist").headers["cache-control"] == "no-store"
    tables = set(inspect(engine).get_table_names())
    assert not any("short" in t or "session" in t for t in tables)


def test_shortlist_does_not_survive_a_new_browser(app) -> None:
    with TestClient(app, base_url="http://127.0.0.1") as first:
        post_form(first, "/shortlist", {"slug": first_slug(first), "action": "add"})
        assert "Your shortlist is empty" not in first.get("/shortlist").text
    with TestClient(app, base_url="http://127.0.0.1") as second:
        assert "Your shortlist is empty" in second.get("/shortlist").text


# --- side by side ----------------------------------------------------------------------------


def shortlisted(client: TestClient, n: int = 2, **extra: Any) -> list[dict[str, Any]]:
    items = client.get(f"/api/counselors?per_page={n}&format=in-person").json()["items"]
    client.set_session_data({"shortlist": [i["slug"] for i in items], **extra})
    return items


def table(client: TestClient) -> dict[str, dict[str, str]]:
    """The comparison table: counselor name -> column heading -> cell text."""
    page = soup(client.get("/shortlist").text)
    heads = [th.get_text(strip=True) for th in page.select("table.compare thead th")]
    rows = {}
    for tr in page.select("table.compare tbody tr"):
        cells = [tr.select_one("th > a").get_text(strip=True)]
        cells += [td.get_text(" ", strip=True) for td in tr.select("td")]
        rows[cells[0]] = dict(zip(heads, cells, strict=True))
    return rows


def test_the_shortlist_compares_counselors_side_by_side(client: TestClient) -> None:
    items = shortlisted(client)
    rows = table(client)
    assert list(rows) == [i["name"] for i in items]
    first = rows[items[0]["name"]]
    assert set(first) == {
        "Counselor",
        "Fee",
        "Insurance",
        "Formats",
        "Distance",
        "Languages",
        "Next opening",
        "Replies",
        "Why it fits",
        "Progress",
    }
    assert first["Fee"].startswith(f"${items[0]['fee_min']}")
    assert first["Replies"].startswith("Usually within")
    assert first["Distance"] == "Not known"  # no ZIP given
    assert first["Progress"] == "Not contacted"
    page = soup(client.get("/shortlist").text)
    region = page.select_one(".compare-wrap")
    assert region["tabindex"] == "0" and region["role"] == "region"


def directory_says(client: TestClient) -> dict[str, str]:
    """What the readiness result's directory cards say of how far each counselor is, by slug."""
    page = soup(client.get("/counselors?from=readiness").text)
    said = {}
    for card in page.select("#results .card"):
        for hidden in card.select(".credential .visually-hidden"):
            hidden.decompose()
        credential = card.select_one(".credential").get_text(" ", strip=True)
        slug = card.select_one(".card-title a")["href"].rsplit("/", 1)[-1]
        said[slug] = credential.split(" · ")[-1]
    return said


def test_distances_are_said_as_the_directory_cards_say_them(client: TestClient) -> None:
    client.set_session_data({"readiness": couple_video("78701")})
    said = directory_says(client)
    near = next(slug for slug, where in said.items() if where.endswith(" mi"))
    by_video = next(slug for slug, where in said.items() if "video, licensed in TX" in where)
    client.set_session_data({"readiness": couple_video("78701"), "shortlist": [near, by_video]})
    page = soup(client.get("/shortlist").text)
    distance = {
        tr.select_one("th > a")["href"].rsplit("/", 1)[-1]: tr.select("td")[3].get_text(strip=True)
        for tr in page.select("table.compare tbody tr")
    }
    assert distance == {near: said[near], by_video: said[by_video]}
    assert "sees couples" in page.select("table.compare tbody tr td")[7].get_text().lower()


def test_a_counselor_beyond_reach_is_said_to_be_about_so_many_miles(client: TestClient) -> None:
    far = client.get("/api/counselors?zip=60614&format=in-person&per_page=1").json()["items"][0]
    client.set_session_data({"readiness": couple_video("78701"), "shortlist": [far["slug"]]})
    distance = table(client)[far["name"]]["Distance"]
    assert distance.startswith("about ") and distance.endswith(" mi")
    assert float(distance.split()[1].replace(",", "")) > 900  # Chicago from Austin


def test_distances_are_said_in_spanish(client: TestClient) -> None:
    items = client.get("/api/counselors?zip=78701&format=in-person&per_page=1").json()["items"]
    client.set_session_data({"readiness": couple_video("78701"), "shortlist": [items[0]["slug"]]})
    client.cookies.set("lang", "es")
    page = soup(client.get("/shortlist").text)
    cell = page.select("table.compare tbody tr td")[3].get_text(strip=True)
    assert cell.startswith("a ") and "milla" in cell


def test_progress_is_recorded_per_counselor(client: TestClient) -> None:
    items = shortlisted(client)
    a, b = items[0]["slug"], items[1]["slug"]
    token = csrf_token(client)
    day = (date.today() + timedelta(days=9)).isoformat()
    done = client.post(
        "/shortlist/progress",
        data={"slug": a, "status": "booked", "booked": day, "_csrf_token": token},
        follow_redirects=False,
    )
    location = f"/shortlist?saved={a}#progress-{a}"
    assert done.status_code == 303 and done.headers["location"] == location
    said = soup(client.get(location).text).select(".saved[role=status]")
    assert [p.find_parent("li")["id"] for p in said] == [f"progress-{a}"]  # said on its card
    client.post("/shortlist/progress", data={"slug": b, "status": "left", "_csrf_token": token})
    data = client.get_session_data()
    assert data["tracker"] == {a: {"status": "booked", "booked": day}, b: {"status": "left"}}
    rows = table(client)
    assert rows[items[0]["name"]]["Progress"] == f"Booked: {longdate(date.fromisoformat(day))}"
    assert rows[items[1]["name"]]["Progress"] == "Message left"
    client.post("/shortlist/progress", data={"slug": b, "status": "none", "_csrf_token": token})
    assert b not in client.get_session_data()["tracker"]
    # Removing a counselor forgets the progress with them.
    client.post("/shortlist", data={"slug": a, "action": "remove", "_csrf_token": token})
    assert client.get_session_data()["tracker"] == {}


@pytest.mark.parametrize(
    ("typed", "says"),
    [("", "Enter the date"), ("14/12/2026", "Enter the date"), ("1926-12-14", "Check the year")],
)
def test_a_booking_without_a_usable_date_is_explained_and_kept(
    client: TestClient, typed: str, says: str
) -> None:
    slug = shortlisted(client)[0]["slug"]
    response = client.post(
        "/shortlist/progress",
        data={"slug": slug, "status": "booked", "booked": typed, "_csrf_token": csrf_token(client)},
    )
    assert response.status_code == 400
    page = soup(response.text)
    assert says in page.select_one(f"#error-{slug}").get_text()
    assert page.select_one(f"#booked-{slug}")["value"] == typed
    assert page.select_one(f"#status-{slug} option[selected]")["value"] == "booked"
    assert "tracker" not in client.get_session_data()


def test_a_booking_that_was_not_saved_is_said_first_with_a_link_to_the_field(
    client: TestClient,
) -> None:
    item = shortlisted(client)[0]
    slug = item["slug"]
    response = client.post(
        "/shortlist/progress",
        data={"slug": slug, "status": "booked", "booked": "", "_csrf_token": csrf_token(client)},
    )
    page = soup(response.text)
    assert page.title.get_text().startswith("Error:")
    summary = page.select_one("main > *")
    assert "error-summary" in summary["class"]
    assert summary["role"] == "alert" and summary["tabindex"] == "-1"
    assert summary.has_attr("autofocus")
    assert summary.select_one("h2").get_text(strip=True) == "There is a problem"
    link = summary.select_one("li a")
    assert link["href"] == f"#booked-{slug}" and page.select_one(f"#booked-{slug}")
    example = longdate(date.today() + timedelta(weeks=2))
    assert link.get_text(" ", strip=True) == (
        f"Your progress with {item['name']} is not saved: "
        f"Enter the date of the appointment, for example {example}."
    )
    assert example in page.select_one(f"#error-{slug}").get_text()


def test_the_example_date_of_an_error_is_written_in_the_pages_language(
    client: TestClient,
) -> None:
    from portal.web.locale import date_in

    slug = shortlisted(client)[0]["slug"]
    client.cookies.set("lang", "es")
    response = client.post(
        "/shortlist/progress",
        data={"slug": slug, "status": "booked", "booked": "", "_csrf_token": csrf_token(client)},
    )
    said = soup(response.text).select_one(f"#error-{slug}").get_text(strip=True)
    example = date_in(date.today() + timedelta(weeks=2), "es")
    assert said == f"Escriba la fecha de la cita, por ejemplo, {example}."
    assert " de " in example  # "21 de diciembre de 2026", not 2026-12-21


def test_progress_only_for_shortlisted_counselors_and_known_statuses(client: TestClient) -> None:
    items = shortlisted(client)
    token = csrf_token(client)
    other = client.get("/api/counselors?per_page=5&format=video").json()["items"][-1]["slug"]
    client.post("/shortlist/progress", data={"slug": other, "status": "left", "_csrf_token": token})
    client.post(
        "/shortlist/progress",
        data={"slug": items[0]["slug"], "status": "hacked", "_csrf_token": token},
    )
    assert "tracker" not in client.get_session_data()


def test_the_progress_has_room_after_a_full_prep_sheet(client: TestClient) -> None:
    from portal.prep.fields import TEXTS
    from tests.web.test_security_session import post_prep

    items = client.get("/api/counselors?per_page=20").json()["items"]
    client.set_session_data({"shortlist": [i["slug"] for i in items]})
    post_prep(client, {spec.name: "\U0001f600" * spec.cap for spec in TEXTS})
    token = csrf_token(client)
    day = (date.today() + timedelta(days=3)).isoformat()
    for item in items[:8]:
        response = client.post(
            "/shortlist/progress",
            data={"slug": item["slug"], "status": "booked", "booked": day, "_csrf_token": token},
        )
        assert response.status_code == 200, item["slug"]
    assert len(client.get_session_data()["tracker"]) == 8


def test_a_long_note_leaves_the_shortlist_its_room_and_a_full_one_is_said(
    client: TestClient,
) -> None:
    from portal.prep.fields import TEXTS
    from tests.readiness_answers import V2
    from tests.web.test_readiness_pages import form_for, walk
    from tests.web.test_security_session import post_prep

    post_prep(client, {spec.name: "\U0001f600" * spec.cap for spec in TEXTS})
    walk(client, V2)
    token = csrf_token(client, "/readiness")
    note = "I want us to stop fighting in front of the kids. " * 18  # about 900 bytes
    sent = client.post(
        "/readiness/step/impact",
        data={**form_for("impact", {**V2, "F1": note}), "_csrf_token": token},
    )
    kept_note = client.get_session_data()["readiness"].get("F1", "")
    if not kept_note:  # asked to shorten it, beside the field, with what was typed
        assert sent.status_code == 400 and "longer than this browser can keep" in sent.text
    items = client.get("/api/counselors?per_page=20").json()["items"]
    longest = sorted(items, key=lambda i: len(i["slug"]), reverse=True)
    for item in longest:
        response = client.post(
            "/shortlist",
            data={"slug": item["slug"], "_csrf_token": token},
            headers={"HX-Request": "true"},
        )
        said = soup(response.text).get_text(" ", strip=True)
        if item["slug"] in client.get_session_data().get("shortlist", []):
            assert "Added to your shortlist." in said
        else:
            assert "Not added" in said and "Add to shortlist" in said
    assert len(client.get_session_data()["shortlist"]) == 20  # the note left them room
    # Without JavaScript the profile says it too.
    client.set_session_data({**client.get_session_data(), "shortlist": []})
    client.set_session_data({**client.get_session_data(), "prep": {"x": "y" * 6000}})
    slug = longest[0]["slug"]
    page = client.post(
        "/shortlist", data={"slug": slug, "next": f"/counselors/{slug}", "_csrf_token": token}
    )
    assert str(page.url).endswith(f"/counselors/{slug}?shortlist=full#shortlist-{slug}")
    assert "Not added: this browser cannot keep more" in page.text


def test_erasing_everything_clears_the_tracker(client: TestClient) -> None:
    slug = shortlisted(client)[0]["slug"]
    client.post(
        "/shortlist/progress",
        data={"slug": slug, "status": "talked", "_csrf_token": csrf_token(client)},
    )
    assert "tracker" in client.get_session_data()
    client.post("/erase", data={"_csrf_token": csrf_token(client)})
    assert "tracker" not in client.get_session_data()


def test_the_quick_exit_clears_the_tracker(client: TestClient) -> None:
    slug = shortlisted(client)[0]["slug"]
    client.post(
        "/shortlist/progress",
        data={"slug": slug, "status": "talked", "_csrf_token": csrf_token(client)},
    )
    assert "tracker" in client.get_session_data()
    client.get("/exit", follow_redirects=False)
    assert "tracker" not in client.get_session_data()


# --- calendar files --------------------------------------------------------------------------


def book(client: TestClient) -> tuple[dict[str, Any], str]:
    item = shortlisted(client)[0]
    day = (date.today() + timedelta(days=9)).isoformat()
    client.post(
        "/shortlist/progress",
        data={
            "slug": item["slug"],
            "status": "booked",
            "booked": day,
            "_csrf_token": csrf_token(client),
        },
    )
    return item, day


def ics(client: TestClient, file: str, **data: str):  # type: ignore[no-untyped-def]
    """A calendar file, asked for as its form does: posted, so its address holds nothing."""
    token = csrf_token(client, "/shortlist")
    return client.post(f"/shortlist/{file}.ics", data={**data, "_csrf_token": token})


def test_a_booked_appointment_downloads_as_a_neutral_calendar_file(client: TestClient) -> None:
    item, day = book(client)
    form = soup(client.get("/shortlist").text).select_one(
        "form[action='/shortlist/appointment.ics']"
    )
    assert form["method"] == "post" and form.select_one("input[name=name][type=checkbox]")
    response = ics(client, "appointment", slug=item["slug"])
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert response.headers["content-disposition"] == 'attachment; filename="appointment.ics"'
    assert response.headers["cache-control"] == "no-store"
    text = response.text
    assert "SUMMARY:Appointment\r\n" in text
    assert f"DTSTART;VALUE=DATE:{day.replace('-', '')}" in text
    assert item["name"].split()[-1] not in text and item["phone"] not in text
    named = ics(client, "appointment", slug=item["slug"], name="1").text
    assert "SUMMARY:Appointment\r\n" in named
    assert item["phone"] in named.replace("\r\n ", "")


def test_no_calendar_file_without_a_booking(client: TestClient) -> None:
    item = shortlisted(client)[0]
    assert ics(client, "appointment", slug=item["slug"]).status_code == 404
    assert ics(client, "appointment", slug="nobody").status_code == 404


def test_a_check_in_date_downloads_as_a_calendar_file(client: TestClient) -> None:
    page = soup(client.get("/shortlist").text)
    default = page.select_one("#check-in-date")["value"]
    assert default == (date.today() + timedelta(weeks=4)).isoformat()
    response = ics(client, "check-in", date=default)
    assert response.status_code == 200
    assert "SUMMARY:Check in again\r\n" in response.text
    assert response.headers["cache-control"] == "no-store"


def test_a_check_in_date_that_cannot_be_used_is_explained_and_kept(client: TestClient) -> None:
    response = ics(client, "check-in", date="next week")
    assert response.status_code == 400
    page = soup(response.text)
    assert "Enter a date" in page.select_one("#check-in-error").get_text()
    assert longdate(date.today() + timedelta(weeks=4)) in page.select_one("#check-in-error").text
    assert page.select_one(".error-summary li a")["href"] == "#check-in-date"
    assert page.select_one("#check-in-date")["value"] == "next week"


def test_printing_is_explained_in_words(client: TestClient) -> None:
    shortlisted(client)
    page = soup(client.get("/shortlist").text)
    assert "Print command" in page.select_one("#print-h").parent.get_text()
    assert page.select_one("button[data-print]").has_attr("hidden")  # shown by JavaScript


def test_a_session_whose_tracker_is_not_as_written_is_not_used() -> None:
    from portal.web.session import well_formed

    assert well_formed({"tracker": {"a": {"status": "booked", "booked": "2026-12-14"}}})
    assert well_formed({"tracker": {}, "outreach": {"sender": "Sam"}})
    assert not well_formed({"tracker": {"a": {"status": "hired"}}})
    assert not well_formed({"tracker": {"a": "left"}})
    assert not well_formed({"tracker": ["a"]})


def test_the_shortlist_warns_of_a_counselor_people_could_not_reach(
    client: TestClient, engine: Engine
) -> None:
    from sqlalchemy import delete, insert

    from portal.directory.availability import REPORT

    slug = shortlisted(client)[0]["slug"]
    rows = [{"listing_slug": slug, "outcome": "not_taking", "day": date.today()}] * 3
    with engine.begin() as conn:
        conn.execute(insert(REPORT), rows)
    try:
        row = soup(client.get("/shortlist").text).select_one(
            f"tr:has(a[href='/counselors/{slug}'])"
        )
        said = row.get_text(" ", strip=True)
        assert "People often could not reach them" in said and "3 not taking new clients" in said
    finally:
        with engine.begin() as conn:
            conn.execute(delete(REPORT).where(REPORT.c.listing_slug == slug))
