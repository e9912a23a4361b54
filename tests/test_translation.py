"""The translation task of lessons 3 and 6 (utils/tasks/translation.py and
translation_views.py): vocabularies, batches, the data's fingerprint, the
decoding trace, the teacher-forcing gap of a trained copy task, and the two
widgets (translate your own sentence, the decoding stepper) with their one
input validator."""

import itertools
import json
import random

import pytest
import torch

from tests.test_rnn import adam_steps
from utils.attention import padding_mask
from utils.data.grammar import Pair
from utils.rnn import GRUConfig, Seq2Seq
from utils.tasks import translation
from utils.tasks import translation_views as views
from utils.text import BOS_ID, EOS_ID, PAD_ID, UNK_ID, Vocab, build_vocab
from utils.transformer import Transformer, TransformerConfig
from utils.widgets import View

# --------------------------------------------------------------------------
# Vocabularies and batches
# --------------------------------------------------------------------------


def test_vocab_ids_are_frequency_ordered_after_the_specials():
    vocab = build_vocab(["The dog sees the cat.", "The cat runs."], lowercase=True)
    assert vocab.itos[:4] == ["<pad>", "<bos>", "<eos>", "<unk>"]
    assert vocab.itos[4:] == ["the", ".", "cat", "dog", "runs", "sees"]
    assert len(vocab) == 10 and vocab.n_words == 6


def test_encode_decode_round_trip_and_unknown_words():
    vocab = build_vocab(["Der Hund sieht die Katze."])
    ids = vocab.encode("Der Hund sieht die Katze.")
    assert ids[-1] == EOS_ID and UNK_ID not in ids
    assert vocab.decode(ids) == "Der Hund sieht die Katze."
    assert vocab.encode("Der Fuchs.", bos=True) == [
        BOS_ID,
        vocab.stoi["Der"],
        UNK_ID,
        vocab.stoi["."],
        EOS_ID,
    ]
    assert vocab.decode(vocab.encode("Der Fuchs.")) == "Der <unk>."
    # decoding stops at <eos> and drops <pad> and <bos>
    assert vocab.decode([BOS_ID, vocab.stoi["Hund"], EOS_ID, vocab.stoi["Katze"]]) == (
        "Hund"
    )
    assert vocab.decode([vocab.stoi["Hund"], PAD_ID]) == "Hund"


def test_lowercasing_is_for_the_source_only():
    src, tgt = translation.vocabularies()
    assert src.lowercase and not tgt.lowercase
    assert src.encode("The cake")[:2] == src.encode("the CAKE")[:2]
    assert "Kuchen" in tgt.stoi and "kuchen" not in tgt.stoi
    assert len(src) == 715 and len(tgt) == 1461
    assert src.n_words == 711


def test_teacher_forcing_shift_and_padding():
    assert translation.teacher_forcing_shift([7, 8]) == ([BOS_ID, 7, 8], [7, 8, EOS_ID])
    batch = translation.make_batch([([5, 6, EOS_ID], [7, 8]), ([5, EOS_ID], [9])])
    assert batch.src.tolist() == [[5, 6, EOS_ID], [5, EOS_ID, PAD_ID]]
    # the lengths are not stored: the models find them from the <pad> ids
    lengths = (batch.src != PAD_ID).sum(-1)
    assert lengths.tolist() == [3, 2]
    assert batch.tgt_in.tolist() == [[BOS_ID, 7, 8], [BOS_ID, 9, PAD_ID]]
    assert batch.tgt_out.tolist() == [[7, 8, EOS_ID], [9, EOS_ID, PAD_ID]]
    mask = padding_mask(lengths, 3)
    assert mask.tolist() == [[True, True, True], [True, True, False]]
    assert translation.target_words(batch) == 5


def test_length_batches_are_seeded_and_of_similar_length():
    lengths = [1, 9, 2, 8, 3, 7, 4, 6, 5, 10]
    first = translation.length_batches(lengths, 2, seed=0)
    again = translation.length_batches(lengths, 2, seed=0)
    batches = [next(first) for _ in range(10)]  # two epochs
    assert batches == [next(again) for _ in range(10)]
    assert sorted(i for b in batches[:5] for i in b) == list(range(10))
    for b in batches:
        assert abs(lengths[b[0]] - lengths[b[1]]) == 1


# --------------------------------------------------------------------------
# The data's fingerprint: part of the model cache's key
# --------------------------------------------------------------------------


def test_vocab_fingerprint_is_the_words_in_id_order():
    a = Vocab(["der", "mann"])
    assert a.fingerprint() == Vocab(["der", "mann"]).fingerprint()
    assert a.fingerprint() != Vocab(["mann", "der"]).fingerprint()  # ids differ
    assert a.fingerprint() != Vocab(["der", "mann", "kauft"]).fingerprint()


def test_data_fingerprint_changes_with_a_vocabulary(monkeypatch):
    real = translation.data_fingerprint(True)
    assert len(real) == 16 and real == translation.data_fingerprint(True)
    src, tgt = translation.vocabularies(True)
    one_more = Vocab([*tgt.itos, "Zebra"])
    compute = translation.data_fingerprint.__wrapped__  # past its cache
    monkeypatch.setattr(translation, "vocabularies", lambda lowercase=True: (src, tgt))
    assert compute(True) == real  # the same vocabularies: the same fingerprint
    monkeypatch.setattr(
        translation, "vocabularies", lambda lowercase=True: (src, one_more)
    )
    assert compute(True) != real
    monkeypatch.setattr(translation, "vocabularies", lambda lowercase=True: (tgt, src))
    assert compute(True) != real


# --------------------------------------------------------------------------
# The decoding trace
# --------------------------------------------------------------------------


def test_trace_decode_and_html():
    src = build_vocab(["a b c"])
    tgt = build_vocab(["x y z"])
    torch.manual_seed(0)
    model = Seq2Seq(len(src), len(tgt), GRUConfig(d_emb=4, d_hidden=6, d_attn=3))
    steps = translation.trace_decode(model, src, tgt, "a b", k=3, max_len=4)
    assert 1 <= len(steps) <= 4
    assert steps[0].fed == "<bos>"
    for a, b in itertools.pairwise(steps):
        assert b.fed == a.chosen
    for s in steps:
        probs = [p for _, p in s.top]
        assert probs == sorted(probs, reverse=True) and len(probs) == 3
        assert s.chosen == s.top[0][0]
        assert len(s.attention) == 3  # a, b, <eos>
    table = views.trace_html(steps)
    assert table.count("<tr>") == len(steps) + 1 and "&lt;bos&gt;" in table
    marked = views.trace_html(steps, changed=0)
    assert marked.count("<tr>") == len(steps) and marked.count("#fff3c4") == 1


def tiny_transformer() -> Transformer:
    torch.manual_seed(0)
    return Transformer(10, 12, TransformerConfig(16, 2, 32, 2)).eval()


SRC_VOCAB = Vocab(["the", "man", "buys", "cake", "."], lowercase=True)
TGT_VOCAB = Vocab(["Der", "Mann", "kauft", "den", "Kuchen", ".", "die", "x"])


def test_trace_decode_takes_the_picked_rank():
    """`pick` {step: rank}: the word of that rank is taken at that step, the
    steps before it are the greedy ones, and the next step is fed that word."""
    model = tiny_transformer()
    sentence = "The man buys the cake."
    greedy = translation.trace_decode(model, SRC_VOCAB, TGT_VOCAB, sentence, max_len=6)
    assert len(greedy) == 6  # untrained: it never writes <eos> here
    for t, rank in [(0, 1), (1, 2), (3, 1)]:
        picked = translation.trace_decode(
            model, SRC_VOCAB, TGT_VOCAB, sentence, max_len=6, pick={t: rank}
        )
        assert picked[:t] == greedy[:t]
        assert picked[t].top == greedy[t].top
        assert picked[t].chosen == picked[t].top[rank][0] != greedy[t].chosen
        assert picked[t + 1].fed == picked[t].chosen
        for s in picked[t + 1 :]:
            assert s.chosen == s.top[0][0]  # greedy again after the pick
    # a rank past the top k takes the last of them
    far = translation.trace_decode(
        model, SRC_VOCAB, TGT_VOCAB, sentence, k=3, max_len=6, pick={0: 9}
    )
    assert far[0].chosen == far[0].top[2][0]


# --------------------------------------------------------------------------
# The teacher-forcing gap, on a copy task that trains
# --------------------------------------------------------------------------


def test_teacher_forcing_gap_on_the_copy_task():
    """Trained to copy, the model is right when told the answer so far, and
    on its own almost as often; untrained, it is mostly wrong both ways."""
    rng = random.Random(0)
    words = ["a", "b", "c", "d", "e"]
    pairs = [" ".join(rng.choices(words, k=rng.randint(1, 4))) for _ in range(64)]
    pairs = [Pair(p, p) for p in pairs]
    src = build_vocab(words)
    tgt = build_vocab(words)
    torch.manual_seed(0)
    model = Seq2Seq(len(src), len(tgt), GRUConfig(d_emb=16, d_hidden=32))
    before = translation.teacher_forcing_gap(model, src, tgt, pairs)
    examples = translation.encode_pairs(pairs, src, tgt)
    step = adam_steps(model, examples, lr=1e-2, batch_size=16)
    for i in range(300):
        step(i)
    after = translation.teacher_forcing_gap(model, src, tgt, pairs)
    assert before["told"] < 50 and before["alone"] < 50
    assert after["told"] > 95 and after["alone"] > 90
    assert after["told"] >= after["alone"]


# --------------------------------------------------------------------------
# The text box's validator, shared by both widgets
# --------------------------------------------------------------------------


def test_sentence_words_empty_text_asks_for_text():
    for text in ["", "   \n\t ", None]:
        assert views.sentence_words(text, SRC_VOCAB) == (
            [],
            ["Type some text to see the result."],
        )


@pytest.mark.parametrize("text", ["zebra giraffe", "😀🎂", "我喜欢蛋糕", "مرحبا"])
def test_sentence_words_all_unknown_gives_no_words(text):
    words, notes = views.sentence_words(text, SRC_VOCAB)
    assert words == []
    none_known = (
        "None of these words is in the model's vocabulary: it knows only the "
        "5 English words of its training sentences, e.g. 'The man buys the cake.'"
    )
    assert notes == [none_known]


def test_sentence_words_keeps_the_first_max_words():
    words, notes = views.sentence_words("the man " * 30, SRC_VOCAB)
    assert words == ["the", "man"] * (views.MAX_WORDS // 2)
    assert "Only the first 40 words are used." in notes
    words, notes = views.sentence_words("the man " * 50_000, SRC_VOCAB)
    assert len(words) == views.MAX_WORDS
    assert notes[:2] == [
        "Only the first 2,000 characters are used.",
        "Only the first 40 words are used.",
    ]
    words, notes = views.sentence_words("the man " * 20, SRC_VOCAB)  # exactly 40
    assert len(words) == 40 and not any("first 40" in n for n in notes)


def test_sentence_words_names_at_most_8_unknown_words():
    eight = " ".join(f"w{i}" for i in range(8))
    words, notes = views.sentence_words(f"{eight} the cake", SRC_VOCAB)
    assert words == [*eight.split(), "the", "cake"]
    unk = [n for n in notes if n.startswith("Unknown words")]
    assert unk == [
        "Unknown words become <unk>: " + ", ".join(f"'w{i}'" for i in range(8)) + "."
    ]
    nine = " ".join(f"w{i}" for i in range(9))
    _, notes = views.sentence_words(f"the {nine}", SRC_VOCAB)
    (unk,) = [n for n in notes if n.startswith("Unknown words")]
    assert (
        unk.endswith("'w7' and more.") and "'w8'" not in unk
    )  # sorted, ninth left off


def test_sentence_words_emoji_among_known_words():
    words, notes = views.sentence_words("the 😀 cake", SRC_VOCAB)
    assert words == ["the", "😀", "cake"]
    assert "Unknown words become <unk>: '😀'." in notes


def test_sentence_words_known_words_have_no_notes():
    words, notes = views.sentence_words("The man buys the cake.", SRC_VOCAB)
    assert words == ["the", "man", "buys", "the", "cake", "."]
    assert not any(notes)


# --------------------------------------------------------------------------
# Lesson 3's widget: translate your own sentence
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def update():
    src, tgt = translation.vocabularies()
    torch.manual_seed(0)
    recipe = translation.RECIPES["gru_seq2seq"]
    model = translation.build_model(recipe, src, tgt)  # untrained is enough here
    return views.make_translate_update(model, src, tgt)


BAD_INPUTS = {
    "empty": "",
    "whitespace": "   \n\t ",
    "huge": "the dog " * 50_000,
    "emoji": "😀🎂",
    "arabic": "مرحبا بالعالم",
    "hebrew": "שלום עולם",
    "cjk": "我喜欢蛋糕",
    "numbers": "123 4.5",
    "unknown": "zyxt qwv",
    "none": None,
}


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_widget_never_raises_and_explains(update, name):
    view = update(sentence=BAD_INPUTS[name])
    assert isinstance(view, View)
    assert view.message, name


def test_widget_translates_known_words(update):
    view = update(sentence="The man buys the cake.")
    assert view.message == "" and "<table" in view.html
    view = update(sentence="The man buys the zebra.")
    assert "'zebra'" in view.message and "<table" in view.html
    view = update(sentence="the dog " * 50_000)
    assert "first 2,000 characters" in view.message and "<table" in view.html
    assert "first 40 words" in view.message


def test_widget_update_is_a_pure_function(update):
    """The same sentence gives the same view, whatever came before (its
    latency is measured by `make bench`, never asserted here)."""
    sentence = "Today the man buys the big cake for his mother."
    first = update(sentence=sentence)
    update(sentence="The dog sees the cat.")
    assert update(sentence=sentence) == first


# --------------------------------------------------------------------------
# Lesson 6's widget: the decoding stepper
# --------------------------------------------------------------------------


def _stepper():
    return views.make_stepper_update(tiny_transformer(), SRC_VOCAB, TGT_VOCAB)


def test_stepper_good_input():
    update = _stepper()
    view = update("The man buys the cake.", 1, "greedy (1st)")
    assert isinstance(view, View) and "<table" in view.html and view.message == ""
    other = update("The man buys the cake.", 2, "2nd")
    assert "background" in other.html  # the changed step is highlighted


def test_stepper_bad_inputs():
    update = _stepper()
    for text in ["", "   ", "🙂🙂", "مرحبا", "שלום", "你好", "12345", "zebra"]:
        view = update(text, 1, "greedy (1st)")
        assert isinstance(view, View) and view.message and not view.html, text
    long = update("the man " * 50_000, 1, "greedy (1st)")
    assert "first" in long.message and "<table" in long.html
    mixed = update("the zebra buys the cake", 1, "greedy (1st)")
    assert "zebra" in mixed.message and "<table" in mixed.html
    for step, choice in [(-5, "2nd"), (999, "3rd"), ("x", "nonsense"), (None, None)]:
        view = update("the man buys the cake", step, choice)
        assert "<table" in view.html


def test_stepper_names_every_problem():
    update = _stepper()
    long = update("the man " * 50_000, 1, "greedy (1st)").message
    assert "Only the first 2,000 characters are used." in long
    assert "Only the first 40 words are used." in long
    for step in (-5, 10**9, "x", float("nan"), 2.5):
        message = update("The man buys the cake.", step, "2nd").message
        assert "The step must be a whole number from 1 to 40" in message, step
    for step in (1, 3, 3.0, 40):
        message = update("The man buys the cake.", step, "2nd").message
        assert "The step must" not in message, step
    assert "'4th' is not a choice" in update("The man buys the cake.", 1, "4th").message


def test_stepper_names_more_than_8_unknown_words_like_the_translator():
    nine = " ".join(f"w{i}" for i in range(9))
    message = _stepper()(f"the cake {nine}", 1, "2nd").message
    assert "Unknown words become <unk>: 'w0'" in message and "'w7' and more." in message


def test_stepper_is_a_pure_function():
    update = _stepper()
    first = update("The man buys the cake.", 2, "3rd")
    update("the cake", 1, "2nd")
    assert update("The man buys the cake.", 2, "3rd") == first


def test_race_rows_give_mean_and_sd_over_seeds_and_one_seed_alone(tmp_path, capsys):
    """The race table: mean ± sd over the seeds of each model, only the runs
    with the asked number of pairs, a bare mean for one seed, and a clear
    message naming the bench command when the file is missing."""
    from utils.tasks import translation_views as views

    def run(name, seed, pairs, all_):
        return {"name": name, "seed": seed, "steps": 10, "pairs": pairs,
                "valid_loss": 1.0, "bleu": {"all": all_}}  # fmt: skip

    runs = [run("gru_seq2seq", 0, 9, 10.0), run("gru_seq2seq", 1, 9, 20.0),
            run("transformer_seq2seq", 0, 9, 30.0), run("transformer_seq2seq", 0, 5, 1.0)]  # fmt: skip
    rows = views.race_rows(runs, pairs=9)
    assert list(rows) == ["GRU", "transformer"]
    assert rows["GRU"]["mean"]["all"] == 15.0
    assert rows["GRU"]["sd"]["all"] == pytest.approx(50**0.5)
    assert views.mean_sd(rows["GRU"], "all") == "15.0 ± 7.1"
    assert views.mean_sd(rows["transformer"], "all") == "30.0"  # one seed: no sd
    path = tmp_path / "race.json"
    path.write_text(json.dumps({"race": runs, "small": [], "ms_per_step": {}}))
    views.show_race(path=path)
    assert "15.0 ± 7.1" in capsys.readouterr().out
    views.show_race(path=tmp_path / "missing.json")
    assert "python scripts/bench.py --only race" in capsys.readouterr().out


def test_the_race_is_drawn_as_bars_with_their_spread_and_steps(tmp_path):
    from matplotlib.container import ErrorbarContainer
    from matplotlib.figure import Figure

    from utils.style import COLORS
    from utils.tasks import translation_views as views

    def run(name, seed, steps, bleu):
        return {"name": name, "seed": seed, "steps": steps, "pairs": 9,
                "valid_loss": 1.0, "bleu": {"all": bleu, "3-7": bleu + 10}}  # fmt: skip

    runs = [run("gru_seq2seq", 0, 1150, 30.0), run("gru_seq2seq", 1, 1150, 32.0),
            run("transformer_seq2seq", 0, 1200, 80.0), run("transformer_seq2seq", 1, 1200, 84.0)]  # fmt: skip
    path = tmp_path / "race.json"
    path.write_text(json.dumps({"race": runs, "small": [], "ms_per_step": {}}))
    ax = Figure().subplots()
    views.draw_race(ax, path=path)
    assert [b.get_height() for b in ax.patches] == [31.0, 41.0, 82.0, 92.0]  # means
    bars = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
    spans = [s[1][1] - s[0][1] for c in bars for s in c.lines[2][0].get_segments()]
    assert spans == pytest.approx([2 * 2**0.5] * 2 + [4 * 2**0.5] * 2)  # ± sd
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["GRU (1,150 steps)", "transformer (1,200 steps)"]
    assert ax.get_title() == "Equal training time, 2 seeds: mean ± 1 sd"
    # lesson 6's race colours: the GRU is the second colour (the phrase table's blue first)
    assert ax.patches[0].get_facecolor()[:3] == pytest.approx(
        tuple(int(COLORS[1][i : i + 2], 16) / 255 for i in (1, 3, 5))
    )


def test_equal_time_steps_fill_the_transformers_time():
    """The race's step counts: each model as many steps as fit in the time of
    the transformer's 1,200, rounded to 50."""
    from scripts.bench_race import equal_time_steps

    ms = {
        "gru_seq2seq": 100.0,
        "gru_attention_seq2seq": 150.0,
        "transformer_seq2seq": 90.0,
    }
    assert equal_time_steps(ms) == {
        "gru_seq2seq": 1100,  # 108 s / 100 ms = 1,080
        "gru_attention_seq2seq": 700,  # 720
        "transformer_seq2seq": 1200,
    }


def test_unknown_words_name_the_closest_known_spelling():
    words, notes = views.sentence_words("the mann buys the cake", SRC_VOCAB)
    assert words[1] == "mann"
    assert "Unknown words become <unk>: 'mann' (closest known: 'man')." in notes
    assert views.with_nearest("zebra", SRC_VOCAB) == "'zebra'"  # nothing close


def test_translate_widget_lists_the_known_words(update):
    src, _ = translation.vocabularies()
    view = update(sentence="The man buys the cake.")
    assert f"The {src.n_words} English words this model knows" in view.html
    assert "<details>" in view.html and " · cake · " in view.html
    assert "<unk>" not in views.vocabulary_html(src)  # no special tokens
    assert "words this model knows" in update(sentence="zebra").html  # also then


def test_step_menu_names_each_word_of_the_greedy_translation():
    model = tiny_transformer()
    choices = views.make_step_choices(model, SRC_VOCAB, TGT_VOCAB)
    steps = views.trace_decode(model, SRC_VOCAB, TGT_VOCAB, "the man buys the cake .")
    options = choices(sentence="The man buys the cake.")
    assert options == [(f"{n}: {s.chosen}", n) for n, s in enumerate(steps, 1)]
    assert choices(sentence="") == [("1", 1)]
    update = views.make_stepper_update(model, SRC_VOCAB, TGT_VOCAB)
    for _, step in options:  # every step offered exists: no "ends before" note
        assert (
            "ends before" not in update("The man buys the cake.", step, "2nd").message
        )
