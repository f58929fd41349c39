"""Availability: the tiers of Best match, the labels, the confirmation form and its links."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import Engine, insert, select
from sqlmodel import Session

from portal.db import make_engine
from portal.directory import confirm
from portal.directory.availability import (
    BOOSTED,
    DEMOTED,
    PLAIN,
    Counts,
    availability_tier,
    confirmation_label,
    reports_label,
    shown,
)
from portal.directory.confirm import LinkState
from portal.directory.taxonomy import taxonomy
from portal.migrate import create_schema
from portal.models import Listing, ListingLink

TODAY = date(2026, 12, 7)
NOW = datetime(2026, 12, 7, 12, 0)
SECRET = "unit-test-secret-for-listing-links-0123456789"


# --- tiers ---------------------------------------------------------------------------------


def test_a_listing_confirmed_within_30_days_is_boosted() -> None:
    assert availability_tier(TODAY - timedelta(days=30), Counts(), TODAY) == BOOSTED
    assert availability_tier(TODAY - timedelta(days=31), Counts(), TODAY) == PLAIN
    assert availability_tier(None, Counts(), TODAY) == PLAIN


def test_a_listing_people_reached_is_boosted() -> None:
    assert availability_tier(None, Counts(got_consult=1), TODAY) == BOOSTED


def test_a_listing_people_mostly_could_not_reach_goes_last_even_if_confirmed() -> None:
    mostly = Counts(no_answer=2, not_taking=1, got_consult=1)
    assert availability_tier(TODAY, mostly, TODAY) == DEMOTED
    assert availability_tier(None, Counts(no_answer=1, not_taking=1), TODAY) == PLAIN  # too few
    half = Counts(no_answer=2, got_consult=2)
    assert availability_tier(None, half, TODAY) == BOOSTED  # not mostly


# --- labels --------------------------------------------------------------------------------


def test_the_confirmation_label_gives_the_day_or_how_long_ago() -> None:
    recent = confirmation_label(date(2026, 12, 1), date(2026, 12, 1), TODAY)
    assert recent == "Confirmed by the counselor on December 1, 2026"
    assert confirmation_label(date(2026, 10, 1), date(2026, 10, 1), TODAY) == (
        "Openings not confirmed in 67 days"
    )
    assert confirmation_label(None, date(2026, 12, 6), TODAY) == "Openings not confirmed in 1 day"


def test_reports_show_from_three_on() -> None:
    assert reports_label(Counts(no_answer=1, got_consult=1)) == ""
    assert reports_label(Counts(no_answer=1, got_consult=2)) == (
        "In the last 30 days, people reported: 2 got a consultation, 1 no answer"
    )
    assert "3 not taking new clients" in reports_label(Counts(not_taking=3))


def test_shown_marks_a_listing_people_mostly_could_not_reach() -> None:
    assert shown(None, TODAY, Counts(no_answer=3), TODAY).unreachable
    assert not shown(None, TODAY, Counts(got_consult=3), TODAY).unreachable
    assert shown(TODAY, TODAY, None, TODAY).is_confirmed


# --- the form ------------------------------------------------------------------------------


def _form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "accepting": "new",
        "next_opening": "2027-01-15",
        "formats": ["video", "phone"],
        "fee_min": "90",
        "fee_max": "$120",
        "insurance": ["aetna", "made-up"],
    }
    data.update(changes)
    return data


def test_a_valid_form_is_parsed() -> None:
    form = confirm.parse_form(_form(), taxonomy(), has_office=False, today=TODAY)
    assert form.errors == {}
    assert form.values == {
        "accepting": True,
        "next_opening": date(2027, 1, 15),
        "formats": ["video", "phone"],
        "fee_min": 90,
        "fee_max": 120,
        "insurance": ["aetna"],
    }


def test_existing_clients_only_is_not_accepting_new_clients() -> None:
    form = confirm.parse_form(_form(accepting="existing"), taxonomy(), has_office=True, today=TODAY)
    assert form.values["accepting"] is False


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"accepting": "maybe"}, "accepting"),
        ({"next_opening": "15/01/2027"}, "next_opening"),
        ({"next_opening": "2026-12-01"}, "next_opening"),
        ({"formats": []}, "formats"),
        ({"formats": ["in-person"]}, "formats"),  # no office
        ({"fee_min": "ninety"}, "fee_min"),
        ({"fee_min": "200", "fee_max": "100"}, "fee_max"),
    ],
)
def test_bad_input_gets_a_clear_error_and_keeps_what_was_typed(
    changes: dict[str, object], field: str
) -> None:
    form = confirm.parse_form(_form(**changes), taxonomy(), has_office=False, today=TODAY)
    assert set(form.errors) == {field}
    for name, value in changes.items():
        assert form.raw[name] == value


# --- links ---------------------------------------------------------------------------------


@pytest.fixture
def engine(tmp_path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'links.db'}")
    create_schema(engine)
    yield engine
    engine.dispose()


def _issue(engine: Engine, slug: str = "ana", now: datetime = NOW, days: int = 14) -> str:
    with engine.begin() as conn:
        return confirm.issue_link(conn, SECRET, slug, now, days=days)


def _state(engine: Engine, token: str, slug: str = "ana", now: datetime = NOW) -> LinkState:
    with engine.connect() as conn:
        return confirm.check_link(conn, SECRET, slug, token, now)[0]


def test_a_new_link_is_valid_for_its_listing(engine: Engine) -> None:
    token = _issue(engine)
    assert _state(engine, token) is LinkState.VALID
    assert confirm.link_path("ana", token) == f"/counselors/ana/confirm?token={token}"


def test_a_link_expires(engine: Engine) -> None:
    token = _issue(engine, days=14)
    assert _state(engine, token, now=NOW + timedelta(days=13)) is LinkState.VALID
    assert _state(engine, token, now=NOW + timedelta(days=14, seconds=1)) is LinkState.EXPIRED


def test_a_link_is_for_one_listing(engine: Engine) -> None:
    token = _issue(engine, "ana")
    assert _state(engine, token, slug="bea") is LinkState.OTHER_LISTING


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-1] + ("0" if t[-1] != "0" else "1"),  # the signature
        lambda t: ("f" if t[0] != "f" else "e") + t[1:],  # the nonce
        lambda t: t.split(".")[0],
        lambda t: "",
        lambda t: "x" * 73,
    ],
)
def test_a_changed_link_does_not_work(engine: Engine, tamper) -> None:  # type: ignore[no-untyped-def]
    assert _state(engine, tamper(_issue(engine))) is LinkState.MALFORMED


def test_a_link_signed_with_another_secret_does_not_work(engine: Engine) -> None:
    token = _issue(engine)
    with engine.connect() as conn:
        assert confirm.check_link(conn, "another-secret", "ana", token, NOW)[0] is (
            LinkState.MALFORMED
        )


def test_a_stored_link_moved_to_another_listing_does_not_verify(engine: Engine) -> None:
    token = _issue(engine, "ana")
    with engine.begin() as conn:
        table = ListingLink.__table__
        conn.execute(table.update().values(listing_slug="bea"))
    assert _state(engine, token, slug="bea") is LinkState.MALFORMED


def test_saving_uses_the_link_up_once(engine: Engine) -> None:
    listing = Listing.__table__
    with engine.begin() as conn:
        conn.execute(
            insert(listing).values(
                slug="ana", name="Ana Ruiz", gender="woman", licence_type="lmft",
                licence_number="X", years_in_practice=3, fee_min=80, fee_max=100,
                last_verified=date(2026, 1, 1), phone="1", email="a@example.org", bio="",
                licence_states=[], trainings=[], sees=[], specialties=[], modalities=[],
                formats=["video"], telehealth_states=[], insurance=[], languages=[],
            )
        )  # fmt: skip
    token = _issue(engine)
    nonce = token.split(".")[0]
    values = confirm.parse_form(_form(), taxonomy(), has_office=False, today=TODAY).values
    with engine.begin() as conn:
        changes = confirm.save(
            conn,
            nonce=nonce,
            slug="ana",
            values=values,
            accepting_answer="new",
            now=NOW,
            today=TODAY,
        )
    names = [c[0] for c in changes]
    assert "fee_min" in names and "availability_confirmed" in names and "answer" in names
    with engine.begin() as conn, pytest.raises(confirm.LinkNoLongerValid):
        confirm.save(conn, nonce=nonce, slug="ana", values=values, accepting_answer="new", now=NOW)
    assert _state(engine, token) is LinkState.USED
    with Session(engine) as session:
        row = session.execute(select(listing).where(listing.c.slug == "ana")).one()
    assert row.availability_confirmed == TODAY and row.fee_max == 120
