"""The directory after a readiness result: the hand-off finds counselors, a safety or crisis
result governs every listing, and the filters from answers stay out of addresses."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from litestar.testing import TestClient

from portal.directory.taxonomy import taxonomy
from portal.readiness import D_SAFETY, E_CRISIS, assess
from tests.handoff_personas import (
    CITIES,
    PERSONAS,
    couple_video,
    crisis,
    estranged_mother,
    safety_pregnant,
    spanish_mother_afraid,
)
from tests.web.helpers import csrf_token, soup

CAUTION = "Not suggested for you right now"
JOINT = {t.slug for t in taxonomy().terms("modality") if t.joint}
ANSWER_FILTERS = ("sees", "specialty", "modality", "zip", "screens_individually", "accepting")


def as_person(client: TestClient, answers: dict[str, Any]) -> None:
    client.set_session_data({"readiness": answers})


def slugs(html: str) -> list[str]:
    return [a["href"].rsplit("/", 1)[-1] for a in soup(html).select(".cards .card-title a")]


def listing(client: TestClient, slug: str) -> dict[str, Any]:
    return client.get(f"/api/counselors/{slug}").json()


def links(html: str) -> list[str]:
    page = soup(html)
    found = [a["href"] for a in page.select("a[href]")]
    found += [el["hx-get"] for el in page.select("[hx-get]")]
    found += [el["hx-push-url"] for el in page.select("[hx-push-url]")]
    return found


def assert_neutral(url: str) -> None:
    params = parse_qs(urlsplit(url).query)
    leaked = set(params) & set(ANSWER_FILTERS)
    assert not leaked, url


# --- the hand-off finds counselors ------------------------------------------------------------


@pytest.mark.parametrize("city", CITIES)
@pytest.mark.parametrize("person", PERSONAS)
def test_the_hand_off_finds_at_least_three_counselors(
    client: TestClient, city: str, person: str
) -> None:
    as_person(client, PERSONAS[person](CITIES[city]))
    response = client.get("/counselors?from=readiness")
    assert response.status_code == 200
    assert str(response.url).endswith("/counselors?from=readiness")
    assert len(slugs(response.text)) >= 3, soup(response.text).select_one("#results").text[:400]


def test_what_was_widened_is_said(client: TestClient) -> None:
    in_person = {**couple_video("86001"), "P2": ["in-person"]}  # Flagstaff: none close by
    as_person(client, in_person)
    page = soup(client.get("/counselors?from=readiness").text)
    said = [li.get_text(" ", strip=True) for li in page.select("#preset-note .widened li")]
    assert said and "Arizona by video or phone" in said[0]
    assert page.select_one("#state option[selected]")["value"] == "AZ"


# --- a safety or crisis result governs the directory ------------------------------------------


@pytest.mark.parametrize("answers", [safety_pregnant("60614"), crisis("60614")])
def test_a_safety_or_crisis_preset_leaves_out_joint_work_and_says_why(
    client: TestClient, answers: dict[str, Any]
) -> None:
    assert assess(answers).outcome in (D_SAFETY, E_CRISIS)
    as_person(client, answers)
    response = client.get("/counselors?from=readiness")
    page = soup(response.text)
    note = page.select_one("#safety-note").get_text(" ", strip=True)
    assert "Adjusted for your safety" in note and "both people in the room" in note
    assert page.select_one("#safety-note a[href='/help']") is not None
    assert CAUTION not in response.text
    for slug in slugs(response.text):
        found = listing(client, slug)
        assert "individuals" in found["sees"], slug
        assert not JOINT & set(found["modalities"]), slug


def test_a_search_for_mediation_marks_every_mediator_and_never_says_it_fits(
    client: TestClient,
) -> None:
    as_person(client, safety_pregnant("60614"))
    response = client.get("/counselors?q=mediation&sees=individuals")
    page = soup(response.text)
    assert response.headers["cache-control"] == "no-store"
    assert page.select_one("#safety-note") is not None
    cards = page.select(".cards > li")
    assert cards
    for card in cards:
        slug = card.select_one(".card-title a")["href"].rsplit("/", 1)[-1]
        joint = JOINT & set(listing(client, slug)["modalities"])
        caution = card.select_one(".caution")
        if joint:
            assert caution is not None and CAUTION in caution.text, slug
            assert "both people in the room" in caution.text
            assert card.select_one(".fits") is None, slug
        else:
            assert caution is None, slug
    assert any(card.select_one(".caution") for card in cards)


def test_a_profile_of_a_mediator_carries_the_caution(client: TestClient) -> None:
    mediator = slugs(client.get("/counselors?modality=family-mediation&sees=individuals").text)[0]
    assert CAUTION not in client.get(f"/counselors/{mediator}").text
    as_person(client, safety_pregnant("60614"))
    response = client.get(f"/counselors/{mediator}")
    caution = soup(response.text).select_one("#caution").get_text(" ", strip=True)
    assert CAUTION in caution and "family mediation" in caution
    assert response.headers["cache-control"] == "no-store"


def test_the_shortlist_carries_the_caution(client: TestClient) -> None:
    mediator = slugs(client.get("/counselors?modality=family-mediation").text)[0]
    as_person(client, safety_pregnant("60614"))
    client.set_session_data({"readiness": safety_pregnant("60614"), "shortlist": [mediator]})
    page = soup(client.get("/shortlist").text)
    assert CAUTION in page.select_one(".cards .caution").get_text()


def test_without_a_safety_result_nothing_changes(client: TestClient) -> None:
    plain = client.get("/counselors?q=mediation").text
    as_person(client, couple_video("60614"))
    after = client.get("/counselors?q=mediation").text
    for html in (plain, after):
        assert CAUTION not in html and 'id="safety-note"' not in html
    assert slugs(plain) == slugs(after)


# --- filters from answers stay out of addresses -----------------------------------------------


def test_every_link_of_a_preset_page_is_neutral_and_the_page_is_not_stored(
    client: TestClient,
) -> None:
    as_person(client, safety_pregnant("60614"))
    response = client.get("/counselors?from=readiness&per_page=2")
    assert response.headers["cache-control"] == "no-store"
    hrefs = [h for h in links(response.text) if h.startswith("/counselors?")]
    assert any("page=2" in h for h in hrefs)
    for href in hrefs:
        assert_neutral(href)
    next_page = client.get(next(h for h in hrefs if "page=2" in h))
    assert next_page.headers["cache-control"] == "no-store"
    assert str(next_page.url).endswith("/counselors?from=readiness&page=2&per_page=2")


def send(client: TestClient, data: dict[str, list[str]], *, hx: bool = False) -> Any:
    """Send a result's filter form as a browser does: posted, never in an address."""
    headers = {"HX-Request": "true"} if hx else None
    return client.post("/counselors?from=readiness", data=data, headers=headers)


def form_of(html: str) -> dict[str, list[str]]:
    """What the filter form sends as it stands (checked boxes, selected options, fields)."""
    form = soup(html).select_one("form#filters")
    data: dict[str, list[str]] = {}
    for field in form.select("input[name]"):
        if field.get("type") == "checkbox" and not field.has_attr("checked"):
            continue
        data.setdefault(field["name"], []).append(field.get("value", ""))
    for select in form.select("select[name]"):
        chosen = select.select_one("option[selected]") or select.select_one("option")
        data.setdefault(select["name"], []).append(chosen.get("value", ""))
    return data


def test_sorting_the_preset_with_htmx_pushes_only_the_marker(client: TestClient) -> None:
    as_person(client, safety_pregnant("60614"))
    data = form_of(client.get("/counselors?from=readiness").text)
    assert "from" not in data and "domestic-violence" in data["specialty"]
    data["sort"] = ["fee"]
    response = send(client, data, hx=True)
    assert response.headers["hx-push-url"] == "/counselors?from=readiness&sort=fee"
    assert response.headers["cache-control"] == "no-store"
    for href in links(response.text):
        if href.startswith("/counselors?"):
            assert_neutral(href)


def test_sorting_the_preset_without_javascript_lands_on_the_marker(client: TestClient) -> None:
    as_person(client, safety_pregnant("60614"))
    data = form_of(client.get("/counselors?from=readiness").text)
    data["sort"] = ["fee"]
    response = send(client, data)
    assert str(response.url).endswith("/counselors?from=readiness&sort=fee")
    assert response.history and response.history[0].headers["cache-control"] == "no-store"


def test_changing_a_practical_filter_keeps_the_result_and_its_neutral_address(
    client: TestClient,
) -> None:
    as_person(client, safety_pregnant("60614"))
    before = soup(client.get("/counselors?from=readiness").text)
    kind = {n: form_of(str(before)).get(n) for n in ("sees", "specialty")}
    data = form_of(str(before))
    data["radius"] = ["100"]
    data["language"] = ["es"]
    response = send(client, data, hx=True)
    # The form and the results together, so that the form shows the preset as now built.
    assert response.headers["hx-push-url"] == "/counselors?from=readiness"
    swapped = soup(response.text)
    assert swapped.select_one("div#directory > details#filters-panel[open] form#filters")
    assert form_of(str(swapped))["radius"] == ["100"] and swapped.select_one("#preset-note")
    assert "hx-swap-oob" not in response.text
    again = soup(client.get("/counselors?from=readiness").text)  # kept for the next visit
    assert again.select_one("#preset-note") and again.select_one("#safety-note")
    assert {n: form_of(str(again)).get(n) for n in ("sees", "specialty")} == kind
    assert form_of(str(again))["radius"] == ["100"]
    assert all("es" in listing(client, slug)["languages"] for slug in slugs(str(again)))
    plain = send(client, data)  # without JavaScript
    assert str(plain.url).endswith("/counselors?from=readiness")


def test_a_new_result_starts_again_from_its_answers(client: TestClient) -> None:
    as_person(client, safety_pregnant("60614"))
    data = {**form_of(client.get("/counselors?from=readiness").text), "radius": ["100"]}
    send(client, data)
    assert form_of(client.get("/counselors?from=readiness").text)["radius"] == ["100"]
    token = csrf_token(client, "/readiness")
    saved = client.post(
        "/readiness/step/start", data={"G0.5": "yes", "G0.6": "yes", "_csrf_token": token}
    )
    assert saved.status_code == 200
    again = soup(client.get("/counselors?from=readiness").text)
    assert form_of(str(again))["radius"] != ["100"]


def test_changing_the_kind_of_help_stays_the_results_list_and_out_of_the_address(
    client: TestClient,
) -> None:
    as_person(client, safety_pregnant("60614"))
    before = form_of(client.get("/counselors?from=readiness").text)
    data = {**before, "specialty": [*before.get("specialty", []), "grief"], "language": ["es"]}
    data["sees"] = [*before["sees"], "couples"]  # ruled out after a safety result
    response = send(client, data, hx=True)
    assert response.headers.get("hx-push-url", "/counselors?from=readiness") == (
        "/counselors?from=readiness"
    )
    swapped = soup(response.text)
    assert swapped.select_one("#preset-note") and swapped.select_one("#safety-note")
    assert swapped.select_one("form#filters")["method"] == "post"
    shown = form_of(str(swapped))
    assert set(shown["specialty"]) == {*before.get("specialty", []), "grief"}
    assert shown["language"] == ["es"] and shown["zip"] == ["60614"]
    assert shown["sees"] == before["sees"]  # the safety rule holds over what was ticked
    couples = swapped.select_one("#group-sees input[value=couples]")
    assert couples.has_attr("disabled")
    assert "not safe after what you told us" in swapped.select_one("#group-sees .hint").text
    # Kept for the next visit, and nothing the person said or ticked is in an address.
    again = client.get("/counselors?from=readiness")
    assert set(form_of(again.text)["specialty"]) == set(shown["specialty"])
    plain = send(client, data)
    assert str(plain.url).endswith("/counselors?from=readiness")
    for said in (response.headers.get("hx-push-url", ""), str(plain.url)):
        assert not re.search(r"specialty=|sees=|zip=|language=", said), said


def test_a_preset_that_finds_no_one_points_to_its_filters_and_the_whole_directory(
    client: TestClient,
) -> None:
    as_person(client, {**safety_pregnant("86001"), "P3": "so"})  # Somali, near Flagstaff
    page = soup(client.get("/counselors?from=readiness").text)
    assert page.select_one("#result-count").get_text(strip=True).startswith("No counselors")
    hrefs = {a.get_text(strip=True): a["href"] for a in page.select(".empty a")}
    # The form on this page holds the preset (ZIP and language included) to change by hand;
    # no link carries an answer into an address.
    assert hrefs["change the filters"] == "#filters" and page.select_one("form#filters")
    assert page.select_one("#filters input[name=zip]")["value"] in ("86001", "")
    assert hrefs["search the whole directory"] == "/counselors"


def test_read_in_spanish_a_preset_that_named_no_language_shows_spanish_speakers(
    client: TestClient,
) -> None:
    client.cookies.set("lang", "es")
    as_person(client, crisis("90033"))  # a crisis result asks no question about language
    page = soup(client.get("/counselors?from=readiness").text)
    found = slugs(str(page))
    assert found
    assert all("es" in listing(client, slug)["languages"] for slug in found)
    assert page.select_one("#filters input[name=language][value=es]").has_attr("checked")


def test_a_preset_that_knows_no_place_asks_for_a_zip_code_and_keeps_it_out_of_addresses(
    client: TestClient,
) -> None:
    as_person(client, {k: v for k, v in crisis("60614").items() if k != "P1"})
    page = soup(client.get("/counselors?from=readiness").text)
    form = page.select_one("form#where")
    assert form is not None and form["method"] == "post"

    token = page.select_one("form#where input[name=_csrf_token]")["value"]
    bad = client.post("/counselors/where", data={"zip": "00000", "_csrf_token": token})
    assert bad.status_code == 400
    assert "We could not find that ZIP code" in bad.text and 'value="00000"' in bad.text

    sent = client.post(
        "/counselors/where",
        data={"zip": "60614", "_csrf_token": token},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    assert sent.headers["location"] == "/counselors?from=readiness"
    after = client.get("/counselors?from=readiness")
    assert str(after.url).endswith("/counselors?from=readiness")
    shown = soup(after.text)
    assert shown.select_one("form#where") is None
    assert shown.select_one("#filters input[name=zip]")["value"] == "60614"
    found = [listing(client, slug) for slug in slugs(after.text)]
    # Near 60614, or licensed in Illinois to see people by video or phone.
    assert found and all("IL" in c["licence_states"] for c in found)

    # A change by hand stays with the result: the ZIP code never reaches an address.
    data = form_of(after.text)
    data["sees"] = [*data.get("sees", []), "families"]
    changed = send(client, data)
    assert str(changed.url).endswith("/counselors?from=readiness")
    assert form_of(changed.text)["zip"] == ["60614"]


def test_a_widened_preset_still_puts_those_who_meet_every_wish_first(client: TestClient) -> None:
    as_person(client, spanish_mother_afraid("90033"))  # sliding scale and evenings wanted
    page = soup(client.get("/counselors?from=readiness").text)
    said = " ".join(li.get_text() for li in page.select("#preset-note .widened li"))
    assert "evening" in said or "sliding scale" in said  # the list was widened past them
    found = [listing(client, slug) for slug in slugs(str(page))]
    meets = [c["sliding_scale"] and (c["evenings"] or c["weekends"]) for c in found]
    assert any(meets) and meets == sorted(meets, reverse=True), meets


def test_a_widened_card_says_which_wish_it_does_not_meet(client: TestClient) -> None:
    as_person(client, spanish_mother_afraid("90033"))  # sliding scale and evenings wanted
    page = soup(client.get("/counselors?from=readiness").text)
    assert page.select(".card .misses")  # the list was widened past a wish
    for card in page.select(".card"):
        found = listing(client, card.select_one("h2 a")["href"].rsplit("/", 1)[1])
        missed = card.select_one(".misses")
        said = missed.get_text(" ", strip=True) if missed else ""
        assert ("sliding scale" in said) is not found["sliding_scale"], said
        evenings = found["evenings"] or found["weekends"]
        assert ("evening or weekend hours" in said) is not evenings, said
        assert not said or said.startswith("Not listed:")


def test_a_card_not_widened_says_nothing_is_missing(client: TestClient) -> None:
    page = soup(client.get("/counselors?sliding_scale=1&evenings=1").text)
    assert page.select(".card") and not page.select(".misses")


def test_a_form_that_is_out_of_date_never_carries_the_answers_into_an_address(
    client: TestClient,
) -> None:
    as_person(client, estranged_mother("78701"))
    stale = form_of(client.get("/counselors?from=readiness").text)
    wished = set(stale.get("specialty", []))
    for change in ({"gender": ["man"]}, {"sliding_scale": ["1"]}, {"sees": ["families"]}):
        stale |= change  # the same form, sent again after the preset was built anew
        sent = send(client, stale, hx=True)
        target = sent.headers.get("hx-redirect", "")
        assert not any(f"specialty={s}" in target for s in wished), target


def test_what_the_preset_let_go_of_is_not_kept_as_a_choice(client: TestClient) -> None:
    as_person(client, spanish_mother_afraid("90033"))  # widened past sliding scale, evenings
    data = {**form_of(client.get("/counselors?from=readiness").text), "radius": ["50"]}
    send(client, data)
    assert client.get_session_data()["preset_set"] == {"radius": ["50"]}
    page = soup(client.get("/counselors?from=readiness").text)
    assert page.select(".card .misses")  # the wishes still rank and are still said


def test_the_result_s_form_is_posted_so_its_filters_never_reach_an_address(
    client: TestClient,
) -> None:
    as_person(client, safety_pregnant("60614"))
    shown = soup(client.get("/counselors?from=readiness").text)
    assert "web address" not in shown.select_one(".lede").get_text()  # it is not there
    form = shown.select_one("form#filters")
    assert form["method"] == "post" and form["hx-post"] == "/counselors?from=readiness"
    assert form["hx-target"] == "#directory" and not form.has_attr("hx-get")
    data = {**form_of(str(form)), "radius": ["100"]}
    sent = client.post("/counselors?from=readiness", data=data, follow_redirects=False)
    assert sent.status_code == 303 and sent.headers["location"] == "/counselors?from=readiness"
    assert "cache-control" in sent.headers and sent.headers["cache-control"] == "no-store"
    # An ordinary search's form is still a shareable address.
    plain = soup(client.get("/counselors?sees=couples").text).select_one("form#filters")
    assert plain["method"] == "get" and plain["hx-get"] == "/counselors"


def test_the_result_s_form_is_refused_without_its_csrf_token(client: TestClient) -> None:
    as_person(client, safety_pregnant("60614"))
    data = form_of(client.get("/counselors?from=readiness").text)
    del data["_csrf_token"]
    assert client.post("/counselors?from=readiness", data=data).status_code == 403


@pytest.mark.parametrize("hx", [False, True])
def test_a_bad_zip_code_on_the_result_s_directory_is_said_and_kept_as_typed(
    client: TestClient, hx: bool
) -> None:
    as_person(client, spanish_mother_afraid("90033"))
    before = client.get("/counselors?from=readiness").text
    data = {**form_of(before), "zip": ["9003"], "radius": ["50"], "q": ["weekends"]}
    sent = send(client, data, hx=hx)
    assert sent.status_code == 200 and "hx-redirect" not in sent.headers
    assert "hx-push-url" not in sent.headers and not sent.history
    page = soup(sent.text)
    summary = page.select_one(".error-summary")
    assert summary is not None and "ZIP code" in summary.get_text(), sent.text[:2000]
    assert "still the counselors who fit your result" in summary.get_text()
    assert page.select_one(".error-summary a[href='#zip']") is not None
    if not hx:  # the whole form, as typed, with the message under the field
        assert page.select_one("#filters input[name=zip]")["value"] == "9003"
        assert page.select_one("#filters #zip[aria-invalid=true]") is not None
        assert page.select_one("#filters input[name=q]")["value"] == "weekends"
        assert page.select_one("#filters #radius option[selected]")["value"] == "50"
    # Still the result's counselors, and nothing typed was saved as a choice.
    assert page.select_one("#preset-note") is not None and slugs(sent.text) == slugs(before)
    assert "preset_set" not in client.get_session_data()


def test_a_form_from_a_page_before_the_post_still_lands_on_the_marker(client: TestClient) -> None:
    as_person(client, safety_pregnant("60614"))
    data = {**form_of(client.get("/counselors?from=readiness").text), "from": ["readiness"]}
    del data["_csrf_token"]
    sent = client.get("/counselors", params={**data, "radius": ["100"]})
    assert str(sent.url).endswith("/counselors?from=readiness")
    assert client.get_session_data()["preset_set"] == {"radius": ["100"]}


def test_a_change_the_session_has_no_room_for_is_shown_and_said_not_kept(
    client: TestClient,
) -> None:
    from portal.web.session import fits

    answers = safety_pregnant("60614")
    full = {"readiness": answers, "prep": {"notes": ""}}
    while fits({**full, "prep": {"notes": full["prep"]["notes"] + "x" * 64}}):
        full = {**full, "prep": {"notes": full["prep"]["notes"] + "x" * 64}}
    client.set_session_data(full)
    data = {**form_of(client.get("/counselors?from=readiness").text), "radius": ["100"]}
    shown = soup(send(client, data).text)
    said = shown.select_one("#not-kept").get_text(" ", strip=True)
    assert "could not be kept" in said and "prep sheet" in said
    assert shown.select_one("#filters #radius option[selected]")["value"] == "100"
    assert shown.select_one("#safety-note") is not None
    assert "preset_set" not in client.get_session_data()
    again = soup(client.get("/counselors?from=readiness").text)
    assert again.select_one("#not-kept") is None
    assert again.select_one("#filters #radius option[selected]")["value"] != "100"


def test_a_change_on_the_result_s_list_adds_no_second_history_entry(client: TestClient) -> None:
    as_person(client, safety_pregnant("60614"))
    data = {**form_of(client.get("/counselors?from=readiness").text), "radius": ["100"]}
    here = {"HX-Request": "true", "HX-Current-URL": "http://127.0.0.1/counselors?from=readiness"}
    same = client.post("/counselors?from=readiness", data=data, headers=here)
    assert same.status_code == 200 and "hx-push-url" not in same.headers
    data["sort"] = ["fee"]
    sorted_ = client.post("/counselors?from=readiness", data=data, headers=here)
    assert sorted_.headers["hx-push-url"] == "/counselors?from=readiness&sort=fee"


def test_a_result_s_form_sent_after_the_session_ended_puts_nothing_in_an_address(
    client: TestClient,
) -> None:
    as_person(client, safety_pregnant("60614"))
    data = {**form_of(client.get("/counselors?from=readiness").text), "radius": ["100"]}
    client.set_session_data({"shortlist": []})  # the answers expired, or were erased
    for hx in (False, True):
        sent = client.post(
            "/counselors?from=readiness",
            data=data,
            headers={"HX-Request": "true"} if hx else None,
            follow_redirects=False,
        )
        target = sent.headers.get("hx-redirect") if hx else sent.headers.get("location")
        assert target == "/counselors?from=readiness", sent.headers
    page = soup(client.get("/counselors?from=readiness").text)
    assert "answers are never put in a link" in page.select_one("#no-result").get_text()
    assert not page.select_one("#preset-note") and not page.select_one("#safety-note")


def test_a_shared_link_to_a_results_list_says_why_it_shows_everyone(client: TestClient) -> None:
    response = client.get("/counselors?from=readiness&sort=fee&page=2")
    assert response.status_code == 200
    page = soup(response.text)
    assert "only in the browser where the check was taken" in page.select_one("#no-result").text
    assert page.select_one("#no-result a[href='/readiness']")
    assert page.select_one("#result-count") and slugs(response.text)
