"""Lesson 2's helpers: codes, tokenising, word2vec, evaluation, the fixed-vocabulary
lookup, the explorer, exercises (utils.word_vectors, vector_eval, fixed_vocab,
vector_explorer, checks.part1_lesson02).

Everything runs on tiny hand-made inputs: a 2-D KeyedVectors whose words sit on
the unit circle at chosen angles, so every cosine, analogy and correlation can
be worked out by hand.
"""

import math

import numpy as np
import pytest

from lessons.solutions import part1_lesson02 as solution
from utils import fixed_vocab, vector_explorer
from utils import vector_eval as ev
from utils import word_vectors as vec
from utils.checks import CORRECT, NOT_ATTEMPTED
from utils.checks import part1_lesson02 as checks

# Angles (degrees) on the unit circle; the order is the "frequency" order.
ANGLES = {"man": 0, "woman": 90, "king": 20, "queen": 110, "apple": 200, "pear": 215}


def make_kv(words=tuple(ANGLES)):
    from gensim.models import KeyedVectors

    kv = KeyedVectors(vector_size=2)
    vectors = [
        [math.cos(math.radians(ANGLES[w])), math.sin(math.radians(ANGLES[w]))]
        for w in words
    ]
    kv.add_vectors(list(words), np.array(vectors, dtype=np.float32))
    return kv


@pytest.fixture
def kv():
    return make_kv()


# Worked by hand (3CosAdd: the word nearest to b - a + c):
#   man woman king    -> 92.6 deg -> queen (right)
#   man king woman    -> 92.6 deg -> queen (right)
#   man woman king    emperor: not in the vocabulary, skipped
#   man woman apple   -> 161.3 deg -> queen, 51 deg away, beats pear, 54 (wrong)
#   king queen apple  -> 173.4 deg -> pear (right)
ANALOGY_FILE = """: family
man woman king queen
man king woman queen
man woman king emperor
: fruit
man woman apple pear
king queen apple pear
"""
# Human scores 8, 9, 7, 1 against cosines 0, 0.94, 0.97, -0.94: ranks
# [3, 4, 2, 1] and [2, 3, 4, 1], so Spearman = 1 - 6 * 6 / (4 * 15) = 0.4.
PAIR_FILE = """# Word 1\tWord 2\tHuman (mean)
king\tqueen\t8.0
man\tking\t9.0
apple\tpear\t7.0
man\tapple\t1.0
king\tunicorn\t5.0
"""


@pytest.fixture
def test_files(tmp_path):
    analogies, pairs = tmp_path / "analogies.txt", tmp_path / "pairs.tsv"
    analogies.write_text(ANALOGY_FILE)
    pairs.write_text(PAIR_FILE)
    return analogies, pairs


# --- codes and cosines --------------------------------------------------------------


def test_ordinal_codes_number_words_in_order_of_first_appearance():
    assert vec.ordinal_codes(["cat", "dog", "cat", "cake"]) == {
        "cat": 0,
        "dog": 1,
        "cake": 2,
    }


def test_one_hot_rows_and_equal_distances():
    words = ["cat", "dog", "cake"]
    x = vec.one_hot(["dog", "cat", "dog"], vec.ordinal_codes(words))
    assert x.tolist() == [[0, 1, 0], [1, 0, 0], [0, 1, 0]]
    d = vec.distance_matrix(vec.one_hot(words))
    assert np.allclose(d, math.sqrt(2) * (1 - np.eye(3)))
    assert np.allclose(vec.cosine_matrix(vec.one_hot(words)), np.eye(3))


def test_ordinal_distances_follow_the_arbitrary_order():
    codes = np.array([[0], [1], [2]])  # cat, dog, cake
    assert vec.distance_matrix(codes).tolist() == [[0, 1, 2], [1, 0, 1], [2, 1, 0]]


def test_cosine_on_hand_vectors():
    assert vec.cosine([3, 4], [4, 3]) == pytest.approx(0.96, abs=1e-12)
    assert vec.cosine([1, 0], [-2, 0]) == -1.0
    assert vec.cosine([1, 0], [0, 5]) == 0.0
    assert vec.cosine([1, 2], [2, 4]) == pytest.approx(1.0, abs=1e-12)
    assert vec.cosine([0, 0], [1, 1]) == 0.0


# --- tokenising Shakespeare -------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "cmap", "label", "ticks_down"),
    [
        ("distance", "viridis_r", "distance (lower = closer)", True),
        ("cosine", "viridis", "cosine (higher = closer)", False),
    ],
)
def test_draw_closeness_makes_close_pairs_bright_in_both_kinds(
    kind, cmap, label, ticks_down
):
    from matplotlib.figure import Figure

    words = ["cat", "dog", "car"]
    # Each kind's own sense of close: cat and dog at 0.5 (distance) or 0.9 (cosine).
    matrix = {
        "distance": [[0.0, 0.5, 2.0], [0.5, 0.0, 2.0], [2.0, 2.0, 0.0]],
        "cosine": [[1.0, 0.9, 0.1], [0.9, 1.0, 0.2], [0.1, 0.2, 1.0]],
    }[kind]
    fig = Figure()
    ax = fig.subplots()
    vec.draw_closeness(ax, np.array(matrix), words, "t", kind)
    image = ax.images[0]
    assert image.get_cmap().name == cmap
    colour = image.cmap(image.norm(np.array(matrix)))  # (3, 3, 4) RGBA
    bright = image.cmap(1.0 if kind == "cosine" else 0.0)
    assert np.allclose(colour[0, 0], bright)  # a word with itself: the brightest
    assert colour[0, 1, :3].sum() > colour[0, 2, :3].sum()  # cat-dog above cat-car
    bar = fig.axes[1]
    assert bar.get_ylabel() == label
    assert bar.yaxis_inverted() == ticks_down  # "closer" at the top in both
    texts = [t.get_text() for t in ax.texts]
    assert texts[:3] == [f"{v:.1f}" for v in matrix[0]]
    assert [t.get_text() for t in ax.get_xticklabels()] == words
    # Black text on the bright cells, white on the dark ones.
    assert ax.texts[0].get_color() == "black" and ax.texts[2].get_color() == "white"


def test_shakespeare_words_of_a_line_exactly():
    line = "And I in going, madam, weep o'er my father's death anew;"
    assert vec.shakespeare_words(line) == [
        "and", "i", "in", "going", "madam", "weep", "o'er", "my", "father", "'s",
        "death", "anew",
    ]  # fmt: skip


def test_split_sentences_drops_speakers_and_stage_directions():
    text = (
        "ACT I.\n\nCOUNTESS.\nIn delivering my son from me, I bury a second "
        "husband.\n\n[Enter BERTRAM.]\n\nBERTRAM.\nAnd I in going, madam! Weep?\n"
    )
    assert vec.split_sentences(text) == [
        ["in", "delivering", "my", "son", "from", "me", "i", "bury", "a", "second",
         "husband"],
        ["and", "i", "in", "going", "madam"],
        ["weep"],
    ]  # fmt: skip


def test_stable_hash_is_crc32():
    assert vec.stable_hash("king") == 2731404643
    assert vec.stable_hash("") == 0


# --- word2vec -------------------------------------------------------------------------

TINY_CORPUS = [
    ["the", "cat", "sat", "on", "the", "mat"],
    ["the", "dog", "sat", "on", "the", "log"],
    ["a", "cat", "and", "a", "dog", "ran"],
    ["the", "king", "and", "the", "queen", "sat"],
] * 25
TINY_CONFIG = vec.Word2VecConfig(vector_size=4, window=2, min_count=1, epochs=5)


def test_word2vec_is_repeatable_and_matches_the_golden_numbers():
    first = vec.train_word2vec(TINY_CORPUS, TINY_CONFIG)
    second = vec.train_word2vec(TINY_CORPUS, TINY_CONFIG)
    assert np.array_equal(first.wv.vectors, second.wv.vectors)
    assert first.losses == second.losses
    assert len(first.losses) == 5
    assert first.wv.index_to_key[:4] == ["the", "sat", "and", "a"]
    golden = [-0.0613, 0.1867, 0.0284, -0.2419]
    assert np.allclose(first.wv["cat"], golden, atol=2e-3)


def test_live_word2vec_shows_a_labelled_bar_that_finishes(monkeypatch):
    # Regression: the saved text of the bar read "word2vec epochs: 0/5", the
    # bar's plain form frozen when it was first displayed.
    import IPython.display

    from utils import training

    shown, bars = [], []
    monkeypatch.setattr(
        IPython.display, "display", lambda obj, raw=False: shown.append((obj, raw))
    )
    show_bar = training.show_bar
    monkeypatch.setattr(
        training, "show_bar", lambda bar, *a: (bars.append(bar), show_bar(bar, *a))
    )
    trained = vec.train_word2vec(TINY_CORPUS, TINY_CONFIG, live=True)
    [(view, raw)] = shown
    assert raw and "application/vnd.jupyter.widget-view+json" in view
    assert (
        view["text/plain"] == "word2vec epochs: 5 passes over the corpus (a live bar)"
    )
    [bar] = bars
    left, progress, right = bar.container.children
    assert (bar.n, progress.value, progress.bar_style) == (5, 5, "success")

    def text(html):  # tqdm writes its spaces as figure spaces
        return html.value.replace("\u2007", " ").strip()

    assert text(left) == "word2vec epochs: 5/5"
    assert text(right) == f", loss={trained.losses[-1]:,.0f}"  # no timing text


def test_word2vec_seed_changes_the_vectors():
    other = vec.Word2VecConfig(vector_size=4, window=2, min_count=1, epochs=5, seed=1)
    a = vec.train_word2vec(TINY_CORPUS, TINY_CONFIG).wv["cat"]
    b = vec.train_word2vec(TINY_CORPUS, other).wv["cat"]
    assert not np.allclose(a, b, atol=1e-3)


# --- evaluation -----------------------------------------------------------------------


def test_read_test_files(test_files):
    analogies, pairs = test_files
    assert len(ev.read_analogies(analogies)) == 5
    assert ev.read_pairs(pairs)[0] == ("king", "queen", 8.0)
    assert len(ev.read_pairs(pairs)) == 5


def test_evaluate_analogies_accuracy_and_coverage(kv, test_files):
    score = ev.evaluate(kv, "analogies", test_files[0], name="tiny")
    assert (score.score, score.covered, score.total) == (0.75, 4, 5)
    assert score.coverage == 0.8
    # The first 4 words only: the fruit questions drop out, both others are right.
    score = ev.evaluate(kv, "analogies", test_files[0], restrict_vocab=4)
    assert (score.score, score.covered, score.total) == (1.0, 2, 5)


def test_evaluate_pairs_spearman_and_coverage(kv, test_files):
    score = ev.evaluate(kv, "pairs", test_files[1], name="tiny")
    assert score.score == pytest.approx(0.4, abs=1e-12)
    assert (score.task, score.covered, score.total) == ("pairs", 4, 5)


def test_write_subset_keeps_only_lines_every_vocabulary_covers(kv, tmp_path):
    small = make_kv(("man", "woman", "king", "queen"))
    vocabs = [ev.vocabulary(kv), ev.vocabulary(small)]
    (tmp_path / "a.txt").write_text(ANALOGY_FILE)
    out = ev.write_subset(tmp_path / "a.txt", tmp_path / "b.txt", vocabs)
    assert out.read_text() == (
        ": family\nman woman king queen\nman king woman queen\n: fruit\n"
    )


def test_evaluate_models_on_own_and_common_subsets(kv, test_files, tmp_path):
    small = make_kv(("man", "woman", "king", "queen"))
    workdir = tmp_path / "work"
    workdir.mkdir()
    scores = ev.evaluate_models(
        {"big": (kv, None), "small": (small, None)}, *test_files, workdir=workdir
    )
    got = [(s.model, s.task, s.subset, round(s.score, 6), s.covered) for s in scores]
    assert got == [
        ("big", "analogies", "own", 0.75, 4),
        ("big", "pairs", "own", 0.4, 4),
        ("small", "analogies", "own", 1.0, 2),
        ("small", "pairs", "own", 1.0, 2),
        ("big", "analogies", "common", 1.0, 2),
        ("big", "pairs", "common", 1.0, 2),
        ("small", "analogies", "common", 1.0, 2),
        ("small", "pairs", "common", 1.0, 2),
    ]
    assert {s.total for s in scores if s.task == "pairs"} == {5}
    table = ev.score_table(scores)
    assert table.splitlines()[1] == (
        "big                    analogies  own               4/5     80.0%  0.750"
    )
    assert list(workdir.iterdir()) == []  # the subset files are cleaned up


# --- pairs and cosines ----------------------------------------------------------------


def test_pair_cosines_skip_unknown_words(kv):
    values, kept = ev.pair_cosines(kv, [("man", "king"), ("man", "dragon")])
    assert kept == [("man", "king")]
    assert values == pytest.approx([math.cos(math.radians(20))], abs=1e-6)
    values, kept = ev.pair_cosines(kv, [("man", "pear")], restrict_vocab=4)
    assert kept == [] and len(values) == 0


def test_random_pairs_are_seeded_and_distinct(kv):
    pairs = ev.random_pairs(kv, 20, seed=3)
    assert pairs == ev.random_pairs(kv, 20, seed=3)
    assert pairs != ev.random_pairs(kv, 20, seed=4)
    assert all(a != b for a, b in pairs)
    assert {w for p in ev.random_pairs(kv, 20, restrict_vocab=2) for w in p} == {
        "man",
        "woman",
    }


def test_high_score_pairs(test_files):
    assert ev.high_score_pairs(test_files[1], 8) == [("king", "queen"), ("man", "king")]


def test_neighbour_rank(kv):
    space = vec.Space.of(kv)
    ranks = [ev.neighbour_rank(space, "man", w) for w in ("king", "woman", "apple")]
    assert ranks == [1, 2, 5]
    # A word outside the search space: nothing of its own is ahead.
    assert ev.neighbour_rank(vec.Space.of(kv, 4), "pear", "apple") == 1


# --- the lookup and the preprocessing ---------------------------------------------------


def test_lookup_table(kv):
    vocab, matrix = fixed_vocab.lookup_table(kv, 4)
    assert list(vocab) == ["<pad>", "<unk>", "<num>", "man", "woman", "king", "queen"]
    assert matrix.shape == (7, 2) and matrix.dtype == np.float32
    assert not matrix[:3].any()
    assert np.array_equal(matrix[vocab["king"]], kv["king"])
    assert fixed_vocab.to_ids(["king", "dragon"], vocab) == [5, 1]


def test_split_tokens():
    assert fixed_vocab.split_tokens("O'Reilly's COVID-19 costs 3,217.50!!! 😂") == [
        "O'Reilly", "'s", "COVID", "-", "19", "costs", "3,217.50", "!", "!", "!", "😂",
    ]  # fmt: skip


def test_crowbar_steps_and_what_is_lost():
    vocab = {"<pad>", "<unk>", "<num>", "the", "king", "'s", "19", "!", "-", "covid"}
    steps = fixed_vocab.crowbar("The King's 😂 COVID-19 in 2,024!", vocab)
    assert [s.name for s in steps] == [
        "split on spaces",
        "lowercase",
        "split punctuation",
        "unknown numbers -> <num>",
        "unknown words -> <unk>",
    ]
    assert steps[0].tokens == ["The", "King's", "😂", "COVID-19", "in", "2,024!"]
    assert [s.known for s in steps] == [0, 1, 7, 7, 7]
    assert steps[-1].tokens == [
        "the", "king", "'s", "<unk>", "covid", "-", "19", "<unk>", "<num>", "!",
    ]  # fmt: skip
    assert steps[-1].unknown == ["<unk>", "<unk>", "<num>"]
    assert fixed_vocab.lost_pieces("The King's 😂 COVID-19 in 2,024!", vocab) == [
        "😂",
        "in",
        "2,024",
    ]


# --- PCA ------------------------------------------------------------------------------


def test_pca_2d_shape_determinism_and_signs():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(12, 50))
    a, b = vector_explorer.pca_2d(x), vector_explorer.pca_2d(x.copy())
    assert a.shape == (12, 2)
    assert np.array_equal(a, b)
    assert np.allclose(a.mean(axis=0), 0, atol=1e-12)
    assert a[:, 0].var() >= a[:, 1].var()


def test_pca_2d_of_points_on_a_line_keeps_their_distances():
    x = np.outer([0.0, 1.0, 3.0], [0.6, 0.8, 0.0])  # (3, 3) on one line
    xy = vector_explorer.pca_2d(x)
    assert np.allclose(np.abs(xy[:, 0]), [4 / 3, 1 / 3, 5 / 3])
    assert np.allclose(xy[:, 1], 0)
    assert vector_explorer.pca_2d(np.ones((1, 5))).tolist() == [[0.0, 0.0]]


# --- the explorer widget ----------------------------------------------------------------


@pytest.fixture
def explorer(kv):
    return vector_explorer.Explorer({"tiny": (kv, None)}, n_neighbours=2)


def test_explorer_draws_words_neighbours_and_an_analogy(explorer):
    view = explorer.update("man, apple", "king - man + woman", "tiny")
    assert view.message == ""
    assert view.png.startswith(b"\x89PNG")
    assert "<b>man</b></td><td>king (0.94), woman (0.00)" in view.html
    assert "king - man + woman &asymp; <b>queen (0.95), apple (-0.30)" in view.html


def test_explorer_single_word_and_case(explorer):
    view = explorer.update("  KING ", "", "tiny")
    assert view.message == "" and view.png
    assert "<b>king</b>" in view.html


@pytest.mark.parametrize(
    ("words", "analogy", "message"),
    [
        ("", "", "Type some words, separated by commas, or an analogy"),
        ("   \n\t", "  ", "Type some words, separated by commas, or an analogy"),
        ("😀", "", "Not in the tiny vocabulary: 😀."),
        ("猫, 日本", "", "Not in the tiny vocabulary: 猫, 日本."),
        ("مرحبا שלום", "", "Not in the tiny vocabulary: مرحبا, שלום."),
        ("1984, 3.14", "", "Not in the tiny vocabulary: 1984, 3.14."),
        ("man, dragon", "", "Not in the tiny vocabulary: dragon."),
        ("", "king - man", "Write an analogy as a - b + c"),
        ("", "king - man + dragon", "Not in the tiny vocabulary: dragon."),
        ("x" * 100_000, "", "Only the first 2,000 characters are used."),
        ("man " * 20, "", ""),
        (", , ,", "", "Type some words, separated by commas, or an analogy"),
    ],
)
def test_explorer_bad_input_gives_a_message(explorer, words, analogy, message):
    view = explorer.update(words, analogy, "tiny")
    assert message in view.message


def test_explorer_caps_words_and_shortens_long_unknown_words(explorer):
    many = ", ".join(["man", "woman", "king", "queen", "apple", "pear"] * 2 + ["q"])
    view = explorer.update(many, "", "tiny")
    assert view.message == "Only the first 8 words are shown."
    view = explorer.update("y" * 100, "", "tiny")
    assert view.message == f"Not in the tiny vocabulary: {'y' * 30}...."
    assert view.png == b""


def test_explorer_unknown_model(explorer):
    assert explorer.update("man", "", "GloVe").message == "Pick a model: tiny."


def test_explorer_analogy_alone(explorer):
    # Regression (found by tests/test_widget_properties.py): an analogy with the
    # words box empty raised a ValueError from a matrix product of no queries.
    view = explorer.update("", "king - man + woman", "tiny")
    assert view.message == "" and view.png.startswith(b"\x89PNG")
    assert "king - man + woman &asymp; <b>queen (0.95)" in view.html
    assert "<table" not in view.html


def test_explorer_draws_cjk_without_warnings():
    # Regression (found by tests/test_widget_properties.py): a word whose glyphs
    # the font lacks let matplotlib's warning out, printed below the widget.
    import warnings

    kv = make_kv()
    kv.add_vectors(["猫"], np.array([[0.6, 0.8]], dtype=np.float32))
    explorer = vector_explorer.Explorer({"tiny": (kv, None)}, n_neighbours=2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        view = explorer.update("猫, man", "", "tiny")
    assert view.message == "" and view.png.startswith(b"\x89PNG")


def clustered_kv():
    """Three tight clusters of six words, 120 degrees apart on the unit circle:
    each word's neighbours sit 1.5 degrees from each other, so labels written
    all to the right of their dots overlap (43 pairs did, before spreading)."""
    from gensim.models import KeyedVectors

    words, vectors = [], []
    for name, centre in (("oak", 0.0), ("sea", 120.0), ("sky", 240.0)):
        for i in range(6):
            angle = math.radians(centre + 1.5 * i)
            words.append(f"{name}{i}")
            vectors.append([math.cos(angle), math.sin(angle)])
    kv = KeyedVectors(vector_size=2)
    kv.add_vectors(words, np.array(vectors, dtype=np.float32))
    return kv


def label_boxes(fig, dpi):
    """Per axes: each label's text and its drawn box (its white box if it has
    one), in pixels, as the PNG at `dpi` draws them."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig.dpi = dpi
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    return [
        [
            (t.get_text(), (t.get_bbox_patch() or t).get_window_extent(renderer))
            for t in ax.texts
            if t.get_text()  # the arrows are annotations without text
        ]
        for ax in fig.axes
    ]


@pytest.mark.parametrize("dpi", [100, 80])  # as drawn, and as the widget's PNG
def test_explorer_labels_every_word_once_and_no_labels_overlap(dpi):
    explorer = vector_explorer.Explorer({"tiny": (clustered_kv(), None)})
    space = explorer.spaces["tiny"]
    typed = ["oak0", "sea0", "sky0"]
    near = space.nearest(
        np.stack([space.vector(w) for w in typed]), 5, [{w} for w in typed]
    )
    triple = ("oak0", "oak1", "sea0")  # oak1 - oak0 + sea0
    fig = explorer.draw(
        space, "tiny", dict(zip(typed, near)), triple, space.analogy(*triple)
    )
    neighbours, analogy = label_boxes(fig, dpi)
    assert sorted(t for t, _ in neighbours) == sorted(space.words)  # each once
    assert [t for t, _ in analogy] == ["oak1", "oak0", "sea0", "sea1", "sea2", "sea3"]
    for panel in (neighbours, analogy):
        for i, (a, box_a) in enumerate(panel):
            for b, box_b in panel[:i]:
                w = min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0)
                h = min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0)
                assert w <= 0 or h <= 0, f"{a!r} overlaps {b!r} at {dpi} dpi"


def test_place_labels_keeps_the_first_label_right_of_its_dot():
    from matplotlib.figure import Figure

    ax = Figure(dpi=100).subplots()
    ax.set(xlim=(0, 10), ylim=(0, 10))
    first, second = vector_explorer.place_labels(
        ax,
        [
            vector_explorer.Label("here", (5, 5), "black", 12),
            vector_explorer.Label("there", (5, 5), "black", 12),
        ],
    )
    renderer = ax.figure.canvas.get_renderer()  # place_labels gave it an Agg canvas
    dot_x = ax.transData.transform((5, 5))[0]
    box1, box2 = first.get_window_extent(renderer), second.get_window_extent(renderer)
    # 3 points (the dot's radius) + 4 (the gap) = 7 points = 9.72 pixels.
    assert box1.x0 - dot_x == pytest.approx(7 * 100 / 72, abs=0.01)
    assert box2.x1 < dot_x  # the same dot: the second label goes to the left


def test_space_nearest_excludes_and_breaks_ties_by_frequency(kv):
    space = vec.Space.of(kv)
    near = space.nearest(np.stack([space.vector("man")]), 2, [{"man"}])
    assert [w for w, _ in near[0]] == ["king", "woman"]
    # a : b :: c : ? is b - a + c: man : woman :: apple : ? -> woman - man + apple.
    assert [w for w, _ in space.analogy("man", "woman", "apple", k=2)] == [
        "queen",
        "pear",
    ]


def test_analogy_order_is_the_same_everywhere(kv):
    # man : king :: woman : ? -- the space, gensim's answer and the table agree.
    space = vec.Space.of(kv)
    assert space.analogy("man", "king", "woman", k=1)[0][0] == "queen"
    assert space.analogy("king", "queen", "apple", k=1)[0][0] == "pear"
    assert space.analogy("queen", "king", "apple", k=1)[0][0] == "man"  # flipped
    assert checks.reference_analogy(kv, "man", "king", "woman") == "queen"
    table = vec.analogy_table({"tiny": (kv, None)}, [("man", "king", "woman")], 1)
    assert table.splitlines()[0] == "king - man + woman"


def test_measure_latency_counts_calls():
    calls = []
    times = vector_explorer.measure_latency(
        lambda **kw: calls.append(kw), [{"a": 1}, {"a": 2}], 5
    )
    assert len(times) == 5 and [c["a"] for c in calls] == [1, 2, 1, 2, 1]


# --- exercises --------------------------------------------------------------------------


def test_check_cosine(capsys):
    assert checks.check_cosine(solution.cosine) == CORRECT
    assert checks.check_cosine(None) == NOT_ATTEMPTED
    assert checks.check_cosine(lambda u, v: None) == NOT_ATTEMPTED
    dot = checks.check_cosine(lambda u, v: u @ v)
    assert dot.startswith("not yet. Hint: that is the dot product")
    wrong = checks.check_cosine(lambda u, v: float(np.linalg.norm(u - v)))
    assert wrong.startswith("not yet. Hint: divide the dot product")
    crash = checks.check_cosine(lambda u, v: u @ v[:1])
    assert crash.startswith("not yet: your answer raised ValueError")
    assert "Exercise 1 (cosine): correct" in capsys.readouterr().out


TINY_CASES = [("man", "woman", "king", "queen"), ("king", "queen", "apple", "pear")]


def test_check_analogy(kv):
    assert checks.check_analogy(solution.complete_analogy, kv, TINY_CASES) == CORRECT
    assert checks.check_analogy(None, kv, TINY_CASES) == NOT_ATTEMPTED
    assert (
        checks.check_analogy(lambda kv, a, b, c: None, kv, TINY_CASES) == NOT_ATTEMPTED
    )

    def keeps_inputs(kv, a, b, c):  # forgets to leave out a, b and c
        query = kv.get_vector(b, norm=True) - kv.get_vector(a, norm=True)
        return kv.similar_by_vector(query + kv.get_vector(c, norm=True), topn=1)[0][0]

    assert checks.check_analogy(keeps_inputs, kv, TINY_CASES).startswith(
        "not yet. Hint"
    )
    assert checks.reference_analogy(kv, "man", "woman", "king") == "queen"


# --- printed tables and pictures ----------------------------------------------------------


def test_neighbour_and_analogy_tables(kv):
    small = make_kv(("man", "woman", "king", "queen"))
    models = {"tiny": (kv, None), "top4": (kv, 4), "small": (small, None)}
    assert vec.neighbour_table(models, ["apple", "dragon"], topn=2).splitlines() == [
        "apple    tiny  | pear, queen",
        "         top4  | queen, woman",
        "         small | (not in the vocabulary)",
        "dragon   tiny  | (not in the vocabulary)",
        "         top4  | (not in the vocabulary)",
        "         small | (not in the vocabulary)",
    ]
    assert vec.analogy_table(
        models, [("man", "king", "woman")], topn=1
    ).splitlines() == [
        "king - man + woman",
        "   tiny  | queen (0.95)",
        "   top4  | queen (0.95)",
        "   small | queen (0.95)",
    ]


def test_drawing_helpers_label_what_they_draw(kv, test_files):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    ax = Figure().subplots()
    vec.draw_epoch_losses(ax, [3e6, 2e6, 1.5e6])
    assert ax.lines[0].get_ydata().tolist() == [3.0, 2.0, 1.5]
    assert ax.get_xlabel() == "epoch (pass over the corpus)"

    ax = Figure().subplots()
    ev.draw_cosine_histograms(ax, {"random": np.array([0.0, 0.2, 0.4])}, "t")
    assert ax.get_legend().get_texts()[0].get_text() == "random (n=3, median 0.20)"

    scores = ev.evaluate_models({"tiny": (kv, None)}, *test_files)
    axes = Figure().subplots(1, 2)
    ev.draw_scores(axes, scores)
    heights = [round(p.get_height(), 2) for p in axes[1].patches]
    assert heights == [0.4, 0.4]  # own and common: one model covers itself
    assert [t.get_text() for t in axes[1].get_xticklabels()] == ["tiny"]
