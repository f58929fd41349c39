"""The prep sheet's marks (portal.web.marks): tick boxes, lines to write on, lists of boxes,
as the sheet's template uses them (filters)."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from portal.web import marks

HOSTILE = '<b>Kids</b> & "money"'


@dataclass
class Item:
    label: str
    ticked: bool


def test_a_box_is_ticked_for_anything_true_and_says_so_to_a_screen_reader() -> None:
    assert marks.box(True) == marks.box("yes") == marks.TICKED
    assert "Checked: " in marks.TICKED and "box-on" in marks.TICKED
    assert marks.box(False) == marks.box(None) == marks.box() == marks.BOX


def test_fill_prints_what_was_typed_escaped_or_lines_to_write_on() -> None:
    assert marks.fill(HOSTILE) == (
        '<span class="val">&lt;b&gt;Kids&lt;/b&gt; &amp; &#34;money&#34;</span>'
    )
    assert marks.fill("") == marks.fill(None) == marks.LINE
    assert marks.fill(None, 3) == marks.LINE * 3


def test_checks_is_a_list_of_boxes_with_escaped_labels() -> None:
    html = marks.checks([Item(HOSTILE, True), Item("Money", False)])
    assert isinstance(html, Markup)
    assert html == (
        '<ul class="checks">\n'
        f"<li>{marks.TICKED}&lt;b&gt;Kids&lt;/b&gt; &amp; &#34;money&#34;</li>"
        f"<li>{marks.BOX}Money</li>"
        "</ul>"
    )
    assert marks.checks([]) == '<ul class="checks">\n</ul>'


def test_the_sheet_template_reaches_them_as_filters(app) -> None:
    env = app.template_engine.engine
    page = env.from_string("{{ a|fill }}{{ b|fill(2) }}{{ t|box }}{{ items|checks }}").render(
        a=HOSTILE, b="", t=True, items=[Item("Trust", False)]
    )
    assert page == (
        marks.fill(HOSTILE) + marks.LINE * 2 + marks.TICKED + marks.checks([Item("Trust", False)])
    )
