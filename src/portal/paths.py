"""Where templates, static files and seed data live, installed or in a checkout.

A wheel carries them inside the package (``portal/templates`` ...); a checkout or an editable
install keeps them at the repository root. Both layouts are found without configuration.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _resource(name: str) -> Path:
    inside = PACKAGE_DIR / name
    if inside.is_dir():
        return inside
    checkout = PACKAGE_DIR.parents[1] / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"portal: cannot find the {name}/ folder next to {PACKAGE_DIR}")


TEMPLATES_DIR = _resource("templates")
STATIC_DIR = _resource("static")
SEED_DIR = _resource("seed")
