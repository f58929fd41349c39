"""The session-only shortlist: /shortlist, a side-by-side comparison with the progress made
with each counselor, and calendar files for a booked appointment and a check-in date."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException
from litestar.params import Body
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Response, Template

from portal.directory import availability, calendar, geo
from portal.directory import preset as preset_
from portal.directory.filters import parse_query
from portal.directory.geo import telehealth_reach, zip_locator
from portal.directory.matching import fit_reasoner, reach_words
from portal.directory.query import get_listing
from portal.directory.rows import ListingRow
from portal.directory.taxonomy import taxonomy
from portal.i18n import N_, Text, translate
from portal.web import cards, session
from portal.web.deps import DB, AppSettings
from portal.web.directory import readiness_filters, safety_rule, with_places
from portal.web.locale import date_in, request_locale
from portal.web.rendering import NO_STORE, page

SHORTLIST_MAX = 20

STATUS_LABELS = {"none": N_("Not contacted"), "left": N_("Message left"), "talked": N_("Talked")}
STATUS_LABELS["booked"] = N_("Booked")
CHECK_IN_WEEKS = 4
"""The "check in again" date offered when the readiness result names none."""
BOOKED_RANGE = (timedelta(days=-365), timedelta(days=2 * 365))
"""Dates a booking may have, around today: a mistyped year is caught, not saved."""
EXAMPLE_AHEAD = timedelta(weeks=2)
"""How far ahead of today the example date of an appointment is."""


def _parse_day(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def _in_range(day: date, today: date) -> bool:
    return today + BOOKED_RANGE[0] <= day <= today + BOOKED_RANGE[1]


def check_in_default(request: Request, today: date) -> date:
    result = session.assessment(request)
    weeks = result.recheck_weeks[0] if result is not None and result.recheck_weeks else None
    return today + timedelta(weeks=weeks or CHECK_IN_WEEKS)


def _no_reasons(listing: ListingRow, /, *, remote_only: bool = False) -> list[str]:
    return []


def _comparison(request: Request, db: DB, listings: list[ListingRow], today: date, fresh: int):
    """One row per counselor: the result card's words, how far away it is or how it is within
    reach (as the directory's cards say it), and why each fits what their readiness result
    asked for."""
    result = session.assessment(request)
    rule = safety_rule(result)
    filters = readiness_filters(result)
    if filters is not None and result is not None:
        filters = with_places(request, result, filters)
    answers = session.answers(request)
    if filters is not None:
        params = preset_.with_changes(preset_.preset_params(filters), session.preset_set(request))
    elif isinstance(answers.get("P1"), str):
        params = {"zip": [answers["P1"]]}
    else:
        params = {}
    query = parse_query(params, taxonomy(), zip_locator(db)).query
    if rule is not None:
        query = rule.on(query)
    locale = request_locale(request)
    reasons = fit_reasoner(query, taxonomy(), locale) if filters else _no_reasons
    reach = telehealth_reach(query.format, query.states, two_homes=query.origin2 is not None)
    reach_said = reach_words(query, taxonomy(), locale)
    origins = tuple(o for o in (query.origin, query.origin2) if o is not None)
    reports = availability.report_counts(db, (listing.slug for listing in listings), today)
    rows = []
    for listing in listings:
        miles = [geo.miles(o, listing.lat, listing.lon) for o in origins]
        within = bool(miles) and all(m <= query.radius for m in miles)
        by_video = (
            not within
            and reach is not None
            and reach.covers(listing.formats, listing.telehealth_states)
        )
        known = bool(miles) and not by_video and all(math.isfinite(m) for m in miles)
        card = cards.card(
            listing,
            miles[0] if known else None,
            reasons,
            today,
            fresh,
            locale=locale,
            caution=rule.caution if rule is not None else None,
            distance2=miles[1] if known and len(miles) > 1 else None,
            reach=reach_said(listing) if by_video else "",
            reports=reports,
            near_you=cards.near_own_home(query, listing) if by_video else None,
        )
        rows.append(card)
    return rows


class ShortlistController(Controller):
    path = "/shortlist"
    tags = ["pages"]
    include_in_schema = False

    @get("/", name="shortlist", sync_to_thread=False)
    def index(self, request: HTMXRequest, db: DB, settings: AppSettings) -> Template:
        return self._page(request, db, settings)

    def _page(
        self,
        request: HTMXRequest,
        db: DB,
        settings: AppSettings,
        *,
        errors: dict[str, str] | None = None,
        typed: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        today = date.today()
        slugs = session.shortlist(request)
        listings = [listing for s in slugs if (listing := get_listing(db, s)) is not None]
        missing = len(slugs) - len(listings)
        rows = _comparison(request, db, listings, today, settings.freshness_days)
        context = {
            "listings": listings,
            "rows": rows,
            "cautions": {r.listing.slug: r.caution for r in rows if r.caution},
            "not_suggested": preset_.CAUTION,
            "missing": missing,
            "tax": taxonomy(),
            "today": today,
            "fresh_since_days": settings.freshness_days,
            "progress": session.tracker(request),
            "booked_on": {
                listing.slug: day
                for listing in listings
                if (day := session.booked_date(request, listing.slug)) is not None
            },
            "statuses": STATUS_LABELS,
            "check_in": check_in_default(request, today),
            "errors": errors or {},
            "typed": typed or {},
            "saved": request.query_params.get("saved", ""),
        }
        return page(request, "shortlist/index.html", context, private=True, status_code=status_code)

    @post("/", name="shortlist-change", status_code=303, sync_to_thread=False)
    def change(
        self,
        request: HTMXRequest,
        db: DB,
        data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Redirect | Template:
        slug = str(data.get("slug", ""))[:120]
        action = data.get("action", "add")
        slugs = session.shortlist(request)
        listing = get_listing(db, slug)
        full = False  # the cookie has no room for one more: said, never shown as added
        if listing is not None:
            if action == "remove":
                slugs = [s for s in slugs if s != slug]
            elif slug not in slugs:
                slugs = [*slugs, slug][-SHORTLIST_MAX:]
            if not session.save_shortlist(request, slugs):
                slugs, full = session.shortlist(request), True
            progress = session.tracker(request)
            if any(s not in slugs for s in progress):
                session.save_tracker(request, {s: e for s, e in progress.items() if s in slugs})
        said = "full" if full else "added" if slug in slugs else "removed"
        if request.htmx and listing is not None:
            return Template(
                template_name="directory/_shortlist_changed.html",
                context={"c": listing, "shortlisted": slug in slugs, "shortlist_done": said},
                status_code=200,
                headers={"cache-control": "no-store"},
            )
        back = data.get("next", "")
        target = back if back.startswith("/") and not back.startswith("//") else "/shortlist"
        if listing is not None and target == f"/counselors/{slug}":
            # Back at the profile's shortlist button, which says what was done.
            target = f"{target}?shortlist={said}#shortlist-{slug}"
        return Redirect(path=target, status_code=303)

    @post("/progress", name="shortlist-progress", status_code=303, sync_to_thread=False)
    def progress(
        self,
        request: HTMXRequest,
        db: DB,
        settings: AppSettings,
        data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Redirect | Template:
        """Record how far the person got with one shortlisted counselor."""
        slug = _one(data.get("slug"))[:120]
        status = _one(data.get("status"))
        typed_day = _one(data.get("booked"))[:40]
        if slug not in session.shortlist(request) or status not in STATUS_LABELS:
            return Redirect(path="/shortlist", status_code=303, headers=NO_STORE)
        today = date.today()
        entry: dict[str, str] = {"status": status}
        error = None
        if status == "booked":
            day = _parse_day(typed_day)
            if day is None:
                error = Text(
                    N_("Enter the date of the appointment, for example {example}."),
                    example=date_in(today + EXAMPLE_AHEAD, request_locale(request)),
                )
            elif not _in_range(day, today):
                error = N_("That date is more than a year ago or two years ahead. Check the year.")
            else:
                entry["booked"] = day.isoformat()
        progress = session.tracker(request)
        if status == "none":
            progress.pop(slug, None)
        elif error is None:
            progress.pop(slug, None)  # last in the order of changes (see session.tracker)
            progress[slug] = entry
        if error is None and not session.save_tracker(request, progress):
            error = N_(
                "This browser cannot keep more for this visit. Erasing the prep sheet makes room."
            )
        if error is not None:
            typed = {"slug": slug, "status": status, "booked": typed_day}
            return self._page(
                request, db, settings, errors={slug: error}, typed=typed, status_code=400
            )
        return Redirect(
            path=f"/shortlist?saved={slug}#progress-{slug}", status_code=303, headers=NO_STORE
        )

    # The calendar files are posted for: a download list keeps the address it came from,
    # and the address of a posted form holds no counselor and no date.
    @post("/appointment.ics", name="shortlist-appointment", status_code=200, sync_to_thread=False)
    def appointment(
        self,
        request: HTMXRequest,
        db: DB,
        data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Response[str]:
        """The booked appointment with one counselor as a calendar file. Its title is
        neutral; the name and phone are in the notes only if asked for (directory/calendar)."""
        slug = str(data.get("slug", ""))[:120]
        day = session.booked_date(request, slug)
        listing = get_listing(db, slug) if day is not None else None
        if day is None or listing is None:
            raise NotFoundException(N_("No appointment is recorded for that counselor."))
        named = data.get("name") == "1"
        event = calendar.appointment(
            day,
            name=listing.name if named else "",
            phone=listing.phone if named else "",
            key=slug,
            say=_say(request),
        )
        return _calendar_file(event, "appointment.ics")

    @post("/check-in.ics", name="shortlist-check-in", status_code=200, sync_to_thread=False)
    def check_in(
        self,
        request: HTMXRequest,
        db: DB,
        settings: AppSettings,
        data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Response[str] | Template:
        typed = str(data.get("date", ""))[:40]
        day = _parse_day(typed)
        today = date.today()
        if day is None or not today <= day <= today + BOOKED_RANGE[1]:
            error = Text(
                N_("Enter a date from today to two years ahead, for example {example}."),
                example=date_in(check_in_default(request, today), request_locale(request)),
            )
            return self._page(
                request,
                db,
                settings,
                errors={"check_in": error},
                typed={"check_in": typed},
                status_code=400,
            )
        return _calendar_file(calendar.check_in(day, say=_say(request)), "check-in.ics")


def _say(request: Request) -> Callable[[str], str]:
    locale = request_locale(request)
    return lambda text: translate(text, locale)


def _calendar_file(event: calendar.Event, filename: str) -> Response[str]:
    return Response(
        calendar.ics(event, now=datetime.now(UTC)),
        media_type="text/calendar; charset=utf-8",
        headers={**NO_STORE, "content-disposition": f'attachment; filename="{filename}"'},
    )


def _one(value: object) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return value if isinstance(value, str) else ""
