"""The character-level pretraining task of lesson 2.2: the corpus and its
split, the batches, the schedule, and a short training that learns."""

import math

import pytest
import torch

from utils.tasks import shakespeare as S
from utils.transformer import GPTConfig


@pytest.fixture(scope="module")
def corpus() -> S.Corpus:
    return S.corpus()


def test_corpus_is_split_90_10_by_position(corpus):
    n = len(corpus.train) + len(corpus.valid)
    assert n == 5_057_280  # the 42 plays and poems, joined
    assert len(corpus.train) == int(0.9 * n)
    assert len(corpus.vocab) == 84
    text = corpus.vocab.decode(corpus.train[:25].tolist())
    assert text == "ALL'S WELL THAT ENDS WELL"  # the first file by name


def test_vocab_round_trips_and_names_unknown_characters(corpus):
    vocab = corpus.vocab
    line = "To be, or not to be: that is the question."
    assert vocab.decode(vocab.encode(line)) == line
    with pytest.raises(ValueError, match="never uses: '“' '”' '🙂'"):
        vocab.encode("🙂 “quoted”")
    assert vocab.unknown("abc") == []


def test_random_batches_shift_targets_by_one_and_are_seeded(corpus):
    data = torch.arange(1000)
    x, y = next(S.random_batches(data, 16, 4, seed=0))
    assert x.shape == y.shape == (4, 16)
    assert torch.equal(y, x + 1)  # each target is the next character
    again = next(S.random_batches(data, 16, 4, seed=0))[0]
    assert torch.equal(x, again)
    assert not torch.equal(x, next(S.random_batches(data, 16, 4, seed=1))[0])


def test_window_batches_cover_every_character_once():
    data = torch.arange(1001)
    xs = torch.cat([x for x, _ in S.window_batches(data, 10, batch_size=7)])
    assert torch.equal(xs.flatten(), torch.arange(1000))


def test_schedule_warms_up_then_decays_along_a_cosine():
    c = S.PretrainConfig(n_steps=1000, lr=1e-3, min_lr=1e-4, warmup=100)
    assert c.lr_at(0) == pytest.approx(1e-5)
    assert c.lr_at(99) == pytest.approx(1e-3)
    assert c.lr_at(550) == pytest.approx(5.5e-4)  # halfway down: the mean
    assert c.lr_at(1000) == pytest.approx(1e-4)


def test_lesson_trains_the_cpu_recipe_on_a_cpu_and_the_bigger_one_on_cuda():
    assert S.lesson_recipe(torch.device("cpu")) is S.RECIPES["lesson"]
    gpu = S.lesson_recipe(torch.device("cuda"))  # only a name: no GPU needed
    assert gpu is S.RECIPES["gpu"]
    model = S.build_model(gpu)
    assert sum(p.numel() for p in model.parameters()) == 10_712_148
    x = torch.zeros(1, gpu.model.context, dtype=torch.long)
    assert model(x).shape == (1, gpu.model.context, 84)


def test_the_baseline_is_nanogpts_cpu_recipe():
    r = S.RECIPES["nanogpt_cpu"]
    m, t = r.model, r.train
    assert (m.n_layers, m.n_heads, m.d_model, m.context) == (4, 4, 128, 64)
    assert (t.batch_size, t.n_steps, t.lr, t.min_lr, t.warmup) == (
        12, 2000, 1e-3, 1e-4, 100,
    )  # fmt: skip
    assert (t.betas, t.weight_decay, t.clip) == ((0.9, 0.99), 0.1, 1.0)


def test_weight_decay_falls_on_matrices_only(corpus):
    model = S.build_model(S.RECIPES["nanogpt_cpu"])
    decay, no_decay = S.optimizer_for(model, S.PretrainConfig()).param_groups
    assert decay["weight_decay"] == 0.1 and no_decay["weight_decay"] == 0.0
    assert all(p.dim() == 2 for p in decay["params"])
    assert all(p.dim() == 1 for p in no_decay["params"])


def test_a_short_training_learns_characters(corpus):
    """60 steps take a tiny GPT from ln(84) = 4.43 to well below it."""
    recipe = S.GPTRecipe(
        "tiny",
        "tiny",
        GPTConfig(32, 2, 64, 1, context=32, positions="rope"),
        S.PretrainConfig(n_steps=60, batch_size=16, lr=1e-2, warmup=5),
    )
    torch.manual_seed(0)
    model = S.build_model(recipe)
    sample = corpus.valid[:4096]
    before = S.valid_loss(model, sample)
    history = S.fit(model, recipe, live=False)
    after = S.valid_loss(model, sample)
    assert abs(before - math.log(84)) < 0.5
    assert after < 3.0 < before
    assert len(history.train) == 60 and history.valid_steps[-1] == 60
