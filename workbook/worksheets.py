"""Blank handouts for a workshop room: the participant set, the give-ideas sheet for a table and
the facilitator guide, each its own PDF.

In the participant set each page is one sheet, numbered by its page (a sheet that runs over two
pages takes two numbers), so "sheet 5" is the fifth page of every printed set. The guide reads
the sheets' numbers from the set itself.
"""

from __future__ import annotations

import json
from pathlib import Path

import typst

from . import content, handouts, model

SET_TEMPLATE = "worksheets.typ"
IDEAS_TEMPLATE = "ideas.typ"
GUIDE_TEMPLATE = "facilitator.typ"
IDEAS_PER_KIND = 3  # eight kinds: 24 ideas, as many as one page holds with room to read them


def worksheets_data(paper: str = "a4") -> dict:
    """The content of the participant set, as plain values for the template.

    Parameters
    ----------
    paper : str
        ``"a4"`` or ``"letter"``.

    Returns
    -------
    dict
        Community kinds, give ideas grouped by the kind they suit best (with the other kinds
        they fit), reflection prompts by stage, activity levels and circles.
    """
    labels = content.kind_labels()
    groups = []
    for kind in content.community_kinds():
        ideas = [_idea_row(idea, labels) for idea in content.give_ideas()
                 if idea.kinds[0] == kind.id]
        if ideas:
            groups.append({"label": kind.label, "ideas": ideas})
    stages = [
        {"stage": stage, "prompts": [p.text for p in content.reflection_prompts(stage)]}
        for stage in content.STAGES
    ]
    return {
        "paper": handouts._paper(paper),
        "kinds": [{"id": k.id, "label": k.label} for k in content.community_kinds()],
        "activity": list(model.ACTIVITY_LEVELS),
        "circles": list(model.CIRCLES),
        "idea_groups": groups,
        "prompt_stages": [s for s in stages if s["prompts"]],
    }


def _idea_row(idea: content.GiveIdea, labels: dict[str, str]) -> dict:
    return {"text": idea.text, "minutes": idea.minutes,
            "also": ", ".join(labels.get(k, k) for k in idea.kinds[1:])}


def room_ideas(per_kind: int = IDEAS_PER_KIND) -> list[content.GiveIdea]:
    """A few give ideas for each kind of community, the same ones every time.

    Each pick is the idea whose kind of give (its first tag) the sheet holds least so far,
    then the quickest (small gives are the ones people keep up), then the first in the library:
    the sheet spreads over kinds of community and kinds of give alike.
    """
    ideas = content.give_ideas()
    used: dict[str, int] = {}
    chosen = []
    for kind in content.community_kinds():
        own = [i for i in ideas if i.kinds[0] == kind.id]
        picked: list[content.GiveIdea] = []
        while own and len(picked) < per_kind:
            best = min(own, key=lambda i: (used.get(i.tags[0], 0), i.minutes, ideas.index(i)))
            own.remove(best)
            picked.append(best)
            used[best.tags[0]] = used.get(best.tags[0], 0) + 1
        chosen += sorted(picked, key=ideas.index)
    return chosen


def ideas_data(paper: str = "a4") -> dict:
    """The give-ideas sheet for a table, as plain values for the template."""
    labels = content.kind_labels()
    ideas = room_ideas()
    groups = [{"label": kind.label,
               "ideas": [_idea_row(i, labels) for i in ideas if i.kinds[0] == kind.id]}
              for kind in content.community_kinds()]
    return {"paper": handouts._paper(paper), "count": len(ideas),
            "idea_groups": [g for g in groups if g["ideas"]]}


def sheet_numbers(paper: str = "a4") -> dict[str, int]:
    """The number (the page) on which each sheet of the participant set begins, and its length.

    Keys: ``map``, ``people``, ``ideas``, ``resolutions``, ``tracker``, ``reflect-<stage>`` for
    each stage of `workbook.content.STAGES` that has prompts, and ``pages``: how many pages
    one set has.
    """
    payload = json.dumps(worksheets_data(paper), ensure_ascii=False)
    found = json.loads(typst.query(str(handouts.TEMPLATES / SET_TEMPLATE), "<sheet>",
                                   field="value", root=str(handouts.TEMPLATES),
                                   font_paths=handouts._fonts(), sys_inputs={"data": payload}))
    return {sheet["key"]: sheet["page"] for sheet in found}


def guide_data(paper: str = "a4") -> dict:
    """The facilitator guide's values: the paper and the numbers of the participant's sheets."""
    return {"paper": handouts._paper(paper), "sheets": sheet_numbers(paper)}


def blank_worksheets(out: Path, paper: str = "a4") -> Path:
    """Write the participant set: one to print for each person in the room.

    In black and white: a map of your communities, people and circles, give ideas to tick,
    if-then resolutions (with a worked example), a twelve-month give tracker, and reflection
    prompts with room to write. Each page carries its sheet number.

    Parameters
    ----------
    out : Path
        The PDF file to write (replaced in one step if it exists).
    paper : str
        ``"a4"`` or ``"letter"``.

    Returns
    -------
    Path
        ``out``.
    """
    return handouts._write(out, handouts.render(SET_TEMPLATE, worksheets_data(paper)))


def ideas_sheet(out: Path, paper: str = "a4") -> Path:
    """Write the one-page give-ideas sheet: one to print for each table.

    Parameters and return value as in `blank_worksheets`.
    """
    return handouts._write(out, handouts.render(IDEAS_TEMPLATE, ideas_data(paper)))


def facilitator_guide(out: Path, paper: str = "a4") -> Path:
    """Write the facilitator guide: setting up the room, then a 90-minute session.

    Parameters and return value as in `blank_worksheets`.
    """
    return handouts._write(out, handouts.render(GUIDE_TEMPLATE, guide_data(paper)))
