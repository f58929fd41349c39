"""Each content file is read in one place (portal.content), once per process, and a phone
number lives only in its data file."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from portal import content
from portal.paths import TEMPLATES_DIR

SRC = Path(__file__).resolve().parents[2] / "src" / "portal"
FILES = {
    content.taxonomy: content.TAXONOMY_FILE,
    content.crisis_lines: content.CRISIS_LINES_FILE,
    content.criteria: content.CRITERIA_FILE,
    content.questionnaire: content.QUESTIONNAIRE_FILE,
    content.messages: content.MESSAGES_FILE,
    content.screening: content.SCREENING_FILE,
    content.prep: content.PREP_FILE,
}


@pytest.mark.parametrize("load", FILES, ids=lambda f: f.__name__)
def test_each_file_is_parsed_once_and_as_written(load) -> None:  # type: ignore[no-untyped-def]
    path = FILES[load]
    assert load() is load()
    assert load() == json.loads(path.read_text(encoding="utf-8"))


def _code_strings(tree: ast.AST) -> list[str]:
    """String constants of a module that are not docstrings."""
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            docstrings.add(id(node.value))  # a string standing alone documents what precedes
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def _reads_files(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        if isinstance(f, ast.Attribute) and f.attr in {"read_text", "read_bytes"}:
            return True
        if (isinstance(f, ast.Attribute) and f.attr == "open") or (
            isinstance(f, ast.Name) and f.id == "open"
        ):
            modes = [a.value for a in node.args if isinstance(a, ast.Constant)]
            if not any(isinstance(m, str) and ("w" in m or "a" in m) for m in modes):
                return True
    return False


def test_no_module_but_the_loader_reads_a_content_file() -> None:
    """A module may name a content file (to say where a string comes from), but only
    portal.content opens one."""
    names = {path.name for path in FILES.values()}
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if path == SRC / "content.py" or "generate" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if not _reads_files(tree):
            continue
        for text in _code_strings(tree):
            found += [f"{path.relative_to(SRC)}: {n}" for n in names if n in text]
    assert found == []


def test_phone_numbers_live_only_in_the_crisis_lines_file() -> None:
    numbers = set()
    for line in content.crisis_lines()["lines"]:
        numbers |= set(re.findall(r"\d[\d-]{3,}\d", json.dumps(line)))
    numbers -= {"2026", "2025"}
    assert "741741" in numbers and "1-800-799-7233" in numbers
    found = []
    for path in [*SRC.rglob("*.py"), *TEMPLATES_DIR.rglob("*.html")]:
        text = path.read_text(encoding="utf-8")
        found += [f"{path.name}: {n}" for n in numbers if n in text]
    assert found == []
