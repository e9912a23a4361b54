"""The exercise-check pattern itself (each lesson's checks are tested with it)."""

from utils import checks as exercises


def test_verdicts():
    def is_right(x):
        return x == 42

    assert exercises.verdict(None, is_right, "think") == "not attempted yet"
    assert exercises.verdict(42, is_right, "think") == "correct"
    assert exercises.verdict(41, is_right, "think") == "not yet. Hint: think"


def test_a_crashing_answer_gets_a_hint_not_a_traceback():
    def is_right(f):
        return f(2) == 4

    def broken(x):
        return x / 0

    assert exercises.verdict(broken, is_right, "square it") == (
        "not yet: your answer raised ZeroDivisionError: division by zero. Hint: square it"
    )


def test_check_prints_with_the_name(capsys):
    assert exercises.check("Exercise 1", None, bool, "h") == "not attempted yet"
    assert capsys.readouterr().out == "Exercise 1: not attempted yet\n"


def test_stub_to_none():
    def stub(x):
        return None

    def crashes(x):
        raise ValueError(x)

    def answer(x):
        return x + 1

    assert exercises.stub_to_none(stub, 1) is None
    assert exercises.stub_to_none(answer, 1) is answer
    assert exercises.stub_to_none(crashes, 1) is crashes  # the check reports it
    assert exercises.stub_to_none(7, 1) == 7  # not a function: judged as is


# --- part 1, lessons 4 and 5: the exercises changed so that no answer is on
# screen before its question, and their experiment exercises ----------------


def test_lesson04_merges_by_hand_is_not_the_lesson_s_own_answer():
    from lessons.solutions import part1_lesson04 as solution
    from utils.checks import part1_lesson04 as checks

    assert checks.check_merges_by_hand(solution.LOWEST) == exercises.CORRECT
    # the lesson's merges give low + est on screen; these merges do not
    assert checks.check_merges_by_hand(["low", "est"]).startswith("not yet")


def test_lesson04_fewer_merges_experiment():
    from lessons.solutions import part1_lesson04 as solution
    from utils import tokenization as T
    from utils.assets import load_shakespeare
    from utils.checks import part1_lesson04 as checks

    samples = {  # the lesson's two sentences
        "English": (
            "The committee postponed its decision because the weather forecast "
            "predicted heavy snowfall across the northern mountains this weekend."
        ),
        "German": (
            "Der Ausschuss verschob seine Entscheidung, weil die Wettervorhersage "
            "starken Schneefall in den nördlichen Bergen an diesem Wochenende "
            "ankündigte."
        ),
    }
    words = T.words(load_shakespeare())[:20_000]  # tiny: about a second
    big = T.train_bpe(words, vocab_size=600)
    measured = solution.fewer_merges(big, words, samples, size=200)
    check = checks.check_fewer_merges
    assert check(None, {}, samples) == exercises.NOT_ATTEMPTED
    right = check(solution.FEWER_MERGES, measured, samples)
    assert right.startswith("correct") and "lower" in right
    wrong = check("higher", measured, samples)
    assert wrong.startswith("measured:") and "not 'higher'" in wrong
    assert "predict one of" in check("up", measured, samples)
    (small, ratio) = measured[200]
    faked = {**measured, 200: (small, ratio + 0.2)}  # a number its model does not give
    assert "is not the ratio" in check("lower", faked, samples)
    other = T.train_bpe(words[:2000], vocab_size=200)  # other words: not a prefix
    unrelated = {**measured, 200: (other, checks.german_english_ratio(other, samples))}
    assert "same words" in check("lower", unrelated, samples)
    assert check("lower", {200: 1, 600: 2}, samples).startswith("not yet")  # no crash


def test_lesson05_attention_with_a_mask():
    import torch

    from lessons.solutions import part1_lesson05 as sol
    from utils.checks import part1_lesson05 as checks

    assert checks.check_attention(sol.attention) == exercises.CORRECT
    stub = checks.check_attention(lambda q, k, v, mask=None: None)
    assert stub == exercises.NOT_ATTEMPTED

    def no_mask(q, k, v, mask=None):  # the lesson's recipe, on screen: ignores masks
        return torch.softmax(q @ k.transpose(-2, -1) / q.shape[-1] ** 0.5, -1) @ v

    def scaled_by_v(q, k, v, mask=None):  # √ of the values' size, not the keys'
        scores = q @ k.transpose(-2, -1) / v.shape[-1] ** 0.5
        if mask is not None:
            scores = scores.masked_fill(~mask, float("-inf"))
        return torch.softmax(scores, -1) @ v

    for wrong in (no_mask, scaled_by_v):
        assert "masked_fill" in checks.check_attention(wrong)


def test_lesson05_causal_mask_with_a_window():
    import torch

    from lessons.solutions import part1_lesson05 as sol
    from utils.checks import part1_lesson05 as checks

    assert checks.check_causal_mask(sol.causal_mask) == exercises.CORRECT
    assert sol.causal_mask(4, window=2).int().tolist() == [
        [1, 0, 0, 0],
        [1, 1, 0, 0],
        [0, 1, 1, 0],
        [0, 0, 1, 1],
    ]

    def plain(n, window=None):  # the lesson's causal mask, window ignored
        return torch.ones(n, n, dtype=torch.bool).tril()

    def one_too_many(n, window=None):  # i - j <= window
        ones = torch.ones(n, n, dtype=torch.bool)
        return ones.tril() if window is None else ones.tril() & ~ones.tril(-window - 1)

    for wrong in (plain, one_too_many):
        assert checks.check_causal_mask(wrong).startswith("not yet")


def test_lesson05_scale_by_d_experiment():
    from lessons.solutions import part1_lesson05 as sol
    from utils.checks import part1_lesson05 as checks

    measured = sol.scale_by_d(dims=(16, 1024), trials=50)
    check = checks.check_scale_by_d
    assert check(None, {}) == exercises.NOT_ATTEMPTED
    right = check(sol.SCALE_BY_D, measured)
    assert right.startswith("correct") and "lower" in right
    assert "not 'about the same'" in check("about the same", measured)
    q, k, _ = measured[16]
    assert "is not the mean top weight" in check("lower", {**measured, 16: (q, k, 0.3)})
    zeros = {**measured, 16: (0 * q, k, checks.mean_top_weight(0 * q, k))}
    assert "torch.randn" in check("lower", zeros)  # not random queries
    assert check("lower", {16: 3, 32: 4}).startswith("not yet")  # no crash


# --- part 1, lessons 1 and 3: the empty output of lesson 1's exercise 1, lesson
# 3's exercise 2 for a padded batch (one sentence is on screen), and its
# experiment exercise ----------------------------------------------------------


def test_lesson01_clipped_precision_fails_a_crash_or_a_wrong_value_on_empty():
    from collections import Counter

    from lessons.solutions import part1_lesson01 as solution
    from utils.checks import part1_lesson01 as checks

    check = checks.check_clipped_precision

    def unguarded(hyp, ref):  # right on every output with words, divides by 0 on []
        ref_counts = Counter(ref)
        return sum(min(n, ref_counts[w]) for w, n in Counter(hyp).items()) / len(hyp)

    def one_on_empty(hyp, ref):  # "nothing wrong in it": 1.0 for []
        return unguarded(hyp, ref) if hyp else 1.0

    assert solution.clipped_unigram_precision([], ["der"]) == 0.0
    assert check(solution.clipped_unigram_precision) == exercises.CORRECT
    crashed = check(unguarded)
    assert crashed.startswith("not yet: your answer raised ZeroDivisionError")
    assert "empty output" in crashed and "0.0" in crashed
    wrong = check(one_on_empty)
    assert wrong.startswith("not yet. Hint:") and "empty output" in wrong


def test_lesson03_shift_batch_pads_every_row():
    from lessons.solutions import part1_lesson03 as solution
    from utils.checks import part1_lesson03 as checks

    check = checks.check_shift_batch
    assert check(solution.shift_batch) == exercises.CORRECT
    assert check(None) == exercises.NOT_ATTEMPTED
    assert check(lambda batch: None) == exercises.NOT_ATTEMPTED  # the stub
    inputs, targets = solution.shift_batch([["Ja", "."], ["Der", "Hund", "bellt", "."]])
    assert inputs[0] == ["<bos>", "Ja", ".", "<pad>", "<pad>"]  # as the exercise says
    assert targets[1] == ["Der", "Hund", "bellt", ".", "<eos>"]

    def unpadded(batch):  # the one-sentence shift on screen, row by row
        return [["<bos>", *w] for w in batch], [[*w, "<eos>"] for w in batch]

    def padded_in_front(batch):
        n = 1 + max(len(w) for w in batch)
        pads = [["<pad>"] * (n - 1 - len(w)) for w in batch]
        return (
            [[*p, "<bos>", *w] for p, w in zip(pads, batch)],
            [[*p, *w, "<eos>"] for p, w in zip(pads, batch)],
        )

    assert "now pad" in check(unpadded)
    assert check(padded_in_front).startswith("not yet. Hint:")
    assert check(lambda batch: batch.shift()).startswith("not yet: your answer raised")


def test_lesson03_smaller_summary_experiment():
    from dataclasses import replace

    import torch

    from lessons.solutions import part1_lesson03 as solution
    from utils.checks import part1_lesson03 as checks
    from utils.rnn import GRUConfig
    from utils.tasks import translation
    from utils.training import History

    lesson = translation.RECIPES["gru_seq2seq"]
    tiny = replace(  # a few seconds: 10 steps of a tiny GRU, validated twice
        lesson,
        model=GRUConfig(d_emb=8, d_hidden=8),
        train=replace(lesson.train, n_steps=10, valid_every=10),
    )
    torch.manual_seed(0)
    model = translation.build_model(tiny, *translation.vocabularies())
    measured = translation.fit(model, tiny)
    loss = measured.valid[-1]
    assert abs(translation.validation_loss(model) - loss) < 1e-4  # recomputed, not read

    def lesson_run(at_10: float) -> History:  # the lesson's History, made up
        return History([0.0] * 20, [10, 20], [at_10, 0.0])

    check = checks.check_bottleneck
    assert check(None, None, None, lesson_run(1.0)) == exercises.NOT_ATTEMPTED
    right = check(solution.PREDICTION, model, measured, lesson_run(loss - 1.0))
    assert right.startswith("correct") and "higher, as you predicted" in right
    wrong = check("lower", model, measured, lesson_run(loss - 1.0))
    assert wrong.startswith("measured:") and "not 'lower'" in wrong
    assert "d_hidden = 8" in wrong and "fewer weights" in wrong
    same = check("about the same", model, measured, lesson_run(loss + 0.05))
    assert same.startswith("correct") and "about the same" in same
    assert "predict one of" in check("bigger", model, measured, lesson_run(1.0))
    other = lesson_run(1.0)
    faked = History(
        measured.train, measured.valid_steps, [v - 0.5 for v in measured.valid]
    )
    assert "not this model's history" in check("higher", model, faked, other)
    shorter = History(measured.train[:5], [5], [loss])
    assert "no validation loss at step 5" in check("higher", model, shorter, other)
    assert "run the experiment" in check("higher", None, None, lesson_run(1.0))
    assert check("higher", model, measured, "history").startswith("not yet")  # no crash
