"""Result cards (portal.web.cards): what each says, escaped as the templates escape."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import markupsafe
from bs4 import BeautifulSoup

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
        "formats": '["video", "in-person"]',
    }
    values.update(changes)
    return ListingRow(values)


def test_the_rows_these_tests_render_have_exactly_the_columns_a_card_reads() -> None:
    # Every test here renders rows of these columns only: a card that read one more would
    # fail them, as a results page (which reads only cards.COLUMNS and fit_columns) would.
    row = listing()
    assert set(row.__dict__) - {"_json"} | set(row.__dict__["_json"]) == cards.COLUMNS


def rendered(*rows: ListingRow, distance: float | None = None, fits: list[str] | None = None):
    made = [cards.card(r, distance, lambda _: fits or [], TODAY, 365) for r in rows]
    html = cards.render(made, 21)
    assert isinstance(html, markupsafe.Markup)
    return BeautifulSoup(html, "html.parser")


def test_a_card_says_who_what_it_costs_and_when() -> None:
    page = rendered(listing(), distance=4.2, fits=["sees couples", "offers video"])
    assert page.ol is not None and page.ol["start"] == "21"
    card = page.select_one("li.card")
    assert card is not None and "card-stale" not in card["class"]
    link = card.select_one("h2 a")
    assert link is not None and link["href"] == "/counselors/ana-ruiz-lmft-chicago-7"
    assert link.get_text() == "Ana Ruiz"
    assert card.select_one(".avatar").get_text() == "AR"  # type: ignore[union-attr]
    assert card.select_one(".pronouns").get_text() == "(she/her)"  # type: ignore[union-attr]
    credential = card.select_one(".credential").get_text(" ", strip=True)  # type: ignore[union-attr]
    assert credential.startswith("LMFT · 12 years · Chicago, IL · about 4.2 mi")
    assert card.select_one(".fits").get_text() == "Why it fits: sees couples; offers video."  # type: ignore[union-attr]
    facts = [li.get_text() for li in card.select(".facts li")]
    assert facts == [
        "$90–$120 per session, sliding scale from $40",
        "Video, In person",
        "Accepting new clients, next opening December 2, 2026",
        "Replies in about 2 days",
    ]
    assert card.select_one(".verified").get_text() == "Verified November 7, 2026"  # type: ignore[union-attr]


def test_the_other_sides_of_each_choice() -> None:
    page = rendered(
        listing(
            pronouns="",
            city="",
            accepting=False,
            reply_days=1,
            fee_max=90,
            sliding_scale=False,
            last_verified=TODAY - timedelta(days=400),
        )
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


def test_every_value_is_escaped() -> None:
    page = rendered(
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


def test_no_cards_is_an_empty_list() -> None:
    assert str(cards.render([], 1)) == '<ol class="cards" start="1">\n</ol>\n'
