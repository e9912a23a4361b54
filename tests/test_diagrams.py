"""The architecture diagrams: each draws its key labels, inside the figure,
with no two labels on top of each other."""

import matplotlib.pyplot as plt
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from utils import diagrams


def course_map_part_1() -> Figure:
    """Part 1's strip, lesson 1.3 current: the longest titles, one in bold."""
    return diagrams.draw_course_map(1, current=3)


def course_map_part_2() -> Figure:
    """Part 2's strip, lesson 2.2 current: the longest part name."""
    return diagrams.draw_course_map(2, current=2)


KEY_LABELS = {
    diagrams.draw_seq2seq: ["the", "cake", "Der", "Kuchen", "<bos>", "<eos>",
                            "GRU", "encoder", "decoder", "German", "next input"],
    diagrams.draw_qkv: ["animal", "tired", "query", "key", "value", "W_Q",
                        "W_K", "W_V", "softmax", "sqrt{d}", "output"],
    diagrams.draw_block: ["LayerNorm", "attention", "feed-forward", "Linear",
                          "ReLU", "residual", "(batch, n, d_model)"],
    diagrams.draw_encoder_decoder: ["embedding + position", "shifted right",
                                    "masked self-attention", "cross-attention",
                                    "feed-forward", "encoder output", "softmax",
                                    "German", "Kuchen", "2 ×"],
    diagrams.draw_gpt: ["R", "embedding", "masked self-attention, rotary",
                        "feed-forward", "4 ×", "no\ncross-attention",
                        "the past", "LayerNorm", "84 characters", "⏎",
                        "shifted by one"],
    diagrams.draw_kv_cache: ["without a cache", "with a cache", "cached", "new",
                             "query", "keys", "values", "$k_5$", "$v_1$",
                             "$q_5$"],
    course_map_part_1: ["Part 1: Background", "1.1", "How would you",
                        "1.3", "seq2seq:", "1.6", "The transformer"],
    course_map_part_2: ["Part 2: Encoders", "2.1", "Encoders", "2.2",
                        "Decoders", "2.4", "Scaling out"],
}  # fmt: skip


def texts(fig: Figure) -> list[Text]:
    """Every non-empty text artist on the figure's axes."""
    return [t for ax in fig.axes for t in ax.texts if t.get_text().strip()]


def overlap_area(a, b) -> float:
    """The area (pixels^2) where two bounding boxes intersect; 0 if apart."""
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return max(w, 0) * max(h, 0)


@pytest.fixture(params=list(KEY_LABELS), ids=lambda f: f.__name__)
def drawn(request):
    """(the diagram's function, its figure, drawn on an Agg canvas)."""
    fig = request.param()
    FigureCanvasAgg(fig).draw()
    yield request.param, fig
    plt.close(fig)


def test_each_diagram_is_a_figure_with_its_key_labels(drawn):
    draw, fig = drawn
    assert isinstance(fig, Figure)
    joined = " | ".join(t.get_text() for t in texts(fig))
    missing = [label for label in KEY_LABELS[draw] if label not in joined]
    assert not missing, f"{draw.__name__} lacks {missing}"


def test_no_label_leaves_the_figure(drawn):
    _, fig = drawn
    renderer = fig.canvas.get_renderer()
    page = fig.bbox
    for t in texts(fig):
        box = t.get_window_extent(renderer)
        assert page.x0 <= box.x0 and box.x1 <= page.x1, t.get_text()
        assert page.y0 <= box.y0 and box.y1 <= page.y1, t.get_text()


def test_no_two_labels_overlap(drawn):
    _, fig = drawn
    renderer = fig.canvas.get_renderer()
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts(fig)]
    clashes = [
        (a, b)
        for i, (a, box_a) in enumerate(boxes)
        for b, box_b in boxes[i + 1 :]
        if overlap_area(box_a, box_b) > 4  # pixels^2: touching corners are fine
    ]
    assert not clashes


def test_text_is_projector_sized(drawn):
    _, fig = drawn
    assert min(t.get_fontsize() for t in texts(fig)) >= 14
    width, height = fig.get_size_inches()
    assert width <= 12.8 and height <= 7.2  # fits 1280x720 at 100 dpi


def test_overlap_helper_tells_apart_from_on_top():
    from matplotlib.transforms import Bbox

    a = Bbox([[0, 0], [10, 10]])
    assert overlap_area(a, Bbox([[5, 5], [15, 15]])) == 25
    assert overlap_area(a, Bbox([[10, 0], [20, 10]])) == 0
    assert overlap_area(a, Bbox([[20, 20], [30, 30]])) == 0


def test_qkv_draws_one_column_per_token():
    fig = diagrams.draw_qkv(("a", "b", "c"))
    labels = [t.get_text() for t in texts(fig)]
    assert "$q_3 \\cdot k_1$" in labels and "$x_4$" not in labels
    plt.close(fig)


def test_encoder_decoder_shows_lesson_6s_number_of_blocks():
    from utils.transformer import TransformerConfig

    fig = diagrams.draw_encoder_decoder()
    labels = " ".join(t.get_text() for t in texts(fig))
    assert labels.count(f"{TransformerConfig().n_layers} ×") == 2
    plt.close(fig)


def test_gpt_shows_lesson_2_2s_number_of_blocks():
    from utils.tasks.shakespeare import RECIPES

    fig = diagrams.draw_gpt()
    labels = [t.get_text() for t in texts(fig)]
    assert f"{RECIPES['lesson'].model.n_layers} ×" in labels
    assert "6 ×" in [t.get_text() for t in texts(diagrams.draw_gpt(6))]
    plt.close("all")


def kv_boxes(fig: Figure, color: str) -> list:
    """The key and value boxes edged in `color`, left to right."""
    from matplotlib.colors import to_rgba
    from matplotlib.patches import FancyBboxPatch

    boxes = [p for p in fig.axes[0].patches if isinstance(p, FancyBboxPatch)]
    return sorted((p for p in boxes if p.get_edgecolor() == to_rgba(color)),
                  key=lambda p: p.get_x())  # fmt: skip


@pytest.mark.parametrize("n", [3, 5])
def test_kv_cache_computes_only_the_newest_key_and_value(n):
    fig = diagrams.draw_kv_cache(n)
    labels = [t.get_text() for t in texts(fig)]
    assert labels.count("cached") == n - 1 and labels.count("new") == 1
    grey = kv_boxes(fig, "#999999")  # read back: only in the cached panel
    assert len(grey) == 2 * (n - 1)
    middle = fig.get_size_inches()[0] / 2
    assert all(p.get_x() > middle for p in grey)
    for color in ("blue", "green"):  # computed: n keys without, 1 with a cache
        computed = kv_boxes(fig, diagrams.PALETTE[color])
        assert sum(p.get_x() < middle for p in computed) == n
        assert sum(p.get_x() > middle for p in computed) == 1
    plt.close(fig)


def test_course_map_highlights_the_current_lesson_and_marks_coming_ones(
    monkeypatch,
):
    monkeypatch.setattr(diagrams, "lesson_exists", lambda lesson: lesson.number < 3)
    fig = diagrams.draw_course_map(1, current=2)
    boxes = [t.get_text() for t in texts(fig) if t.get_text()[:2] == "1."]
    bold = [t.get_text() for t in texts(fig) if t.get_fontweight() == "bold"]
    assert len(boxes) == 6
    assert bold == ["Part 1: Background and the Transformer",
                    "1.2\nFrom words to\ntensors"]  # fmt: skip
    coming = [b.split("\n")[0] for b in boxes if b.endswith("(coming)")]
    assert coming == ["1.3", "1.4", "1.5", "1.6"]
    plt.close(fig)
    fig = diagrams.draw_course_map(1)  # no current lesson: nothing in bold
    assert [t.get_fontweight() for t in texts(fig)][1:] == ["normal"] * 6
    plt.close(fig)


@pytest.mark.parametrize("part, current", [(9, None), (1, 42), (2, 5)])
def test_course_map_rejects_an_unknown_part_or_lesson(part, current):
    with pytest.raises(ValueError, match=f"no (part|lesson) {current or part}"):
        diagrams.draw_course_map(part, current)
