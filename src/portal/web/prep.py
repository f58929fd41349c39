"""The session-prep sheet pages (being built)."""

from __future__ import annotations

from litestar import Controller


class PrepController(Controller):
    path = "/prep"
    include_in_schema = False
