"""Lesson 2.1's masked-language model: BERT's masking, the loss, fill_blank."""

import pytest
import torch

from utils import mlm
from utils.tasks.shakespeare import corpus

TINY = mlm.MLMConfig(d_model=32, n_heads=2, d_ff=64, n_layers=1, window=16,
                     batch_size=8, n_steps=30, lr=3e-3, warmup=5)  # fmt: skip


def test_masking_follows_berts_15_80_10_10_rule():
    g = torch.Generator().manual_seed(0)
    ids = torch.randint(mlm.SHIFT, 86, (200, 500), generator=g)
    inputs, targets = mlm.mask_tokens(ids, 86, 0.15, g)
    hidden = targets != mlm.IGNORE
    n = ids.numel()
    assert abs(hidden.sum() / n - 0.15) < 0.005
    masked = (inputs == mlm.MASK_ID) & hidden
    changed = (inputs != ids) & hidden & ~masked
    kept = (inputs == ids) & hidden
    share = hidden.sum().item()
    assert abs(masked.sum().item() / share - 0.8) < 0.01
    # a random replacement may draw the same id (1 in 84): most are changed
    assert abs((changed.sum().item() + kept.sum().item()) / share - 0.2) < 0.01
    assert abs(changed.sum().item() / share - 0.1 * 83 / 84) < 0.01
    assert torch.equal(inputs[~hidden], ids[~hidden])  # the rest untouched
    assert torch.equal(targets[hidden], ids[hidden])
    assert (inputs[~masked] >= mlm.SHIFT).all()  # no <pad> or <mask> drawn


def test_the_loss_counts_hidden_positions_only():
    torch.manual_seed(0)
    model = mlm.MaskedLM(mlm.vocab_size(), TINY)
    ids = torch.randint(mlm.SHIFT, mlm.vocab_size(), (2, 16))
    targets = torch.full_like(ids, mlm.IGNORE)
    targets[0, 3] = ids[0, 3]
    logits = model(ids)
    want = torch.nn.functional.cross_entropy(logits[0, 3][None], ids[0, 3][None])
    torch.testing.assert_close(mlm.mlm_loss(model, (ids, targets)), want)


def test_every_position_sees_both_sides():
    # an encoder, not a decoder: changing the last character moves the first
    torch.manual_seed(0)
    model = mlm.MaskedLM(mlm.vocab_size(), TINY).eval()
    a = torch.tensor([[5, 6, 7, 8]])
    b = torch.tensor([[5, 6, 7, 9]])
    with torch.no_grad():
        assert not torch.allclose(model(a)[0, 0], model(b)[0, 0])


def test_a_few_steps_lower_the_loss_and_fill_blank_answers():
    torch.manual_seed(0)
    model = mlm.MaskedLM(mlm.vocab_size(), TINY)
    before = mlm.valid_loss(model, TINY, n_batches=4)
    mlm.fit(model, TINY, live=False)
    after = mlm.valid_loss(model, TINY, n_batches=4)
    assert after < before - 0.5
    filled = mlm.fill_blank(model, "To be, or not to b_")
    assert len(filled.text) == len("To be, or not to b_") and "_" not in filled.text
    assert len(filled.choices) == 1 and len(filled.choices[0]) == 3
    p = [q for _, q in filled.choices[0]]
    assert p == sorted(p, reverse=True) and 0 < sum(p) <= 1 + 1e-6
    assert all(c in corpus().vocab.chars for c, _ in filled.choices[0])


@pytest.mark.parametrize(
    "text, message",
    [("no blank here", 'at least one "_"'), ("emoji 😀 _", "never uses")],
)
def test_fill_blank_explains_bad_input(text, message):
    model = mlm.MaskedLM(mlm.vocab_size(), TINY)
    with pytest.raises(ValueError, match=message):
        mlm.fill_blank(model, text)
