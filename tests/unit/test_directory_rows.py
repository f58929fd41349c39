"""Listing rows (directory.rows) give what the ORM gives, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session, select

from portal.directory import rows
from portal.models import Listing


def as_listed(listing: Listing, names: tuple[str, ...]) -> dict[str, object]:
    return {name: getattr(listing, name) for name in names}


def test_rows_by_id_have_the_values_and_types_of_the_listing(engine: Engine) -> None:
    with Session(engine) as session:
        listings = session.exec(select(Listing).order_by(Listing.id).limit(25)).all()
        ids = [row.id for row in listings]
        for columns in (rows.CARD, rows.ALL):
            found = rows.by_ids(session, ids, columns)
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


def test_booleans_and_dates_arrive_as_python_values(engine: Engine) -> None:
    with Session(engine) as session:
        listing = session.exec(
            select(Listing).where(Listing.next_opening.is_not(None))  # type: ignore[union-attr]
        ).first()
        assert listing is not None
        row = rows.by_ids(session, [listing.id], rows.CARD)[listing.id]  # type: ignore[list-item]
        assert isinstance(row.accepting, bool) and isinstance(row.evenings, bool)
        assert isinstance(row.next_opening, date) and isinstance(row.last_verified, date)
        assert isinstance(row.languages, list)


def test_missing_ids_are_left_out(engine: Engine) -> None:
    with Session(engine) as session:
        first = session.exec(select(Listing.id).order_by(Listing.id)).first()
        assert first is not None
        assert list(rows.by_ids(session, [first, 10**9], rows.CARD)) == [first]
        assert rows.by_ids(session, [], rows.CARD) == {}


def test_a_row_by_slug_is_the_whole_listing(engine: Engine) -> None:
    with Session(engine) as session:
        listing = session.exec(select(Listing).order_by(Listing.id.desc())).first()  # type: ignore[union-attr]
        assert listing is not None
        row = rows.by_slug(session, listing.slug)
        assert row is not None
        assert as_listed(row, rows.ALL.names) == as_listed(listing, rows.ALL.names)  # type: ignore[arg-type]
        assert rows.by_slug(session, "no-such-counselor") is None
        assert rows.by_slug(session, "bad\x00slug") is None
        assert rows.by_slug(session, "' OR 1=1 --") is None


def test_a_session_that_has_begun_reads_its_own_changes(engine: Engine) -> None:
    with Session(engine) as session:
        listing = session.exec(select(Listing).order_by(Listing.id)).first()
        assert listing is not None and listing.id is not None
        listing.name = "Changed In This Session"
        session.flush()
        assert rows.by_ids(session, [listing.id])[listing.id].name == "Changed In This Session"
        assert rows.by_slug(session, listing.slug).name == "Changed In This Session"  # type: ignore[union-attr]
        session.rollback()
