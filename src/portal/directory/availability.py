"""Whether a listing can be trusted to answer: the counselor's own confirmation, and what the
people who tried to reach them reported.

Reports are anonymous: a row holds the listing, the outcome and the day, nothing else. They
count for ranking and for the maintainers' list for REPORTS_COUNT_DAYS; a profile and the API
show the last REPORTS_SHOWN_DAYS once there are at least MIN_REPORTS_SHOWN.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.orm import Session

from portal.directory import bitmaps
from portal.i18n.text import N_, Text
from portal.models import Listing, ListingReport

OUTCOMES: dict[str, str] = {
    "no_answer": N_("no answer after a week"),
    "not_taking": N_("not taking new clients"),
    "got_consult": N_("got a consultation"),
}
"""The answers to "Did you try to reach them?", by the value a form posts."""
SHOWN: dict[str, tuple[str, str]] = {
    "got_consult": (N_("{n} got a consultation"), N_("{n} got a consultation")),
    "no_answer": (N_("{n} no answer"), N_("{n} no answer")),
    "not_taking": (N_("{n} not taking new clients"), N_("{n} not taking new clients")),
}
"""How a count reads in "people reported: 2 got a consultation, 1 no answer" (one, many)."""

CONFIRMED_RECENT_DAYS = 30
REPORTS_SHOWN_DAYS = 30
REPORTS_COUNT_DAYS = 90
MIN_REPORTS_SHOWN = 3
MIN_REPORTS_DEMOTE = 3

BOOSTED, PLAIN, DEMOTED = 0, 1, 2
"""Availability tiers, best first: Best match orders listings by tier within fresh ones,
and a DEMOTED listing goes with the stale ones, last."""

REPORT = ListingReport.__table__
LISTING = Listing.__table__


@dataclass(frozen=True, slots=True)
class Counts:
    no_answer: int = 0
    not_taking: int = 0
    got_consult: int = 0

    @property
    def total(self) -> int:
        return self.no_answer + self.not_taking + self.got_consult

    @property
    def unreachable(self) -> int:
        return self.no_answer + self.not_taking

    def as_dict(self) -> dict[str, int]:
        return {"no_answer": self.no_answer, "not_taking": self.not_taking,
                "got_consult": self.got_consult}  # fmt: skip


NO_REPORTS = Counts()


def mostly_unreachable(counts: Counts) -> bool:
    """Enough reports, and more than half of them "no answer" or "not taking"."""
    return counts.total >= MIN_REPORTS_DEMOTE and counts.unreachable * 2 > counts.total


def confirmed_recently(confirmed: date | None, today: date) -> bool:
    return confirmed is not None and (today - confirmed).days <= CONFIRMED_RECENT_DAYS


def availability_tier(confirmed: date | None, counts: Counts, today: date) -> int:
    """BOOSTED for a listing its counselor confirmed within CONFIRMED_RECENT_DAYS or that
    people reached (a consultation reported), DEMOTED for one that people mostly could not
    reach (whatever its confirmation says), PLAIN otherwise. ``counts`` are the reports of the
    last REPORTS_COUNT_DAYS."""
    if mostly_unreachable(counts):
        return DEMOTED
    if confirmed_recently(confirmed, today) or counts.got_consult > 0:
        return BOOSTED
    return PLAIN


@dataclass(frozen=True, slots=True)
class Shown:
    """What a card or a profile says about a listing's availability."""

    confirmed: str  # "Confirmed by the counselor on May 2, 2026" or "Not confirmed in 40 days"
    is_confirmed: bool
    reports: str  # "In the last 30 days, people reported: ..." or ""
    unreachable: bool  # people mostly could not reach them: a plain warning
    parts: tuple[Text, ...] = ()  # the reports' counts, to translate one by one


def _longdate(value: date) -> str:
    return f"{value:%B} {value.day}, {value.year}"


def confirmation_label(confirmed: date | None, last_verified: date, today: date) -> str:
    if confirmed_recently(confirmed, today):
        assert confirmed is not None
        # ``on`` keeps the date itself, for a page that writes dates in its own language.
        return Text(
            N_("Confirmed by the counselor on {day}"), day=_longdate(confirmed), on=confirmed
        )
    since = confirmed if confirmed is not None else last_verified
    days = max(0, (today - since).days)
    return Text(
        N_("Openings not confirmed in 1 day")
        if days == 1
        else N_("Openings not confirmed in {days} days"),
        days=days,
    )


def report_parts(counts: Counts) -> tuple[Text, ...]:
    if counts.total < MIN_REPORTS_SHOWN:
        return ()
    return tuple(
        Text(SHOWN[name][0 if n == 1 else 1], n=n) for name in SHOWN if (n := getattr(counts, name))
    )


def reports_label(counts: Counts) -> str:
    parts = report_parts(counts)
    if not parts:
        return ""
    return Text(
        N_("In the last {days} days, people reported: {parts}"),
        days=REPORTS_SHOWN_DAYS,
        parts=", ".join(parts),
    )


def shown(
    confirmed: date | None, last_verified: date, counts: Counts | None, today: date | None
) -> Shown:
    """``counts``: the reports of the last REPORTS_SHOWN_DAYS; ``today`` None: today."""
    counts = counts or NO_REPORTS
    today = today or date.today()
    return Shown(
        confirmed=confirmation_label(confirmed, last_verified, today),
        is_confirmed=confirmed_recently(confirmed, today),
        reports=reports_label(counts),
        unreachable=mostly_unreachable(counts),
        parts=report_parts(counts),
    )


# --- reading and writing reports ----------------------------------------------------------


def add_report(session: Session, slug: str, outcome: str, day: date) -> None:
    """Store one report: the listing, the outcome and the day, and nothing else."""
    if outcome not in OUTCOMES:
        raise ValueError(outcome)
    session.execute(insert(REPORT).values(listing_slug=slug, outcome=outcome, day=day))
    session.commit()


def _counts(rows: Iterable[tuple[str, str, int]]) -> dict[str, Counts]:
    found: dict[str, dict[str, int]] = {}
    for slug, outcome, n in rows:
        if outcome in OUTCOMES:
            found.setdefault(slug, {})[outcome] = int(n)
    return {slug: Counts(**values) for slug, values in found.items()}


def report_counts(
    session: Session, slugs: Iterable[str], today: date, days: int = REPORTS_SHOWN_DAYS
) -> dict[str, Counts]:
    """The reports of the last ``days`` days for these listings, in one grouped query (a
    results page asks once for all its cards)."""
    wanted = list(dict.fromkeys(slugs))
    if not wanted:
        return {}
    since = today - timedelta(days=days)
    rows = session.connection().execute(_SOME_COUNTS, {"since": since, "slugs": wanted})
    return _counts(rows)


_SOME_COUNTS = (
    select(REPORT.c.listing_slug, REPORT.c.outcome, func.count())
    .where(
        REPORT.c.day > bindparam("since"),
        REPORT.c.listing_slug.in_(bindparam("slugs", expanding=True)),
    )
    .group_by(REPORT.c.listing_slug, REPORT.c.outcome)
)
"""Built once and run on the Core connection, as every card and profile asks (building it
through the ORM session cost as much as the rest of a profile's reads)."""


def all_report_counts(
    session: Session, today: date, days: int = REPORTS_COUNT_DAYS
) -> dict[str, Counts]:
    """Every listing's reports of the last ``days`` days (only listings that have some)."""
    since = today - timedelta(days=days)
    rows = session.execute(
        select(REPORT.c.listing_slug, REPORT.c.outcome, func.count())
        .where(REPORT.c.day > since)
        .group_by(REPORT.c.listing_slug, REPORT.c.outcome)
    )
    return _counts(rows)


def shown_reports(session: Session, today: date) -> Callable[[str], dict[str, int]]:
    """Each listing's reports as the API shows them (the last REPORTS_SHOWN_DAYS), by slug,
    read in one grouped query (an export asks for every listing)."""
    counts = all_report_counts(session, today, REPORTS_SHOWN_DAYS)
    return lambda slug: counts.get(slug, NO_REPORTS).as_dict()


@dataclass(frozen=True, eq=False)  # hashed as itself: one object per data version and day
class Tiers:
    """The listings (by id) above and below the plain ones in Best match."""

    boosted: frozenset[int]
    demoted: frozenset[int]
    boosted_bitmap: int = 0  # the same, as bitmaps (directory/bitmaps.py)
    demoted_bitmap: int = 0
    # For SQL: the boosted are those confirmed since this day and not demoted, and those
    # reached (few: reports are), as thousands of confirmed ids would not fit a statement.
    confirmed_since: date | None = None
    reached: frozenset[int] = frozenset()

    def group(self, is_fresh: Callable[[int], bool]) -> Callable[[int], int]:
        """Best match's first key of a listing, by id: 0 boosted (and fresh), 1 plain and
        fresh, 2 stale or mostly unreachable."""
        boosted, demoted = self.boosted, self.demoted

        def group(i: int) -> int:
            if i in demoted or not is_fresh(i):
                return 2
            return 0 if i in boosted else 1

        return group


NO_TIERS = Tiers(frozenset(), frozenset())


def tiers(session: Session, today: date) -> Tiers:
    """Every listing that is not PLAIN, read in two queries: the recently confirmed ones,
    and the reports of the last REPORTS_COUNT_DAYS grouped by listing."""
    c = LISTING.c
    confirmed_since = today - timedelta(days=CONFIRMED_RECENT_DAYS)
    confirmed = dict(
        session.execute(
            select(c.slug, c.availability_confirmed).where(
                c.availability_confirmed >= confirmed_since
            )
        ).all()
    )
    counts = all_report_counts(session, today)
    slugs = set(confirmed) | set(counts)
    if not slugs:
        return NO_TIERS
    ids = dict(session.execute(select(c.slug, c.id).where(c.slug.in_(list(slugs)))).all())
    boosted, demoted, reached = set(), set(), set()
    for slug, listing_id in ids.items():
        tier = availability_tier(confirmed.get(slug), counts.get(slug, NO_REPORTS), today)
        if tier == BOOSTED:
            boosted.add(listing_id)
            if slug not in confirmed:
                reached.add(listing_id)
        elif tier == DEMOTED:
            demoted.add(listing_id)
    if not boosted and not demoted:
        return NO_TIERS
    return Tiers(
        frozenset(boosted),
        frozenset(demoted),
        bitmaps.from_ids(sorted(boosted)),
        bitmaps.from_ids(sorted(demoted)),
        confirmed_since,
        frozenset(reached),
    )


# --- for maintainers -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ToChase:
    slug: str
    name: str
    confirmed: date | None
    days: int  # since the confirmation, or since the listing was last verified
    counts: Counts  # reports of the last REPORTS_COUNT_DAYS
    reason: str


def to_chase(session: Session, today: date, days: int, limit: int | None = None) -> list[ToChase]:
    """Listings to ask to confirm: those people mostly could not reach first, then those not
    confirmed in ``days`` days, longest first."""
    c = LISTING.c
    counts = all_report_counts(session, today)
    since = today - timedelta(days=days)
    unconfirmed = (c.availability_confirmed.is_(None)) | (c.availability_confirmed < since)
    unreachable = [slug for slug, n in counts.items() if mostly_unreachable(n)]
    columns = (c.slug, c.name, c.availability_confirmed, c.last_verified)
    rows = list(session.execute(select(*columns).where(c.slug.in_(unreachable))))
    seen = {r[0] for r in rows}
    stmt = (
        select(*columns)
        .where(unconfirmed)
        .order_by(func.coalesce(c.availability_confirmed, c.last_verified), c.slug)
    )
    if limit:
        stmt = stmt.limit(limit + len(seen))
    rows += [r for r in session.execute(stmt).all() if r[0] not in seen]
    found = []
    for slug, name, confirmed, verified in rows:
        n = counts.get(slug, NO_REPORTS)
        since_day = confirmed if confirmed is not None else verified
        found.append(
            ToChase(
                slug=slug,
                name=name,
                confirmed=confirmed,
                days=max(0, (today - since_day).days),
                counts=n,
                reason="reported unreachable" if mostly_unreachable(n) else "not confirmed",
            )
        )
    found.sort(key=lambda t: (t.reason != "reported unreachable", -t.days, t.slug))
    return found[:limit] if limit else found
