"""The days of the log: dates as midnight Timestamps, the gives up to today or in a window."""

from __future__ import annotations

import pandas as pd


def _day(value) -> pd.Timestamp:
    """A date as a midnight Timestamp."""
    return pd.Timestamp(value).normalize()


def _until(log: pd.DataFrame, today) -> pd.DataFrame:
    """Log rows dated today or earlier (a future date is a typing slip, not a give yet)."""
    return log[log["date"] <= _day(today)]


def _week_start(dates: pd.Series) -> pd.Series:
    """The Monday of each date's week."""
    return (dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")).dt.normalize()


def _window(log: pd.DataFrame, today, days: int) -> pd.DataFrame:
    """Log rows in the ``days`` days that end today (today included)."""
    t = _day(today)
    return log[(log["date"] > t - pd.Timedelta(days=days)) & (log["date"] <= t)]
