"""Lesson 1's translator, seen: its word links, its phrases, and the widget
(part 1, lesson 1, "How would you approach translation?").

Why: the lesson's pictures show what the phrase-based translator
(`utils.ngram`) does with a sentence. `draw_links` draws the word links of both
directions and what symmetrisation keeps; `draw_segments` the phrases the
decoder glued together; `update` is the widget: word by word against the
phrase table, side by side, with unknown words marked.

    fig, ax = plt.subplots(figsize=links_figsize(en, de))
    draw_links(ax, en, de, en_to_de, de_to_en)
"""

from __future__ import annotations

import html
import warnings
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from matplotlib.figure import Figure

from utils.data.grammar import tokenize
from utils.ngram import (
    baseline,
    capitalise,
    is_punctuation,
    is_word,
    unknown_words,
    word_by_word,
)
from utils.style import PALETTE
from utils.widgets import View, clean_text, figure_png
from utils.word_alignment import Alignment, grow_diag, grow_diag_final

if TYPE_CHECKING:
    from matplotlib.axes import Axes

# --------------------------------------------------------------------------
# Pictures
# --------------------------------------------------------------------------


def links_figsize(en: Sequence[str], de: Sequence[str]) -> tuple[float, float]:
    """The size in inches that `draw_links` wants for this sentence pair."""
    return 0.6 * len(de) + 4.5, 0.5 * len(en) + 1.8


def draw_links(
    ax: Axes,
    en: Sequence[str],
    de: Sequence[str],
    en_to_de: Alignment,
    de_to_en: Alignment,
    title: str = "",
    show_result: bool = True,
    numbered: bool = False,
) -> None:
    """The word links as a matrix on `ax`: English words down, German across.

    Big squares: the symmetrised alignment (blue where both directions agree,
    orange where grow added it, green where final added it). Small marks:
    links of one direction only that were left out. With `show_result=False`,
    only the two directions are drawn (for the exercise); `numbered` adds
    each word's position to its label.
    """
    both = en_to_de & de_to_en
    grown = grow_diag(en_to_de, de_to_en)
    final = grow_diag_final(en_to_de, de_to_en)
    kept = final if show_result else both
    groups = [(both, "s", PALETTE["blue"], 300, "both directions agree")]
    if show_result:
        groups += [
            (grown - both, "s", PALETTE["orange"], 300, "added by grow"),
            (final - grown, "s", PALETTE["green"], 300, "added by final"),
        ]
    left_out = ", left out" if show_result else ""
    groups += [
        (en_to_de - kept, "o", PALETTE["sky"], 90, "EN->DE only" + left_out),
        (de_to_en - kept, "x", PALETTE["vermillion"], 90, "DE->EN only" + left_out),
    ]
    for points, marker, colour, size, label in groups:
        if points:
            i, j = zip(*sorted(points))
            ax.scatter(j, i, marker=marker, s=size, color=colour, label=label, lw=3)
    if numbered:  # "0 der", "1 Mann", ...
        de = [f"{j} {w}" for j, w in enumerate(de)]
        en = [f"{w} {i}" for i, w in enumerate(en)]
    ax.set_xticks(range(len(de)), de, rotation=60, ha="left")
    ax.set_yticks(range(len(en)), en)
    ax.set_xlim(-0.6, len(de) - 0.4)
    ax.set_ylim(len(en) - 0.4, -0.6)  # first English word at the top
    ax.xaxis.set_ticks_position("top")
    ax.xaxis.set_label_position("top")
    ax.set_xlabel("German words")
    ax.set_ylabel("English words")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False)
    if title:
        ax.text(0, -0.03, title, transform=ax.transAxes, va="top")


MONO = {"family": "monospace", "size": 14, "va": "center"}


def draw_segments(
    segments: Sequence[tuple[str, str]],
    unknown: Callable[[str], bool] = lambda word: False,
    max_tokens: int = 40,
) -> Figure:
    """The phrases the decoder used: English on top, German below, one colour
    per phrase pair, joined by a band. Words for which `unknown` is true are
    drawn in vermillion and bold. At most `max_tokens` English tokens are drawn."""
    from matplotlib.patches import FancyBboxPatch

    pairs: list[tuple[list[str], list[str]]] = []
    n_tokens = 0
    for en, de in segments:
        n_tokens += len(en.split())
        if n_tokens > max_tokens:
            break
        pairs.append((en.split(), de.split()))

    def layout(side: int) -> list[tuple[float, float, list[tuple[float, str]]]]:
        """(left, right, [(x, word), ...]) of each phrase; x in characters."""
        x, boxes = 0.0, []
        for pair in pairs:
            start, words = x, []
            for word in pair[side]:
                words.append((x, word))
                x += len(word) + 1
            boxes.append((start, x - 1, words))
            x += 1.5
        return boxes

    top, bottom = layout(0), layout(1)
    width = max([box[1] for box in top + bottom] + [10.0])  # characters
    # A monospaced font at 14 pt is 0.6 x 14 pt = 0.1167 inch per character.
    fig = Figure(figsize=(min(0.1167 * (width + 2), 24), 2.2))
    ax = fig.add_axes((0.0, 0.0, 1.0, 0.85))  # x in characters
    colours = [PALETTE[c] for c in ("blue", "green", "purple", "sky", "orange")]
    for k, (en_box, de_box) in enumerate(zip(top, bottom)):
        colour = colours[k % len(colours)]
        (x0, x1, en_words), (y0, y1, de_words) = en_box, de_box
        ax.fill([x0, x1, y1, y0], [0.72, 0.72, 0.28, 0.28], color=colour, alpha=0.2)
        for left, right, height in ((x0, x1, 0.86), (y0, y1, 0.14)):
            frame = FancyBboxPatch(
                (left - 0.5, height - 0.13),
                right - left + 1.0,
                0.26,
                boxstyle="round,pad=0.02",
                fill=False,
                ec=colour,
                lw=2,
            )
            ax.add_patch(frame)
        for x, word in en_words:
            flagged = unknown(word)
            colour_w = PALETTE["vermillion"] if flagged else "black"
            weight = "bold" if flagged else "normal"
            ax.text(x, 0.86, word, color=colour_w, fontweight=weight, **MONO)
        for x, word in de_words:
            ax.text(x, 0.14, word, **MONO)
    ax.set_xlim(-1, width + 1)
    ax.set_ylim(-0.04, 1.04)
    ax.axis("off")
    ax.set_title(
        "English (top) -> German (bottom), phrase by phrase", size=13, loc="left"
    )
    return fig


# --------------------------------------------------------------------------
# The widget
# --------------------------------------------------------------------------

WIDGET_EXAMPLE = "Today the man calls the woman."


def update(text: str) -> View:
    """Translate `text` word by word and with the phrase table, side by side,
    and draw the phrases the decoder used. Tokens that the phrase table does
    not know are marked. Never raises."""
    text, message = clean_text(text)
    if not text:
        return View(message=message)
    tokens = tokenize(text)
    if not any(is_word(t) for t in tokens):
        return View(message="No words here, only symbols: type an English sentence.")
    translator = baseline()
    german, segments = translator.translate_with_segments(text)

    def not_in_table(token: str) -> bool:
        return not is_punctuation(token) and not translator.known(token)

    unknown = [t for t in tokens if not_in_table(t)]
    notes = [message] if message else []
    if unknown:
        names = list(dict.fromkeys(unknown))
        shown = ", ".join(names[:8]) + (", ..." if len(names) > 8 else "")
        n_tokens = sum(not is_punctuation(t) for t in tokens)
        notes.append(
            f"{len(unknown)} of {n_tokens} words are not in the phrase table "
            f"({shown}): marked in orange-red, they pass through untranslated."
        )
    if len(tokens) > 40:
        notes.append("The picture shows the first 40 English tokens.")

    def marked(words: Sequence[str], flag: Callable[[str], bool]) -> str:
        style = f"color:{PALETTE['vermillion']};font-weight:bold"
        return " ".join(
            f'<u style="{style}">{html.escape(w)}</u>' if flag(w) else html.escape(w)
            for w in words
        )

    wbw = html.escape(word_by_word(text))
    missing = unknown_words(text)
    if missing:
        wbw += f"<br><small>not in the dictionary: {marked(missing, bool)}</small>"
    cell = 'style="padding:6px 10px;vertical-align:top;font-size:16px;text-align:left"'
    rows = [
        ("English", marked(tokens, not_in_table)),
        ("word by word", wbw),
        ("phrase table", html.escape(german)),
    ]
    body = "".join(f"<tr><th {cell}>{k}</th><td {cell}>{v}</td></tr>" for k, v in rows)
    # The picture shows the first words as typed and as output ("Today", "Heute").
    en_1, de_1 = segments[0]
    segments[0] = (tokens[0] + en_1[len(tokens[0]) :], capitalise(de_1))
    with warnings.catch_warnings():  # CJK or emoji the font lacks: drawn as boxes
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        png = figure_png(draw_segments(segments, not_in_table))
    return View(
        html=f'<table style="border-collapse:collapse">{body}</table>',
        png=png,
        message=" ".join(notes),
    )
