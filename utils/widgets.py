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

One view at a time: where the live widget renders (a running kernel), it
hides the static picture above it with a style rule (`LIVE_ONLY`); where it
does not (GitHub, a plain export, slides), only the picture shows.
"""

from __future__ import annotations

import asyncio
import html
import io
import math
import unicodedata
from collections.abc import Callable, Sequence
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


# Drawn inside the live widget: where it renders, the outputs above it in the
# same cell (the static picture: HTML or PNG) are hidden, so only the live view
# shows. Static views never render the widget, so they keep the picture.
LIVE_MARK = "course-live-widget"
LIVE_ONLY = (
    f'<span class="{LIVE_MARK}"></span><style>'
    ".jp-OutputArea-child:has(> .jp-OutputArea-output:is("
    '[data-mime-type="image/png"], [data-mime-type="text/html"]))'
    f":has(~ .jp-OutputArea-child .{LIVE_MARK}) {{ display: none; }}</style>"
)


def live_only():
    """The (invisible) widget that hides the static picture above a live widget."""
    import ipywidgets as widgets

    return widgets.HTML(value=LIVE_ONLY, layout={"height": "0px", "margin": "0px"})


def debounced(fn: Callable[[], None], seconds: float) -> Callable[..., None]:
    """`fn` called once, `seconds` after the last of a burst of calls (typing).

    In a kernel the calls come on its event loop; with no loop running (tests,
    scripts) `fn` runs at once."""
    pending: list[asyncio.TimerHandle] = []

    def call(*_: object) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            fn()
            return
        for handle in pending:
            handle.cancel()
        pending[:] = [loop.call_later(seconds, fn)]

    return call


def labelled(items: Sequence[str]) -> list[tuple[str, int]]:
    """Dropdown options for picking an item of a list by its text: (label,
    position), with a repeated item numbered ("the", "the ·2")."""
    seen: dict[str, int] = {}
    options = []
    for i, item in enumerate(items):
        seen[item] = seen.get(item, 0) + 1
        options.append((item if seen[item] == 1 else f"{item} ·{seen[item]}", i))
    return options


def static(view: View) -> None:
    """Display a view as plain notebook output: the picture left behind."""
    from IPython.display import HTML, Image, display

    if view.message or view.html:
        display(HTML(message_html(view.message) + view.html))
    if view.png:
        display(Image(data=view.png))


def show(
    update: Callable[..., View],
    controls: dict[str, Any],
    *,
    static_first: bool = True,
    choices: dict[str, Callable[..., list[tuple[str, Any]]]] | None = None,
    examples: dict[str, Sequence[str]] | None = None,
):
    """Display the static picture of the initial state, then the live widget.

    `controls` maps `update`'s argument names to ipywidgets controls.
    `choices` maps a Dropdown's name to a function of the other inputs that
    gives its options, [(label, value)]: they are rebuilt when those inputs
    change, keeping the chosen label where it is still there (e.g. a query
    token that follows its sentence). `examples` maps a text box's name to
    inputs to pick from a list. Returns the widget box (tests and the browser
    suite use it).
    """
    import ipywidgets as widgets
    from IPython.display import display

    choices = choices or {}

    def values() -> dict[str, Any]:
        return {name: control.value for name, control in controls.items()}

    def rebuild(name: str) -> None:
        """New options for a dependent Dropdown, keeping its label if it can."""
        dropdown = controls[name]
        others = {k: v for k, v in values().items() if k != name}
        options = choices[name](**others)
        if list(dropdown.options) == options:
            return
        labels = [label for label, _ in options]
        values_now = [value for _, value in options]
        if dropdown.label in labels:  # the same item, wherever it moved
            keep = values_now[labels.index(dropdown.label)]
        elif dropdown.value in values_now:  # else the same place
            keep = dropdown.value
        else:
            keep = values_now[-1] if values_now else None
        dropdown.options = options  # (refresh() holds back the redraws meanwhile)
        dropdown.value = keep

    for name in choices:
        rebuild(name)
    if static_first:
        static(safe_update(update, **values()))
    # Outputs start empty and are filled after display: the saved text form of
    # the widget then never holds a picture's bytes.
    out_html = widgets.HTML(value="")
    # flex-start: at its own size (a VBox would stretch it to the full width).
    out_png = widgets.Image(
        value=b"", format="png", layout={"align_self": "flex-start"}
    )
    busy = []  # set while dependent options are rebuilt: one redraw, not three

    def refresh(change: Any = None) -> None:
        if busy:
            return
        changed = getattr(change, "owner", None)
        busy.append(True)
        try:
            for name in choices:
                if controls[name] is not changed:
                    rebuild(name)
        finally:
            busy.clear()
        view = safe_update(update, **values())
        out_html.value = lab_styled(message_html(view.message) + view.html)
        out_png.value = view.png
        out_png.layout.display = "" if view.png else "none"

    for control in controls.values():
        control.observe(refresh, names="value")
    pickers = []
    for name, texts in (examples or {}).items():
        # index 0, not value None: None alone would select nothing and show a
        # blank box, from which choosing "examples ..." does nothing.
        picker = widgets.Dropdown(
            options=[("examples ...", None)] + [(t, t) for t in texts],
            index=0,
            description="try",
            layout={"width": "max-content"},
        )

        def pick(change: Any, name: str = name, picker: Any = picker) -> None:
            if change.new is not None:
                controls[name].value = change.new
                picker.value = None  # back to "examples ...", ready to pick again
                picker.index = 0  # (inside this observer, value None alone is blank)

        picker.observe(pick, names="value")
        pickers.append(picker)
    # The controls wrap onto more rows rather than squeeze sliders to nothing.
    row = widgets.HBox(
        list(controls.values()) + pickers, layout={"flex_flow": "row wrap"}
    )
    box = widgets.VBox([row, out_html, out_png, live_only()])
    display(box)
    refresh()
    return box
