"""The page's language: chosen per request, switched by the person, used by the templates.

The choice is the ``lang`` cookie when the person has used the switch, else the browser's
``Accept-Language``. Switching is a plain link (``/lang?to=es&next=/same/page``), so it works
without JavaScript; it keeps the page, and everything already entered is kept because answers,
the shortlist and the prep sheet live in the session, not in the page. Text typed into a form
and not yet sent is the one thing a switch does not carry over.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import cache, lru_cache
from typing import Any
from urllib.parse import urlencode

from babel.dates import format_date
from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from litestar import Request, get
from litestar.datastructures import Cookie
from litestar.response import Redirect
from markupsafe import Markup, escape

from portal.i18n import (
    COOKIE,
    COOKIE_MAX_AGE,
    DEFAULT,
    LOCALES,
    local_path,
    negotiate,
    translate,
    translations,
)
from portal.resources import in_language
from portal.settings import Settings
from portal.web import marks
from portal.web.rendering import longdate

_SCOPE_KEY = "portal.locale"


def request_locale(request: Request) -> str:
    """The language of this request's page (worked out once per request)."""
    scope: Any = request.scope
    found = scope.get(_SCOPE_KEY)
    if found is None:
        found = negotiate(request.cookies.get(COOKIE), request.headers.get("accept-language"))
        scope[_SCOPE_KEY] = found
    return str(found)


def _locale(context: Context) -> str:
    request = context.get("request")
    return request_locale(request) if request is not None else DEFAULT


# Jinja's newstyle gettext (``_('%(n)s days', n=n)``: translated, marked safe when the page
# autoescapes, then filled), each a single call: the i18n extension's own wrappers make three
# template calls per string, and a profile page says about ninety.


def _filled(context: Context, text: str, variables: dict[str, Any]) -> str:
    if context.eval_ctx.autoescape:
        text = Markup(text)
    if not variables and "%" not in text:
        return text  # (most texts: nothing to fill, and no "%%" to unescape)
    return text % variables


@pass_context
def _gettext(context: Context, message: str, /, **variables: Any) -> str:
    return _filled(context, translations(_locale(context)).gettext(message), variables)


@pass_context
def _ngettext(context: Context, singular: str, plural: str, n: int, /, **variables: Any) -> str:
    variables.setdefault("num", n)
    said = translations(_locale(context)).ngettext(singular, plural, n)
    return _filled(context, said, variables)


@pass_context
def _pgettext(context: Context, ctx: str, message: str, /, **variables: Any) -> str:
    variables.setdefault("context", ctx)
    return _filled(context, translations(_locale(context)).pgettext(ctx, message), variables)


@pass_context
def _npgettext(
    context: Context, ctx: str, singular: str, plural: str, n: int, /, **variables: Any
) -> str:
    variables.setdefault("context", ctx)
    variables.setdefault("num", n)
    said = translations(_locale(context)).npgettext(ctx, singular, plural, n)
    return _filled(context, said, variables)


@pass_context
def _t(context: Context, value: Any, **values: Any) -> str:
    """A text from data or from Python code, in the page's language. Unlike ``_()``, the result
    is plain text (escaped like any value) and is filled with ``{placeholders}`` after it is
    translated."""
    return translate(value, _locale(context), values)


def date_in(value: date | None, locale: str) -> str:
    """A date written out in ``locale`` ("November 20, 2026", "20 de noviembre de 2026")."""
    if value is None or locale == DEFAULT:
        return longdate(value)
    return _date_in(value, locale)


@lru_cache(maxsize=4096)  # Babel's formatting costs more than the rest of a card
def _date_in(value: date, locale: str) -> str:
    return format_date(value, "long", locale=locale)


@pass_context
def _longdate(context: Context, value: date | None) -> str:
    """A date written out in the page's language."""
    return date_in(value, _locale(context))


@pass_context
def _fulldate(context: Context, value: date | None) -> str:
    """A date with its weekday, in the page's language ("Monday, December 14, 2026")."""
    locale = _locale(context)
    if value is None:
        return ""
    if locale == DEFAULT:
        return f"{value:%A}, {longdate(value)}"
    return format_date(value, "full", locale=locale)


@cache
def _marks(locale: str) -> tuple[Markup, Markup]:
    """The sheet's ticked box and line to write on, their hidden words in ``locale``."""
    return (
        marks.ticked_mark(translate(marks.CHECKED, locale)),
        marks.line_mark(translate(marks.SPACE, locale)),
    )


@pass_context
def _box(context: Context, ticked: object = False) -> Markup:
    locale = _locale(context)
    if locale == DEFAULT or not ticked:
        return marks.box(ticked)
    return _marks(locale)[0]


@pass_context
def _fill(context: Context, text: object = None, lines: int = 1) -> Markup:
    locale = _locale(context)
    if text or locale == DEFAULT:
        return marks.fill(text, lines)
    return _marks(locale)[1] * lines


@pass_context
def _checks(context: Context, items: Iterable[Any]) -> Markup:
    """The sheet's tick boxes (web/marks.checks) with their labels in the page's language."""
    locale = _locale(context)
    if locale == DEFAULT:
        return marks.checks(items)
    ticked = _marks(locale)[0]
    rows = (
        f"<li>{ticked if item.ticked else marks.BOX}{escape(translate(item.label, locale))}</li>"
        for item in items
    )
    return Markup('<ul class="checks">\n' + "".join(rows) + "</ul>")


@pass_context
def _spoken(context: Context, line: dict[str, Any]) -> dict[str, Any]:
    """A crisis line as this page's language reaches it (988 in Spanish: press 2)."""
    return in_language(line, _locale(context))


@pass_context
def _page_locale(context: Context) -> str:
    return _locale(context)


@pass_context
def _switch_links(context: Context) -> list[dict[str, str]]:
    """One link per other language, back to this very page."""
    request = context.get("request")
    here = DEFAULT
    target = "/"
    if request is not None:
        here = request_locale(request)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.method != "GET":
            target = request.url.path
    return [
        {"code": code, "name": name, "href": "/lang?" + urlencode({"to": code, "next": target})}
        for code, name in LOCALES.items()
        if code != here
    ]


def setup_jinja(env: Environment) -> None:
    """Jinja's i18n extension with newstyle gettext (``{{ _('Hello %(name)s', name=n) }}``,
    ``{% trans %}`` blocks, plural forms), each call reading the language of the request being
    rendered, so one environment serves every language at once."""
    env.add_extension("jinja2.ext.i18n")
    env.policies["ext.i18n.trimmed"] = True  # as babel.cfg extracts them
    env.newstyle_gettext = True  # type: ignore[attr-defined]  # {% trans %} fills like _()
    env.globals.update(
        _=_gettext, gettext=_gettext, ngettext=_ngettext, pgettext=_pgettext, npgettext=_npgettext
    )
    env.filters["t"] = _t
    env.filters["longdate"] = _longdate
    env.filters["fulldate"] = _fulldate
    env.filters.update(box=_box, fill=_fill, checks=_checks)
    env.globals.update(
        t=_t, page_locale=_page_locale, language_switch=_switch_links, spoken=_spoken
    )


def _settings(request: Request) -> Settings:
    settings = request.app.state.get("settings")
    return settings if isinstance(settings, Settings) else Settings()


@get("/lang", name="language", include_in_schema=False, sync_to_thread=False)
def switch_language(request: Request) -> Redirect:
    """Remember the chosen language and go back to the page it was chosen on."""
    chosen = request.query_params.get("to")
    target = local_path(request.query_params.get("next"))
    headers = {"cache-control": "no-store"}
    if chosen not in LOCALES:
        return Redirect(path=target, status_code=303, headers=headers)
    cookie = Cookie(
        key=COOKIE,
        value=str(chosen),
        max_age=COOKIE_MAX_AGE,
        path="/",
        httponly=True,
        samesite="lax",
        secure=_settings(request).production,
    )
    return Redirect(path=target, status_code=303, headers=headers, cookies=[cookie])
