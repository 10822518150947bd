"""CSV tables stay text in a spreadsheet whatever separator it guesses: comma, semicolon or tab."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import zipfile

import openpyxl
import pytest
from shared import HOSTILE

from workbook import exports
from workbook.model import (
    Community,
    HelpReceived,
    LogEntry,
    Person,
    Reflection,
    Resolution,
    ValidationError,
)

# Formulas, some behind a separator a spreadsheet may split the cell at.
PAYLOADS = ('=HYPERLINK("http://x.invalid","y")', "+1+1", "-2+3", "@SUM(1)", "a;=1+1",
            "a\t=1+1", "a,=1+1", "2000;=2000+674", 'a; "=1+1', "a\n=1+1", "a\r\n-1",
            "a\u2028=1+1", " =1+1", "\t=1+1", "note;\t+1", "a,;@x")
TRIGGERS = ("=", "+", "-", "@")
SEPARATORS = {",": 44, ";": 59, "\t": 9}  # and LibreOffice's number for each


@pytest.fixture
def hostile(store, today):
    """Every text field of every kind of entry holds a formula or text that must stay text."""
    texts = PAYLOADS + HOSTILE
    for i, text in enumerate(texts):
        cid = store.add(Community(name=f"{text} #{i}", kind="hobby", role=text, activity=2,
                                  notes=text))
        pid = store.add(Person(name=f"{text} #{i}", circle=15, communities=(cid,), notes=text))
        rid = store.add(Resolution(cue=text, give=text, community_id=cid, times=1, per="week",
                                   start=dt.date(2026, 1, 5), person_id=pid))
        store.add(LogEntry(date=today - dt.timedelta(days=i), community_id=cid, minutes=i,
                           note=text, person_id=pid, resolution_id=rid))
        store.add(HelpReceived(date=today, note=text, person_id=pid))
        store.add(Reflection(prompt_id="give-felt", answer=text, date=today))
    return store


def _tables(store, tmp_path) -> dict[str, str]:
    out = exports.export(store, "csv", tmp_path / "tables.zip")
    with zipfile.ZipFile(out) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def test_no_cell_starts_a_formula_whatever_the_separator(hostile, tmp_path):
    tables = _tables(hostile, tmp_path)

    fields = 0
    for name, text in tables.items():
        # splitlines breaks at every line break Python knows, more than any spreadsheet does
        for line in text.splitlines():
            for separator in SEPARATORS:
                for field in line.split(separator):
                    fields += 1
                    start = field.strip().strip('"').lstrip()
                    assert not start.startswith(TRIGGERS), (name, separator, field)
    assert fields > 1000
    # the text is all there, with a ' in front of each formula
    reflections = tables["reflections.csv"]
    assert "a;'=1+1" in reflections and "'=HYPERLINK(\"\"http://x.invalid\"\",\"\"y\"\")" in (
        reflections)
    assert "2000;'=2000+674" in reflections


def test_a_number_in_a_table_is_never_negative(store, today):
    # Numbers are written as they are, so none may start with a minus sign.
    with pytest.raises(ValidationError):
        LogEntry(date=today, community_id=1, minutes=-5)
    for field, value in (("activity", -1), ("since", -2000)):
        with pytest.raises(ValidationError):
            Community(name="Choir", kind="hobby", **{field: value})
    with pytest.raises(ValidationError):
        Person(name="Kofi", circle=-5)
    with pytest.raises(ValidationError):
        Resolution(cue="x", give="y", community_id=1, times=-1, per="week",
                   start=dt.date(2026, 1, 5))


def test_csv_cell_leaves_ordinary_text_and_numbers_alone():
    for text in ("Harbour Voices 🎶", "cake; coffee, and a chat", "one - two", "x@y.org",
                 "1 + 1 = 2", "", "שלום"):
        assert exports.csv_cell(text) == text
    assert exports.csv_cell(42) == 42 and exports.csv_cell(None) is None


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is absent")
@pytest.mark.parametrize("separator", SEPARATORS)
def test_libreoffice_opens_every_table_without_a_formula(hostile, tmp_path, separator):
    folder = tmp_path / "csv"
    folder.mkdir()
    for name, text in _tables(hostile, tmp_path).items():
        (folder / name).write_text(text, encoding="utf-8")
    # CSV:<separator>,<quote ">,<UTF-8>: how a person in a semicolon locale opens the file.
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "xlsx", f"--infilter=CSV:{SEPARATORS[separator]},34,76",
                    "--outdir", str(tmp_path / "xlsx"), *sorted(map(str, folder.iterdir()))],
                   check=True, capture_output=True, timeout=300)

    books = sorted((tmp_path / "xlsx").glob("*.xlsx"))
    assert len(books) == len(list(folder.iterdir()))
    cells = 0
    for path in books:
        book = openpyxl.load_workbook(io.BytesIO(path.read_bytes()))
        for row in book.active.iter_rows():
            for cell in row:
                cells += cell.value is not None
                assert cell.data_type != "f", (path.name, cell.coordinate, cell.value)
                assert not str(cell.value or "").startswith("="), (path.name, cell.coordinate)
    assert cells > 150, cells
