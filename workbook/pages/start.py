"""Start here: which workbook is open, the demo to try, and where you stand."""

from __future__ import annotations

import ipywidgets as widgets

from ..forms import OwnerForm
from ..model import WorkbookError
from ..paths import ENV_VAR
from ..season import season
from ..steps import TITLES
from ..widgets_text import MUTED_COLOR, TextLine, error_line, guidance, table, table_html
from .parts import NOTE_COLOR, PAGE_WIDTH, Page, _intro, _section, _what_next
from .presenter import _where_you_stand
from .session import Session

REVIEW_NOTEBOOK = "05-reflect-and-review.ipynb"


def start_page(session: Session, *, prose: bool = True) -> Page:
    """The first page: which workbook is open, trying the demo, and where you stand.

    Parameters
    ----------
    session : Session
        From `open_session`.
    prose : bool
        False leaves out the page's title, introduction and what-next text, for a notebook
        that surrounds the page with its own words.

    Returns
    -------
    Page
        One widget; it refreshes when the data or the open file changes.
    """
    path_line = TextLine("", bold=True, width=PAGE_WIDTH)
    full_path = TextLine("", width=PAGE_WIDTH)
    # Where the file lives and how to open another: for people who start the app themselves.
    details = widgets.Accordion(
        children=[widgets.VBox([full_path, guidance(
            f"To use another file, start the app or the command line with --db PATH, set "
            f"the environment variable {ENV_VAR}=PATH, or in a notebook open the session "
            "with pages.open_session(db=\"PATH\")."
        )])],
        titles=("Details",), selected_index=None,
        layout=widgets.Layout(width="auto", margin="0.2em 0 0.6em 0"))
    demo_line = TextLine("", color=MUTED_COLOR, width=PAGE_WIDTH)
    demo_button = widgets.Button(description="Try the demo workbook", button_style="info",
                                 layout=widgets.Layout(width="16em"))
    home_button = widgets.Button(description="Back to my own workbook",
                                 layout=widgets.Layout(width="16em"))
    error = error_line(PAGE_WIDTH)
    owner_form = OwnerForm()
    stand = table(["", ""], [])
    advice = TextLine("", bold=True, width=PAGE_WIDTH)
    season_line = TextLine("", bold=True, size="1.1em")
    review_button = widgets.Button(description="Open the review", button_style="primary",
                                   layout=widgets.Layout(width="auto"))
    # In a notebook there is no step to move to: the review is the fifth guided notebook.
    review_link = widgets.HTML(
        f'<a href="{REVIEW_NOTEBOOK}" target="_blank" rel="noopener">Open Step 5, '
        'Reflect</a>')
    review_button.on_click(lambda _button: session.navigate and session.navigate("reflect"))
    season_box = widgets.HBox(
        [season_line, review_button, review_link],
        layout=widgets.Layout(flex_flow="row wrap", align_items="center", grid_gap="0.4em 1em",
                              padding="0.5em 0.8em", margin="0 0 0.6em 0",
                              border_left=f"4px solid {NOTE_COLOR}"))
    season_box.add_class("wb-season")

    def open_demo(_button):
        error.text = ""
        try:
            session.open_demo()
        except ImportError:
            error.text = "The demo is not available in this version of the workbook."
        except WorkbookError as e:
            error.text = str(e)

    def go_home(_button):
        error.text = ""
        try:
            session.go_home()
        except WorkbookError as e:
            error.text = str(e)

    demo_button.on_click(open_demo)
    home_button.on_click(go_home)

    def save_owner(owner):
        # Nothing else on the pages shows the name: the plan reads it when it is made.
        owner_form.show_name(session.store.set_owner(owner.name))
        session.changed({"owner"})

    owner_form.on_submit(save_owner)

    def refresh():
        now = season(session.today)
        season_line.text = now.headline
        season_box.layout.display = None if now.in_season else "none"
        in_app = session.navigate is not None
        review_button.layout.display = None if in_app else "none"
        review_link.layout.display = "none" if in_app else None
        path_line.text = f"Your workbook: {session.path.name}"
        full_path.text = f"The whole path of the file: {session.path}"
        if session.is_demo:
            demo_line.text = (
                "You are looking at the demo: a made-up year of a woman who moved back to a "
                "small coastal town. Change anything you like; your own workbook is untouched."
            )
        else:
            demo_line.text = "This is your own workbook. Everything you save goes into this file."
        home_button.disabled = session.path == session.home
        demo_button.disabled = session.is_demo
        # Only when the kept name differs (another file is open): a name being typed stays.
        if session.store.owner != owner_form.saved:
            owner_form.show_name(session.store.owner)
        rows, next_text = _where_you_stand(session.store.counts(), session.frames,
                                           session.today)
        stand.value = table_html(["What", "How many"], rows)
        advice.text = f"Suggested next step: {next_text}"

    children = [
        season_box,
        _intro(
            TITLES["start"],
            "This workbook helps you network the generous way: by giving small, regular help "
            "to the communities you already belong to. People remember who helped, and help "
            "finds its way back, often from someone you never helped directly.",
            "The steps go round in a loop: map your communities, plan gives as if-then "
            "resolutions, log what you gave, look at your progress, and reflect. At the end "
            "of the year, review and resolve again.",
        ),
        _section(
            "Your workbook file",
            path_line, demo_line, details,
            widgets.HBox([demo_button, home_button], layout=widgets.Layout(grid_gap="0.6em")),
            error,
            intro="Your answers stay on this computer, in one file that only you open.",
        ),
        _section("Your name", owner_form.widget,
                 intro="It is kept in your workbook file and its backup. Leave it empty if "
                       "you like: your plan then prints no name."),
        _section("Where you stand", stand, advice),
        _what_next(
            "Go to Step 1, Communities. If you just want to "
            "look around first, try the demo workbook and come back with the second button."
        ),
    ]
    parts = {"season": season_box, "season_line": season_line, "review_button": review_button,
             "path": path_line, "details": details, "full_path": full_path,
             "demo_button": demo_button, "home_button": home_button,
             "error": error, "owner_form": owner_form, "stand": stand, "advice": advice}
    return Page(session, children, parts, refresh, prose=prose, key="start")
