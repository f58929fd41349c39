"""A Babel extractor for texts kept as JSON data (babel.cfg names it with the keys to read).

``keys`` (space-separated) are the fields whose string values are shown to people; every such
value anywhere in the file becomes a msgid. Keys starting with ``_`` (notes for maintainers) and
``skip`` keys (texts already written in their own language) are never read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO


def _strings(node: Any, keys: frozenset[str], skip: frozenset[str]) -> Iterator[str]:
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key.startswith("_") or key in skip:
                continue
            if key in keys and isinstance(value, str) and value:
                yield value
            else:
                yield from _strings(value, keys, skip)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value, keys, skip)


def extract_json(
    fileobj: BinaryIO,
    keywords: object,
    comment_tags: object,
    options: Mapping[str, str],
) -> Iterator[tuple[int, str, str, list[str]]]:
    data = json.loads(fileobj.read().decode("utf-8"))
    keys = frozenset(options.get("keys", "").split())
    skip = frozenset(options.get("skip", "").split())
    for text in dict.fromkeys(_strings(data, keys, skip)):
        yield 0, "_", text, []
