"""The workbook's pages: each builds one widget from forms and lists, wired to one open workbook.

A `Session` holds the open workbook file and tells every page when its data changed, so a page
built here can sit alone in a notebook or beside the others as a tab of the web app.

One module per step (`workbook.steps` names them): `start`, `communities` (Step 1), `plan` (2),
`log` (3), `progress` (4) and `reflect` (5). They share `session`, `parts` (the page frame),
`chart_panel`, `download_buttons`, `controls` (rows of buttons, the year shown) and `presenter`
(the sentences and rows a page shows, with no widgets); `room` is the progress page's part that
shares your counts with a workshop room.
"""

from ..model import CIRCLE_WORDS
from .communities import communities_page
from .log import log_page
from .parts import NOTE_COLOR, PAGE_WIDTH, ChartPanel, ChartView, DownloadButtons, Page
from .plan import plan_page
from .presenter import (
    NAMES_IN_A_SENTENCE,
    NEGLECTED_WEEKS,
    RECENT_WEEKS,
    UNREACHED_MONTHS,
    next_step,
)
from .progress import progress_page
from .reflect import ANSWERS_SHOWN, reflect_page
from .session import DEMO_FILE, Session, open_session
from .start import start_page

__all__ = [
    "ANSWERS_SHOWN",
    "CIRCLE_WORDS",
    "DEMO_FILE",
    "NAMES_IN_A_SENTENCE",
    "NEGLECTED_WEEKS",
    "NOTE_COLOR",
    "PAGE_WIDTH",
    "RECENT_WEEKS",
    "UNREACHED_MONTHS",
    "ChartPanel",
    "ChartView",
    "DownloadButtons",
    "Page",
    "Session",
    "communities_page",
    "log_page",
    "next_step",
    "open_session",
    "plan_page",
    "progress_page",
    "reflect_page",
    "start_page",
]
