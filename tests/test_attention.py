"""Tests for utils.attention (part 1, lesson 5): attention and its masks against
PyTorch's, multi-head attention (self and cross) against nn.MultiheadAttention,
positions, saturation, and the lesson's exercise checks. MiniLM's captured
attention and the explorer widget are in test_minilm.py."""

import math

import pytest
import torch
import torch.nn.functional as F

from lessons.solutions import part1_lesson05 as sol
from utils import attention as A
from utils.checks import CORRECT, NOT_ATTEMPTED
from utils.checks import part1_lesson05 as checks


def qkv(b: int = 2, h: int = 3, n: int = 5, d: int = 8, seed: int = 0):
    g = torch.Generator().manual_seed(seed)
    return (torch.randn(b, h, n, d, generator=g) for _ in range(3))


def test_sdpa_matches_torch_without_mask():
    q, k, v = qkv()
    out, w = A.scaled_dot_product_attention(q, k, v)
    torch.testing.assert_close(
        out, F.scaled_dot_product_attention(q, k, v), atol=1e-6, rtol=0
    )
    torch.testing.assert_close(w.sum(-1), torch.ones(2, 3, 5), atol=1e-6, rtol=0)


def test_sdpa_matches_torch_with_causal_mask():
    q, k, v = qkv(seed=1)
    out, w = A.scaled_dot_product_attention(q, k, v, A.causal_mask(5))
    want = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    torch.testing.assert_close(out, want, atol=1e-6, rtol=0)
    assert torch.all(w[..., 0, 1:] == 0) and torch.allclose(
        w[..., 0, 0], torch.ones(2, 3)
    )


def test_sdpa_matches_torch_with_padding_mask():
    q, k, v = qkv(seed=2)
    mask = A.padding_mask([5, 3], 5)[:, None, None]  # (batch, 1, 1, keys)
    out, w = A.scaled_dot_product_attention(q, k, v, mask)
    want = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    torch.testing.assert_close(out, want, atol=1e-6, rtol=0)
    assert torch.all(w[1, :, :, 3:] == 0)


def test_unscaled_differs_by_sqrt_d():
    q, k, v = qkv(seed=3)
    _, w = A.scaled_dot_product_attention(q * math.sqrt(8), k, v)
    _, w_unscaled = A.scaled_dot_product_attention(q, k, v, scale=False)
    torch.testing.assert_close(w, w_unscaled, atol=1e-6, rtol=0)


def test_masks_exact():
    assert torch.equal(
        A.causal_mask(3),
        torch.tensor([[1, 0, 0], [1, 1, 0], [1, 1, 1]], dtype=torch.bool),
    )
    assert torch.equal(
        A.padding_mask([2, 3], 4),
        torch.tensor([[1, 1, 0, 0], [1, 1, 1, 0]], dtype=torch.bool),
    )


def test_softmax_all_masked_row_is_zero_not_nan():
    w = A.softmax(torch.tensor([[float("-inf")] * 3, [0.0, 0.0, float("-inf")]]))
    assert torch.equal(w, torch.tensor([[0.0, 0.0, 0.0], [0.5, 0.5, 0.0]]))


def test_softmax_matches_torch_and_ignores_masked_scores():
    scores = torch.tensor([[1.0, 2.0, float("-inf")], [0.5, 0.5, 0.5]])
    torch.testing.assert_close(A.softmax(scores), scores.softmax(-1))
    assert A.softmax(scores)[0, 2] == 0


def pair(d_model: int = 16, n_heads: int = 4, seed: int = 0):
    torch.manual_seed(seed)
    ref = torch.nn.MultiheadAttention(d_model, n_heads, batch_first=True).eval()
    torch.nn.init.normal_(ref.in_proj_bias)
    ours = A.MultiHeadAttention(d_model, n_heads).copy_from(ref)
    x = torch.randn(2, 6, d_model)
    return ours, ref, x


@pytest.mark.parametrize(
    "pad,causal", [(False, False), (True, False), (False, True), (True, True)]
)
def test_multihead_matches_torch(pad, causal):
    ours, ref, x = pair()
    kpm = torch.tensor([[False] * 6, [False] * 4 + [True] * 2]) if pad else None
    attn_mask = ~A.causal_mask(6) if causal else None  # torch: True = blocked
    # ours: True = may look, broadcast to (batch, heads, n_q, n_k)
    mask = torch.ones(2, 1, 6, 6, dtype=torch.bool)
    if pad:
        mask = mask & ~kpm[:, None, None, :]
    if causal:
        mask = mask & A.causal_mask(6)
    with torch.no_grad():
        want, want_w = ref(
            x,
            x,
            x,
            key_padding_mask=kpm,
            attn_mask=attn_mask,
            need_weights=True,
            average_attn_weights=False,
        )
        out, w = ours(x, mask=mask if pad or causal else None)
    torch.testing.assert_close(out, want, atol=1e-5, rtol=0)
    torch.testing.assert_close(w, want_w, atol=1e-5, rtol=0)


def test_multihead_takes_each_mask_shape():
    """A causal (n, n) mask and a padding (batch, 1, 1, n) mask, as the
    transformer passes them, give the same as the full (batch, 1, n, n) one."""
    ours, _, x = pair(seed=1)
    causal = A.causal_mask(6)
    pad = A.padding_mask([6, 4], 6)[:, None, None]
    with torch.no_grad():
        full = ours(x, mask=causal.expand(2, 1, 6, 6))
        torch.testing.assert_close(ours(x, mask=causal), full, atol=0, rtol=0)
        full = ours(x, mask=pad.expand(2, 1, 6, 6))
        torch.testing.assert_close(ours(x, mask=pad), full, atol=0, rtol=0)


@pytest.mark.parametrize("pad", [False, True])
def test_cross_attention_matches_torch(pad):
    """Queries from one sequence (n_q = 3), keys and values from another
    (n_k = 7): against nn.MultiheadAttention, and against
    F.scaled_dot_product_attention on our own projections."""
    ours, ref, _ = pair(seed=2)
    g = torch.Generator().manual_seed(2)
    x, context = torch.randn(2, 3, 16, generator=g), torch.randn(2, 7, 16, generator=g)
    real = A.padding_mask([7, 5] if pad else [7, 7], 7)  # (batch, n_k)
    mask = real[:, None, None] if pad else None  # (batch, 1, 1, n_k)
    with torch.no_grad():
        out, w = ours(x, context, mask)
        want, want_w = ref(
            x,
            context,
            context,
            key_padding_mask=~real if pad else None,
            need_weights=True,
            average_attn_weights=False,
        )

        def heads(t: torch.Tensor) -> torch.Tensor:  # (2, n, 16) -> (2, 4, n, 4)
            return t.view(2, -1, 4, 4).transpose(1, 2)

        k, v = ours.kv(context).chunk(2, dim=-1)
        sdpa = F.scaled_dot_product_attention(
            heads(ours.q(x)), heads(k), heads(v), attn_mask=mask
        )
        sdpa = ours.out(sdpa.transpose(1, 2).reshape(2, 3, 16))
    assert out.shape == (2, 3, 16) and w.shape == (2, 4, 3, 7)
    torch.testing.assert_close(out, want, atol=1e-5, rtol=0)
    torch.testing.assert_close(w, want_w, atol=1e-5, rtol=0)
    torch.testing.assert_close(out, sdpa, atol=1e-5, rtol=0)
    if pad:
        assert torch.all(w[1, :, :, 5:] == 0)  # no query looks at the padding


def test_multihead_shapes():
    ours, _, x = pair(d_model=12, n_heads=3)
    out, w = ours(x[..., :12])
    assert out.shape == (2, 6, 12) and w.shape == (2, 3, 6, 6)


def test_sinusoidal_positions_exact():
    pe = A.sinusoidal_positions(50, 16)
    assert pe.shape == (50, 16)
    assert torch.equal(pe[0, 0::2], torch.zeros(8)) and torch.equal(
        pe[0, 1::2], torch.ones(8)
    )
    for p, i in [(1, 0), (7, 3), (49, 7)]:
        angle = p / 10000 ** (2 * i / 16)
        assert pe[p, 2 * i].item() == pytest.approx(math.sin(angle), abs=1e-6)
        assert pe[p, 2 * i + 1].item() == pytest.approx(math.cos(angle), abs=1e-6)


def test_permutation_equivariance_and_its_breaking():
    ours, _, x = pair(seed=4)
    perm = torch.tensor([3, 0, 5, 1, 4, 2])
    with torch.no_grad():
        out = ours(x)[0]
        out_perm = ours(x[:, perm])[0]
        torch.testing.assert_close(out_perm, out[:, perm], atol=1e-6, rtol=0)
        pe = A.sinusoidal_positions(6, 16)
        out_pos = ours(x + pe)[0]
        out_perm_pos = ours(x[:, perm] + pe)[0]
    assert (out_perm_pos - out_pos[:, perm]).abs().max() > 1e-2


def test_saturation_grows_without_scaling():
    s = A.saturation([4, 64, 1024], trials=50)
    assert s["unscaled"][0] < s["unscaled"][1] < s["unscaled"][2]
    assert s["unscaled"][2] > 0.9 and max(s["scaled"]) < 0.4


def test_check_attention():
    assert checks.check_attention(sol.attention) == CORRECT
    assert checks.check_attention(None) == NOT_ATTEMPTED
    assert checks.check_attention(lambda q, k, v: None) == NOT_ATTEMPTED
    wrong = checks.check_attention(
        lambda q, k, v: torch.softmax(q @ k.transpose(-2, -1), -1) @ v
    )
    assert wrong.startswith("not yet") and "d ** 0.5" in wrong


def test_check_causal_mask():
    assert checks.check_causal_mask(sol.causal_mask) == CORRECT
    assert checks.check_causal_mask(None) == NOT_ATTEMPTED
    assert checks.check_causal_mask(lambda n: None) == NOT_ATTEMPTED
    wrong = checks.check_causal_mask(
        lambda n: torch.ones(n, n, dtype=torch.bool).triu()
    )
    assert wrong.startswith("not yet") and "BELOW" in wrong
