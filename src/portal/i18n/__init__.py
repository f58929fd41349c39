"""Languages: the gettext catalogs, which language a request gets, and translating a text.

Two catalogs per language live in ``portal/locales/<lang>/LC_MESSAGES/``:

- ``messages``: the templates' and the Python code's own wording (``make i18n-extract``);
- ``content``: the texts kept as data (questionnaire, results, prep sheet, crisis lines,
  taxonomy labels), with the English text itself as msgid. It is optional: without it the data
  shows in English.

``make install`` compiles each ``.po`` to a ``.mo`` (``make i18n-compile``). A catalog is read
from its ``.mo`` when that is at least as new as the ``.po``, else from the ``.po`` itself, so a
checkout that was never compiled, or a ``.po`` edited since, never shows stale or missing text.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from portal.i18n.text import N_, Localized, Lower, Text, fill

__all__ = [
    "COOKIE",
    "DEFAULT",
    "LOCALES",
    "N_",
    "Localized",
    "Lower",
    "Text",
    "from_accept_language",
    "local_path",
    "negotiate",
    "translate",
    "translations",
]

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAINS = ("messages", "content")
DEFAULT = "en"
LOCALES: dict[str, str] = {"en": "English", "es": "Español"}
"""Each language offered, named in itself (what the switch shows)."""
COOKIE = "lang"
"""The preference cookie: only "en" or "es", never anything a person answered."""
COOKIE_MAX_AGE = 365 * 24 * 3600


def _load(path_po: Path) -> Translations | None:
    path_mo = path_po.with_suffix(".mo")
    if path_mo.exists() and (
        not path_po.exists() or path_mo.stat().st_mtime >= path_po.stat().st_mtime
    ):
        with path_mo.open("rb") as fp:
            return Translations(fp, domain=path_po.stem)
    if not path_po.exists():
        return None
    with path_po.open("rb") as fp:
        catalog = read_po(fp)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)  # fuzzy entries are left out, as msgfmt does
    buffer.seek(0)
    return Translations(buffer, domain=path_po.stem)


@cache
def translations(locale: str) -> Translations:
    """The ``messages`` and ``content`` catalogs of ``locale`` merged into one. English, an
    unknown language or a missing catalog gives texts back as they are."""
    merged = Translations()
    if locale == DEFAULT or locale not in LOCALES:
        return merged
    folder = LOCALE_DIR / locale / "LC_MESSAGES"
    for domain in DOMAINS:
        loaded = _load(folder / f"{domain}.po")
        if loaded is not None:
            merged.merge(loaded)
    return merged


def translate(value: Any, locale: str, values: Mapping[str, object] | None = None) -> str:
    """``value`` in ``locale``: its template translated first, then filled.

    A :class:`Localized` brings its own wording for ``locale`` (then read as a plain string);
    a :class:`Text` brings its own template and values; a plain string is its own template,
    filled only when ``values`` are given. String values are translated too (an answer's label,
    say); anything else is filled as it is."""
    if value is None:
        return ""
    if isinstance(value, Localized):
        value = value.in_locale(locale)
    if not values and (locale == DEFAULT or locale not in LOCALES):
        return str(value)  # a Text reads as its English, already filled
    if isinstance(value, Lower):
        said = translate(Text(value.msgid, value.values), locale, values)
        return said[:1].lower() + said[1:]
    if isinstance(value, Text):
        template, merged = value.msgid, {**value.values, **(values or {})}
    else:
        template, merged = str(value), dict(values or {})
    if locale == DEFAULT or locale not in LOCALES:
        return fill(template, merged) if merged else template
    gettext = translations(locale).gettext
    translated = gettext(template) if template else template
    if not merged:
        return translated
    return fill(
        translated,
        {k: translate(v, locale) if isinstance(v, str) else v for k, v in merged.items()},
    )


def _primary(tag: str) -> str:
    return tag.strip().replace("_", "-").split("-")[0].lower()


def from_accept_language(header: str | None) -> str:
    """The offered language the browser prefers most; English when it names neither."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate((header or "").split(",")[:32]):
        tag, _, params = part.partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, number = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(number)
                except ValueError:
                    quality = 0.0
        primary = _primary(tag)
        if primary in LOCALES and quality > 0:
            ranked.append((-quality, index, primary))
    return min(ranked)[2] if ranked else DEFAULT


def negotiate(cookie: str | None, accept_language: str | None) -> str:
    """The person's own choice (the ``lang`` cookie) first, then the browser's languages."""
    if cookie in LOCALES:
        return str(cookie)
    return from_accept_language(accept_language)


def local_path(target: str | None, fallback: str = "/") -> str:
    """``target`` when it is a path on this site ("/x?y"), else ``fallback``: the language switch
    never sends anyone to another site."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return fallback
    if any(ord(c) < 0x20 or c in "\\" for c in target):
        return fallback
    return target
