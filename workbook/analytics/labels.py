"""Community names that are unique in a workbook, and a label for an id it does not hold."""

from __future__ import annotations

import pandas as pd

UNKNOWN = "(unknown)"


def community_labels(communities: pd.DataFrame) -> pd.Series:
    """Community id -> a name that is unique in the workbook (a repeated name gets its number)."""
    names = communities["name"].astype(str)
    repeated = names.duplicated(keep=False)
    labels = names.where(~repeated, names + " (#" + communities["id"].astype(str) + ")")
    return pd.Series(labels.to_numpy(), index=communities["id"].to_numpy(), dtype=object)


def _label_of(ids: pd.Series, labels: pd.Series) -> pd.Series:
    """Labels for a column of community ids; an id missing from the workbook reads '(unknown)'."""
    return ids.map(labels).fillna(UNKNOWN).astype(object)
