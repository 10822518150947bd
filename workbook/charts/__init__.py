"""Charts of your giving: the network map, plans kept, the calendar, balance, visibility, the year.

Each function takes workbook DataFrames (and today) and returns an Altair chart: a value that can
be shown, saved or tested; nothing is drawn here. The data is summed up in pandas first, so a chart
carries a row per day, week or community, never a row per log entry, and stays small after many
years of logging.

One module per chart, all of it importable from here: ``network``, ``plans``, ``calendar``,
``balance``, ``visibility`` and ``year``, and ``room`` for a workshop room's shared counts;
``style`` holds the colours (from `workbook.palette`) and sizes they share, ``axes`` the count
and time axes, ``named`` picks a chart by name and ``files``
writes them out. Pages call ``charts.chart`` through this package, so a test can replace it
here.
"""

from .axes import count_axis, time_axis, time_ticks
from .balance import balance_by_community
from .calendar import LEVELS, MONTHS, WEEKDAYS, gives_calendar
from .files import (
    FORMATS,
    _render,  # noqa: F401  (tests/test_charts.py renders one chart to SVG)
    write_charts,
)
from .named import CHART_NAMES, all_charts, chart
from .network import (
    PERSON_SIZE,
    ROLES,
    NetworkLayout,
    network_layout,
    network_map,
)
from .plans import plan_vs_actual
from .room import room_communities_by_kind, room_gives_per_week
from .style import (
    ACCENT,
    BLUES,
    GREY,
    KIND_COLOURS,
    MAX_ROWS,
    MUTED,
    NOTHING_YET,
    PALE_GREY,
    PALETTE,
    PHONE_WIDTH,
    ROW_BUDGET,
    WIDTH,
    phone_type,
)
from .visibility import visibility_over_time
from .year import year_in_review

__all__ = [
    "ACCENT", "BLUES", "CHART_NAMES", "FORMATS", "GREY", "KIND_COLOURS", "LEVELS",
    "MAX_ROWS", "MONTHS", "MUTED", "NOTHING_YET", "PALE_GREY", "PALETTE", "PERSON_SIZE",
    "PHONE_WIDTH", "ROLES", "ROW_BUDGET", "WEEKDAYS", "WIDTH", "NetworkLayout", "all_charts",
    "balance_by_community", "chart", "count_axis", "gives_calendar", "network_layout",
    "network_map", "phone_type", "plan_vs_actual", "room_communities_by_kind",
    "room_gives_per_week", "time_axis", "time_ticks", "visibility_over_time", "write_charts",
    "year_in_review",
]
