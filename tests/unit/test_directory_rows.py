"""Listing rows read through the driver give what the ORM gives, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from portal.directory import rows
from portal.models import Listing

Reader = Callable[[Session], Session]


@pytest.fixture(params=["driver", "driver, pooled", "sqlalchemy"])
def read(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, engine: Engine
) -> Iterator[Reader]:
    """Each test runs on the driver's read, in the session's transaction and on a pooled
    connection of its own (a session that has read nothing yet), and on SQLAlchemy's (a
    driver rows.py does not speak). Tests read rows through the session this gives."""
    if request.param == "sqlalchemy":
        monkeypatch.setattr(rows, "_driver_rows", lambda *args: None)
    if request.param != "driver, pooled":
        yield lambda session: session
        return
    with Session(engine) as fresh:
        yield lambda session: fresh
        assert not fresh.in_transaction()


def as_listed(listing: Listing, names: tuple[str, ...]) -> dict[str, object]:
    return {name: getattr(listing, name) for name in names}


def test_rows_by_id_have_the_values_and_types_of_the_listing(engine: Engine, read: Reader) -> None:
    with Session(engine) as session:
        listings = session.exec(select(Listing).order_by(Listing.id).limit(25)).all()
        ids = [row.id for row in listings]
        for columns in (rows.CARD, rows.ALL):
            found = rows.by_ids(read(session), ids, columns)
            assert sorted(found) == ids
            for listing in listings:
                row = found[listing.id]
                values = as_listed(row, columns.names)  # type: ignore[arg-type]
                assert values == as_listed(listing, columns.names)
                for name in columns.names:
                    expected = type(getattr(listing, name))
                    assert type(values[name]) is expected, name
        assert set(rows.CARD.names) == rows.CARD_COLUMNS
        assert "bio" not in rows.CARD.names and "bio" in rows.ALL.names


def test_booleans_and_dates_arrive_as_python_values(engine: Engine, read: Reader) -> None:
    with Session(engine) as session:
        listing = session.exec(
            select(Listing).where(Listing.next_opening.is_not(None))  # type: ignore[union-attr]
        ).first()
        assert listing is not None
        row = rows.by_ids(read(session), [listing.id], rows.CARD)[listing.id]  # type: ignore[list-item]
        assert isinstance(row.accepting, bool) and isinstance(row.evenings, bool)
        assert isinstance(row.next_opening, date) and isinstance(row.last_verified, date)
        assert isinstance(row.languages, list)


def test_missing_ids_are_left_out(engine: Engine, read: Reader) -> None:
    with Session(engine) as session:
        first = session.exec(select(Listing.id).order_by(Listing.id)).first()
        assert first is not None
        assert list(rows.by_ids(read(session), [first, 10**9], rows.CARD)) == [first]
        assert rows.by_ids(read(session), [], rows.CARD) == {}


def test_a_row_by_slug_is_the_whole_listing(engine: Engine, read: Reader) -> None:
    with Session(engine) as session:
        listing = session.exec(select(Listing).order_by(Listing.id.desc())).first()  # type: ignore[union-attr]
        assert listing is not None
        row = rows.by_slug(read(session), listing.slug)
        assert row is not None
        assert as_listed(row, rows.ALL.names) == as_listed(listing, rows.ALL.names)  # type: ignore[arg-type]
        assert rows.by_slug(read(session), "no-such-counselor") is None
        assert rows.by_slug(read(session), "bad\x00slug") is None
        assert rows.by_slug(read(session), "' OR 1=1 --") is None


def test_a_session_that_has_begun_reads_its_own_changes(engine: Engine) -> None:
    with Session(engine) as session:
        listing = session.exec(select(Listing).order_by(Listing.id)).first()
        assert listing is not None and listing.id is not None
        listing.name = "Changed In This Session"
        session.flush()
        assert rows.by_ids(session, [listing.id])[listing.id].name == "Changed In This Session"
        assert rows.by_slug(session, listing.slug).name == "Changed In This Session"  # type: ignore[union-attr]
        session.rollback()


def test_a_session_that_has_read_nothing_is_left_so(engine: Engine) -> None:
    with Session(engine) as session:
        assert rows.by_ids(session, [1, 2, 3])
        assert rows.by_slug(session, "no-such-counselor") is None
        assert not session.in_transaction()
