"""Lesson 1's translators: word by word, IBM Model 1, symmetrisation, phrase
extraction, monotone decoding, the pictures, the widget and the exercise checks
(utils.ngram, utils.word_alignment, utils.ngram_view, utils.checks.part1_lesson01)."""

import math

import pytest
from matplotlib.figure import Figure

from lessons.solutions import part1_lesson01 as solution
from utils import ngram, ngram_view
from utils import word_alignment as wa
from utils.checks import CORRECT, NOT_ATTEMPTED
from utils.checks import part1_lesson01 as checks
from utils.data.grammar import make_splits
from utils.ngram import PhraseTable
from utils.text import detokenize

# --- word by word -----------------------------------------------------------


def test_word_by_word_takes_the_first_entry_of_each_word():
    assert ngram.word_by_word("The man buys the cake.") == "Der Mann kauft der Kuchen."
    assert (
        ngram.word_by_word("Today the children call their grandmother.")
        == "Heute der Kinder rufe ihr Großmutter."
    )


def test_word_by_word_with_another_dictionary_passes_unknown_words_through():
    dictionary = {"the": ["die"], "cat": ["Katze", "Kater"]}
    assert ngram.word_by_word("the cat sleeps!", dictionary) == "Die Katze sleeps!"
    assert ngram.unknown_words("the cat sleeps!", dictionary) == ["sleeps"]
    assert ngram.unknown_words("the 😀 cat 42", dictionary) == ["😀", "42"]


def test_detokenize():
    assert detokenize(["Der", "Mann", ",", "weil", "."]) == "Der Mann, weil."
    assert detokenize(["What", "'", "s", "this", "?"]) == "What's this?"
    assert detokenize(["Was", "heißt", '"', "cake", '"', "?"]) == 'Was heißt "cake"?'


# --- IBM Model 1 ---------------------------------------------------------------

TINY = [
    (["the", "house"], ["das", "Haus"]),
    (["the", "book"], ["das", "Buch"]),
    (["a", "book"], ["ein", "Buch"]),
]


def test_ibm1_one_iteration_by_hand():
    # Uniform start: every German word is shared equally among NULL and the
    # English words of its sentence (1/3 each). Then normalise per English word:
    # "the" collects das 2/3, Haus 1/3, Buch 1/3 (total 4/3), and so on.
    t = wa.train_ibm1(TINY, n_iter=1)
    expected = {
        ("das", "the"): 1 / 2,
        ("Haus", "the"): 1 / 4,
        ("Buch", "the"): 1 / 4,
        ("ein", "the"): 0.0,
        ("das", "house"): 1 / 2,
        ("Haus", "house"): 1 / 2,
        ("das", "book"): 1 / 4,
        ("Buch", "book"): 1 / 2,
        ("ein", "book"): 1 / 4,
        ("ein", "a"): 1 / 2,
        ("Buch", "a"): 1 / 2,
        ("das", wa.NULL): 1 / 3,
        ("Haus", wa.NULL): 1 / 6,
        ("Buch", wa.NULL): 1 / 3,
        ("ein", wa.NULL): 1 / 6,
    }
    for (de, en), p in expected.items():
        assert t.t(de, en) == pytest.approx(p, abs=1e-12), (de, en)
    assert t.prob.sum(axis=1) == pytest.approx([1.0] * len(t.source_words))


def test_ibm1_second_iteration_by_hand():
    # "house" is only in sentence 1. There "das" splits NULL : the : house as
    # 1/3 : 1/2 : 1/2 (house gets 3/8) and "Haus" as 1/6 : 1/4 : 1/2 (house
    # gets 6/11). So t(Haus | house) = (6/11) / (3/8 + 6/11) = 16/27.
    t = wa.train_ibm1(TINY, n_iter=2)
    assert t.t("Haus", "house") == pytest.approx(16 / 27, abs=1e-12)
    assert t.t("das", "house") == pytest.approx(11 / 27, abs=1e-12)


def test_ibm1_learns_the_right_words_and_viterbi_links():
    t = wa.train_ibm1(TINY, n_iter=10)
    assert t.best("house", 1)[0][0] == "Haus"
    assert t.best("book", 1)[0][0] == "Buch"
    assert t.best("the", 1)[0][0] == "das"
    assert t.viterbi(["the", "house"], ["das", "Haus"]) == [0, 1]
    assert t.viterbi(["a", "book"], ["ein", "Buch"]) == [0, 1]
    # Unseen words get t = 0 and link to NULL.
    assert t.t("Katze", "cat") == 0.0
    assert t.viterbi(["the", "cat"], ["die", "Katze"]) == [-1, -1]
    assert t.best("cat") == []


def test_viterbi_breaks_model1_ties_towards_the_diagonal():
    # Both "the"s score the same for "das"; each "das" takes the nearer one.
    t = wa.train_ibm1(TINY, n_iter=5)
    links = t.viterbi(["the", "house", "the", "book"], ["das", "Haus", "das", "Buch"])
    assert links == [0, 1, 2, 3]


# --- symmetrisation ---------------------------------------------------------------

# EN->DE: each German word picks an English word; DE->EN: the other way round.
EN_TO_DE = {(1, 1), (2, 2), (2, 3), (3, 4)}
DE_TO_EN = {(0, 3), (1, 4), (2, 2), (3, 4)}


def test_grow_diag_by_hand():
    # Intersection {(2,2), (3,4)}. Grow from (2,2): (2,3) sideways (German 3
    # unaligned), then (1,1) diagonally (English 1 unaligned). (1,4) touches
    # (2,3) but both its words are aligned by then: refused.
    assert EN_TO_DE & DE_TO_EN == {(2, 2), (3, 4)}
    assert wa.grow_diag(EN_TO_DE, DE_TO_EN) == {(1, 1), (2, 2), (2, 3), (3, 4)}


def test_grow_diag_final_by_hand():
    # Final adds (0,3): English 0 is still unaligned, though (0,3) touches
    # nothing. (1,4) stays out for good.
    assert wa.grow_diag_final(EN_TO_DE, DE_TO_EN) == {
        (0, 3),
        (1, 1),
        (2, 2),
        (2, 3),
        (3, 4),
    }
    # The inputs are not changed.
    assert EN_TO_DE == {(1, 1), (2, 2), (2, 3), (3, 4)}


def test_symmetrisation_of_agreeing_directions_is_their_alignment():
    a = {(0, 0), (1, 2), (2, 1)}
    assert wa.grow_diag_final(a, set(a)) == a
    assert wa.grow_diag_final(set(), set()) == set()


# --- phrase extraction ---------------------------------------------------------------


def test_phrase_extraction_by_hand():
    en = ["says", "that", "he", "sleeps"]
    de = ["sagt", ",", "dass", "er", "schläft"]  # "," is unaligned
    links = {(0, 0), (1, 2), (2, 3), (3, 4)}
    pairs = ngram.extract_phrases(en, de, links, max_len=3)
    expected = {
        ("says",): {("sagt",), ("sagt", ",")},
        ("says", "that"): {("sagt", ",", "dass")},
        ("that",): {("dass",), (",", "dass")},
        ("that", "he"): {("dass", "er"), (",", "dass", "er")},
        ("that", "he", "sleeps"): {("dass", "er", "schläft")},  # 4 with ","
        ("he",): {("er",)},
        ("he", "sleeps"): {("er", "schläft")},
        ("sleeps",): {("schläft",)},
    }
    assert sorted(pairs) == sorted((e, d) for e, ds in expected.items() for d in ds)
    assert len(pairs) == 11


def test_a_split_separable_verb_gives_no_phrase():
    # "ruft ... an" spans 4 German words: too long for a 3-word phrase.
    en = ["the", "man", "calls", "the", "woman"]
    de = ["der", "Mann", "ruft", "die", "Frau", "an"]
    links = {(0, 0), (1, 1), (2, 2), (3, 3), (4, 4), (2, 5)}
    pairs = ngram.extract_phrases(en, de, links, max_len=3)
    assert not [p for p in pairs if "calls" in p[0]]
    assert (("the", "woman"), ("die", "Frau")) in pairs
    assert ngram.extract_phrases(en, de, links, max_len=4) != pairs


def test_phrase_table_counts_and_probabilities():
    table = PhraseTable()
    table.add(("the",), ("der",), 2)
    table.add(("the",), ("die",), 1)
    table.add(("the",), ("die",), 1)
    assert table.prob(("die",), ("the",)) == 0.5
    assert table.top(("the",)) == [(("der",), 2, 0.5), (("die",), 2, 0.5)]
    assert table.best(("the",)) == (("der",), 0.5)  # ties: alphabetical
    assert table.best(("cat",)) is None
    assert len(table) == 2 and ("the",) in table


# --- decoding ---------------------------------------------------------------------


def _tiny_translator() -> ngram.PhraseBasedTranslator:
    table = PhraseTable()
    for en, de, n in [
        ("the", "die", 2),
        ("the", "der", 1),
        ("the man", "der Mann", 3),
        ("man", "Mann", 1),
        ("sleeps", "schläft", 1),
        (".", ".", 5),
    ]:
        table.add(tuple(en.split()), tuple(de.split()), n)
    return ngram.PhraseBasedTranslator(table, en_lowercase=frozenset({"the"}))


def test_decoder_prefers_the_more_probable_segmentation():
    tr = _tiny_translator()
    # "the man" -> "der Mann" (p = 1) beats "the" -> "die" (2/3) + "man" (1).
    german, segments = tr.translate_with_segments("The man sleeps.")
    assert german == "Der Mann schläft."
    assert segments == [("the man", "der Mann"), ("sleeps", "schläft"), (".", ".")]
    assert tr.translate("the") == "Die"


def test_decoder_passes_unknown_words_through():
    tr = _tiny_translator()
    german, segments = tr.translate_with_segments("The zebra sleeps.")
    assert german == "Die zebra schläft."
    assert ("zebra", "zebra") in segments
    assert tr.known("man") and not tr.known("zebra")
    assert tr.translate("") == ""


# --- the baseline ---------------------------------------------------------------

GOLDEN = [
    (
        "Diesen Fisch findet einem Künstler, aber ich anschauen der Fahrer und "
        "diese Chefs können essen."
    ),
    "Deine Sänger denken, dass Kunden kochen grünen Reis.",
    "Deine Mädchen gehen einkaufen.",
    (
        "Der Dieb tanzt, aber wir hoffen, dass der schüchterne Freund vergisst "
        "Teller später."
    ),
    "Sie fangen keinen kleine Huhn und heute du läufst in Kinos.",
]


def test_baseline_is_deterministic():
    tr = ngram.baseline()
    test = make_splits().test
    assert [tr.translate(p.en) for p in test[:5]] == GOLDEN
    assert len(tr.table) == 104_387
    assert tr.table.top(("buys",), 1) == [(("kauft",), 349, 1.0)]


def test_baseline_beats_word_by_word_on_held_out_sentences():
    from utils.bleu import corpus_bleu

    test = make_splits().test[:100]
    refs = [p.de for p in test]
    phrase = corpus_bleu([ngram.baseline().translate(p.en) for p in test], refs)
    word = corpus_bleu([ngram.word_by_word(p.en) for p in test], refs)
    assert phrase.score > word.score + 10


# --- the pictures --------------------------------------------------------------------


def test_draw_links_marks_each_kind_of_link_on_the_given_axes():
    # The exercise's pair: both agree on 4 links, grow adds (3, 3), final (2, 5),
    # and DE->EN's (3, 4) is left out.
    en, de = checks.EXERCISE_EN, checks.EXERCISE_DE
    fig = Figure(figsize=ngram_view.links_figsize(en, de))
    ax = fig.add_subplot()
    ngram_view.draw_links(
        ax, en, de, checks.EXERCISE_EN_TO_DE, checks.EXERCISE_DE_TO_EN
    )
    drawn = {c.get_label(): len(c.get_offsets()) for c in ax.collections}
    assert drawn == {
        "both directions agree": 4,
        "added by grow": 1,
        "added by final": 1,
        "DE->EN only, left out": 1,
    }
    assert [t.get_text() for t in ax.get_xticklabels()] == de
    assert fig.get_size_inches() == pytest.approx((0.6 * 6 + 4.5, 0.5 * 5 + 1.8))


def test_draw_links_for_the_exercise_hides_the_result_and_numbers_words():
    en, de = checks.EXERCISE_EN, checks.EXERCISE_DE
    ax = Figure().add_subplot()
    ngram_view.draw_links(
        ax,
        en,
        de,
        checks.EXERCISE_EN_TO_DE,
        checks.EXERCISE_DE_TO_EN,
        show_result=False,
        numbered=True,
    )
    labels = {c.get_label() for c in ax.collections}
    assert labels == {"both directions agree", "EN->DE only", "DE->EN only"}
    assert ax.get_xticklabels()[1].get_text() == "1 Mann"
    assert ax.get_yticklabels()[2].get_text() == "calls 2"


# --- the widget ---------------------------------------------------------------------


def test_update_on_a_sentence():
    view = ngram_view.update("Today the man calls the woman.")
    assert view.message == ""
    assert "Heute der Mann anruft die Frau." in view.html
    assert "Heute der Mann ruft der Frau." in view.html
    assert view.png.startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Type some text"),
        ("   \n\t ", "Type some text"),
        ("😀😀", "No words here"),
        ("?!", "No words here"),
    ],
)
def test_update_without_words_gives_a_message(text, message):
    view = ngram_view.update(text)
    assert message in view.message
    assert view.png == b"" and view.html == ""


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("The zebra sleeps.", ["zebra"]),
        ("The man 😀 sleeps.", ["😀"]),
        ("مرحبا the man", ["مرحبا"]),
        ("猫 the man", ["猫"]),
        ("The man buys 123 cakes.", ["123"]),
    ],
)
def test_update_flags_unknown_words(text, flagged):
    view = ngram_view.update(text)
    assert "not in the phrase table" in view.message
    for word in flagged:
        assert word in view.message
        assert f">{word}</u>" in view.html
    assert view.png.startswith(b"\x89PNG")


def test_update_on_very_long_input():
    view = ngram_view.update("the man buys the cake . " * 20_000)  # 480k characters
    assert "Only the first 2,000 characters are used." in view.message
    assert "first 40 English tokens" in view.message
    assert view.png.startswith(b"\x89PNG")


def test_update_escapes_html():
    view = ngram_view.update("<script>alert(1)</script> the man")
    assert "<script>" not in view.html


# --- exercises -------------------------------------------------------------------------


def test_exercise_1_clipped_precision(capsys):
    assert checks.check_clipped_precision(None) == NOT_ATTEMPTED
    assert checks.check_clipped_precision(lambda hyp, ref: None) == NOT_ATTEMPTED
    assert checks.check_clipped_precision(solution.clipped_unigram_precision) == CORRECT

    def unclipped(hyp, ref):
        return sum(w in ref for w in hyp) / len(hyp)

    assert checks.check_clipped_precision(unclipped).startswith("not yet. Hint:")
    assert "raised" in checks.check_clipped_precision(lambda h, r: 1 / 0)
    assert "Exercise 1" in capsys.readouterr().out


def test_exercise_1_solution_values():
    f = solution.clipped_unigram_precision
    assert f(["der"] * 4, ["der", "Mann", "sieht", "der", "Hund"]) == 0.5
    assert f([], ["der"]) == 0.0
    assert math.isclose(f(["Kuchen", "Kuchen", "ein"], ["ein", "Kuchen"]), 2 / 3)


def test_exercise_2_grow_and_final(capsys):
    assert checks.check_grow_links(None) == NOT_ATTEMPTED
    assert checks.check_grow_links(solution.GROW_AND_FINAL) == CORRECT
    assert solution.GROW_AND_FINAL == ((3, 3), (2, 5))
    wrong = [((3, 4), (2, 5)), ((2, 5), (3, 3)), ((3, 3),), "no idea"]
    for answer in wrong:
        assert checks.check_grow_links(answer).startswith("not yet"), answer
    assert "Exercise 2" in capsys.readouterr().out


def test_exercise_links_are_what_the_notebook_says():
    both = checks.EXERCISE_EN_TO_DE & checks.EXERCISE_DE_TO_EN
    assert both == {(0, 0), (1, 1), (2, 2), (4, 4)}
    final = wa.grow_diag_final(checks.EXERCISE_EN_TO_DE, checks.EXERCISE_DE_TO_EN)
    assert (3, 4) not in final  # DE->EN's wrong link stays out
    assert final == checks.EXERCISE_EN_TO_DE  # here the result is the right alignment
