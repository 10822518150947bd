"""The steps of the loop, named one way everywhere: "Step 2, Plan".

The app's step buttons show `NAMES`; the pages, the guided notebooks and the README point to a
step by the same name, and each page (and notebook) is headed by its `TITLES`, which begins with it.
"""

from __future__ import annotations

KEYS = ("start", "communities", "plan", "log", "progress", "reflect")

NAMES = {
    "start": "Start",
    "communities": "Step 1, Communities",
    "plan": "Step 2, Plan",
    "log": "Step 3, Log",
    "progress": "Step 4, Progress",
    "reflect": "Step 5, Reflect",
}

TITLES = {
    "start": "Start here",
    "communities": "Step 1, Communities and the people in them",
    "plan": "Step 2, Plan your gives",
    "log": "Step 3, Log your gives",
    "progress": "Step 4, Progress so far",
    "reflect": "Step 5, Reflect and review",
}

# The guided notebooks, one per step, in the same order.
NOTEBOOKS = {
    "start": "00-start-here.ipynb",
    "communities": "01-map-your-communities.ipynb",
    "plan": "02-plan-your-gives.ipynb",
    "log": "03-log-your-gives.ipynb",
    "progress": "04-see-your-progress.ipynb",
    "reflect": "05-reflect-and-review.ipynb",
}
