"""What every browser test checks: accessibility, CSP violations, third-party requests."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

_axe = Axe()


def axe_violations(page: Page) -> list[str]:
    results = _axe.run(page)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: "
        f"{', '.join(str(n['target']) for n in v['nodes'][:3])})"
        for v in results.response["violations"]
    ]


class Watch:
    """Collects console CSP violations, page errors and requests to other hosts."""

    def __init__(self, page: Page, origin: str) -> None:
        self.problems: list[str] = []
        self.foreign: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))
        page.on(
            "request",
            lambda req: (
                None
                if req.url.startswith((origin, "data:", "about:"))
                else self.foreign.append(req.url)
            ),
        )

    def _console(self, message) -> None:
        text = message.text
        if message.type == "error" or "Content Security Policy" in text:
            self.problems.append(f"console {message.type}: {text}")
