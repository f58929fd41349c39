"""The directory pages: /counselors and a profile."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from typing import Annotated, Any
from urllib.parse import urlsplit

from litestar import Controller, Request, get, post
from litestar.enums import MediaType, RequestEncodingType
from litestar.exceptions import NotFoundException
from litestar.params import Body, FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Response, Template

from portal.directory import availability, registry
from portal.directory import preset as preset_
from portal.directory.filters import SORTS, DirectoryQuery, ParsedQuery, parse_query
from portal.directory.geo import zip_locator
from portal.directory.matching import fit_columns, fit_reasoner, miss_reasoner, reach_words
from portal.directory.query import SearchResult, count, get_listing, run_search
from portal.directory.taxonomy import taxonomy
from portal.i18n import DEFAULT, N_, Text, translate, translations
from portal.readiness import Assessment
from portal.states import US_STATES
from portal.web import cards, session
from portal.web.deps import DB, AppSettings
from portal.web.locale import request_locale
from portal.web.outreach import reach_out
from portal.web.rendering import NO_STORE, page, wants_partial

TWO_HOMES_ERROR = N_(
    "We could not find that ZIP code. Enter a 5-digit US ZIP code, such as 60614, or leave it "
    "empty to search from your home alone."
)

WHERE_ERROR = N_("We could not find that ZIP code. Enter a 5-digit US ZIP code, such as 60614.")

FILTER_LABELS = registry.LABELS
RADII = ("5", "10", "25", "50", "100", "250", "500")
"""The distances the form offers, in miles."""


@dataclass(frozen=True)
class FormChoices:
    """What the filter form lists, the same on every page (templates/directory/_filters.html)."""

    terms: dict[str, tuple[tuple[str, str], ...]]
    """facet -> (slug, label) of each of its values"""
    flags: dict[str, tuple[tuple[str, str], ...]]
    """group of the form -> (name, label) of each yes/no filter in it"""
    flag_names: dict[str, frozenset[str]]
    states: tuple[str, ...]
    radii: tuple[str, ...]
    sorts: tuple[tuple[str, str], ...]
    labels: dict[str, str]
    """filter -> its label"""
    any_of: dict[str, str]
    """facet -> the legend of its choices ("Specialties (any of)")"""


@cache
def form_choices(locale: str) -> FormChoices:
    """Built once per language: the form is a fifth of a results page, and pairs unpacked in
    its loops cost a template less than an attribute looked up per option."""
    tax = taxonomy()
    groups = {f.group for f in registry.FLAGS}

    def pairs(items: Any) -> tuple[tuple[str, str], ...]:
        return tuple((key, translate(label, locale)) for key, label in items)

    return FormChoices(
        terms={facet: pairs((t.slug, t.label) for t in tax.terms(facet)) for facet in tax.facets},
        flags={g: pairs((f.name, f.label) for f in registry.flags_in(g)) for g in groups},
        flag_names={g: frozenset(f.name for f in registry.flags_in(g)) for g in groups},
        states=tuple(sorted(US_STATES)),
        radii=RADII,
        sorts=pairs(SORTS.items()),
        labels={name: translate(label, locale) for name, label in FILTER_LABELS.items()},
        any_of={
            facet: translations(locale).gettext("%(filter)s (any of)")
            % {"filter": translate(FILTER_LABELS[facet], locale)}
            for facet in tax.facets
            if facet in FILTER_LABELS
        },
    )


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
        looser = replace(query, radius=wider, page=1)
        n = count(db, looser, today=today, freshness_days=settings.freshness_days)
        if n:
            found.append(
                {
                    "label": Text(N_("Distance up to {miles} miles"), miles=wider),
                    "count": n,
                    "href": looser.query_string(),
                }
            )
    return sorted(found, key=lambda r: -r["count"])[:4]


def readiness_filters(result: Assessment | None) -> dict[str, Any] | None:
    """The directory filters the readiness result chose, or None if it opens no directory."""
    if result is None or result.directory_mode == "none":
        return None
    if result.directory_mode == "on_request":
        return result.on_request_filters
    return result.directory_filters


def with_places(request: Request, result: Assessment, chosen: dict[str, Any]) -> dict[str, Any]:
    """A result's filters with the places given on its directory: the person's own ZIP code
    when the answers held none (a crisis result asks none), and the other home's when the
    result offers a search from two homes (never a safety or crisis result)."""
    own = session.own_zip(request)
    if own and not chosen.get("zip"):
        chosen = {**chosen, "zip": own}
    other = session.other_zip(request)
    if other and preset_.two_homes(result.outcome, result.track, chosen):
        return {**chosen, "zip2": other}
    return chosen


def _set_place(request: Request, name: str, code: str) -> None:
    """A place given on the result's directory also goes into what was set there by hand,
    which is read in place of the result's filters (``with_places``)."""
    by_hand = session.preset_set(request)
    if by_hand is not None:
        if name == "zip2" and by_hand.get("zip") == []:
            return  # the person cleared their own ZIP code: no search from two homes
        session.save_preset_set(request, {**by_hand, name: [code] if code else []})


def _whole_page(request: HTMXRequest, url: str) -> Response[str] | Redirect:
    """Go to ``url`` as a whole page, with or without htmx."""
    if request.htmx:
        return Response("", media_type=MediaType.TEXT, headers={"hx-redirect": url, **NO_STORE})
    return Redirect(path=url, status_code=303, headers=NO_STORE)


def _shown_at(request: HTMXRequest) -> str:
    """The path and query of the page an htmx request was sent from, or ""."""
    current = request.htmx.current_url if request.htmx else None
    if not current:
        return ""
    parts = urlsplit(current)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def safety_rule(result: Assessment | None) -> preset_.SafetyRule | None:
    if result is None:
        return None
    return preset_.safety_rule(result.outcome, result.excluded, taxonomy())


def href_maker(query: DirectoryQuery, *, preset: bool) -> Callable[..., str]:
    """``href(page=2)``: the query string of a link from this results page. A preset page's
    links carry the neutral marker and the page and sort alone (directory.preset)."""

    def href(**overrides: object) -> str:
        changed = replace(query, **overrides) if overrides else query
        return preset_.neutral_query_string(changed) if preset else changed.query_string()

    return href


class DirectoryController(Controller):
    path = "/counselors"
    tags = ["pages"]
    include_in_schema = False

    # Page handlers run on the event loop: every query is bounded (bitmaps, indexes, capped
    # counts) and cheaper than a hop to a worker thread, and busy worker threads would take
    # the GIL from the loop and starve every other request (`make bench-load` shows it).
    @get("/", name="directory", sync_to_thread=False)
    def index(
        self, request: HTMXRequest, db: DB, settings: AppSettings
    ) -> Template | Redirect | Response[str]:
        params = query_params(request)
        answers = session.assessment(request)
        if params.get("from") == ["readiness"]:
            chosen = readiness_filters(answers)
            if answers is not None and chosen is not None:
                return self._result_directory(
                    request, db, settings, answers, chosen, params, posted=False
                )
            # A result's list opened where there is no result (a link someone shared, or the
            # answers erased or expired): every counselor, and why.
            parsed = parse_query({}, taxonomy(), zip_locator(db))
            return self._render(request, db, settings, parsed, answers, headers={}, no_result=True)
        parsed = parse_query(params, taxonomy(), zip_locator(db))
        canonical = parsed.query.query_string()
        headers: dict[str, str] = {}
        if not parsed.errors and canonical != request.url.query:
            # A plain form submits every field, empty ones too; the shared URL should only
            # carry the filters that are set. With errors, keep exactly what was typed.
            url = "/counselors" + (f"?{canonical}" if canonical else "")
            if not wants_partial(request):
                return Redirect(path=url, status_code=302)
            headers["hx-push-url"] = url
        return self._render(request, db, settings, parsed, answers, headers=headers)

    @post("/", name="directory-preset", status_code=200)
    async def preset_form(
        self, request: HTMXRequest, db: DB, settings: AppSettings
    ) -> Template | Redirect | Response[str]:
        """The filter form of a result's directory. It is posted, not sent in its address:
        it holds filters chosen from the person's answers."""
        answers = session.assessment(request)
        chosen = readiness_filters(answers)
        if answers is None or chosen is None:
            # The session ended (or was erased) while the page was open: what the form holds
            # came from answers that are gone, and is never turned into an ordinary search.
            return _whole_page(request, "/counselors?from=readiness")
        form = await request.form()
        params = {key: [str(v) for v in form.getall(key)] for key in form if key != "_csrf_token"}
        return self._result_directory(
            request, db, settings, answers, chosen, {**params, "from": ["readiness"]}, True
        )

    def _result_directory(
        self,
        request: HTMXRequest,
        db: DB,
        settings: AppSettings,
        answers: Assessment,
        chosen: dict[str, Any],
        params: dict[str, list[str]],
        posted: bool,
    ) -> Template | Redirect | Response[str]:
        """The counselors who fit the readiness result (directory.preset). Its address is
        neutral: filters derived from someone's answers (a specialty in domestic violence,
        say) stay out of the browser history. Its links carry the marker and the page and
        sort alone; its form is posted back here. With htmx a posted form swaps the form and
        the results together, so that the form shows what the list now holds and the field
        in use keeps the focus."""
        chosen = with_places(request, answers, chosen)
        if "language" not in chosen and (spoken := request_locale(request)) != DEFAULT:
            # Someone reading in Spanish who named no language for sessions (a crisis result
            # asks none) is shown counselors who speak it.
            chosen = {**chosen, "language": [spoken]}
        rule = safety_rule(answers)
        today = date.today()
        by_hand = session.preset_set(request)
        found = self._preset(db, settings, chosen, params, rule, today, by_hand)
        swap = posted and wants_partial(request)
        typed: ParsedQuery | None = None
        not_kept = False  # a change the session had no room for: shown this once, and said
        if not preset_.is_marker_only(params):
            submitted = parse_query(
                {k: v for k, v in params.items() if k != "from"}, taxonomy(), zip_locator(db)
            )
            if submitted.errors:
                typed = submitted  # the result's counselors, and the form as typed
            elif (changed := preset_.changed_by_hand(found.query, submitted.query)) is not None:
                # Still the result's counselors, with the person's changes kept beside it.
                by_hand = {**(by_hand or {}), **changed}
                not_kept = not session.save_preset_set(request, by_hand)
                found = self._preset(db, settings, chosen, params, rule, today, by_hand)
        headers: dict[str, str] = {}
        neutral = preset_.neutral_query_string(found.query)
        url = f"/counselors?{neutral}"
        if typed is None and not not_kept and (posted or request.url.query != neutral):
            if not wants_partial(request):
                return Redirect(path=url, status_code=303, headers=NO_STORE)
            if _shown_at(request) != url:  # each change would add the same entry again
                headers["hx-push-url"] = url
        # The form shows the preset as it was widened, or as typed when it had errors.
        parsed = (
            ParsedQuery(found.query, typed.errors, typed.raw)
            if typed is not None
            else ParsedQuery(found.query, found.parsed.errors, found.query.to_params())
        )
        return self._render(
            request,
            db,
            settings,
            parsed,
            answers,
            found=found,
            not_kept=not_kept,
            headers=headers,
            whole=swap,
        )

    def _render(
        self,
        request: HTMXRequest,
        db: DB,
        settings: AppSettings,
        parsed: ParsedQuery,
        answers: Assessment | None,
        *,
        found: preset_.Preset | None = None,
        not_kept: bool = False,
        no_result: bool = False,
        headers: dict[str, str],
        whole: bool = False,
    ) -> Template:
        """A page of results, its form beside it; with htmx the results alone, or the form
        and the results together (``whole``). ``answers``: the session's readiness result."""
        rule = safety_rule(answers)
        today = date.today()
        columns = cards.COLUMNS | fit_columns(parsed.query)
        if rule is not None:
            columns |= cards.CAUTION_COLUMNS
        result: SearchResult = run_search(
            db,
            parsed.query,
            today=today,
            freshness_days=settings.freshness_days,
            columns=columns,
        )
        locale = request_locale(request)
        reasons = fit_reasoner(parsed.query, taxonomy(), locale)
        reach = reach_words(parsed.query, taxonomy(), locale)
        misses = miss_reasoner(parsed.query, taxonomy(), locale)
        caution = rule.caution if rule is not None else None
        reports = availability.report_counts(db, (i.listing.slug for i in result.items), today)
        context = {
            "parsed": parsed,
            "q": parsed.query,
            "result": result,
            "cards": [
                cards.card(
                    i.listing,
                    i.distance_miles,
                    reasons,
                    today,
                    settings.freshness_days,
                    locale=locale,
                    caution=caution,
                    distance2=i.distance2_miles,
                    reach=reach(i.listing) if i.telehealth else "",
                    reports=reports,
                    misses=misses,
                    near_you=cards.near_own_home(parsed.query, i.listing) if i.telehealth else None,
                )
                for i in result.items
            ],
            "relax": relaxations(db, parsed, settings, today)
            if result.total == 0 and found is None
            else [],
            "href": href_maker(parsed.query, preset=found is not None),
            "form": form_choices(locale),
            "labels": FILTER_LABELS,
            "shortlist": session.shortlist(request),
            "preset": found is not None,
            "widened": found.widened if found is not None else (),
            "not_kept": not_kept,
            "no_result": no_result,
            "fragment": wants_partial(request) and not whole,
            "whole": whole,
            "active_filters": sum(
                len(values)
                for name, values in parsed.query.to_params(include_paging=False).items()
                if name != "radius"
            ),
            "safety": rule is not None,
            # A result's own list never offers what its safety rule leaves out.
            "ruled_out": {"sees": rule.joint_sees, "modality": rule.joint_modalities}
            if rule is not None and found is not None
            else {},
            "not_suggested": preset_.CAUTION,
            "has_preset": readiness_filters(answers) is not None,
            "today": today,
            "fresh_since_days": settings.freshness_days,
        }
        return page(
            request,
            "directory/index.html",
            context,
            partial="directory/_directory.html" if whole else "directory/_results.html",
            headers=headers,
            # Filters chosen from someone's answers are as private as the answers, and so is
            # a page that marks listings from them.
            private=found is not None or rule is not None,
        )

    @staticmethod
    def _preset(
        db: DB,
        settings: AppSettings,
        chosen: dict[str, Any],
        paging: dict[str, list[str]],
        rule: preset_.SafetyRule | None,
        today: date,
        by_hand: dict[str, list[str]] | None,
    ) -> preset_.Preset:
        def how_many(query: DirectoryQuery) -> int:
            return count(db, query, today=today, freshness_days=settings.freshness_days)

        return preset_.build(
            chosen,
            paging,
            taxonomy=taxonomy(),
            locate=zip_locator(db),
            count=how_many,
            safety=rule,
            by_hand=by_hand,
        )

    @post("/two-homes", name="two-homes", status_code=303, sync_to_thread=False)
    def two_homes(
        self,
        request: HTMXRequest,
        db: DB,
        data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Redirect | Template:
        """The other home's ZIP code from a readiness result: kept in the session (never in
        an address), and the result's counselors found from both homes."""
        answers = session.assessment(request)
        chosen = readiness_filters(answers)
        if answers is None or chosen is None:
            return Redirect(path="/readiness", status_code=303)
        if not preset_.two_homes(answers.outcome, answers.track, chosen):
            return Redirect(path="/counselors?from=readiness", status_code=303)
        typed = str(data.get("zip2", "")).strip()[:20]
        if typed and zip_locator(db)(typed) is None:
            context = {"zip2_value": typed, "zip2_error": TWO_HOMES_ERROR}
            return page(request, "directory/two_homes.html", context, status_code=400, private=True)
        session.save_other_zip(request, typed)
        _set_place(request, "zip2", typed)
        return Redirect(path="/counselors?from=readiness", status_code=303)

    @post("/where", name="where", status_code=303, sync_to_thread=False)
    def where(
        self,
        request: HTMXRequest,
        db: DB,
        data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Redirect | Template:
        """The person's ZIP code, asked by a result's directory that knew no place: kept in
        the session (never in an address), so that it shows counselors licensed there."""
        if readiness_filters(session.assessment(request)) is None:
            return Redirect(path="/readiness", status_code=303)
        typed = str(data.get("zip", "")).strip()[:20]
        if not typed or zip_locator(db)(typed) is None:
            context = {"zip_value": typed, "zip_error": WHERE_ERROR}
            return page(request, "directory/where.html", context, status_code=400, private=True)
        session.save_own_zip(request, typed)
        _set_place(request, "zip", typed)
        return Redirect(path="/counselors?from=readiness", status_code=303)

    @get("/{slug:str}", name="profile", sync_to_thread=False)
    def profile(
        self, request: HTMXRequest, slug: FromPath[str], db: DB, settings: AppSettings
    ) -> Template:
        listing = get_listing(db, slug[:120])
        if listing is None:
            raise NotFoundException(N_("We could not find that counselor. The link may be old."))
        rule = safety_rule(session.assessment(request))
        today = date.today()
        context = {
            "c": listing,
            "caution": rule.caution(listing) if rule is not None else None,
            "not_suggested": preset_.CAUTION,
            "tax": taxonomy(),
            "shortlisted": listing.slug in session.shortlist(request),
            "reach": reach_out(request, listing),
            "today": today,
            "fresh_since_days": settings.freshness_days,
            "available": cards.in_words(
                availability.shown(
                    listing.availability_confirmed,
                    listing.last_verified,
                    availability.report_counts(db, [listing.slug], today).get(listing.slug),
                    today,
                ),
                request_locale(request),
            ),
            "outcomes": availability.OUTCOMES,
            "said": request.query_params.get("reported", ""),
            "shortlist_said": request.query_params.get("shortlist", ""),
        }
        # It shows whether this counselor is on the person's shortlist, and a caution that
        # comes from their answers.
        return page(request, "directory/profile.html", context, private=True)
