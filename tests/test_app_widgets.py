"""The web app's widget without a browser: steps, lazy pages, refreshes, errors, the notebook."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import ipywidgets as widgets
import nbformat
import pytest
from shared import IMG as HOSTILE

from workbook import app as webapp
from workbook import charts as charts_module
from workbook import pages, server
from workbook.model import Community, LogEntry
from workbook.store import Store


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "mine.sqlite"


@pytest.fixture
def app(db):
    """The app on a new workbook, opened (outside a kernel it opens at once)."""
    built = webapp.build_app(db)
    yield built
    if built.session is not None:
        built.session.close()


def visible(app) -> list[str]:
    """Keys of the steps whose page is on screen."""
    return [key for key, view in app._views.items() if view.layout.display != "none"]


def test_the_steps_are_numbered_and_each_has_a_builder():
    assert [s.label for s in webapp.STEPS] == [
        "Start", "Step 1, Communities", "Step 2, Plan", "Step 3, Log", "Step 4, Progress",
        "Step 5, Reflect"]
    for step in webapp.STEPS:
        assert callable(getattr(pages, step.builder))


def test_opens_on_the_start_step_and_builds_nothing_else(app, db):
    assert app.session is not None and app.session.path == db
    assert app.step == "start" and list(app.built) == ["start"]
    assert not app.nav.disabled and app.status.text == "" and app.error.text == ""
    assert isinstance(app.built["start"], pages.Page)
    assert [label for label, _ in app.nav.options][0] == "Start"
    assert app.next_button.description == "Next: Step 1, Communities"
    assert app.back_button.layout.visibility == "hidden"


def test_a_step_is_built_on_its_first_visit_and_kept(app):
    app.nav.value = "plan"
    assert list(app.built) == ["start", "plan"] and visible(app) == ["plan"]
    plan = app.built["plan"]
    app.next_button.click()
    assert app.step == "log" and visible(app) == ["log"]
    app.back_button.click()
    assert app.step == "plan" and app.built["plan"] is plan and visible(app) == ["plan"]
    assert app.back_button.description == "Back: Step 1, Communities"
    assert app.next_button.description == "Next: Step 3, Log"


def test_pages_out_of_sight_are_told_so(app):
    app.show("communities")
    app.show("progress")
    for key, page in app.built.items():
        if hasattr(page, "shown"):
            assert page.shown == (key == "progress"), key


def test_every_step_opens_without_an_error(app):
    for key in webapp.STEP_KEYS:
        app.show(key)
        assert app.error.text == "", (key, app.error.text)
    assert list(app.built) == list(webapp.STEP_KEYS)
    assert len(app.body.children) == len(webapp.STEPS)


def test_parts_get_stable_class_names(app):
    app.show("communities")
    form = app.built["communities"].parts["community_form"]
    assert "wb-communities-community_form" in form.widget._dom_classes
    assert "wb-step-communities" in app.built["communities"]._dom_classes


def test_a_save_in_one_step_shows_in_the_others(app):
    app.show("communities")
    form = app.built["communities"].parts["community_form"]
    form.fields["name"].value = HOSTILE
    form.save_button.click()
    assert form.status.text.startswith("Saved")
    app.show("log")
    community = app.built["log"].parts["form"].fields["community_id"]
    assert [label for label, _ in community.options] == [HOSTILE]
    app.show("start")
    assert ">1<" in app.built["start"].parts["stand"].value.replace(" ", "")


def test_a_step_reads_the_file_again_when_another_program_wrote_it(app, db):
    app.show("log")
    app.show("start")
    with Store(db) as other:  # another tab, a notebook or the command line
        cid = other.add(Community(name="Harbour Choir"))
        other.add(LogEntry(date=app.session.today, community_id=cid))
    app.show("log")
    recent = app.built["log"].parts["list"]
    assert len(recent.select.options) == 1 and "Harbour Choir" in recent.select.options[0][0]


def test_a_page_that_arrives_late_shows_what_was_saved_since_the_app_was_built(app, db):
    """A kernel from Voila's pool built the app before the visit; the page's arrival reads again."""
    stand = app.built["start"].parts["stand"]
    before = stand.value
    with Store(db) as other:  # saved from the page that used the kernel before this one
        other.add(Community(name="Harbour Choir"))
    assert stand.value == before  # nothing has told the app yet
    app.arrived.click()  # what the page template does once the widgets are live
    assert stand.value != before
    assert ">1<" in stand.value.replace(" ", "")
    reads = []
    app.session.on_change(lambda tables=None: reads.append(tables))
    app.arrived.click()  # a second arrival with nothing new written reads nothing again
    assert reads == []


def test_a_phone_sized_window_gets_charts_drawn_for_a_phone(app, monkeypatch):
    """The page presses the hidden phone button; charts in sight are drawn again, the rest
    when they are next shown."""
    drawn = []
    real = charts_module.chart

    def chart(name, frames, today, year=None, *, narrow=False):
        drawn.append((name, narrow))
        return real(name, frames, today, year, narrow=narrow)

    monkeypatch.setattr(charts_module, "chart", chart)
    app.show("progress")
    app.show("communities")  # the map: drawn, then out of sight
    assert drawn == [("plan_vs_actual", False), ("network_map", False)]
    app.phone.value = True  # what the page does in a window 600 px wide or less
    assert app.session.narrow
    assert drawn[-1] == ("network_map", True)  # in sight: at once
    app.show("progress")
    assert drawn[-1] == ("plan_vs_actual", True)  # out of sight until now
    assert app.built["progress"].parts["charts"].narrow
    app.phone.value = False
    assert drawn[-1] == ("plan_vs_actual", False)
    count = len(drawn)
    app.phone.value = False  # no change, nothing drawn again
    assert len(drawn) == count


def test_the_header_names_the_file_as_text_and_follows_the_demo(tmp_path):
    path = tmp_path / f"{HOSTILE}.sqlite"
    built = webapp.build_app(path)
    try:
        assert "<img" not in built.header.value and "&lt;img" in built.header.value
        assert webapp.PRODUCT in built.header.value
        built.built["start"].parts["demo_button"].click()
        assert built.session.is_demo
        assert "demo.sqlite" in built.header.value and "wb-badge" in built.header.value
    finally:
        built.session.close()


def test_a_file_that_is_not_a_workbook_gives_a_plain_message(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("shopping list: bread, milk\n" * 50)
    built = webapp.build_app(path)
    assert built.session is None and built.nav.disabled
    assert built.error.text.startswith("The workbook could not be opened")
    assert "Traceback" not in built.error.text and "workbook app --db" in built.status.text
    assert built.body.children == ()


def test_a_step_that_fails_to_build_says_so_and_the_others_still_work(app, monkeypatch):
    def broken(session, **kw):
        raise RuntimeError("the plan page is broken")

    monkeypatch.setattr(pages, "plan_page", broken)
    app.show("plan")
    assert app.error.text == "This step could not be opened: the plan page is broken"
    app.show("log")
    assert app.error.text == "" and visible(app) == ["log"]


def test_unknown_steps_are_refused(app, db):
    with pytest.raises(ValueError, match="no step called 'map'"):
        app.show("map")
    with pytest.raises(ValueError, match="the steps are start, communities"):
        webapp.App(db, "map")


def test_the_start_step_links_every_guided_notebook():
    html = webapp.guided_links_html()
    names = sorted(p.name for p in server.NOTEBOOKS.glob("0*.ipynb"))
    assert sorted(name for name, _ in webapp.GUIDED_NOTEBOOKS) == names
    for name in names:
        assert f'href="{name}"' in html
    assert html.count('rel="noopener"') == len(names)


def test_the_app_notebook_is_one_thin_cell():
    nb = nbformat.read(server.APP_NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert len(code) == 1 and len(nb.cells) == 1
    assert code[0].outputs == [] and code[0].execution_count is None
    assert "from workbook.app import build_app" in code[0].source
    assert code[0].source.rstrip().endswith("build_app()")
    assert nb.metadata.title == webapp.PRODUCT and nb.metadata.kernelspec.name == "python3"


def test_the_first_render_needs_neither_pandas_nor_the_charts(tmp_path):
    """The page is sent before pandas loads; altair waits for a step with a chart."""
    script = (
        "import sys, ipywidgets\n"
        "from workbook.app import App\n"
        "app = App('unused.sqlite')\n"
        "assert 'pandas' not in sys.modules, 'pandas'\n"
        "import workbook.app\n"
        "from workbook.app import build_app\n"
        "app = build_app(sys.argv[1])\n"
        "assert app.session is not None\n"
        "for name in ('altair', 'workbook.charts', 'vl_convert'):\n"
        "    assert name not in sys.modules, name\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "w.sqlite")],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.stdout.strip() == "ok", done.stderr


def test_the_app_is_a_widget_to_display(app):
    assert isinstance(app, widgets.VBox) and "wb-app" in app._dom_classes
    bundle = app._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_charts_get_their_javascript_without_a_javascript_engine_in_the_kernel(tmp_path):
    """The offline chart bundle is read from the cache: vl-convert never loads in the app."""
    script = (
        "import sys\n"
        "import altair as alt\n"
        "from workbook.app import build_app\n"
        "from workbook.chartview import chart_bundle_path\n"
        "app = build_app(sys.argv[1])\n"
        "app.show('progress')\n"
        "assert alt.JupyterChart._is_offline and len(alt.JupyterChart._esm) > 100_000\n"
        "assert 'vl_convert' not in sys.modules, 'vl_convert'\n"
        "assert chart_bundle_path().read_text() == alt.JupyterChart._esm\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "w.sqlite")],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.stdout.strip() == "ok", done.stderr
