"""Every field, choice and list on every page has a name a screen reader says (its own label),
and every chart panel carries what the page needs to tie the chart to its sentence."""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from workbook import pages
from workbook.forms import CommunityForm, LogForm, PersonForm, RecordList, ResolutionForm
from workbook.widgets_text import named

BUILDERS = (pages.start_page, pages.communities_page, pages.plan_page, pages.log_page,
            pages.progress_page, pages.reflect_page)
# What a person types in or chooses from: a <input>, <select> or <textarea> in the browser.
INPUTS = (widgets.Text, widgets.Textarea, widgets.IntText, widgets.Dropdown, widgets.Select,
          widgets.RadioButtons,
          widgets.SelectMultiple, widgets.DatePicker, widgets.TimePicker)


def walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


@pytest.fixture
def session(tmp_path):
    s = pages.open_session(tmp_path / "mine.sqlite")
    yield s
    s.close()


@pytest.mark.parametrize("build", BUILDERS, ids=lambda b: b.__name__)
def test_every_input_on_every_page_has_a_name(session, build):
    page = build(session)
    inputs = [w for w in walk(page) if isinstance(w, INPUTS)]
    assert inputs or build is pages.start_page
    unnamed = [type(w).__name__ for w in inputs if not w.description.strip()]
    assert unnamed == []
    # the name is for screen readers: the visible label beside the field says it already
    assert all("wb-named" in w._dom_classes for w in inputs)
    assert all(w.style.description_width == "0px" for w in inputs)


def test_a_field_is_named_by_the_label_people_see():
    form = CommunityForm()
    said = {name: w.description for name, w in form.fields.items() if isinstance(w, INPUTS)}
    assert said == {name: label for name, label in form.labels.items() if name != "activity"}
    person = PersonForm()
    assert person.fields["communities"].description == "Communities"
    log = LogForm()
    assert log.fields["note"].description == "Note"
    assert ResolutionForm().idea_list.description == "Give ideas"


def test_a_list_is_named_by_its_name_or_else_its_title():
    assert RecordList(name="Your communities").select.description == "Your communities"
    assert RecordList(title="Help you noted").select.description == "Help you noted"


def test_buttons_and_boxes_keep_their_own_words():
    toggle = widgets.ToggleButton(description="Mon")
    row = widgets.ToggleButtons(options=["Dormant", "Regular"])
    box = widgets.HBox()
    assert named(toggle, "On which days").description == "Mon"
    assert named(row, "How active").description == ""
    assert named(box, "On which days") is box
    assert not any("wb-named" in w._dom_classes for w in (toggle, row, box))


def test_a_chart_panel_marks_its_chart_and_its_sentence():
    panel = pages.ChartPanel({"one": ("One", "visibility", lambda *_: "Give more.")})
    assert "wb-chart-panel" in panel._dom_classes
    chart_box, note = panel.children
    assert "wb-chart" in chart_box._dom_classes and "wb-chart-note" in note._dom_classes
