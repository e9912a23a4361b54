"""The embedding explorer: words and their neighbours, and analogies, in a 2-D
picture (part 1, lesson 2, "Try it").

Why: 50 or 100 dimensions cannot be seen; a 2-D PCA projection of a few words
and their nearest neighbours can, and so can an analogy's arrow. The widget is
a thin view over `Explorer.update(words, analogy, model) -> View`, tested and
timed without a browser (`measure_latency`, drawing included).

An analogy is typed as arithmetic, "king - man + woman", and read as
man : king :: woman : ? (`utils.word_vectors.Space.analogy`).
"""

from __future__ import annotations

import html
import re
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from utils.style import PALETTE
from utils.widgets import View, clean_text, figure_png
from utils.word_vectors import Space

# --- PCA to 2-D --------------------------------------------------------------------------


def pca_2d(x: np.ndarray) -> np.ndarray:
    """Project the rows of x (n, d) onto their two main directions -> (n, 2).

    The sign of each direction is fixed (its largest entry positive), so the
    same input always gives the same picture.
    """
    x = np.asarray(x, dtype=np.float64)
    centred = x - x.mean(axis=0)  # (n, d)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)  # vt: (min(n, d), d)
    directions = np.zeros((2, x.shape[1]))
    directions[: min(2, len(vt))] = vt[:2]
    signs = np.sign(directions[np.arange(2), np.abs(directions).argmax(axis=1)])
    directions *= np.where(signs == 0, 1.0, signs)[:, None]
    return centred @ directions.T  # (n, 2)


# --- The explorer widget ---------------------------------------------------------------

MAX_QUERY_WORDS = 8  # words typed into the box; more are dropped with a message
# "x - y + z", typed: the analogy y : x :: z : ?
ANALOGY = re.compile(r"^\s*(\S+)\s*-\s*(\S+)\s*\+\s*(\S+)\s*$")


class Explorer:
    """The embedding explorer: type words, see them and their nearest neighbours
    in a 2-D PCA projection; type "king - man + woman" for the analogy
    man : king :: woman : ?.

    `models` maps a name to (KeyedVectors, n): neighbours are searched among the
    model's `n` most frequent words (None: all), precomputed once as unit vectors.
    """

    def __init__(
        self, models: dict[str, tuple[Any, int | None]], n_neighbours: int = 5
    ) -> None:
        self.spaces = {name: Space.of(kv, n) for name, (kv, n) in models.items()}
        self.n_neighbours = n_neighbours

    def update(self, words: str = "", analogy: str = "", model: str = "") -> View:
        """The widget's view for these inputs; never raises."""
        if model not in self.spaces:
            return View(
                message=f"Pick a model: {', '.join(self.spaces)}."
                if self.spaces
                else "No model loaded."
            )
        space = self.spaces[model]
        messages: list[str] = []
        text, note = clean_text(words)
        if note and text:
            messages.append(note)
        items = [w for w in re.split(r"[,\s]+", text.lower()) if w]
        if len(items) > MAX_QUERY_WORDS:
            messages.append(f"Only the first {MAX_QUERY_WORDS} words are shown.")
            items = items[:MAX_QUERY_WORDS]
        items = list(dict.fromkeys(items))
        unknown = [w for w in items if w not in space]
        known = [w for w in items if w in space]

        triple: tuple[str, str, str] | None = None  # a : b :: c : ?
        analogy_text, note = clean_text(analogy)
        if note and analogy_text:
            messages.append(note)
        if analogy_text:
            match = ANALOGY.match(analogy_text.lower())
            if not match:
                messages.append(
                    "Write an analogy as a - b + c, for example king - man + woman."
                )
            else:
                typed = match.groups()  # x - y + z
                missing = [w for w in typed if w not in space]
                unknown += [w for w in missing if w not in unknown]
                if not missing:
                    x, y, z = typed
                    triple = (y, x, z)  # y : x :: z : ?
        if unknown:
            shown = ", ".join(
                w if len(w) <= 30 else w[:30] + "..." for w in unknown[:10]
            )
            shown += " ..." if len(unknown) > 10 else ""
            messages.insert(0, f"Not in the {model} vocabulary: {shown}.")
        if not known and triple is None:
            if not messages:
                messages.append(
                    "Type some words, separated by commas, or an analogy such as "
                    "king - man + woman."
                )
            return View(message=" ".join(messages))

        neighbours: dict[str, list[tuple[str, float]]] = {}
        if known:  # an analogy alone has no words to find neighbours of
            queries = np.stack([space.vector(w) for w in known])
            near = space.nearest(queries, self.n_neighbours, [{w} for w in known])
            neighbours = dict(zip(known, near))
        answers = space.analogy(*triple) if triple else []
        with warnings.catch_warnings():  # CJK or emoji the font lacks: drawn as boxes
            warnings.filterwarnings("ignore", message="Glyph .* missing from font")
            fig = self.draw(space, model, neighbours, triple, answers)  # measures text
            png = figure_png(fig)
        return View(
            html=self._html(neighbours, triple, answers),
            png=png,
            message=" ".join(messages),
        )

    @staticmethod
    def _html(
        neighbours: dict[str, list[tuple[str, float]]],
        triple: tuple[str, str, str] | None,
        answers: list[tuple[str, float]],
    ) -> str:
        rows = [
            f"<tr><td><b>{html.escape(w)}</b></td><td>"
            + ", ".join(f"{html.escape(n)} ({s:.2f})" for n, s in near)
            + "</td></tr>"
            for w, near in neighbours.items()
        ]
        out = ""
        if rows:
            out += (
                '<table style="font-size:15px"><tr><th>word</th>'
                "<th>nearest neighbours (cosine)</th></tr>" + "".join(rows) + "</table>"
            )
        if triple:
            a, b, c = (html.escape(w) for w in triple)
            best = ", ".join(f"{html.escape(w)} ({s:.2f})" for w, s in answers)
            out += (
                f'<p style="font-size:15px">{b} - {a} + {c} &asymp; <b>{best}</b></p>'
            )
        return out

    @staticmethod
    def draw(
        space: Space,
        model: str,
        neighbours: dict[str, list[tuple[str, float]]],
        triple: tuple[str, str, str] | None,
        answers: list[tuple[str, float]],
    ) -> Figure:
        """Words and neighbours in one panel, the analogy in another, every word
        labelled once, the labels spread so that none overlaps another. Few
        artists, no tick labels (PCA axes have no units) and fixed margins:
        drawing is most of the widget's latency."""
        panels = int(bool(neighbours)) + int(bool(triple))
        fig = Figure(figsize=(6.5 * panels, 5.5))
        fig.subplots_adjust(left=0.06, right=0.97, bottom=0.05, top=0.84, wspace=0.1)
        axes = iter(fig.subplots(1, panels, squeeze=False)[0])
        if neighbours:
            _draw_neighbours(next(axes), space, neighbours)
            fig.suptitle(f"{model}: 2-D PCA projections")
        if triple:
            _draw_analogy(next(axes), space, triple, answers)
            fig.suptitle(f"{model}: 2-D PCA projections")
        return fig


# The palette without yellow (hard to read as text on white), ordered so that
# neighbouring words get the most different colours.
WORD_COLORS = [
    PALETTE[k] for k in ("blue", "vermillion", "green", "purple", "sky", "orange")
]


def _blank_axes(ax: Axes, title: str) -> None:
    ax.set(title=title, xticks=[], yticks=[])
    ax.margins(0.18)
    ax.autoscale_view()
    ax.set(xlim=ax.get_xlim(), ylim=ax.get_ylim())  # final: labels are placed now


# --- Labels that do not overlap ------------------------------------------------------

LABEL_GAP = 4.0  # points between a dot's edge and its label
# Where a label may go, as directions from its dot (x, y), tried in this order:
# right, left, above, below, then the four diagonals.
DIRECTIONS = [(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (1, -1), (-1, 1), (-1, -1)]
RINGS = 5  # ever farther rings of those places; from the third on, a thin leader


@dataclass(frozen=True)
class Label:
    """A word to write next to its dot: where, how, and the dot's size (points)."""

    text: str
    xy: tuple[float, float]  # the dot, in data coordinates
    color: str
    fontsize: float
    weight: str = "normal"
    dot: float = 6.0  # marker size (diameter, points)
    box: bool = False  # a white box behind the text (the typed words)


def _overlap(boxes: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Overlap area of each of `boxes` (n, 4) with all of `others` (m, 4)
    together; boxes are (x0, y0, x1, y1)."""
    if len(others) == 0:
        return np.zeros(len(boxes))
    w = np.minimum(boxes[:, None, 2], others[None, :, 2]) - np.maximum(
        boxes[:, None, 0], others[None, :, 0]
    )
    h = np.minimum(boxes[:, None, 3], others[None, :, 3]) - np.maximum(
        boxes[:, None, 1], others[None, :, 1]
    )
    return (np.clip(w, 0, None) * np.clip(h, 0, None)).sum(axis=1)


def place_labels(
    ax: Axes, labels: Sequence[Label], avoid: np.ndarray | None = None
) -> list[Text]:
    """Write each label next to its dot where it overlaps no label written before
    it, no other dot, none of the points `avoid` (m, 2) (e.g. along an arrow)
    and stays inside the axes: the first free place among `DIRECTIONS`, on ever
    farther rings (a thin leader line joins far ones to their dot); where none
    is free, the place with the least overlap. Earlier labels win, so put the
    important ones first. Works in display pixels, so the axes' limits must be
    final. Returns the text artists."""
    if not labels:
        return []
    canvas = ax.figure.canvas
    if not hasattr(canvas, "get_renderer"):  # a bare Figure: measure with Agg
        canvas = FigureCanvasAgg(ax.figure)
    renderer = canvas.get_renderer()
    to_px = ax.figure.dpi / 72  # points -> pixels
    to_data = ax.transData.inverted()
    anchors = ax.transData.transform([lab.xy for lab in labels]).reshape(-1, 2)
    radii = np.array([lab.dot / 2 for lab in labels]) * to_px
    dots = np.hstack([anchors - radii[:, None], anchors + radii[:, None]])
    if avoid is not None and len(avoid):
        spots = ax.transData.transform(avoid)  # (m, 2)
        dots = np.vstack([dots, np.hstack([spots - to_px, spots + to_px])])
    frame = ax.get_window_extent(renderer)
    taken: list[np.ndarray] = []
    texts = []
    for k, (lab, (px, py)) in enumerate(zip(labels, anchors)):
        bbox = {"facecolor": "white", "alpha": 0.8, "edgecolor": "none", "pad": 1}
        text = ax.text(
            *lab.xy, lab.text, ha="left", va="bottom", fontsize=lab.fontsize,
            color=lab.color, weight=lab.weight, bbox=bbox if lab.box else None,
        )  # fmt: skip
        ext = text.get_window_extent(renderer)  # at the dot: its size and place
        w, h = ext.width, ext.height
        pad = 1.5 * to_px  # a little air (and room for the white box)
        candidates = []
        for ring in range(RINGS):
            reach = radii[k] + LABEL_GAP * to_px + ring * 0.9 * h
            for dx, dy in DIRECTIONS:
                d = reach / (np.sqrt(2) if dx and dy else 1)
                x0 = px + dx * d - (w if dx < 0 else w / 2 if dx == 0 else 0)
                y0 = py + dy * d - (h if dy < 0 else h / 2 if dy == 0 else 0)
                candidates.append((x0, y0, ring, dx, dy))
        cand = np.array(candidates)  # (n_candidates, 5)
        lower = cand[:, :2]  # each place's lower-left corner
        boxes = np.hstack([lower - pad, lower + [w + pad, h + pad]])  # (n, 4)
        cost = _overlap(boxes, np.array(taken).reshape(-1, 4))
        cost += _overlap(boxes, np.delete(dots, k, axis=0))  # not its own dot
        outside = (
            (boxes[:, 0] < frame.x0) | (boxes[:, 2] > frame.x1)
            | (boxes[:, 1] < frame.y0) | (boxes[:, 3] > frame.y1)
        )  # fmt: skip
        cost += outside * w * h  # leaving the axes counts as a full overlap
        best = int(np.argmin(cost))  # the first of the cheapest: near and in order
        x0, y0, ring, dx, dy = cand[best]
        # Shift the text as its box must move: pixels, turned into data units.
        text.set_position(to_data.transform((px + x0 - ext.x0, py + y0 - ext.y0)))
        if ring >= 2:  # far from its dot: a leader from the dot's edge to the box
            side = np.array([x0 + w * (1 - dx) / 2, y0 + h * (1 - dy) / 2])
            gap = side - (px, py)
            line = to_data.transform([(px, py) + radii[k] * gap / np.hypot(*gap), side])
            ax.plot(line[:, 0], line[:, 1], color=lab.color, lw=0.8, alpha=0.6)
        taken.append(boxes[best])
        texts.append(text)
    return texts


def _draw_neighbours(
    ax: Axes, space: Space, neighbours: dict[str, list[tuple[str, float]]]
) -> None:
    """Each word (big dot) joined to its nearest neighbours (small dots); each
    word labelled once, the typed words first, in bold."""
    order = list(
        dict.fromkeys(
            w for q, near in neighbours.items() for w in [q, *(n for n, _ in near)]
        )
    )
    xy = dict(zip(order, pca_2d(np.stack([space.vector(w) for w in order]))))
    queries: list[Label] = []
    others: dict[str, Label] = {}  # a neighbour of two words is labelled once
    for i, (word, near) in enumerate(neighbours.items()):
        color = WORD_COLORS[i % len(WORD_COLORS)]
        ends = np.array([xy[n] for n, _ in near]).reshape(-1, 2)  # (k, 2)
        spokes = np.full((3 * len(ends), 2), np.nan)  # centre, end, gap, ...
        spokes[0::3], spokes[1::3] = xy[word], ends
        ax.plot(spokes[:, 0], spokes[:, 1], color=color, alpha=0.3, lw=1)
        ax.plot(ends[:, 0], ends[:, 1], "o", color=color, alpha=0.6, ms=6)
        ax.plot(*xy[word], "o", color=color, mec="black", ms=12)
        queries.append(Label(word, tuple(xy[word]), color, 15, "bold", 12, box=True))
        for n, _ in near:
            others.setdefault(n, Label(n, tuple(xy[n]), color, 11))
    _blank_axes(ax, "words and their nearest neighbours")
    place_labels(
        ax, queries + [lab for w, lab in others.items() if w not in neighbours]
    )


def _draw_analogy(
    ax: Axes,
    space: Space,
    triple: tuple[str, str, str],
    answers: list[tuple[str, float]],
) -> None:
    """a : b :: c : ?, drawn as b - a + c: the arrow a -> b, moved to start at c,
    lands near the answer."""
    a, b, c = triple
    order = list(dict.fromkeys([b, a, c, *(w for w, _ in answers)]))  # as typed
    xy = dict(zip(order, pca_2d(np.stack([space.vector(w) for w in order]))))
    arrow = {"arrowstyle": "->", "lw": 2.5, "color": PALETTE["vermillion"]}
    ax.annotate("", xy[b], xy[a], arrowprops=arrow)  # from a to b
    labels = []
    for word in dict.fromkeys((b, a, c)):  # each typed word once
        ax.plot(*xy[word], "s", color=PALETTE["black"], ms=9)
        labels.append(Label(word, tuple(xy[word]), PALETTE["black"], 14, "bold", 9))
    for rank, (word, _) in enumerate(answers):
        style = ("*", 18, 15) if rank == 0 else ("o", 7, 11)
        ax.plot(*xy[word], style[0], color=PALETTE["vermillion"], ms=style[1])
        labels.append(
            Label(word, tuple(xy[word]), PALETTE["vermillion"], style[2], dot=style[1])
        )
    arrows = [(xy[a], xy[b])]
    if answers:
        ax.annotate("", xy[answers[0][0]], xy[c], arrowprops=arrow)
        arrows.append((xy[c], xy[answers[0][0]]))
    _blank_axes(ax, f"{b} - {a} + {c}")
    along = np.linspace(0, 1, 40)[:, None]  # points along each arrow, to keep clear
    place_labels(ax, labels, np.vstack([p + along * (q - p) for p, q in arrows]))


def measure_latency(
    update: Any, inputs: Sequence[dict[str, str]], n_calls: int = 50
) -> np.ndarray:
    """Seconds per call of `update`, drawing included, cycling through `inputs`."""
    times = []
    for i in range(n_calls):
        start = time.perf_counter()
        update(**inputs[i % len(inputs)])
        times.append(time.perf_counter() - start)
    return np.array(times)
