"""A counselor confirms their listing through a link; people report whether they reached one.

``GET/POST /counselors/{slug}/confirm?token=...``: the form of a confirmation link
(directory/confirm.py). ``POST /counselors/{slug}/report``: one anonymous report
(directory/availability.py); the stored row holds the listing, the outcome and the day.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Controller, Request, get, post
from litestar.enums import MediaType
from litestar.exceptions import NotFoundException, TooManyRequestsException
from litestar.params import FromPath, FromQuery
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template
from sqlalchemy.orm import Session

from portal.directory import availability, confirm
from portal.directory.query import get_listing
from portal.directory.rows import ListingRow
from portal.directory.taxonomy import taxonomy
from portal.i18n import N_
from portal.web import session
from portal.web.deps import DB, AppSettings
from portal.web.rendering import NO_STORE

REPORTS_PER_HOUR = 20
"""Reports one client address may send per hour (counted in this process's memory only: the
app keeps a ``ratelimit.Windows`` of its own for them in ``state.report_windows``)."""
ONE_REPORT_SECONDS = 24 * 3600
"""One client address counts once a day for a listing (``state.report_once``, in memory too):
a new browser session is no way to report the same counselor again and again."""


def _listing(db: Session, slug: str) -> ListingRow:
    listing = get_listing(db, slug[:120])
    if listing is None:
        raise NotFoundException(N_("We could not find that counselor. The link may be old."))
    return listing


def _form_page(
    listing: ListingRow, token: str, form: dict[str, Any], errors: dict[str, str], status: int
) -> Template:
    return Template(
        template_name="availability/confirm.html",
        context={
            "c": listing,
            "token": token,
            "v": form,
            "errors": errors,
            "tax": taxonomy(),
            "answers": confirm.ACCEPTING,
            "today": date.today(),
        },
        status_code=status,
        headers=NO_STORE,
        media_type=MediaType.HTML,
    )


def _link_problem(listing: ListingRow, state: confirm.LinkState) -> Template:
    title, message = confirm.LINK_PROBLEMS[state]
    return Template(
        template_name="availability/link_problem.html",
        context={"c": listing, "title": title, "message": message},
        status_code=410 if state in (confirm.LinkState.EXPIRED, confirm.LinkState.USED) else 400,
        headers=NO_STORE,
        media_type=MediaType.HTML,
    )


class AvailabilityController(Controller):
    path = "/counselors"
    tags = ["pages"]
    include_in_schema = False

    @get("/{slug:str}/confirm", name="confirm-form", sync_to_thread=False)
    def form(
        self, slug: FromPath[str], db: DB, settings: AppSettings, token: FromQuery[str] = ""
    ) -> Template:
        listing = _listing(db, slug)
        state, _ = confirm.check_link(db, settings.secret_key, listing.slug, token[:80],
                                      confirm.utc_now())  # fmt: skip
        if state is not confirm.LinkState.VALID:
            return _link_problem(listing, state)
        return _form_page(listing, token, confirm.form_from_listing(listing, date.today()), {}, 200)

    @post("/{slug:str}/confirm", name="confirm-save")
    async def save(
        self, request: Request, slug: FromPath[str], db: DB, settings: AppSettings
    ) -> Template:
        listing = _listing(db, slug)
        data = await request.form()
        submitted = {key: [str(v) for v in data.getall(key)] for key in data}
        token = (submitted.get("token") or [""])[-1][:80]
        now = confirm.utc_now()
        state, nonce = confirm.check_link(db, settings.secret_key, listing.slug, token, now)
        if state is not confirm.LinkState.VALID or nonce is None:
            return _link_problem(listing, state)
        form = confirm.parse_form(
            submitted, taxonomy(), has_office=bool(listing.city), today=date.today()
        )
        if form.errors:
            return _form_page(listing, token, form.raw, form.errors, 400)
        db.rollback()  # the link's check read in a transaction of its own
        try:
            with db.get_bind().begin() as conn:
                changes = confirm.save(
                    conn,
                    nonce=nonce,
                    slug=listing.slug,
                    values=form.values,
                    accepting_answer=form.raw["accepting"],
                    now=now,
                )
        except confirm.LinkNoLongerValid:
            return _link_problem(listing, confirm.LinkState.USED)
        return Template(
            template_name="availability/confirmed.html",
            context={"c": listing, "changes": changes, "day": date.today()},
            headers=NO_STORE,
            media_type=MediaType.HTML,
        )

    @post("/{slug:str}/report", name="report", status_code=303)
    async def report(
        self, request: HTMXRequest, slug: FromPath[str], db: DB
    ) -> Redirect | Template:
        listing = _listing(db, slug)
        data = await request.form()
        outcome = str(data.get("outcome", ""))
        back = f"/counselors/{listing.slug}"
        if outcome not in availability.OUTCOMES:
            return self._answered(request, listing, back, "choose")
        done = session.reported(request)
        if listing.slug in done:
            return self._answered(request, listing, back, "already")
        client = request.scope.get("client")
        address = client[0] if client else ""
        wait = request.app.state.report_windows.refused_for(address)
        if wait is not None:
            raise TooManyRequestsException(
                detail=N_("Too many reports"), headers={"retry-after": str(max(1, int(wait) + 1))}
            )
        if request.app.state.report_once.refused_for(f"{address} {listing.slug}") is not None:
            return self._answered(request, listing, back, "counted")
        availability.add_report(db, listing.slug, outcome, date.today())
        session.save_reported(request, [*done, listing.slug][-50:])
        return self._answered(request, listing, back, "thanks")

    @staticmethod
    def _answered(
        request: HTMXRequest, listing: ListingRow, back: str, said: str
    ) -> Redirect | Template:
        if request.htmx:
            return Template(
                template_name="directory/_report.html",
                context={"c": listing, "said": said, "outcomes": availability.OUTCOMES},
                status_code=200,
                headers=NO_STORE,
                media_type=MediaType.HTML,
            )
        return Redirect(path=f"{back}?reported={said}#report", status_code=303, headers=NO_STORE)
