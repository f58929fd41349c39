"""The session-prep sheet: a form (/prep), its printable preview (/prep/sheet), a blank sheet
(/prep/blank) and the one-click discreet switch (POST /prep/mode).

Nothing here touches the database except to look up the chosen counselor: the sheet lives in
the person's expiring session cookie, and "erase everything" removes it with the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from babel.dates import format_date
from litestar import Controller, Request, get, post
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template
from sqlmodel import Session

from portal.directory.query import get_listing
from portal.directory.rows import ListingRow
from portal.directory.taxonomy import taxonomy
from portal.i18n import DEFAULT, N_, translate
from portal.prep import (
    CounselorInfo,
    applies,
    attending_alone,
    audience,
    compose,
    discreet_by_default,
    estimate_pages,
    from_session,
    longest_texts,
    parse_form,
    prefill,
    question_choices,
    to_session,
)
from portal.prep.content import content
from portal.prep.fields import MODES, SLUG_MAX, TEXT_BY_NAME, tried_choices
from portal.prep.sheet import booked_on, changed_hint
from portal.web import session
from portal.web.deps import DB
from portal.web.locale import request_locale
from portal.web.rendering import NO_STORE, page

NO_COUNSELOR = N_(
    "We couldn't find that counselor. The listing may have changed; type their name instead."
)


NONE = "none"
"""Kept as the counselor when the person chose "None of these" although a booked counselor
was offered: their choice then wins over the booking."""


def counselor_info(listing: ListingRow, booked: date | None = None) -> CounselorInfo:
    office = f"{listing.city}, {listing.state} {listing.zip or ''}".strip() if listing.city else ""
    return CounselorInfo(
        slug=listing.slug,
        name=listing.name,
        credential=taxonomy().label("licence", listing.licence_type),
        licence=listing.licence_number,
        office=office if "in-person" in listing.formats else "",
        video="video" in listing.formats,
        phone=listing.phone,
        booked=booked,
    )


def _lookup(db: Session, slug: str) -> ListingRow | None:
    return get_listing(db, slug[:SLUG_MAX]) if slug else None


def _choices(db: Session, request: HTMXRequest, chosen: ListingRow | None) -> list[CounselorInfo]:
    """The shortlist, plus the counselor the person came from if it is not on it."""
    listings = [x for s in session.shortlist(request) if (x := get_listing(db, s)) is not None]
    if chosen is not None and all(x.slug != chosen.slug for x in listings):
        listings.insert(0, chosen)
    return [counselor_info(x, session.booked_date(request, x.slug)) for x in listings]


def _form_context(
    request: HTMXRequest,
    db: Session,
    values: dict[str, Any],
    *,
    errors: dict[str, str] | None = None,
    too_long: dict[str, int] | None = None,
    no_room: set[str] | None = None,
    saved: bool = False,
) -> dict[str, Any]:
    errors = dict(errors or {})
    chosen = _lookup(db, values.get("counselor", ""))
    if values.get("counselor") not in ("", NONE) and chosen is None:
        errors.setdefault("counselor", NO_COUNSELOR)
    assessment = session.assessment(request)
    aud = audience(assessment)
    fit = applies(session.answers(request))
    return {
        "v": values,
        "errors": errors,
        "too_long": too_long or {},
        "no_room": no_room or set(),
        "saved": saved,
        "labels": {name: spec.label for name, spec in TEXT_BY_NAME.items()},
        "choices": _choices(db, request, chosen),
        "chosen": chosen.slug if chosen else "",
        "has_answers": bool(session.answers(request)),
        "fit": fit,
        "changed_hint": changed_hint(fit),
        "booked_on": booked_on,
        "assessment": assessment,
        "safety_default": discreet_by_default(assessment),
        "alone": attending_alone() if aud.alone else "",
        "questions": question_choices(aud, discreet=bool(values.get("discreet"))),
        "c": content(),
        "tried_labels": [
            (str(o.value), o.label)
            for o in tried_choices(session.answers(request), values.get("tried", ()))
        ],
        "modes": MODES,
    }


def _counselor(
    request: Request, db: Session, stored: dict[str, Any], values: dict[str, Any] | None
) -> str:
    """The counselor on the form and the sheet: the one chosen on the form, else the one booked
    last on the shortlist. "None of these", chosen over a booking, stays chosen."""
    if stored.get("counselor"):
        return values["counselor"] if values else ""
    booked = session.latest_booked(request)
    return booked if _lookup(db, booked) is not None else ""


def _kept(values: dict[str, Any], *, none_chosen: bool) -> dict[str, Any]:
    """``values`` as kept in the session, with "None of these" when it was chosen over a
    booking."""
    kept = to_session(values)
    if none_chosen and not values["counselor"]:
        kept["counselor"] = NONE
    return kept


def _say(request: Request) -> Callable[[str], str]:
    locale = request_locale(request)
    return lambda text: translate(text, locale)


def _day_words(request: Request) -> Callable[[date | None], str]:
    """A booked date as the sheet writes it, in the page's language."""
    locale = request_locale(request)
    if locale == DEFAULT:
        return booked_on
    return lambda day: format_date(day, "full", locale=locale) if day else ""


def _sheet_notes(sheet_pages: int, longest: tuple[str, ...], locale: str) -> tuple[str, ...]:
    if sheet_pages <= 2 or not longest:
        return ()
    fields = translate(N_("{first}” and “{second}"), locale) if len(longest) > 1 else "{first}"
    named = fields.format(
        first=translate(longest[0], locale),
        second=translate(longest[-1], locale),
    )
    return (
        translate(
            N_("Your text makes this about {pages} pages. To fit on two, shorten “{fields}”."),
            locale,
            {"pages": sheet_pages, "fields": named},
        ),
    )


class PrepController(Controller):
    path = "/prep"
    tags = ["pages"]
    include_in_schema = False

    @get("/", name="prep", sync_to_thread=False)
    def form(self, request: HTMXRequest, db: DB) -> Template:
        """The form, from what was saved in this session, else pre-filled from the answers."""
        stored = session.prep(request)
        if stored:
            values = from_session(stored)
        else:
            assessment = session.assessment(request)
            values = prefill(
                session.answers(request),
                discreet=discreet_by_default(assessment),
                assessment=assessment,
                say=_say(request),
            )
        values["counselor"] = _counselor(request, db, stored, values)
        errors: dict[str, str] = {}
        wanted = request.query_params.get("counselor")
        if wanted is not None:
            listing = _lookup(db, wanted.strip())
            if listing is not None:
                values["counselor"] = listing.slug
            elif wanted.strip():
                errors["counselor"] = NO_COUNSELOR
                values["counselor"] = ""
        context = _form_context(request, db, values, errors=errors)
        return page(request, "prep/index.html", context, private=True)

    @post("/", name="prep-save", status_code=303)
    async def save(self, request: HTMXRequest, db: DB) -> Redirect | Template:
        """Keep the sheet in the session and show it; or show the form again, as typed."""
        form = await request.form()
        submitted = {key: [str(v) for v in form.getall(key)] for key in form}
        room = session.room_for(request, session.PREP) - len(f',"counselor":"{NONE}"')
        parsed = parse_form(submitted, budget=room)
        if parsed.values["counselor"] and _lookup(db, parsed.values["counselor"]) is None:
            parsed.errors["counselor"] = NO_COUNSELOR
            parsed.values["counselor"] = ""
        none_chosen = parsed.typed["counselor"] == NONE and bool(session.latest_booked(request))
        session.save_prep(request, _kept(parsed.values, none_chosen=none_chosen))
        if parsed.ok:
            return Redirect(path="/prep/sheet", status_code=303, headers=NO_STORE)
        context = _form_context(
            request,
            db,
            parsed.typed,
            errors=parsed.errors,
            too_long=parsed.too_long,
            no_room=parsed.no_room,
            saved=True,
        )
        if "counselor" in parsed.errors:
            context["chosen"] = ""
        return page(request, "prep/index.html", context, private=True, status_code=200)

    @get("/sheet", name="prep-sheet", sync_to_thread=False)
    def sheet(self, request: HTMXRequest, db: DB) -> Template:
        """The preview: the printed layout itself, on screen."""
        stored = session.prep(request)
        answers = session.answers(request)
        assessment = session.assessment(request)
        fields = from_session(stored) if stored else None
        notes: list[str] = []
        counselor = None
        slug = _counselor(request, db, stored, fields)
        if slug:
            listing = _lookup(db, slug)
            if listing is None:
                notes.append(NO_COUNSELOR)
            else:
                counselor = counselor_info(listing, session.booked_date(request, listing.slug))
        empty_session = not stored and not answers and counselor is None
        sheet = compose(
            answers,
            assessment,
            counselor,
            fields,
            blank=empty_session,
            notes=tuple(notes),
            say=_say(request),
            day_words=_day_words(request),
        )
        pages = estimate_pages(sheet)
        context = {
            "sheet": sheet,
            "notes": [*notes, *_sheet_notes(pages, longest_texts(sheet), request_locale(request))],
            "empty_session": empty_session,
            "from_answers": not stored and bool(answers),
            "safety_default": discreet_by_default(assessment),
            "preview": True,
            "c": content(),
        }
        return page(request, "prep/sheet.html", context, private=True)

    @get("/blank", name="prep-blank", sync_to_thread=False)
    def blank(self, request: HTMXRequest) -> Template:
        """A blank sheet to fill in by hand, without answering anything."""
        discreet = request.query_params.get("discreet") == "1"
        sheet = compose(None, None, None, None, blank=True, discreet=discreet)
        context = {"sheet": sheet, "notes": [], "preview": False, "c": content()}
        return page(request, "prep/sheet.html", context, private=True)

    @post("/mode", name="prep-mode", status_code=303)
    async def mode(self, request: HTMXRequest, db: DB) -> Redirect:
        """One click between the standard and the discreet sheet."""
        form = await request.form()
        discreet = form.get("discreet") == "1"
        stored = session.prep(request)
        if stored:
            values = from_session(stored)
        else:
            values = prefill(
                session.answers(request),
                discreet=discreet,
                assessment=session.assessment(request),
                say=_say(request),
            )
        values["counselor"] = _counselor(request, db, stored, values)
        values["discreet"] = discreet
        session.save_prep(request, _kept(values, none_chosen=stored.get("counselor") == NONE))
        return Redirect(path="/prep/sheet", status_code=303, headers=NO_STORE)
