"""The directory pages: /counselors, a profile, and the session-only shortlist."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException
from litestar.params import Body, FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template
from markupsafe import Markup

from portal.directory.filters import SORTS, ParsedQuery, parse_query
from portal.directory.geo import zip_locator
from portal.directory.matching import fit_columns, fit_reasoner
from portal.directory.query import SearchResult, count, get_listing, run_search
from portal.directory.taxonomy import taxonomy
from portal.web import cards, session
from portal.web.deps import DB, AppSettings
from portal.web.rendering import page, wants_partial

SHORTLIST_MAX = 20

FILTER_LABELS = {
    "q": "Search words",
    "zip": "ZIP code",
    "radius": "Distance",
    "sees": "Who they see",
    "specialty": "Specialty",
    "modality": "Approach",
    "licence": "Licence",
    "format": "Format",
    "insurance": "Insurance",
    "language": "Language",
    "state": "Telehealth state",
    "max_fee": "Maximum fee",
    "sliding_scale": "Sliding scale",
    "accepting": "Accepting new clients",
    "free_consult": "Free consultation",
    "evenings": "Evenings or weekends",
    "screens_individually": "Screens each person individually",
    "gender": "Gender",
}


def query_params(request: Request) -> dict[str, list[str]]:
    return {key: request.query_params.getall(key) for key in request.query_params}


def relaxations(
    db: DB, parsed: ParsedQuery, settings: AppSettings, today: date
) -> list[dict[str, Any]]:
    """For an empty result: which single filter to clear to get results, and how many."""
    query = parsed.query
    found = []
    for name in query.to_params(include_paging=False):
        if name == "radius":
            continue
        looser = query.without(name)
        n = count(db, looser, today=today, freshness_days=settings.freshness_days)
        if n:
            found.append({"label": FILTER_LABELS[name], "count": n, "href": looser.query_string()})
    if query.origin is not None and query.radius < 100:
        wider = query.radius * 2 if query.radius >= 25 else 50
        looser = query.changed(radius=wider, page=1)
        n = count(db, looser, today=today, freshness_days=settings.freshness_days)
        if n:
            found.append(
                {
                    "label": f"Distance up to {wider} miles",
                    "count": n,
                    "href": looser.query_string(),
                }
            )
    return sorted(found, key=lambda r: -r["count"])[:4]


def readiness_filters(request: Request) -> dict[str, list[str]] | None:
    """The directory filters the readiness result chose, as query parameters."""
    result = session.assessment(request)
    if result is None or result.directory_mode == "none":
        return None
    chosen = (
        result.on_request_filters
        if result.directory_mode == "on_request"
        else result.directory_filters
    )
    params = {
        k: [str(x) for x in v] if isinstance(v, list) else [str(v)] for k, v in chosen.items()
    }
    params["accepting"] = ["1"]
    return params


_FORMS: OrderedDict[Any, Markup] = OrderedDict()
_FORMS_MAX = 256
_FORM_KEY_MAX = 1000  # longer query strings (long search text) are rendered, not kept


def filter_form(
    request: Request, params: dict[str, list[str]], parsed: ParsedQuery
) -> Callable[[], Markup]:
    """The filter form, rendered once per set of query parameters and kept (it depends on
    nothing else: not the results, the session or the date)."""

    def render() -> Markup:
        key = tuple(sorted((k, tuple(v)) for k, v in params.items()))
        cacheable = sum(len(k) + sum(map(len, v)) for k, v in key) <= _FORM_KEY_MAX
        hit = _FORMS.get(key) if cacheable else None
        if hit is not None:
            _FORMS.move_to_end(key)
            return hit
        env = request.app.template_engine.engine  # type: ignore[union-attr]
        html = Markup(
            env.get_template("directory/_filters.html").render(
                parsed=parsed, q=parsed.query, tax=taxonomy(), sorts=SORTS
            )
        )
        if cacheable:
            _FORMS[key] = html
            while len(_FORMS) > _FORMS_MAX:
                _FORMS.popitem(last=False)
        return html

    return render


class DirectoryController(Controller):
    path = "/counselors"
    tags = ["pages"]
    include_in_schema = False

    # Page handlers run on the event loop: every query is bounded (bitmaps, indexes, capped
    # counts) and cheaper than a hop to a worker thread, and busy worker threads would take
    # the GIL from the loop and starve every other request (`make bench-load` shows it).
    @get("/", name="directory", sync_to_thread=False)
    def index(self, request: HTMXRequest, db: DB, settings: AppSettings) -> Template | Redirect:
        params = query_params(request)
        preset = params.get("from") == ["readiness"] and readiness_filters(request)
        if preset:
            params = preset
        parsed = parse_query(params, taxonomy(), zip_locator(db))
        canonical = parsed.query.query_string()
        headers: dict[str, str] = {}
        # The readiness preset keeps a neutral URL: filters derived from someone's answers
        # (a specialty in domestic violence, say) stay out of the browser history.
        if not preset and not parsed.errors and canonical != request.url.query:
            # A plain form submits every field, empty ones too; the shared URL should only
            # carry the filters that are set. With errors, keep exactly what was typed.
            url = "/counselors" + (f"?{canonical}" if canonical else "")
            if not wants_partial(request):
                return Redirect(path=url, status_code=302)
            headers["hx-push-url"] = url
        today = date.today()
        result: SearchResult = run_search(
            db,
            parsed.query,
            today=today,
            freshness_days=settings.freshness_days,
            columns=cards.COLUMNS | fit_columns(parsed.query),
        )
        reasons = fit_reasoner(parsed.query, taxonomy())
        context = {
            "parsed": parsed,
            "q": parsed.query,
            "result": result,
            "cards": cards.render(
                [
                    cards.card(i.listing, i.distance_miles, reasons, today, settings.freshness_days)
                    for i in result.items
                ],
                result.first,
            ),
            "relax": relaxations(db, parsed, settings, today) if result.total == 0 else [],
            "sorts": SORTS,
            "filter_form": filter_form(request, params, parsed),
            "tax": taxonomy(),
            "labels": FILTER_LABELS,
            "shortlist": session.shortlist(request),
            "preset": bool(preset),
            "today": today,
            "fresh_since_days": settings.freshness_days,
        }
        return page(
            request,
            "directory/index.html",
            context,
            partial="directory/_results.html",
            headers=headers,
            # Filters chosen from someone's answers are as private as the answers.
            private=bool(preset),
        )

    @get("/{slug:str}", name="profile", sync_to_thread=False)
    def profile(
        self, request: HTMXRequest, slug: FromPath[str], db: DB, settings: AppSettings
    ) -> Template:
        listing = get_listing(db, slug[:120])
        if listing is None:
            raise NotFoundException("We could not find that counselor. The link may be old.")
        context = {
            "c": listing,
            "tax": taxonomy(),
            "shortlisted": listing.slug in session.shortlist(request),
            "today": date.today(),
            "fresh_since_days": settings.freshness_days,
        }
        # It shows whether this counselor is on the person's shortlist.
        return page(request, "directory/profile.html", context, private=True)


class ShortlistController(Controller):
    path = "/shortlist"
    tags = ["pages"]
    include_in_schema = False

    @get("/", name="shortlist", sync_to_thread=False)
    def index(self, request: HTMXRequest, db: DB, settings: AppSettings) -> Template:
        slugs = session.shortlist(request)
        listings = [listing for s in slugs if (listing := get_listing(db, s)) is not None]
        missing = len(slugs) - len(listings)
        context = {
            "listings": listings,
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
