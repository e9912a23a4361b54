"""Lesson 3's GRU encoder-decoder (utils/rnn.py): shapes, padding, seeded golden
outputs, a toy copy task that trains, the lesson model's size, the encoder's
state trajectory, the GRU's timing and the lesson's exercise checks."""

from collections.abc import Sequence

import pytest
import torch
from torch import nn

from lessons.solutions import part1_lesson03 as solutions
from utils import cost, rnn
from utils.checks import part1_lesson03 as checks
from utils.rnn import GRUConfig, Seq2Seq
from utils.runtime import param_counts
from utils.tasks import translation
from utils.text import BOS_ID, EOS_ID, PAD_ID, build_vocab
from utils.training import make_step


def tiny(d_attn: int = 0) -> Seq2Seq:
    torch.manual_seed(0)
    return Seq2Seq(12, 12, GRUConfig(d_emb=6, d_hidden=8, d_attn=d_attn))


SRC = torch.tensor([[4, 5, 6, EOS_ID], [7, 8, EOS_ID, PAD_ID]])  # (2, 4)
TGT_IN = torch.tensor([[BOS_ID, 9, 10], [BOS_ID, 11, PAD_ID]])  # (2, 3)


def adam_steps(
    model: nn.Module,
    examples: Sequence[tuple[list[int], list[int]]],
    lr: float,
    batch_size: int,
    seed: int = 0,
):
    """step(i) -> loss: Adam on `examples` in the seeded order of
    `length_batches`, gradients clipped to norm 1, as the lessons train."""
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    lengths = [len(src) for src, _ in examples]
    batches = (
        translation.make_batch([examples[j] for j in ix])
        for ix in translation.length_batches(lengths, batch_size, seed)
    )
    return make_step(model, batches, translation.batch_loss, optimizer, clip=1.0)


# --------------------------------------------------------------------------
# Shapes, padding, golden outputs
# --------------------------------------------------------------------------


@pytest.mark.parametrize("d_attn", [0, 5])
def test_shapes(d_attn):
    model = tiny(d_attn)
    memory = model.encode(SRC)
    assert memory.states.shape == (2, 4, 8)
    assert memory.last.shape == (2, 8)
    assert memory.mask.tolist() == [[True] * 4, [True, True, True, False]]
    # the summary is the state after each sentence's own last word
    assert torch.equal(memory.last[1], memory.states[1, 2])
    logits, state, weights = model.decoder(TGT_IN, memory.last, memory)
    assert logits.shape == (2, 3, 12) and state.shape == (2, 8)
    assert model(SRC, TGT_IN).shape == (2, 3, 12)
    if d_attn:
        assert memory.keys.shape == (2, 4, 5)
        assert weights.shape == (2, 3, 4)
        torch.testing.assert_close(weights.sum(-1), torch.ones(2, 3))
        assert (weights[1, :, 3] == 0).all()  # padding gets no attention
    else:
        assert weights is None


@pytest.mark.parametrize("d_attn", [0, 5])
def test_step_returns_next_logits_and_attention(d_attn):
    """begin(src) -> step(prev): one word at a time gives the teacher-forced
    logits of forward(), position by position."""
    model = tiny(d_attn).eval()
    with torch.no_grad():
        want = model(SRC, TGT_IN)  # (2, 3, 12)
        step = model.begin(SRC)
        for t in range(TGT_IN.shape[1]):
            logits, weights = step(TGT_IN[:, t])
            assert logits.shape == (2, 12)
            torch.testing.assert_close(logits, want[:, t], atol=1e-6, rtol=0)
            if d_attn:
                assert weights.shape == (2, 4) and (weights[1, 3] == 0)
            else:
                assert weights is None


def test_padding_does_not_change_the_encoding():
    model = tiny()
    alone = model.encode(torch.tensor([[7, 8, EOS_ID]]))
    padded = model.encode(SRC)
    torch.testing.assert_close(alone.last[0], padded.last[1])


def test_seeded_golden_logits_and_decode():
    model = tiny()
    logits = model(SRC, TGT_IN)
    expected = torch.tensor([-0.123099, -0.283403, 0.223779, -0.171300])
    torch.testing.assert_close(logits[0, 0, :4], expected, atol=1e-5, rtol=0)
    ids = translation.greedy_decode(model, SRC, max_len=5)
    assert ids.tolist() == [[9, EOS_ID], [9, EOS_ID]]  # stops when all have ended


def test_seeded_golden_attention_logits():
    model = tiny(d_attn=5)
    logits = model(SRC, TGT_IN)
    expected = torch.tensor([-0.607471, 0.089380, 0.170859, -0.430950])
    torch.testing.assert_close(logits[1, 1, :4], expected, atol=1e-5, rtol=0)
    ids = translation.greedy_decode(model, SRC, max_len=5)
    assert ids.tolist() == [[8, 4, 8, 8, 7], [1, 1, 8, 1, 1]]  # untrained: noise


# --------------------------------------------------------------------------
# A toy copy task, trained
# --------------------------------------------------------------------------


def copy_task(d_attn: int) -> tuple[Seq2Seq, float, list[list[int]], torch.Tensor]:
    """30 steps on four fixed sequences to copy; returns the model, last loss,
    targets and greedy outputs."""
    seqs = [[4, 5, 6], [7, 8, 9, 10], [11, 4, 9], [6, 6, 8, 11]]
    examples = [([*s, EOS_ID], s) for s in seqs]
    torch.manual_seed(0)
    model = Seq2Seq(12, 12, GRUConfig(d_emb=16, d_hidden=32, d_attn=d_attn))
    step = adam_steps(model, examples, lr=0.03, batch_size=4)
    losses = [step(i) for i in range(30)]
    batch = translation.make_batch(examples)
    out = translation.greedy_decode(model, batch.src, max_len=6)
    return model, losses[-1], seqs, out


@pytest.mark.parametrize("d_attn", [0, 16])
def test_toy_copy_task_is_learned_in_30_steps(d_attn):
    _, loss, seqs, out = copy_task(d_attn)
    assert loss < 0.05
    for seq, row in zip(seqs, out.tolist()):
        assert row[: len(seq) + 1] == [*seq, EOS_ID]


# --------------------------------------------------------------------------
# Sizes
# --------------------------------------------------------------------------


def test_param_count_formula_matches_pytorch():
    gru_params = solutions.gru_params  # the exercise's answer, from lesson 3
    for d_in, h in [(1, 1), (6, 8), (128, 256)]:
        gru = nn.GRU(d_in, h)
        assert gru_params(d_in, h) == sum(p.numel() for p in gru.parameters())
    counts = param_counts(tiny())
    assert counts["encoder.gru"] == gru_params(6, 8)
    assert counts["decoder.gru"] == gru_params(6 + 8, 8)
    assert counts["total"] == sum(p.numel() for p in tiny().parameters())
    assert counts["total"] == sum(v for k, v in counts.items() if k != "total")


def test_gru_config_builds_the_lesson_model():
    """The recipe decides the model's sizes: the lesson's table of 1,443,509."""
    recipe = translation.RECIPES["gru_seq2seq"]
    c = recipe.model
    src, tgt = translation.vocabularies(recipe.lowercase_source)
    torch.manual_seed(0)
    counts = param_counts(translation.build_model(recipe, src, tgt))
    assert counts["encoder.embed"] == len(src) * c.d_emb
    assert counts["encoder.gru"] == solutions.gru_params(c.d_emb, c.d_hidden)
    assert counts["decoder.gru"] == solutions.gru_params(
        c.d_emb + c.d_hidden, c.d_hidden
    )
    assert counts["decoder.out"] == (c.d_hidden + 1) * len(tgt)
    assert counts["total"] == 1_443_509  # lesson 3's printed table
    attention_recipe = translation.RECIPES["gru_attention_seq2seq"]
    attention = translation.build_model(attention_recipe, src, tgt)
    assert param_counts(attention)["total"] == 1_883_317  # and lesson 6's


# --------------------------------------------------------------------------
# The encoder's states, and what a longer sentence costs
# --------------------------------------------------------------------------


def test_pca_basis_is_two_unit_directions():
    src = build_vocab(["a b c d"])
    torch.manual_seed(0)
    model = Seq2Seq(len(src), 5, GRUConfig(d_emb=4, d_hidden=6))
    mean, v = rnn.pca_basis(model, src, ["a b", "c d a", "b"])
    assert mean.shape == (6,) and v.shape == (2, 6)
    torch.testing.assert_close(v @ v.T, torch.eye(2), atol=1e-5, rtol=0)


def test_time_rnn_step_returns_each_length():
    times = cost.time_rnn_step(
        [4, 8], batch_size=2, d_emb=4, d_hidden=4, repeats=1, device="cpu"
    )
    assert list(times) == [4, 8]
    assert all(t > 0 for t in times.values())


# --------------------------------------------------------------------------
# Exercises
# --------------------------------------------------------------------------


def test_exercise_1(capsys):
    assert checks.check_gru_params(solutions.gru_params) == "correct"
    assert checks.check_gru_params(None) == "not attempted yet"
    assert checks.check_gru_params(lambda d_in, h: None) == "not attempted yet"
    wrong = checks.check_gru_params(lambda d_in, h: 3 * (d_in * h + h * h + h))
    assert wrong.startswith("not yet") and "two bias" in wrong
    assert "Exercise 1: correct" in capsys.readouterr().out


def test_exercise_2():
    assert checks.check_shift(solutions.shift) == "correct"
    assert checks.check_shift(None) == "not attempted yet"
    assert checks.check_shift(lambda words: None) == "not attempted yet"  # stub
    wrong = checks.check_shift(lambda words: (["<bos>", *words], list(words)))
    assert wrong.startswith("not yet") and "<eos>" in wrong
    crashing = checks.check_shift(lambda words: words.shift())
    assert crashing.startswith("not yet: your answer raised")
