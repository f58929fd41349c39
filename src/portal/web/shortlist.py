"""The session-only shortlist: /shortlist."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from portal.directory import preset as preset_
from portal.directory.query import get_listing
from portal.directory.taxonomy import taxonomy
from portal.web import session
from portal.web.deps import DB, AppSettings
from portal.web.directory import safety_rule
from portal.web.rendering import page

SHORTLIST_MAX = 20


class ShortlistController(Controller):
    path = "/shortlist"
    tags = ["pages"]
    include_in_schema = False

    @get("/", name="shortlist", sync_to_thread=False)
    def index(self, request: HTMXRequest, db: DB, settings: AppSettings) -> Template:
        slugs = session.shortlist(request)
        listings = [listing for s in slugs if (listing := get_listing(db, s)) is not None]
        missing = len(slugs) - len(listings)
        rule = safety_rule(session.assessment(request))
        context = {
            "listings": listings,
            "not_suggested": preset_.CAUTION,
            "cautions": {
                listing.slug: rule.caution(listing) for listing in listings if rule is not None
            },
            "missing": missing,
            "tax": taxonomy(),
            "today": date.today(),
            "fresh_since_days": settings.freshness_days,
        }
        return page(request, "shortlist/index.html", context, private=True)

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
        if listing is not None:
            if action == "remove":
                slugs = [s for s in slugs if s != slug]
            elif slug not in slugs:
                slugs = [*slugs, slug][-SHORTLIST_MAX:]
            session.save_shortlist(request, slugs)
        if request.htmx and listing is not None:
            return Template(
                template_name="directory/_shortlist_button.html",
                context={"c": listing, "shortlisted": slug in slugs, "announce": True},
                status_code=200,
                headers={"cache-control": "no-store"},
            )
        back = data.get("next", "")
        target = back if back.startswith("/") and not back.startswith("//") else "/shortlist"
        return Redirect(path=target, status_code=303)
