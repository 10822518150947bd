"""Lists to choose from, shown as rows of cards whose text wraps: whole on a phone as on a laptop.

A native list box cuts every line at its width; here each choice is a radio button with its
label, styled as a card. The keys and names a keyboard or screen reader needs (one group per
list, arrow keys between its cards) are added by the app page's script; `CARD_CSS` comes with
every list, so JupyterLab shows the same cards.
"""

from __future__ import annotations

from collections.abc import Iterable

import ipywidgets as widgets

from ..widgets_text import named

ROW_EM = 2.4  # the height of a one-line card; a list shows about ``rows`` of them, then scrolls

CARD_CSS = """
.wb-cards { overflow-y: auto; overflow-x: hidden; border: 1px solid #d0d7de;
  border-radius: 0.3em; box-sizing: border-box; }
.wb-cards .widget-radio-box { margin: 0 !important; padding: 3px; box-sizing: border-box;
  width: 100%; }
.wb-cards .widget-radio-box label {
  display: flex; flex-direction: row-reverse; justify-content: flex-end;
  align-items: flex-start; gap: 0.55em; height: auto; min-height: 1.9em; line-height: 1.35;
  padding: 0.35em 0.45em; margin: 0; border-bottom: 1px solid #e6eaee; white-space: normal;
  overflow-wrap: anywhere; cursor: pointer; color: #1f2328; }
.wb-cards .widget-radio-box label:last-child { border-bottom: 0; }
.wb-cards .widget-radio-box label:has(input:checked) { background: #e3eef4; }
.wb-cards .widget-radio-box input { float: none; flex: none; width: 1.05em; height: 1.05em;
  margin: 0.15em 0 0 0; }
"""


def card_list(rows: int, name: str) -> widgets.RadioButtons:
    """An empty list of cards, about ``rows`` high, that a screen reader calls ``name``."""
    cards = widgets.RadioButtons(
        options=[], layout=widgets.Layout(width="100%", max_width="48em",
                                          max_height=f"{rows * ROW_EM:.1f}em"))
    cards.add_class("wb-cards")
    return named(cards, name)


def card_style() -> widgets.HTML:
    """The cards' look, to put beside a list (the app page and JupyterLab alike)."""
    return widgets.HTML(f"<style>{CARD_CSS}</style>", layout=widgets.Layout(display="none"))


def unique_labels(options: Iterable[tuple[str, object]]) -> list[tuple[str, object]]:
    """The options with every label told apart: a card is found by its label in the page."""
    seen: dict[str, int] = {}
    out = []
    for label, value in options:
        label = str(label)
        if label in seen:
            seen[label] += 1
            label = f"{label} ({seen[label]})"
            while label in seen:  # a later label could be "... (2)" already
                label += "'"
        seen.setdefault(label, 1)
        out.append((label, value))
    return out
