"""The guided notebooks as files: committed clean, thin code cells, each a worksheet on its own."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

from workbook import pages, steps

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
EXPECTED = (
    "00-start-here",
    "01-map-your-communities",
    "02-plan-your-gives",
    "03-log-your-gives",
    "04-see-your-progress",
    "05-reflect-and-review",
)
FORBIDDEN = ("def ", "class ", "for ", "while ", ".observe", "lambda", "import os")


def load(name: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)


def code_cells(nb) -> list[str]:
    return [c.source for c in nb.cells if c.cell_type == "code"]


def markdown(nb) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def test_the_six_notebooks_are_there():
    # app.ipynb is the web app, not a worksheet: tests/test_app_widgets.py checks it
    guided = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb") if p.stem != "app")
    assert guided == list(EXPECTED)


@pytest.mark.parametrize("name", EXPECTED)
def test_committed_without_outputs(name):
    nb = load(name)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    assert nb.metadata.kernelspec.name == "python3"


@pytest.mark.parametrize("name", EXPECTED)
def test_code_cells_are_thin(name):
    cells = code_cells(load(name))
    assert 1 <= len(cells) <= 4
    for source in cells:
        assert len(source.splitlines()) <= 5, source
        for word in FORBIDDEN:
            assert word not in source, (word, source)
        tree = ast.parse(source)
        assert not any(isinstance(node, ast.ListComp | ast.DictComp | ast.SetComp
                                  | ast.GeneratorExp) for node in ast.walk(tree))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                module = getattr(node, "module", None) or node.names[0].name
                assert module.split(".")[0] == "workbook", source


@pytest.mark.parametrize("name", EXPECTED)
def test_each_notebook_shows_its_page_and_reads_like_a_worksheet(name):
    nb = load(name)
    source = "\n".join(code_cells(nb))
    called = re.findall(r"pages\.(\w+)\(", source)
    assert "open_session" in called
    page = [c for c in called if c.endswith("_page")]
    assert len(page) == 1 and callable(getattr(pages, page[0]))
    text = markdown(nb)
    assert text.startswith("# ")
    assert "## What next" in text
    assert len(text.split()) >= 80  # a few paragraphs of guidance, not a wall of widgets
    assert nb.cells[-1].cell_type == "markdown" and "What next" in nb.cells[-1].source


def test_research_is_cited_where_it_helps():
    assert "Gollwitzer" in markdown(load("02-plan-your-gives"))
    mapping = markdown(load("01-map-your-communities"))
    assert "Granovetter" in mapping and "Rajkumar" in mapping and "Dunbar" in mapping


def test_each_what_next_points_to_the_following_step():
    keys = list(steps.NOTEBOOKS)
    assert [steps.NOTEBOOKS[k][:-6] for k in keys] == list(EXPECTED)
    for current, following in zip(keys, keys[1:], strict=False):
        last = load(EXPECTED[keys.index(current)]).cells[-1].source
        assert f"**{steps.NAMES[following]}**" in last, (current, following)


def test_each_notebook_is_headed_by_its_step():
    for key, name in steps.NOTEBOOKS.items():
        assert load(name[:-6]).cells[0].source.startswith(f"# {steps.TITLES[key]}\n"), name
