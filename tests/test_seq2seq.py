"""Lesson 3's GRU encoder-decoder: vocabularies, batches, shapes, a seeded golden
output, a toy copy task, the timing helper, the widget and the exercise checks."""

import itertools

import pytest
import torch
from torch import nn

from lessons.solutions import part1_lesson03 as solutions
from utils import seq2seq as s2s
from utils.seq2seq import BOS_ID, EOS_ID, PAD_ID, UNK_ID
from utils.widgets import View

# --------------------------------------------------------------------------
# Vocabularies and batches
# --------------------------------------------------------------------------


def test_vocab_ids_are_frequency_ordered_after_the_specials():
    vocab = s2s.build_vocab(["The dog sees the cat.", "The cat runs."], lowercase=True)
    assert vocab.itos[:4] == ["<pad>", "<bos>", "<eos>", "<unk>"]
    assert vocab.itos[4:] == ["the", ".", "cat", "dog", "runs", "sees"]
    assert len(vocab) == 10


def test_encode_decode_round_trip_and_unknown_words():
    vocab = s2s.build_vocab(["Der Hund sieht die Katze."])
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
    src, tgt = s2s.vocabularies()
    assert src.lowercase and not tgt.lowercase
    assert src.encode("The cake")[:2] == src.encode("the CAKE")[:2]
    assert "Kuchen" in tgt.stoi and "kuchen" not in tgt.stoi
    assert len(src) == 715 and len(tgt) == 1461


def test_teacher_forcing_shift_and_padding():
    assert s2s.teacher_forcing_shift([7, 8]) == ([BOS_ID, 7, 8], [7, 8, EOS_ID])
    batch = s2s.make_batch([([5, 6, EOS_ID], [7, 8]), ([5, EOS_ID], [9])])
    assert batch.src.tolist() == [[5, 6, EOS_ID], [5, EOS_ID, PAD_ID]]
    assert batch.src_len.tolist() == [3, 2]
    assert batch.tgt_in.tolist() == [[BOS_ID, 7, 8], [BOS_ID, 9, PAD_ID]]
    assert batch.tgt_out.tolist() == [[7, 8, EOS_ID], [9, EOS_ID, PAD_ID]]
    mask = s2s.padding_mask(batch.src_len, 3)
    assert mask.tolist() == [[True, True, True], [True, True, False]]


def test_length_batches_are_seeded_and_of_similar_length():
    lengths = [1, 9, 2, 8, 3, 7, 4, 6, 5, 10]
    first = s2s.length_batches(lengths, 2, seed=0)
    again = s2s.length_batches(lengths, 2, seed=0)
    batches = [next(first) for _ in range(10)]  # two epochs
    assert batches == [next(again) for _ in range(10)]
    assert sorted(i for b in batches[:5] for i in b) == list(range(10))
    for b in batches:
        assert abs(lengths[b[0]] - lengths[b[1]]) == 1


# --------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------


def tiny(d_attn: int = 0) -> s2s.Seq2Seq:
    torch.manual_seed(0)
    return s2s.Seq2Seq(12, 12, d_emb=6, d_hidden=8, d_attn=d_attn)


SRC = torch.tensor([[4, 5, 6, EOS_ID], [7, 8, EOS_ID, PAD_ID]])
SRC_LEN = torch.tensor([4, 3])
TGT_IN = torch.tensor([[BOS_ID, 9, 10], [BOS_ID, 11, PAD_ID]])


@pytest.mark.parametrize("d_attn", [0, 5])
def test_shapes(d_attn):
    model = tiny(d_attn)
    memory = model.encode(SRC, SRC_LEN)
    assert memory.states.shape == (2, 4, 8)
    assert memory.last.shape == (2, 8)
    assert memory.mask.tolist() == [[True] * 4, [True, True, True, False]]
    # the summary is the state after each sentence's own last word
    assert torch.equal(memory.last[1], memory.states[1, 2])
    logits, state, weights = model.decoder(TGT_IN, memory.last, memory)
    assert logits.shape == (2, 3, 12) and state.shape == (2, 8)
    assert model(SRC, SRC_LEN, TGT_IN).shape == (2, 3, 12)
    if d_attn:
        assert memory.keys.shape == (2, 4, 5)
        assert weights.shape == (2, 3, 4)
        torch.testing.assert_close(weights.sum(-1), torch.ones(2, 3))
        assert (weights[1, :, 3] == 0).all()  # padding gets no attention
    else:
        assert weights is None


def test_padding_does_not_change_the_encoding():
    model = tiny()
    alone = model.encode(torch.tensor([[7, 8, EOS_ID]]), torch.tensor([3]))
    padded = model.encode(SRC, SRC_LEN)
    torch.testing.assert_close(alone.last[0], padded.last[1])


def test_seeded_golden_logits_and_decode():
    model = tiny()
    logits = model(SRC, SRC_LEN, TGT_IN)
    expected = torch.tensor([-0.123099, -0.283403, 0.223779, -0.171300])
    torch.testing.assert_close(logits[0, 0, :4], expected, atol=1e-5, rtol=0)
    ids = s2s.greedy_decode(model, SRC, SRC_LEN, max_len=5)
    assert ids.tolist() == [[9, EOS_ID], [9, EOS_ID]]  # stops when all have ended


def test_seeded_golden_attention_logits():
    model = tiny(d_attn=5)
    logits = model(SRC, SRC_LEN, TGT_IN)
    expected = torch.tensor([-0.607471, 0.089380, 0.170859, -0.430950])
    torch.testing.assert_close(logits[1, 1, :4], expected, atol=1e-5, rtol=0)
    ids = s2s.greedy_decode(model, SRC, SRC_LEN, max_len=5)
    assert ids.tolist() == [[8, 4, 8, 8, 7], [1, 1, 8, 1, 1]]  # untrained: noise


def copy_task(d_attn: int) -> tuple[s2s.Seq2Seq, float, list[list[int]], torch.Tensor]:
    """30 steps on four fixed sequences to copy; returns the model, last loss,
    targets and greedy outputs."""
    seqs = [[4, 5, 6], [7, 8, 9, 10], [11, 4, 9], [6, 6, 8, 11]]
    examples = [([*s, EOS_ID], s) for s in seqs]
    torch.manual_seed(0)
    model = s2s.Seq2Seq(12, 12, d_emb=16, d_hidden=32, d_attn=d_attn)
    config = {"lr": 0.03, "batch_size": 4, "clip": 1.0}
    step = s2s.make_train_step(model, examples, config, 0, torch.device("cpu"))
    losses = [step(i) for i in range(30)]
    batch = s2s.make_batch(examples)
    out = s2s.greedy_decode(model, batch.src, batch.src_len, max_len=6)
    return model, losses[-1], seqs, out


@pytest.mark.parametrize("d_attn", [0, 16])
def test_toy_copy_task_is_learned_in_30_steps(d_attn):
    _, loss, seqs, out = copy_task(d_attn)
    assert loss < 0.05
    for seq, row in zip(seqs, out.tolist()):
        assert row[: len(seq) + 1] == [*seq, EOS_ID]


def test_param_count_formula_matches_pytorch():
    for d_in, h in [(1, 1), (6, 8), (128, 256)]:
        gru = nn.GRU(d_in, h)
        assert s2s.gru_param_count(d_in, h) == sum(p.numel() for p in gru.parameters())
    counts = s2s.param_counts(tiny())
    assert counts["encoder.gru"] == s2s.gru_param_count(6, 8)
    assert counts["decoder.gru"] == s2s.gru_param_count(6 + 8, 8)
    assert counts["total"] == sum(p.numel() for p in tiny().parameters())
    assert counts["total"] == sum(v for k, v in counts.items() if k != "total")


def test_gru_config_builds_the_lesson_model():
    """GRU_CONFIG decides the model's sizes: the lesson's table of 1,443,509."""
    c = s2s.GRU_CONFIG
    src, tgt = s2s.vocabularies(c["lowercase_source"])
    torch.manual_seed(0)
    counts = s2s.param_counts(s2s.build_model(c, src, tgt))
    assert counts["encoder.embed"] == len(src) * c["d_emb"]
    assert counts["encoder.gru"] == s2s.gru_param_count(c["d_emb"], c["d_hidden"])
    assert counts["decoder.gru"] == s2s.gru_param_count(
        c["d_emb"] + c["d_hidden"], c["d_hidden"]
    )
    assert counts["decoder.out"] == (c["d_hidden"] + 1) * len(tgt)
    assert counts["total"] == 1_443_509  # lesson 3's printed table
    attention = s2s.build_model(s2s.ATTN_CONFIG, src, tgt)
    assert s2s.param_counts(attention)["total"] == 1_883_317  # and lesson 6's


def test_trace_decode_and_html():
    src = s2s.build_vocab(["a b c"])
    tgt = s2s.build_vocab(["x y z"])
    torch.manual_seed(0)
    model = s2s.Seq2Seq(len(src), len(tgt), 4, 6, d_attn=3)
    steps = s2s.trace_decode(model, src, tgt, "a b", k=3, max_len=4)
    assert 1 <= len(steps) <= 4
    assert steps[0].fed == "<bos>"
    for a, b in itertools.pairwise(steps):
        assert b.fed == a.chosen
    for s in steps:
        probs = [p for _, p in s.top]
        assert probs == sorted(probs, reverse=True) and len(probs) == 3
        assert s.chosen == s.top[0][0]
        assert len(s.attention) == 3  # a, b, <eos>
    table = s2s.trace_html(steps)
    assert table.count("<tr>") == len(steps) + 1 and "&lt;bos&gt;" in table


def test_pca_basis_is_two_unit_directions():
    src = s2s.build_vocab(["a b c d"])
    torch.manual_seed(0)
    model = s2s.Seq2Seq(len(src), 5, 4, 6)
    mean, v = s2s.pca_basis(model, src, ["a b", "c d a", "b"])
    assert mean.shape == (6,) and v.shape == (2, 6)
    torch.testing.assert_close(v @ v.T, torch.eye(2), atol=1e-5, rtol=0)


def test_time_rnn_step_returns_each_length():
    times = s2s.time_rnn_step([4, 8], batch_size=2, d_emb=4, d_hidden=4, repeats=1)
    assert list(times) == [4, 8]
    assert all(t > 0 for t in times.values())


# --------------------------------------------------------------------------
# The widget
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def update():
    src, tgt = s2s.vocabularies()
    torch.manual_seed(0)
    model = s2s.build_model(s2s.GRU_CONFIG, src, tgt)  # untrained is enough here
    return s2s.make_translate_update(model, src, tgt)


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
# Exercises
# --------------------------------------------------------------------------


def test_exercise_1(capsys):
    assert s2s.check_gru_params(solutions.gru_params) == "correct"
    assert s2s.check_gru_params(None) == "not attempted yet"
    assert s2s.check_gru_params(lambda d_in, h: None) == "not attempted yet"  # stub
    wrong = s2s.check_gru_params(lambda d_in, h: 3 * (d_in * h + h * h + h))
    assert wrong.startswith("not yet") and "two bias" in wrong
    assert "Exercise 1: correct" in capsys.readouterr().out


def test_exercise_2():
    assert s2s.check_shift(solutions.shift) == "correct"
    assert s2s.check_shift(None) == "not attempted yet"
    assert s2s.check_shift(lambda words: None) == "not attempted yet"  # stub
    wrong = s2s.check_shift(lambda words: (["<bos>", *words], list(words)))
    assert wrong.startswith("not yet") and "<eos>" in wrong
    crashing = s2s.check_shift(lambda words: words.shift())
    assert crashing.startswith("not yet: your answer raised")


def test_teacher_forcing_gap_on_the_copy_task():
    """Trained to copy, the model is right when told the answer so far, and
    on its own almost as often; untrained, it is mostly wrong both ways."""
    import random

    from utils.data.grammar import Pair

    rng = random.Random(0)
    words = ["a", "b", "c", "d", "e"]
    pairs = [" ".join(rng.choices(words, k=rng.randint(1, 4))) for _ in range(64)]
    pairs = [Pair(p, p) for p in pairs]
    src = s2s.build_vocab(words)
    tgt = s2s.build_vocab(words)
    torch.manual_seed(0)
    model = s2s.Seq2Seq(len(src), len(tgt), 16, 32)
    before = s2s.teacher_forcing_gap(model, src, tgt, pairs)
    config = {"lr": 1e-2, "batch_size": 16, "clip": 1.0}
    step = s2s.make_train_step(
        model, s2s.encode_pairs(pairs, src, tgt), config, 0, torch.device("cpu")
    )
    for i in range(300):
        step(i)
    after = s2s.teacher_forcing_gap(model, src, tgt, pairs)
    assert before["told"] < 50 and before["alone"] < 50
    assert after["told"] > 95 and after["alone"] > 90
    assert after["told"] >= after["alone"]


def test_softmax_matches_torch_and_ignores_masked_scores():
    scores = torch.tensor([[1.0, 2.0, float("-inf")], [0.5, 0.5, 0.5]])
    torch.testing.assert_close(s2s.softmax(scores), scores.softmax(-1))
    assert s2s.softmax(scores)[0, 2] == 0
