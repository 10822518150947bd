"""Progress from the log: plans kept, visibility, streaks, balance, neglect, the year in review.

Every function takes the DataFrames that ``Store.frame`` returns and gives back a DataFrame or a
small dataclass. The date of "today" is always a parameter, so the same data gives the same answer
on any machine and in any test.

One module per question, all of it importable from here: ``plans`` (resolutions kept),
``scores`` (visibility: the habit score per community), ``due`` (what is still to give this
period), ``rhythm`` (streaks, gives per week or month), ``reach`` (where the gives went, who was
left out) and ``year`` (the year in review); ``days``, ``labels`` and ``pauses`` serve them all.
No module is named like a function it holds, so ``analytics.visibility`` is always the function.
"""

from .due import PERIOD_WORDS, due_now, period_of
from .labels import UNKNOWN, community_labels
from .pauses import paused
from .plans import (
    NEARLY_SHARE,
    REGULAR,
    TOLERANCE_GIVES,
    TOLERANCE_SHARE,
    first_period_days,
    has_run_a_period,
    in_year,
    plan_vs_actual,
    regular,
    running,
)
from .reach import balance, bridges, neglected, unreached_people
from .rhythm import Streaks, gives_per_period, streaks
from .scores import (
    DEFAULT_PER_DAY,
    LOOP_DAYS,
    _planned,  # noqa: F401  (tests/test_loop_score.py checks the planned rate itself)
    habit_scores,
    visibility,
    visibility_matrix,
    visibility_now,
)
from .year import MEASURES, YearInReview, year_in_review

__all__ = [
    "DEFAULT_PER_DAY", "LOOP_DAYS", "MEASURES", "NEARLY_SHARE", "PERIOD_WORDS", "REGULAR",
    "TOLERANCE_GIVES", "TOLERANCE_SHARE", "UNKNOWN", "Streaks", "YearInReview", "balance",
    "bridges", "community_labels", "due_now", "first_period_days", "gives_per_period",
    "habit_scores", "has_run_a_period", "in_year",
    "neglected", "paused", "period_of", "plan_vs_actual", "regular", "running", "streaks",
    "unreached_people", "visibility", "visibility_matrix", "visibility_now", "year_in_review",
]
