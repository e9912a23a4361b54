"""Widgets as thin views over pure functions.

Every widget in the course follows one pattern, so that it can be tested and
timed without a browser and still shows something on GitHub and in slides:

1. a pure function `update(**inputs) -> View` in a lesson's module does all the
   work, drawing included, and never raises on bad input: it returns a `View`
   with a message instead;
2. `show(update, controls)` first displays the view of the initial inputs as a
   static picture (HTML or PNG), which stays in the saved notebook;
3. then it displays the live controls. Each change calls `update` again and
   sets the value of an HTML or Image widget. Nothing is printed, so re-running
   the notebook gives the same saved outputs.
"""

from __future__ import annotations

import html
import io
import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from matplotlib.figure import Figure

MAX_CHARS = 2000  # text boxes take at most this many characters


@dataclass(frozen=True)
class View:
    """What a widget shows: an HTML fragment and/or a PNG picture, and a message
    for the reader ("" when all is well)."""

    html: str = ""
    png: bytes = b""
    message: str = ""


def figure_png(fig: Figure, dpi: int = 80, tight: bool = True) -> bytes:
    """Render a matplotlib figure to PNG bytes (this is the drawing that widget
    latency includes). `tight=False` skips the second drawing pass that a tight
    bounding box needs, for figures that set their own margins."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight" if tight else None)
    return buf.getvalue()


def clean_text(text: object, max_chars: int = MAX_CHARS) -> tuple[str, str]:
    """Normalise a text box's input; return (text, message).

    Empty or whitespace-only input gives "" and a message asking for text; input
    over `max_chars` is cut there, with a message saying so. Unicode is put in
    NFC form, so "é" typed as e + accent matches the vocabulary's "é".
    """
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    text = unicodedata.normalize("NFC", text).strip()
    if not text:
        return "", "Type some text to see the result."
    if len(text) > max_chars:
        return text[:max_chars], f"Only the first {max_chars:,} characters are used."
    return text, ""


def as_number(value: Any) -> float | None:
    """A control's value as a float; None if it is not a number (or is NaN)."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


def clamp(value: Any, low: float, high: float, default: float) -> float:
    """A slider value forced into [low, high]; non-numbers give `default`."""
    number = as_number(value)
    return default if number is None else min(max(number, low), high)


def message_html(message: str) -> str:
    """A message box for the reader, escaped."""
    if not message:
        return ""
    return (
        '<div style="padding:6px 10px;border-left:4px solid #E69F00;'
        f'background:#fff8e6;font-size:15px">{html.escape(message)}</div>'
    )


def safe_update(update: Callable[..., View], **inputs: Any) -> View:
    """Call `update`, turning any unexpected error into a message, never a traceback."""
    try:
        return update(**inputs)
    except Exception as err:  # noqa: BLE001 -- a widget must never show a traceback
        return View(message=f"Could not draw this input ({type(err).__name__}: {err}).")


# The classes JupyterLab gives a notebook's HTML output.
LAB_OUTPUT = "jp-RenderedHTMLCommon jp-OutputArea-output"


def lab_styled(html: str) -> str:
    """`html` inside the classes of a notebook's HTML output. Lab styles the
    tables of an output (the static picture) but not those inside a widget:
    without them the live table would look plainer than the static one."""
    return f'<div class="{LAB_OUTPUT}">{html}</div>' if html else ""


def static(view: View) -> None:
    """Display a view as plain notebook output: the picture left behind."""
    from IPython.display import HTML, Image, display

    if view.message or view.html:
        display(HTML(message_html(view.message) + view.html))
    if view.png:
        display(Image(data=view.png))


def show(
    update: Callable[..., View], controls: dict[str, Any], *, static_first: bool = True
):
    """Display the static picture of the initial state, then the live widget.

    `controls` maps `update`'s argument names to ipywidgets controls. Returns the
    widget box (tests and the browser suite use it).
    """
    import ipywidgets as widgets
    from IPython.display import display

    def values() -> dict[str, Any]:
        return {name: control.value for name, control in controls.items()}

    if static_first:
        static(safe_update(update, **values()))
    # Outputs start empty and are filled after display: the saved text form of
    # the widget then never holds a picture's bytes.
    out_html = widgets.HTML(value="")
    # flex-start: at its own size (a VBox would stretch it to the full width).
    out_png = widgets.Image(
        value=b"", format="png", layout={"align_self": "flex-start"}
    )

    def refresh(_change: object = None) -> None:
        view = safe_update(update, **values())
        out_html.value = lab_styled(message_html(view.message) + view.html)
        out_png.value = view.png
        out_png.layout.display = "" if view.png else "none"

    for control in controls.values():
        control.observe(refresh, names="value")
    # The controls wrap onto more rows rather than squeeze sliders to nothing.
    row = widgets.HBox(list(controls.values()), layout={"flex_flow": "row wrap"})
    box = widgets.VBox([row, out_html, out_png])
    display(box)
    refresh()
    return box
