"""The workbook's content: community kinds, give ideas and reflection prompts, read from data/."""

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pandas as pd

STAGES = ("map", "plan", "give", "review")
GIVE_TAGS = ("advice", "link", "introduction", "visit", "time", "recommendation", "thanks", "skill")

KINDS_FILE = "community_kinds.toml"
IDEAS_FILE = "give_ideas.toml"
PROMPTS_FILE = "reflection_prompts.toml"

_MAX_TEXT = 300
_MIN_MINUTES, _MAX_MINUTES = 1, 240
_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")

# An idea finishes "When <cue> in <community>, I will <idea>", so it must not bring its own
# "I will" or cue, nor speak to the reader. A whole word is one not joined to letters, digits or
# hyphens: "thank-you card" is not the second person, "you're" is.
_CUE_WORDS = ("when", "whenever", "if", "unless", "after", "before", "once", "as soon as",
              "the next time", "next time", "each time", "every time", "any time", "during",
              "while", "whilst", "until")
_WORD_END = r"(?![\w-])"
_STARTS_WITH_I_WILL = re.compile(rf"i(\s+will|['’]ll){_WORD_END}", re.IGNORECASE)
_STARTS_WITH_CUE = re.compile(
    "(" + "|".join(w.replace(" ", r"\s+") for w in _CUE_WORDS) + ")" + _WORD_END, re.IGNORECASE)
_SECOND_PERSON = re.compile(
    rf"(?<![\w-])(you|your|yours|yourself|yourselves){_WORD_END}", re.IGNORECASE)


@dataclass(frozen=True)
class CommunityKind:
    """A kind of community, such as a hobby club or a neighbourhood."""

    id: str
    label: str
    description: str


@dataclass(frozen=True)
class GiveIdea:
    """A small, concrete give suited to one or more kinds of community.

    ``text`` is what I will do, in the first person and starting with a verb and a capital letter,
    as it stands alone in a list ("Lend my spare gear ..."); ``give`` is the same words as they
    follow "I will" in a resolution.
    """

    id: str
    text: str
    kinds: tuple[str, ...]
    minutes: int
    tags: tuple[str, ...]

    @property
    def give(self) -> str:
        """The text as it follows "I will" (a first word like "LinkedIn" or "CV" keeps its case)."""
        first = self.text.split(maxsplit=1)[0]
        if first[1:] != first[1:].lower():
            return self.text
        return self.text[0].lower() + self.text[1:]


@dataclass(frozen=True)
class ReflectionPrompt:
    """A question to answer in writing at one stage of the loop."""

    id: str
    stage: str
    text: str


class ContentError(ValueError):
    """A content file is malformed; the message names the file, the entry (number and id) and the
    problem."""


def data_dir() -> Path:
    """Return the folder that holds the content files.

    Returns
    -------
    pathlib.Path
        ``workbook/data`` inside an installed wheel, else the repository's top-level ``data/``.
    """
    packaged = Path(__file__).parent / "data"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "data"


# Reading and checking -------------------------------------------------------------------------


def _entries(path: Path, table: str) -> list[dict]:
    """Read the ``[[table]]`` entries of one TOML file, or raise ContentError."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise ContentError(f"{path.name}: the file is missing from {path.parent}") from err
    except UnicodeDecodeError as err:
        raise ContentError(f"{path.name}: the file is not saved as UTF-8 text") from err
    except tomllib.TOMLDecodeError as err:
        raise ContentError(f"{path.name}: the file is not valid TOML ({err})") from err
    entries = data.get(table)
    if not isinstance(entries, list) or not entries:
        raise ContentError(f"{path.name}: expected one or more [[{table}]] tables")
    return entries


class _Entry:
    """One entry of a content file, with checked accessors that raise ContentError."""

    def __init__(self, path: Path, table: str, number: int, raw: object, keys: tuple[str, ...]):
        self.raw = raw if isinstance(raw, dict) else {}
        ident = self.raw.get("id")
        named = f" ({ident.strip()!r})" if isinstance(ident, str) and ident.strip() else ""
        self.where = f"{path.name}, {table} number {number}{named}"
        if not isinstance(raw, dict):
            self.fail(f"expected a [[{table}]] table")
        unknown = sorted(set(self.raw) - set(keys))
        if unknown:
            self.fail(f"unknown key {unknown[0]!r} (expected: {', '.join(keys)})")

    def fail(self, problem: str) -> NoReturn:
        raise ContentError(f"{self.where}: {problem}")

    def text(self, key: str) -> str:
        value = self.raw.get(key)
        if value is None:
            self.fail(f"{key!r} is missing")
        if not isinstance(value, str):
            self.fail(f"{key!r} must be text in quotes, not {type(value).__name__}")
        value = value.strip()
        if not value:
            self.fail(f"{key!r} is empty")
        if len(value) >= _MAX_TEXT:
            self.fail(f"{key!r} is {len(value)} characters long; keep it under {_MAX_TEXT}")
        return value

    def slug(self) -> str:
        value = self.text("id")
        if not _SLUG.fullmatch(value):
            self.fail("'id' must be lower-case letters, digits and single hyphens")
        return value

    def choice(self, key: str, allowed: tuple[str, ...]) -> str:
        value = self.text(key)
        if value not in allowed:
            self.fail(f"unknown {key} {value!r} (allowed: {', '.join(allowed)})")
        return value

    def choices(self, key: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
        values = self.raw.get(key)
        if values is None:
            self.fail(f"{key!r} is missing")
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            self.fail(f'{key!r} must be a list of text values, like ["{allowed[0]}"]')
        if not values:
            self.fail(f"{key!r} is an empty list")
        singular = key.removesuffix("s")
        for value in values:
            if value not in allowed:
                self.fail(f"unknown {singular} {value!r} (allowed: {', '.join(allowed)})")
        if len(set(values)) != len(values):
            self.fail(f"{key!r} lists the same {singular} twice")
        return tuple(values)

    def minutes(self) -> int:
        value = self.raw.get("minutes")
        if value is None:
            self.fail("'minutes' is missing")
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(f"'minutes' must be a whole number, not {value!r}")
        if not _MIN_MINUTES <= value <= _MAX_MINUTES:
            self.fail(f"'minutes' is {value}; it must be between {_MIN_MINUTES} and {_MAX_MINUTES}")
        return value


def _idea_text(entry: _Entry) -> str:
    """An idea's text, checked to follow "I will" in the first person, with a capital letter."""
    text = entry.text("text")
    if found := _STARTS_WITH_I_WILL.match(text):
        entry.fail(f"'text' starts with {found[0]!r}, which every plan already puts before the "
                   "idea; start with what to do, like 'Lend ...'")
    if found := _STARTS_WITH_CUE.match(text):
        entry.fail(f"'text' starts with the cue word {found[0]!r}, but the plan brings the cue "
                   "('When <cue>, I will <idea>'); start with what to do and leave the cue out")
    if found := _SECOND_PERSON.search(text):
        entry.fail(f"'text' says {found[0]!r}; write the idea in the first person (I, my, me), "
                   "as it follows 'I will'")
    return text[0].upper() + text[1:]


def _check_unique(path: Path, items: tuple) -> None:
    """Raise ContentError if two entries share an id."""
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise ContentError(f"{path.name}: the id {item.id!r} is used more than once")
        seen.add(item.id)


@functools.cache
def _load_kinds(directory: Path | None = None) -> tuple[CommunityKind, ...]:
    """Read and check community_kinds.toml (from data_dir() unless a directory is given)."""
    path = (directory or data_dir()) / KINDS_FILE
    keys = ("id", "label", "description")
    kinds = []
    for number, raw in enumerate(_entries(path, "kind"), start=1):
        entry = _Entry(path, "kind", number, raw, keys)
        kinds.append(CommunityKind(entry.slug(), entry.text("label"), entry.text("description")))
    result = tuple(kinds)
    _check_unique(path, result)
    return result


@functools.cache
def _load_ideas(directory: Path | None = None) -> tuple[GiveIdea, ...]:
    """Read and check give_ideas.toml: texts that follow "I will", kinds from the file beside it."""
    path = (directory or data_dir()) / IDEAS_FILE
    kind_ids = tuple(kind.id for kind in _load_kinds(directory))
    keys = ("id", "text", "kinds", "minutes", "tags")
    ideas = []
    for number, raw in enumerate(_entries(path, "idea"), start=1):
        entry = _Entry(path, "idea", number, raw, keys)
        ideas.append(
            GiveIdea(
                id=entry.slug(),
                text=_idea_text(entry),
                kinds=entry.choices("kinds", kind_ids),
                minutes=entry.minutes(),
                tags=entry.choices("tags", GIVE_TAGS),
            )
        )
    result = tuple(ideas)
    _check_unique(path, result)
    return result


@functools.cache
def _load_prompts(directory: Path | None = None) -> tuple[ReflectionPrompt, ...]:
    """Read and check reflection_prompts.toml (from data_dir() unless a directory is given)."""
    path = (directory or data_dir()) / PROMPTS_FILE
    keys = ("id", "stage", "text")
    prompts = []
    for number, raw in enumerate(_entries(path, "prompt"), start=1):
        entry = _Entry(path, "prompt", number, raw, keys)
        prompts.append(
            ReflectionPrompt(entry.slug(), entry.choice("stage", STAGES), entry.text("text"))
        )
    result = tuple(prompts)
    _check_unique(path, result)
    return result


# Public API -----------------------------------------------------------------------------------


def community_kinds() -> tuple[CommunityKind, ...]:
    """Return the built-in kinds of community.

    Returns
    -------
    tuple of CommunityKind
        In the order the workbook shows them.
    """
    return _load_kinds()


def kind_labels() -> dict[str, str]:
    """Return the label of each built-in kind.

    Returns
    -------
    dict
        Kind id to label, for example ``"faith" -> "Faith community"``.
    """
    return {kind.id: kind.label for kind in community_kinds()}


def give_ideas(kind: str | None = None, tag: str | None = None) -> tuple[GiveIdea, ...]:
    """Return give ideas, optionally only those for one kind and with one tag.

    Parameters
    ----------
    kind : str, optional
        A kind id. A custom kind of your own has no built-in ideas, so it gives ``()``.
    tag : str, optional
        One of ``GIVE_TAGS``.

    Returns
    -------
    tuple of GiveIdea
        In file order.

    Raises
    ------
    ValueError
        If ``tag`` is not one of ``GIVE_TAGS``.
    """
    if tag is not None and tag not in GIVE_TAGS:
        raise ValueError(f"unknown tag {tag!r} (allowed: {', '.join(GIVE_TAGS)})")
    return tuple(
        idea
        for idea in _load_ideas()
        if (kind is None or kind in idea.kinds) and (tag is None or tag in idea.tags)
    )


def give_idea(idea_id: str) -> GiveIdea:
    """Return one give idea by its id.

    Raises
    ------
    KeyError
        If no give idea has this id.
    """
    for idea in _load_ideas():
        if idea.id == idea_id:
            return idea
    raise KeyError(f"no give idea with id {idea_id!r}")


def reflection_prompts(stage: str | None = None) -> tuple[ReflectionPrompt, ...]:
    """Return reflection prompts, optionally only those for one stage.

    Parameters
    ----------
    stage : str, optional
        One of ``STAGES``: map, plan, give or review.

    Raises
    ------
    ValueError
        If ``stage`` is not one of ``STAGES``.
    """
    if stage is not None and stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r} (allowed: {', '.join(STAGES)})")
    return tuple(p for p in _load_prompts() if stage is None or p.stage == stage)


def reflection_prompt(prompt_id: str) -> ReflectionPrompt:
    """Return one reflection prompt by its id.

    Raises
    ------
    KeyError
        If no reflection prompt has this id.
    """
    for prompt in _load_prompts():
        if prompt.id == prompt_id:
            return prompt
    raise KeyError(f"no reflection prompt with id {prompt_id!r}")


def give_ideas_frame(kind: str | None = None, tag: str | None = None) -> pd.DataFrame:
    """Return give ideas as a table for display.

    Parameters
    ----------
    kind, tag : str, optional
        Filters, as in `give_ideas`.

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``text``, ``kinds`` (labels joined by commas), ``minutes`` and ``tags``
        (joined by commas).
    """
    labels = kind_labels()
    rows = [
        {
            "id": idea.id,
            "text": idea.text,
            "kinds": ", ".join(labels.get(k, k) for k in idea.kinds),
            "minutes": idea.minutes,
            "tags": ", ".join(idea.tags),
        }
        for idea in give_ideas(kind, tag)
    ]
    frame = pd.DataFrame(rows, columns=["id", "text", "kinds", "minutes", "tags"])
    return frame.astype({"minutes": "int64"})
