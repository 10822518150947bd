"""Every command and option of ``workbook`` is documented in README.md, and the backup too."""

from __future__ import annotations

import argparse
import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from workbook import backup
from workbook.cli import build_parser
from workbook.model import Owner

README = Path(__file__).resolve().parent.parent / "README.md"


def cli_section() -> str:
    """The README from '## Command line' to the next second-level heading."""
    text = README.read_text(encoding="utf-8")
    start = text.index("\n## Command line\n")
    end = text.find("\n## ", start + 1)
    return text[start:] if end == -1 else text[start:end]


def subsections() -> dict[str, str]:
    """'### heading' -> the text under it, within the command line section."""
    parts = re.split(r"^### (.+)$", cli_section(), flags=re.M)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts), 2)}


def commands(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every command and nested command with its parser, the top level first."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from commands(sub, (*path, name))


def is_group(parser: argparse.ArgumentParser) -> bool:
    return any(isinstance(a, argparse._SubParsersAction) for a in parser._actions)


def documented_words(parser: argparse.ArgumentParser) -> list[str]:
    """Option strings, choices and positional names a reader must find in the docs."""
    words = []
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction | argparse._SubParsersAction):
            continue
        if action.option_strings:
            words += action.option_strings
        else:
            words.append(action.metavar or action.dest)
        words += [str(c) for c in action.choices or ()]
    return words


ALL = list(commands(build_parser()))
LEAVES = [(path, p) for path, p in ALL if path and not is_group(p)]


def test_the_walk_finds_the_nested_commands():
    names = {" ".join(path) for path, _ in LEAVES}
    assert {"info", "demo", "export", "import", "check", "charts", "handouts blank",
            "handouts plan", "app"} <= names


@pytest.mark.parametrize("path, parser", LEAVES, ids=[" ".join(p) for p, _ in LEAVES])
def test_every_command_has_a_heading_that_names_each_option(path, parser):
    heading = f"`workbook {' '.join(path)}`"
    sections = subsections()
    assert heading in sections, f"README.md has no '### {heading}' heading"
    for word in documented_words(parser):
        if word == "--db":
            continue  # shared by every command: documented once, below
        # whole words only: "--out" must not be satisfied by "--out-dir"
        assert re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", sections[heading]), (
            f"{word!r} of 'workbook {' '.join(path)}' is not documented under its heading"
        )


def test_options_shared_by_every_command_are_documented():
    top = dict(ALL)[()]
    text = cli_section()
    for word in [*documented_words(top), "--help", "WORKBOOK_DB", "WORKBOOK_DEBUG"]:
        assert f"`{word}" in text or f"{word}`" in text, word
    for path, parser in LEAVES:
        assert "--db" in documented_words(parser), path


def test_no_heading_documents_a_command_that_does_not_exist():
    names = {f"`workbook {' '.join(path)}`" for path, _ in ALL if path}
    for heading in subsections():
        if heading.startswith("`workbook "):
            assert heading in names, heading


def test_the_backup_example_is_a_valid_backup_and_its_table_is_complete():
    section = subsections()[f"The JSON backup, `format_version` {backup.FORMAT_VERSION}"]
    example = re.search(r"```json\n(.*?)```", section, re.S).group(1)
    records = backup.load(example)
    assert {type(r) for r in records} == {Owner, *(cls for cls, _ in backup.SECTIONS.values())}
    assert re.search(r"^\| `owner` \| .*`\{\"name\": \.\.\.\}`", section, re.M)
    for name, (cls, _) in backup.SECTIONS.items():
        row = re.search(rf"^\| `{name}` \| (.*) \|$", section, re.M)
        assert row, f"the table has no row for {name}"
        for field in dataclasses.fields(cls):
            if field.name == "version":  # the file's own, never in a backup
                continue
            assert f"`{field.name}`" in row.group(1), f"{name}.{field.name} is not described"
    assert f"`{backup.FORMAT_VERSION}`" in section and f'"{backup.FORMAT}"' in section


def test_the_documented_data_folder_matches_the_code():
    from workbook import paths

    assert f'user_data_dir("{paths.APP_NAME}")' in cli_section()
    assert f"`{paths.ENV_VAR}`" in cli_section()
