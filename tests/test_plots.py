"""The shared pictures of utils.plots, drawn on bare figures from tiny inputs."""

import matplotlib
import pytest
import torch
from matplotlib.container import ErrorbarContainer
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


def test_grouped_bars_one_colour_per_series_one_group_per_key():
    from utils.plots import draw_bleu_bars, draw_grouped_bars

    ax = Figure().subplots()
    table = {
        "MiniLM": {"top 1": 93.0, "top 5": 100.0},
        "TF-IDF": {"top 1": 47.0, "top 5": 80.0},
    }
    draw_grouped_bars(ax, table, "queries answered (%)", "hits")
    assert [b.get_height() for b in ax.patches] == [93.0, 100.0, 47.0, 80.0]
    xs = [b.get_x() + b.get_width() / 2 for b in ax.patches]
    assert xs == pytest.approx([-0.2, 0.8, 0.2, 1.2])  # side by side in each group
    assert [t.get_text() for t in ax.get_xticklabels()] == ["top 1", "top 5"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["MiniLM", "TF-IDF"]
    assert (ax.get_ylabel(), ax.get_title()) == ("queries answered (%)", "hits")
    ax = Figure().subplots()
    draw_bleu_bars(ax, {"GRU": {"all": 30.0, "3-7": 80.0, "8-12": 40.0}})
    assert [b.get_height() for b in ax.patches] == [80.0, 40.0]  # "all" left out
    assert ax.get_xlabel() == "English sentence length (words)"


def test_row_bars_top_to_bottom_with_error_bars_and_a_reference_line():
    from utils.plots import draw_row_bars

    ax = Figure().subplots()
    values = {"majority": 50.0, "frozen": 74.5, "fine-tuned": 70.5}
    draw_row_bars(ax, values, {"frozen": 8.6, "fine-tuned": 6.0}, xlabel="accuracy (%)",
                  line=50, line_label="chance")  # fmt: skip
    assert [b.get_width() for b in ax.patches] == [50.0, 74.5, 70.5]
    assert [t.get_text() for t in ax.get_yticklabels()] == list(values)
    assert ax.yaxis_inverted()  # the first row at the top
    [bars] = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
    spans = bars.lines[2][0].get_segments()  # one horizontal line per row
    assert [s[1][0] - s[0][0] for s in spans] == pytest.approx([0.0, 17.2, 12.0])
    assert [t.get_text() for t in ax.texts] == ["50.0 ", "74.5 ", "70.5 "]
    assert [t.get_position()[0] for t in ax.texts] == list(values.values())
    [line] = [ln for ln in ax.lines if ln.get_label() == "chance"]
    assert list(line.get_xdata()) == [50, 50]
    assert ax.get_xlabel() == "accuracy (%)"
    ax = Figure().subplots()
    draw_row_bars(ax, {"greedy": 61.5, "sampled": 2.0}, xlabel="repeated pairs (%)")
    assert [(t.get_text(), t.get_ha()) for t in ax.texts] == [
        ("61.5 ", "right"),
        (" 2.0", "left"),
    ]


def test_grouped_bars_draw_error_bars_and_keep_given_colours():
    from matplotlib.colors import to_hex

    from utils.plots import draw_grouped_bars
    from utils.style import COLORS

    ax = Figure().subplots()
    table = {
        "GRU": {"all": 30.0, "3-7": 80.0},
        "transformer": {"all": 82.0, "3-7": 95.0},
    }
    errors = {"GRU": {"all": 0.5, "3-7": None}, "transformer": {"all": 2.0, "3-7": 1.0}}
    draw_grouped_bars(ax, table, "BLEU", errors=errors, colors=COLORS[2:4])
    [gru, transformer] = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
    spans = [
        s[1][1] - s[0][1]
        for c in (gru, transformer)
        for s in c.lines[2][0].get_segments()
    ]
    assert spans == pytest.approx([1.0, 0.0, 4.0, 2.0])  # ± sd; None draws none
    assert [to_hex(b.get_facecolor()) for b in ax.patches] == [
        c.lower() for c in (COLORS[2], COLORS[2], COLORS[3], COLORS[3])
    ]


def test_cost_curves_draw_any_quantity_on_log_log_axes_with_a_guide():
    from utils.cost import draw_cost

    ax = Figure().subplots()
    memory = {
        "attention": {16: 0.002, 64: 0.031, 256: 0.5},
        "GRU": {16: 0.004, 64: 0.016, 256: 0.0625},
    }
    draw_cost(ax, memory, slope=2, title="memory", ylabel="memory (MiB)", scale=1)
    attention, gru, guide = ax.lines
    assert list(gru.get_ydata()) == [0.004, 0.016, 0.0625]
    assert list(attention.get_ydata()) == [0.002, 0.031, 0.5]  # not scaled to ms
    assert list(guide.get_ydata()) == pytest.approx([0.5 / 256, 0.5 / 16, 0.5])  # ∝ N²
    assert guide.get_label() == "∝ N²"
    assert (ax.get_xscale(), ax.get_yscale()) == ("log", "log")
    assert ax.get_ylabel() == "memory (MiB)"
    ax = Figure().subplots()
    draw_cost(ax, {"GRU": {16: 0.001, 64: 0.004}})  # seconds, drawn in ms
    assert list(ax.lines[0].get_ydata()) == [1.0, 4.0]
    assert ax.get_ylabel() == "time per step (ms)"
