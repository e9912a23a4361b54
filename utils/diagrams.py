"""Architecture diagrams, drawn with matplotlib: the RNN encoder-decoder
(lesson 3), queries, keys and values (lesson 5), the transformer block and the
encoder-decoder transformer (lesson 6), the decoder-only GPT and its key/value
cache (part 2), and a "you are here" strip of the course map for talks. One
idea per figure, sized for a 1280x720 projector; each function returns a
pyplot Figure, so a notebook shows it with `plt.show()` like any other figure.

Every canvas measures in inches from its bottom-left corner, so a box's size
on the slide is its size in the code.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from itertools import pairwise

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path

from utils.course import LESSONS, PARTS, lesson_exists
from utils.style import PALETTE

FONT = 15  # the course style's font.size
Point = tuple[float, float]


def _canvas(width: float, height: float) -> tuple[Figure, Axes]:
    """A blank figure of width x height inches, its axes in inches too."""
    fig = plt.figure(figsize=(width, height))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set(xlim=(0, width), ylim=(0, height))
    ax.set_axis_off()
    return fig, ax


def _tint(color: str, alpha: float = 0.22) -> tuple[float, ...]:
    """A course colour (or any matplotlib colour) mixed into white, opaque, so
    lines behind a box hide."""
    rgb = to_rgba(PALETTE.get(color, color))[:3]
    return tuple(1 - alpha * (1 - c) for c in rgb)


def _box(
    ax: Axes,
    xy: Point,
    text: str,
    w: float,
    h: float = 0.5,
    color: str = "sky",
    *,
    dashed: bool = False,
    size: float = FONT,
    tint: float = 0.22,
) -> None:
    """A rounded box w x h centred at xy, tinted with a course colour or any
    matplotlib colour (or a dashed outline around a group), `text` inside;
    tint: how much colour fills it, from 0 (white) to 1 (the full colour)."""
    (x, y), style = xy, "round,pad=0,rounding_size=0.08"
    fill = "none" if dashed else _tint(color, tint)
    ax.add_patch(
        FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle=style, fc=fill,
                       ec=PALETTE.get(color, color), lw=2.5,
                       ls="--" if dashed else "-", zorder=1 if dashed else 2)
    )  # fmt: skip
    if text:
        _label(ax, xy, text, fontsize=size)


def _arrow(
    ax: Axes,
    *points: Point,
    color: str = "black",
    dashed: bool = False,
    zorder: float = 1,
) -> None:
    """An arrow along straight segments through `points`, its head at the last."""
    ax.add_patch(
        FancyArrowPatch(path=Path(points), arrowstyle="-|>", mutation_scale=18,
                        color=PALETTE[color], lw=2.2, ls="--" if dashed else "-",
                        shrinkA=0, shrinkB=0, zorder=zorder)
    )  # fmt: skip


def _label(ax: Axes, xy: Point, text: str, color: str = "black", **kw: object) -> None:
    """Text centred at xy in the course's font size and a course colour (or
    any matplotlib colour); kw: alignment, size, weight."""
    kw = {"ha": "center", "va": "center", "fontsize": FONT, "zorder": 3} | kw
    ax.text(*xy, text, color=PALETTE.get(color, color), **kw)


def draw_seq2seq() -> Figure:
    """Lesson 3: a GRU encoder reads the English words into one hidden state
    h; a GRU decoder, started from h, writes German a word at a time through
    its own output layer over the German vocabulary (a new one per target
    language), each word fed back as the next input. (Not drawn: our decoder
    also reads h beside every input word, as in Cho et al. 2014.)"""
    src = ("the", "man", "buys", "the", "cake", ".", "<eos>")
    out = ("Der", "Mann", "kauft", "den", "Kuchen", ".", "<eos>")
    fig, ax = _canvas(12.7, 4.8)
    enc = [0.45 + 0.78 * i for i in range(len(src))]
    dec = [6.35 + 0.97 * i for i in range(len(out))]
    cell, band, top, bottom = 1.75, 2.9, 3.9, 0.45  # the rows' heights
    r = 0.28  # half a GRU cell's width
    for xs, inputs, color in ((enc, src, "blue"), (dec, ("<bos>",) + out, "orange")):
        for x, word in zip(xs, inputs):
            _label(ax, (x, bottom), word)
            _arrow(ax, (x, bottom + 0.25), (x, cell - 0.3))
            _box(ax, (x, cell), "GRU", 2 * r, 0.6, color, size=14)
        for a, b in pairwise(xs):  # the hidden state, handed to the right
            _arrow(ax, (a + r, cell), (b - r, cell))
    for x, word in zip(dec, out):
        _arrow(ax, (x, cell + 0.3), (x, band - 0.28))
        _arrow(ax, (x, band + 0.28), (x, top - 0.22))
        _label(ax, (x, top), word)
    for a, b in pairwise(dec):  # each output is the next step's input
        _arrow(ax, (a + 0.25, top - 0.2), (b - 0.3, bottom + 0.22), color="purple",
               dashed=True, zorder=0.5)  # fmt: skip
    _arrow(ax, (enc[-1] + r, cell), (dec[0] - r, cell), color="vermillion")
    _label(ax, ((enc[-1] + dec[0]) / 2, cell + 0.3), "h", "vermillion")
    mid = (dec[0] + dec[-1]) / 2
    _box(ax, (mid, band), "its own output layer: softmax over German words",
         dec[-1] - dec[0] + 0.9, 0.56, "green")  # fmt: skip
    _label(ax, ((enc[0] + enc[-1]) / 2, 2.65), "encoder (English)", fontweight="bold")
    _label(ax, (mid, 4.45), "decoder (German)", fontweight="bold")
    _label(ax, (dec[0] - 0.45, top), "each output is the next input", "purple",
           ha="right")  # fmt: skip
    return fig


def draw_qkv(tokens: Sequence[str] = ("the", "animal", "was", "tired")) -> Figure:
    """Lesson 5: each embedding x_i gives a query q_i = x_i W_Q, a key and a
    value; the last word's query is scored against every key, softmax turns
    the scores into weights a, and the output is the weighted sum of the
    values. (The bars only illustrate: most weight on the second word.) Up
    to 4 tokens fit a 1280x720 slide; each one more widens it by 2.15 in."""
    n, colors = len(tokens), ("orange", "blue", "green")
    fig, ax = _canvas(3.0 + 2.15 * n, 5.6)
    xs = [3.6 + 2.15 * i for i in range(n)]
    raw = [3.0 if i == 1 else 1.0 for i in range(n)]
    weights = [r / max(raw) for r in raw]  # relative: the tallest bar is 1
    for i, (x, word, weight) in enumerate(zip(xs, tokens, weights), start=1):
        _label(ax, (x, 5.2), word, fontweight="bold" if i == n else "normal")
        _box(ax, (x, 4.45), f"$x_{i}$", 0.7, 0.46, "sky")
        for dx, name, color in zip((-0.65, 0, 0.65), "qkv", colors):
            _arrow(ax, (x, 4.22), (x + dx, 3.68), color=color)
            _box(ax, (x + dx, 3.45), f"${name}_{i}$", 0.55, 0.46, color)
        _arrow(ax, (x, 3.22), (x, 2.66), color="blue")  # k_i and the query q_n
        _arrow(ax, (xs[-1] - 0.65, 3.22), (x - 0.08, 2.66), color="orange")
        _box(ax, (x, 2.4), f"$q_{n} \\cdot k_{i}$", 1.1, 0.5, "purple")
        ax.bar(x, 0.7 * weight, 0.4, 1.1, color=PALETTE["purple"])
        _arrow(ax, (x, 2.15), (x, 1.13 + 0.7 * weight), color="purple")
        _arrow(ax, (x, 1.05), (x, 0.82), color="purple")
    legend = ("query  $q = x W_Q$", "key  $k = x W_K$", "value  $v = x W_V$")
    for y, text, color in zip((3.8, 3.45, 3.1), legend, colors):
        ax.plot(0.25, y, "s", ms=13, mfc=_tint(color, 0.4), mec=PALETTE[color], mew=2)
        _label(ax, (0.5, y), text, ha="left", fontsize=14)
    _label(ax, (0.15, 4.45), "embedding", ha="left")
    _label(ax, (0.15, 2.4), "score", ha="left")
    softmax = "weight\n$a = \\mathrm{softmax}(q \\cdot k / \\sqrt{d})$"
    _label(ax, (0.15, 1.45), softmax, ha="left", fontsize=14)
    terms = " + ".join(f"a_{i} v_{i}" for i in range(1, n + 1))
    _box(ax, ((xs[0] + xs[-1]) / 2, 0.5), f"output  $z_{n} = {terms}$",
         xs[-1] - xs[0] + 1.2, 0.6, "green")  # fmt: skip
    return fig


def draw_block() -> Figure:
    """Lesson 6: one transformer block as `utils.transformer.Block` builds it,
    pre-norm: x + attention(LayerNorm(x)), then x + feed_forward(LayerNorm(x)),
    each residual path a bypass around its layer."""
    fig, ax = _canvas(12.6, 3.5)
    y, top, plus = 1.5, 2.95, (5.3, 11.65)
    parts = [(2.2, "LayerNorm", 1.25, "sky"), (4.0, "attention", 1.35, "orange"),
             (6.85, "LayerNorm", 1.25, "sky"), (8.4, "Linear", 0.95, "green"),
             (9.55, "ReLU", 0.85, "green"), (10.7, "Linear", 0.95, "green")]  # fmt: skip
    for x, text, w, color in parts:
        _box(ax, (x, y), text, w, 0.7, color)
    for x in plus:
        ax.add_patch(Circle((x, y), 0.22, fc="white", ec="black", lw=2.2, zorder=2))
        _label(ax, (x, y + 0.02), "+", fontsize=20)
    spans = sorted([(x - w / 2, x + w / 2) for x, _, w, _ in parts]
                   + [(x - 0.22, x + 0.22) for x in plus])  # fmt: skip
    ends = [0.1] + [b for _, b in spans], [a for a, _ in spans] + [12.5]
    for b, a in zip(*ends):  # the main path: from each piece's end to the next
        _arrow(ax, (b, y), (a, y))
    for start, x in zip((1.0, 6.0), plus):  # the residual paths
        ax.plot(start, y, "o", color=PALETTE["vermillion"], ms=9, zorder=3)
        _arrow(ax, (start, y), (start, top), (x, top), (x, y + 0.22),
               color="vermillion")  # fmt: skip
        _label(ax, ((start + x) / 2, top + 0.3), "residual: + x", "vermillion")
    _box(ax, (9.55, y), "", 3.5, 1.05, "green", dashed=True)
    _label(ax, (9.55, y + 0.83), "feed-forward")
    _label(ax, (0.35, y + 0.3), "x", fontstyle="italic")
    _label(ax, (0.1, 0.6), "(batch, n, d_model)", ha="left")
    _label(ax, (12.5, 0.6), "(batch, n, d_model)", ha="right")
    return fig


def draw_encoder_decoder(n_layers: int = 2) -> Figure:
    """Lesson 6: the encoder-decoder transformer. Source embeddings + positions
    run through `n_layers` encoder blocks; the target, shifted right, through
    as many decoder blocks (masked self-attention, cross-attention reading the
    encoder's output, feed-forward); a linear layer + softmax scores the next
    German word. (Residuals and layer norms: see `draw_block`.) Lesson 6's
    recipe, TransformerConfig(), has n_layers = 2."""
    fig, ax = _canvas(10.6, 6.7)
    e, d, w = 3.1, 7.5, 3.0  # the two columns' centres, the boxes' width
    note = {"color": "#555555", "fontsize": 14, "fontstyle": "italic"}
    _label(ax, (e, 0.3), "source (English)", **note)
    _label(ax, (d, 0.3), "target, shifted right (German)", **note)
    _label(ax, (e, 0.7), "the man buys the cake . <eos>")
    _label(ax, (d, 0.7), "<bos> Der Mann kauft den Kuchen .")
    for x in (e, d):
        _arrow(ax, (x, 0.92), (x, 1.22))
        _box(ax, (x, 1.5), "embedding + position", w, 0.55, "sky")
        _arrow(ax, (x, 1.78), (x, 2.18))
    _box(ax, (e, 3.0), "", w + 0.4, 1.65, "blue", dashed=True)
    _box(ax, (d, 3.4), "", w + 0.4, 2.45, "blue", dashed=True)
    layers = [(e, 2.6, "self-attention", "orange"), (e, 3.4, "feed-forward", "green"),
              (d, 2.6, "masked self-attention", "orange"),
              (d, 3.4, "cross-attention", "vermillion"),
              (d, 4.2, "feed-forward", "green")]  # fmt: skip
    for x, y, text, color in layers:
        _box(ax, (x, y), text, w, 0.5, color)
    for x, y in ((e, 2.85), (d, 2.85), (d, 3.65)):
        _arrow(ax, (x, y), (x, y + 0.3))
    _label(ax, (e - w / 2 - 0.75, 3.0), f"encoder\n{n_layers} ×", fontweight="bold")
    _label(ax, (d + w / 2 + 0.75, 3.4), f"decoder\n{n_layers} ×", fontweight="bold")
    side = d - w / 2 - 0.5  # the encoder's output runs down beside the decoder
    _arrow(ax, (e, 3.83), (e, 4.4), (side, 4.4), (side, 3.4), (d - w / 2, 3.4),
           color="vermillion")  # fmt: skip
    _label(ax, ((e + side) / 2, 4.7), "encoder output", "vermillion")
    _arrow(ax, (d, 4.63), (d, 5.08))
    _box(ax, (d, 5.35), "Linear + softmax over German words", w + 1, 0.55, "purple")
    _arrow(ax, (d, 5.63), (d, 6.05))
    _label(ax, (d, 6.35), "Der Mann kauft den Kuchen . <eos>", fontweight="bold")
    return fig


def draw_gpt(n_layers: int = 4) -> Figure:
    """Part 2: the decoder-only GPT as `utils.transformer.GPT` builds it.
    Characters are embedded, run through `n_layers` of lesson 6's blocks
    (masked self-attention, feed-forward; no encoder, so no cross-attention),
    a final LayerNorm, and a linear layer + softmax that scores the next
    character at every position: the output is the input shifted by one.
    Lesson 2.2's CPU recipe, RECIPES["lesson"], has n_layers = 4 and rotary
    positions: they turn queries and keys inside attention, so nothing is
    added to the embeddings."""
    fig, ax = _canvas(9.0, 5.0)
    x, w, step = 4.0, 3.4, 0.45  # the column's centre and width; character spacing
    note = {"color": "#555555", "fontsize": 14, "fontstyle": "italic"}
    chars_in, chars_out = "ROMEO:", "OMEO:⏎"
    xs = [x + step * (i - (len(chars_in) - 1) / 2) for i in range(len(chars_in))]
    for cx, a, b in zip(xs, chars_in, chars_out):  # one column per position
        _label(ax, (cx, 0.3), a)
        _arrow(ax, (cx, 0.5), (cx, 0.78))
        _arrow(ax, (cx, 4.26), (cx, 4.52))
        _label(ax, (cx, 4.72), b, fontweight="bold")
    _label(ax, (xs[-1] + 0.4, 0.3), "characters in", ha="left", **note)
    _label(ax, (xs[-1] + 0.4, 4.72), "the next characters: shifted by one",
           ha="left", **note)  # fmt: skip
    _box(ax, (x, 1.0), "embedding", w, 0.44, "sky")
    _arrow(ax, (x, 1.22), (x, 1.6))
    _box(ax, (x, 2.18), "", w + 0.4, 1.4, "blue", dashed=True)
    _box(ax, (x, 1.83), "masked self-attention, rotary", w, 0.46, "orange")
    _arrow(ax, (x, 2.06), (x, 2.3))
    _box(ax, (x, 2.53), "feed-forward", w, 0.46, "green")
    _label(ax, (x - w / 2 - 0.6, 2.18), f"{n_layers} ×", fontweight="bold")
    causal = ("lesson 6's Block, but no\ncross-attention; a causal\n"
              "mask: each position sees\nonly itself and the past")  # fmt: skip
    _label(ax, (x + w / 2 + 0.4, 2.18), causal, ha="left", **note)
    _arrow(ax, (x, 2.76), (x, 3.1))
    _box(ax, (x, 3.33), "LayerNorm", 1.9, 0.46, "sky")
    _arrow(ax, (x, 3.56), (x, 3.8))
    _box(ax, (x, 4.03), "Linear + softmax over 84 characters", w + 1.0, 0.46, "purple")
    return fig


def draw_kv_cache(n: int = 5) -> Figure:
    """Part 2: generating token n, its query needs the keys and values of all n
    positions. Without a cache the model computes them all again, every step;
    with `utils.attention.KVCache` the first n - 1 are read back and only the
    newest position's key and value are computed. Up to 5 positions fit a
    1280x720 slide; each one more widens it by 1.8 in."""
    panel = 1.4 + 0.9 * n  # each panel's width
    fig, ax = _canvas(2 * panel + 0.2, 4.0)
    grey, dim = "#999999", "#555555"  # a cached box's edge and text
    for ox, title, cache in ((0.0, "without a cache", False),
                             (panel + 0.2, "with a cache", True)):  # fmt: skip
        xs = [ox + 1.25 + 0.9 * i for i in range(n)]
        _label(ax, (ox + panel / 2, 3.65), title, fontweight="bold")
        _label(ax, (ox + 0.15, 1.75), "keys", ha="left", fontsize=14)
        _label(ax, (ox + 0.15, 1.1), "values", ha="left", fontsize=14)
        for i, cx in enumerate(xs, start=1):
            old = cache and i < n  # read back from the cache, not computed
            for y, name, color in ((1.75, "k", "blue"), (1.1, "v", "green")):
                _box(ax, (cx, y), "", 0.6, 0.46, grey if old else color,
                     tint=0.22 if old else 0.5)  # fmt: skip
                _label(ax, (cx, y), f"${name}_{i}$", dim if old else "black")
            _arrow(ax, (xs[-1], 2.72), (cx, 1.98), color="orange")
            if cache:
                _label(ax, (cx, 0.4), "cached" if old else "new",
                       dim if old else "black", fontsize=14,
                       fontweight="normal" if old else "bold")  # fmt: skip
        _box(ax, (xs[-1], 2.95), f"$q_{n}$", 0.6, 0.46, "orange", tint=0.5)
        _label(ax, (xs[-1] + 0.4, 2.95), "query", ha="left", fontsize=14)
        if not cache:
            _label(ax, ((xs[0] + xs[-1]) / 2, 0.4),
                   f"all {n} keys and values computed again", fontsize=14)  # fmt: skip
    ax.plot([panel + 0.1] * 2, [0.2, 3.8], color="#cccccc", lw=1.5)
    return fig


def draw_course_map(part: int, current: int | None = None) -> Figure:
    """A "you are here" strip for a talk: the lessons of one part of the
    course map (`utils.course.LESSONS`) left to right, the `current` one
    filled orange, the ones not written yet dashed, grey and marked (coming)."""
    if part not in PARTS:
        raise ValueError(f"no part {part}: the course has parts {list(PARTS)}")
    lessons = [lesson for lesson in LESSONS if lesson.part == part]
    numbers = [lesson.number for lesson in lessons]
    if current is not None and current not in numbers:
        raise ValueError(f"part {part} has no lesson {current}: it has {numbers}")
    texts = []  # each box's lines: its number, its title wrapped, (coming)
    for lesson in lessons:
        lines = [f"{part}.{lesson.number}", *textwrap.wrap(lesson.title, 15)]
        if not lesson_exists(lesson):
            lines.append("(coming)")
        texts.append("\n".join(lines))
    gap = 0.32  # the arrow's length between two boxes
    w = min(2.6, (12.4 - gap * (len(lessons) - 1)) / len(lessons))  # <= 12.7 in
    h = 0.25 * max(text.count("\n") + 1 for text in texts) + 0.2
    fig, ax = _canvas(len(lessons) * (w + gap) - gap + 0.3, h + 0.75)
    y = 0.15 + h / 2
    _label(ax, (0.15, h + 0.45), f"Part {part}: {PARTS[part]}", ha="left",
           fontweight="bold")  # fmt: skip
    for i, (lesson, text) in enumerate(zip(lessons, texts)):
        x = 0.15 + w / 2 + i * (w + gap)
        if lesson.number == current:  # you are here
            _box(ax, (x, y), "", w, h, "orange", tint=0.8)
            _label(ax, (x, y), text, fontsize=14, fontweight="bold")
        elif not lesson_exists(lesson):
            _box(ax, (x, y), "", w, h, "#999999", dashed=True)
            _label(ax, (x, y), text, "#777777", fontsize=14)
        else:
            _box(ax, (x, y), "", w, h, "blue", tint=0.1)
            _label(ax, (x, y), text, fontsize=14)
        if i:
            _arrow(ax, (x - w / 2 - gap, y), (x - w / 2, y))
    return fig
