"""Property-based tests: every widget's pure `update` on bad input (issue 6).

Hypothesis feeds each widget's `update` function with empty and whitespace
text, 100k characters, emoji, right-to-left (Arabic, Hebrew) and CJK text,
numbers, unknown words, stray symbols, and out-of-range or non-numeric slider
values. `update` is called directly, not through `widgets.safe_update`, which
would turn a crash into a message and hide it. No exception may escape, and the
view must show something: a message that reads as a sentence, or a table or
picture. Empty input must give the message that asks for text.

The default profile is derandomized (the same examples on every run, as CI
needs); `HYPOTHESIS_PROFILE=explore` draws fresh, more numerous examples.
"""

import os
import unicodedata
import warnings

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from utils.data.grammar import lexicon
from utils.widgets import View

settings.register_profile(
    "ci",
    max_examples=30,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "explore",
    parent=settings.get_profile("ci"),
    max_examples=150,
    derandomize=False,
)
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

EMPTY = "Type some text to see the result."  # utils.widgets.clean_text's message
HUGE = 100_000  # characters

# --- inputs -------------------------------------------------------------------

WHITESPACE = " \t\n\r\u00a0\u2003\u3000"
KNOWN = sorted(lexicon())  # the English words of the course's sentences


def _script(low: int, high: int) -> st.SearchStrategy[str]:
    """A 'word' of 1-8 characters from one Unicode block."""
    return st.text(
        st.characters(min_codepoint=low, max_codepoint=high), min_size=1, max_size=8
    )


WORDS = st.one_of(
    st.sampled_from(KNOWN),
    st.sampled_from(KNOWN).map(str.capitalize),
    st.from_regex(r"[a-z]{2,12}", fullmatch=True),  # mostly unknown words
    _script(0x1F300, 0x1FAFF),  # emoji
    st.sampled_from(["😀", "🎂", "👍🏽", "🇩🇪", "❤️‍🔥", "👨‍👩‍👧"]),  # modifiers, ZWJ
    _script(0x0600, 0x06FF),  # Arabic
    _script(0x0590, 0x05FF),  # Hebrew
    _script(0x4E00, 0x9FFF),  # CJK ideographs
    _script(0x3040, 0x30FF),  # kana
    _script(0xAC00, 0xD7A3),  # Hangul
    st.integers(-(10**12), 10**12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.text("$\\^_{}<>&%#~|\"'`.,;:!?()[]-+*/=", min_size=1, max_size=6),
    st.text(max_size=8),  # anything, control characters included
)
# Half the words known, so that most sentences get past "no known words".
SENTENCES = st.lists(st.sampled_from(KNOWN) | WORDS, max_size=12).map(" ".join)
BLANK = st.text(WHITESPACE, max_size=12)
LONG = SENTENCES.map(lambda s: (s + " zebra ") * (HUGE // (len(s) + 7) + 1))
TEXTS = st.one_of(BLANK, SENTENCES, LONG, st.text(max_size=40))

# Slider and switch values: in range, far out of range, and not numbers at all.
SLIDERS = st.one_of(
    st.integers(-3, 20),
    st.integers(-(10**9), 10**9),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.text(max_size=5),
)
SWITCHES = st.one_of(st.booleans(), st.none(), st.integers(-2, 2), st.text(max_size=3))

SAMPLES = [
    "",
    "   \n\t ",
    "the dog " * (HUGE // 8),
    "😀🎂👍🏽",
    "مرحبا بالعالم",
    "שלום עולם",
    "我喜欢蛋糕",
    "123 4.5 -7",
    "zyxt qwv",
    "$\\frac$ x^{",
]


def with_samples(name: str, **others):
    """Always try the fixed samples above as argument `name` too (the other
    arguments set to `others`), whatever hypothesis draws."""

    def decorate(test):
        for text in SAMPLES:
            test = example(**{name: text}, **others)(test)
        return test

    return decorate


def is_blank(text: object) -> bool:
    return isinstance(text, str) and not unicodedata.normalize("NFC", text).strip()


def shown(update, *args) -> View:
    """Call `update` directly; no exception and no warning (which a notebook
    prints below the widget) may escape, and the view shows something: a
    readable message, or a table or picture."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        view = update(*args)
    escaped = [w for w in caught if not issubclass(w.category, DeprecationWarning)]
    assert not escaped, [str(w.message) for w in escaped]
    assert isinstance(view, View), type(view)
    assert isinstance(view.message, str) and isinstance(view.html, str)
    assert isinstance(view.png, bytes)
    if view.png:
        assert view.png.startswith(b"\x89PNG"), "png is not a PNG"
    if view.message:
        assert view.message == view.message.strip()
        assert view.message.rstrip("'\")").endswith((".", "?", "!")), view.message
        assert "Traceback" not in view.message
    assert view.message or view.html or view.png, "the view shows nothing"
    return view


# --- lesson 1: the translation widget (word by word and the phrase table) -------


@PROFILE
@given(text=TEXTS)
@with_samples("text")
def test_ngram_update(text):
    from utils import ngram_view

    view = shown(ngram_view.update, text)
    if is_blank(text):
        assert view.message == EMPTY


# --- lesson 2: the embedding explorer ------------------------------------------------


@pytest.fixture(scope="module")
def explorer():
    """As lesson 2 builds it, with a small stand-in for its word2vec model (the
    notebook trains one on Shakespeare; here any second model will do)."""
    from gensim.models import KeyedVectors

    from utils import assets
    from utils.vector_explorer import Explorer

    glove = assets.load_glove()
    small = KeyedVectors(vector_size=glove.vector_size)
    small.add_vectors(glove.index_to_key[:2000], glove.vectors[:2000])
    return Explorer({"GloVe 6B 50d": (glove, 50_000), "word2vec": (small, None)})


ANALOGIES = st.one_of(
    TEXTS,
    st.tuples(WORDS, WORDS, WORDS).map(lambda t: f"{t[0]} - {t[1]} + {t[2]}"),
    st.tuples(*[st.sampled_from(KNOWN)] * 3).map(
        lambda t: " - ".join(t[:2]) + " + " + t[2]
    ),
)
MODELS = st.one_of(st.sampled_from(["GloVe 6B 50d", "word2vec"]), st.text(max_size=10))


@PROFILE
@given(words=TEXTS, analogy=ANALOGIES, model=MODELS)
@with_samples("words", analogy="king - man + woman", model="GloVe 6B 50d")
@with_samples("analogy", words="", model="word2vec")
@example(words="", analogy="", model="GloVe 6B 50d")
@example(words="   ", analogy="\t", model="word2vec")
@example(words="king, king", analogy="king - king + king", model="GloVe 6B 50d")
def test_embeddings_explorer_update(explorer, words, analogy, model):
    view = shown(explorer.update, words, analogy, model)
    if is_blank(words) and is_blank(analogy) and model in explorer.spaces:
        assert view.message.startswith("Type some words, separated by commas")


# --- lesson 3: the GRU translator ----------------------------------------------------


@pytest.fixture(scope="module")
def translate():
    from utils.tasks import translation, translation_views

    model, (src_vocab, tgt_vocab), _, _ = translation.load_or_train("gru_seq2seq")
    return translation_views.make_translate_update(model, src_vocab, tgt_vocab)


@PROFILE
@given(text=TEXTS)
@with_samples("text")
def test_seq2seq_translate_update(translate, text):
    view = shown(translate, text)
    if is_blank(text):
        assert view.message == EMPTY


# --- lesson 4: the tokenizer explorer ------------------------------------------------


@PROFILE
@given(text=TEXTS)
@with_samples("text")
def test_tokenization_update(text):
    from utils import tokenization

    view = shown(tokenization.update, text)
    if is_blank(text):
        assert view.message == EMPTY


# --- lesson 5: the attention explorer ------------------------------------------------


@PROFILE
@given(
    sentence=TEXTS,
    layer=SLIDERS,
    head=SLIDERS,
    query=SLIDERS,
    scale=SWITCHES,
    causal=SWITCHES,
)
@example(sentence="The cat sat.", layer=99, head=-1, query=10**9, scale=0, causal=1)
@example(
    sentence="The cat sat.",
    layer="two",
    head=None,
    query=float("nan"),
    scale=True,
    causal=False,
)
@with_samples("sentence", layer=5, head=11, query=3, scale=True, causal=True)
def test_attention_update(sentence, layer, head, query, scale, causal):
    from utils import minilm

    view = shown(minilm.update, sentence, layer, head, query, scale, causal)
    if is_blank(sentence):
        assert view.message == EMPTY
        return
    for name, value, top in (("layer", layer, 5), ("head", head, 11)):
        if isinstance(value, str) or value is None or not 0 <= value <= top:
            assert f"{name} must be 0 to" in view.message, (name, value)


# --- lesson 6: the transformer's decoding stepper -----------------------------------


@pytest.fixture(scope="module")
def stepper():
    from utils.tasks import translation, translation_views

    model, (src_vocab, tgt_vocab), _, _ = translation.load_or_train(
        "transformer_seq2seq"
    )
    return translation_views.make_stepper_update(model, src_vocab, tgt_vocab)


CHOICES = st.one_of(
    st.sampled_from(["greedy (1st)", "2nd", "3rd"]), st.none(), st.text(max_size=6)
)


@PROFILE
@given(sentence=TEXTS, step=SLIDERS, choice=CHOICES)
@with_samples("sentence", step=1, choice="2nd")
@example(sentence="", step=1, choice="greedy (1st)")
@example(sentence="The man buys the cake.", step=10**9, choice="3rd")
@example(sentence="The man buys the cake.", step="x", choice="nonsense")
@example(sentence="The man buys the cake.", step=float("-inf"), choice=None)
def test_transformer_stepper_update(stepper, sentence, step, choice):
    view = shown(stepper, sentence, step, choice)
    if is_blank(sentence):
        assert view.message == EMPTY


# --- input a widget cannot use gets a message, not just an empty picture --------------

FOREIGN = ["😀🎂👍🏽", "مرحبا بالعالم", "שלום עולם", "我喜欢蛋糕", "한국어", "ひらがな"]


@pytest.mark.parametrize("text", [*FOREIGN, "zyxt qwv", "123 4.5"])
def test_translators_explain_what_they_cannot_translate(translate, stepper, text):
    from utils import ngram_view

    for view in (ngram_view.update(text), translate(text), stepper(text, 1, "2nd")):
        assert view.message, text


@pytest.mark.parametrize("text", FOREIGN)
def test_tokenizer_explains_characters_beyond_latin(text):
    from utils import tokenization

    assert "beyond Latin letters" in tokenization.update(text).message


# --- lesson 6: the SmolLM2 stepper ---------------------------------------------------


@pytest.fixture(scope="module")
def smol_stepper():
    from utils import assets, decoding

    return decoding.Stepper(*assets.load_smollm2())


PICKS = st.lists(SLIDERS.filter(lambda v: isinstance(v, int)), max_size=3)


@settings(PROFILE, max_examples=6)  # each call runs the 135M model
@given(prompt=TEXTS, picks=PICKS)
@with_samples("prompt", picks=[0, 7])
@example(prompt="The capital of France is", picks=[-(10**9), 10**9, True])
def test_smollm2_stepper_update(smol_stepper, prompt, picks):
    view = shown(smol_stepper.update, prompt, picks)
    if is_blank(prompt):
        assert view.message == EMPTY
    else:
        assert "most likely next tokens" in view.html or "stops here" in view.message
