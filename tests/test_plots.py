"""The shared pictures of utils.plots, drawn on bare figures from tiny inputs."""

import matplotlib
import pytest
import torch
from matplotlib.figure import Figure

from utils.plots import draw_weight_bars

matplotlib.use("Agg")

TOKENS = ["[CLS]", "the", "cat", "saw", "the", "dog"]  # "the" twice
WEIGHTS = torch.tensor([0.05, 0.1, 0.4, 0.05, 0.1, 0.3])  # sums to 1


def test_weight_bars_one_bar_per_key_in_order_from_the_top():
    ax = Figure().subplots()
    draw_weight_bars(ax, WEIGHTS, TOKENS, "weights from 'saw'")
    bars = ax.patches
    assert len(bars) == 6  # the two "the"s get a bar each
    assert [b.get_width() for b in bars] == pytest.approx(WEIGHTS.tolist())
    assert [b.get_y() + b.get_height() / 2 for b in bars] == list(range(6))
    assert [t.get_text() for t in ax.get_yticklabels()] == TOKENS
    assert ax.yaxis_inverted()  # the first key at the top
    assert [t.get_text() for t in ax.texts] == [f" {w:.2f}" for w in WEIGHTS.tolist()]
    assert ax.get_xlabel() == "attention weight"
    assert ax.get_title() == "weights from 'saw'"


def test_weight_bars_mark_the_uniform_weight_and_leave_room_for_values():
    ax = Figure().subplots()
    draw_weight_bars(ax, WEIGHTS.clone().requires_grad_(), TOKENS)  # with grad
    [line] = ax.lines
    assert line.get_xdata()[0] == pytest.approx(1 / 6)
    assert ax.get_legend().get_texts()[0].get_text() == "uniform (1/6)"
    assert ax.get_xlim() == pytest.approx((0, 0.4 * 1.18))
    assert ax.get_title() == ""
