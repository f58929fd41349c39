"""Result cards (portal.web.cards and templates/directory/_card.html): what each says, every
value escaped by the template."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup
from jinja2 import Template
from litestar import Litestar

from portal.directory.preset import CAUTION
from portal.directory.rows import ListingRow
from portal.web import cards

TODAY = date(2026, 11, 27)
HOSTILE = "<script>alert('x')</script> & \"quoted\""


def listing(**changes: Any) -> ListingRow:
    values: dict[str, Any] = {
        "id": 7,
        "slug": "ana-ruiz-lmft-chicago-7",
        "name": "Ana Ruiz",
        "pronouns": "she/her",
        "licence_type": "lmft",
        "years_in_practice": 12,
        "city": "Chicago",
        "state": "IL",
        "fee_min": 90,
        "fee_max": 120,
        "sliding_scale": True,
        "sliding_floor": 40,
        "accepting": True,
        "next_opening": TODAY + timedelta(days=5),
        "reply_days": 2,
        "last_verified": TODAY - timedelta(days=20),
        "availability_confirmed": None,
        "formats": '["video", "in-person"]',
    }
    values.update(changes)
    return ListingRow(values)


def test_the_rows_these_tests_render_have_exactly_the_columns_a_card_reads() -> None:
    # Every test here renders rows of these columns only: a card that read one more would
    # fail them, as a results page (which reads only cards.COLUMNS and fit_columns) would.
    row = listing()
    assert set(row.__dict__) - {"_json"} | set(row.__dict__["_json"]) == cards.COLUMNS


@pytest.fixture(scope="module")
def template(app: Litestar) -> Template:
    return app.template_engine.engine.get_template("directory/_card.html")  # type: ignore[union-attr]


def rendered(
    template: Template,
    row: ListingRow,
    distance: float | None = None,
    fits: list[str] | None = None,
    caution: str | None = None,
) -> BeautifulSoup:
    made = cards.card(
        row, distance, lambda _, **kw: fits or [], TODAY, 365, caution=lambda _: caution
    )
    return BeautifulSoup(template.module.card(made, CAUTION), "html.parser")  # type: ignore[attr-defined]


def test_a_card_says_who_what_it_costs_and_when(template: Template) -> None:
    page = rendered(template, listing(), distance=4.2, fits=["sees couples", "offers video"])
    card = page.select_one("li.card")
    assert card is not None and "card-stale" not in card["class"]
    link = card.select_one("h2 a")
    assert link is not None and link["href"] == "/counselors/ana-ruiz-lmft-chicago-7"
    assert link.get_text() == "Ana Ruiz"
    assert card.select_one(".avatar").get_text() == "AR"  # type: ignore[union-attr]
    assert card.select_one(".pronouns").get_text() == "(she/her)"  # type: ignore[union-attr]
    credential = card.select_one(".credential").get_text(" ", strip=True)  # type: ignore[union-attr]
    assert credential == (
        "LMFT · 12 years in practice · Chicago, IL · about 4.2 mi (ZIP center to ZIP center)"
    )
    assert card.select_one(".caution") is None
    assert card.select_one(".fits").get_text() == "Why it fits: sees couples; offers video."  # type: ignore[union-attr]
    facts = [li.get_text() for li in card.select(".facts li")]
    assert facts == [
        "$90–$120 per session, sliding scale from $40",
        "Video, In person",
        "Accepting new clients, next opening December 2, 2026",
        "Replies in about 2 days",
    ]
    assert card.select_one(".verified").get_text() == "Verified November 7, 2026"  # type: ignore[union-attr]


def test_a_distance_is_as_precise_as_zip_centers_in_the_pages_number_format() -> None:
    def where(distance: float, distance2: float | None = None, locale: str = "en") -> str:
        return cards.card(
            listing(), distance, lambda _, **kw: [], TODAY, 365, distance2=distance2, locale=locale
        ).where

    assert where(0.0) == "under 1 mi"
    assert where(12.0) == "about 12 mi"
    assert where(4.2, locale="es") == "a unas 4,2 millas"
    assert where(0.3, 7.5) == "under 1 mi from you, about 7.5 mi from the other home"
    assert where(0.3, 7.5, "es") == "a menos de 1 milla de usted, a unas 7,5 millas de la otra casa"


def test_the_other_sides_of_each_choice(template: Template) -> None:
    page = rendered(
        template,
        listing(
            pronouns="",
            city="",
            accepting=False,
            reply_days=1,
            fee_max=90,
            sliding_scale=False,
            last_verified=TODAY - timedelta(days=400),
        ),
    )
    card = page.select_one("li.card")
    assert card is not None and "card-stale" in card["class"]
    assert card.select_one(".pronouns") is None and card.select_one(".fits") is None
    assert "Telehealth only" in card.select_one(".credential").get_text()  # type: ignore[union-attr]
    assert "mi" not in card.select_one(".credential").get_text()  # type: ignore[union-attr]
    facts = [li.get_text() for li in card.select(".facts li")]
    assert facts[0] == "$90 per session"
    assert facts[2:] == ["Not taking new clients", "Replies in about 1 day"]
    assert card.select_one(".badge-stale") is not None
    verified = card.select_one(".verified").get_text()  # type: ignore[union-attr]
    assert verified == "Not verified recently Last verified October 23, 2025"


def test_an_opening_already_past_is_not_shown() -> None:
    made = cards.card(
        listing(next_opening=TODAY - timedelta(days=1)), None, lambda _, **kw: [], TODAY, 365
    )
    assert made.opening == ""


def test_a_listing_not_suggested_says_why_and_never_that_it_fits(template: Template) -> None:
    page = rendered(
        template,
        listing(),
        fits=["sees couples"],
        caution="sees people only together, which is not safe after what you told us",
    )
    card = page.select_one("li.card")
    assert card is not None and "card-caution" in card["class"]
    assert card.select_one(".fits") is None
    caution = card.select_one(".caution").get_text()  # type: ignore[union-attr]
    assert caution == (
        f"{CAUTION}: sees people only together, which is not safe after what you told us"
    )


def test_every_value_is_escaped(template: Template) -> None:
    page = rendered(
        template,
        listing(name=f"Ana {HOSTILE} Ruiz", pronouns=HOSTILE, slug=HOSTILE, city=HOSTILE),
        fits=[HOSTILE],
    )
    assert page.find("script") is None
    card = page.select_one("li.card")
    assert card is not None
    assert card.select_one("h2 a")["href"] == f"/counselors/{HOSTILE}"  # type: ignore[index]
    assert HOSTILE in card.select_one("h2 a").get_text()  # type: ignore[union-attr]
    assert card.select_one(".pronouns").get_text() == f"({HOSTILE})"  # type: ignore[union-attr]
    assert HOSTILE in card.select_one(".credential").get_text()  # type: ignore[union-attr]
    assert HOSTILE in card.select_one(".fits").get_text()  # type: ignore[union-attr]
    warned = rendered(template, listing(), caution=HOSTILE)
    assert warned.find("script") is None
    assert HOSTILE in warned.select_one(".caution").get_text()  # type: ignore[union-attr]
