"""The samplers draw from the distribution they promise (10,000 draws against
the exact frequencies), beam search finds the best sequence where greedy does
not, and `generate` gives the same tokens with and without the KV cache."""

import itertools

import pytest
import torch

from utils.sampling import (
    beam_search,
    generate,
    reshape,
    sampler,
    top_k_filter,
    top_p_filter,
    with_temperature,
)
from utils.transformer import GPT, GPTConfig

N = 10_000
PROBS = torch.tensor([0.5, 0.3, 0.15, 0.05])
LOGITS = PROBS.log()


def frequencies(pick, logits: torch.Tensor, n: int = N) -> torch.Tensor:
    """How often each token comes out of `pick` in n draws."""
    ids = pick(logits.expand(n, -1))  # (n,)
    return torch.bincount(ids, minlength=logits.shape[-1]).float() / n


def close_to(freq: torch.Tensor, expected: torch.Tensor, n: int = N) -> bool:
    """Every frequency within 4.5 binomial standard deviations of its
    probability (a false alarm about once in 100,000 tokens checked)."""
    sd = (expected * (1 - expected) / n).sqrt()
    return bool(((freq - expected).abs() <= 4.5 * sd + 1e-9).all())


def draws(seed: int = 0, **how):
    return sampler(generator=torch.Generator().manual_seed(seed), **how)


@pytest.mark.parametrize("temperature", [0.5, 1.0, 2.0])
def test_temperature_draws_p_to_the_one_over_t(temperature):
    expected = PROBS ** (1 / temperature)
    expected /= expected.sum()
    freq = frequencies(draws(temperature=temperature), LOGITS)
    assert close_to(freq, expected)


def test_the_frequency_check_tells_temperatures_apart():
    """The check has power: draws at T = 1 fail against the T = 0.5 law."""
    sharp = PROBS**2 / (PROBS**2).sum()
    assert not close_to(frequencies(draws(temperature=1.0), LOGITS), sharp)


def test_top_k_keeps_the_k_most_likely_renormalised():
    freq = frequencies(draws(top_k=2), LOGITS)
    assert freq[2:].sum() == 0  # never a token outside the top 2
    assert close_to(freq, torch.tensor([0.625, 0.375, 0.0, 0.0]))


@pytest.mark.parametrize(
    "p, kept",
    [(0.45, [1.0, 0, 0, 0]), (0.7, [0.625, 0.375, 0, 0]), (0.9, [0.5, 0.3, 0.15, 0])],
)
def test_top_p_keeps_the_smallest_nucleus_reaching_p(p, kept):
    expected = torch.tensor(kept) / sum(kept)
    freq = frequencies(draws(top_p=p), LOGITS)
    assert freq[expected == 0].sum() == 0
    assert close_to(freq, expected)


def test_temperature_zero_is_greedy_and_bad_temperature_is_refused():
    assert frequencies(draws(temperature=0.0), LOGITS, 100)[0] == 1.0
    with pytest.raises(ValueError, match="temperature"):
        with_temperature(LOGITS, -1.0)


def test_filters_keep_what_the_transformers_warpers_keep():
    from transformers.generation.logits_process import (
        TemperatureLogitsWarper,
        TopKLogitsWarper,
        TopPLogitsWarper,
    )

    logits = torch.randn(8, 50, generator=torch.Generator().manual_seed(0))
    for k in (1, 5, 20):
        ours = torch.isinf(top_k_filter(logits, k))
        theirs = torch.isinf(TopKLogitsWarper(k)(None, logits.clone()))
        assert torch.equal(ours, theirs)
    for p in (0.1, 0.5, 0.9):
        ours = torch.isinf(top_p_filter(logits, p))
        theirs = torch.isinf(TopPLogitsWarper(p)(None, logits.clone()))
        assert torch.equal(ours, theirs)
    warped = TemperatureLogitsWarper(0.7)(None, logits.clone())
    assert torch.allclose(with_temperature(logits, 0.7), warped)
    both = reshape(logits, 0.7, 5, 0.9)  # temperature, then k, then p
    theirs = TopPLogitsWarper(0.9)(None, TopKLogitsWarper(5)(None, warped))
    assert torch.equal(torch.isinf(both), torch.isinf(theirs))


# --- beam search ----------------------------------------------------------------

START, A, B, EOS = 0, 1, 2, 3


def toy_next_logits(ids: torch.Tensor) -> torch.Tensor:
    """A model whose greedy first token is a trap: "A" (0.55) leads only to a
    flat 1/3 choice, "B" (0.45) to <eos> at 0.9. Best: B <eos> (0.405)."""
    table = {
        START: [0.0, 0.55, 0.45, 0.0],
        A: [0.0, 0.34, 0.33, 0.33],
        B: [0.0, 0.05, 0.05, 0.90],
    }
    rows = [table[int(last)] for last in ids[:, -1]]
    return torch.tensor(rows).clamp_min(1e-9).log()  # (batch, 4)


def test_beam_search_finds_the_sequence_greedy_misses():
    prompt = torch.tensor([[START]])
    best = beam_search(toy_next_logits, prompt, max_new=4, beams=2, eos_id=EOS)
    assert best == [B, EOS]
    greedy_first = int(toy_next_logits(prompt).argmax())
    assert greedy_first == A  # greedy commits to the trap


def test_a_wide_enough_beam_is_exhaustive_search():
    torch.manual_seed(0)
    table = torch.randn(5, 5)  # next logits depend on the last token only

    def next_logits(ids):
        return table[ids[:, -1]]

    def logp(seq):
        lp = torch.log_softmax(table, -1)
        return sum(lp[a, b].item() for a, b in zip([0] + seq[:-1], seq, strict=True))

    best = max(itertools.product(range(5), repeat=3), key=lambda s: logp(list(s)))
    found = beam_search(next_logits, torch.tensor([[0]]), 3, beams=25)
    assert found == list(best)
    greedy = beam_search(next_logits, torch.tensor([[0]]), 3, beams=1)
    assert logp(found) >= logp(greedy)


# --- generate on our GPT ---------------------------------------------------------


@pytest.fixture(scope="module")
def gpt() -> GPT:
    torch.manual_seed(0)
    model = GPT(12, GPTConfig(32, 4, 64, 2, context=16, positions="rope"))
    return model.eval()


@pytest.mark.parametrize("how", [{}, {"temperature": 1.0, "top_k": 6, "top_p": 0.9}])
def test_cache_gives_the_same_tokens_past_the_context(gpt, how):
    prompt = [1, 2, 3, 4, 5]
    cached = generate(gpt, prompt, 40, cache=True, **how)  # 45 > context 16
    assert cached == generate(gpt, prompt, 40, cache=False, **how)
    assert len(cached) == 40 and all(0 <= t < 12 for t in cached)


def test_sampling_is_seeded(gpt):
    a = generate(gpt, [1, 2], 30, temperature=1.5, seed=1)
    assert a == generate(gpt, [1, 2], 30, temperature=1.5, seed=1)
    assert a != generate(gpt, [1, 2], 30, temperature=1.5, seed=2)


def test_generate_stops_at_eos_and_refuses_an_empty_prompt(gpt):
    out = generate(gpt, [1, 2], 50, temperature=2.0, eos_id=3)
    assert 3 not in out[:-1] and (out[-1] == 3 or len(out) == 50)
    with pytest.raises(ValueError, match="empty"):
        generate(gpt, [], 5)
    assert generate(gpt, [1], 0) == []


def sequence_logp(model: GPT, prompt: list[int], new: list[int]) -> float:
    ids = torch.tensor([prompt + new])
    logp = torch.log_softmax(model(ids)[0, len(prompt) - 1 : -1], dim=-1)
    return logp.gather(1, torch.tensor(new)[:, None]).sum().item()


def test_beam_search_of_width_one_is_greedy_and_wider_scores_higher(gpt):
    prompt = [1, 2, 3]
    greedy = generate(gpt, prompt, 10)
    one = beam_search(gpt.next_logits, torch.tensor([prompt]), 10, beams=1)
    assert one == greedy
    beam = generate(gpt, prompt, 10, beams=4)
    assert len(beam) == 10
    with torch.no_grad():
        assert sequence_logp(gpt, prompt, beam) > sequence_logp(gpt, prompt, greedy)


# --- the lesson's exercise checks ------------------------------------------------


def test_exercise_checks_accept_the_solutions_and_refuse_wrong_answers():
    from lessons.solutions import part2_lesson02 as solution
    from utils.checks import CORRECT, NOT_ATTEMPTED
    from utils.checks import part2_lesson02 as checks

    assert checks.check_nucleus(solution.nucleus) == CORRECT
    assert checks.check_nucleus(lambda probs, p: None) == NOT_ATTEMPTED
    off_by_one = checks.check_nucleus(lambda probs, p: solution.nucleus(probs, p)[:-1])
    assert off_by_one.startswith("not yet")
    assert checks.check_smollm2_cache_bytes(solution.smollm2_cache_bytes) == CORRECT
    assert checks.check_smollm2_cache_bytes(None) == NOT_ATTEMPTED
    all_heads = checks.check_smollm2_cache_bytes(lambda n: 2 * 30 * 9 * 64 * n * 4)
    assert "grouped-query" in all_heads


# --- the sampling widget -----------------------------------------------------------


def test_every_slider_step_changes_the_sampling_view(gpt):
    """A step too small to move a rounded probability or a seeded draw still
    shows: the view names the settings it was drawn with."""
    from utils.sampling_view import make_sampling_update

    encode = lambda text: [ord(c) % 12 for c in text]
    update = make_sampling_update(gpt, encode, lambda ids: "".join(map(str, ids)), 12)
    base = {"prompt": "abc", "temperature": 1.0, "top_k": 0, "top_p": 0.9}
    view = update(**base).html
    assert "temperature 1.00, top-k off, top-p 0.90" in view
    for name, value in (("temperature", 1.05), ("top_k", 1), ("top_p", 0.95)):
        assert update(**{**base, name: value}).html != view, name


def test_repetition_is_the_share_of_repeated_word_pairs():
    from utils.sampling import repetition

    assert repetition("a b a b a b") == pytest.approx(1 - 2 / 5)
    assert repetition("to be or not to be") == pytest.approx(1 - 4 / 5)
    assert repetition("one") == 0.0


def test_loops_finds_a_three_word_phrase_said_three_times():
    from utils.sampling import loops

    assert loops("the stand the stand the stand the")
    assert loops("that that that that that")
    assert not loops("the stand the stand, and then the king")
    assert not loops("")
