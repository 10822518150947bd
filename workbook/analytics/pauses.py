"""Paused days: a pause of one community or of everything plans nothing and keeps scores still."""

from __future__ import annotations

import numpy as np
import pandas as pd


def paused(pauses: pd.DataFrame | None, communities: pd.DataFrame,
           days: pd.DatetimeIndex) -> np.ndarray:
    """True on the days a community is paused (its own pause, or a pause of everything).

    Returns
    -------
    numpy.ndarray
        Day x community, in the order of ``communities``.
    """
    out = np.zeros((len(days), len(communities)), dtype=bool)
    if pauses is None or pauses.empty or not len(days):
        return out
    cols = {cid: i for i, cid in enumerate(communities["id"])}
    first, n = days[0], len(days)
    for row in pauses.itertuples(index=False):
        lo = max(0, (row.start - first).days)
        hi = n if pd.isna(row.end) else min(n, (row.end - first).days + 1)
        if lo >= hi:
            continue
        if pd.isna(row.community_id):
            out[lo:hi, :] = True
        elif int(row.community_id) in cols:
            out[lo:hi, cols[int(row.community_id)]] = True
    return out


def _paused_days(pauses: pd.DataFrame | None, community_ids: pd.Series, start: pd.Series,
                 until: pd.Series) -> np.ndarray:
    """For each (community, start, until) row: how many of those days were paused."""
    counts = np.zeros(len(community_ids), dtype=np.int64)
    if pauses is None or pauses.empty:
        return counts
    for i, (cid, lo, hi) in enumerate(zip(community_ids, start, until, strict=True)):
        if hi < lo:
            continue
        mine = pauses[pauses["community_id"].isna() | (pauses["community_id"] == cid)]
        covered = np.zeros((hi - lo).days + 1, dtype=bool)
        for row in mine.itertuples(index=False):
            a = max(0, (row.start - lo).days)
            b = len(covered) if pd.isna(row.end) else min(len(covered), (row.end - lo).days + 1)
            if a < b:
                covered[a:b] = True
        counts[i] = int(covered.sum())
    return counts
