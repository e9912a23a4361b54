"""Tests for utils/minilm.py (lessons 5 and 6): MiniLM's attention captured by
hooks and recomputed, the heads ranked, the attention explorer widget, the
offline bertviz page of the captured weights, and MiniLM's sentence vectors."""

import pytest
import torch

from utils import minilm as M


def test_minilm_capture_reproduces_model_weights():
    cap = M.capture(M.MINILM_SENTENCE)
    assert cap.tokens[0] == "[CLS]" and "animal" in cap.tokens
    assert cap.q.shape == (6, 12, len(cap.tokens), 32)
    for layer, head in [(0, 0), (3, 1), (5, 11)]:
        w = M.head_weights(cap, layer, head)
        torch.testing.assert_close(w, cap.attentions[layer, head], atol=1e-5, rtol=0)
    causal = M.head_weights(cap, 2, 2, causal=True)
    assert torch.all(causal.triu(1) == 0)


def test_contrast_is_zero_for_a_head_that_sends_every_token_to_the_key():
    tokens = ["it", "animal", "street"]
    weights = torch.tensor([[0.2, 0.7, 0.1], [0.1, 0.7, 0.2], [0.3, 0.7, 0.0]])
    cap = M.Capture(tokens, torch.zeros(1), torch.zeros(1), weights[None, None])
    assert M.contrast(cap, "it", "animal").item() == pytest.approx(0.0, abs=1e-7)
    assert M.contrast(cap, "it", "it").item() == pytest.approx(0.2 - 0.2, abs=1e-7)
    assert M.contrast(cap, "it", "street").item() == pytest.approx(0.1 - 0.1)


def test_no_minilm_head_moves_it_from_animal_to_street():
    """Lesson 5's finding: "tired" -> "wide" drops layer 3 head 1's contrast
    on "animal" from 0.55 to 0.17, but no head's contrast on "street" reaches
    0.15."""
    tired = M.capture(M.MINILM_SENTENCE)
    wide = M.capture(M.MINILM_SENTENCE.replace("tired", "wide"))
    rows = M.switching_heads(tired, wide)
    best = rows[0]
    assert (best["layer"], best["head"]) == (3, 1)
    assert best["animal 1"] == pytest.approx(0.55, abs=0.01)
    assert best["animal 2"] == pytest.approx(0.17, abs=0.01)
    assert max(M.contrast(wide, "it", "street").max().item(), 0) < 0.15
    assert [r["switch"] for r in rows] == sorted(
        (r["switch"] for r in rows), reverse=True
    )


def test_top_heads_ranked():
    rows = M.top_heads(M.capture(M.MINILM_SENTENCE), "it", ["animal", "street"], top=5)
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
    view = M.update(sentence, layer=2, head=3, query=1, scale=True, causal=False)
    assert view.png or view.message


def test_update_clamps_and_messages():
    view = M.update(
        M.MINILM_SENTENCE, layer=99, head=-4, query=500, scale=False, causal=True
    )
    assert (
        view.png and "layer must be 0 to 5" in view.message and "head" in view.message
    )
    assert "query" in view.message
    assert "Type some text" in M.update("  ").message
    long = M.update("word " * 500)
    assert "first 64 tokens" in long.message
    ok = M.update(M.MINILM_SENTENCE, 1, 1, 10, True, False)
    assert ok.message == "" and ok.png


def test_update_is_a_pure_function():
    first = M.update(M.MINILM_SENTENCE, 2, 3, 4, False, True)
    M.update("The cat sat on the mat.", 0, 0, 1, True, False)
    assert M.update(M.MINILM_SENTENCE, 2, 3, 4, False, True) == first


def test_head_weights_unscaled_is_scaled_by_sqrt_d():
    cap = M.capture(M.MINILM_SENTENCE)
    q, k = cap.q[1, 4], cap.k[1, 4]  # (seq, 32)
    want = torch.softmax(q @ k.T, dim=-1)  # no division by sqrt(32)
    got = M.head_weights(cap, 1, 4, scale=False)
    torch.testing.assert_close(got, want, atol=1e-5, rtol=0)


def test_token_vectors_are_rescaled_embedding_rows_without_positions():
    from utils.assets import load_minilm

    tokenizer, model = load_minilm()
    x = M.token_vectors("the dog bites the man")  # [CLS] the dog bites the man [SEP]
    inner = M.token_vectors("the dog bites the man", special_tokens=False)
    assert x.shape == (7, 384) and inner.shape == (5, 384)
    assert torch.equal(x[1:-1], inner)  # each row on its own: the ends change nothing
    assert torch.equal(inner[0], inner[3])  # "the" twice: no position, same vector
    torch.testing.assert_close(x.mean(-1), torch.zeros(7), atol=1e-6, rtol=0)
    torch.testing.assert_close(x.std(-1), torch.ones(7), atol=1e-5, rtol=0)
    row = model.embeddings.word_embeddings.weight[
        tokenizer.convert_tokens_to_ids("dog")
    ]
    want = ((row - row.mean()) / row.std()).detach()
    torch.testing.assert_close(inner[1], want, atol=1e-6, rtol=0)


def test_sentence_vectors_are_unit_mean_pooled_and_ignore_padding():
    sentences = [
        "A cat sits on the mat.",
        "A cat is sitting on the mat.",
        "Stock prices fell sharply on Monday after the announcement.",
    ]
    v = M.sentence_vectors(sentences)
    assert v.shape == (3, 384)
    torch.testing.assert_close(v.norm(dim=-1), torch.ones(3), atol=1e-5, rtol=0)
    sim = v @ v.T
    assert sim[0, 1] > sim[0, 2] and sim[0, 1] > sim[1, 2]  # paraphrases closer
    # the short ones were padded to the long one's length: no difference
    alone = M.sentence_vectors(sentences[:1])
    torch.testing.assert_close(alone[0], v[0], atol=1e-5, rtol=0)


def test_sentence_vectors_match_sentence_transformers_on_the_models_own_folder():
    # The package's modules.json names mean pooling then normalisation, and
    # its sentence_bert_config.json a 256-token limit: a long text checks it.
    from sentence_transformers import SentenceTransformer

    from utils.assets import minilm_dir

    texts = ["Short.", "A bank by the river.", "word " * 400, "Ünïcödé ✓ 😀"]
    reference = SentenceTransformer(str(minilm_dir()), device="cpu")
    want = reference.encode(texts, convert_to_tensor=True, batch_size=2)
    got = M.sentence_vectors(texts, batch_size=3)
    torch.testing.assert_close(got, want, atol=1e-5, rtol=0)
    assert (got - want).abs().max() < 1e-6


def test_word_vector_depends_on_the_sentence():
    river = M.word_vector("We sat on the bank of the river.", "bank")
    money = M.word_vector("I paid the cheque into my bank account.", "bank")
    river2 = M.word_vector("The river overflowed its bank after the rain.", "bank")
    cos = torch.nn.functional.cosine_similarity
    assert river.shape == (384,)
    assert cos(river, river2, dim=0) > cos(river, money, dim=0)
    assert cos(river, money, dim=0) < 0.9  # one word, two vectors
    with pytest.raises(ValueError, match="is not a word of"):
        M.word_vector("No such word here.", "bank")


def test_bertviz_offline_inlines_local_libraries(monkeypatch):
    from utils import bertviz_offline as BV

    cap = M.capture(M.MINILM_SENTENCE)
    for kind in ("head", "model"):
        page = BV.view_html(cap.attentions[:2], cap.tokens, kind)
        assert "require.min.js" not in page and "<script src=" not in page
        assert "d3js.org v5" in page and "var requirejs = function" in page
        assert page.count('<div id="bertviz-') == 1
    monkeypatch.setattr(BV, "D3", BV.ROOT / "no-such-dir" / "d3.min.js")
    assert "make assets" in BV.view_html(cap.attentions[:1], cap.tokens, "head")


def test_query_choices_name_each_token_and_its_place():
    choices = M.query_choices(M.MINILM_SENTENCE)
    labels = [label for label, _ in choices]
    assert [value for _, value in choices] == list(range(15))
    assert labels[0] == "[CLS]" and labels[10] == "it" and labels[-1] == "[SEP]"
    assert labels[7] == "the ·2"  # "the animal ... the street"
    assert M.query_choices("   ") == [("(no text)", 0)]


def test_long_sentences_label_only_some_bars():
    tokens = [f"w{i}" for i in range(60)]
    weights = [0.0] * 60
    weights[37] = 1.0
    labels = M.bar_labels(tokens, weights, query=13)
    shown = [t for t in labels if t]
    assert len(shown) <= 1 + 8 + 8 and "w13" in shown and "w37" in shown
    assert M.bar_labels(tokens[:20], weights[:20], query=3) == tokens[:20]
