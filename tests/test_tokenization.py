"""Lesson 4's tokens: BPE from scratch against the `tokenizers` library, the
real tokenizers, adding a token, the explorer widget and the exercise checks."""

import pytest
import torch

from lessons.solutions import part1_lesson04 as solution
from utils import tokenization as T
from utils.assets import load_minilm, minilm_dir
from utils.checks import CORRECT, NOT_ATTEMPTED
from utils.checks import part1_lesson04 as checks

CORPUS = (
    "low lower lowest newer newest wider widest low low newest newer "
    "the lowest of the low, the newest of the new; wider, newer, lower!"
)

# --- BPE from scratch ------------------------------------------------------


def test_words_split_like_the_whitespace_pre_tokenizer():
    assert T.words("let's talk, about bpe!!") == [
        "let",
        "'",
        "s",
        "talk",
        ",",
        "about",
        "bpe",
        "!!",
    ]


def test_first_merges_on_the_tiny_corpus():
    bpe = T.train_bpe(T.words(CORPUS), vocab_size=30)
    # w+e occurs 10 times; l+o and o+w 8 times each: the tie goes to "l" < "o".
    assert bpe.merges[:5] == [
        ("w", "e"),
        ("l", "o"),
        ("n", "e"),
        ("s", "t"),
        ("ne", "we"),
    ]
    assert bpe.vocab[: len(set(CORPUS) - {" "})] == sorted(set(CORPUS) - {" "})


@pytest.mark.parametrize("vocab_size", [20, 30, 60])
@pytest.mark.parametrize("min_frequency", [1, 2, 3])
def test_same_merges_as_the_tokenizers_library(vocab_size, min_frequency):
    corpus = T.words(CORPUS)
    ours = T.train_bpe(corpus, vocab_size, min_frequency)
    theirs = T.train_reference_bpe(corpus, vocab_size, min_frequency)
    assert ours.merges == T.reference_merges(theirs)
    vocab = theirs.get_vocab()
    assert ours.vocab == sorted(vocab, key=vocab.get)


def test_ties_are_broken_like_the_tokenizers_library():
    # Every pair occurs once: only the tie-break decides the order.
    corpus = ["db", "ca", "ba", "ac"]
    ours = T.train_bpe(corpus, vocab_size=8, min_frequency=1)
    theirs = T.train_reference_bpe(corpus, vocab_size=8, min_frequency=1)
    assert ours.merges == [("a", "c"), ("b", "a"), ("c", "a"), ("d", "b")]
    assert ours.merges == T.reference_merges(theirs)


@pytest.mark.parametrize(
    "text",
    ["lowest", "the newest, widest lower", "slowly renewed", "wow!!", "nowhere"],
)
def test_same_encodings_as_the_tokenizers_library(text):
    corpus = T.words(CORPUS)
    ours = T.train_bpe(corpus, vocab_size=40)
    theirs = T.train_reference_bpe(corpus, vocab_size=40)
    assert ours.encode(text) == theirs.encode(text).tokens
    assert ours.encode_ids(text) == theirs.encode(text).ids


def test_same_merges_on_a_real_corpus_slice():
    from utils.assets import load_shakespeare

    corpus = T.words(load_shakespeare())[:20_000]
    ours = T.train_bpe(corpus, vocab_size=400)
    theirs = T.train_reference_bpe(corpus, vocab_size=400)
    assert len(ours.merges) > 300
    assert ours.merges == T.reference_merges(theirs)
    text = "Wherefore art thou Romeo? Deny thy father and refuse thy name."
    assert ours.encode_ids(text) == theirs.encode(text).ids


def test_decode_glues_the_pieces_back():
    bpe = T.train_bpe(T.words(CORPUS), vocab_size=40)
    assert bpe.decode(bpe.encode_ids("the newest")) == "thenewest"
    assert bpe.encode_word("lowest") == ["lowest"]
    assert T.merge_symbols(list("aaaa"), ("a", "a")) == ["aa", "aa"]
    assert T.merge_symbols(list("aaa"), ("a", "a")) == ["aa", "a"]


# --- real tokenizers ---------------------------------------------------------


def test_the_decks_wordpiece_example_exactly():
    tokenizer = load_minilm()[0]
    ids = tokenizer("let's talk about bpe")["input_ids"]
    assert tokenizer.convert_ids_to_tokens(ids) == (
        ["[CLS]", "let", "'", "s", "talk", "about", "bp", "##e", "[SEP]"]
    )
    assert ids == [101, 2292, 1005, 1055, 2831, 2055, 17531, 2063, 102]


def test_numbers_in_gpt2_and_smollm2():
    gpt2 = "GPT-2 byte-level BPE"
    assert [t.id for t in T.tokenize(gpt2, " 123")] == [17031]
    assert [t.id for t in T.tokenize(gpt2, " 2024")] == [48609]
    assert [t.text for t in T.tokenize(gpt2, "1234567")] == ["123", "45", "67"]
    assert [t.text for t in T.tokenize("SmolLM2 BPE", " 2024")] == list(" 2024")


def test_byte_level_tokens_are_shown_readably():
    tokens = T.tokenize("GPT-2 byte-level BPE", "🎂")
    assert "".join(t.text for t in tokens).count("\ufffd") == len(tokens) > 1
    assert [t.text for t in T.tokenize("WordPiece (MiniLM / BERT)", "🎂")] == ["[UNK]"]


def test_adding_a_token_grows_tokenizer_and_embedding_table_by_one():
    from transformers import AutoModel, AutoTokenizer

    cached_tokenizer, cached_model = load_minilm()
    n_cached = len(cached_tokenizer)
    table_before = cached_model.get_input_embeddings().weight.detach().clone()

    tokenizer = AutoTokenizer.from_pretrained(minilm_dir(), local_files_only=True)
    model = AutoModel.from_pretrained(minilm_dir(), local_files_only=True)
    n = len(tokenizer)
    assert tokenizer.add_tokens(["bpe"]) == 1
    model.resize_token_embeddings(len(tokenizer), mean_resizing=False)
    table = model.get_input_embeddings().weight
    assert len(tokenizer) == n + 1 and table.shape == (n + 1, 384)
    assert torch.equal(table[:n], table_before)  # old rows untouched
    assert tokenizer.tokenize("talk about bpe") == ["talk", "about", "bpe"]
    # The cached loader objects are unchanged.
    assert len(cached_tokenizer) == n_cached
    assert cached_model.get_input_embeddings().weight.shape == (n_cached, 384)
    assert cached_tokenizer.tokenize("bpe") == ["bp", "##e"]


def test_tokens_per_word_and_coverage():
    text = "the cat sat on the mat"
    per_word = T.tokens_per_word(text)
    assert per_word == {name: 1.0 for name in T.REAL_TOKENIZERS}
    share = T.single_token_share("Donaudampfschifffahrt the")
    assert all(s == 0.5 for s in share.values())


# --- the widget ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["", "   ", "x" * 100_000, "🎂😀", "مرحبا بالعالم", "שלום", "你好世界", "123 4567"],
)
def test_update_never_raises_and_explains(text):
    view = T.update(text)
    assert isinstance(view, T.View)
    if not text.strip():
        assert view.message and not view.html
    else:
        assert view.html.count("tokens") >= len(T.TOKENIZERS)
    if len(text) > 2000:
        assert "first 2,000" in view.message
    if text.strip() and not text.replace(" ", "").isascii():
        assert "beyond Latin" in view.message


def test_update_shows_every_tokenizer_with_ids():
    view = T.update("let's talk about bpe")
    for name in T.TOKENIZERS:
        assert name.replace("/", "/") in view.html
    assert "17531" in view.html and ">bp<" in view.html


# --- exercises --------------------------------------------------------------------


def test_exercise_checks():
    assert checks.check_merges_by_hand(solution.LOWEST).endswith(CORRECT)
    assert checks.check_merges_by_hand(None).endswith(NOT_ATTEMPTED)
    assert "Hint" in checks.check_merges_by_hand(["lo", "west"])
    assert checks.check_year_tokens(solution.YEAR_TOKENS).endswith(CORRECT)
    assert checks.check_year_tokens(None).endswith(NOT_ATTEMPTED)
    assert "Hint" in checks.check_year_tokens((1, 1))
    assert "Hint" in checks.check_year_tokens("two")
