"""One plotting style for the whole course: readable on a projector, colour-blind safe.

Call `use_course_style()` once at the top of a notebook. The palette is Okabe
and Ito's eight colours, which stay distinct under the common colour-vision
deficiencies.
"""

from __future__ import annotations

import matplotlib as mpl
from cycler import cycler

# Okabe & Ito (2008), "Color Universal Design".
PALETTE: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
COLORS: list[str] = [
    PALETTE[k]
    for k in (
        "blue",
        "orange",
        "green",
        "vermillion",
        "sky",
        "purple",
        "yellow",
        "black",
    )
]

COURSE_RC: dict[str, object] = {
    "axes.prop_cycle": cycler(color=COLORS),
    "figure.figsize": (9, 5),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.size": 15,
    "axes.titlesize": 18,
    "axes.labelsize": 16,
    "xtick.labelsize": 14,
    "ytick.labelsize": 14,
    "legend.fontsize": 14,
    "lines.linewidth": 3,
    "lines.markersize": 8,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "image.cmap": "viridis",  # perceptually uniform and colour-blind safe
    "svg.hashsalt": "course",  # stable ids in SVG output
}


def use_course_style() -> None:
    """Apply the course style to every later matplotlib figure."""
    mpl.rcParams.update(COURSE_RC)
