"""Confirmation links, anonymous reports, and what cards, profiles and the API say about them.

On a database of their own: these tests change listings."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import Engine, insert, inspect, select, update

from portal.app import create_app
from portal.db import make_engine
from portal.directory import confirm, query
from portal.models import (
    DataVersion,
    Listing,
    ListingChange,
    ListingFacet,
    ListingLink,
    ListingReport,
)
from portal.ratelimit import Windows
from portal.security import session_config
from portal.settings import Settings
from portal.web.availability import ONE_REPORT_SECONDS, REPORTS_PER_HOUR
from tests.conftest import TEST_SECRET, copy_database
from tests.web.helpers import csrf_token, soup

L = Listing.__table__
REPORT = ListingReport.__table__
CHANGE = ListingChange.__table__
FACET = ListingFacet.__table__


@pytest.fixture(scope="module")
def own_url(seeded_sqlite: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    engine = copy_database(seeded_sqlite, tmp_path_factory.mktemp("avail") / "avail.db")
    url = engine.url.render_as_string(hide_password=False)
    engine.dispose()
    yield url
    query.clear_caches()


@pytest.fixture(scope="module")
def own_settings(own_url: str) -> Settings:
    return Settings(
        database_url=own_url, secret_key=TEST_SECRET, rate_limit_posts_per_minute=100_000
    )


@pytest.fixture(scope="module")
def own_engine(own_settings: Settings) -> Iterator[Engine]:
    engine = make_engine(own_settings.database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def own_app(own_settings: Settings, own_engine: Engine) -> Litestar:
    return create_app(own_settings, own_engine)


@pytest.fixture
def web(own_app: Litestar, own_settings: Settings) -> Iterator[TestClient]:
    own_app.state["report_windows"] = Windows(REPORTS_PER_HOUR, window_seconds=3600)
    own_app.state["report_once"] = Windows(1, window_seconds=ONE_REPORT_SECONDS)
    with TestClient(
        own_app, base_url="http://127.0.0.1", session_config=session_config(own_settings)
    ) as client:
        yield client


def slugs(engine: Engine, n: int, offset: int) -> list[str]:
    with engine.connect() as conn:
        return list(
            conn.execute(select(L.c.slug).order_by(L.c.slug).offset(offset).limit(n)).scalars()
        )


def issue(engine: Engine, slug: str, now: datetime | None = None, days: int = 14) -> str:
    with engine.begin() as conn:
        return confirm.issue_link(conn, TEST_SECRET, slug, now or confirm.utc_now(), days=days)


def a_link(engine: Engine, offset: int, now: datetime | None = None) -> tuple[str, str]:
    """The listing at ``offset`` in slug order (each test its own) and a link issued for it."""
    slug = slugs(engine, 1, offset)[0]
    return slug, issue(engine, slug, now)


def listing(engine: Engine, slug: str):  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return conn.execute(select(L).where(L.c.slug == slug)).one()


def form(client: TestClient, slug: str, token: str, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "_csrf_token": csrf_token(client, f"/counselors/{slug}"),
        "token": token,
        "accepting": "new",
        "next_opening": "",
        "formats": ["video"],
        "fee_min": "95",
        "fee_max": "140",
        "insurance": ["aetna"],
    }
    data.update(changes)
    return data


# --- the link --------------------------------------------------------------------------------


def test_a_valid_link_opens_the_form_filled_from_the_listing(
    web: TestClient, own_engine: Engine
) -> None:
    slug, token = a_link(own_engine, 0)
    row = listing(own_engine, slug)
    page = web.get(confirm.link_path(slug, token))
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    html = soup(page.text)
    assert html.find("input", attrs={"name": "fee_min"})["value"] == str(row.fee_min)
    checked = {i["value"] for i in html.select("input[name=formats][checked]")}
    assert checked == set(row.formats)


def test_saving_updates_the_listing_stamps_it_and_keeps_a_history(
    web: TestClient, own_engine: Engine
) -> None:
    slug, token = a_link(own_engine, 1)
    before = listing(own_engine, slug)
    with own_engine.connect() as conn:
        old_version = conn.execute(select(DataVersion.version)).scalar_one()
    saved = web.post(f"/counselors/{slug}/confirm", data=form(web, slug, token))
    assert saved.status_code == 200, saved.text
    assert "your listing is confirmed" in saved.text
    after = listing(own_engine, slug)
    assert after.availability_confirmed == date.today()
    assert (after.fee_min, after.fee_max, after.formats) == (95, 140, ["video"])
    assert after.insurance == ["aetna"]
    with own_engine.connect() as conn:
        assert conn.execute(select(DataVersion.version)).scalar_one() > old_version
        history = conn.execute(select(CHANGE).where(CHANGE.c.listing_slug == slug)).all()
        formats = conn.execute(
            select(FACET.c.value).where(FACET.c.listing_id == after.id, FACET.c.facet == "format")
        ).scalars()
        assert list(formats) == ["video"]
    changed = {h.field: (h.old, h.new) for h in history}
    assert changed["fee_min"] == (str(before.fee_min), "95")
    assert changed["availability_confirmed"][1] == date.today().isoformat()
    assert set(inspect(own_engine).get_columns("listing_change")[i]["name"] for i in range(6)) == {
        "id", "listing_slug", "changed", "field", "old", "new"
    }  # fmt: skip
    profile = web.get(f"/counselors/{slug}")
    assert f"Confirmed by the counselor on {date.today():%B} {date.today().day}" in profile.text


def test_a_used_link_explains_itself_and_changes_nothing(
    web: TestClient, own_engine: Engine
) -> None:
    slug, token = a_link(own_engine, 2)
    assert web.post(f"/counselors/{slug}/confirm", data=form(web, slug, token)).status_code == 200
    again = web.post(
        f"/counselors/{slug}/confirm", data=form(web, slug, token, fee_min="10", fee_max="20")
    )
    assert again.status_code == 410
    assert "already used" in again.text
    assert listing(own_engine, slug).fee_min == 95
    assert web.get(confirm.link_path(slug, token)).status_code == 410


def test_an_expired_link_explains_itself_and_changes_nothing(
    web: TestClient, own_engine: Engine
) -> None:
    slug, token = a_link(own_engine, 3, now=confirm.utc_now() - timedelta(days=15))
    before = listing(own_engine, slug)
    page = web.get(confirm.link_path(slug, token))
    assert page.status_code == 410 and "expired" in page.text
    posted = web.post(f"/counselors/{slug}/confirm", data=form(web, slug, token))
    assert posted.status_code == 410
    assert listing(own_engine, slug) == before


def test_a_changed_link_gets_a_friendly_error_and_changes_nothing(
    web: TestClient, own_engine: Engine
) -> None:
    slug, token = a_link(own_engine, 4)
    before = listing(own_engine, slug)
    tampered = token[:-1] + ("0" if token[-1] != "0" else "1")
    page = web.get(confirm.link_path(slug, tampered))
    assert page.status_code == 400 and "does not work" in page.text
    posted = web.post(f"/counselors/{slug}/confirm", data=form(web, slug, tampered))
    assert posted.status_code == 400
    assert listing(own_engine, slug) == before


def test_a_link_for_one_listing_cannot_change_another(web: TestClient, own_engine: Engine) -> None:
    mine, other = slugs(own_engine, 2, 5)
    before = listing(own_engine, other)
    token = issue(own_engine, mine)
    page = web.get(confirm.link_path(other, token))
    assert page.status_code == 400 and "another listing" in page.text
    posted = web.post(f"/counselors/{other}/confirm", data=form(web, other, token))
    assert posted.status_code == 400
    assert listing(own_engine, other) == before
    with own_engine.connect() as conn:  # and the link still works for its own listing
        assert (
            conn.execute(
                select(ListingLink.__table__.c.used).where(
                    ListingLink.__table__.c.nonce == token.split(".")[0]
                )
            ).scalar_one()
            is None
        )


def test_bad_input_keeps_what_was_typed_and_uses_nothing(
    web: TestClient, own_engine: Engine
) -> None:
    slug, token = a_link(own_engine, 7)
    posted = web.post(
        f"/counselors/{slug}/confirm", data=form(web, slug, token, fee_min="lots", fee_max="")
    )
    assert posted.status_code == 400
    html = soup(posted.text)
    assert html.find("input", attrs={"name": "fee_min"})["value"] == "lots"
    assert html.select_one(".error-summary") is not None
    assert web.get(confirm.link_path(slug, token)).status_code == 200  # still usable


def test_the_form_needs_its_csrf_token(web: TestClient, own_engine: Engine) -> None:
    slug, token = a_link(own_engine, 8)
    data = form(web, slug, token)
    del data["_csrf_token"]
    assert web.post(f"/counselors/{slug}/confirm", data=data).status_code == 403
    assert listing(own_engine, slug).availability_confirmed is None


@pytest.mark.slow  # a subprocess
def test_the_link_command_prints_a_working_link(own_settings: Settings, own_engine: Engine) -> None:
    slug = slugs(own_engine, 1, 9)[0]
    env = {**os.environ, "DATABASE_URL": own_settings.database_url,
           "PORTAL_SECRET_KEY": TEST_SECRET}  # fmt: skip
    out = subprocess.run(
        [sys.executable, "-m", "portal", "listing-link", slug, "--base-url", "https://x.example"],
        env=env, capture_output=True, text=True, check=True, timeout=60,
    ).stdout.strip()  # fmt: skip
    assert out.startswith(f"https://x.example/counselors/{slug}/confirm?token=")
    token = out.split("token=")[1]
    with own_engine.connect() as conn:
        assert confirm.check_link(conn, TEST_SECRET, slug, token, confirm.utc_now())[0] is (
            confirm.LinkState.VALID
        )
    missing = subprocess.run(
        [sys.executable, "-m", "portal", "listing-link", "nobody-at-all"],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert missing.returncode == 1 and "no listing" in missing.stderr


def test_another_process_confirms_and_the_running_app_shows_it_next_request(
    own_settings: Settings, own_app: Litestar, web: TestClient
) -> None:
    second_engine = make_engine(own_settings.database_url)  # as another process has its own
    try:
        slug = slugs(second_engine, 1, 10)[0]
        first = web.get(f"/counselors/{slug}")
        assert "Confirmed by the counselor" not in first.text
        web.get("/counselors?format=video&per_page=50")  # this version's bitmaps are built
        token = issue(second_engine, slug)
        second_app = create_app(own_settings, second_engine)
        with TestClient(second_app, base_url="http://127.0.0.1") as other:
            assert (
                other.post(f"/counselors/{slug}/confirm", data=form(other, slug, token)).status_code
                == 200
            )
        shown = web.get(f"/counselors/{slug}")
        assert "Confirmed by the counselor" in shown.text
        api = web.get(f"/api/counselors/{slug}").json()
        assert api["availability_confirmed"] == date.today().isoformat()
        listed = web.get("/counselors?format=video&per_page=50").text
        assert slug in listed  # its facets changed with it: video is now one of its formats
    finally:
        second_engine.dispose()


# --- reports ---------------------------------------------------------------------------------


def test_a_report_stores_only_the_listing_the_outcome_and_the_day(
    web: TestClient, own_engine: Engine
) -> None:
    slug = slugs(own_engine, 1, 20)[0]
    token = csrf_token(web, f"/counselors/{slug}")
    done = web.post(
        f"/counselors/{slug}/report",
        data={"_csrf_token": token, "outcome": "no_answer"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert done.headers["location"] == f"/counselors/{slug}?reported=thanks#report"
    assert "no_answer" not in done.headers["location"]
    columns = {c["name"] for c in inspect(own_engine).get_columns("listing_report")}
    assert columns == {"id", "listing_slug", "outcome", "day"}
    with own_engine.connect() as conn:
        rows = conn.execute(select(REPORT).where(REPORT.c.listing_slug == slug)).all()
    assert [(r.listing_slug, r.outcome, r.day) for r in rows] == [(slug, "no_answer", date.today())]
    cookies = [v for v in web.cookies.values() if len(v) > 8]
    stored = " ".join(str(v) for v in rows[0])
    assert not any(c in stored for c in cookies)
    assert "127.0.0.1" not in stored and "testclient" not in stored
    thanks = web.get(done.headers["location"])
    assert "Thank you. Your answer helps" in thanks.text


def test_one_report_per_listing_per_browser_session(web: TestClient, own_engine: Engine) -> None:
    slug = slugs(own_engine, 1, 21)[0]
    token = csrf_token(web, f"/counselors/{slug}")
    for outcome in ("got_consult", "no_answer", "not_taking"):
        web.post(f"/counselors/{slug}/report", data={"_csrf_token": token, "outcome": outcome})
    with own_engine.connect() as conn:
        outcomes = conn.execute(
            select(REPORT.c.outcome).where(REPORT.c.listing_slug == slug)
        ).scalars()
        assert list(outcomes) == ["got_consult"]
    again = web.get(f"/counselors/{slug}?reported=already")
    assert "You already answered" in again.text


def test_reports_with_htmx_answer_in_place(web: TestClient, own_engine: Engine) -> None:
    slug = slugs(own_engine, 1, 22)[0]
    token = csrf_token(web, f"/counselors/{slug}")
    done = web.post(
        f"/counselors/{slug}/report",
        data={"_csrf_token": token, "outcome": "got_consult"},
        headers={"HX-Request": "true"},
    )
    assert done.status_code == 200
    assert "Thank you" in done.text and "<html" not in done.text
    empty = web.post(
        f"/counselors/{slug}/report", data={"_csrf_token": token}, headers={"HX-Request": "true"}
    )
    assert "You already answered" in empty.text or "Choose one" in empty.text


def test_a_report_without_an_outcome_asks_for_one(web: TestClient, own_engine: Engine) -> None:
    slug = slugs(own_engine, 1, 23)[0]
    token = csrf_token(web, f"/counselors/{slug}")
    done = web.post(
        f"/counselors/{slug}/report",
        data={"_csrf_token": token, "outcome": "blame"},
        follow_redirects=False,
    )
    assert done.headers["location"].endswith("?reported=choose#report")
    with own_engine.connect() as conn:
        assert not conn.execute(select(REPORT).where(REPORT.c.listing_slug == slug)).all()


def test_reports_are_rate_limited_per_client_address(
    web: TestClient, own_app: Litestar, own_engine: Engine
) -> None:
    own_app.state["report_windows"] = Windows(2, window_seconds=3600)
    token = csrf_token(web, "/counselors")
    codes = [
        web.post(
            f"/counselors/{slug}/report",
            data={"_csrf_token": token, "outcome": "no_answer"},
            follow_redirects=False,
        ).status_code
        for slug in slugs(own_engine, 3, 30)
    ]
    assert codes == [303, 303, 429]
    with own_engine.connect() as conn:
        third = slugs(own_engine, 3, 30)[2]
        assert not conn.execute(select(REPORT).where(REPORT.c.listing_slug == third)).all()


def test_new_browser_sessions_count_once_a_day_for_a_listing(
    web: TestClient, own_engine: Engine
) -> None:
    slug = slugs(own_engine, 1, 33)[0]
    for _ in range(5):
        web.cookies.clear()  # a new browser session each time
        token = csrf_token(web, f"/counselors/{slug}")
        done = web.post(
            f"/counselors/{slug}/report",
            data={"_csrf_token": token, "outcome": "not_taking"},
            follow_redirects=False,
        )
        assert done.status_code == 303
    assert done.headers["location"].endswith("?reported=counted#report")
    said = web.get(done.headers["location"]).text
    assert "from this internet connection already counts for today" in said
    with own_engine.connect() as conn:
        rows = conn.execute(select(REPORT).where(REPORT.c.listing_slug == slug)).all()
    assert len(rows) == 1


def test_the_profile_shows_reports_from_three_on_and_ignores_old_ones(
    web: TestClient, own_engine: Engine
) -> None:
    slug = slugs(own_engine, 1, 40)[0]
    today = date.today()
    with own_engine.begin() as conn:
        conn.execute(
            insert(REPORT),
            [
                {"listing_slug": slug, "outcome": "got_consult", "day": today},
                {"listing_slug": slug, "outcome": "got_consult", "day": today},
                {"listing_slug": slug, "outcome": "no_answer", "day": today - timedelta(days=29)},
                {"listing_slug": slug, "outcome": "no_answer", "day": today - timedelta(days=91)},
            ],
        )
    text = web.get(f"/counselors/{slug}").text
    assert "In the last 30 days, people reported: 2 got a consultation, 1 no answer" in text
    api = web.get(f"/api/counselors/{slug}").json()
    assert api["reports_30d"] == {"no_answer": 1, "not_taking": 0, "got_consult": 2}
    assert api["availability_confirmed"] is None


def test_reports_older_than_90_days_stop_counting(own_engine: Engine) -> None:
    from sqlmodel import Session

    from portal.directory.availability import all_report_counts, to_chase

    slug = slugs(own_engine, 1, 41)[0]
    today = date.today()
    with own_engine.begin() as conn:
        conn.execute(
            insert(REPORT),
            [{"listing_slug": slug, "outcome": "no_answer", "day": today - timedelta(days=90)}] * 3,
        )
    with Session(own_engine) as session:
        assert slug not in all_report_counts(session, today)
        assert slug in all_report_counts(session, today - timedelta(days=1))
        chased = {t.slug: t.reason for t in to_chase(session, today, 30)}
        assert chased.get(slug) != "reported unreachable"


def test_cards_show_whether_the_counselor_confirmed(web: TestClient, own_engine: Engine) -> None:
    page = web.get("/counselors?per_page=50")
    cards = soup(page.text).select("li.card")
    assert cards and all(c.select_one("p.availability") for c in cards)
    assert any("Openings not confirmed in" in c.text for c in cards)


def test_api_items_carry_availability(web: TestClient) -> None:
    items = web.get("/api/counselors?per_page=5").json()["items"]
    assert items
    for item in items:
        assert set(item["reports_30d"]) == {"no_answer", "not_taking", "got_consult"}
        assert "availability_confirmed" in item


@pytest.mark.slow  # a subprocess
def test_the_stale_command_lists_listings_to_chase(
    own_settings: Settings, own_engine: Engine, tmp_path: Path
) -> None:
    slug = slugs(own_engine, 1, 50)[0]
    with own_engine.begin() as conn:
        conn.execute(
            insert(REPORT),
            [{"listing_slug": slug, "outcome": "not_taking", "day": date.today()}] * 3,
        )
        conn.execute(update(L).where(L.c.slug == slug).values(availability_confirmed=date.today()))
    env = {**os.environ, "DATABASE_URL": own_settings.database_url}
    table = subprocess.run(
        [sys.executable, "-m", "portal", "stale", "--days", "30", "--limit", "5"],
        env=env, capture_output=True, text=True, check=True, timeout=60,
    ).stdout  # fmt: skip
    lines = table.splitlines()
    assert lines[0].split()[:2] == ["slug", "name"]
    assert lines[1].startswith(slug) and "reported unreachable" in lines[1]
    assert f"python -m portal listing-link {slug}" in lines[1]
    assert len(lines) == 6
    csv_out = subprocess.run(
        [sys.executable, "-m", "portal", "stale", "--csv", "--limit", "3"],
        env=env, capture_output=True, text=True, check=True, timeout=60,
    ).stdout.splitlines()  # fmt: skip
    assert csv_out[0] == (
        "slug,name,confirmed,days,no_answer,not_taking,got_consult,reason,command"
    )
    assert csv_out[1].startswith(f"{slug},") and ",3,0,reported unreachable," in csv_out[1]


# --- open data -------------------------------------------------------------------------------


def test_the_exports_carry_the_confirmation_and_the_reports(own_engine: Engine) -> None:
    import importlib

    from sqlmodel import Session

    from portal.directory.availability import shown_reports
    from portal.opendata.fhir import VERIFICATION, bundle
    from portal.opendata.hsds_export import items_from_engine, listing_rows
    from portal.opendata.hsds_terms import AVAILABILITY_TAXONOMY, by_name

    confirmed, plain = slugs(own_engine, 2, 60)
    today = date.today()
    with own_engine.begin() as conn:
        conn.execute(update(L).where(L.c.slug == confirmed).values(availability_confirmed=today))
        conn.execute(
            insert(REPORT),
            [{"listing_slug": confirmed, "outcome": "got_consult", "day": today}] * 2
            + [{"listing_slug": confirmed, "outcome": "no_answer", "day": today}],
        )
    with Session(own_engine) as session:
        reports = shown_reports(session, today)
    items = {
        rec["slug"]: (rec, lat, lon) for rec, lat, lon in items_from_engine(own_engine, reports)
    }

    tax = by_name()[AVAILABILITY_TAXONOMY]
    codes = {tax.term_id(code): code for code, _n, _d in tax.terms}
    rows = listing_rows(*items[confirmed])
    assert rows["service"][0]["assured_date"] == today.isoformat()
    attributes = {
        codes[a["taxonomy_term_id"]]: a["value"]
        for a in rows["attribute"]
        if a["taxonomy_term_id"] in codes
    }
    assert attributes == {
        "availability-confirmed": today.isoformat(),
        "reports-30d-no-answer": "1",
        "reports-30d-not-taking": "0",
        "reports-30d-got-consult": "2",
    }
    plain_rows = listing_rows(*items[plain])
    assert plain_rows["service"][0]["assured_date"] == items[plain][0]["last_verified"]

    fhir = bundle([items[confirmed], items[plain]])
    importlib.import_module("fhir.resources.R4B.bundle").Bundle.model_validate(fhir)
    roles = [
        e["resource"] for e in fhir["entry"] if e["resource"]["resourceType"] == "PractitionerRole"
    ]
    status = [
        next(x for x in role["extension"] if x["url"] == VERIFICATION)["valueCodeableConcept"]
        for role in roles
    ]
    assert [s["coding"][0]["code"] for s in status] == ["complete", "incomplete"]
    assert status[0]["text"] == f"Confirmed by the counselor on {today.isoformat()}"


def test_hostile_input_to_the_form_and_the_report_is_handled(
    web: TestClient, own_engine: Engine
) -> None:
    from tests.web.test_hostile_input import PAYLOADS, assert_safe

    slug, token = a_link(own_engine, 70)
    before = listing(own_engine, slug)
    csrf = csrf_token(web, f"/counselors/{slug}")
    for payload in [*PAYLOADS, "A" * 5000]:
        for repeat in (1, 2):
            data: dict[str, object] = {name: [payload] * repeat for name in confirm.FIELDS}
            response = web.post(
                f"/counselors/{slug}/confirm", data={**data, "token": token, "_csrf_token": csrf}
            )
            assert_safe(response, f"confirm {payload[:40]!r}")
            assert response.status_code == 400
            hostile_token = web.post(
                f"/counselors/{slug}/confirm", data={"token": payload, "_csrf_token": csrf}
            )
            assert_safe(hostile_token, f"token {payload[:40]!r}")
            report = web.post(
                f"/counselors/{slug}/report",
                data={"outcome": [payload] * repeat, "_csrf_token": csrf},
                follow_redirects=False,
            )
            assert_safe(report, f"report {payload[:40]!r}")
    assert listing(own_engine, slug) == before
    with own_engine.connect() as conn:
        assert not conn.execute(select(REPORT).where(REPORT.c.listing_slug == slug)).all()
    assert web.get(confirm.link_path(slug, token)).status_code == 200  # never used up
