"""A profile's "How to reach out": the first message, and the form that chooses what it says.

The choices are kept in the session (one set for every profile: a name or a safe time typed
once applies to each counselor); the message itself is built on each view and never stored.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, post
from litestar.enums import RequestEncodingType
from litestar.exceptions import HTTPException
from litestar.params import Body
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template
from litestar.serialization import encode_json

from portal.directory import outreach
from portal.directory.query import get_listing
from portal.directory.taxonomy import said_label, taxonomy
from portal.i18n import N_, Text, translate
from portal.models import Listing
from portal.web import session
from portal.web.deps import DB
from portal.web.locale import request_locale
from portal.web.rendering import NO_STORE

_TEXTS = {"sender": outreach.SENDER_MAX, "safe_time": outreach.SAFE_FIELD_MAX}
_TEXTS["safe_way"] = outreach.SAFE_FIELD_MAX


def _mode(request: Request) -> tuple[bool, outreach.Choices]:
    """Whether the message must be the safe one, and what the answers would share."""
    result = session.assessment(request)
    if result is None:
        return False, outreach.Choices()
    safe = outreach.is_safe_mode(result.outcome, short_screen=result.short_screen)
    return safe, outreach.suggested(session.answers(request), result.track)


def choices(request: Request) -> tuple[bool, outreach.Choices, str | None]:
    """(safe, the choices in force, the kind of help the result would name)."""
    safe, suggested = _mode(request)
    kind = None if safe else suggested.help
    stored = session.outreach(request)
    if stored is None:
        return safe, suggested, kind
    return safe, _from_stored(stored, kind), kind


def _from_stored(stored: dict[str, Any], kind: str | None) -> outreach.Choices:
    formats = stored.get("formats")
    text = {name: str(stored.get(name) or "") for name in ("payment", "language", *_TEXTS)}
    return outreach.Choices(
        help=kind if stored.get("help") is True else None,
        formats=tuple(f for f in outreach.FORMATS if isinstance(formats, list) and f in formats),
        evenings=stored.get("evenings") is True,
        **text,
    )


def reach_out(request: Request, listing: Listing) -> dict[str, Any]:
    """The context of templates/directory/_reach_out.html."""
    tax = taxonomy()
    locale = request_locale(request)
    safe, chosen, kind = choices(request)
    message = outreach.build(
        outreach.Counselor(name=listing.name, formats=tuple(listing.formats)),
        chosen,
        safe=safe,
        label=lambda facet, slug: said_label(tax, facet, slug, locale),
        say=lambda text: translate(text, locale),
    )
    return {
        "safe": safe,
        "choices": chosen,
        "help_sentence": translate(outreach.words()["help"].get(kind or "", ""), locale),
        "message": message,
        "mailto": message.mailto(listing.email),
        "payments": [
            ("sliding_scale", N_("Ask about a sliding scale")),
            ("self_pay", N_("Say I would pay myself")),
            *(
                (t.slug, Text(N_("My insurance: {plan}"), plan=t.label))
                for t in tax.terms("insurance")
            ),
        ],
        "languages": [(t.slug, t.label) for t in tax.terms("language")],
        "formats": [(t.slug, t.label) for t in tax.terms("format")],
        "offered": ", ".join(
            translate(x, locale) for x in tax.labels("format", listing.formats)
        ).lower(),
    }


def parse_choices(data: dict[str, Any]) -> dict[str, Any]:
    """The submitted form as the session keeps it: known values only, typed text capped."""
    tax = taxonomy()
    payment = _one(data.get("payment"))
    language = _one(data.get("language"))
    formats = data.get("format") or []
    formats = [formats] if isinstance(formats, str) else formats
    kept: dict[str, Any] = {
        "help": _one(data.get("help")) == "1",
        "formats": [f for f in outreach.FORMATS if f in formats],
        "evenings": _one(data.get("evenings")) == "1",
        "payment": payment
        if payment in outreach.PAYMENTS or payment in tax.slugs("insurance")
        else "",
        "language": language if language in tax.slugs("language") else "",
    }
    for name, limit in _TEXTS.items():
        kept[name] = outreach.clean(_one(data.get(name)), limit)
    kept = {name: value for name, value in kept.items() if value}  # only what is said
    # Whatever was typed (emoji, quotes), the choices stay within the room the session keeps
    # for them.
    while len(encode_json(kept)) > session.RESERVED[session.OUTREACH]:
        longest = max(_TEXTS, key=lambda name: len(kept.get(name, "")))
        kept[longest] = kept[longest][:-1]
    return kept


def _one(value: object) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return value if isinstance(value, str) else ""


@post("/reach-out", name="reach-out", include_in_schema=False, sync_to_thread=False)
def change_reach_out(
    request: HTMXRequest,
    db: DB,
    data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Redirect | Template:
    """Keep what the person chose to say, then show the message again."""
    listing = get_listing(db, _one(data.get("slug"))[:120])
    if listing is None:
        raise HTTPException(status_code=400, detail=N_("We could not find that counselor."))
    if not session.save_outreach(request, parse_choices(data)):
        raise HTTPException(
            status_code=400,
            detail=N_(
                "This browser cannot keep more for this visit. Erasing the prep sheet or "
                "the shortlist makes room."
            ),
        )
    if request.htmx:
        return Template(
            template_name="directory/_reach_out.html",
            context={"c": listing, "reach": reach_out(request, listing), "updated": True},
            headers={**NO_STORE, "vary": "HX-Request"},
        )
    return Redirect(path=f"/counselors/{listing.slug}#reach-out", status_code=303, headers=NO_STORE)
