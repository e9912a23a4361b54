"""Pictures that several lessons draw: attention weights as a heat map or, for
one query, as bars; masks; grouped bars (BLEU by sentence length, search hits)
and one bar per row (a bench's results). Each draws on a given matplotlib
Axes, so a lesson lays out its own figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import torch

from utils.style import PALETTE

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def draw_heatmap(
    ax: Axes,
    weights: Any,  # (n_rows, n_cols), each row sums to 1
    rows: Sequence[str],
    cols: Sequence[str],
    title: str = "",
    xlabel: str = "key (looked at)",
    ylabel: str = "query (looking)",
) -> None:
    """Attention weights as a heatmap: one row per query, one column per key."""
    w = torch.as_tensor(weights).detach().float()
    im = ax.imshow(w, cmap="viridis", vmin=0, aspect="auto")
    ax.grid(False)
    ax.set_xticks(range(len(cols)), cols, rotation=90)
    ax.set_yticks(range(len(rows)), rows)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.figure.colorbar(im, ax=ax, fraction=0.046, pad=0.04, label="weight")


def draw_weight_bars(
    ax: Axes,
    weights: Any,  # (n_keys,), sums to 1
    labels: Sequence[str],
    title: str = "",
    xlabel: str = "attention weight",
) -> None:
    """One query's attention weights as horizontal bars, one per key, in the
    keys' order from the top, each with its value; a dotted line marks the
    uniform weight 1/n. Repeated labels (two "the"s) get a bar each."""
    w = torch.as_tensor(weights).detach().float().tolist()
    rows = range(len(w))
    ax.barh(rows, w, color=PALETTE["blue"])
    uniform = f"uniform (1/{len(w)})"
    ax.axvline(1 / len(w), color="grey", ls=":", zorder=0.5, label=uniform)
    white = {"facecolor": "white", "alpha": 0.8, "edgecolor": "none", "pad": 0.5}
    for row, value in zip(rows, w):
        ax.text(value, row, f" {value:.2f}", va="center", fontsize=12, bbox=white)
    ax.set_yticks(rows, labels)
    ax.invert_yaxis()  # the first key at the top, as in the sentence
    ax.set_xlim(0, max(w) * 1.18)  # room for the values
    ax.set_xlabel(xlabel)
    ax.grid(False, axis="y")
    ax.legend(loc="upper right")
    if title:
        ax.set_title(title)


def draw_similarity(
    ax: Axes, sim: Any, labels: Sequence[str], title: str = "", vmin: float = 0.0
) -> None:
    """A square matrix of cosine similarities, each cell labelled with its
    value (rounded to 2 decimals), one row and one column per item."""
    s = torch.as_tensor(sim).detach().float()  # (n, n)
    im = ax.imshow(s, cmap="viridis", vmin=vmin, vmax=1, aspect="equal")
    ax.grid(False)
    n = len(labels)
    ax.set_xticks(range(n), range(1, n + 1))
    ax.set_yticks(range(n), [f"{i + 1}. {t}" for i, t in enumerate(labels)])
    for i in range(n):
        for j in range(n):
            v = float(s[i, j])
            ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=9,
                    color="black" if v > vmin + 0.6 * (1 - vmin) else "white")  # fmt: skip
    if title:
        ax.set_title(title)
    ax.figure.colorbar(im, ax=ax, fraction=0.046, pad=0.04, label="cosine")


def draw_mask(ax: Axes, mask: torch.Tensor, title: str) -> None:
    """A boolean mask as black (blocked) and white (allowed) squares."""
    ax.imshow(mask.float(), cmap="gray", vmin=0, vmax=1)
    ax.grid(False)
    n_q, n_k = mask.shape
    ax.set_xticks(range(n_k))
    ax.set_yticks(range(n_q))
    ax.set_xlabel("key position")
    ax.set_ylabel("query position")
    ax.set_title(title)


def draw_grouped_bars(
    ax: Axes,
    table: dict[str, dict[str, float]],
    ylabel: str,
    title: str = "",
    errors: dict[str, dict[str, float | None]] | None = None,
    colors: Sequence[str] | None = None,
) -> None:
    """Grouped bars: `table` maps each series (a colour, in the legend) to its
    value per group (the x axis, in the first series' order); `errors`, in the
    same shape, adds ± error bars (None: no bar, e.g. a single seed); `colors`
    keeps a series' colour from another figure."""
    series = list(table)
    groups = list(next(iter(table.values())))
    width = 0.8 / len(series)
    for k, name in enumerate(series):
        xs = [i + (k - (len(series) - 1) / 2) * width for i in range(len(groups))]
        values = [table[name][g] for g in groups]
        err = [(errors[name][g] or 0.0) for g in groups] if errors else None
        color = colors[k] if colors else None
        ax.bar(xs, values, width, yerr=err, capsize=4, color=color, label=name)
    ax.set_xticks(range(len(groups)), groups)
    ax.set(ylabel=ylabel, title=title)
    ax.legend()


def draw_bleu_bars(ax: Axes, table: dict[str, dict[str, float]]) -> None:
    """Grouped bars: BLEU for each length bucket (groups) and system (colours);
    `table` maps system -> bleu_by_bucket's dict (its "all" entry is skipped)."""
    by_bucket = {
        s: {b: v for b, v in row.items() if b != "all"} for s, row in table.items()
    }
    draw_grouped_bars(ax, by_bucket, "BLEU (0-100)", "Held-out BLEU by sentence length")
    ax.set_xlabel("English sentence length (words)")


def draw_row_bars(
    ax: Axes,
    values: dict[str, float],
    errors: dict[str, float] | None = None,
    *,
    xlabel: str,
    line: float | None = None,
    line_label: str = "",
    fmt: str = "{:.1f}",
) -> None:
    """One horizontal bar per row, in the dict's order from the top, its value
    written inside its end (after it, for a short bar), an error bar where `errors` has one (e.g. the standard
    deviation over folds), and a dashed line at `line` (a target, a chance
    level) when given."""
    rows = range(len(values))
    xerr = [errors.get(k, 0.0) for k in values] if errors else None
    ax.barh(rows, list(values.values()), xerr=xerr, color=PALETTE["blue"], capsize=6)
    longest = max(values.values(), default=0.0)
    for row, value in zip(rows, values.values()):  # inside a long bar's end, else after
        text = fmt.format(value)
        if value >= 0.15 * longest:
            ax.text(value, row, text + " ", ha="right", va="center", color="white")
        else:
            ax.text(value, row, " " + text, ha="left", va="center")
    if line is not None:
        ax.axvline(line, color=PALETTE["vermillion"], ls="--", lw=2.5, label=line_label)
        if line_label:
            ax.legend(loc="upper right")
    ax.set_yticks(rows, list(values))
    ax.invert_yaxis()  # the first row at the top
    ax.set_xlabel(xlabel)
    ax.grid(False, axis="y")
