"""Our BLEU against sacrebleu, on cases worked out by hand and on real data."""

import math

import pytest

from utils import bleu
from utils.data import grammar

CASES = {
    "identical": (["Der Mann kauft den Kuchen ."], ["Der Mann kauft den Kuchen ."]),
    "zero match": (["a b c d"], ["w x y z"]),
    "no 4-gram match": (["Der Mann kauft Kuchen ."], ["Der Mann kauft den Kuchen ."]),
    "short hypothesis": (["Der Mann kauft den"], ["Der Mann kauft den Kuchen heute ."]),
    "longer hypothesis": (
        ["Der Mann kauft den Kuchen heute und morgen ."],
        ["Der Mann kauft den Kuchen ."],
    ),
    "clipped counts": (["den den den den den den"], ["Der Mann kauft den Kuchen ."]),
    "two sentences": (
        ["Die Frau ruft den Mann an .", "Heute kauft er einen Kuchen ."],
        ["Die Frau ruft den Mann an .", "Heute kauft der Mann einen Kuchen ."],
    ),
    "empty hypothesis": ([""], ["Der Mann kauft den Kuchen ."]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_sacrebleu(name):
    hyps, refs = CASES[name]
    ours = bleu.corpus_bleu(hyps, refs).score
    assert ours == pytest.approx(bleu.sacrebleu_reference(hyps, refs), abs=1e-9)


def test_hand_worked_values():
    assert bleu.corpus_bleu(*CASES["identical"]).score == pytest.approx(100.0)
    assert bleu.corpus_bleu(*CASES["zero match"]).score == 0.0
    # "den" x6 against one "den": p1 = 1/6, and no bigram matches -> 0
    clipped = bleu.corpus_bleu(*CASES["clipped counts"])
    assert clipped.precisions[0] == pytest.approx(100 / 6)
    assert clipped.score == 0.0
    # 4 tokens against 7: every n-gram matches, BP = exp(1 - 7/4)
    short = bleu.corpus_bleu(*CASES["short hypothesis"])
    assert short.precisions == (100.0, 100.0, 100.0, 100.0)
    assert short.brevity_penalty == pytest.approx(math.exp(1 - 7 / 4))
    assert short.score == pytest.approx(100 * math.exp(1 - 7 / 4))


def test_matches_sacrebleu_on_generated_corpus():
    pairs = grammar.generate_pairs(200, seed=5)
    refs = [p.de for p in pairs]
    # A crude "system": drop every fifth word of the reference.
    hyps = [" ".join(w for i, w in enumerate(r.split()) if i % 5) for r in refs]
    ours = bleu.corpus_bleu(hyps, refs).score
    assert 5 < ours < 60
    assert ours == pytest.approx(bleu.sacrebleu_reference(hyps, refs), abs=1e-9)


def test_bleu_by_bucket():
    splits = grammar.make_splits()
    test = splits.test
    scores = bleu.bleu_by_bucket(
        [p.de for p in test], [p.de for p in test], [p.en for p in test]
    )
    assert scores == {
        "all": 100.0,
        "3-7": 100.0,
        "8-12": 100.0,
        "13-17": 100.0,
        "18-25": 100.0,
    }


def test_length_mismatch_is_an_error():
    with pytest.raises(ValueError, match="2 hypotheses but 1 references"):
        bleu.corpus_bleu(["a", "b"], ["a"])
