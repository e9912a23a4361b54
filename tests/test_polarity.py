"""Lesson 2.1's sentiment classifiers and their cross-validation."""

import numpy as np
import torch

from utils.assets import load_minilm
from utils.tasks import polarity as P


def test_the_data_is_200_balanced_sentences():
    texts, labels = P.load()
    assert len(texts) == len(labels) == 200
    assert labels.count(0) == labels.count(1) == 100
    assert texts[0] == "simplistic , silly and tedious ."
    assert all(t and "__label__" not in t for t in texts)


def test_folds_are_stratified_disjoint_and_cover_everything():
    _, labels = P.load()
    seen = []
    for train, test in P.folds(labels):
        assert len(test) == 20 and len(train) == 180
        assert not set(train) & set(test)
        assert sum(labels[i] for i in test) == 10  # 10 of each label
        seen += test.tolist()
    assert sorted(seen) == list(range(200))
    assert [t.tolist() for _, t in P.folds(labels)] == [
        t.tolist() for _, t in P.folds(labels)
    ]


def test_majority_scores_exactly_half_on_balanced_folds():
    r = P.cross_validate("majority", P.majority)
    assert r.accuracies == [0.5] * 10
    assert r.confusion.tolist() == [[100, 0], [100, 0]]  # ties go to negative
    assert r.row() == "majority: 50.0% ± 0.0% over 10 folds"


def test_cross_validate_scores_and_counts_each_fold():
    # a cheat that knows the answers scores 100 %; one that inverts them, 0 %
    texts, labels = P.load()
    truth = dict(zip(texts, labels))

    def oracle(_t, _l, test):
        return [truth[t] for t in test]

    def contrary(_t, _l, test):
        return [1 - truth[t] for t in test]

    assert P.cross_validate("oracle", oracle).confusion.tolist() == [[100, 0], [0, 100]]
    r = P.cross_validate("contrary", contrary)
    assert r.mean == 0.0 and r.confusion.tolist() == [[0, 100], [100, 0]]


def test_frozen_features_beat_the_majority_by_a_margin():
    r = P.cross_validate("frozen", P.frozen)
    assert r.confusion.sum() == 200
    assert 0.65 <= r.mean <= 0.85, r.row()


def test_finetuning_trains_a_copy_and_leaves_the_shared_minilm_alone():
    _, shared = load_minilm()
    before = shared.encoder.layer[0].attention.self.query.weight.clone()
    texts = ["great fun", "a joy to watch", "dull and tedious", "a boring mess"] * 4
    labels = [1, 1, 0, 0] * 4
    model = P.finetune_fit(texts, labels, P.FineTune(n_steps=6, batch_size=8, lr=1e-4))
    torch.testing.assert_close(
        shared.encoder.layer[0].attention.self.query.weight, before
    )
    assert model.encoder is not shared
    assert not torch.equal(
        model.encoder.encoder.layer[0].attention.self.query.weight, before
    )
    assert P.predict(model, texts[:4]) == [1, 1, 0, 0]  # it fits what it saw
    assert not model.training


def test_cv_result_mean_and_sd():
    r = P.CVResult("x", [0.5, 0.7, 0.9], np.zeros((2, 2), int))
    assert r.mean == 0.7
    assert abs(r.sd - 0.2) < 1e-12


def test_exercise_checks_accept_the_solutions_and_refuse_wrong_answers():
    from lessons.solutions import part2_lesson01 as solution
    from utils.checks import CORRECT, NOT_ATTEMPTED
    from utils.checks import part2_lesson01 as checks

    assert checks.check_mean_pool(solution.mean_pool) == CORRECT
    assert checks.check_mean_pool(lambda h, m: None) == NOT_ATTEMPTED
    # averaging the padding too is the classic slip
    assert checks.check_mean_pool(
        lambda h, m: solution.mean_pool(h, m * 0 + 1)
    ).startswith("not yet")
    assert checks.check_scores(solution.scores) == CORRECT
    assert checks.check_scores(None) == NOT_ATTEMPTED
    swapped = checks.check_scores(lambda c: solution.scores([c[0][::-1], c[1][::-1]]))
    assert swapped.startswith("not yet")


def test_the_mean_pool_solution_is_what_minilm_sentence_vectors_do():
    from lessons.solutions import part2_lesson01 as solution
    from utils.minilm import sentence_vectors

    tokenizer, model = load_minilm()
    texts = ["a short one", "a somewhat longer sentence with more words in it"]
    enc = tokenizer(texts, padding=True, return_tensors="pt")
    with torch.no_grad():
        hidden = model(**enc).last_hidden_state
    got = solution.mean_pool(hidden, enc["attention_mask"])
    torch.testing.assert_close(got, sentence_vectors(texts), atol=1e-5, rtol=0)
