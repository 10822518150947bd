"""Where everything sits on the network map: you in the middle, Dunbar's circles around you, each
community in a sector of its own. Plain geometry on DataFrames; the drawing is in `network`."""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import pandas as pd
import wcwidth

from .. import analytics
from ..model import CIRCLE_WORDS
from .style import _one_line, _short

# The map is laid out in pixels of a chart MAP_WIDTH wide, y pointing up, you at (0, 0).
MAP_WIDTH = 600
RING = {5: 56, 15: 98, 50: 134, 150: 164}  # the radius of each circle
COMMUNITY_RING = 190  # communities sit just outside the widest circle
LABELLED = (5, 15)  # the circles whose people are named on the map (bridges always are)
PERSON_SIZE = {5: 190, 15: 140, 50: 100, 150: 80}  # dot area; 80 is a dot 10 px across
GAP = 14  # px between the centres of two dots on one circle
TOP = 0.22  # the wedge at the top, in radians each side, kept for the circles' names
NO_COMMUNITY = 0  # the sector of people in no community yet (community ids start at 1)
MOST_PEOPLE = 1_200  # individual dots at most; the closest are kept


class NetworkLayout(NamedTuple):
    """The network map's tables (see `network_layout`)."""

    nodes: pd.DataFrame
    links: pd.DataFrame
    labels: pd.DataFrame
    rings: pd.DataFrame
    sectors: pd.DataFrame
    borders: pd.DataFrame


def _xy(radius, turn):
    """Cartesian coordinates of a point ``turn`` radians clockwise from the top."""
    return radius * np.sin(turn), radius * np.cos(turn)


def _wrap(text: str, width: int = 16) -> str:
    """A community's name on at most two lines near ``width`` columns (emoji count two)."""
    lines = wcwidth.wrap(_one_line(text), width, propagate_sgr=False) or [""]
    if len(lines) > 2:
        lines = [lines[0], _short(" ".join(lines[1:]), width)]
    return "\n".join(lines)


def _order(ids: list[int], groups: pd.Series) -> list[int]:
    """Communities in a chain where each one shares the most bridges with the one before it, so
    that most bridges sit on the border of their two sectors."""
    shared: dict[tuple[int, int], int] = {}
    for key in groups:
        for i, a in enumerate(key):
            for b in key[i + 1:]:
                shared[a, b] = shared.get((a, b), 0) + 1
                shared[b, a] = shared.get((b, a), 0) + 1
    if not ids:
        return []
    chain, left = [ids[0]], ids[1:]
    while left:
        best = max(left, key=lambda c: (shared.get((chain[-1], c), 0), -left.index(c)))
        chain.append(best)
        left.remove(best)
    return chain


def _spread(target, lo, hi, gap) -> np.ndarray:
    """Turns near ``target``, each within its [lo, hi], at least ``gap`` apart where room allows."""
    order = np.argsort(target, kind="stable")
    t, lo, hi, gap = (np.asarray(a, dtype=float)[order] for a in (target, lo, hi, gap))
    for _ in range(4):  # pushes forward then back settle in a few rounds
        for i in range(1, len(t)):
            t[i] = min(max(t[i], t[i - 1] + gap[i]), hi[i])
        for i in range(len(t) - 2, -1, -1):
            t[i] = max(min(t[i], t[i + 1] - gap[i]), lo[i])
    out = np.empty_like(t)
    out[order] = t
    return out


def _side(x: np.ndarray, y: np.ndarray, outward: bool = True) -> tuple[list[str], list[str]]:
    """How a label beside a dot at (x, y) is anchored so that it reads away from the dot."""
    sign = 1 if outward else -1
    align = np.select([sign * x > 6, sign * x < -6], ["left", "right"], "center")
    baseline = np.where(align != "center", "middle", np.where(sign * y > 0, "bottom", "top"))
    return align.tolist(), baseline.tolist()


def network_layout(communities: pd.DataFrame, people: pd.DataFrame,
                   memberships: pd.DataFrame) -> NetworkLayout:
    """Positions for the network map, a sociogram of Dunbar's circles.

    Parameters
    ----------
    communities, people, memberships
        The frames of a workbook.

    Returns
    -------
    NetworkLayout
        ``nodes``: one row per dot: ``x``, ``y`` (pixels, you at 0, 0), ``role`` ("Me",
        "Community", "Person", "Bridge", "More"), ``kind`` and ``ref`` (what a tap opens:
        "person" or "community" and its id; "me" and 0 for you), ``name``, ``circle``,
        ``sector`` (the community whose sector holds the dot), ``turn`` (radians clockwise from
        the top), ``size`` (dot area), ``count`` (people in a "More" dot), ``detail``.
        ``links``: from each bridge to each of its communities (``x``, ``y``, ``x2``, ``y2``).
        ``labels``: ``text``, ``x``, ``y``, ``align``, ``baseline``, ``style`` ("community",
        "person", "more", "circle"), ``kind``, ``ref``.
        ``rings``: points of each circle's ring (``circle``, ``x``, ``y``, ``order``).
        ``sectors``: ``sector``, ``name``, ``start``, ``end`` (radians clockwise from the top).
        ``borders``: a line between each two neighbouring sectors (``x``, ``y``, ``x2``, ``y2``).

    Notes
    -----
    Each person sits on the ring of their circle, inside the sector of their community; each
    sector's width follows the dots in it. Communities are ordered so that neighbours share
    bridges; a bridge sits on the border of two of its sectors, or, when its communities are
    not neighbours, inside one of them at the edge nearest another. When the widest circle
    holds more people than its ring has room for, each sector shows them as one dot with a
    count. The layout depends only on the data (no randomness).
    """
    names = analytics.community_labels(communities)
    ids = [int(i) for i in names.index]
    links = memberships[memberships["community_id"].isin(ids)]
    people = people.assign(circle=people["circle"].where(people["circle"].isin(RING), 150))
    people = people.sort_values(["circle", "id"], kind="stable")
    groups = links.groupby("person_id")["community_id"].agg(lambda c: tuple(sorted(set(c))))
    keys = people["id"].map(groups).map(lambda k: k if isinstance(k, tuple) else ())
    order = _order(ids, groups[groups.map(len) >= 2])
    if (keys.map(len) == 0).any():
        order.append(NO_COMMUNITY)
    place = {c: i for i, c in enumerate(order)}
    keys = keys.map(lambda k: tuple(sorted(k, key=place.__getitem__)))

    outer = (people["circle"] == 150).to_numpy()
    room = (2 * math.pi - 2 * TOP) * RING[150] / GAP
    grouped = outer & (outer.sum() > room)
    single = ~grouped
    kept = np.cumsum(single) <= MOST_PEOPLE
    shown = people[single & kept]
    shown_keys = keys[single & kept]
    more = people[grouped]
    more_home = keys[grouped].map(lambda k: k[0] if k else NO_COMMUNITY)

    # A sector's width follows its dots: a bridge counts a share in each of its communities.
    weight = dict.fromkeys(order, 1.0)
    for key in shown_keys:
        for c in key or (NO_COMMUNITY,):
            weight[c] += 1 / max(len(key), 1)
    for c in more_home.unique():
        weight[c] += 2.0
    total = sum(weight.values())
    span = 2 * math.pi - 2 * TOP
    start, end, t = {}, {}, TOP
    for c in order:
        start[c], t = t, t + span * weight[c] / total
        end[c] = t

    def home_and_target(key: tuple) -> tuple[int, float, float, float]:
        """The sector a person belongs to, where they aim, and their allowed range."""
        if not key:
            return NO_COMMUNITY, 0.5, start[NO_COMMUNITY], end[NO_COMMUNITY]
        if len(key) == 1:
            return key[0], 0.5, start[key[0]], end[key[0]]
        # Two of their communities side by side: on the border between them.
        for a, b in zip(key, key[1:], strict=False):
            if place[b] == place[a] + 1:
                border = end[a]
                return a, -1.0, border - (end[a] - start[a]) / 2, border + (end[b] - start[b]) / 2
        # Otherwise in their first community's sector, at its edge toward the next one.
        a = key[0]
        return a, 0.9, start[a], end[a]

    placed = [home_and_target(k) for k in shown_keys]
    home = np.array([p[0] for p in placed], dtype=int)
    turn = np.zeros(len(shown))
    circles = shown["circle"].to_numpy()
    for circle, radius in RING.items():
        on = np.flatnonzero(circles == circle)
        if len(on) == 0:
            continue
        lo = np.array([placed[i][2] for i in on])
        hi = np.array([placed[i][3] for i in on])
        aim = np.array([placed[i][1] for i in on])
        target = np.where(aim < 0, (lo + hi) / 2, 0.0)
        # People of one sector spread evenly across it; a bridge at the edge aims at the edge.
        for c in set(home[on]):
            mine = (home[on] == c) & (aim >= 0)
            n = int(mine.sum())
            spots = start[c] + (end[c] - start[c]) * (np.arange(n) + 0.5) / max(n, 1)
            target[mine] = np.where(aim[mine] > 0.5, end[c] - 0.35 * GAP / radius, spots)
        gap = np.full(len(on), GAP / radius)
        margin = np.minimum(0.5 * GAP / radius, (hi - lo) / 4)
        lo, hi = lo + margin, hi - margin
        # Keep clear of the circle's name at the top of its ring, where the sector allows.
        clear = math.asin(min(1.0, (len(CIRCLE_WORDS[circle]) * 3 + GAP) / radius))
        lo, hi = np.where(hi > clear, np.maximum(lo, clear), lo), np.where(
            lo < 2 * math.pi - clear, np.minimum(hi, 2 * math.pi - clear), hi)
        turn[on] = _spread(np.clip(target, lo, hi), lo, hi, gap)
    px, py = _xy(np.array([RING[c] for c in circles], dtype=float), turn)
    role = np.where(shown_keys.map(len).to_numpy() >= 2, "Bridge", "Person")

    def where(key: tuple) -> str:
        return ", ".join(names[c] for c in key) if key else "no community yet"

    person_nodes = pd.DataFrame({
        "x": px, "y": py, "role": role, "kind": "person", "ref": shown["id"].astype(int).to_numpy(),
        "name": shown["name"].astype(object).to_numpy(), "circle": circles, "sector": home,
        "turn": turn, "size": [PERSON_SIZE[c] for c in circles], "count": 1,
        "detail": [f"{CIRCLE_WORDS[c]} · {where(k)}" for c, k in zip(circles, shown_keys,
                                                                      strict=True)],
    })
    real = [c for c in order if c != NO_COMMUNITY]
    mid = np.array([(start[c] + end[c]) / 2 for c in real])
    cx, cy = _xy(COMMUNITY_RING, mid)
    by_id = communities.set_index("id")
    members = links.groupby("community_id")["person_id"].nunique()
    community_nodes = pd.DataFrame({
        "x": cx, "y": cy, "role": "Community", "kind": "community", "ref": real,
        "name": [names[c] for c in real], "circle": 0, "sector": real, "turn": mid,
        "size": [200 + 40 * float(by_id.at[c, "activity"]) for c in real], "count": 0,
        "detail": [f"{by_id.at[c, 'kind']} community · {int(members.get(c, 0)):,} people"
                   for c in real],
    })
    more_rows = []
    for c, group in more.groupby(more_home.to_numpy()):
        bridges = int((keys[grouped][more_home == c].map(len) >= 2).sum())
        mx, my = _xy(RING[150], (start[c] + end[c]) / 2)
        more_rows.append({
            "x": mx, "y": my, "role": "More", "kind": "community" if c else "none", "ref": int(c),
            "name": f"{len(group):,} more", "circle": 150, "sector": int(c),
            "turn": (start[c] + end[c]) / 2, "size": 240.0, "count": len(group),
            "detail": (f"{len(group):,} more people in {CIRCLE_WORDS[150]}"
                       f"{f' ({bridges:,} of them bridges)' if bridges else ''}"
                       f" · {names[c] if c else 'no community yet'}"),
        })
    me = pd.DataFrame([{"x": 0.0, "y": 0.0, "role": "Me", "kind": "me", "ref": 0, "name": "Me",
                        "circle": 0, "sector": 0, "turn": 0.0, "size": 700.0, "count": 0,
                        "detail": "you"}])
    nodes = pd.concat([me, community_nodes, pd.DataFrame(more_rows), person_nodes],
                      ignore_index=True)
    nodes["description"] = nodes["name"].astype(str) + ": " + nodes["detail"]

    spot = {c: xy for c, xy in zip(real, zip(cx, cy, strict=True), strict=True)}
    bridge_links = pd.DataFrame(
        [(x, y, *spot[c]) for x, y, key in zip(px, py, shown_keys, strict=True)
         if len(key) >= 2 for c in key],
        columns=["x", "y", "x2", "y2"])
    labels = _labels(nodes)
    rings = _rings()
    borders = [start[c] for c in order[1:]]
    bx, by = _xy(RING[5] - 18, np.array(borders))
    bx2, by2 = _xy(COMMUNITY_RING - 12, np.array(borders))
    sectors = pd.DataFrame({
        "sector": order, "name": [names[c] if c else "no community yet" for c in order],
        "start": [start[c] for c in order], "end": [end[c] for c in order],
    })
    borders = pd.DataFrame({"x": bx, "y": by, "x2": bx2, "y2": by2})
    for frame in (nodes, bridge_links, labels, rings, borders):
        coords = [c for c in ("x", "y", "x2", "y2", "turn") if c in frame]
        frame[coords] = frame[coords].astype(float).round(2)
    return NetworkLayout(nodes, bridge_links, labels, rings, sectors, borders)


def _box(text: str, size: float, x: float, y: float, align: str, baseline: str) -> tuple:
    """The rough box (left, bottom, right, top) a label takes, y pointing up."""
    lines = text.split("\n")
    w = max(wcwidth.wcswidth(line) if wcwidth.wcswidth(line) >= 0 else len(line)
            for line in lines) * size * 0.6
    h = len(lines) * size * 1.2
    left = {"left": x, "right": x - w}.get(align, x - w / 2)
    bottom = {"bottom": y, "top": y - h}.get(baseline, y - h / 2)
    return left, bottom, left + w, bottom + h


def _overlap(box: tuple, taken: np.ndarray) -> float:
    """How much of ``box`` the boxes in ``taken`` (rows of left, bottom, right, top) cover."""
    w = np.clip(np.minimum(box[2], taken[:, 2]) - np.maximum(box[0], taken[:, 0]), 0, None)
    h = np.clip(np.minimum(box[3], taken[:, 3]) - np.maximum(box[1], taken[:, 1]), 0, None)
    return float((w * h).sum())


def _spots(x: float, y: float, reach: float, outward: bool):
    """Where a label may stand around a dot at (x, y), the preferred places first."""
    r = math.hypot(x, y) or 1.0
    sign = 1.0 if outward else -1.0
    for extra in (0.0, 6.0, 14.0):
        d = reach + extra
        ux, uy = sign * x / r, sign * y / r
        (align,), (baseline,) = _side(np.array([ux * 10]), np.array([uy * 10]))
        yield x + ux * d, y + uy * d, align, baseline
        if extra:
            continue
        yield x + d, y, "left", "middle"
        yield x - d, y, "right", "middle"
        yield x, y + d, "center", "bottom"
        yield x, y - d, "center", "top"
        for dx, dy in ((1, 1), (-1, 1), (1, -1), (-1, -1)):
            yield (x + dx * d * 0.75, y + dy * d * 0.75, "left" if dx > 0 else "right",
                   "bottom" if dy > 0 else "top")


def _labels(nodes: pd.DataFrame) -> pd.DataFrame:
    """Names beside the dots: every community, the two closest circles, every bridge, counts.

    Each label takes the first place around its dot that is free of dots and of the labels
    placed before it (communities first, then the closest people), else the least crowded.
    """
    half = np.sqrt(nodes["size"].to_numpy(dtype=float)) / 2
    x, y = nodes["x"].to_numpy(dtype=float), nodes["y"].to_numpy(dtype=float)
    dots = np.column_stack([x - half, y - half, x + half, y + half])
    circles = _circle_names(dots)
    fixed = [_box(t, 10, x, y, "center", "middle") for t, x, y in zip(
        circles["text"], circles["x"], circles["y"], strict=True)]
    taken = np.vstack([np.array(fixed), dots, np.zeros((len(nodes), 4))])
    used = len(fixed) + len(nodes)
    rank = nodes["role"].map({"Community": 0, "Bridge": 3, "More": 4})
    rank = rank.where(nodes["role"] != "Person", nodes["circle"].map({5: 1, 15: 2}))
    named = nodes[rank.notna()].assign(rank=rank).sort_values(["rank", "circle"], kind="stable")
    rows = []
    for node in named.itertuples():
        style = {"Community": "community", "More": "more"}.get(node.role, "person")
        size = 12 if style == "community" else 11
        text = _wrap(node.name) if style == "community" else _short(node.name, 16)
        reach = math.sqrt(node.size) / 2 + 3
        best, least = None, math.inf
        for spot in _spots(node.x, node.y, reach, outward=style != "more"):
            box = _box(text, size, *spot)
            crowd = _overlap(box, taken[:used])
            if crowd < least:
                best, least = (spot, box), crowd
            if crowd == 0:
                break
        (lx, ly, align, baseline), box = best
        taken[used], used = box, used + 1
        rows.append({"text": text, "x": lx, "y": ly, "align": align, "baseline": baseline,
                     "style": style, "kind": node.kind, "ref": node.ref})
    return pd.concat([circles, pd.DataFrame(rows, columns=circles.columns)], ignore_index=True)


def _circle_names(dots: np.ndarray) -> pd.DataFrame:
    """Each circle's name on its ring: at the top, or the nearest place free of dots."""
    rows = []
    turns = [0.0, *[sign * k * 0.1 for k in range(1, 13) for sign in (1, -1)]]
    for circle, radius in RING.items():
        text = CIRCLE_WORDS[circle]
        spots = [(float(radius * math.sin(t)), float(radius * math.cos(t))) for t in turns]
        free = [s for s in spots if _overlap(_box(text, 10, *s, "center", "middle"), dots) == 0]
        x, y = (free or spots)[0]
        rows.append({"text": text, "x": x, "y": y, "align": "center", "baseline": "middle",
                     "style": "circle", "kind": "", "ref": 0})
    return pd.DataFrame(rows)


def _rings() -> pd.DataFrame:
    """Each circle as a closed line of points."""
    turn = np.linspace(0, 2 * math.pi, 97)
    parts = []
    for circle, radius in RING.items():
        x, y = _xy(radius, turn)
        parts.append(pd.DataFrame({"circle": circle, "x": x, "y": y, "order": range(len(turn))}))
    return pd.concat(parts, ignore_index=True)
