"""Tests for utils.attention (part 1, lesson 5)."""

import math

import pytest
import torch
import torch.nn.functional as F

from lessons.solutions import part1_lesson05 as sol
from utils import attention as A
from utils.exercises import CORRECT, NOT_ATTEMPTED


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
    mask = A.padding_mask([5, 3], 5)[:, None]  # (batch, 1, 1, keys)
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
        torch.tensor([[[1, 1, 0, 0]], [[1, 1, 1, 0]]], dtype=torch.bool),
    )


def test_softmax_all_masked_row_is_zero_not_nan():
    w = A.softmax(torch.tensor([[float("-inf")] * 3, [0.0, 0.0, float("-inf")]]))
    assert torch.equal(w, torch.tensor([[0.0, 0.0, 0.0], [0.5, 0.5, 0.0]]))


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
        out, w = ours(x, key_padding_mask=kpm, causal=causal)
    torch.testing.assert_close(out, want, atol=1e-5, rtol=0)
    torch.testing.assert_close(w, want_w, atol=1e-5, rtol=0)


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


def test_minilm_capture_reproduces_model_weights():
    cap = A.capture(A.MINILM_SENTENCE)
    assert cap.tokens[0] == "[CLS]" and "animal" in cap.tokens
    assert cap.q.shape == (6, 12, len(cap.tokens), 32)
    for layer, head in [(0, 0), (3, 1), (5, 11)]:
        w = A.head_weights(cap, layer, head)
        torch.testing.assert_close(w, cap.attentions[layer, head], atol=1e-5, rtol=0)
    causal = A.head_weights(cap, 2, 2, causal=True)
    assert torch.all(causal.triu(1) == 0)


def test_top_heads_ranked():
    rows = A.top_heads(A.capture(A.MINILM_SENTENCE), "it", ["animal", "street"], top=5)
    assert len(rows) == 5
    assert [r["animal"] for r in rows] == sorted(
        (r["animal"] for r in rows), reverse=True
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "",
        "   ",
        "x " * 50_000,
        "🙂🐶🐱",
        "مرحبا بالعالم",
        "שלום עולם",
        "我喜欢猫",
        "12345 678",
        "zxqv blorft",
    ],
)
def test_update_never_raises(sentence):
    view = A.update(sentence, layer=2, head=3, query=1, scale=True, causal=False)
    assert view.png or view.message


def test_update_clamps_and_messages():
    view = A.update(
        A.MINILM_SENTENCE, layer=99, head=-4, query=500, scale=False, causal=True
    )
    assert (
        view.png and "layer must be 0 to 5" in view.message and "head" in view.message
    )
    assert "query" in view.message
    assert "Type some text" in A.update("  ").message
    long = A.update("word " * 500)
    assert "first 64 tokens" in long.message
    ok = A.update(A.MINILM_SENTENCE, 1, 1, 10, True, False)
    assert ok.message == "" and ok.png


def test_check_attention():
    assert A.check_attention(sol.attention) == CORRECT
    assert A.check_attention(None) == NOT_ATTEMPTED
    assert A.check_attention(lambda q, k, v: None) == NOT_ATTEMPTED
    wrong = A.check_attention(
        lambda q, k, v: torch.softmax(q @ k.transpose(-2, -1), -1) @ v
    )
    assert wrong.startswith("not yet") and "d ** 0.5" in wrong


def test_check_causal_mask():
    assert A.check_causal_mask(sol.causal_mask) == CORRECT
    assert A.check_causal_mask(None) == NOT_ATTEMPTED
    assert A.check_causal_mask(lambda n: None) == NOT_ATTEMPTED
    wrong = A.check_causal_mask(lambda n: torch.ones(n, n, dtype=torch.bool).triu())
    assert wrong.startswith("not yet") and "BELOW" in wrong


def test_bertviz_offline_inlines_local_libraries(monkeypatch):
    from utils import bertviz_offline as BV

    cap = A.capture(A.MINILM_SENTENCE)
    for kind in ("head", "model"):
        page = BV.view_html(cap.attentions[:2], cap.tokens, kind)
        assert "require.min.js" not in page and "<script src=" not in page
        assert "d3js.org v5" in page and "var requirejs = function" in page
        assert page.count('<div id="bertviz-') == 1
    monkeypatch.setattr(BV, "D3", BV.ROOT / "no-such-dir" / "d3.min.js")
    assert "make assets" in BV.view_html(cap.attentions[:1], cap.tokens, "head")
