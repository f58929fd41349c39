"""Friendly answers when something outside the person's control goes wrong.

* the database is missing, locked or read-only: 503 with ``Retry-After``;
* too many POSTs from one address: 429 with ``Retry-After``;
* a request body over the size cap: 413 that says how to carry on.

A failed form POST never loses what was typed: the page shows the text back (read-only, to copy)
and a "Try again" form that re-sends every field as it was, with a fresh CSRF token. Nothing
typed is logged or stored; it exists only in the request and this one no-store response.
API requests get a JSON body instead.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from litestar import MediaType, Request, Response
from litestar.datastructures import UploadFile
from litestar.response import Template
from litestar.types import Empty
from litestar.utils.scope.state import ScopeState

from portal.i18n import N_, Text
from portal.security import keep_csrf_token

RETRY_DB_SECONDS = 30
MAX_RESEND_FIELDS = 300
NOT_RESENT = frozenset({"_csrf_token"})


@cache
def _text_labels() -> dict[str, str]:
    """Field name -> label, for the free-text fields of the readiness and prep forms."""
    labels: dict[str, str] = {}
    try:
        from portal.prep.fields import TEXT_BY_NAME

        labels.update({name: spec.label for name, spec in TEXT_BY_NAME.items()})
    except Exception:  # the prep sheet is optional here: labels only
        pass
    from portal.readiness import load_questionnaire

    for step in load_questionnaire().steps:
        for item in step.items:
            if item.type == "text":
                labels[item.id] = item.text
    return labels


def submitted_form(request: Request[Any, Any, Any]) -> list[tuple[str, str]] | None:
    """The form fields the handler had already read, as (name, value) pairs, or None when the
    request was not a form POST or its form was never read."""
    if request.method != "POST":
        return None
    form = ScopeState.from_scope(request.scope).form
    if form is Empty or not isinstance(form, dict):
        return None
    pairs: list[tuple[str, str]] = []
    for name, value in form.items():
        for one in value if isinstance(value, list) else [value]:
            if not isinstance(one, UploadFile):
                pairs.append((str(name), str(one)))
    return pairs[:MAX_RESEND_FIELDS]


def _kept(pairs: list[tuple[str, str]]) -> list[dict[str, Any]]:
    labels = _text_labels()
    typed = []
    for name, value in pairs:
        if name in NOT_RESENT or not value.strip():
            continue
        if name in labels or (len(value) > 30 or " " in value.strip()):
            typed.append(
                {
                    "label": labels.get(name, N_("Text you typed")),
                    "value": value,
                    "rows": min(12, max(2, value.count("\n") + 1 + len(value) // 60)),
                }
            )
    return typed


def friendly_retry(
    request: Request[Any, Any, Any],
    *,
    status: int,
    title: str,
    message: str,
    retry_after: int | None,
) -> Response[Any]:
    keep_csrf_token(request)
    headers = {"cache-control": "no-store"}
    if retry_after is not None:
        headers["retry-after"] = str(retry_after)
    if request.url.path.startswith("/api/"):
        return Response(
            {"status_code": status, "detail": message},
            status_code=status,
            headers=headers,
            media_type=MediaType.JSON,
        )
    pairs = submitted_form(request)
    resend = None
    typed: list[dict[str, Any]] = []
    if pairs is not None and request.url.path != "/erase":
        resend = {
            "action": request.url.path,
            "fields": [(n, v) for n, v in pairs if n not in NOT_RESENT],
        }
        typed = _kept(pairs)
    return Template(
        template_name="errors/retry.html",
        context={
            "status": status,
            "title": title,
            "message": message,
            "retry_after": retry_after,
            "resend": resend,
            "typed": typed,
        },
        status_code=status,
        headers=headers,
        media_type=MediaType.HTML,
    )


def database_unavailable(request: Request[Any, Any, Any]) -> Response[Any]:
    return friendly_retry(
        request,
        status=503,
        title=N_("We can't reach the counselor list just now"),
        message=N_(
            "Part of this site is resting for a moment. Your answers are still in this "
            "browser. The crisis and support lines below always work."
        ),
        retry_after=RETRY_DB_SECONDS,
    )


def too_many_requests(request: Request[Any, Any, Any], retry_after: int) -> Response[Any]:
    return friendly_retry(
        request,
        status=429,
        title=N_("Please slow down a little"),
        message=N_(
            "We received a lot of requests from your connection in a short time, so we "
            "paused for a moment. This protects the site for everyone. If you share a connection "
            "(a library, a shelter, a workplace), someone else may have caused this."
        ),
        retry_after=retry_after,
    )


def body_too_large(request: Request[Any, Any, Any], limit_bytes: int) -> Response[Any]:
    keep_csrf_token(request)
    kb = limit_bytes // 1024
    message = Text(
        N_(
            "That was more than we can accept at once (the limit is {kb} kB). Go back with "
            "your browser's Back button: your text should still be in the form. Shorten the "
            "longest answer and send it again."
        ),
        kb=kb,
    )
    headers = {"cache-control": "no-store"}
    if request.url.path.startswith("/api/"):
        return Response(
            {"status_code": 413, "detail": message},
            status_code=413,
            headers=headers,
            media_type=MediaType.JSON,
        )
    return Template(
        template_name="errors/error.html",
        context={"status": 413, "title": N_("That was too much text"), "message": message},
        status_code=413,
        headers=headers,
        media_type=MediaType.HTML,
    )
