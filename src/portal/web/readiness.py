"""The readiness questionnaire pages and its JSON API (being built)."""

from __future__ import annotations

from litestar import Controller


class ReadinessController(Controller):
    path = "/readiness"
    include_in_schema = False


class ReadinessApi(Controller):
    path = "/api/readiness"
