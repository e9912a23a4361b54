"""The architecture diagrams: each draws its key labels, inside the figure,
with no two labels on top of each other."""

import matplotlib.pyplot as plt
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from utils import diagrams

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
