"""The questionnaire definition: load ``questionnaire.json`` into frozen dataclasses.

Item types (what the web layer renders):

* ``choice`` - pick one; ``options`` hold string values (radio buttons; ``widget="frequency"``
  marks the never/once/sometimes/often items that read well as a grid).
* ``scale`` - pick one of the integer values 0-4 (the Conflict & Communication Index).
* ``multi`` - tick any number; values are strings; a value listed in ``exclusive`` (such as
  ``none``) cannot be combined with others.
* ``text`` - free text, with ``max_length`` and an optional ``pattern``.

An option of a ``choice`` or ``multi`` item may have its own ``show_if``: it is offered only
when that holds. Its condition may read answers from earlier pages only, so the server always
knows which options a page shows and no script has to add or remove them.

``options_from`` in the JSON names a facet of ``seed/taxonomy.json`` (``language``,
``insurance``); its slugs become options ahead of the options written in the file, so the
questionnaire and the directory can never disagree on a slug.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any, Literal

from portal import content
from portal.readiness.conditions import evaluate, referenced_items

ItemType = Literal["choice", "scale", "multi", "text"]
Value = str | int
Answer = str | int | list[str]
Answers = dict[str, Answer]
"""Clean answers: item id -> str (choice, text), int (scale) or list[str] (multi)."""


@dataclass(frozen=True)
class Option:
    value: Value
    label: str
    sources: tuple[str, ...] = ()
    show_if: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Item:
    id: str
    type: ItemType
    text: str
    required: bool
    sources: tuple[str, ...]
    options: tuple[Option, ...] = ()
    show_if: Mapping[str, Any] | None = None
    help: str | None = None
    concept: str | None = None
    exclusive: tuple[str, ...] = ()
    max_length: int | None = None
    pattern: str | None = None
    pattern_message: str | None = None
    multiline: bool = False
    widget: str | None = None
    inputmode: str | None = None

    @cached_property
    def values(self) -> tuple[Value, ...]:
        # Read for every answer checked: computed once (the options never change).
        return tuple(o.value for o in self.options)

    @cached_property
    def choices(self) -> frozenset[str]:
        """The option values as a form submits them."""
        return frozenset(str(v) for v in self.values)

    @cached_property
    def conditional_options(self) -> bool:
        return any(o.show_if is not None for o in self.options)

    def shown_options(self, answers: Mapping[str, object]) -> tuple[Option, ...]:
        """The options offered for ``answers`` (every option, unless some have conditions)."""
        if not self.conditional_options:
            return self.options
        return tuple(o for o in self.options if evaluate(o.show_if, answers))

    def shown_values(self, answers: Mapping[str, object]) -> frozenset[str]:
        """The values of the options offered for ``answers``, as a form submits them."""
        if not self.conditional_options:
            return self.choices
        return frozenset(str(o.value) for o in self.shown_options(answers))

    def label_for(self, value: Value) -> str:
        for option in self.options:
            if option.value == value:
                return option.label
        return str(value)


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    intro: str
    items: tuple[Item, ...]
    show_if: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Questionnaire:
    id: str
    version: str
    title: str
    steps: tuple[Step, ...]
    _items: dict[str, Item] = field(default_factory=dict, repr=False, compare=False)
    _step_of: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for step in self.steps:
            earlier = set(self._items)
            for item in step.items:
                if item.id in self._items:
                    raise ValueError(f"duplicate item id {item.id}")
                if item.conditional_options and item.type not in ("choice", "multi"):
                    raise ValueError(
                        f"{item.id}: only choice and multi items have conditions on options"
                    )
                for option in item.options:
                    if not referenced_items(option.show_if) <= earlier:
                        raise ValueError(
                            f"{item.id} option {option.value!r}: an option's condition may "
                            "read answers from earlier pages only"
                        )
                self._items[item.id] = item
                self._step_of[item.id] = step.id

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(self._items.values())

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(self._items)

    def item(self, item_id: str) -> Item:
        return self._items[item_id]

    def has_item(self, item_id: str) -> bool:
        return item_id in self._items

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    def has_step(self, step_id: str) -> bool:
        return any(step.id == step_id for step in self.steps)

    def step_of(self, item_id: str) -> Step:
        return self.step(self._step_of[item_id])

    def __iter__(self) -> Iterator[Step]:
        return iter(self.steps)


def _taxonomy_options(facet: str) -> list[Option]:
    return [Option(entry["slug"], entry["label"]) for entry in content.taxonomy()[facet]]


def _item(raw: Mapping[str, Any]) -> Item:
    option_sources = raw.get("option_sources", {})
    options = [
        Option(o["value"], o["label"], tuple(option_sources.get(o["value"], ())), o.get("show_if"))
        for o in raw.get("options", [])
    ]
    if raw.get("options_from"):
        options = _taxonomy_options(raw["options_from"]) + options
    return Item(
        id=raw["id"],
        type=raw["type"],
        text=raw["text"],
        required=bool(raw.get("required", True)),
        sources=tuple(raw.get("sources", ())),
        options=tuple(options),
        show_if=raw.get("show_if"),
        help=raw.get("help"),
        concept=raw.get("concept"),
        exclusive=tuple(raw.get("exclusive", ())),
        max_length=raw.get("max_length"),
        pattern=raw.get("pattern"),
        pattern_message=raw.get("pattern_message"),
        multiline=bool(raw.get("multiline", False)),
        widget=raw.get("widget"),
        inputmode=raw.get("inputmode"),
    )


def _expand(condition: Any, named: Mapping[str, Any]) -> Any:
    """Replace every ``{"ref": NAME}`` by the named condition (recursively)."""
    if isinstance(condition, Mapping):
        if set(condition) == {"ref"}:
            return _expand(named[condition["ref"]], named)
        return {key: _expand(value, named) for key, value in condition.items()}
    if isinstance(condition, list):
        return [_expand(c, named) for c in condition]
    return condition


def parse_questionnaire(raw: Mapping[str, Any]) -> Questionnaire:
    named = raw.get("conditions", {})
    raw = _expand({"steps": raw["steps"]}, named) | {k: raw[k] for k in ("id", "version", "title")}
    steps = tuple(
        Step(
            id=s["id"],
            title=s["title"],
            intro=s.get("intro", ""),
            items=tuple(_item(i) for i in s["items"]),
            show_if=s.get("show_if"),
        )
        for s in raw["steps"]
    )
    return Questionnaire(id=raw["id"], version=raw["version"], title=raw["title"], steps=steps)


@cache
def load_questionnaire() -> Questionnaire:
    """The questionnaire, parsed once per process (it is immutable)."""
    return parse_questionnaire(content.questionnaire())
