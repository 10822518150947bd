"""The workbook's colours as hex values, for charts, pages and printed files alike.

Plain data with no imports, so that a page can take a colour without loading the charting
library; `workbook.charts.style` builds every chart's colour scale from these.
"""

# Paul Tol's "muted" scheme: nine colours told apart with every common colour-vision
# deficiency, none of them black, all readable as lines and areas on white.
MUTED = {
    "indigo": "#332288",
    "cyan": "#88CCEE",
    "teal": "#44AA99",
    "green": "#117733",
    "olive": "#999933",
    "sand": "#DDCC77",
    "rose": "#CC6677",
    "wine": "#882255",
    "purple": "#AA4499",
}
PALETTE = list(MUTED.values())
ACCENT = MUTED["indigo"]  # dark blue: you and what you did (the logged line, this year, gives)
SECOND = MUTED["cyan"]  # a second measure beside the accent: light blue beside dark blue
GREY = "#999999"  # the plan, the year before, people, the kinds people named themselves
PALE_GREY = "#d0d0d0"  # lines that should stay in the background
INK = "#333333"  # text and the "Me" dot
MUTED_INK = "#555555"  # subtitles and messages
# One hue from light to dark for counts on a calendar: order is read from lightness alone.
BLUES = ["#ebedf0", "#c6dbef", "#6baed6", "#2171b5", "#08306b"]

# A colour per kind of community, the same in every chart; a kind of your own is grey. The
# accent is left out so that a kind never looks like "you".
KIND_COLOURS = {
    "hobby": MUTED["rose"],
    "work": MUTED["teal"],
    "education": MUTED["sand"],
    "family": MUTED["wine"],
    "neighbourhood": MUTED["olive"],
    "volunteering": MUTED["green"],
    "faith": MUTED["purple"],
    "online": MUTED["cyan"],
}
OWN_KIND_COLOUR = GREY
